"""The review dashboard in Chromium: on a 390 px phone each article's review date and state are on screen
without scrolling sideways; the sort script, which only the dashboard loads, works after instant navigation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import run_mkdocs
from fixture_kb import ARTICLES, make_fixture_kb

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("dashboard-browser")
    project = make_fixture_kb(root / "kb")
    result = run_mkdocs(project, root / "site", strict=False)  # the fixture KB has overdue articles on purpose
    assert result.returncode == 0, result.stderr
    return root / "site"


def test_on_a_phone_every_review_date_and_state_is_on_screen(site, serve, browser, tmp_path):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    try:
        page.goto(serve(site) + "/reviews/")
        headings = [h.strip() for h in page.locator("table.kb-reviews thead th").all_inner_texts()]
        wanted = {name: headings.index(name) + 1 for name in ("Number", "Name", "Review date", "State")}
        rows = page.locator("table.kb-reviews tbody tr")
        assert rows.count() == len(ARTICLES)
        for index in range(rows.count()):
            for name, column in wanted.items():
                cell = rows.nth(index).locator(f"td:nth-child({column})")
                assert cell.is_visible(), f"row {index}: {name} is hidden"
                box = cell.bounding_box()
                assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], f"row {index}: {name} is off screen"
                assert cell.evaluate("c => c.scrollWidth <= c.clientWidth"), f"row {index}: {name} is cut off"
            state = rows.nth(index).locator(f"td:nth-child({wanted['State']})").inner_text()
            assert state in ("OK", "Due", "Overdue", "Not in force")
        overflow = page.evaluate("""() => [...document.querySelectorAll('.kb-table-wrap'), document.documentElement]
                                    .map(e => e.scrollWidth - e.clientWidth)""")
        assert max(overflow) <= 0, "the page scrolls sideways"
        page.screenshot(path=str(tmp_path / "dashboard-390.png"), full_page=True)
    finally:
        context.close()


def test_sorting_works_after_instant_navigation_to_the_dashboard(site, serve, page):
    base = serve(site)

    # Instant navigation follows only the sitemap's addresses, which name the published host: point them here.
    def sitemap(route):
        response = route.fetch()
        route.fulfill(response=response, body=re.sub(r"<loc>https?://[^/<]+/", f"<loc>{base}/", response.text()))

    page.route("**/sitemap.xml", sitemap)
    page.goto(base + "/")
    page.wait_for_load_state("networkidle")
    assert page.locator("script[src$='kb-sortable.js']").count() == 0  # only the dashboard loads it
    page.evaluate("window.kbStillHere = true")  # survives only if the page is not reloaded
    page.get_by_role("link", name="Review dashboard").first.click()
    page.wait_for_url("**/reviews/")
    assert page.evaluate("window.kbStillHere") is True
    page.get_by_role("button", name="Number").click()
    numbers = page.locator("table.kb-reviews tbody tr td:first-child").all_inner_texts()
    assert numbers == sorted(ARTICLES)
    assert page.locator("table.kb-reviews th", has_text="Number").get_attribute("aria-sort") == "ascending"
