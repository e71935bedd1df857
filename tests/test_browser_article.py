"""Article 65.043 in a real Chromium: what a reader sees, on a desktop and on a phone."""

from __future__ import annotations

import pytest

from test_site import ARTICLE, TITLE

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_reader_sees_title_tables_body_and_contact(built, serve, page):
    base = serve(built("public"))
    page.goto(f"{base}/kb/65.043/")
    page.wait_for_url(f"{base}/{ARTICLE.removesuffix('index.html')}")
    assert page.locator("h1").inner_text() == TITLE
    dc = page.locator("table.kb-dc")
    assert dc.locator("tr", has_text="Version").locator("td").inner_text() == "v1.0 Current"
    assert dc.locator("td", has_text="26-FEB-2025").is_visible()
    assert page.locator("table.kb-cc tbody tr").count() >= 2
    assert page.get_by_text("START OF DOCUMENT").is_visible()
    assert page.get_by_text("END OF DOCUMENT").is_visible()
    assert page.get_by_role("heading", name="Need help? Get in touch!").is_visible()


def test_phone_width_keeps_the_tables_readable(built, serve, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    page = context.new_page()
    page.goto(f"{serve(built('public'))}/{ARTICLE}")
    viewport = page.viewport_size["width"]
    for selector in ("table.kb-dc", "table.kb-cc", ".kb-contact"):
        box = page.locator(selector).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport + 1, selector
    context.close()
