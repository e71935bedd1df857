"""Which page each site serves at which absolute address, and what each site tells search engines.

Links: an absolute link names a page that the site at that address actually serves, or is not made (an
internal-only article has no address on the hub).

Search engines: the hub's sitemap lists exactly the pages whose robots meta lets them be indexed, each with the
date its version last changed, and its robots.txt names that sitemap. The internal KB asks for nothing to be
indexed: robots.txt disallows everything and every page says noindex, nofollow. It keeps a sitemap only because
Material's instant navigation reads it to know the site's pages; nothing points search engines to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable

from kb import publication
from kb.corpus import KnowledgeBase
from kb.model import Article
from kb.sites import INTERNAL, PUBLIC, absolute

INTERNAL_ROBOTS = "noindex, nofollow"  # an internal KB exposed by mistake must never be indexed
ARCHIVE_ROBOTS = "noindex"  # an archived version at its own address: superseded, or a copy of the article's page
SITEMAP = "sitemap.xml"
ROBOTS_TXT = "robots.txt"


def page_url(kb: KnowledgeBase, article: Article, audience: str) -> str | None:
    """The absolute address of `article`'s page on `audience`'s published site, or None when that site does not
    serve it (an internal-only article on the hub) or has no address. Published sites use directory URLs
    (a/b/); only the offline copy, a folder of files with no address, does not."""
    if publication.served(kb, article, audience) is None:
        return None
    return absolute(kb.settings.sites.address(audience), publication.url_of(article.path))


def public_copy(kb: KnowledgeBase, version: Article) -> tuple[str, Article] | None:
    """Where the hub shows `version`'s document, and the version it shows there: the article's own address for
    an article or its approved copy (served there while a draft is open), a superseded version's own address.
    None when the hub publishes none of it."""
    page = version
    if version.is_archive and version.status == "current":
        page = kb.article_of(version) or version
    url, shown = page_url(kb, page, PUBLIC), publication.served(kb, page, PUBLIC)
    return (url, shown) if url is not None and shown is not None else None


# Search engines


def robots(audience: str, version: Article | None, address: str, declared: Any = None) -> str | None:
    """The robots meta of the page at docs path `address`, which shows `version` (None: the page is no
    article); `declared` is the `robots:` of the page's own front matter, if any."""
    if audience == INTERNAL:
        return INTERNAL_ROBOTS
    if declared:
        return str(declared)
    if version is not None and version.is_archive and address == version.path:
        return ARCHIVE_ROBOTS
    return None


def indexable(robots_meta: str | None) -> bool:
    return "noindex" not in {token.strip().lower() for token in (robots_meta or "").split(",")}


def last_changed(version: Article | None) -> date | None:
    """When `version` last changed: its newest change-control row or its approval, whichever is later."""
    if version is None:
        return None
    dates = [row.date for row in version.changes if row is not None]
    approval = version.control.approval_date
    if isinstance(approval, date):
        dates.append(approval)
    return max(dates, default=None)


@dataclass(frozen=True)
class SitePage:
    """A page of a build, as the sitemap sees it."""

    url: str  # absolute
    robots: str | None
    version: Article | None  # the article version it shows, if any


@dataclass(frozen=True)
class SitemapEntry:
    loc: str
    lastmod: date | None  # None for pages that are no article: nothing records when they changed


def sitemap(audience: str, pages: Iterable[SitePage]) -> list[SitemapEntry]:
    """The hub's sitemap: every page it lets search engines index, and no other. The internal KB's lists
    every page, for instant navigation only."""
    return [SitemapEntry(page.url, last_changed(page.version)) for page in pages
            if audience == INTERNAL or indexable(page.robots)]


def robots_txt(audience: str, site_url: str) -> str:
    """The hub lets robots crawl everything and names its sitemap; the internal KB disallows everything."""
    if audience == INTERNAL:
        return "# The internal knowledge base: nothing here may be crawled or indexed.\nUser-agent: *\nDisallow: /\n"
    named = f"\nSitemap: {absolute(site_url, SITEMAP)}\n" if site_url else ""
    return "User-agent: *\nDisallow:\n" + named


def redirect_robots(audience: str) -> str:
    """A /kb/<number>/ page only forwards to the article: never indexed itself."""
    return INTERNAL_ROBOTS if audience == INTERNAL else "noindex"
