"""Books in navigation: each takes its title from its index page and its order from the index's `order:`;
archived versions (and folders left empty) stay out."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

from mkdocs.structure.nav import Section
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
