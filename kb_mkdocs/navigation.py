"""Navigation: books take their title from their index page and their order from the index's `order:`, archived
versions (and folders left empty) stay out; and each item is rendered once for all the pages it looks the same on
(RenderedItems)."""

from __future__ import annotations

import posixpath
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Undefined
from mkdocs.structure.nav import Link, Section
from mkdocs.structure.pages import Page

from kb import books, settings
from kb.model import is_archive_path


def prune(items: list[Any]) -> list[Any]:
    """Drop archived versions (and folders left empty) from navigation; title books from their index."""
    kept = []
    for item in items:
        if isinstance(item, Page) and is_archive_path(item.file.src_uri):
            continue
        if isinstance(item, Section):
            item.children = prune(item.children)
            if not item.children:
                continue
            _title_and_order(item)
        kept.append(item)
    return kept


# Helper functions


def _title_and_order(section: Section) -> None:
    for child in section.children:
        if isinstance(child, Page) and child.file.name == "index" and child.file.abs_src_path:
            title = settings.page_title(Path(child.file.abs_src_path))
            if title:
                section.title = title
    index = next((c for c in section.children if isinstance(c, Page) and c.file.name == "index"), None)
    if index is not None and index.file.abs_src_path:  # the book's own order, if its index gives one
        folder = PurePosixPath(index.file.src_uri).parent
        section.children = books.arrange(section.children, lambda entry: _entry_name(entry, folder),
                                         books.order_of(Path(index.file.abs_src_path)))


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


_UNSEEN: Any = object()


class RenderedItems:
    """Material's navigation, each item rendered once per build and reused by every page it looks the same on.

    Material renders the whole navigation on every page, which costs a plain build a third of its time at 1,000
    articles. An item that neither is the page nor holds it prints the same HTML on every page, except for its
    links, which are relative to the page. Those depend on the page only through how its address leaves the
    folder all the item's links share: pages whose addresses leave it alike get the same HTML. Anything else
    (the page itself, the items holding it, links relative to something else) is rendered every time, as
    Material does.

    overrides/partials/nav-item.html calls it twice: around the body of Material's `render` macro (the item is
    rendered, or handed back if it was already), and before the loop over a section's items calls that macro
    (`reuse`: the HTML already rendered, or None), which spares a Jinja macro call per item and page.
    """

    def __init__(self) -> None:
        self.rendered: dict[tuple[Any, ...], Any] = {}
        self.folders: dict[int, tuple[str, ...] | None] = {}  # item -> the folder all its links share
        self.page: Any = None
        self.start: tuple[str, ...] = ()  # the folder `page`'s links are relative to

    def __call__(self, nav_item: Any, path: str, level: int, parent: Any, page: Any, caller: Any) -> Any:
        key = self._key(nav_item, path, level, parent, page)
        if key is None:
            return caller()
        if key not in self.rendered:
            self.rendered[key] = caller()
        return self.rendered[key]

    def reuse(self, nav_item: Any, path: str, level: int, parent: Any, page: Any) -> Any:
        key = self._key(nav_item, path, level, parent, page)
        return self.rendered.get(key) if key is not None else None

    def _key(self, nav_item: Any, path: str, level: int, parent: Any, page: Any) -> tuple[Any, ...] | None:
        """What the item's HTML depends on, on this page; None when it depends on more than its links."""
        if not isinstance(page, Page) or getattr(nav_item, "active", True) or nav_item is page:
            return None
        if page in (getattr(nav_item, "pages", None) or ()):
            return None
        folder = self.folders.get(id(nav_item), _UNSEEN)
        if folder is _UNSEEN:
            folder = self.folders[id(nav_item)] = _shared_folder(nav_item)
        if folder is None:
            return None
        if page is not self.page:
            # as mkdocs.utils.get_relative_url reads the page's address: a last part with a dot is a file
            directory, _, name = page.url.rpartition("/")
            self.page, self.start = page, _url_parts(directory if "." in name else page.url)
        start = self.start
        # the top level passes no parent: Jinja's Undefined, a new one on every call
        item = (id(nav_item), path, level, None if isinstance(parent, Undefined) else id(parent))
        if start[:len(folder)] == folder:
            return (*item, "inside", start)  # links into the page's own folder: relative to the whole address
        # every link is "../" for each part of the page's folder past the shared ones, then its own parts past them
        return (*item, "outside", len(start), _shared_length(start, folder))


def _shared_folder(item: Any) -> tuple[str, ...] | None:
    """The longest run of leading URL parts every relative link under `item` shares; None if one of them is
    relative in a way a page's address alone does not settle (a link starting with ../, or none at all)."""
    shared: tuple[str, ...] | None = None
    for url in _urls(item):
        if not url or posixpath.normpath(url).startswith(".."):
            return None
        address = urlsplit(url)
        if address.scheme or address.netloc or url.startswith(("/", "#")):
            # MkDocs' url filter prints these as written on every page (mkdocs.utils._get_norm_url; unlike
            # kb.links.is_relative, it reads a URL with no path, "?q", relative to the page)
            continue
        parts = _url_parts(url)
        shared = parts if shared is None else shared[:_shared_length(shared, parts)]
    return shared if shared is not None else ()


def _shared_length(one: tuple[str, ...], other: tuple[str, ...]) -> int:
    """How many leading parts two URLs share."""
    shared = 0
    for mine, theirs in zip(one, other):
        if mine != theirs:
            break
        shared += 1
    return shared


def _urls(item: Any) -> list[str]:
    urls = [item.url] if isinstance(item, (Page, Link)) else []
    for child in getattr(item, "children", None) or ():
        urls.extend(_urls(child))
    return urls


def _url_parts(url: str) -> tuple[str, ...]:
    """A URL's parts as mkdocs.utils.get_relative_url compares them (normalised, no empty parts)."""
    path = posixpath.normpath("/" + url)[1:]
    return tuple(path.split("/")) if path else ()
