"""MkDocs hooks: translate build events into calls on the `kb` core, and hand its views to the templates.

Listed first under `hooks:` in mkdocs.yml: it loads and checks the KB that the other hook files use.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from kb import build, corpus, dates, publication, settings, views

log = logging.getLogger("mkdocs.plugins.kb")


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Load and check the whole KB once per build; errors abort it with every finding listed."""
    try:
        kb_settings = settings.from_mapping(config, Path(config.config_file_path).parent)
        today = dates.today()
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


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Leave out what this audience may not see; add /kb/<number>/ for every published article."""
    current = build.current()
    kb, audience = current.kb, current.audience
    redirect = config.theme.get_env().get_template("kb/redirect.html")
    for article in kb.articles:
        file = files.get_file_from_path(article.path)
        if file is None:
            continue
        if not publication.is_published(kb, article, audience):
            files.remove(file)
            continue
        if article.is_archive or article.number is None:
            continue
        target = "../../" + file.url
        files.append(File.generated(config, f"kb/{article.number}/index.html",
                                    content=redirect.render(target=target, title=article.title)))
    return files


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    """A book (folder) takes its title from its index page, when it has one."""
    for item in nav.items:
        if isinstance(item, Section):
            _title_books(item)
    return nav


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """An article's title is its number and name."""
    article = build.current().kb.by_path(page.file.src_uri)
    if article is not None:
        page.meta["title"] = article.title
    return None


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    current = build.current()
    article = current.kb.by_path(page.file.src_uri)
    if article is not None:
        context["kb_article"] = views.article_view(current.kb, article, current.audience)
    return context


# Helper functions


def _title_books(section: Section) -> None:
    for child in section.children:
        if isinstance(child, Page) and child.file.name == "index":
            title = child.meta.get("title") if child.meta else None
            if not title and child.file.abs_src_path:
                title = settings.page_title(Path(child.file.abs_src_path))
            if title:
                section.title = str(title)
        elif isinstance(child, Section):
            _title_books(child)
