"""Accessibility across the site (axe-core, Material's chrome included) and keyboard-only use."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import copy_project, run_kb, run_mkdocs
from test_versions import ARTICLE as FIXTURE_ARTICLE, URL as FIXTURE_URL

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTICLE = "apple-icloud/65.043-emails-to-icloud-rejected/"
PAGES = ["", ARTICLE, ARTICLE + "v1.0/", "reviews/", "tags/"]


def serious(page) -> list[str]:
    result = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in result.response["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_violation(built, serve, page, path):
    page.goto(f"{serve(built('internal'))}/{path}")
    page.wait_for_timeout(300)
    assert serious(page) == []


@pytest.fixture(scope="module")
def superseded_site(tmp_path_factory) -> Path:
    """A KB where version 1.0 of an article has been superseded by 1.1."""
    from test_rules import CASES

    root = tmp_path_factory.mktemp("superseded")
    project = copy_project(root / "kb", with_docs=False)
    (project / FIXTURE_ARTICLE).parent.mkdir(parents=True)
    (project / FIXTURE_ARTICLE).write_text(CASES[0]["article"], encoding="utf-8")
    assert run_kb(project, "revise", "10.001", "--change", "Cover MFA", "--author", "neil",
                  today="2026-11-20").returncode == 0
    assert run_kb(project, "approve", "10.001", "--by", "Boss", today="2026-11-26").returncode == 0
    assert run_mkdocs(project, root / "site").returncode == 0
    return root / "site"


def test_superseded_page_has_no_serious_violation(superseded_site, serve, page):
    page.goto(f"{serve(superseded_site)}/{FIXTURE_URL}v1.0/")
    assert page.locator(".kb-notice-superseded .admonition-title").inner_text() == "Superseded"
    assert serious(page) == []


def test_version_selector_by_keyboard(superseded_site, serve, page):
    page.goto(f"{serve(superseded_site)}/{FIXTURE_URL}")
    summary = page.locator(".kb-version-list > summary")
    for _ in range(60):  # Tab from the top of the page until the selector has focus
        page.keyboard.press("Tab")
        if summary.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("the version selector cannot be reached with Tab")
    page.keyboard.press("Enter")
    assert page.locator(".kb-version-list").evaluate("element => element.open")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "v1.0"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{FIXTURE_URL}v1.0/")


def test_ticket_form_by_keyboard(built, serve, page):
    page.goto(f"{serve(built('internal'))}/{ARTICLE}")
    form = page.locator("section.kb-form")
    form.get_by_label("Company name").wait_for()
    form.get_by_label("Company name").focus()
    values = ["Safeharbour Support", "safeharboursupport.com", "81.2.69.142",
              "554 5.7.1 [CS01] Message rejected due to local policy", "Mail to iCloud bounces.", "Today"]
    for value in values:  # type, then Tab on to the next field as a keyboard user does
        page.keyboard.type(value)
        page.keyboard.press("Tab")
        while page.evaluate("document.activeElement.matches('input, textarea')") is False:
            if page.evaluate("document.activeElement.matches('a[href^=\"mailto:\"], button')"):
                break
            page.keyboard.press("Tab")
    link = form.get_by_role("link", name="Open in email app")
    for _ in range(10):
        if link.evaluate("element => element === document.activeElement"):
            break
        page.keyboard.press("Tab")
    assert link.evaluate("element => element === document.activeElement")
    assert link.get_attribute("href").startswith("mailto:icloudadmin@apple.com?subject=")


def test_a_printed_superseded_page_says_so(superseded_site, serve, page):
    page.emulate_media(media="print")
    page.goto(f"{serve(superseded_site)}/{FIXTURE_URL}v1.0/")
    banner = page.locator(".kb-notice-superseded")
    assert banner.is_visible() and "superseded and must not be used" in banner.inner_text()
    assert not page.locator(".md-header").is_visible()
