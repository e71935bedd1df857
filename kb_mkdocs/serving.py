"""`mkdocs serve --dirty` (`make serve`) without stale pages: what the build object keeps between rebuilds.

A dirty build renders only the pages MkDocs counts as modified (File.is_modified: the page's output is older
than its source). An edit to one article shows on more pages than its own, so before MkDocs renders, every
page that shows the article's data is made to count as modified too (its output's time is set to 0):
- the article's other versions (each lists every version and compares itself with the one before);
- the pages that list every article: the home page, the review dashboard, any page with a tags listing (other
  pages that are not articles, such as a book's index, show articles only in navigation);
- the pages of its book, when its title or status changed (navigation shows them);
- every page, when a page was added or removed, or anything else changed (mkdocs.yml, the theme, assets).
The review dashboard, the calendar, the catalogue and the redirects are generated files, made again each build
and written only when their content changed.

Pages MkDocs skips are never read, yet other pages need them: navigation their titles, the tags page their
tags, search their text. Each page read is kept (its source, metadata, HTML and search entries) and handed back
to a skipped page before the theme renders, and the page_markdown event is replayed on it (no Markdown is
converted), so the tags plugin sees every page; the search index is written from every page's entries.
"""

from __future__ import annotations

import copy
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from kb.corpus import FileReading, KnowledgeBase
from kb.model import Article, article_path_of_archive
from kb_mkdocs.pages import KbPages

Signature = tuple[int, int]  # a file's mtime (ns) and size


@dataclass
class PageSnapshot:
    """A page as it was last read: enough to stand in for it when a dirty build does not read it again."""

    markdown: str  # its source, before the page_markdown event
    meta: dict[str, Any]  # its metadata, before the page_markdown event
    lists_every_article: bool = False  # the home page, the review dashboard, a tags listing
    content: str | None = None
    toc: Any = None
    title_from_render: str | None = None
    search: list[dict[str, Any]] = field(default_factory=list)  # its entries in the search index


@dataclass
class Serving:
    """What `mkdocs serve --dirty` keeps from one build to the next."""

    signatures: dict[str, Signature] = field(default_factory=dict)  # every watched file
    shown: dict[str, tuple[Any, ...]] = field(default_factory=dict)  # article path -> what navigation shows of it
    snapshots: dict[str, PageSnapshot] = field(default_factory=dict)  # docs path -> the page as last read
    order: list[str] = field(default_factory=list)  # documentation pages in this build's order
    search_mark: int = 0  # search entries already assigned to a page, in this build
    readings: dict[tuple[str, str], FileReading] = field(default_factory=dict)  # kb.corpus.load's memo
    events: dict[tuple[Any, ...], Any] = field(default_factory=dict)  # kb.ical.calendar's memo
    templates: _CompiledTemplates = field(default_factory=lambda: _CompiledTemplates())
    written: dict[str, bytes] = field(default_factory=dict)  # generated file -> what was last written of it

    def mark_stale(self, files: Files, config: MkDocsConfig, kb: KnowledgeBase,
                   served: dict[str, Article]) -> set[str] | None:
        """Make every page that shows changed data count as modified; the pages, or None for all of them."""
        signatures = _signatures(config)
        shown = {path: _shown(kb, article) for path, article in served.items()}
        changed = {path for path in signatures.keys() | self.signatures.keys()
                   if signatures.get(path) != self.signatures.get(path)}
        first, pages = not self.signatures, set(self.order)
        self.signatures, previous, self.shown = signatures, self.shown, shown
        self.order, self.search_mark = [f.src_uri for f in files.documentation_pages()], 0
        if first:
            return None
        docs = Path(config.docs_dir).resolve()
        edited = {_docs_path(path, docs) for path in changed}
        if None in edited or pages != set(self.order) or not edited <= served.keys():
            # a page added or removed; a page that is not an article (a book's title or order); the config,
            # the theme or an asset
            stale = set(self.order)
        else:
            listings = {path for path, snapshot in self.snapshots.items() if snapshot.lists_every_article}
            stale = _dependents(edited, kb, previous, shown, self.order, listings)
        for file in files.documentation_pages():
            if file.src_uri in stale and os.path.isfile(file.abs_dest_path):
                os.utime(file.abs_dest_path, ns=(0, 0))
        logging.getLogger("mkdocs.plugins.kb").info(f"Serve: {len(edited)} file(s) changed, "
                                                    f"{len(stale)} of {len(self.order)} page(s) to render")
        return stale

    def keep_written(self, files: Files, config: MkDocsConfig) -> None:
        """A generated file whose content is what an earlier rebuild wrote is served from that copy, not written
        again: MkDocs writes every generated file on every build, a thousand /kb/<number>/ redirects at 1,000
        articles, whatever the edit."""
        for file in list(files):
            if file.generated_by is None or file.abs_src_path is not None or file.is_documentation_page():
                continue
            content = file.content_bytes
            if self.written.get(file.src_uri) == content and os.path.isfile(file.abs_dest_path):
                # backed by the copy in the site: MkDocs counts it unmodified and leaves it
                files.remove(file)
                files.append(File.generated(config, file.src_uri, abs_src_path=file.abs_dest_path,
                                            inclusion=file.inclusion))
            else:
                self.written[file.src_uri] = content

    def read(self, page: Page, markdown: str, config: MkDocsConfig) -> None:
        """Keep a page's source and metadata as MkDocs read them (before the page_markdown event), and whether
        it lists every article (then every edit shows on it)."""
        if page.content is not None:
            return  # a stand-in: its page_markdown event replayed
        tags = config.plugins.get("material/tags")
        listing = tags is not None and tags.config.enabled and f"<!-- {tags.config.listings_directive}" in markdown
        self.snapshots[page.file.src_uri] = PageSnapshot(markdown, copy.deepcopy(page.meta),
                                                         listing or KbPages.lists_every_article(page))

    def rendered(self, page: Page, search_entries: list[dict[str, Any]] | None) -> None:
        """Keep a page's HTML, contents and search entries once the theme has its context."""
        snapshot = self.snapshots.get(page.file.src_uri)
        if snapshot is None:
            return
        snapshot.content, snapshot.toc, snapshot.title_from_render = page.content, page.toc, page._title_from_render
        if search_entries is not None:
            snapshot.search = search_entries[self.search_mark:]
            self.search_mark = len(search_entries)

    def stand_in(self, env: Environment, files: Files, config: MkDocsConfig) -> None:
        """Hand every page this build did not read what it had when it was last read; the theme's templates
        are compiled once, not on every rebuild."""
        env.bytecode_cache = self.templates
        for file in files.documentation_pages():
            page, snapshot = file.page, self.snapshots.get(file.src_uri)
            if page is None or page.markdown is not None or snapshot is None:
                continue
            page.markdown, page.meta = snapshot.markdown, copy.deepcopy(snapshot.meta)
            page.content, page.toc, page._title_from_render = snapshot.content, snapshot.toc, snapshot.title_from_render
            page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)

    def search_entries(self) -> list[dict[str, Any]]:
        """Every page's search entries, in the order a full build writes them."""
        return [entry for path in self.order if path in self.snapshots for entry in self.snapshots[path].search]


# Helper functions


class _CompiledTemplates(BytecodeCache):
    """Compiled templates kept in memory between rebuilds (Jinja checks each template's source checksum)."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


def _signatures(config: MkDocsConfig) -> dict[str, Signature]:
    """Every file whose change can change a page: the docs, mkdocs.yml, the theme's overrides."""
    roots = [Path(config.docs_dir)]
    if config.theme.custom_dir:
        roots.append(Path(config.theme.custom_dir))
    found = {}
    for root in roots:
        for folder, _, names in os.walk(root):
            for name in names:
                path = os.path.join(folder, name)
                stat = os.stat(path)
                found[os.path.realpath(path)] = (stat.st_mtime_ns, stat.st_size)
    if config.config_file_path:
        stat = os.stat(config.config_file_path)
        found[os.path.realpath(config.config_file_path)] = (stat.st_mtime_ns, stat.st_size)
    return found


def _docs_path(path: str, docs: Path) -> str | None:
    """A changed file's docs path when it is a Markdown page under docs/; None for anything else."""
    resolved = Path(path)
    if resolved.suffix != ".md" or not resolved.is_relative_to(docs):
        return None
    return resolved.relative_to(docs).as_posix()


def _shown(kb: KnowledgeBase, article: Article) -> tuple[Any, ...]:
    """What pages other than the article's own show of it in navigation and listings of its book."""
    return article.title, article.status, article.number


def _dependents(edited: set[str], kb: KnowledgeBase, previous: dict[str, tuple[Any, ...]],
                shown: dict[str, tuple[Any, ...]], order: list[str], listings: set[str]) -> set[str]:
    """The pages that show data of the edited articles. A page that is not an article shows none but in
    navigation (their titles and status: below), unless it lists them all (`listings`)."""
    stale = set(edited) | listings
    for path in edited:
        owner = kb.by_path(article_path_of_archive(path)) or kb.by_path(path)
        if owner is not None:
            stale |= {owner.path, *(archive.path for archive in kb.archives_of(owner))}
        if previous.get(path) != shown.get(path):  # its title or status in navigation: its book's pages
            book = path.split("/", 1)[0] + "/"
            stale |= {page for page in order if page.startswith(book)}
    return stale & set(order)
