"""The real site in Chromium: search by document number and by rejection code as a reader types them, every
request staying on 127.0.0.1, and the offline copy opened from a folder with no server."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ROOT, copy_project, run_mkdocs

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTICLE = "apple-icloud/65.043-emails-to-icloud-rejected/"
TITLE = "65.043 Emails being sent to icloud.com addresses being rejected"


def type_search(page, query: str, delay: int = 60) -> list[str]:
    """Type `query` into Material's search box key by key; the titles of the results shown."""
    box = page.locator("input[data-md-component='search-query']")
    box.click()
    box.fill("")
    box.press_sequentially(query, delay=delay)
    page.wait_for_function("/matching|No matching/.test(document.querySelector('.md-search-result__meta').textContent)")
    page.wait_for_timeout(250)  # the last keystroke's results
    return [" ".join(t.split()) for t in page.locator(".md-search-result__item > a h1").all_inner_texts()]


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_search_finds_the_article_by_its_number_as_typed(built, serve, page, audience):
    page.goto(serve(built(audience)) + "/")
    for typed in ("65.0", "65.043"):
        results = type_search(page, typed)
        assert results and results[0] == TITLE, (typed, results)
    page.locator(".md-search-result__item > a").first.click()
    page.wait_for_url(f"**/{ARTICLE}**")
    assert page.locator("h1.kb-title").inner_text() == TITLE


def test_search_finds_the_article_by_rejection_code(built, serve, page):
    page.goto(serve(built("internal")) + "/")  # the codes are in the 1.1 draft, which only staff see
    results = type_search(page, "CS01")
    assert results and results[0].startswith("65.043 ")


def record_requests(page, base: str, paths: list[str]) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    for path in paths:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
    type_search(page, "icloud", delay=20)  # the search worker and index load too
    return seen


def test_no_request_leaves_127_0_0_1(built, serve, browser):
    pages = {"internal": ["/", "/reviews/", "/tags/", f"/{ARTICLE}", "/kb/65.043/", "/404.html", "/apple-icloud/"],
             "public": ["/", "/tags/", f"/{ARTICLE}", "/kb/65.043/"]}
    for audience, paths in pages.items():
        context = browser.new_context()
        page = context.new_page()
        seen = record_requests(page, serve(built(audience)), paths)
        context.close()
        assert len(seen) > 10
        elsewhere = [url for url in seen if urlsplit(url).scheme not in ("data", "blob")
                     and urlsplit(url).hostname != "127.0.0.1"]
        assert elsewhere == [], (audience, elsewhere)


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("site-offline")
    result = run_mkdocs(ROOT, site, extra_env={"KB_OFFLINE": "true"})
    assert result.returncode == 0, result.stderr
    return site


def test_offline_copy_opens_from_a_folder_with_search_and_sorting(offline_site, page):
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.goto((offline_site / "index.html").as_uri())
    results = type_search(page, "65.043")
    assert results and results[0] == TITLE
    page.locator(".md-search-result__item > a").first.click()
    page.wait_for_url("**/65.043-emails-to-icloud-rejected.html*")
    assert page.locator("h1.kb-title").inner_text() == TITLE
    page.goto((offline_site / "reviews.html").as_uri())
    page.get_by_role("button", name="Review date").click()
    assert page.locator("th:has(button:text-is('Review date'))").get_attribute("aria-sort") == "ascending"
    assert [url for url in seen if not url.startswith("file://")] == []
    html = (offline_site / "index.html").read_text(encoding="utf-8")
    assert "unpkg.com" not in html and '"navigation.instant"' not in html


def test_an_asset_on_another_host_fails_the_strict_build(tmp_path):
    project = copy_project(tmp_path / "kb", with_docs=False)
    (project / "docs" / "index.md").write_text("# Home\n\n![Logo](https://cdn.example.com/logo.png)\n", encoding="utf-8")
    result = run_mkdocs(project, tmp_path / "site")
    assert result.returncode != 0
    assert "External file: https://cdn.example.com/logo.png" in result.stderr
