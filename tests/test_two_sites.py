"""The public hub and the internal KB, built from one fixture KB, each at its own address: every absolute link in
every artefact (pages, PDFs, sitemap, kb.json, the calendar, robots.txt, and what `kb reviews` and `kb list`
print) leads to a file of the build served at that address, and search engines are told exactly what they may
index."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

import pikepdf
import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar

from conftest import ROOT, TODAY, run_kb, run_mkdocs
from fixture_kb import ARTICLES, T, make_fixture_kb
from kb import settings

pytestmark = pytest.mark.slow

SUPERSEDED = "10.002"  # revised and approved below: its v1.0 becomes superseded
DRAFT = "20.001"  # its v1.0 is in force (due for review) while v1.1 is a draft
URL_RE = re.compile(r"https?://[^\s\"'<>()\\\]]+")
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
IMPORTED, IMPORTED_NUMBER = ROOT / "tests" / "fixtures" / "bookstack" / "72.101-html-export.html", "72.101"
BASE = {"internal": "https://kb.safeharboursupport.com/", "public": "https://hub.safeharboursupport.com/"}


@pytest.fixture(scope="module")
def kb(tmp_path_factory) -> dict:
    project = make_fixture_kb(tmp_path_factory.mktemp("two-sites-kb"))
    for args in (("revise", SUPERSEDED, "--change", "Cover DKIM too", "--author", "jo"),
                 ("approve", SUPERSEDED, "--by", "Service Desk Manager")):
        done = run_kb(project, *args)
        assert done.returncode == 0, done.stderr
    (project / "docs" / "drafts-area.md").write_text("---\nrobots: noindex\n---\n\n# Not for search\n", encoding="utf-8")
    imported = {site: run_kb(project, "import", str(IMPORTED), "--book", "mail", "--audience", "public", "--force",
                             *(["--site", site] if site else [])).stdout for site in ("", "public")}
    assert all(IMPORTED_NUMBER in out and "https://" in out for out in imported.values()), imported
    sites = {}
    for audience in ("internal", "public"):
        site = tmp_path_factory.mktemp(f"two-sites-{audience}")
        # not strict: 10.001 is overdue on purpose; every other warning still counts below
        result = run_mkdocs(project, site, audience=audience, strict=False, extra_env={"KB_PDF": "1"})
        assert result.returncode == 0, result.stderr
        warnings = [line for line in result.stderr.splitlines() if line.startswith("WARNING")]
        assert all("review overdue" in line for line in warnings), warnings
        sites[audience] = site
    outputs = {
        f"kb {' '.join(args)}": run_kb(project, *args).stdout
        for args in (("reviews", "--format", "json", "--due-within", "3650"),
                     ("reviews", "--site", "public", "--format", "json", "--due-within", "3650"),
                     ("reviews", "--due-within", "3650"), ("list",), ("list", "--site", "public"),
                     ("list", "--format", "json"), ("list", "--site", "public", "--format", "json"))}
    outputs.update({f"kb import --site {site or 'internal'}": out for site, out in imported.items()})
    return {"project": project, "sites": sites, "base": BASE, "outputs": outputs}


def test_the_two_sites_have_their_own_addresses(kb):
    addresses = settings.load(kb["project"] / "mkdocs.yml").sites
    assert {"internal": addresses.internal, "public": addresses.public} == BASE


def test_every_absolute_link_leads_to_a_file_of_the_site_at_that_address(kb):
    ours = {url: where for url, where in _found(kb).items() if _site_of(kb, url) is not None}
    broken = [f"{sorted(where)[0][1]}: {url}" for url, where in sorted(ours.items()) if not _file_for(kb, url).is_file()]
    assert broken == []
    kinds = {kind for where in ours.values() for kind, _ in where}
    assert kinds == {".html", ".xml", ".json", ".ics", ".pdf", ".txt", "command"}  # each names our sites
    assert len(ours) > 20
    internal_only = [n for n, spec in ARTICLES.items() if spec[3] == "internal"]
    hub = [url for url in ours if url.startswith(kb["base"]["public"])]
    assert not any(number in url for url in hub for number in internal_only)


def test_the_offline_copy_links_only_pages_of_the_published_sites(kb, tmp_path):
    offline = tmp_path / "offline"
    result = run_mkdocs(kb["project"], offline, strict=False, extra_env={"KB_OFFLINE": "true"})
    assert result.returncode == 0, result.stderr
    urls = {url for path in offline.rglob("*") if path.suffix in (".html", ".json", ".ics", ".xml", ".txt")
            for url in _urls(path) if _site_of(kb, url) is not None}
    assert urls  # the hub's copy of each public article, named on its internal page
    assert [url for url in sorted(urls) if not _file_for(kb, url).is_file()] == []
    assert json.loads((offline / "kb.json").read_text(encoding="utf-8"))["site_url"] is None  # files have no address


def test_each_build_names_its_own_address(kb):
    for audience, other in (("internal", "public"), ("public", "internal")):
        site = kb["sites"][audience]
        catalogue = json.loads((site / "kb.json").read_text(encoding="utf-8"))
        assert catalogue["site_url"] == kb["base"][audience]
        assert all(a["url"].startswith(kb["base"][audience]) for a in catalogue["articles"])
        page = _soup(site / "mail" / "10.004-edge-window" / "index.html")
        assert page.select_one('link[rel="canonical"]')["href"] == kb["base"][audience] + "mail/10.004-edge-window/"
        redirect = _soup(site / "kb" / "10.004" / "index.html")
        assert redirect.select_one('link[rel="canonical"]')["href"] == kb["base"][audience] + "mail/10.004-edge-window/"
        assert kb["base"][other] not in (site / "sitemap.xml").read_text(encoding="utf-8")
    calendar = Calendar.from_ical((kb["sites"]["internal"] / "reviews.ics").read_bytes())
    for event in calendar.walk("VEVENT"):
        assert str(event["url"]).startswith(kb["base"]["internal"])
        assert kb["base"]["internal"] in str(event["description"])
    reviews = json.loads(kb["outputs"]["kb reviews --format json --due-within 3650"])
    assert reviews["articles"] and all(r["url"].startswith(kb["base"]["internal"]) for r in reviews["articles"])
    public = json.loads(kb["outputs"]["kb reviews --site public --format json --due-within 3650"])
    urls = {r["number"]: r["url"] for r in public["articles"]}
    assert urls["10.003"] is None and urls["10.001"] == kb["base"]["public"] + "mail/10.001-overdue-relay/"
    for site in ("internal", "public"):
        assert f": {kb['base'][site]}mail/{IMPORTED_NUMBER}-" in kb["outputs"][f"kb import --site {site}"]


def test_an_internal_page_links_the_page_the_hub_serves(kb):
    page = _soup(kb["sites"]["internal"] / "phones" / "20.001-draft-dialplan" / "index.html")
    notice = page.select_one(".kb-notice-public")
    assert "version 1.0" in notice.get_text()
    assert notice.select_one("a")["href"] == kb["base"]["public"] + "phones/20.001-draft-dialplan/"
    assert _soup(kb["sites"]["internal"] / "mail" / "10.003-ok-internal-runbook" / "index.html").select_one(
        ".kb-notice-public") is None


def test_the_hub_sitemap_lists_exactly_the_pages_it_lets_robots_index(kb):
    site, base = kb["sites"]["public"], kb["base"]["public"]
    entries = _sitemap(site)
    for loc in entries:
        robots = _soup(_file_for(kb, loc)).select_one('meta[name="robots"]')
        assert robots is None or "noindex" not in robots["content"], loc
    indexable = set()
    for path in site.rglob("index.html"):
        soup = _soup(path)
        canonical, robots = soup.select_one('link[rel="canonical"]'), soup.select_one('meta[name="robots"]')
        if canonical is not None and (robots is None or "noindex" not in robots["content"]):
            indexable.add(canonical["href"])
    assert set(entries) == indexable
    superseded = base + "mail/10.002-due-spf/v1.0/"
    assert superseded not in entries and _file_for(kb, superseded).is_file()  # served, marked noindex, not listed
    assert base + "drafts-area/" not in entries and _file_for(kb, base + "drafts-area/").is_file()  # robots: noindex
    assert entries[base + "mail/10.002-due-spf/"] == TODAY  # approved today as v1.1
    assert entries[base + "phones/20.001-draft-dialplan/"] == ARTICLES[DRAFT][5].isoformat()  # the approved 1.0
    assert entries[base + "mail/10.004-edge-window/"] == ARTICLES["10.004"][5].isoformat()
    assert (site / "robots.txt").read_text(encoding="utf-8") == f"User-agent: *\nDisallow:\n\nSitemap: {base}sitemap.xml\n"


def test_the_internal_kb_asks_robots_to_stay_away(kb):
    site = kb["sites"]["internal"]
    robots_txt = (site / "robots.txt").read_text(encoding="utf-8")
    assert "Disallow: /\n" in robots_txt and "Sitemap" not in robots_txt
    pages = list(site.rglob("*.html"))
    assert len(pages) > 15
    for path in pages:
        robots = _soup(path).select_one('meta[name="robots"]')
        assert robots is not None and robots["content"] == "noindex, nofollow", path.relative_to(site)
    # its sitemap (for Material's instant navigation) is named by nothing
    assert not any("sitemap.xml" in path.read_text(encoding="utf-8") for path in pages)


def test_a_drafts_page_shows_the_review_state_of_the_version_in_force(kb):
    page = _soup(kb["sites"]["internal"] / "phones" / "20.001-draft-dialplan" / "index.html")
    due = page.select_one(".kb-notice-due")
    assert due is not None
    text = " ".join(due.get_text().split())
    assert "Version 1.0" in text and "20 days left" in text


# Helper functions


def _found(kb: dict) -> dict[str, set[tuple[str, str]]]:
    """Every absolute URL in every artefact of both builds and in the commands' output -> (kind, where) seen."""
    found: dict[str, set[tuple[str, str]]] = {}
    for audience, site in kb["sites"].items():
        for path in sorted(site.rglob("*")):
            if path.is_file() and path.suffix in (".html", ".xml", ".json", ".txt", ".ics", ".pdf"):
                for url in _urls(path):
                    found.setdefault(url, set()).add((path.suffix, f"{audience}:{path.relative_to(site)}"))
    for command, output in kb["outputs"].items():
        for url in URL_RE.findall(output):
            found.setdefault(url, set()).add(("command", command))
    return found


def _urls(path: Path) -> set[str]:
    if path.suffix == ".pdf":
        with pikepdf.open(path) as pdf:
            return {str(annot.A.URI) for page in pdf.pages for annot in page.get("/Annots", [])
                    if "/A" in annot and "/URI" in annot.A}
    if path.suffix == ".ics":
        calendar = Calendar.from_ical(path.read_bytes())  # unfolds the long lines
        return {url for event in calendar.walk("VEVENT") for value in (event.get("url"), event.get("description"))
                if value for url in URL_RE.findall(str(value))}
    return {html.unescape(url) for url in URL_RE.findall(path.read_text(encoding="utf-8", errors="replace"))}


def _site_of(kb: dict, url: str) -> str | None:
    """The audience whose host `url` names (whatever its path), or None for another host."""
    host = urlsplit(url).hostname
    return next((a for a, base in kb["base"].items() if urlsplit(base).hostname == host), None)


def _file_for(kb: dict, url: str) -> Path:
    """The file the build of `url`'s site serves at that address (a folder address serves its index.html)."""
    audience = _site_of(kb, url)
    base = kb["base"][audience]
    assert url.startswith(base), f"{url} is on {audience}'s host but not under its address {base}"
    path = unquote(urlsplit(url[len(base):]).path)
    return kb["sites"][audience] / path / "index.html" if path == "" or path.endswith("/") else kb["sites"][audience] / path


def _sitemap(site: Path) -> dict[str, str | None]:
    root = ElementTree.parse(site / "sitemap.xml").getroot()
    return {url.findtext("s:loc", namespaces=SITEMAP_NS): url.findtext("s:lastmod", namespaces=SITEMAP_NS)
            for url in root.findall("s:url", SITEMAP_NS)}


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
