"""Hostile input against the build (issue 17, build side): nothing outside the KB is read or published, no
script an author writes runs, the public hub holds only what its pages use, and the PDF cache checks itself.

Every hostile case plants a secret file outside the KB carrying a unique marker, and looks for that marker in
every byte the build wrote: pages, copied files and PDFs (their decoded streams, text and attachments).
"""

from __future__ import annotations

import base64
import json
import os
import time
import uuid
from pathlib import Path

import pikepdf
import pytest
import yaml
from pypdf import PdfReader

from conftest import ROOT, copy_project, run_kb, run_mkdocs
from kb import pdf, rawhtml

MARKER = f"KBSECRET{uuid.uuid4().hex.upper()}"
CSS = (ROOT / "overrides" / "kb" / "pdf.css").read_text(encoding="utf-8")
SITE_URL = "https://hub.example.com/"
PNG = base64.b64decode(  # a 1x1 red pixel
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==")
AUTHORS = {"jo": {"name": "Jo Marsh", "team": "Service Desk", "email": "jo@example.com"}}


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A folder outside any KB: secret.txt and secret.svg (whose drawn text is the marker)."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text(f"password: {MARKER}\n", encoding="utf-8")
    (folder / "secret.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="400" height="40"><text x="0" y="20">{MARKER}</text></svg>',
        encoding="utf-8")
    return folder


def article(number: str, body: str, *, audience: str = "public", status: str = "current", version: str = "1.0",
            name: str | None = None) -> str:
    control = {"number": number, "name": name or f"Article {number}", "version": version, "status": status,
               "author": "jo"}
    changes = [{"date": "2026-01-10", "author": "jo", "version": "0.0", "change": "First version"},
               {"date": "2026-01-10", "author": "jo", "version": "1.0", "change": "Approved"}]
    if status == "draft":
        changes.append({"date": "2026-11-20", "author": "jo", "version": version, "change": "Draft"})
    else:
        control.update(approval="Safeharbour Support", approval_date="2026-01-10", review_date="2027-01-05")
    control.update(abstract="What it is for", scope="Support staff", inputs="None", outputs="None",
                   audience=audience)
    text = yaml.safe_dump({"document_control": control, "change_control": changes}, sort_keys=False)
    text = text.replace("'2026-01-10'", "2026-01-10").replace("'2027-01-05'", "2027-01-05")
    return f"---\n{text.replace(chr(39) + '2026-11-20' + chr(39), '2026-11-20')}---\n\n{body}\n"


def project(root: Path, pages: dict[str, str | bytes]) -> Path:
    """A copy of the site sources whose docs/ hold only `pages` (docs path -> text or bytes)."""
    copy_project(root, with_docs=False)
    docs = root / "docs"
    (docs / "authors.yml").write_text(yaml.safe_dump(AUTHORS), encoding="utf-8")
    for path, content in pages.items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            (docs / path).write_bytes(content)
        else:
            (docs / path).write_text(content, encoding="utf-8")
    return root


def everything_written(site: Path) -> bytes:
    """Every byte under `site`, with each PDF's decoded streams, attachments and text added."""
    out = []
    for path in sorted(site.rglob("*")):
        if path.is_file():
            out.append(path.read_bytes())
            if path.suffix == ".pdf":
                out.append(pdf_contents(path))
    return b"\n".join(out)


def pdf_contents(path: Path) -> bytes:
    out = []
    with pikepdf.open(path) as document:
        for obj in document.objects:
            if isinstance(obj, pikepdf.Stream):
                try:
                    out.append(obj.read_bytes())
                except pikepdf.PdfError:
                    out.append(obj.read_raw_bytes())
        for spec in document.attachments.values():
            out.append(spec.get_file().read_bytes())
    out.append("".join(page.extract_text() for page in PdfReader(path).pages).encode())
    return b"\n".join(out)


# What a build may read: symlinks


def symlinked(tmp_path: Path, secret: Path) -> Path:
    kb = project(tmp_path / "kb", {"index.md": "# Home\n", "book/index.md": "---\ntitle: Book\n---\n# Book\n",
                                   "book/10.001-a.md": article("10.001", "See [the notes](notes.txt).")})
    (kb / "docs" / "book" / "notes.txt").symlink_to(secret / "secret.txt")
    (kb / "docs" / "book" / "leak.md").symlink_to(secret / "secret.txt")
    (kb / "docs" / "linked").symlink_to(secret, target_is_directory=True)
    return kb


def test_a_symlink_out_of_docs_is_a_kb_check_error(tmp_path, secret):
    kb = symlinked(tmp_path, secret)
    result = run_kb(kb, "check")
    assert result.returncode == 1, result.stdout
    for path in ("book/notes.txt", "book/leak.md", "linked"):
        assert f"{path}: file: is a symlink to " in result.stdout and "outside docs/" in result.stdout
    assert MARKER not in result.stdout + result.stderr  # not even read


@pytest.mark.slow
@pytest.mark.parametrize("audience", ["internal", "public"])
def test_a_symlink_out_of_docs_fails_both_builds_and_is_never_published(tmp_path, secret, audience):
    kb = symlinked(tmp_path, secret)
    for strict in (True, False):
        site = tmp_path / f"site-{strict}"
        result = run_mkdocs(kb, site, audience=audience, strict=strict, extra_env={"KB_PDF": "1"})
        assert result.returncode != 0 and "is a symlink to" in result.stderr
        assert MARKER.encode() not in (everything_written(site) if site.exists() else b"")


# What a PDF may read: the URL fetcher


def render(site: Path, body: str, cache: Path | None = None, name: str = "a") -> pdf.Report:
    html = (f'<!doctype html><html><head><title>{name}</title></head><body data-kb-running="{name}">'
            f'<h1>{name}</h1>{body}</body></html>')
    job = pdf.Job(source=f"book/{name}.md", html=html, target=site / "pdf" / f"{name}.pdf",
                  base_url=f"{SITE_URL}book/{name}/")
    return pdf.render_all([job], css=CSS, site_dir=site, site_url=SITE_URL, cache_dir=cache, workers=1)


def test_a_pdf_reads_only_files_of_the_built_site(tmp_path, secret):
    site = tmp_path / "site"
    (site / "book" / "a").mkdir(parents=True)
    (site / "book" / "a" / "own.png").write_bytes(PNG)
    (site / "book" / "a" / "linked.svg").symlink_to(secret / "secret.svg")  # a link planted in the site
    file = (secret / "secret.txt").as_uri()
    body = (f'<p><img src="own.png" alt="own"></p>'
            f'<p><a rel="attachment" href="{file}">the manual</a></p>'
            f'<link rel="attachment" href="{file}">'
            f'<p><img src="{(secret / "secret.svg").as_uri()}" alt="x"></p>'
            f'<p><img src="linked.svg" alt="y"></p>'
            f'<p><img src="{SITE_URL}../../../../../../..{secret / "secret.svg"}" alt="z"></p>'
            f'<p><img src="https://cdn.example.org/logo.png" alt="remote"></p>')
    report = render(site, body)
    [outcome] = report.outcomes
    assert outcome.error is None and outcome.rendered
    assert MARKER.encode() not in pdf_contents(site / "pdf" / "a.pdf")
    assert len(outcome.warnings) >= 5 and all("refused" in w for w in outcome.warnings)
    assert any("cdn.example.org" in w for w in outcome.warnings)
    assert str(site.resolve() / "book" / "a" / "own.png") in outcome.loaded  # the site's own image still loads


def test_an_attachment_or_image_named_by_file_url_is_refused_and_not_embedded(tmp_path, secret):
    site = tmp_path / "site"
    body = (f'<p><a rel="attachment" href="{(secret / "secret.txt").as_uri()}">the manual</a></p>'
            f'<p><img src="{(secret / "secret.svg").as_uri()}" alt="x"></p>')
    [outcome] = render(site, body).outcomes
    assert MARKER.encode() not in pdf_contents(site / "pdf" / "a.pdf")
    assert outcome.error is None and len(outcome.warnings) == 2
    assert any("secret.txt" in warning for warning in outcome.warnings)


@pytest.mark.slow
def test_the_public_build_embeds_no_file_outside_the_kb_in_its_pdfs(tmp_path, secret):
    body = (f'<a rel="attachment" href="{(secret / "secret.txt").as_uri()}">The manual</a>\n\n'
            f'<img src="{(secret / "secret.svg").as_uri()}" alt="A diagram">\n')
    kb = project(tmp_path / "kb", {"index.md": "# Home\n", "book/index.md": "---\ntitle: Book\n---\n# Book\n",
                                   "book/10.001-a.md": article("10.001", body)})
    strict = run_mkdocs(kb, tmp_path / "strict", audience="public")
    assert strict.returncode != 0 and "book/10.001-a.md: PDF: " in strict.stderr and "refused" in strict.stderr
    site = tmp_path / "site"
    result = run_mkdocs(kb, site, audience="public", strict=False)
    assert result.returncode == 0, result.stderr
    assert (site / "pdf" / "10.001-v1.0.pdf").is_file()
    assert MARKER.encode() not in everything_written(site)


# A cache that checks its entries


@pytest.mark.parametrize("damage", ["truncated", "corrupted", "swapped"])
def test_a_damaged_cache_entry_is_rendered_again_and_said_so(tmp_path, damage):
    site, cache = tmp_path / "site", tmp_path / "cache"
    assert render(site, "<p>Body A.</p>", cache).rendered == 1
    [entry] = cache.glob("*.pdf")
    render(site, "<p>Body B, longer than A, and different.</p>", cache, name="b")
    [other] = set(cache.glob("*.pdf")) - {entry}
    good = entry.read_bytes()
    if damage == "truncated":
        entry.write_bytes(good[: len(good) // 2])
    elif damage == "corrupted":
        entry.write_bytes(good.replace(b"Body A", b"Body X") if b"Body A" in good else good[:-200] + b"\0" * 200)
    else:
        entry.write_bytes(other.read_bytes())
    again = render(site, "<p>Body A.</p>", cache)
    assert (again.rendered, again.reused) == (1, 0)
    assert [n for n in again.repaired if "book/a.md" in n and "rendered again" in n]
    assert "Body A." in PdfReader(site / "pdf" / "a.pdf").pages[0].extract_text()
    assert render(site, "<p>Body A.</p>", cache).reused == 1  # a whole entry was written again, and is trusted


def test_a_killed_renders_temporary_file_is_pruned_on_the_next_build(tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    render(site, "<p>Body.</p>", cache)
    dead = 2 ** 22 + 12345  # above the kernel's default pid_max: no such process
    leftover = cache / f".{'0' * 64}.pdf.{dead}"
    leftover.write_bytes(b"%PDF-1.7 half written")
    render(site, "<p>Body.</p>", cache)
    assert not leftover.exists()


@pytest.mark.slow
def test_a_100_kb_unbroken_word_renders_in_seconds_on_many_lines(tmp_path):
    site = tmp_path / "site"
    word = "W" * 100_000
    started = time.perf_counter()
    report = render(site, f"<p>{word}</p>")
    seconds = time.perf_counter() - started
    assert report.failed == [] and seconds < 60, seconds
    reader = PdfReader(site / "pdf" / "a.pdf")
    assert len(reader.pages) >= 5  # laid out in lines down the pages, not one line off the edge
    assert "".join(p.extract_text() for p in reader.pages).count("W") >= 100_000


# Raw HTML in article bodies

SCRIPTED = """Text before.

<script>window.__kbRan = "script"; alert(1)</script>

<img src="x.png" onerror="window.__kbRan = 'onerror'; alert(2)" alt="x">

<svg onload="window.__kbRan = 'svg'"><a xlink:href="javascript:alert(3)"><text y="10">svg</text></a></svg>

<details open ontoggle="window.__kbRan = 'toggle'"><summary>More</summary>Hidden.</details>

<xmp><img title="</xmp><img src=x onerror=window.__kbRan='xmp'>"></xmp>

[click me](javascript:window.__kbRan='link') and [me too](jav&#x61;script:alert(4))

[styled](#){ onmouseover="window.__kbRan = 'attr_list'" }

<iframe srcdoc="<script>parent.__kbRan = 'iframe'</script>"></iframe>

```html
<script>this is a code sample, shown as text</script>
```

Text after.
"""


def test_the_policy_finds_script_in_any_form_and_leaves_code_samples_alone():
    problems = rawhtml.check("book/10.001-a.md", SCRIPTED, 20)
    found = {p.value for p in problems}
    assert {"<script> element", "onerror attribute of <img>", "onload attribute of <svg>",
            "ontoggle attribute of <details>", "javascript: URL in href of <a>", "onmouseover attribute of <a>",
            "<iframe> element", "srcdoc attribute of <iframe>", "javascript: URL in xlink:href of <a>"} <= found
    assert all(p.severity.value == "warning" and p.field == "body" for p in problems)
    assert not rawhtml.check("a.md", "```html\n<script>x</script>\n```\n\n`<b onclick=x>`\n")
    assert not rawhtml.check("a.md", "<b>bold</b> <img src=\"a.png\" alt=\"a\"> [ok](https://example.com/)\n")
    safe, _ = rawhtml.strip(rawhtml._markdown().reset().convert(SCRIPTED))
    assert rawhtml.findings(safe) == [] and "Text before." in safe and "Text after." in safe


@pytest.mark.parametrize("markdown", [
    "<script>x</script>", "x <b onclick=1>", "[a](javascript:x)", "[a](jav&#x61;script:x)", "[a](JAVASCRIPT:x)",
    "[a](javascript&colon;x)", "[a](java&Tab;script:x)", "[a](#){ onclick=x }", "[a](<java\tscript:x>)",
    "/// details\n    attrs:\n      onclick: x\n///", "<x@y onclick=alert(1)>", "[a]: vbscript:x",
    "<https://example.com/>, then <b onclick=1>", *SCRIPTED.split("\n\n")[1:9]])
def test_the_look_ahead_never_skips_a_body_that_may_hold_script(markdown):
    assert rawhtml.may_hold(markdown)


def test_the_look_ahead_skips_plain_bodies_so_a_build_parses_no_page_for_nothing():
    no_front_matter = "---\n{}\n---\n"  # what the build object puts before an article's body for MkDocs
    assert no_front_matter in (ROOT / "kb_mkdocs" / "build.py").read_text().replace("\\n", "\n")
    body = (ROOT / "docs" / "apple-icloud" / "65.043-emails-to-icloud-rejected.md").read_text().split("---\n", 2)[2]
    for markdown in (no_front_matter + body, "Q&A, AT&T and 5 < 6", "see <https://example.com/a?b=c>",
                     'JSON: `{"a": 1}`', "<https://x onclick=alert(1)> (Markdown escapes an autolink)"):
        assert not rawhtml.may_hold(markdown), markdown


@pytest.fixture(scope="module")
def scripted(tmp_path_factory):
    root = tmp_path_factory.mktemp("scripted")
    kb = project(root / "kb", {"index.md": "# Home\n", "book/index.md": "---\ntitle: Book\n---\n# Book\n",
                               "book/10.001-scripted.md": article("10.001", SCRIPTED)})
    return root, kb


@pytest.mark.slow
def test_kb_check_and_both_strict_builds_refuse_script_in_a_body(scripted):
    root, kb = scripted
    checked = run_kb(kb, "check")
    assert "book/10.001-scripted.md:" in checked.stdout and "<script> element: refused" in checked.stdout
    assert run_kb(kb, "check", "--strict").returncode != 0
    for audience in ("internal", "public"):
        result = run_mkdocs(kb, root / f"strict-{audience}", audience=audience, extra_env={"KB_PDF": "0"})
        assert result.returncode != 0 and "book/10.001-scripted.md:29: body: warning: <script> element" in result.stderr


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("audience", ["internal", "public"])
def test_no_script_from_a_body_runs_in_chromium(scripted, audience, serve, page):
    root, kb = scripted
    site = root / f"site-{audience}"
    result = run_mkdocs(kb, site, audience=audience, strict=False, extra_env={"KB_PDF": "0"})
    assert result.returncode == 0, result.stderr
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(serve(site) + "/book/10.001-scripted/")
    page.wait_for_timeout(500)
    for selector in ("summary", "article a"):
        for element in page.locator(selector).all():
            element.hover()
    assert page.evaluate("window.__kbRan") is None and dialogs == []
    html = (site / "book" / "10.001-scripted" / "index.html").read_text(encoding="utf-8")
    assert "__kbRan" not in html.split('<article', 1)[1].split("</article>", 1)[0].replace(
        "this is a code sample", "")


SCRIPTED_SVG = ('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">\n'
                '<script>alert("svg")</script><rect width="10" height="10"/></svg>\n')


@pytest.mark.slow
def test_an_svg_image_that_would_run_script_stops_kb_check_and_both_builds(tmp_path):
    kb = project(tmp_path / "kb", {"index.md": "# Home\n", "book/index.md": "---\ntitle: Book\n---\n# Book\n",
                                   "book/10.001-a.md": article("10.001", "![diagram](diagram.svg)"),
                                   "book/diagram.svg": SCRIPTED_SVG})
    checked = run_kb(kb, "check")
    assert checked.returncode == 1 and "book/diagram.svg:3: file: <script> element: refused" in checked.stdout
    for audience in ("internal", "public"):
        site = tmp_path / audience
        result = run_mkdocs(kb, site, audience=audience, strict=False, extra_env={"KB_PDF": "0"})
        assert result.returncode != 0 and "book/diagram.svg" in result.stderr
        assert not (site / "book" / "diagram.svg").exists()


# The public hub publishes only what public pages use


def published_only_what_public_pages_use(root: Path) -> Path:
    pages: dict[str, str | bytes] = {
        "index.md": "# Home\n",
        "open/index.md": "---\ntitle: Open\n---\n# Open\n",
        "open/10.001-public.md": article("10.001", "![shared](shared.png)\n\n<img src=\"raw.png\" alt=\"raw\">"),
        "open/10.002-internal.md": article("10.002", "![internal](internal-only.png)", audience="internal"),
        "open/10.003-revised.md": article("10.003", "![new](draft-only.png)", status="draft", version="1.1"),
        "open/10.003-revised/v1.0.md": article("10.003", "The approved text."),
        "staff/index.md": "---\ntitle: Staff only\n---\n# Staff only\n\nSTAFFINDEX\n",
        "staff/20.001-runbook.md": article("20.001", "![photo](photo.png)", audience="internal"),
        "staff/howto.md": "# How we work\n\nSTAFFPLAIN\n",
        "declared/index.md": "---\ntitle: Announcements\naudience: public\n---\n# Announcements\n\n![logo](logo.png)\n",
    }
    for image in ("open/shared.png", "open/raw.png", "open/internal-only.png", "open/draft-only.png",
                  "staff/photo.png", "declared/logo.png"):
        pages[image] = PNG
    return project(root / "kb", pages)


def test_withheld_names_what_the_hub_leaves_out(tmp_path):
    from datetime import date

    from kb import corpus, publication, settings

    root = published_only_what_public_pages_use(tmp_path)
    kb = corpus.load(settings.load(root / "mkdocs.yml"), date(2026, 11, 26))
    paths = [p.relative_to(root / "docs").as_posix() for p in (root / "docs").rglob("*") if p.is_file()]
    paths = [p for p in paths if kb.by_path(p) is None or publication.served(kb, kb.by_path(p), "public") is not None]
    assert publication.withheld(kb, "internal", paths) == set()
    assert publication.withheld(kb, "public", paths, ["staff/photo.png"]) == {
        "authors.yml", "open/internal-only.png", "open/draft-only.png", "staff/index.md", "staff/howto.md"}


@pytest.mark.slow
def test_the_public_hub_publishes_only_what_public_pages_use(tmp_path):
    kb = published_only_what_public_pages_use(tmp_path)
    public, internal = tmp_path / "public", tmp_path / "internal"
    for audience, site in (("public", public), ("internal", internal)):
        result = run_mkdocs(kb, site, audience=audience, extra_env={"KB_PDF": "0"})
        assert result.returncode == 0, result.stderr
    assert (public / "open" / "shared.png").is_file() and (public / "open" / "raw.png").is_file()
    assert (public / "declared" / "index.html").is_file() and (public / "declared" / "logo.png").is_file()
    assert not (public / "open" / "internal-only.png").exists()  # only an internal article shows it
    assert not (public / "open" / "draft-only.png").exists()  # only the draft the hub does not serve shows it
    assert not (public / "staff").exists()  # a book with nothing public: index, plain page and image
    search = (public / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "STAFFINDEX" not in search and "STAFFPLAIN" not in search and "Staff only" not in search
    assert "staff/" not in (public / "index.html").read_text(encoding="utf-8")
    for path in ("open/internal-only.png", "open/draft-only.png", "staff/photo.png", "staff/howto/index.html",
                 "staff/index.html"):
        assert (internal / path).is_file(), path  # the internal KB keeps everything
    assert json.loads(search)["docs"]
