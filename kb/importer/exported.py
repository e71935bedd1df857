"""What every reader hands on: the pages an export holds and the book and chapters around them.

Whatever the format (a page export, a book or chapter export in HTML or Markdown, a portable ZIP), a reader
returns an `Export`: one `ExportedPage` per page, in BookStack's order, and one `Section` per book or chapter
(an index page). From there on the importer does not care which format the page came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import Tag

from kb.importer.common import slug
from kb.importer.media import ExportFiles

TAG_CHARACTERS = re.compile(r"[^\w .+-]+")


@dataclass
class Attachment:
    """A page's attachment: a file carried in the export (`data`) or a link (`link`)."""

    id: int | None
    name: str
    data: bytes | None = None
    link: str | None = None


@dataclass
class ExportedPage:
    """One BookStack page, as any export carries it, before anything is mapped."""

    source: Path  # the file it came from
    root: Tag  # the page's HTML
    kind: str  # "html" (an HTML export's page, with its chrome) or "markdown" (rendered from Markdown)
    files: ExportFiles  # the images and files the export carries
    folder: str  # docs-relative folder: the book, or the book's chapter
    name: str | None = None  # the page's name, when the export says it (ZIP, book and chapter exports)
    id: int | None = None  # BookStack's id of the page (ZIP, book and chapter HTML exports)
    tags: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    in_book: bool = False  # one page of a book or chapter export: without Document Control it is a plain page
    book_title: str | None = None  # a page export's book name (a Markdown export that starts with it)

    @property
    def where(self) -> str:
        """How reports name the page: the file, and the page when the file holds several."""
        return f"{self.source} [{self.name}]" if self.in_book and self.name else str(self.source)


@dataclass
class Section:
    """A book or a chapter: a folder with an index page (title and description) in BookStack's order."""

    folder: str
    title: str
    description: Tag | None = None
    id: int | None = None
    kind: str = "book"  # "book" or "chapter"
    tags: list[str] = field(default_factory=list)


@dataclass
class Export:
    pages: list[ExportedPage] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    order: list[ExportedPage | Section] = field(default_factory=list)  # everything, in BookStack's order

    def add(self, item: ExportedPage | Section) -> None:
        (self.pages if isinstance(item, ExportedPage) else self.sections).append(item)
        self.order.append(item)

    def children(self, section: Section) -> list[ExportedPage | Section]:
        """What a book or chapter holds, in BookStack's order: its pages, and a book's chapters."""
        return [item for item in self.order if item is not section and (
            (isinstance(item, ExportedPage) and item.folder == section.folder) or
            (isinstance(item, Section) and item.kind == "chapter" and item.folder.rpartition("/")[0] == section.folder))]


def chapter_folder(book: str, name: str) -> str:
    """A chapter's folder inside its book: the chapter's name as a slug."""
    return f"{book}/{slug(name)}"


def kb_tag(name: str, value: str = "") -> str | None:
    """The KB's plain-word tag for a BookStack tag (documented in the README):

    a tag without a value keeps its name (`exchange`); a name with a value becomes `name-value`
    (`Priority: High` -> `priority-high`); letters are lower-cased, characters a KB tag cannot hold become
    '-', and the result is cut to 40 characters. None when nothing is left."""
    text = f"{name}-{value}" if value.strip() else name
    text = TAG_CHARACTERS.sub("-", text.strip().casefold()).strip(" -.+")
    text = re.sub(r"-{2,}", "-", text)[:40].strip(" -.+")
    return text or None
