"""MkDocs hooks for the KB's own pages: the review dashboard (/reviews/), the review calendar (/reviews.ics),
the catalogue (/kb.json) and the home page's listings. The data comes from kb.dashboard, kb.ical and
kb.catalogue; the HTML from overrides/kb/reviews.html and overrides/kb/home.html.

The dashboard and the calendar exist in internal builds only: the public hub never holds them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from kb import build, catalogue, dashboard, ical, settings, sites

REVIEWS_PAGE = "reviews.md"
HOME_TEMPLATE = "kb/home.html"
# Material's offline plugin adds this polyfill from a CDN; the KB ships its own copy instead.
IFRAME_WORKER_CDN = "https://unpkg.com/iframe-worker/shim"
IFRAME_WORKER_LOCAL = "assets/javascripts/vendor/iframe-worker-shim.js"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """The offline build (Material's offline plugin): no script from a third-party host, and no instant
    navigation, which cannot fetch pages from file:// and then never signals a page to the KB's scripts."""
    offline = config.plugins.get("material/offline")
    if offline is None or not offline.config.enabled:
        return config
    polyfills = config.extra.get("polyfills") or []
    config.extra["polyfills"] = [IFRAME_WORKER_LOCAL if src == IFRAME_WORKER_CDN else src for src in polyfills]
    features = config.theme.get("features") or []
    config.theme["features"] = [f for f in features if not f.startswith("navigation.instant")]
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add /kb.json to every build, and /reviews/ and /reviews.ics to internal ones (after kb_hooks.py has
    left out what this audience may not see, so URLs are those of the pages actually built)."""
    current = build.current()
    kb = current.kb
    page_url = _page_urls(files)
    absolute = _absolute(kb.settings.site_url, page_url)
    shown = dashboard.served(kb, current.audience, absolute)
    rows = current.extras["pages.rows"] = dashboard.review_rows(kb, page_url)  # once per build
    files.append(File.generated(config, "kb.json", content=catalogue.dumps(catalogue.catalogue(
        kb, current.audience, shown, {row.path: row for row in rows} if current.audience == "internal" else None))))
    if current.audience == "internal":
        calendar = ical.calendar(kb, dashboard.in_force_versions(kb, absolute))
        files.append(File.generated(config, "reviews.ics", content=calendar))
        reviews = File.generated(config, REVIEWS_PAGE, content=_reviews_markdown())
        files.append(reviews)
        current.extras["pages.reviews_url"] = reviews.url
    current.extras["pages.url_of"] = page_url
    current.extras["pages.files"] = files
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """The home page lists books, reviews due and recent changes below its own Markdown."""
    if page.is_homepage:
        page.meta.setdefault("template", HOME_TEMPLATE)
    return None


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    """Hand the dashboard its rows, and the home page its books, reviews due and recent changes."""
    current = build.current()
    kb, page_url = current.kb, current.extras["pages.url_of"]
    internal = current.audience == "internal"
    if page.file.src_uri == REVIEWS_PAGE and internal:
        rows = current.extras["pages.rows"]
        context["kb_reviews"] = {"rows": rows, "counts": dashboard.counts(rows), "today": kb.today,
                                 "today_text": kb.settings.policy.format_date(kb.today),
                                 "warning_days": kb.settings.policy.review_warning_days,
                                 "format_date": kb.settings.policy.format_date}
    elif page.is_homepage:
        shown = dashboard.served(kb, current.audience, page_url)
        context["kb_home"] = {
            "books": dashboard.books(shown, _book_url(current.extras["pages.files"]), _book_title(kb.settings.docs_dir)),
            "recent": dashboard.recent_changes(kb, shown),
            "due": dashboard.due_rows(current.extras["pages.rows"]) if internal else None,
            "reviews_url": current.extras.get("pages.reviews_url") if internal else None,
            "format_date": kb.settings.policy.format_date,
        }
    return context


# Helper functions


def _page_urls(files: Files):
    """Article -> its page's URL in this build (relative to the site root), or None when not built."""
    def url_of(article) -> str | None:
        file = files.get_file_from_path(article.path)
        return file.url if file is not None and file.is_documentation_page() else None
    return url_of


def _absolute(site_url: str, page_url):
    """Article -> the absolute URL of its page on this build's own site (for the catalogue and the calendar)."""
    def url_of(article) -> str | None:
        url = page_url(article)
        return sites.absolute(site_url, url) if url is not None else None
    return url_of


def _book_url(files: Files):
    def url(slug: str) -> str | None:
        index = files.get_file_from_path(f"{slug}/index.md")
        return index.url if index is not None else None
    return url


def _book_title(docs_dir: Path):
    def title(slug: str) -> str:
        return settings.page_title(docs_dir / slug / "index.md") or slug.replace("-", " ").replace("_", " ").capitalize()
    return title


def _reviews_markdown() -> str:
    return ("---\ntitle: Review dashboard\ntemplate: kb/reviews.html\nhide: [navigation, toc]\n---\n\n"
            "# Review dashboard\n")
