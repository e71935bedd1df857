"""Hostile input stays text: every metadata field an author writes, through every output of both builds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import copy_project, run_kb, run_mkdocs

pytestmark = pytest.mark.slow  # builds hostile KBs

HOSTILE = {
    "name": "<script>alert('name')</script> Hostile name",
    "abstract": "<img src=x onerror=alert('abstract')> abstract",
    "scope": "javascript:alert('scope') [click](javascript:alert('md')) scope",
    "inputs": "{{ 7 * 7 }} {% raw %} inputs",
    "outputs": "**bold** <b onmouseover=alert('outputs')>b</b> outputs",
    "approval": "\"><svg onload=alert('approval')> approval",
    "change": "\u202eevil bidi \u202c <iframe src=javascript:alert('change')></iframe> " + "x" * 3000,
}
AUTHOR = {"name": "<script>alert('author')</script> Mallory", "team": "Team \"><svg onload=alert('team')>",
          "email": "mallory@example.com"}
NUMBER = "66.666"
PAGE = "evil/66.666-hostile"


def article() -> str:
    meta = {
        "document_control": {
            "number": NUMBER, "name": HOSTILE["name"], "version": "1.0", "status": "current", "author": "mallory",
            "approval": HOSTILE["approval"], "approval_date": "2026-01-10", "review_date": "2027-01-05",
            "abstract": HOSTILE["abstract"], "scope": HOSTILE["scope"], "inputs": HOSTILE["inputs"],
            "outputs": HOSTILE["outputs"], "audience": "public"},
        "change_control": [{"date": "2026-01-10", "author": "mallory", "version": "1.0", "change": HOSTILE["change"]}],
        "tags": ["hostile"],
    }
    text = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000)
    text = text.replace("'2026-01-10'", "2026-01-10").replace("'2027-01-05'", "2027-01-05")
    return f"---\n{text}---\n\nA plain body.\n"


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    project = copy_project(root / "kb")
    authors = project / "docs" / "authors.yml"
    authors.write_text(authors.read_text() + "\n" + yaml.safe_dump({"mallory": AUTHOR}, allow_unicode=True))
    (project / "docs" / "evil").mkdir()
    (project / "docs" / "evil" / "66.666-hostile.md").write_text(article(), encoding="utf-8")
    checked = run_kb(project, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = {}
    for audience in ("internal", "public"):
        result = run_mkdocs(project, root / audience, audience=audience)
        assert result.returncode == 0, result.stderr
        built[audience] = root / audience
    return built


def pages(site: Path) -> list[Path]:
    return [site / PAGE / "index.html", site / "index.html"] + \
        [p for p in (site / "reviews" / "index.html", site / "tags" / "index.html") if p.exists()]


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_html_keeps_every_field_as_text(sites, audience):
    site = sites[audience]
    html = (site / PAGE / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        for attribute in tag.attrs:
            assert not attribute.startswith("on"), (tag.name, attribute)
    assert not soup.select(".kb-article iframe, .kb-article img, .kb-article b")
    assert not [s for s in soup.find_all("script") if "alert" in (s.string or "")]
    dc = soup.select_one("table.kb-dc").get_text()
    for field in ("name", "abstract", "scope", "inputs", "outputs", "approval"):
        assert HOSTILE[field] in dc, field
    assert "49" not in dc  # Jinja in a value is never evaluated
    assert not soup.select(".kb-article a[href^='javascript']")
    assert HOSTILE["change"] in soup.select_one("table.kb-cc").get_text()
    assert AUTHOR["name"] in dc and AUTHOR["team"] in dc
    title = soup.select_one("title").get_text()
    assert HOSTILE["name"] in title


def test_search_index_catalogue_and_calendar_keep_text(sites):
    for audience, site in sites.items():
        index = (site / "search" / "search_index.json").read_text()
        assert "<script>alert" not in index and "onerror=alert" not in index
        catalogue = json.loads((site / "kb.json").read_text())
        entries = catalogue["articles"] if isinstance(catalogue, dict) else catalogue
        entry = next(e for e in entries if e["number"] == NUMBER)
        assert entry["name"] == HOSTILE["name"]
    from icalendar import Calendar

    calendar = Calendar.from_ical((sites["internal"] / "reviews.ics").read_bytes())
    summaries = [str(event.get("summary")) for event in calendar.walk("VEVENT")]
    assert any(HOSTILE["name"] in summary for summary in summaries)


def test_pdf_keeps_text(sites):
    from pypdf import PdfReader

    pdfs = list((sites["public"] / "pdf").glob(f"{NUMBER}*.pdf"))
    assert pdfs, "no PDF for the hostile article"
    text = " ".join(page.extract_text() for page in PdfReader(pdfs[0]).pages)
    assert "<script>alert('name')</script>" in " ".join(text.split())


@pytest.mark.browser
@pytest.mark.parametrize("audience", ["internal", "public"])
def test_nothing_executes_and_the_layout_holds(sites, audience, serve, browser):
    base = serve(sites[audience])
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for path in pages(sites[audience]):
        url = base + "/" + path.relative_to(sites[audience]).as_posix().removesuffix("index.html")
        page.goto(url)
        page.wait_for_timeout(300)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, (url, overflow)
    page.goto(base + "/" + PAGE + "/")
    page.keyboard.press("/")  # Material's search shortcut; the hostile title shows in the results
    page.locator("input.md-search__input").press_sequentially("Hostile", delay=30)
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    assert dialogs == []
    context.close()


def test_nul_bytes_and_hostile_tags_are_findings_not_crashes(tmp_path):
    project = copy_project(tmp_path / "kb", with_docs=False)
    (project / "docs" / "a").mkdir()
    (project / "docs" / "a" / "nul.md").write_text(article().replace("A plain body.", "x").replace(
        "Hostile name", "Hostile\x00name"), encoding="utf-8")
    (project / "docs" / "a" / "tags.md").write_text(article().replace(NUMBER, "66.667").replace(
        "- hostile", "- <script>alert(1)</script>"), encoding="utf-8")
    authors = project / "docs" / "authors.yml"
    authors.write_text(authors.read_text() + "\n" + yaml.safe_dump({"mallory": AUTHOR}))
    result = run_kb(project, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "a/nul.md:" in result.stdout and "a/tags.md:" in result.stdout and "tags[1]" in result.stdout
    built = run_mkdocs(project, tmp_path / "site")
    assert built.returncode == 1 and "Traceback" not in built.stderr and "a/nul.md" in built.stderr
