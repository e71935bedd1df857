"""Reading BookStack's page exports: the Contained Web File (.html) and the Markdown File (.md).

Both become one HTML tree. The HTML export holds the page inside a `page-content` div; the Markdown export is
Markdown with the editor's HTML left in (Word-pasted tables, spans, callouts), rendered here by Python-Markdown
with Markdown honoured inside the HTML, as BookStack's own renderer does.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Iterator

import markdown
from bs4 import BeautifulSoup
from markdown.extensions import md_in_html

from kb.importer.common import ExportError
from kb.importer.sanitise import unswallow

HTML_ELEMENTS = frozenset("""a abbr address article aside b bdi bdo big blockquote body br button caption center
cite code col colgroup dd del details dfn div dl dt em figcaption figure font footer h1 h2 h3 h4 h5 h6 head
header hr html i iframe img input ins kbd label li link main mark meta nav ol p pre q s samp section small span
strike strong style sub summary sup table tbody td tfoot th thead title tr u ul video source audio
script noscript template svg math object embed param applet frame frameset""".split())  # the last line: for the sanitiser to drop and report


def read_page_export(source: Path) -> tuple[BeautifulSoup, str]:
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
        soup = BeautifulSoup(text, "lxml")
        content = soup.select_one("div.page-content")
        if content is None:
            raise ExportError("is an HTML document without BookStack's page-content div: not a BookStack export")
        unswallow(content)
        return content, "html"
    rendered = _MARKDOWN.reset().convert(_tidy_tags(text))
    root = BeautifulSoup(f"<div>{rendered}</div>", "lxml").div
    unswallow(root)
    return root, "markdown"


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
    for is_code, segment in _fence_segments(text):
        if is_code:
            out.append(segment)
            continue
        tidier = _TagTidier()
        tidier.feed(segment)
        tidier.close()
        out.append("".join(tidier.out))
    return "".join(out)


def _fence_segments(text: str) -> Iterator[tuple[bool, str]]:
    """(is_fenced_code, text) runs of a Markdown document, split on ``` and ~~~ fence lines."""
    buffer: list[str] = []
    fence: str | None = None
    for line in text.splitlines(keepends=True):
        mark = line.lstrip()[:3]
        if fence is None and mark in ("```", "~~~"):
            if buffer:
                yield False, "".join(buffer)
            buffer, fence = [line], mark
        elif fence is not None and line.strip().startswith(fence):
            buffer.append(line)
            yield True, "".join(buffer)
            buffer, fence = [], None
        else:
            buffer.append(line)
    if buffer:
        yield fence is not None, "".join(buffer)


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
