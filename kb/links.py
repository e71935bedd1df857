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

from kb import scan

# [text](target "title") and ![alt](target), and reference definitions: [id]: target
_INLINE = re.compile(r"(!?\[[^\]\n]*\]\()(<[^>\n]*>|[^)\s]+)")
_REFERENCE = re.compile(r"^( {0,3}\[[^\]\n]+\]:[ \t]*)(<[^>\n]*>|\S+)")
_CODE_SPAN = re.compile(r"(`+)[^`\n].*?\1")
_HTML_LINK = re.compile(r"<(?:a|area)\s", re.IGNORECASE)
_KB_ADDRESS = re.compile(r"^(kb/[^/]+)(?:/|$)")  # /kb/<number>/, every article's short address


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


def linked_pages(markdown: str, path: str, directory_urls: bool = True) -> Iterator[tuple[str, int]]:
    """(docs path, line in `markdown`) of every relative link to a Markdown page: Markdown links to .md
    files, and raw HTML links (<a href>, <area href>), which MkDocs leaves as written, to a .md file or a
    page's address. An address is read both as the browser reads it (from the page's own address) and as
    an author may mean it (from the page's folder, as Markdown links are), and can name two pages (a/b/ is
    a/b.md or a/b/index.md): every candidate is given. An article's short address kb/<number>/ is given
    as "kb/<number>"."""
    found: list[tuple[str, int]] = []
    base = posixpath.dirname(path)

    def note(target: str, line: int) -> str:
        bare = target[1:-1] if target.startswith("<") else target
        file = bare.partition("#")[0]
        if is_relative(bare) and file.endswith(".md"):
            found.append((posixpath.normpath(posixpath.join(base, file)), line))
        return target

    _rewrite(markdown, note)
    if not _HTML_LINK.search(markdown):  # no raw-HTML link: parse nothing (most articles)
        return iter(found)
    addresses = _Addresses()
    addresses.feed(_outside_code(markdown))
    addresses.close()
    folders = dict.fromkeys((_url_folder(path, directory_urls), base))
    for href, line in addresses.links:
        parts = urlsplit(href.strip())
        if parts.scheme or parts.netloc or not parts.path:
            continue
        file = unquote(parts.path)
        pages: dict[str, None] = {}
        for folder in folders:
            address = posixpath.normpath(file if file.startswith("/") else posixpath.join("/", folder, file))
            address = address.lstrip("/")  # a browser stops climbing at the site's root
            number = _KB_ADDRESS.match(address)
            stem = address.removesuffix(".md").removesuffix(".html").removesuffix("index").rstrip("/")
            pages.update(dict.fromkeys([number.group(1)] if number else [f"{stem}.md", f"{stem}/index.md"]
                                       if stem else ["index.md"]))
        found += [(page, line) for page in pages]
    return iter(found)


def linked_files(markdown: str, path: str) -> set[str]:
    """Docs paths of every file of the site that `markdown` (the page at docs path `path`) links or shows:
    its Markdown links, images and reference definitions, and the addresses in its raw HTML."""
    targets: list[str] = []

    def note(target: str, line: int) -> str:
        targets.append(target[1:-1] if target.startswith("<") else target)
        return target

    _rewrite(markdown, note)
    if "<" in markdown:  # raw HTML
        addresses = _Addresses()
        addresses.feed(markdown)
        addresses.close()
        targets += addresses.found
    base = posixpath.dirname(path)
    found = set()
    for target in targets:
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
        self.links: list[tuple[str, int]] = []  # (href, line) of <a> and <area>: links to other pages

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and name == "href" and tag in ("a", "area"):
                self.links.append((value, self.getpos()[0]))
            if value and name in self.ATTRIBUTES:
                self.found.append(value)
            elif value and name == "srcset":
                self.found += [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]


def _url_folder(path: str, directory_urls: bool) -> str:
    """The folder of the page's address, against which a browser resolves its raw HTML links:
    a/b.md is served at a/b/ (a/b.html without directory URLs), a/index.md at a/."""
    stem = path.removesuffix(".md")
    if directory_urls and stem != "index" and not stem.endswith("/index"):
        return stem
    return posixpath.dirname(stem)


def _outside_code(markdown: str) -> str:
    """`markdown` with fenced code blocks and inline code spans blanked, lines kept: HTML shown as code
    is no link."""
    lines = markdown.splitlines(keepends=True)
    prose = set(scan.prose_lines(lines))
    return "".join(_CODE_SPAN.sub(lambda m: " " * len(m.group()), line) if number in prose else "\n"
                   for number, line in enumerate(lines))


def _rewrite(markdown: str, change: Callable[[str, int], str]) -> str:
    """`markdown` with every link target passed through change(target, line number)."""
    lines = markdown.splitlines(keepends=True)
    for number in scan.prose_lines(lines):
        line = _INLINE.sub(lambda m: m.group(1) + change(m.group(2), number + 1), lines[number])
        lines[number] = _REFERENCE.sub(lambda m: m.group(1) + change(m.group(2), number + 1), line)
    return "".join(lines)
