"""The real site, built as `make build` / `make publish` build it, read the way a reader meets it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, copy_project, run_mkdocs

pytestmark = pytest.mark.slow  # builds whole sites

ARTICLE = "apple-icloud/65.043-emails-to-icloud-rejected/index.html"
TITLE = "65.043 Emails being sent to icloud.com addresses being rejected"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


def document_control(page: BeautifulSoup) -> dict[str, str]:
    table = page.select_one("table.kb-dc")
    cells = {}
    for header in table.select("th[scope=row]"):
        cells[text(header)] = text(header.find_next_sibling("td"))
    return cells


def test_public_page_shows_the_document_control_of_the_original(built):
    page = soup(built("public") / ARTICLE)
    assert text(page.select_one("h1")) == TITLE
    assert document_control(page) == {
        "Document Name": TITLE,
        "Version": "v1.0 Current",
        "Author": "Neil Tancock, IT Services (Safeharbour Support Ltd), <neil@safeharboursupport.com>",
        "Approval": "Safeharbour Support",
        "Approval date": "26-FEB-2025",
        "Review date": "25-FEB-2028",
        "Abstract": "This document lays out what to do if emails being sent to @icloud.com from your domain "
                    "are being rejected",
        "Scope": "This document applies to anyone sending emails to @icloud.com email addresses",
        "Inputs": "None",
        "Outputs": "None",
    }
    mail = page.select_one("table.kb-dc a[href^='mailto:']")
    assert mail["href"] == "mailto:neil@safeharboursupport.com"


def test_change_control_rows(built):
    page = soup(built("public") / ARTICLE)
    table = page.select_one("table.kb-cc")
    assert [text(th) for th in table.select("thead th")] == ["Date", "Author", "Version", "Change"]
    rows = [[text(td) for td in tr.select("td")] for tr in table.select("tbody tr")]
    assert rows[:2] == [["26-FEB-2025", "Neil Tancock", "0.0", "First version"],
                        ["26-FEB-2025", "Neil Tancock", "1.0", "Approved"]]


def test_body_sits_between_the_markers_and_the_contact_block_follows(built):
    page = soup(built("public") / ARTICLE)
    article = page.select_one(".kb-article")
    order = [el.get("id") or el.get("class")[0] for el in article.select("#start-of-document, .kb-body, "
                                                                        "#end-of-document, .kb-contact")]
    assert order == ["start-of-document", "kb-body", "end-of-document", "kb-contact"]
    body = text(article.select_one(".kb-body"))
    assert body.startswith("Occasionally, the @icloud.com email servers will start rejecting emails")
    assert "A detailed description of the issue, including when it started" in body
    contact = article.select_one(".kb-contact")
    assert text(contact.select_one("h2")) == "Need help? Get in touch!"
    links = {a["href"] for a in contact.select("a")}
    assert links == {"tel:01752373000", "mailto:hub@safeharboursupport.com",
                     "https://kite.wildix.com/nc-a12/3001", "https://wa.me/441752373000"}
    assert "option 2 or, if you are on Number Club, just call extension 3001" in text(contact)


def test_permanent_number_address_leads_to_the_article(built):
    for audience in ("internal", "public"):
        redirect = soup(built(audience) / "kb" / "65.043" / "index.html")
        target = redirect.select_one("meta[http-equiv=refresh]")["content"]
        assert target.endswith("url=../../apple-icloud/65.043-emails-to-icloud-rejected/")


def test_search_index_has_the_article_by_number(built):
    index = json.loads((built("public") / "search" / "search_index.json").read_text())
    titles = [doc["title"] for doc in index["docs"]]
    assert TITLE in titles


def test_a_new_article_in_a_new_folder_appears_without_config_edits(tmp_path):
    project = copy_project(tmp_path / "kb")
    source = (ROOT / "docs" / "apple-icloud" / "65.043-emails-to-icloud-rejected.md").read_text()
    new = source.replace('"65.043"', '"70.001"').replace(
        "Emails being sent to icloud.com addresses being rejected", "Printer queue is stuck")
    (project / "docs" / "printers").mkdir()
    (project / "docs" / "printers" / "70.001-printer-queue.md").write_text(new)
    config_before = (project / "mkdocs.yml").read_text()
    result = run_mkdocs(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert (project / "mkdocs.yml").read_text() == config_before
    home = soup(tmp_path / "site" / "index.html")
    assert "Printers" in [text(a) for a in home.select(".md-nav__link")]  # pruned: the book on every page
    own = soup(tmp_path / "site" / "printers" / "70.001-printer-queue" / "index.html")
    assert "70.001 Printer queue is stuck" in [text(a) for a in own.select(".md-nav__link")]
    index = json.loads((tmp_path / "site" / "search" / "search_index.json").read_text())
    assert any(doc["title"] == "70.001 Printer queue is stuck" for doc in index["docs"])
    assert (tmp_path / "site" / "kb" / "70.001" / "index.html").exists()


def test_changing_a_date_changes_the_page(tmp_path):
    project = copy_project(tmp_path / "kb")
    approved = project / "docs" / "apple-icloud" / "65.043-emails-to-icloud-rejected" / "v1.0.md"
    text = approved.read_text()
    assert "review_date: 2028-02-25" in text
    approved.write_text(text.replace("review_date: 2028-02-25", "review_date: 2027-12-31", 1))
    assert run_mkdocs(project, tmp_path / "site", audience="public").returncode == 0
    page = soup(tmp_path / "site" / ARTICLE)
    assert document_control(page)["Review date"] == "31-DEC-2027"


def test_public_build_leaves_out_internal_and_draft_articles(tmp_path):
    project = copy_project(tmp_path / "kb")
    source = (ROOT / "docs" / "apple-icloud" / "65.043-emails-to-icloud-rejected.md").read_text()
    internal = source.replace('"65.043"', '"70.002"').replace("audience: public", "audience: internal")
    (project / "docs" / "apple-icloud" / "70.002-internal.md").write_text(internal)
    assert run_mkdocs(project, tmp_path / "public", audience="public").returncode == 0
    assert run_mkdocs(project, tmp_path / "internal").returncode == 0
    assert not (tmp_path / "public" / "apple-icloud" / "70.002-internal").exists()
    assert "70.002" not in (tmp_path / "public" / "search" / "search_index.json").read_text()
    page = soup(tmp_path / "internal" / "apple-icloud" / "70.002-internal" / "index.html")
    assert "Internal" in text(page.select_one(".kb-notice-internal"))


def test_review_notices_in_internal_builds_only(built):
    due = "2028-01-10"
    approved = ARTICLE.replace("/index.html", "/v1.0/index.html")  # internal: the draft is at ARTICLE
    internal = soup(built("internal", due) / approved)
    assert "Review due" in text(internal.select_one(".kb-notice-due"))
    public = soup(built("public", due) / ARTICLE)
    assert public.select_one(".kb-notice") is None


def test_no_third_party_font_or_script(built):
    page = (built("public") / ARTICLE).read_text()
    assert "fonts.googleapis" not in page and "fonts.gstatic" not in page
    for tag in soup(built("public") / ARTICLE).select("script[src], link[href]"):
        url = tag.get("src") or tag.get("href")
        assert not url.startswith(("http://", "https://", "//")) or tag.name == "link" and tag.get("rel") == ["canonical"]




def test_draft_1_1_lists_the_rejection_codes_from_the_data_file(built):
    import yaml

    data = yaml.safe_load((ROOT / "data" / "icloud-rejections.yml").read_text())["rejections"]
    page = soup(built("internal") / ARTICLE)
    assert document_control(page)["Version"] == "v1.1 Draft"
    assert "Common iCloud rejection messages" in [text(h).rstrip("¶ ") for h in page.select(".kb-body h2")]
    rows = page.select("table.kb-codes tbody tr")
    assert [text(row.select_one("th strong")) for row in rows] == [entry["code"] for entry in data]
    cs01 = rows[0]
    assert "Commonly reported" in text(cs01) and "smtp.codes/icloud" in text(cs01)
    assert "CS01" in (built("internal") / "search" / "search_index.json").read_text()
    public = soup(built("public") / ARTICLE)  # the hub keeps serving the approved 1.0
    assert document_control(public)["Version"] == "v1.0 Current" and not public.select("table.kb-codes")
