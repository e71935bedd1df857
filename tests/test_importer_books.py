"""`kb import` of whole BookStack books (issue 14): the portable ZIP, book exports in HTML and Markdown, and a
Markdown page export, all built by tests/fixtures/bookstack/make_fixtures.py the way BookStack's code builds
them. The tests read the built site, as a reader would meet the pages: table headers, admonitions,
<details>, code languages, nested lists, anchors that resolve, images and attachments that exist, tags."""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT, copy_project, run_kb, run_mkdocs

FIXTURES = ROOT / "tests" / "fixtures" / "bookstack"
ZIP = FIXTURES / "book-export.zip"
QUEUE = "mail/91.001-checking-the-mail-queue"
RESET = "mail/microsoft-365/91.002-resetting-a-mailbox-password"
FORWARD = "mail/microsoft-365/91.003-forwarding-mail-to-another-mailbox"


def fixture_module():
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def tree(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def zip_kb(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("zip") / "kb", with_docs=False)
    result = run_kb(project, "import", str(ZIP), "--book", "mail", "--audience", "public")
    return project, result


@pytest.fixture(scope="module")
def zip_site(zip_kb, tmp_path_factory):
    project, _ = zip_kb
    site = tmp_path_factory.mktemp("zip-site") / "site"
    built = run_mkdocs(project, site, extra_env={"KB_PDF": "0"})
    assert built.returncode == 0, built.stderr
    return site


def page(site: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((site / rel / "index.html").read_text(encoding="utf-8"), "lxml")


def content(soup: BeautifulSoup):
    return soup.select_one("article.md-content__inner")


def test_zip_imports_the_book_chapter_pages_and_files(zip_kb):
    project, result = zip_kb
    assert result.returncode == 0, result.stderr
    docs = project / "docs"
    files = sorted(p.relative_to(docs).as_posix() for p in (docs / "mail").rglob("*") if p.is_file())
    assert files == sorted([
        "mail/index.md", "mail/glossary.md", f"{QUEUE}.md", f"{QUEUE}-image-1.png", f"{QUEUE}-queue-limits.csv",
        "mail/microsoft-365/index.md", f"{RESET}.md", f"{RESET}-image-1.png", f"{FORWARD}.md"])
    # the image is listed only under the first page that uses it; the second page finds it all the same
    assert (docs / f"{RESET}-image-1.png").read_bytes() == (docs / f"{QUEUE}-image-1.png").read_bytes()
    assert (docs / f"{QUEUE}-queue-limits.csv").read_bytes() == b"queue-size,warning\n1000,yes\n"
    assert front_matter(docs / "mail/index.md") == {
        "title": "Mail Servers", "tags": ["team-service desk"],
        "order": ["91.001-checking-the-mail-queue", "microsoft-365", "glossary"]}  # BookStack's order
    assert "Running the **mail servers**." in (docs / "mail/index.md").read_text(encoding="utf-8")
    assert front_matter(docs / "mail/microsoft-365/index.md")["title"] == "Microsoft 365"
    assert front_matter(docs / f"{QUEUE}.md")["tags"] == ["exchange", "priority-high"]
    assert front_matter(docs / "mail/glossary.md") == {"title": "Glossary", "tags": ["reference"]}
    stderr = result.stderr
    assert f"{ZIP} [Glossary]: no Document Control table: imported as a plain page of the book" in stderr
    assert ("link into the old knowledge base, to nothing in this import: "
            "https://kb.example.com/books/other-book/page/legacy-runbook") in stderr
    assert f"{ZIP} [91.003 Forwarding mail to another mailbox]: a table has merged cells" in stderr
    assert f"imported {ZIP} [Glossary] -> docs/mail/glossary.md (plain page)" in result.stdout


def test_zip_references_become_relative_links_with_anchors(zip_kb):
    project, _ = zip_kb
    queue = (project / "docs" / f"{QUEUE}.md").read_text(encoding="utf-8")
    reset = (project / "docs" / f"{RESET}.md").read_text(encoding="utf-8")
    forward = (project / "docs" / f"{FORWARD}.md").read_text(encoding="utf-8")
    assert "(microsoft-365/91.002-resetting-a-mailbox-password.md#reset-the-password)" in queue
    assert "[what the numbers mean](#what-the-numbers-mean)" in queue
    assert "[queue-limits.csv](91.001-checking-the-mail-queue-queue-limits.csv)" in queue
    assert "- [Vendor guide](https://vendor.example.com/guide.pdf)" in queue  # a link attachment, listed
    assert "(../91.001-checking-the-mail-queue.md#check-how-full-the-mail-queue-is)" in reset
    assert "[Microsoft 365](index.md)" in reset
    assert "(../91.001-checking-the-mail-queue.md#what-the-numbers-mean)" in forward
    assert "bsexport" not in queue + reset + forward and "kb.example.com/link" not in queue + reset + forward


@pytest.mark.slow
def test_imported_book_passes_kb_check_and_builds_strictly_for_both_audiences(zip_kb, tmp_path):
    project, _ = zip_kb
    checked = run_kb(project, "check", "--strict")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = run_mkdocs(project, tmp_path / "public", audience="public", extra_env={"KB_PDF": "0"})
    assert built.returncode == 0, built.stderr


@pytest.mark.slow
def test_built_pages_keep_tables_callouts_details_code_and_lists(zip_site):
    soup = content(page(zip_site, QUEUE))
    tables = soup.select("table")
    headed = [t for t in tables if t.find("th") and "Queue size" in t.get_text()]
    assert [th.get_text(strip=True) for th in headed[0].select("thead th")] == ["Queue size", "What to do"]
    assert [td.get_text(strip=True) for td in headed[0].select("tbody tr")[0].select("td")] == ["Under 1,000", "Nothing"]
    plain = next(t for t in tables if "mx1.example.com" in t.get_text())
    assert plain.find("th") is None and plain.find("thead") is None  # no header row: none shown, none empty
    assert [td.get_text(strip=True) for td in plain.select("tr")[0].select("td")] == ["Server", "mx1.example.com"]
    assert soup.select_one(".admonition.info").get_text(" ", strip=True).endswith("The queue refreshes every minute.")
    details = soup.select_one("details")
    assert details.select_one("summary").get_text(strip=True) == "Why the queue grows"
    assert "A remote server is refusing mail." in details.get_text()
    code = soup.select_one("div.highlight pre code")
    assert "mailq | tail -n 1" in code.get_text()
    assert code.select("span.p") and code.select("span.m")  # Pygments' bash tokens: the language arrived
    nested = soup.select("ul > li > ul > li")
    assert [li.get_text(strip=True) for li in nested] == ["in messages", "in megabytes"]
    merged = content(page(zip_site, FORWARD)).select_one("td[colspan='2']")
    assert merged is not None and merged.get_text(strip=True) == "Bank holidays: nobody"


@pytest.mark.slow
def test_navigation_keeps_bookstacks_order(zip_site):
    """Chapters and pages interleave by BookStack's priority (the index's `order:`), not by file name."""
    nav = page(zip_site, "mail").select_one("nav.md-nav--primary")
    book = next(item for item in nav.select("li.md-nav__item--nested")
                if item.find(class_="md-nav__link").get_text(strip=True) == "Mail Servers")
    labels = [a.get_text(" ", strip=True) for a in book.select(":scope > nav > ul > li > a.md-nav__link, "
                                                               ":scope > nav > ul > li > label.md-nav__link")]
    assert [label for label in labels if label] == ["91.001 Checking the mail queue", "Microsoft 365", "Glossary"]


@pytest.mark.slow
@pytest.mark.parametrize("rel", [QUEUE, RESET, FORWARD, "mail/glossary"])
def test_every_link_image_and_anchor_resolves_in_the_built_site(zip_site, rel):
    soup = content(page(zip_site, rel))
    here = zip_site / rel / "index.html"
    for img in soup.select("img"):
        target = (here.parent / unquote(img["src"])).resolve()
        assert target.is_file() and target.stat().st_size > 0, img
    for link in soup.select("a[href]"):
        href = link["href"]
        parts = urlsplit(href)
        if parts.scheme or href.startswith("mailto:") or "kb.example.com" in href:
            continue
        target = (here.parent / unquote(parts.path)).resolve() if parts.path else here
        if target.is_dir():
            target = target / "index.html"
        assert target.is_file(), href
        if parts.fragment and target.suffix == ".html":
            assert BeautifulSoup(target.read_text(encoding="utf-8"), "lxml").find(id=parts.fragment), href


def test_force_reimport_updates_in_place_and_writes_nothing_when_unchanged(zip_kb, tmp_path):
    project, _ = zip_kb
    before = tree(project / "docs")
    time.sleep(0.01)
    again = run_kb(project, "import", str(ZIP), "--book", "mail", "--audience", "public", "--force")
    assert again.returncode == 0, again.stderr
    assert tree(project / "docs") == before  # bytes and modification times: nothing rewritten
    assert again.stdout.count(", unchanged") == 6  # four pages, the book's and the chapter's index
    refused = run_kb(project, "import", str(ZIP), "--book", "mail")
    assert refused.returncode == 1 and "pass --force to replace it" in refused.stderr
    assert tree(project / "docs") == before


@pytest.mark.slow
def test_markdown_page_export_thumbnail_and_bkmrk_links(tmp_path):
    project = copy_project(tmp_path / "kb", with_docs=False)
    source = FIXTURES / "90.101-markdown-page-export.md"
    result = run_kb(project, "import", str(source), "--book", "mail")
    assert result.returncode == 0, result.stderr
    text = (project / "docs" / f"{QUEUE}.md").read_text(encoding="utf-8")
    # a thumbnail inside a link to the full image: one link (the image is on the old KB), never a nested pair
    assert "[queue-screenshot.png](https://kb.example.com/uploads/images/gallery/2024-11/queue-screenshot.png)" in text
    assert "[![" not in text and "](https://kb.example.com/uploads/images/gallery/2024-11/scaled-1680-/" not in text
    assert "[what the numbers mean](#what-the-numbers-mean)" in text
    assert "| Queue size | What to do |\n| --- | --- |\n| Under 1,000 | Nothing |" in text
    assert "??? note \"Why the queue grows\"" in text
    notes = result.stderr
    assert "link into the old knowledge base, to nothing in this import: https://kb.example.com/link/42" in notes
    site = tmp_path / "site"
    assert run_mkdocs(project, site, extra_env={"KB_PDF": "0"}).returncode == 0
    soup = content(page(site, QUEUE))
    assert soup.find(id="what-the-numbers-mean") is not None
    assert soup.select_one('a[href="#what-the-numbers-mean"]') is not None
    assert not soup.select("a a") and not soup.select("a img")


@pytest.mark.parametrize("export", ["book-export.html", "book-export.md"])
def test_book_exports_in_html_and_markdown_import_the_same_pages(tmp_path, export):
    project = copy_project(tmp_path / "kb", with_docs=False)
    result = run_kb(project, "import", str(FIXTURES / export), "--book", "mail")
    assert result.returncode == 0, result.stderr
    docs = project / "docs"
    pages = sorted(p.relative_to(docs).as_posix() for p in (docs / "mail").rglob("*.md"))
    # the HTML export says which pages are in the chapter (chapter-hint); the Markdown export cannot tell a
    # page after a chapter from one inside it, so its Glossary lands in the chapter's folder
    glossary = "mail/glossary.md" if export.endswith(".html") else "mail/microsoft-365/glossary.md"
    assert pages == sorted(["mail/index.md", "mail/microsoft-365/index.md", f"{QUEUE}.md", f"{RESET}.md",
                            f"{FORWARD}.md", glossary])
    assert front_matter(docs / "mail" / "index.md")["title"] == "Mail Servers"
    queue = (docs / f"{QUEUE}.md").read_text(encoding="utf-8")
    assert "| Queue size | What to do |" in queue and "[what the numbers mean](#what-the-numbers-mean)" in queue
    # the permalink /link/42#bkmrk-reset-the-password: by the page id the HTML export carries, and in Markdown
    # (no ids) by its anchor, which only one imported page has
    assert "(microsoft-365/91.002-resetting-a-mailbox-password.md#reset-the-password)" in queue
    if export.endswith(".html"):  # its images are embedded
        assert (docs / f"{QUEUE}-image-1.png").is_file()
    else:
        assert "permalink https://kb.example.com/link/42#bkmrk-reset-the-password taken to be " \
               "mail/microsoft-365/91.002-resetting-a-mailbox-password.md (its anchor)" in result.stderr
    assert run_kb(project, "check", "--strict").returncode == 0


def test_zip_refusals_are_clear(tmp_path):
    import json
    import zipfile
    project = copy_project(tmp_path / "kb", with_docs=False)
    cases = {"no-data.zip": {"other.txt": "x"}, "shelf.zip": {"data.json": json.dumps({"shelf": {"id": 1}})},
             "bad-json.zip": {"data.json": "{"}}
    for name, members in cases.items():
        with zipfile.ZipFile(tmp_path / name, "w") as archive:
            for member, data in members.items():
                archive.writestr(member, data)
    result = run_kb(project, "import", *(str(tmp_path / n) for n in cases), "--book", "x")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{tmp_path / 'no-data.zip'}: error: is a ZIP without data.json" in result.stderr
    assert f"{tmp_path / 'shelf.zip'}: error: holds shelf in data.json: the importer reads a ZIP of one book" \
        in result.stderr
    assert f"{tmp_path / 'bad-json.zip'}: error: has a data.json that is not JSON" in result.stderr


def test_zip_file_names_cannot_leave_the_archive_or_docs(tmp_path):
    """data.json names files/: a path there (../, absolute) selects nothing; attachments that would run are refused."""
    import json
    import zipfile
    module = fixture_module()
    project = copy_project(tmp_path / "kb", with_docs=False)
    (tmp_path / "secret.png").write_bytes(module.PNG)
    html = (module.control_tables("93.001 Hostile zip page") + '<p><img src="[[bsexport:image:5]]"></p>'
            '<p><a href="[[bsexport:attachment:6]]">evil</a></p>' + module.END)
    data = {"page": {"id": 1, "name": "93.001 Hostile zip page", "html": html, "priority": 0, "tags": [],
                     "images": [{"id": 5, "name": "x.png", "file": "../../secret.png", "type": "gallery"}],
                     "attachments": [{"id": 6, "name": "evil.html", "file": "evil.html"},
                                     {"id": 8, "name": "click", "link": " javascript:alert(1)"},
                                     {"id": 9, "name": "Report.pdf", "file": "a1.pdf"},
                                     {"id": 10, "name": "report.pdf", "file": "a2.pdf"},
                                     {"id": 7, "name": "../../../escape.pdf", "file": str(tmp_path / "secret.png")}]}}
    with zipfile.ZipFile(tmp_path / "hostile.zip", "w") as archive:
        archive.writestr("data.json", json.dumps(data))
        archive.writestr("files/evil.html", "<script>alert(1)</script>")
        archive.writestr("files/a1.pdf", b"%PDF-1 first")
        archive.writestr("files/a2.pdf", b"%PDF-1 second")
        archive.writestr("../../secret.png", module.PNG)
    result = run_kb(project, "import", str(tmp_path / "hostile.zip"), "--book", "zipped")
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in (project / "docs" / "zipped").iterdir())
    assert written == ["93.001-hostile-zip-page-report-2.pdf", "93.001-hostile-zip-page-report.pdf",
                       "93.001-hostile-zip-page.md"], written  # two names with one slug: both kept
    text = (project / "docs" / "zipped" / "93.001-hostile-zip-page.md").read_text(encoding="utf-8")
    assert "(None)" not in text and "evil" in text and "(93.001-hostile-zip-page-report-2.pdf)" in text
    assert "is not a plain file name: left out" in result.stderr
    assert "evil.html' is of a kind the site would run" in result.stderr
    assert "link attachment 'click' has a javascript: target: left out" in result.stderr
    assert not (tmp_path / "escape.pdf").exists()


@pytest.mark.slow
def test_a_300_page_book_zip_imports_whole(tmp_path):
    """Size only (timings go to benchmarks/import_bench.py): all 300 pages, their chapters and links arrive."""
    module = fixture_module()
    direct, chapters = module.big_book(300)
    module.build_zip(tmp_path / "big.zip", direct, chapters)
    project = copy_project(tmp_path / "kb", with_docs=False)
    result = run_kb(project, "import", str(tmp_path / "big.zip"), "--book", "big")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.count("v1.0 current)") == 300 and result.stdout.count("(chapter index)") == 10
    assert "importing page 300 of 300" in result.stderr  # the progress line
    articles = list((project / "docs" / "big").rglob("9*.md"))
    assert len(articles) == 300 and len(list((project / "docs" / "big").glob("*/index.md"))) == 10
    last = (project / "docs" / "big" / "part-10" / "92.299-generated-procedure-299.md").read_text(encoding="utf-8")
    assert "(92.298-generated-procedure-298.md#steps)" in last


@pytest.mark.slow  # the quick loop keeps the Markdown-editor export and the book ZIP
def test_chapter_zip_with_a_markdown_editor_page(tmp_path):
    """A chapter's ZIP: its pages go into a section of the book; a Markdown-editor page is imported from its
    `markdown` (what its author wrote), references and images included."""
    import json
    import zipfile
    module = fixture_module()
    first = module.set_ids(module.control_tables("94.001 Written in HTML") + "<h2>Where it starts</h2>\n"
                           "<p>The start.</p>\n" + module.END)
    markdown = (module.html_to_markdown(module.control_tables("94.002 Written in Markdown")) +
                "\n\n## Steps\n\nRead [the start]([[bsexport:page:1]]#bkmrk-where-it-starts) first.\n\n"
                "![shot]([[bsexport:image:9]])\n\n" + module.html_to_markdown(module.END))
    data = {"chapter": {"id": 3, "name": "Edge Cases", "description_html": "<p>Odd pages.</p>", "priority": 1,
                        "tags": [{"name": "edge", "value": ""}],
                        "pages": [{"id": 1, "name": "94.001 Written in HTML", "html": first, "priority": 0,
                                   "attachments": [], "images": [], "tags": []},
                                  {"id": 2, "name": "94.002 Written in Markdown", "html": "<p>stale</p>",
                                   "markdown": markdown, "priority": 1, "attachments": [], "tags": [],
                                   "images": [{"id": 9, "name": "shot.png", "file": "abcdefghij0123456789.png",
                                               "type": "gallery"}]}]},
            "exported_at": "2026-11-20T10:15:00+00:00", "instance": {"id": "x", "version": "v24.12.1"}}
    with zipfile.ZipFile(tmp_path / "chapter.zip", "w") as archive:
        archive.writestr("data.json", json.dumps(data))
        archive.writestr("files/abcdefghij0123456789.png", module.PNG)
    project = copy_project(tmp_path / "kb", with_docs=False)
    result = run_kb(project, "import", str(tmp_path / "chapter.zip"), "--book", "mail")
    assert result.returncode == 0, result.stderr
    folder = project / "docs" / "mail" / "edge-cases"
    assert front_matter(folder / "index.md") == {
        "title": "Edge Cases", "tags": ["edge"], "order": ["94.001-written-in-html", "94.002-written-in-markdown"]}
    text = (folder / "94.002-written-in-markdown.md").read_text(encoding="utf-8")
    assert "Read [the start](94.001-written-in-html.md#where-it-starts) first." in text
    assert "![shot](94.002-written-in-markdown-image-1.png)" in text and "stale" not in text
    assert (folder / "94.002-written-in-markdown-image-1.png").read_bytes() == module.PNG
    assert run_kb(project, "check", "--strict").returncode == 0


@pytest.mark.slow  # the quick loop keeps the in-place --force re-import
def test_force_reimport_of_a_changed_book_rewrites_only_what_changed(tmp_path):
    import json
    import zipfile
    project = copy_project(tmp_path / "kb", with_docs=False)
    assert run_kb(project, "import", str(ZIP), "--book", "mail").returncode == 0
    before = tree(project / "docs")
    changed = tmp_path / "changed.zip"
    with zipfile.ZipFile(ZIP) as old, zipfile.ZipFile(changed, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "data.json":
                data = json.dumps(json.loads(data)).replace("Never read a password out over the phone.",
                                                            "Never read a password out, not even by email.").encode()
            new.writestr(info, data)
    result = run_kb(project, "import", str(changed), "--book", "mail", "--force")
    assert result.returncode == 0, result.stderr
    after = tree(project / "docs")
    assert sorted(after) == sorted(before)  # in place: no new file, none gone
    rewritten = sorted(rel for rel in after if after[rel] != before[rel])
    assert rewritten == [f"{RESET}.md"]
    assert "not even by email" in (project / "docs" / f"{RESET}.md").read_text(encoding="utf-8")
    assert f"-> docs/{RESET}.md (91.002 v1.0 current), replacing docs/{RESET}.md:" in result.stdout


def test_a_level_one_heading_inside_the_document_does_not_split_the_page(tmp_path):
    """Markdown exports start every page with `# name`; an author's own `#` heading between START and END OF
    DOCUMENT stays in the page instead of starting a new one (and taking the rest of the body with it)."""
    text = (FIXTURES / "90.101-markdown-page-export.md").read_text(encoding="utf-8")
    export = tmp_path / "h1.md"
    export.write_text(text.replace("## What the numbers mean", "# What the numbers mean"), encoding="utf-8")
    project = copy_project(tmp_path / "kb", with_docs=False)
    result = run_kb(project, "import", str(export), "--book", "mail")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (project / "docs" / "mail").glob("*.md")) == [Path(QUEUE).name + ".md"]
    body = (project / "docs" / f"{QUEUE}.md").read_text(encoding="utf-8")
    assert "# What the numbers mean\n\n| Queue size | What to do |" in body and "## Attachments" not in body
    assert "The limits are in" in body


def test_committed_fixtures_are_what_the_generator_writes(tmp_path):
    """The exports are BookStack's format as make_fixtures.py builds it, never edited by hand."""
    module = fixture_module()
    module.HERE = tmp_path
    module.main()
    for name in ("book-export.zip", "book-export.html", "book-export.md", "90.101-markdown-page-export.md"):
        assert (tmp_path / name).read_bytes() == (FIXTURES / name).read_bytes(), name
