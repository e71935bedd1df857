"""Reading BookStack's HTML and Markdown exports of a page, a chapter or a book (Contained Web File, Markdown File).

Both become one HTML tree. The HTML export holds the page inside a `page-content` div; the Markdown export is
Markdown with the editor's HTML left in (Word-pasted tables, spans, callouts), rendered here by Python-Markdown
with Markdown honoured inside the HTML, as BookStack's own renderer does.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import markdown
from bs4 import BeautifulSoup, NavigableString, Tag
from markdown.extensions import md_in_html

from kb import scan
from kb.importer.common import ExportError, text_of
from kb.importer.exported import Export, ExportedPage, Section, chapter_folder
from kb.importer.media import ExportFiles, FilesBeside
from kb.importer.sections import is_control_table, is_marker
from kb.importer.sanitise import unswallow

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
PAGE_ID = re.compile(r"^page-\d+$")  # exports/parts/page-item.blade.php: <h1 id="page-{{$page->id}}">
CHAPTER_ID = re.compile(r"^chapter-\d+$")  # exports/parts/chapter-item.blade.php
HTML_ELEMENTS = frozenset("""a abbr address article aside b bdi bdo big blockquote body br button caption center
cite code col colgroup dd del details dfn div dl dt em figcaption figure font footer h1 h2 h3 h4 h5 h6 head
header hr html i iframe img input ins kbd label li link main mark meta nav ol p pre q s samp section small span
strike strong style sub summary sup table tbody td tfoot th thead title tr u ul video source audio
script noscript template svg math object embed param applet frame frameset""".split())  # the last line: for the sanitiser to drop and report


def read_text_export(source: Path, book: str) -> Export:
    """A page, chapter or book export in HTML or Markdown: its pages, and the book and chapters around them."""
    try:
        data = source.read_bytes()
    except IsADirectoryError:
        raise ExportError("is a folder, not an export file") from None
    except OSError as exc:
        raise ExportError(f"cannot be read: {exc.strerror}") from None
    if b"\x00" in data:
        raise ExportError("is not a text file: expected a BookStack Markdown or HTML export")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExportError(f"is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    head = text.lstrip()[:500].lower()
    if head.startswith("<!doctype html") or head.startswith("<html"):
        content = BeautifulSoup(text, "lxml").select_one("div.page-content")
        if content is None:
            raise ExportError("is an HTML document without BookStack's page-content div: not a BookStack export")
        unswallow(content)
        return _html_pages(source, content, book)
    root = render_markdown(text)
    return _markdown_pages(source, root, book)


def render_markdown(text: str) -> Tag:
    """Markdown as BookStack exports it (the editor's HTML left in) rendered to one HTML tree."""
    rendered = _MARKDOWN.reset().convert(_tidy_tags(text))
    root = BeautifulSoup(f"<div>{rendered}</div>", "lxml").div
    unswallow(root)
    return root


def set_bookstack_ids(root: Tag) -> None:
    """Give elements the ids BookStack gave them (PageContent::updateIdsRecursively and setUniqueId), so that
    `#bkmrk-…` links in a Markdown export, which carries no ids, find their heading: every top-level element
    and every heading gets `bkmrk-` and the first 20 characters of its text, lower-cased with runs of
    whitespace as '-', URL-encoded, made unique with -1, -2, …"""
    used = {str(el["id"]) for el in root.find_all(id=True) if str(el["id"]).startswith("bkmrk")}

    def walk(element: Tag, depth: int) -> None:
        for child in element.find_all(True, recursive=False):
            if (depth == 0 or child.name in HEADINGS) and not str(child.get("id") or "").startswith("bkmrk"):
                content_id = "bkmrk-" + re.sub(r"\s+", "-", child.get_text().strip()).lower()[:20]
                new_id, index = quote_plus(content_id), 1
                while new_id in used:
                    new_id, index = quote_plus(f"{content_id}-{index}"), index + 1
                child["id"] = new_id
                used.add(new_id)
            walk(child, depth + 1)

    walk(root, 0)


# Helper functions: book and chapter exports


def _html_pages(source: Path, content: Tag, book: str) -> Export:
    """A contained HTML export. A book or chapter export (exports/book.blade.php, chapter.blade.php) is its title
    and description, a contents list, then each chapter (`h1#chapter-N`, its description) and page
    (`h1#page-N`, then the page's HTML); a page in a chapter has a `chapter-hint` before its heading."""
    if content.find("h1", id=PAGE_ID) is None:
        return Export([ExportedPage(source, content, "html", ExportFiles(), book)])
    export = Export()
    page: ExportedPage | None = None
    section: Section | None = None
    chapter: Section | None = None
    hinted = False
    for child in list(content.children):
        if not isinstance(child, Tag):
            if page is not None and str(child).strip():
                page.root.append(child.extract())
            continue
        classes = child.get("class") or []
        identifier = str(child.get("id") or "")
        if child.name == "h1" and not identifier and section is None and page is None:
            section = Section(book, text_of(child))
            export.add(section)
        elif child.name == "h1" and CHAPTER_ID.match(identifier):
            chapter = Section(chapter_folder(book, text_of(child)), text_of(child), id=int(identifier[8:]),
                              kind="chapter")
            export.add(chapter)
            page, section = None, chapter
        elif child.name == "h1" and PAGE_ID.match(identifier):
            folder = chapter.folder if hinted and chapter is not None else book
            page = ExportedPage(source, BeautifulSoup("<div></div>", "lxml").div, "html", ExportFiles(), folder,
                                name=text_of(child), id=int(identifier[5:]), in_book=True)
            export.add(page)
            hinted = False
        elif "page-break" in classes or (child.name == "ul" and "contents" in classes):
            continue
        elif "chapter-hint" in classes:
            hinted = True
        elif page is not None:
            page.root.append(child.extract())
        elif section is not None and child.name == "div" and section.description is None:
            section.description = child
    return export


def _markdown_pages(source: Path, root: Tag, book: str) -> Export:
    """A Markdown export (ExportFormatter::pageToMarkdown, chapterToMarkdown, bookToMarkdown): every page,
    chapter and book starts with its name as a level-1 heading. A heading with nothing under it but more to
    come is the book's (first) or a chapter's name; a page without Document Control is a plain page."""
    segments: list[list[Tag]] = [[]]
    inside_document = False  # between START and END OF DOCUMENT a level-1 heading is the page's own
    for child in list(root.children):
        if isinstance(child, Tag) and child.name == "h1" and segments[-1] and not inside_document:
            segments.append([])
        if isinstance(child, Tag) or str(child).strip():
            segments[-1].append(child)
            if isinstance(child, Tag) and is_marker(child, "START OF DOCUMENT"):
                inside_document = True
            elif isinstance(child, Tag) and is_marker(child, "END OF DOCUMENT"):
                inside_document = False
    segments = [s for s in segments if s]
    if len(segments) <= 1 or not any(_controlled(s) for s in segments):
        set_bookstack_ids(root)
        return Export([ExportedPage(source, root, "markdown", FilesBeside(source.parent), book)])
    export = Export()
    folder = book
    for number, segment in enumerate(segments):
        heading = segment[0] if isinstance(segment[0], Tag) and segment[0].name == "h1" else None
        name = text_of(heading) if heading is not None else ""
        rest = [b for b in segment[1:] if isinstance(b, Tag) and text_of(b)]
        following = segments[number + 1] if number + 1 < len(segments) else None
        if not _controlled(segment) and following is not None and len(rest) <= 1 and name:
            description = rest[0] if rest else None
            if number == 0:
                export.add(Section(book, name, description))
            else:
                folder = chapter_folder(book, name)
                export.add(Section(folder, name, description, kind="chapter"))
            continue
        page_root = BeautifulSoup("<div></div>", "lxml").div
        for block in segment:
            page_root.append(block.extract() if isinstance(block, Tag) else NavigableString(str(block)))
        set_bookstack_ids(page_root)
        export.add(ExportedPage(source, page_root, "markdown", FilesBeside(source.parent), folder,
                                         name=name or None, in_book=True))
    if len(export.pages) == 1 and export.sections and export.sections[0].kind == "book":
        export.pages[0].in_book = False  # one page under its book's name: a page export, as the old KB gave them
        export.pages[0].book_title = export.sections[0].title
    return export


def _controlled(segment: list[Tag]) -> bool:
    return any(isinstance(b, Tag) and (b.name == "table" and is_control_table(b) or
                                       any(is_control_table(t) for t in b.find_all("table"))) for b in segment)


class _TagTidier(HTMLParser):
    """Re-writes the HTML tags of a Markdown export keeping only attributes that carry meaning.

    Word's attributes (JSON inside double quotes) are not HTML that Python-Markdown can pass through; the
    text, the entities and Markdown's autolinks (<neil@…>, which an HTML tokenizer sees as tags) are kept
    exactly as written.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self._tag(tag, attrs, ">"))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self._tag(tag, attrs, " />"))

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>" if tag in HTML_ELEMENTS else html.escape(f"</{tag}>"))

    def handle_data(self, data: str) -> None:
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], close: str) -> str:
        if tag not in HTML_ELEMENTS:
            raw = self.get_starttag_text() or ""
            # <neil@…> and <https://…> are Markdown autolinks; anything else (<START OF DOCUMENT>) is text
            return raw if ("@" in raw or ":" in raw) and " " not in raw.strip() else html.escape(raw, quote=False)
        kept = "".join(f' {k}="{html.escape(v or "", quote=True)}"' for k, v in attrs
                       if k in ("href", "src", "alt", "title", "class", "id", "colspan", "rowspan", "start", "open",
                                "data") or k.startswith("on"))  # handlers kept for the sanitiser to report
        return f"<{tag}{kept}{close}"


def _tidy_tags(text: str) -> str:
    """Tidy the HTML tags outside fenced code blocks; code is left exactly as written."""
    out: list[str] = []
    for is_code, segment in scan.segments(text):
        if is_code:
            out.append(segment)
            continue
        tidier = _TagTidier()
        tidier.feed(segment)
        tidier.close()
        out.append("".join(tidier.out))
    return "".join(out)


class _MarkdownEverywhereExtractor(md_in_html.HTMLExtractorExtra):
    """BookStack writes Markdown inside its HTML tables without markdown="1": honour it everywhere."""

    def get_state(self, tag: Any, attrs: Any) -> Any:
        return super().get_state(tag, {"markdown": "1", **dict(attrs)})


class _MarkdownEverywherePreprocessor(md_in_html.HtmlBlockPreprocessor):
    def run(self, lines: list[str]) -> list[str]:
        parser = _MarkdownEverywhereExtractor(self.md)
        parser.feed("\n".join(lines))
        parser.close()
        return "".join(parser.cleandoc).split("\n")


class _MarkdownEverywhere(md_in_html.MarkdownInHtmlExtension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        super().extendMarkdown(md)
        md.preprocessors.register(_MarkdownEverywherePreprocessor(md), "html_block", 20)


_MARKDOWN = markdown.Markdown(extensions=[_MarkdownEverywhere(), "tables", "fenced_code"])
