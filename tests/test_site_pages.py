"""Which page each site serves at which address, and what it tells search engines: kb.site_pages against the
fixture KB, with 10.002 revised and approved (its v1.0 superseded) and 20.001's v1.1 an open draft."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from conftest import run_kb
from fixture_kb import ARTICLES, T, make_fixture_kb
from kb import corpus, settings, site_pages, versions, views

HUB, KB = "https://hub.safeharboursupport.com/", "https://kb.safeharboursupport.com/"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    project = make_fixture_kb(tmp_path_factory.mktemp("site-pages-kb"))
    kb = load(project)
    versions.apply(versions.revise(kb, "10.002", "Cover DKIM too", "jo", T))
    versions.apply(versions.approve(load(project), "10.002", "Service Desk Manager", T))
    return project


def load(project, today=T):
    return corpus.load(settings.load(project / "mkdocs.yml"), today)


@pytest.fixture(scope="module")
def kb(project):
    return load(project)


def archive(kb, number):
    return kb.by_path(versions.archive_path(kb.by_number(number).path, "1.0"))


def test_each_site_links_only_the_pages_it_serves(kb):
    internal_only, public = kb.by_number("10.003"), kb.by_number("10.004")
    assert site_pages.page_url(kb, internal_only, "internal") == KB + "mail/10.003-ok-internal-runbook/"
    assert site_pages.page_url(kb, internal_only, "public") is None
    assert site_pages.page_url(kb, public, "public") == HUB + "mail/10.004-edge-window/"
    assert site_pages.page_url(kb, kb.by_number("20.002"), "public") is None  # withdrawn
    assert site_pages.page_url(kb, archive(kb, "10.002"), "public") == HUB + "mail/10.002-due-spf/v1.0/"


def test_the_public_copy_is_the_page_the_hub_serves(kb):
    draft = kb.by_number("20.001")
    url, shown = site_pages.public_copy(kb, draft)
    assert url == HUB + "phones/20.001-draft-dialplan/" and shown.control.version == "1.0"
    assert site_pages.public_copy(kb, archive(kb, "20.001"))[0] == url  # the approved copy: at the article's address
    assert site_pages.public_copy(kb, archive(kb, "10.002"))[0] == HUB + "mail/10.002-due-spf/v1.0/"
    assert site_pages.public_copy(kb, kb.by_number("10.003")) is None


def test_robots_meta_per_site(kb):
    old, article = archive(kb, "10.002"), kb.by_number("10.002")
    assert site_pages.robots("internal", article, article.path) == "noindex, nofollow"
    assert site_pages.robots("internal", None, "index.md") == "noindex, nofollow"
    assert site_pages.robots("public", article, article.path) is None
    assert site_pages.robots("public", old, old.path) == "noindex"  # superseded
    copy = archive(kb, "20.001")
    assert site_pages.robots("public", copy, copy.path) == "noindex"  # the approved copy at its own address
    assert site_pages.robots("public", copy, kb.by_number("20.001").path) is None  # ... and at the article's
    assert site_pages.robots("public", None, "about.md", declared="noindex, follow") == "noindex, follow"


def test_the_hub_sitemap_lists_indexable_pages_with_their_last_change(kb):
    old, new = archive(kb, "10.002"), kb.by_number("10.002")
    pages = [site_pages.SitePage(HUB, None, None),
             site_pages.SitePage(HUB + "mail/10.002-due-spf/", site_pages.robots("public", new, new.path), new),
             site_pages.SitePage(HUB + "mail/10.002-due-spf/v1.0/", site_pages.robots("public", old, old.path), old),
             site_pages.SitePage(HUB + "about/", "NOINDEX", None)]
    assert site_pages.sitemap("public", pages) == [site_pages.SitemapEntry(HUB, None),
                                                   site_pages.SitemapEntry(HUB + "mail/10.002-due-spf/", T)]
    assert len(site_pages.sitemap("internal", pages)) == 4  # for instant navigation; robots.txt names none
    assert site_pages.last_changed(old) == ARTICLES["10.002"][5]


def test_robots_txt():
    assert site_pages.robots_txt("public", HUB) == f"User-agent: *\nDisallow:\n\nSitemap: {HUB}sitemap.xml\n"
    internal = site_pages.robots_txt("internal", KB)
    assert "User-agent: *\nDisallow: /\n" in internal and "Sitemap" not in internal


@pytest.mark.parametrize("today, kind, text", [
    (T, "due", "Version 1.0, in force while this draft is open, is due for review by"),
    (T + timedelta(days=30), "overdue", "of version 1.0, in force while this draft is open, passed 10 days ago"),
])
def test_a_drafts_page_shows_the_review_state_of_the_version_in_force(project, today, kind, text):
    kb = load(project, today)
    notices = {n.kind: n for n in views.notices(kb, kb.by_number("20.001"), "internal")}
    assert kind in notices and text in notices[kind].text
    assert notices["public"].link == HUB + "phones/20.001-draft-dialplan/"


def test_kb_list_links_the_internal_kb_unless_told_otherwise(project):
    internal = {r["number"]: r["url"] for r in json.loads(run_kb(project, "list", "--format", "json").stdout)}
    public = {r["number"]: r["url"] for r in json.loads(
        run_kb(project, "list", "--site", "public", "--format", "json").stdout)}
    assert internal["10.003"] == KB + "mail/10.003-ok-internal-runbook/"
    assert (public["10.003"], public["20.002"]) == (None, None)
    assert public["20.001"] == HUB + "phones/20.001-draft-dialplan/"
    text = run_kb(project, "list").stdout
    assert KB + "mail/10.001-overdue-relay/" in text and HUB not in text
