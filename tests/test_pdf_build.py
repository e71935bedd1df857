"""The PDFs `make publish` writes, read back with pypdf; the cache across publishes; failures; browser printing."""

from __future__ import annotations

import io
import os
import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from conftest import BIN, ROOT, TODAY, copy_project, run_kb

pytestmark = pytest.mark.slow  # builds sites with PDFs

ARTICLE = "apple-icloud/65.043-emails-to-icloud-rejected/"
TITLE = "65.043 Emails being sent to icloud.com addresses being rejected"
FIXTURE = ROOT / "tests" / "fixtures" / "pdf" / "50.001-print-me.md"
UNCONTROLLED = "Uncontrolled when printed — check the knowledge base for the current version"


def words(text: str) -> str:
    return " ".join(text.split())


def publish(project: Path, site: Path, today: str = TODAY, **env: str) -> subprocess.CompletedProcess[str]:
    """`make publish` in `project`, with MkDocs' INFO lines (the PDF summary) kept."""
    env = {**os.environ, "KB_AUDIENCE": "public", "KB_TODAY": today, "NO_MKDOCS_2_WARNING": "1", **env}
    return subprocess.run([str(BIN / "mkdocs"), "build", "--strict", "-d", str(site)], capture_output=True,
                          text=True, env=env, cwd=project)


def summary(result: subprocess.CompletedProcess[str]) -> str:
    match = re.search(r"PDFs: .*", result.stderr)
    assert match, result.stderr
    return match.group(0)


def fixture_project(tmp_path: Path) -> Path:
    """A KB holding only 50.001, a public current article."""
    project = copy_project(tmp_path / "kb", with_docs=False)
    (project / "docs" / "print").mkdir()
    (project / "docs" / "print" / FIXTURE.name).write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    return project


def published_pdf(site: Path) -> tuple[Path, str]:
    """The 65.043 PDF the public page links, and the version it is of (the hub may serve an approved copy)."""
    page = BeautifulSoup((site / ARTICLE / "index.html").read_text(), "html.parser")
    link = page.select_one(".kb-pdf-link a")
    assert words(link.get_text()) == "Download PDF"
    return (site / ARTICLE / link["href"]).resolve(), page.select_one(".kb-article")["data-kb-version"]


def margins(page) -> tuple[str, str]:
    """The text in the page's top and bottom margins (the running header and the footer)."""
    top, bottom = [], []
    height = float(page.mediabox.height)

    def visit(text, cm, tm, font, size):
        y = tm[5] * cm[3] + cm[5]
        (top if y > height - 70 else bottom if y < 60 else []).append(text)

    page.extract_text(visitor_text=visit)
    return words(" ".join(top)), words(" ".join(bottom))


def uris(reader: PdfReader) -> set[str]:
    return {annotation.get_object()["/A"]["/URI"] for page in reader.pages for annotation in page.get("/Annots", [])
            if "/URI" in annotation.get_object().get("/A", {})}


def test_the_published_article_links_its_pdf(built):
    site = built("public")
    path, version = published_pdf(site)
    assert path == (site / "pdf" / f"65.043-v{version}.pdf").resolve() and path.is_file()


def test_the_pdf_is_a_controlled_copy(built):
    path, version = published_pdf(built("public"))
    reader = PdfReader(path)
    meta = reader.metadata
    assert meta.title == TITLE and meta.author == "Neil Tancock"
    assert meta.subject.startswith("This document lays out what to do if emails being sent to @icloud.com")
    assert meta["/Keywords"] == "icloud, email, deliverability"
    pages = [words(page.extract_text()) for page in reader.pages]
    for number, (page, text) in enumerate(zip(reader.pages, pages), 1):
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)  # A4
        header, footer = margins(page)
        assert header == f"{TITLE} Version {version}"
        assert footer == f"{UNCONTROLLED} Printed 26-NOV-2026 Page {number} of {len(pages)}"
        assert "Superseded" not in text
    first = pages[0]
    for row in ("Document Control", "Document Name", f"Version v{version} Current", "Approval date",
                "Review date", "Change Control", "START OF DOCUMENT"):
        assert row in first
    everything = " ".join(pages)
    assert "Your company name" in everything and "END OF DOCUMENT" in everything
    assert "Need help? Get in touch!" in everything
    # the form's checklist is there; its inputs, buttons and site chrome are not
    for absent in ("Download PDF", "Copy email text", "Open in email app", "Skip to content", "Search"):
        assert absent not in everything
    assert {"mailto:neil@safeharboursupport.com", "https://kite.wildix.com/nc-a12/3001"} <= uris(reader)
    assert any(uri.startswith("mailto:icloudadmin@apple.com?subject=") for uri in uris(reader))
    fonts = {font["/BaseFont"].split("+")[-1]: font for page in reader.pages
             for font in page["/Resources"]["/Font"].get_object().values()}
    assert fonts and all(font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get("/FontFile2")
                         for font in fonts.values())  # embedded


def test_internal_builds_have_no_pdfs_and_no_link(built):
    site = built("internal")
    assert not (site / "pdf").exists()
    assert "Download PDF" not in (site / ARTICLE / "index.html").read_text()


def test_publish_reuses_unchanged_pdfs_and_a_broken_article_fails_alone(tmp_path):
    project = fixture_project(tmp_path)
    assert summary(publish(project, tmp_path / "one")).startswith("PDFs: 1 rendered, 0 reused")
    second = publish(project, tmp_path / "two")
    assert second.returncode == 0 and summary(second).startswith("PDFs: 0 rendered, 1 reused")
    assert (tmp_path / "two" / "pdf" / "50.001-v1.0.pdf").read_bytes() == \
        (tmp_path / "one" / "pdf" / "50.001-v1.0.pdf").read_bytes()

    broken = FIXTURE.read_text().replace('number: "50.001"', 'number: "50.002"').replace(
        "Print the article", '<img src="screenshot-that-was-never-added.png" alt="Rejection">\n\nPrint the article')
    (project / "docs" / "print" / "50.002-broken.md").write_text(broken, encoding="utf-8")
    third = publish(project, tmp_path / "three")
    assert third.returncode != 0
    assert re.search(r"ERROR\s+-\s+print/50\.002-broken\.md: PDF: Failed to load image at "
                     r"'[^']*screenshot-that-was-never-added\.png'", third.stderr), third.stderr
    assert summary(third).startswith("PDFs: 0 rendered, 1 reused, 1 failed")
    assert sorted(p.name for p in (tmp_path / "three" / "pdf").iterdir()) == ["50.001-v1.0.pdf"]


def test_a_superseded_version_or_a_draft_says_so_on_every_page(tmp_path):
    project = fixture_project(tmp_path)
    assert run_kb(project, "revise", "50.001", "--change", "Clearer steps", "--author", "neil").returncode == 0
    internal = publish(project, tmp_path / "internal", KB_AUDIENCE="internal", KB_PDF="1")
    assert internal.returncode == 0, internal.stderr
    draft = PdfReader(tmp_path / "internal" / "pdf" / "50.001-v1.1.pdf")
    assert all(margins(page)[0] == "50.001 Printing a controlled copy Version 1.1 Draft" for page in draft.pages)

    assert run_kb(project, "approve", "50.001", "--by", "Safeharbour Support").returncode == 0
    result = publish(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    old = PdfReader(tmp_path / "site" / "pdf" / "50.001-v1.0.pdf")
    assert all(margins(page)[0] == "50.001 Printing a controlled copy Version 1.0 Superseded" for page in old.pages)
    new = PdfReader(tmp_path / "site" / "pdf" / "50.001-v1.1.pdf")
    assert not any("Superseded" in page.extract_text() for page in new.pages)
    assert "Version 1.1" in new.pages[0].extract_text()


def test_browser_printing_keeps_the_document_and_drops_the_chrome(built, serve, page):
    page.goto(serve(built("public")) + "/" + ARTICLE)
    page.evaluate("""() => {  // a collapsed block, as authors write them with ??? in Markdown
        const details = document.createElement('details');
        details.innerHTML = '<summary>More detail</summary><p>Hidden until opened</p>';
        document.querySelector('.kb-body').append(details);
    }""")
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.md-header', '.md-sidebar--primary', '.md-footer', '.md-search', '.kb-pdf-link']
        .filter(s => document.querySelector(s)).map(s => getComputedStyle(document.querySelector(s)).display)""")
    assert hidden and set(hidden) == {"none"}
    assert page.evaluate("getComputedStyle(document.querySelector('.kb-table-wrap')).overflowX") == "visible"
    reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    text = words(" ".join(p.extract_text() for p in reader.pages))
    order = [text.index(marker) for marker in ("Document Control", "Change Control", "START OF DOCUMENT",
                                                "Your company name", "END OF DOCUMENT", "Need help? Get in touch!")]
    assert order == sorted(order)
    assert "Approval date 26-FEB-2025" in text and "Hidden until opened" in text
    assert "(mailto:icloudadmin@apple.com" in text and "(https://kite.wildix.com/nc-a12/3001)" not in text
    for chrome in ("Skip to content", "Download PDF", "Back to top", "Made with"):
        assert chrome not in text
    assert not text.startswith("Safeharbour Support Knowledge Base")
