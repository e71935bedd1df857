"""The build object: one MkDocs build of the KB, its state in typed fields, its steps in a fixed order.

hooks/kb_hooks.py forwards every MkDocs event here. Each handler is short: it calls the core (`kb`) and the
managers (sites, pages, PDFs, forms) in the order written below, so nothing depends on the order in which
mkdocs.yml lists hooks or on values handed from one hook to another. The priorities say where an event runs
relative to MkDocs' plugins (search, tags, privacy, offline), which are listed in mkdocs.yml too.
"""

from __future__ import annotations

import copy
import logging
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from kb import corpus, dates, links, publication, rawhtml, settings, site_pages, sites, templating, views
from kb.corpus import KnowledgeBase
from kb.model import Article
from kb_mkdocs import navigation
from kb_mkdocs.forms import Forms
from kb_mkdocs.pages import KbPages
from kb_mkdocs.pdfs import Printing
from kb_mkdocs.serving import Serving
from kb_mkdocs.sites import SiteAddress

log = logging.getLogger("mkdocs.plugins.kb")
NO_FRONT_MATTER = "---\n{}\n---\n"  # MkDocs strips it and finds no metadata, whatever the body's first line


@dataclass
class KnowledgeBaseBuild:
    """The state of the build in progress. on_config starts each build afresh (`mkdocs serve` runs many)."""

    kb: KnowledgeBase | None = None
    audience: str = "internal"
    today: date | None = None
    served: dict[str, Article] = field(default_factory=dict)  # docs path of a page -> the version it shows
    site: SiteAddress = field(default_factory=SiteAddress)
    pages: KbPages = field(default_factory=KbPages)
    forms: Forms = field(default_factory=Forms)
    templates: Environment | None = None  # the theme's, for the KB's own templates outside a page's rendering
    pdfs: Printing | None = None  # only when this build makes PDFs
    serving: Serving | None = None  # only under `mkdocs serve --dirty` (make serve): kept between rebuilds

    # Configuration

    def on_startup(self, command: str, dirty: bool) -> None:
        """`mkdocs serve --dirty` renders only what changed: the build object keeps what it needs for that."""
        if command == "serve" and dirty:
            self.serving = Serving()
            logging.getLogger("mkdocs.commands.build").addFilter(_DirtyWarning())

    @event_priority(100)  # before the plugins (privacy, sitemap) read site_url
    def _on_config_address(self, config: MkDocsConfig) -> MkDocsConfig:
        self.site = SiteAddress.configure(config)
        return config

    @event_priority(-100)  # after the plugins: Material's offline plugin adds its polyfill in its own on_config
    def _on_config_kb(self, config: MkDocsConfig) -> MkDocsConfig:
        """Load and check the whole KB once per build; errors abort it with every finding listed."""
        self._start(config)
        self.templates = templating.autoescaped(config.theme.get_env())
        if self.serving is not None:
            self.templates.bytecode_cache = self.serving.templates  # compiled once, not on every rebuild
        self.forms = Forms.configure(config, self.kb.settings.rejection_codes, self.templates)
        self.pdfs = Printing.configure(self.audience)
        self.pages = KbPages()
        self.pages.configure_offline(config)
        return config

    on_config = CombinedEvent(_on_config_address, _on_config_kb)

    @event_priority(110)  # before the tags plugin lists every page's tags
    def _on_env_stand_in(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        """Under `make serve`, the pages a rebuild did not read stand in as they were last read."""
        if self.serving is not None:
            self.serving.stand_in(env, files, config)
        return env

    def _on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        """The KB's templates escape what they print; navigation items are rendered once, not on every page;
        PDFs are printed with the same environment."""
        env = templating.autoescaped(env)
        env.globals["kb_nav_item"] = navigation.RenderedItems()  # overrides/partials/nav-item.html
        if self.pdfs is not None:
            self.pdfs.env = env
        return env

    on_env = CombinedEvent(_on_env_stand_in, _on_env)

    # Files and navigation

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Leave out what this audience may not see; serve each address its version; add /kb/<number>/, then
        the KB's own files (kb.json, the dashboard and calendar, robots.txt) at the URLs of the pages built."""
        self._serve_versions(files, config)
        self._withhold(files, config)
        Printing.leave_out_stylesheet(files)
        self.pages.add_files(files, config, self.kb, self.audience,
                             self.serving.events if self.serving is not None else None)
        self.site.add_robots_txt(files, config, self.audience)
        if self.serving is not None:
            self.serving.keep_written(files, config)
            self.serving.mark_stale(files, config, self.kb, self.served)
        return files

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        """Books take their title and order from their index page; archived versions stay out of navigation."""
        nav.items = navigation.prune(nav.items)
        return nav

    # Pages

    def on_page_read_source(self, page: Page, config: MkDocsConfig) -> str | None:
        """An article's front matter was read with the KB: MkDocs gets the body, and on_page_markdown the
        metadata, rather than parsing every article's YAML a second time."""
        article = self.served.get(page.file.src_uri)
        if article is None:
            return None
        body = article.body.lstrip("\n")
        if page.file.src_uri != article.path:  # an approved copy served at its article's address
            body = links.relocate(body, article.path, page.file.src_uri)
        return NO_FRONT_MATTER + body

    @event_priority(100)  # before the plugins (tags, search) read page.meta
    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        """An article's metadata is its front matter; its title is its number and name; archived versions stay
        out of search and off the Tags page. The home page lists books, reviews due and recent changes."""
        if self.serving is not None:
            self.serving.read(page, markdown, config)
        article = self.served.get(page.file.src_uri)
        if article is not None:
            _article_meta(page, article)
        self.pages.choose_template(page)
        return None

    @event_priority(-100)  # after every plugin: the page's body as it is published
    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        """Raw HTML the KB refuses (kb.rawhtml: script, event handlers, javascript: URLs) never reaches a page:
        stripped, with a warning, so a strict build fails and a preview shows the page without it."""
        if not rawhtml.may_hold(page.markdown or ""):
            return None
        safe, found = rawhtml.strip(html)
        warned = {p.value for p in self.kb.warnings if p.path == page.file.src_uri and p.field == "body"}
        for finding in found:
            if finding.what not in warned:  # kb.rawhtml.check said so already, with its line, as the build began
                log.warning(f"{page.file.src_uri}: body: {finding.what} stripped from the page: {rawhtml.POLICY}")
        return safe if found else None

    def on_page_context(self, context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
        """What the KB's templates print: the article's view (and its PDF), the KB's own pages' data, whether
        the page loads the form's script, and its robots meta."""
        article = self.served.get(page.file.src_uri)
        if article is not None:
            view = views.article_view(self.kb, article, self.audience, page.file.src_uri)
            context["kb_article"] = view
            if self.pdfs is not None and article.number:
                context["kb_pdf"] = self.pdfs.link(page, article, view)
        context.update(self.pages.context(page, self.kb, self.audience))
        context["kb_has_form"] = self.forms.has_form(page)
        context["kb_robots"] = self.site.robots(page, self.audience, self.served.get(page.file.src_uri))
        if self.serving is not None:
            index = _search_index(config)
            self.serving.rendered(page, index.entries if index is not None else None)
        return context

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str | None:
        """Keep the page's printable document for on_post_build."""
        article = self.served.get(page.file.src_uri)
        if self.pdfs is not None and article is not None and article.number:
            self.pdfs.collect(page, article, config, self.kb, self.today)
        return None

    def on_template_context(self, context: dict[str, Any], template_name: str, config: MkDocsConfig) -> dict[str, Any]:
        """The sitemap's entries; the robots meta of the theme's own pages (404)."""
        context.update(self.site.template_context(context, template_name, self.audience, self.served))
        return context

    @event_priority(10)  # before the search plugin writes its index
    def _on_post_build_search(self, config: MkDocsConfig) -> None:
        """Under `make serve`, the search index holds every page, read in this rebuild or an earlier one."""
        index = _search_index(config)
        if self.serving is not None and index is not None:
            index.entries = self.serving.search_entries()
            config.plugins["material/search"].search_index_prev = None  # its own merge keeps one page only

    def _on_post_build(self, config: MkDocsConfig) -> None:
        if self.pdfs is not None:
            self.pdfs.render(config)

    on_post_build = CombinedEvent(_on_post_build_search, _on_post_build)

    # Helper functions

    def _start(self, config: MkDocsConfig) -> None:
        try:
            kb_settings = settings.from_mapping(config, Path(config.config_file_path).parent)
            self.today = dates.today()
            dates.pin_source_date_epoch()
            self.audience = publication.audience()
        except (settings.SettingsError, dates.DateSettingError, publication.AudienceError) as exc:
            raise PluginError(str(exc)) from None
        self.kb = corpus.load(kb_settings, self.today, self.serving.readings if self.serving is not None else None)
        self.served = {}
        for warning in self.kb.warnings:
            log.warning(str(warning))
        if self.kb.errors:
            listing = "\n".join(f"  {problem}" for problem in self.kb.errors)
            raise PluginError(f"{len(self.kb.errors)} problem(s) in the knowledge base:\n{listing}")

    def _serve_versions(self, files: Files, config: MkDocsConfig) -> None:
        """Each article's address serves the version this audience sees; /kb/<number>/ redirects to it."""
        redirect = self.templates.get_template("kb/redirect.html")
        for article in self.kb.articles:
            file = files.get_file_from_path(article.path)
            if file is None:
                continue
            version = publication.served(self.kb, article, self.audience)
            if version is None:
                files.remove(file)
                continue
            self.served[article.path] = version
            if article.number is None:
                continue
            address = f"kb/{article.number}/" + (f"v{article.control.version}/" if article.is_archive else "")
            target = "../" * address.count("/") + file.url
            files.append(File.generated(config, address + "index.html", content=redirect.render(
                target=target, title=version.title, canonical=sites.absolute(config.site_url or "", file.url),
                robots=site_pages.redirect_robots(self.audience))))

    def _withhold(self, files: Files, config: MkDocsConfig) -> None:
        """Plain pages, and files no published page uses, that this audience may not see."""
        # theme and generated files are none of the KB's to withhold (MkDocs names the docs' files by docs_dir;
        # a symlink leading out of docs/ is an error of its own: kb/boundary.py)
        docs = os.path.join(os.path.abspath(config.docs_dir), "")
        sources = {f.src_uri: f for f in files if f.abs_src_path and f.abs_src_path.startswith(docs)}
        named = [config.theme.get("logo") or "", config.theme.get("favicon") or "", *config.extra_css,
                 *(getattr(script, "path", script) for script in config.extra_javascript)]
        for path in publication.withheld(self.kb, self.audience, sources, named):
            files.remove(sources[path])


def _search_index(config: MkDocsConfig) -> Any:
    """Material's search index of this build (the entries it has made so far), if search is on."""
    search = config.plugins.get("material/search")
    return search.search_index if search is not None and search.config.enabled else None


class _DirtyWarning(logging.Filter):
    """MkDocs warns that a dirty build may leave navigation wrong; under `make serve` the build object
    re-renders every page an edit shows on (kb_mkdocs/serving.py)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def _article_meta(page: Page, article: Article) -> None:
    page.meta = {**copy.deepcopy(article.meta), **page.meta}
    # Material prints the title and description unescaped (nav, <title>, search): hand it text as HTML
    page.meta["title"] = str(escape(article.title))
    page.meta["description"] = str(escape(article.control.abstract or ""))
    if article.is_archive and page.file.src_uri == article.path:
        page.meta["search"] = {"exclude": True}
        page.meta.pop("tags", None)
