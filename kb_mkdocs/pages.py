"""The KB's own pages: the review dashboard (/reviews/), the review calendar (/reviews.ics), the catalogue
(/kb.json) and the home page's listings. The data comes from kb.dashboard, kb.ical and kb.catalogue; the HTML
from overrides/kb/reviews.html and overrides/kb/home.html.

The dashboard and the calendar exist in internal builds only: the public hub never holds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from kb import catalogue, dashboard, ical, settings, sites
from kb.corpus import KnowledgeBase
from kb.model import Article

REVIEWS_PAGE = "reviews.md"
HOME_TEMPLATE = "kb/home.html"
# Material's offline plugin adds this polyfill from a CDN; the KB ships its own copy instead.
IFRAME_WORKER_CDN = "https://unpkg.com/iframe-worker/shim"
IFRAME_WORKER_LOCAL = "assets/javascripts/vendor/iframe-worker-shim.js"

UrlOf = Callable[[Article], "str | None"]


@dataclass
class KbPages:
    """What the KB's own pages show in this build, computed once in on_files from the pages actually built."""

    rows: list[dashboard.ReviewRow] = field(default_factory=list)  # the dashboard's, once per build
    url_of: UrlOf | None = None  # article -> its page's URL in this build
    book_url: Callable[[str], str | None] | None = None  # a book's folder -> its index page's URL
    reviews_url: str | None = None

    def configure_offline(self, config: MkDocsConfig) -> None:
        """The offline build (Material's offline plugin): no script from a third-party host, and no instant
        navigation, which cannot fetch pages from file:// and then never signals a page to the KB's scripts."""
        offline = config.plugins.get("material/offline")
        if offline is None or not offline.config.enabled:
            return
        polyfills = config.extra.get("polyfills") or []
        config.extra["polyfills"] = [IFRAME_WORKER_LOCAL if src == IFRAME_WORKER_CDN else src for src in polyfills]
        features = config.theme.get("features") or []
        config.theme["features"] = [f for f in features if not f.startswith("navigation.instant")]

    def add_files(self, files: Files, config: MkDocsConfig, kb: KnowledgeBase, audience: str,
                  events: dict[tuple[Any, ...], Any] | None = None) -> None:
        """Add /kb.json to every build, and /reviews/ and /reviews.ics to internal ones (once what this
        audience may not see has left `files`, so URLs are those of the pages actually built). `events`: the
        calendar's events kept from the last rebuild of `mkdocs serve`."""
        self.url_of, self.book_url = _page_urls(files), _book_urls(files)
        absolute = _absolute(kb.settings.site_url, self.url_of)
        shown = dashboard.served(kb, audience, absolute)
        self.rows = dashboard.review_rows(kb, self.url_of)
        files.append(File.generated(config, "kb.json", content=catalogue.dumps(catalogue.catalogue(
            kb, audience, shown, {row.path: row for row in self.rows} if audience == "internal" else None))))
        if audience == "internal":
            calendar = ical.calendar(kb, dashboard.in_force_versions(kb, absolute), events)
            files.append(File.generated(config, "reviews.ics", content=calendar))
            reviews = File.generated(config, REVIEWS_PAGE, content=_reviews_markdown())
            files.append(reviews)
            self.reviews_url = reviews.url

    @staticmethod
    def choose_template(page: Page) -> None:
        """The home page lists books, reviews due and recent changes below its own Markdown."""
        if page.is_homepage:
            page.meta.setdefault("template", HOME_TEMPLATE)

    @staticmethod
    def lists_every_article(page: Page) -> bool:
        """The pages whose listings show every article: the home page and the review dashboard."""
        return page.is_homepage or page.file.src_uri == REVIEWS_PAGE

    def context(self, page: Page, kb: KnowledgeBase, audience: str) -> dict[str, Any]:
        """The dashboard's rows (kb_reviews), or the home page's books, reviews due and recent changes (kb_home)."""
        internal = audience == "internal"
        if page.file.src_uri == REVIEWS_PAGE and internal:
            return {"kb_reviews": {"rows": self.rows, "counts": dashboard.counts(self.rows), "today": kb.today,
                                   "today_text": kb.settings.policy.format_date(kb.today),
                                   "warning_days": kb.settings.policy.review_warning_days,
                                   "format_date": kb.settings.policy.format_date}}
        if page.is_homepage:
            shown = dashboard.served(kb, audience, self.url_of)
            return {"kb_home": {
                "books": dashboard.books(shown, self.book_url, _book_title(kb.settings.docs_dir)),
                "recent": dashboard.recent_changes(kb, shown),
                "due": dashboard.due_rows(self.rows) if internal else None,
                "reviews_url": self.reviews_url if internal else None,
                "format_date": kb.settings.policy.format_date,
            }}
        return {}


# Helper functions


def _page_urls(files: Files) -> UrlOf:
    """Article -> its page's URL in this build (relative to the site root), or None when not built."""
    def url_of(article: Article) -> str | None:
        file = files.get_file_from_path(article.path)
        return file.url if file is not None and file.is_documentation_page() else None
    return url_of


def _absolute(site_url: str, page_url: UrlOf) -> UrlOf:
    """Article -> the absolute URL of its page on this build's own site (for the catalogue and the calendar)."""
    def url_of(article: Article) -> str | None:
        url = page_url(article)
        return sites.absolute(site_url, url) if url is not None else None
    return url_of


def _book_urls(files: Files) -> Callable[[str], str | None]:
    def url(slug: str) -> str | None:
        index = files.get_file_from_path(f"{slug}/index.md")
        return index.url if index is not None else None
    return url


def _book_title(docs_dir: Path) -> Callable[[str], str]:
    def title(slug: str) -> str:
        return settings.page_title(docs_dir / slug / "index.md") or slug.replace("-", " ").replace("_", " ").capitalize()
    return title


def _reviews_markdown() -> str:
    return ("---\ntitle: Review dashboard\ntemplate: kb/reviews.html\nhide: [navigation, toc]\n---\n\n"
            "# Review dashboard\n")
