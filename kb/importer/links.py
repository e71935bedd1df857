"""Links between imported pages: BookStack's anchors, ZIP references and old-KB URLs become local links.

Every page of an import is registered first (its BookStack id and slug, its new path, and which heading
anchor each of its `bkmrk-` ids now falls under); then each body's links are resolved against that map:

- `#bkmrk-…` in the same page -> the heading's new anchor (an id on a paragraph -> the heading above it);
- `[[bsexport:page:N]]#bkmrk-…`, `…chapter:N`, `…book:N`, `…attachment:N` (portable ZIP) -> relative links
  to the imported page, the chapter's or book's index, or the saved attachment, anchors included;
- old-KB URLs (`/link/N#…` permalinks, `/books/B/page/P#…`, `/books/B/chapter/C`, `/attachments/N`) to
  pages of this import -> the same relative links; any other link into the old KB is reported, since it
  breaks once the old KB is switched off.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable
from urllib.parse import urlsplit

from bs4 import Tag
from markdown.extensions.toc import slugify

from kb.importer.common import text_of

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
REFERENCE = re.compile(r"^\[\[bsexport:(page|chapter|book|image|attachment):(\d+)\]\](.*)$")
OLD_KB_PATHS = (  # BookStack's URL patterns (app/References/ModelResolvers/*)
    ("page", re.compile(r"^/link/(\d+)/?$")),
    ("page-slug", re.compile(r"^/books/([\w-]+)/page/([\w-]+)/?$")),
    ("chapter-slug", re.compile(r"^/books/([\w-]+)/chapter/([\w-]+)/?$")),
    ("book-slug", re.compile(r"^/books/([\w-]+)/?$")),
    ("attachment", re.compile(r"^/attachments/(\d+)/?$")),
    ("image", re.compile(r"^/uploads/images/.+")),
    ("other", re.compile(r"^/(?:shelves|search|tags|user|link)(?:/.*)?$")),
)


@dataclass
class Target:
    """An imported page (or a book's or chapter's index) as a link can reach it."""

    rel: str  # docs-relative path of its Markdown file
    anchors: dict[str, str] = field(default_factory=dict)  # BookStack id -> heading anchor ("" = the top)


@dataclass
class Resolution:
    href: str | None = None  # the new target; None keeps the link as it is
    unwrap: bool = False  # the link goes, its text stays
    note: str | None = None


@dataclass
class LinkMap:
    pages: dict[int, Target] = field(default_factory=dict)
    page_slugs: dict[str, Target] = field(default_factory=dict)
    chapters: dict[int, Target] = field(default_factory=dict)
    chapter_slugs: dict[str, Target] = field(default_factory=dict)
    books: dict[int, Target] = field(default_factory=dict)
    book_slugs: dict[str, Target] = field(default_factory=dict)
    attachments: dict[int, str] = field(default_factory=dict)  # id -> docs path of the saved file, or a URL
    by_anchor: dict[str, list[Target]] = field(default_factory=dict)  # bkmrk- id -> the pages that have it

    def add_page(self, target: Target, page_id: int | None, names: Iterable[str]) -> None:
        if page_id is not None:
            self.pages[page_id] = target
        for name in names:
            self.page_slugs.setdefault(bookstack_slug(name), target)
        for anchor in target.anchors:
            self.by_anchor.setdefault(anchor, []).append(target)

    def resolve(self, href: str, here: Target) -> Resolution:
        href = href.strip()
        reference = REFERENCE.match(href)
        if reference:
            return self._reference(reference[1], int(reference[2]), reference[3], here, href)
        parts = urlsplit(href)
        if parts.fragment.startswith("bkmrk-") and parts.path in ("", "/") and not parts.query:
            return _anchor(here, parts.fragment, here)
        if parts.scheme not in ("http", "https") or not parts.path.startswith("/"):
            return Resolution()
        for kind, pattern in OLD_KB_PATHS:
            match = pattern.match(parts.path)
            if match is None:
                continue
            target = {"page": lambda: self.pages.get(int(match[1])),
                      "page-slug": lambda: self.page_slugs.get(match[2]),
                      "chapter-slug": lambda: self.chapter_slugs.get(match[2]),
                      "book-slug": lambda: self.book_slugs.get(match[1])}.get(kind, lambda: None)()
            if kind == "image":
                return Resolution()  # an old-KB image: the image step has reported it already
            if kind == "attachment" and int(match[1]) in self.attachments:
                return Resolution(_relative(self.attachments[int(match[1])], here))
            if target is not None:
                return _anchor(target, parts.fragment, here)
            if kind == "page" and len(self.by_anchor.get(parts.fragment, [])) == 1:
                # a Markdown export carries no page ids, but BookStack's anchor is made from the heading's
                # text: when exactly one imported page has it, the permalink is to that page
                found = _anchor(self.by_anchor[parts.fragment][0], parts.fragment, here)
                found.note = f"permalink {href} taken to be {self.by_anchor[parts.fragment][0].rel} (its anchor)"
                return found
            return Resolution(note=f"link into the old knowledge base, to nothing in this import: {href} "
                                   "(it breaks when the old KB is switched off)")
        return Resolution()

    def _reference(self, kind: str, number: int, rest: str, here: Target, href: str) -> Resolution:
        fragment = rest[1:] if rest.startswith("#") else ""
        if kind == "attachment" and number in self.attachments:
            return Resolution(_relative(self.attachments[number], here))
        target = {"page": self.pages, "chapter": self.chapters, "book": self.books}.get(kind, {}).get(number)
        if target is None:
            return Resolution(unwrap=True, note=f"reference {href} names nothing the import holds: the link text "
                                                "is kept")
        return _anchor(target, fragment, here)


def bookstack_slug(name: str) -> str:
    """Laravel's Str::slug, as BookStack makes a page's URL slug: ASCII, lower-case, '@' as '-at-',
    anything but letters, digits, spaces and '-' removed, runs of spaces and '-' as one '-'."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"_+", "-", text).replace("@", "-at-")
    text = re.sub(r"[^-\w\s]+", "", text.lower()).replace("_", "")
    return re.sub(r"[-\s]+", "-", text).strip("-")


def anchors_of(blocks: list[Tag]) -> dict[str, str]:
    """Each BookStack id in a body -> the anchor the site gives its heading, or the heading above it.

    Anchors are what Python-Markdown's toc makes of the heading's text (slugify, made unique with _1, _2)."""
    anchors: dict[str, str] = {}
    used: set[str] = set()
    current = ""
    for block in blocks:
        for element in [block, *block.find_all(True)]:
            if element.name in HEADINGS:
                current = _unique(slugify(text_of(element), "-"), used)
            if element.get("id"):
                anchors.setdefault(str(element["id"]), current)
    return anchors


# Helper functions


def _anchor(target: Target, fragment: str, here: Target) -> Resolution:
    path = "" if target.rel == here.rel else _relative(target.rel, here)
    if not fragment:
        return Resolution(path or "#")
    anchor = target.anchors.get(fragment)
    if anchor is None:
        note = f"link to #{fragment} on {target.rel if path else 'the old page'} has no heading to point at"
        if not path:
            return Resolution(unwrap=True, note=note + ": kept as text")
        return Resolution(path, note=note + ": it points at the page")
    return Resolution(f"{path}#{anchor}" if anchor else (path or "#"))


def _relative(rel: str, here: Target) -> str:
    if "://" in rel:
        return rel  # a link attachment: its URL
    return posixpath.relpath(rel, posixpath.dirname(here.rel) or ".")


def _unique(anchor: str, used: set[str]) -> str:
    candidate, number = anchor, 0
    while candidate in used or not candidate:
        number += 1
        candidate = f"{anchor}_{number}"
    used.add(candidate)
    return candidate
