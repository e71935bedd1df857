"""What every part of the importer shares: the error an unreadable input raises, and text as a reader sees it."""

from __future__ import annotations

import re

from bs4 import Comment, NavigableString, Tag

CALLOUTS = ("info", "success", "warning", "danger")  # BookStack's <p class="callout …"> kinds
BLOCKS = ("p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table",
          "blockquote", "pre")


class ExportError(ValueError):
    """An input that cannot be read, or is not a BookStack export: the message names what is wrong."""


def text_of(el: Tag | None) -> str:
    """The text of an element as a reader sees it: blocks separated, spaces collapsed, no stray spaces."""
    if el is None:
        return ""
    parts: list[str] = []
    for node in el.descendants:
        if isinstance(node, Comment):
            continue
        if isinstance(node, NavigableString):
            parts.append(str(node))
        elif isinstance(node, Tag) and node.name in BLOCKS:
            parts.append(" ")
    return " ".join("".join(parts).split())


def fold(text: str) -> str:
    """Lower-case letters only: how labels and names are compared."""
    return re.sub(r"[^a-z]", "", text.casefold())


def slug(text: str, limit: int = 60) -> str:
    """A file-name slug: lower-case letters, digits and dashes only, so it can never name a folder."""
    out = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    if len(out) > limit:
        out = out[:limit].rsplit("-", 1)[0]
    return out or "article"


def snippet(el: Tag, limit: int = 60) -> str:
    text = text_of(el) or f"<{el.name}>"
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def callout(tag: Tag) -> str | None:
    """The kind of a BookStack callout (info, success, warning, danger), or None for any other element."""
    classes = tag.get("class") or []
    if "callout" not in classes:
        return None
    return next((c for c in classes if c in CALLOUTS), "info")
