"""MkDocs hooks: translate build events into calls on the `kb` core, and hand its views to the templates.

Listed first under `hooks:` in mkdocs.yml: it loads and checks the KB that the other hook files use.
"""

from __future__ import annotations

import copy
import logging
from pathlib import Path, PurePosixPath
from typing import Any

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from kb import (books, build, corpus, dates, links, publication, rawhtml, settings, site_pages, sites, templating,
                views)
from kb.model import Article, is_archive_path

log = logging.getLogger("mkdocs.plugins.kb")
NO_FRONT_MATTER = "---\n{}\n---\n"  # MkDocs strips it and finds no metadata, whatever the body's first line


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Load and check the whole KB once per build; errors abort it with every finding listed."""
    try:
        kb_settings = settings.from_mapping(config, Path(config.config_file_path).parent)
        today = dates.today()
        dates.pin_source_date_epoch()
        audience = publication.audience()
    except (settings.SettingsError, dates.DateSettingError, publication.AudienceError) as exc:
        raise PluginError(str(exc)) from None
    kb = corpus.load(kb_settings, today)
    for warning in kb.warnings:
        log.warning(str(warning))
    if kb.errors:
        listing = "\n".join(f"  {problem}" for problem in kb.errors)
        raise PluginError(f"{len(kb.errors)} problem(s) in the knowledge base:\n{listing}")
    build.start(build.Build(kb, audience, today))
    config.extra["kb_audience"] = audience
    config.extra["kb_today"] = today.isoformat()
    return config


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    """The KB's templates escape what they print."""
    return templating.autoescaped(env)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Leave out what this audience may not see; serve each address its version; add /kb/<number>/."""
    current = build.current()
    kb, audience = current.kb, current.audience
    redirect = templating.autoescaped(config.theme.get_env()).get_template("kb/redirect.html")
    for article in kb.articles:
        file = files.get_file_from_path(article.path)
        if file is None:
            continue
        version = publication.served(kb, article, audience)
        if version is None:
            files.remove(file)
            continue
        current.served[article.path] = version  # on_page_read_source hands MkDocs that version's text
        if article.number is None:
            continue
        address = f"kb/{article.number}/" + (f"v{article.fields['version']}/" if article.is_archive else "")
        target = "../" * address.count("/") + file.url
        files.append(File.generated(config, address + "index.html", content=redirect.render(
            target=target, title=version.title, canonical=sites.absolute(config.site_url or "", file.url),
            robots=site_pages.redirect_robots(audience))))
    docs = Path(config.docs_dir).resolve()  # theme and generated files are none of the KB's to withhold
    sources = {f.src_uri: f for f in files if f.abs_src_path and Path(f.abs_src_path).resolve().is_relative_to(docs)}
    named = [config.theme.get("logo") or "", config.theme.get("favicon") or "", *config.extra_css,
             *(getattr(script, "path", script) for script in config.extra_javascript)]
    for path in publication.withheld(kb, audience, sources, named):  # plain pages, files no published page uses
        files.remove(sources[path])
    return files


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    """Books take their title from their index page; archived versions stay out of navigation."""
    nav.items = _prune(nav.items)
    return nav


def on_page_read_source(page: Page, config: MkDocsConfig) -> str | None:
    """An article's front matter was read with the KB: MkDocs gets the body, and on_page_markdown the
    metadata, rather than parsing every article's YAML a second time."""
    article = _served(page)
    if article is None:
        return None
    body = article.body.lstrip("\n")
    if page.file.src_uri != article.path:  # an approved copy served at its article's address
        body = links.relocate(body, article.path, page.file.src_uri)
    return NO_FRONT_MATTER + body


@event_priority(100)  # before the plugins (tags, search) read page.meta
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """An article's metadata is its front matter; its title is its number and name; archived versions stay
    out of search and off the Tags page."""
    article = _served(page)
    if article is not None:
        page.meta = {**copy.deepcopy(article.meta), **page.meta}
        # Material prints the title and description unescaped (nav, <title>, search): hand it text as HTML
        page.meta["title"] = str(escape(article.title))
        page.meta["description"] = str(escape(article.fields.get("abstract", "")))
        if article.is_archive and page.file.src_uri == article.path:
            page.meta["search"] = {"exclude": True}
            page.meta.pop("tags", None)
    return None


@event_priority(-100)  # after every other hook: the page's body as it is published
def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """Raw HTML the KB refuses (kb.rawhtml: script, event handlers, javascript: URLs) never reaches a page:
    stripped, with a warning, so a strict build fails and a preview shows the page without it."""
    if not rawhtml.may_hold(page.markdown or ""):
        return None
    safe, found = rawhtml.strip(html)
    warned = {p.value for p in build.current().kb.warnings if p.path == page.file.src_uri and p.field == "body"}
    for finding in found:
        if finding.what not in warned:  # kb.rawhtml.check said so already, with its line, as the build began
            log.warning(f"{page.file.src_uri}: body: {finding.what} stripped from the page: {rawhtml.POLICY}")
    return safe if found else None


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    current = build.current()
    article = _served(page)
    if article is not None:
        context["kb_article"] = views.article_view(current.kb, article, current.audience, page.file.src_uri)
    return context


# Helper functions


def _served(page: Page) -> Article | None:
    return build.current().version_at(page.file.src_uri)


def _prune(items: list[Any]) -> list[Any]:
    """Drop archived versions (and folders left empty) from navigation; title books from their index."""
    kept = []
    for item in items:
        if isinstance(item, Page) and is_archive_path(item.file.src_uri):
            continue
        if isinstance(item, Section):
            item.children = _prune(item.children)
            if not item.children:
                continue
            for child in item.children:
                if isinstance(child, Page) and child.file.name == "index" and child.file.abs_src_path:
                    title = settings.page_title(Path(child.file.abs_src_path))
                    if title:
                        item.title = title
            index = next((c for c in item.children if isinstance(c, Page) and c.file.name == "index"), None)
            if index is not None and index.file.abs_src_path:  # the book's own order, if its index gives one
                folder = PurePosixPath(index.file.src_uri).parent
                item.children = books.arrange(item.children, lambda entry: _entry_name(entry, folder),
                                              books.order_of(Path(index.file.abs_src_path)))
        kept.append(item)
    return kept


def _entry_name(item: Any, folder: PurePosixPath) -> str:
    """A navigation entry's name in its book's folder, as `order:` lists it: a file stem or a folder name."""
    page = item
    while isinstance(page, Section):
        page = next((c for c in page.children if isinstance(c, (Page, Section))), None)
    if not isinstance(page, Page):
        return ""
    path = PurePosixPath(page.file.src_uri)
    if page is item:
        return path.stem
    return path.relative_to(folder).parts[0] if path.is_relative_to(folder) and path.parent != folder else ""
