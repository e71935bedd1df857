"""A controlled page's layout: which blocks are the Document Control and Change Control tables, which are the
body between the START/END OF DOCUMENT markers, and which are chrome the site renders itself (banner, contact
table, the HTML export's title, contents and tags)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from kb import settings
from kb.importer.common import ExportError, callout, fold, snippet, text_of
from kb.importer.control import CHANGE_LABELS, row_label


@dataclass
class ControlledPage:
    """An export's top-level blocks, sorted into what the importer maps."""

    blocks: list[Tag]
    titles: list[str]
    control_table: Tag | None
    change_table: Tag | None
    body: list[Tag]
    tags: list[str]
    book_title: str | None = None

    @classmethod
    def plain(cls, root: Tag, kind: str) -> "ControlledPage":
        """A page of a book without Document Control: all of it is body (a plain page of the book)."""
        tags = strip_export_chrome(root) if kind == "html" else []
        blocks = _blocks(root)
        titles = [text_of(blocks.pop(0))] if blocks and blocks[0].name == "h1" else []  # the page's name
        return cls(blocks, titles, None, None, blocks, tags)

    @classmethod
    def of(cls, root: Tag, kind: str, kb_settings: settings.Settings, notes: list[str]) -> "ControlledPage":
        tags = strip_export_chrome(root) if kind == "html" else []
        blocks = _unwrap_control(_blocks(root))
        start = _marker_index(blocks, "START OF DOCUMENT")
        if sum(1 for b in blocks if is_marker(b, "START OF DOCUMENT")) > 1:
            notes.append("holds more than one page (START OF DOCUMENT appears again): only the first is imported; "
                         "export pages one by one")
        end = _marker_index(blocks, "END OF DOCUMENT", after=start if start is not None else -1)
        control = next((b for b in blocks if b.name == "table" and is_control_table(b)), None)
        change = next((b for b in blocks if b.name == "table" and _is_change_table(b)), None)
        if control is None and start is None:
            raise ExportError("has no Document Control table and no START OF DOCUMENT marker: "
                              "not a BookStack export of a controlled document")
        if control is None:
            notes.append("no Document Control table found")
        tables = [i for i, b in enumerate(blocks) if b is control or b is change]
        if start is None:
            start = max(tables, default=-1)
            notes.append("no START OF DOCUMENT marker: the body is taken from after the control tables")
        if end is None:
            contact = next((i for i, b in enumerate(blocks) if i > start and _is_contact(b)), len(blocks))
            end = contact
            notes.append("no END OF DOCUMENT marker: the body is taken up to the contact table or the end")
        titles: list[str] = []
        for block in blocks[:start]:
            if block is control or block is change or _is_section_label(block) or _is_empty(block):
                continue
            if block.name in ("h1", "h2"):
                titles.append(text_of(block))
            elif block.name == "table" and (block.find("img") or fold(text_of(block)) == "docs"):
                continue  # the banner (logo and "Docs"): the site has its own header
            else:
                notes.append(f"dropped before START OF DOCUMENT: {snippet(block)}")
        body = [b for b in blocks[start + 1:end] if b is not control and b is not change and not _is_contact(b)]
        for block in blocks[end + 1:]:
            if _is_contact(block):
                notes.extend(contact_differences(block, kb_settings.contact))
            elif not _is_empty(block) and not is_marker(block, "END OF DOCUMENT"):
                notes.append(f"dropped after END OF DOCUMENT: {snippet(block)}")
        page = cls(blocks, titles, control, change, body, tags)
        if len(titles) > 1:
            page.book_title = titles[0]
        return page


def has_document_control(root: Tag) -> bool:
    """Whether a page holds a Document Control table (anywhere: a wrapper div does not hide it)."""
    return any(is_control_table(table) for table in root.find_all("table"))


def strip_export_chrome(root: Tag) -> list[str]:
    """Remove what BookStack's HTML export adds around the page (title, contents, tags, revision line)."""
    tags = []
    for item in root.select(".tag-item"):
        name = item.find("strong")
        if name is not None and text_of(name):
            tags.append(text_of(name))
    for meta in root.select(".entity-meta"):
        (meta.parent if meta.parent is not None and meta.parent is not root else meta).decompose()
    for label in root.find_all("div"):
        if label.decomposed:
            continue
        if fold(text_of(label)) in ("pagecontents", "tags") and label.find("strong") is not None:
            following = label.find_next_sibling()
            if following is not None and following.name in ("ul", "div"):
                following.decompose()
            label.decompose()
    for rule in root.find_all("hr"):
        if rule.find_parent(["td", "li", "blockquote"]) is None and _before_content(rule):
            rule.decompose()
    return tags


def _before_content(rule: Tag) -> bool:
    """An <hr> of the export's own layout: before the page's first table or after its last block."""
    previous = [s for s in rule.find_previous_siblings() if isinstance(s, Tag)]
    following = [s for s in rule.find_next_siblings() if isinstance(s, Tag)]
    return not following or all(s.name in ("h1", "hr") or _is_empty(s) for s in previous)


def _blocks(root: Tag) -> list[Tag]:
    """The top-level blocks of the page; wrappers holding the whole page are looked through."""
    while True:
        blocks = []
        for child in list(root.children):
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                if child.strip():
                    wrapper = BeautifulSoup("<p></p>", "lxml").p
                    child.wrap(wrapper)
                    blocks.append(wrapper)
                continue
            if isinstance(child, Tag) and not (
                    child.name == "div" and _is_empty(child)):
                blocks.append(child)
        if len(blocks) == 1 and blocks[0].name in ("div", "section", "article", "main") and not callout(blocks[0]):
            root = blocks[0]
            continue
        return blocks


def _unwrap_control(blocks: list[Tag]) -> list[Tag]:
    """Look into a wrapper (a div, a section) that holds the Document Control or Change Control table."""
    out: list[Tag] = []
    for block in blocks:
        if block.name in ("div", "section", "article", "main") and not callout(block) and any(
                is_control_table(table) or _is_change_table(table) for table in block.find_all("table")):
            out += _unwrap_control(_blocks(block))
        else:
            out.append(block)
    return out


def _marker_index(blocks: list[Tag], marker: str, after: int = -1) -> int | None:
    return next((i for i, b in enumerate(blocks) if i > after and is_marker(b, marker)), None)


def is_marker(block: Tag, marker: str) -> bool:
    text = text_of(block)
    return block.name != "table" and len(text) < 200 and marker in text.upper()


def _is_section_label(block: Tag) -> bool:
    return block.name != "table" and fold(text_of(block)) in ("documentcontrol", "changecontrol")


def _is_contact(block: Tag) -> bool:
    text = fold(text_of(block))
    return block.name == "table" and ("needhelp" in text or "getintouch" in text)


def _is_empty(block: Tag) -> bool:
    return not text_of(block) and block.find(["img", "table", "hr", "iframe", "video"]) is None and block.name != "hr"


def is_control_table(table: Tag) -> bool:
    labels = {row_label(text_of(cell))[0] for cell in table.find_all(["td", "th"])}
    labels.discard(None)
    return len(labels) >= 3 and not _is_change_table(table)


def _is_change_table(table: Tag) -> bool:
    first = table.find("tr")
    if first is None:
        return False
    heads = {CHANGE_LABELS.get(fold(text_of(cell))) for cell in first.find_all(["td", "th"])}
    return {"date", "version", "change"} <= heads


def contact_differences(table: Tag, contact: dict[str, Any]) -> list[str]:
    """The contact table is the house contact block; say where it differs from mkdocs.yml's."""
    configured = set()
    for entry in contact.values():
        if isinstance(entry, dict):
            for key in ("href", "url"):
                if entry.get(key):
                    configured.add(str(entry[key]).casefold())
            if entry.get("address"):
                configured.add(f"mailto:{entry['address']}".casefold())
    notes = []
    for link in table.find_all("a", href=True):
        href = str(link["href"]).strip()
        if href.casefold() not in configured:
            notes.append(f"contact table: {href} is not in mkdocs.yml extra.kb.contact, which the site's contact "
                         "block shows instead")
    return notes
