"""kb.pdf without MkDocs: documents in, PDFs out; the cache, the parallel path and every way a render fails."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ROOT
from kb import pdf

CSS = (ROOT / "overrides" / "kb" / "pdf.css").read_text(encoding="utf-8")
SITE_URL = "https://hub.example.com/"
PNG = base64.b64decode(  # a 1x1 red pixel
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==")


def document(title: str, body: str = "<p>Body text.</p>") -> str:
    return (f'<!doctype html><html><head><title>{title}</title><meta name="author" content="Jo Marsh"></head>'
            f'<body data-kb-running="{title}" data-kb-version="Version 1.0" data-kb-printed="Printed 26-NOV-2026">'
            f'<h1>{title}</h1>{body}</body></html>')


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "book" / "a").mkdir(parents=True)
    (site / "book" / "a" / "diagram.png").write_bytes(PNG)
    return site


def job(site: Path, name: str, body: str = "<p>Body text.</p>") -> pdf.Job:
    return pdf.Job(source=f"book/{name}.md", html=document(name, body), target=site / "pdf" / f"{name}.pdf",
                   base_url=f"{SITE_URL}book/{name}/")


def render(site: Path, jobs: list[pdf.Job], cache: Path | None = None, workers: int = 1) -> pdf.Report:
    return pdf.render_all(jobs, css=CSS, site_dir=site, site_url=SITE_URL, cache_dir=cache, workers=workers)


def test_pdfs_come_with_the_public_build_and_on_request():
    assert pdf.enabled("public", {}) and not pdf.enabled("internal", {})
    assert pdf.enabled("internal", {"KB_PDF": "1"}) and not pdf.enabled("public", {"KB_PDF": "0"})
    with pytest.raises(pdf.PdfSettingError, match="KB_PDF='maybe'"):
        pdf.enabled("public", {"KB_PDF": "maybe"})


def test_a_document_becomes_an_a4_pdf_with_its_header_footer_and_metadata(site):
    report = render(site, [job(site, "a", '<p><img src="diagram.png" alt="A diagram"></p><p>Body text.</p>')])
    assert (report.rendered, report.reused, report.failed) == (1, 0, [])
    reader = PdfReader(site / "pdf" / "a.pdf")
    assert reader.metadata.title == "a" and reader.metadata.author == "Jo Marsh"
    for number, page in enumerate(reader.pages, 1):
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)  # A4 in points
        text = page.extract_text()
        assert "Version 1.0" in text and f"Page {number} of {len(reader.pages)}" in text
        assert "Uncontrolled when printed — check the knowledge base for the current version" in text
    assert "Body text." in reader.pages[0].extract_text()


def test_an_unchanged_document_is_reused_and_a_changed_image_is_rendered_again(site, tmp_path):
    cache = tmp_path / "cache"
    jobs = [job(site, "a", '<img src="diagram.png" alt="A diagram">'), job(site, "b")]
    assert (render(site, jobs, cache).rendered, render(site, jobs, cache).reused) == (2, 2)
    (site / "pdf" / "a.pdf").unlink()  # a fresh site folder, as every build has
    again = render(site, jobs, cache)
    assert (again.rendered, again.reused) == (0, 2) and (site / "pdf" / "a.pdf").is_file()
    (site / "book" / "a" / "diagram.png").write_bytes(PNG + b"\0")  # same page, new picture
    changed = render(site, jobs, cache)
    assert [o.job.source for o in changed.outcomes if o.rendered] == ["book/a.md"]
    edited = render(site, [jobs[0], job(site, "b", "<p>New text.</p>")], cache)
    assert [o.job.source for o in edited.outcomes if o.rendered] == ["book/b.md"]


def test_an_image_that_cannot_be_loaded_fails_that_article_only(site):
    report = render(site, [job(site, "a", '<img src="missing.png" alt="gone">'), job(site, "b")])
    [failed] = report.failed
    assert failed.job.source == "book/a.md"
    assert "Failed to load image" in failed.error and "missing.png" in failed.error
    assert not (site / "pdf" / "a.pdf").exists() and (site / "pdf" / "b.pdf").is_file()


def test_nothing_is_fetched_from_the_network(site):
    report = render(site, [job(site, "a", '<img src="https://cdn.example.org/logo.png" alt="logo">')])
    [outcome] = report.outcomes
    assert report.failed == [] and outcome.rendered  # refused: a warning naming the article, without the image
    [warning] = outcome.warnings
    assert "cdn.example.org" in warning and "refused" in warning and "network" in warning


def test_a_missing_font_is_an_error_naming_each_article(site):
    css = CSS.replace("DejaVuSans.ttf", "NoSuchFont.ttf")
    report = pdf.render_all([job(site, "a")], css=css, site_dir=site, site_url=SITE_URL, workers=1)
    [failed] = report.failed
    assert failed.job.source == "book/a.md" and "Font-face 'KB Sans' cannot be loaded" in failed.error
    assert "Failed to load font at 'file:///usr/share/fonts/truetype/dejavu/NoSuchFont.ttf'" in failed.error


def test_a_page_that_fails_to_render_leaves_the_others_in_parallel_too(site):
    (site / "pdf").mkdir()
    (site / "pdf" / "c.pdf").mkdir()  # the PDF cannot be written where it belongs
    jobs = [job(site, name) for name in "abcdef"]
    report = render(site, jobs, workers=2)
    assert [o.job.source for o in report.failed] == ["book/c.md"]
    assert "could not be rendered" in report.failed[0].error
    assert report.rendered == 5 and all((site / "pdf" / f"{n}.pdf").is_file() for n in "abdef")
    assert report.summary().startswith("PDFs: 5 rendered, 0 reused, 1 failed (6 articles")


def test_cache_entries_no_publish_used_for_a_month_are_removed(site, tmp_path):
    cache = tmp_path / "cache"
    render(site, [job(site, "a")], cache)
    [manifest] = cache.glob("*.json")
    os.utime(manifest, (0, 0))  # last used long ago
    render(site, [job(site, "b")], cache)
    assert not manifest.exists() and not manifest.with_suffix(".pdf").exists()
    assert len(list(cache.glob("*.pdf"))) == 1
