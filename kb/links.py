"""Relative links between docs pages, found and moved in an article's Markdown.

An archived version lives one folder below its article, so its relative links are rewritten when it is
archived (and back, when the public hub serves the archived copy at the article's own address). Links in
fenced code blocks are left alone.
"""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from typing import Callable, Iterator
from urllib.parse import unquote, urlsplit

# [text](target "title") and ![alt](target), and reference definitions: [id]: target
_INLINE = re.compile(r"(!?\[[^\]\n]*\]\()(<[^>\n]*>|[^)\s]+)")
_REFERENCE = re.compile(r"^( {0,3}\[[^\]\n]+\]:[ \t]*)(<[^>\n]*>|\S+)")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def is_relative(target: str) -> bool:
    """A link to another file of the site, written relative to this page."""
    parts = urlsplit(target)
    return not (parts.scheme or parts.netloc or target.startswith(("/", "#")) or not parts.path)


def relocate(markdown: str, from_path: str, to_path: str) -> str:
    """`markdown` of the page at docs path `from_path`, with its relative links rewritten for `to_path`."""
    source_dir, target_dir = posixpath.dirname(from_path), posixpath.dirname(to_path)
    if source_dir == target_dir:
        return markdown

    def move(target: str, line: int) -> str:
        bare = target[1:-1] if target.startswith("<") else target
        if not is_relative(bare):
            return target
        path, hash_, fragment = bare.partition("#")
        resolved = posixpath.normpath(posixpath.join(source_dir, path))
        moved = posixpath.relpath(resolved, target_dir or ".") + (path.endswith("/") and "/" or "")
        moved += hash_ + fragment
        return f"<{moved}>" if target.startswith("<") else moved

    return _rewrite(markdown, move)


def linked_pages(markdown: str, path: str) -> Iterator[tuple[str, int]]:
    """(docs path, line in `markdown`) of every relative link to a Markdown page."""
    found: list[tuple[str, int]] = []
    base = posixpath.dirname(path)

    def note(target: str, line: int) -> str:
        bare = target[1:-1] if target.startswith("<") else target
        file = bare.partition("#")[0]
        if is_relative(bare) and file.endswith(".md"):
            found.append((posixpath.normpath(posixpath.join(base, file)), line))
        return target

    _rewrite(markdown, note)
    return iter(found)


def linked_files(markdown: str, path: str) -> set[str]:
    """Docs paths of every file of the site that `markdown` (the page at docs path `path`) links or shows:
    its Markdown links, images and reference definitions, and the addresses in its raw HTML."""
    targets: list[str] = []

    def note(target: str, line: int) -> str:
        targets.append(target[1:-1] if target.startswith("<") else target)
        return target

    _rewrite(markdown, note)
    addresses = _Addresses()
    addresses.feed(markdown)
    addresses.close()
    base = posixpath.dirname(path)
    found = set()
    for target in targets + addresses.found:
        parts = urlsplit(target.strip())
        if parts.scheme or parts.netloc or not parts.path:
            continue
        file = unquote(parts.path)
        found.add(posixpath.normpath(file.lstrip("/") if file.startswith("/") else posixpath.join(base, file)))
    return found


class _Addresses(HTMLParser):
    """The addresses a page's raw HTML loads or links (href, src, srcset, poster, data)."""

    ATTRIBUTES = ("href", "src", "poster", "data", "xlink:href")

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and name in self.ATTRIBUTES:
                self.found.append(value)
            elif value and name == "srcset":
                self.found += [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]


def _rewrite(markdown: str, change: Callable[[str, int], str]) -> str:
    """`markdown` with every link target passed through change(target, line number)."""
    lines = markdown.splitlines(keepends=True)
    fence = None
    for number, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            continue
        line = _INLINE.sub(lambda m: m.group(1) + change(m.group(2), number + 1), line)
        lines[number] = _REFERENCE.sub(lambda m: m.group(1) + change(m.group(2), number + 1), line)
    return "".join(lines)
