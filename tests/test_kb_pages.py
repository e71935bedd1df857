"""The KB's own pages as built: the review dashboard, the home page, the calendar and the catalogue, and a
public build that holds no trace of anything internal. Built from the fixture KB with a pinned today."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar
from playwright.sync_api import expect

from conftest import ROOT, TODAY, run_mkdocs
from fixture_kb import ARTICLES, INTERNAL_NUMBERS, PUBLIC_NUMBERS, SECRET, make_fixture_kb
from test_kb_browser import type_search

pytestmark = pytest.mark.slow  # builds the fixture KB and the repository KB


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    project = make_fixture_kb(tmp_path_factory.mktemp("pages-kb"))
    out = {}
    for audience in ("internal", "public"):
        site = tmp_path_factory.mktemp(f"pages-{audience}")
        # not strict: 10.001 is overdue on purpose, which is a warning
        result = run_mkdocs(project, site, audience=audience, strict=False)
        assert result.returncode == 0, result.stderr
        out[audience] = site
    return out


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


def test_dashboard_rows_sorted_by_urgency_with_every_column(sites):
    page = soup(sites["internal"] / "reviews" / "index.html")
    table = page.select_one("table.kb-reviews")
    assert [text(th) for th in table.select("thead th")] == [
        "Number", "Name", "Version", "Status", "Owner", "Approval date", "Review date", "Days left", "State"]
    rows = [[text(td) for td in tr.select("td")] for tr in table.select("tbody tr")]
    assert [r[0] for r in rows] == ["10.001", "10.005", "20.001", "10.002", "10.004", "10.003", "20.002"]
    assert rows[0] == ["10.001", "Overdue relay", "v1.0", "Current", "Neil Tancock", "01-MAR-2024", "14-NOV-2026",
                       "−12", "Overdue"]
    assert rows[2][2:4] == ["v1.1", "Draft"] and rows[2][8] == "Due"
    assert rows[5][1] == "Ok internal runbook Internal"  # the Internal mark
    assert rows[6][8] == "Not in force"


def test_dashboard_links_each_article_and_counts_on_top(sites):
    site = sites["internal"]
    page = soup(site / "reviews" / "index.html")
    counts = {li["class"][1].removeprefix("kb-count-"): text(li.select_one(".kb-count-n"))
              for li in page.select("ul.kb-counts li")}
    assert counts == {"overdue": "1", "due": "3", "ok": "2", "total": "7"}
    for link in page.select("table.kb-reviews tbody a"):
        assert (site / "reviews" / link["href"] / "index.html").resolve().is_file(), link["href"]


def test_home_page_lists_books_due_reviews_and_recent_changes(sites):
    internal = soup(sites["internal"] / "index.html")
    books = {text(li.select_one("a") or li).split(" ")[0]: text(li.select_one(".kb-home-meta"))
             for li in internal.select("ul.kb-books li")}
    assert books == {"Mail": "5 articles", "Phones": "2 articles"}
    links = {text(a): a["href"] for a in internal.select("ul.kb-books a")}
    assert links == {"Mail delivery": "mail/", "Phones": "phones/20.001-draft-dialplan/"}  # no index: first article
    due = [text(li) for li in internal.select(".kb-home-due li")]
    assert len(due) == 4 and due[0].startswith("Overdue 10.001 Overdue relay")
    recent = [text(li) for li in internal.select(".kb-home-recent li")]
    assert recent[0].startswith("24-NOV-2026 20.001 Draft dialplan Draft v1.1")

    public = soup(sites["public"] / "index.html")
    assert public.select(".kb-home-due") == []
    assert {text(li.select_one(".kb-home-meta")) for li in public.select("ul.kb-books li")} == {"3 articles", "1 article"}
    recent = text(public.select_one(".kb-home-recent"))
    assert "20.001 Draft dialplan v1.0: Approved" in recent and "v1.1" not in recent


def test_internal_only_article_carries_a_visible_internal_mark(sites):
    page = soup(sites["internal"] / "mail" / "10.003-ok-internal-runbook" / "index.html")
    notice = page.select_one(".kb-notice-internal")
    assert notice is not None and text(notice.select_one(".admonition-title")) == "Internal"
    public_article = soup(sites["internal"] / "mail" / "10.002-due-spf" / "index.html")
    assert public_article.select_one(".kb-notice-internal") is None


def test_calendar_in_the_internal_build_only(sites):
    cal = Calendar.from_ical((sites["internal"] / "reviews.ics").read_bytes())
    uids = sorted(str(e["uid"]).split("@")[0] for e in cal.walk("VEVENT"))
    assert uids == sorted(f"review-{n}" for n, spec in ARTICLES.items() if spec[2] in ("current", "draft"))
    assert not (sites["public"] / "reviews.ics").exists()
    assert not (sites["public"] / "reviews").exists()


def test_catalogue_matches_each_build(sites):
    for audience, numbers in (("internal", set(ARTICLES)), ("public", PUBLIC_NUMBERS)):
        data = json.loads((sites[audience] / "kb.json").read_text(encoding="utf-8"))
        assert {a["number"] for a in data["articles"]} == numbers
        for article in data["articles"]:
            path = article["url"].removeprefix(data["site_url"])  # each build at its own address
            assert (sites[audience] / path / "index.html").is_file(), article["url"]


def test_public_build_holds_no_trace_of_internal_articles(sites):
    site = sites["public"]
    leaks = []
    for path in site.rglob("*"):
        if not path.is_file() or path.suffix in (".png", ".gz", ".pdf") or "assets" in path.parts:
            continue
        content = path.read_text(encoding="utf-8", errors="replace")
        for trace in (SECRET, "DRAFTONLY", "Draft: new dial plan", "internal-runbook", "edge-today",
                      "withdrawn-fax", "Review dashboard", *INTERNAL_NUMBERS, "20.002"):
            if trace in content:
                leaks.append(f"{path.relative_to(site)}: {trace}")
    assert leaks == []
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert not any("10.003" in loc or "10.005" in loc or "reviews" in loc for loc in locations)
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "10.003" not in sitemap and "reviews" not in sitemap


def test_real_site_search_index_finds_65_043_by_number(built):
    index = json.loads((built("internal") / "search" / "search_index.json").read_text(encoding="utf-8"))
    separator = index["config"]["separator"]
    assert re.split(separator, "65.043 Emails") == ["65.043", "Emails"]
    assert any(doc["title"].startswith("65.043 ") for doc in index["docs"])


def test_real_public_build_has_no_dashboard_calendar_or_internal_page(built):
    site = built("public")
    assert not (site / "reviews.ics").exists() and not (site / "reviews").exists()
    data = json.loads((site / "kb.json").read_text(encoding="utf-8"))
    assert all(a["audience"] == "public" and a["status"] == "current" for a in data["articles"])
    assert "65.043" in {a["number"] for a in data["articles"]}


def test_real_calendar_uids_are_stable_across_builds(built, tmp_path):
    first = Calendar.from_ical((built("internal") / "reviews.ics").read_bytes())
    later = tmp_path / "later"
    assert run_mkdocs(ROOT, later, today="2027-03-01").returncode == 0
    second = Calendar.from_ical((later / "reviews.ics").read_bytes())
    uids = [str(e["uid"]) for e in first.walk("VEVENT")]
    assert "review-65.043@kb.safeharboursupport.com" in uids  # at the internal KB's host, like the calendar
    assert uids == [str(e["uid"]) for e in second.walk("VEVENT")]
    assert (built("internal") / "reviews.ics").read_bytes() == (later / "reviews.ics").read_bytes()
    assert TODAY != "2027-03-01"


# In the browser


@pytest.mark.browser
def test_dashboard_sorts_by_any_column_and_survives_instant_navigation(sites, serve, page):
    base = serve(sites["internal"])
    page.goto(base + "/")
    page.get_by_role("link", name="Review dashboard").first.click()  # instant navigation
    page.wait_for_url("**/reviews/")
    numbers = lambda: page.locator("table.kb-reviews tbody tr td:first-child").all_inner_texts()  # noqa: E731
    assert numbers()[0] == "10.001"
    heading = page.get_by_role("button", name="Number")
    heading.click()
    assert numbers() == sorted(ARTICLES)
    assert page.locator("th:has(button:text-is('Number'))").get_attribute("aria-sort") == "ascending"
    heading.click()
    assert numbers() == sorted(ARTICLES, reverse=True)
    page.get_by_role("button", name="Days left").click()
    assert numbers()[:2] == ["10.001", "10.005"] and numbers()[-1] == "20.002"
    page.get_by_role("button", name="Owner").click()
    owners = page.locator("table.kb-reviews tbody tr td:nth-child(5)").all_inner_texts()
    assert owners == sorted(owners)
    page.go_back()
    page.go_forward()
    expect(page.locator("table.kb-reviews")).to_be_visible()
    page.wait_for_timeout(300)
    expect(page.get_by_role("button", name="Number")).to_have_count(1)  # initialised once per page
    page.emulate_media(media="print")  # printed, the headings still head the columns
    expect(page.locator("table.kb-reviews thead")).to_contain_text("Days left")
    expect(page.get_by_role("button", name="Number")).to_be_visible()


@pytest.mark.browser
def test_search_finds_an_article_by_rejection_code(sites, serve, page):
    page.goto(serve(sites["internal"]) + "/")
    results = type_search(page, "CS01")
    assert results and results[0].startswith("10.002 Due spf")



def test_tags_page_lists_each_article_once_at_its_own_address(built):
    for audience in ("internal", "public"):
        page = soup(built(audience) / "tags" / "index.html")
        pairs = []
        for heading in page.select("article h2"):
            for link in heading.find_next_sibling("ul").select("a"):
                pairs.append((text(heading).rstrip(" ¶"), link["href"]))
        assert ("icloud", "../apple-icloud/65.043-emails-to-icloud-rejected/") in pairs, audience
        assert len(pairs) == len(set(pairs)), audience  # an archived version is not listed beside its article
        assert not any(re.search(r"/v\d+\.\d+/", href) for _, href in pairs), audience
