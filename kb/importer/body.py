"""The body: the HTML between the START/END OF DOCUMENT markers becomes the KB's Markdown.

The editor's spans, styles and Word attributes go; headings, lists, links, emphasis, code blocks and tables
stay; callouts become admonitions and <details> collapsible blocks (markdownify, with the KB's converters).
"""

from __future__ import annotations

import html
import json
import re
from typing import Any
from urllib.parse import quote, urlsplit

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from markdownify import MarkdownConverter

from kb import scan
from kb.importer.common import callout, text_of
from kb.importer.links import LinkMap, Target
from kb.importer.media import ExportFiles, save_images
from kb.importer.sanitise import sanitise

KEEP_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "td": {"colspan", "rowspan"},
                   "th": {"colspan", "rowspan"}, "ol": {"start"}, "code": {"class"}, "pre": {"class"},
                   "p": {"class"}, "details": {"open"}}
UNWRAP = ("span", "font", "u", "ins", "mark", "small", "big", "abbr", "center", "o:p", "section", "article")


def body_markdown(blocks: list[Tag], files: ExportFiles, folder: str, stem: str, here: Target, links: LinkMap,
                  notes: list[str]) -> tuple[str, dict[str, bytes]]:
    """The body as the KB's Markdown, and the images it uses (docs-relative path -> bytes)."""
    container = BeautifulSoup("<div></div>", "lxml").div
    for block in blocks:
        container.append(block.extract())
    images = save_images(container, files, folder, stem, notes)
    _links(container, here, links, notes)
    for comment in container.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for frame in container.find_all(["iframe", "embed", "object"]):
        src = str(frame.get("src") or frame.get("data") or "").strip()
        if urlsplit(src).scheme not in ("http", "https"):  # nothing on the web to point at: a file, script or data
            notes.append(f"embedded {frame.name} {src[:60] or '(no source)'} dropped")
            frame.replace_with(text_of(frame))
            continue
        notes.append(f"embedded {frame.name} {src} became a link")
        link = BeautifulSoup(f'<p><a href="{html.escape(src)}">{html.escape(src)}</a></p>', "lxml").p
        frame.replace_with(link)
    if container.find("u"):
        notes.append("underlining has no Markdown: dropped, the text kept")
    return _markdown(sanitise(container, notes), notes), images


def section_markdown(description: Tag) -> str:
    """A book's or chapter's description (BookStack's description_html) as Markdown, sanitised like a body."""
    container = BeautifulSoup("<div></div>", "lxml").div
    container.append(description.extract())
    return _markdown(sanitise(container, []), [])


def _markdown(container: Tag, notes: list[str]) -> str:
    for tag in container.find_all(UNWRAP):
        tag.unwrap()
    for heading in container.find_all(["h1", "h2", "h3", "h4", "h5", "h6"]):
        for bold in heading.find_all(["strong", "b"]):  # a heading is bold already
            bold.unwrap()
    for tag in container.find_all(True):
        allowed = KEEP_ATTRIBUTES.get(tag.name, set())
        tag.attrs = {k: v for k, v in tag.attrs.items() if k in allowed}
        if tag.name == "p" and "class" in tag.attrs and callout(tag) is None:
            del tag.attrs["class"]
    _details_titles(container)
    for table in container.find_all("table"):
        _table_header(table, notes)
    _paragraph_breaks(container)
    for text_node in container.find_all(string=True):
        if "\xa0" in text_node:
            text_node.replace_with(text_node.replace("\xa0", " "))
    converted = _BodyConverter(heading_style="ATX", bullets="-", escape_underscores=False,
                               code_language_callback=_code_language).convert_soup(container)
    return _tidy_markdown(converted)


def _table_header(table: Tag, notes: list[str]) -> None:
    """BookStack's editor never writes <th>: a header row is a first row of bold cells. That row (or a row of
    <th>) becomes the header; a table with no header row, or with merged cells, stays an HTML table (marked
    here for the converter), so that no empty header row shows and no cell moves."""
    rows = [row for row in table.find_all("tr") if row.find_parent("table") is table]
    if not rows:
        return
    first = [cell for cell in rows[0].find_all(["td", "th"], recursive=False)]
    merged = any(cell.get("colspan") not in (None, "1") or cell.get("rowspan") not in (None, "1")
                 for row in rows for cell in row.find_all(["td", "th"], recursive=False))
    if merged:
        notes.append("a table has merged cells, which Markdown tables cannot hold: kept as an HTML table")
    header = bool(first) and all(cell.name == "th" or _bold(cell) for cell in first) and any(
        text_of(cell) for cell in first)
    if header:
        for cell in first:
            cell.name = "th"
            for bold in cell.find_all(["strong", "b"]):
                bold.unwrap()
    if merged or not header:
        table["data-kb-html"] = "1"


def _bold(cell: Tag) -> bool:
    """Every word of the cell is bold (an empty cell is allowed in a header row)."""
    for node in cell.find_all(string=True):
        if node.strip() and node.find_parent(["strong", "b"]) is None:
            return False
    return True


def _details_titles(container: Tag) -> None:
    """BookStack's Markdown export loses <summary> (SpacedTagFallbackConverter writes its text as a paragraph):
    the first paragraph of a <details> without a summary is its title again."""
    for details in container.find_all("details"):
        if details.find("summary", recursive=False) is not None:
            continue
        first = next((child for child in details.children if isinstance(child, Tag) or str(child).strip()), None)
        if isinstance(first, Tag) and first.name == "p" and len(text_of(first)) <= 120:
            first.name = "summary"
        elif isinstance(first, NavigableString) and len(first.strip()) <= 120:
            summary = BeautifulSoup("<summary></summary>", "lxml").summary
            summary.string = first.strip()
            first.replace_with(summary)


def _links(container: Tag, here: Target, links: LinkMap, notes: list[str]) -> None:
    """Links resolved against the import (anchors, ZIP references, old-KB URLs); what is left is reported."""
    for link in container.find_all("a"):
        href = str(link.get("href") or "").strip()
        if link.find("img") is not None and not text_of(link) and (_is_image_url(href) or "bsexport:image" in href):
            link.unwrap()  # BookStack links each image to its full size on the old KB: the image is here now
            continue
        resolution = links.resolve(href, here)
        if resolution.note:
            notes.append(resolution.note)
        if resolution.unwrap:
            link.unwrap()
        elif resolution.href is not None:
            link["href"] = resolution.href
        elif href and not href.startswith("#") and not urlsplit(href).scheme and not href.startswith("//"):
            notes.append(f"link to {href[:80]} points at nothing imported: kept as text")
            link.unwrap()


def _is_image_url(href: str) -> bool:
    path = urlsplit(href).path.lower()
    return "/uploads/images/" in path or path.rsplit(".", 1)[-1] in ("png", "jpg", "jpeg", "gif", "webp", "svg")


def _paragraph_breaks(container: Tag) -> None:
    """Two line breaks in a row meant a new paragraph in BookStack; a break at a paragraph's edge meant nothing."""
    for para in container.find_all("p"):
        groups: list[list[Any]] = [[]]
        breaks = 0
        for child in list(para.children):
            is_space = isinstance(child, NavigableString) and not child.strip()
            if isinstance(child, Tag) and child.name == "br":
                breaks += 1
            elif not is_space:
                if breaks >= 2:
                    groups.append([])
                breaks = 0
            groups[-1].append(child)
        parts = [part for part in (_trim_breaks(group) for group in groups) if part]
        kept = {id(child) for part in parts for child in part}
        for child in list(para.children):
            if id(child) not in kept:
                child.extract()
        if len(parts) <= 1:
            continue
        for part in parts:
            new = BeautifulSoup("<p></p>", "lxml").p
            if para.get("class"):
                new["class"] = para["class"]
            for child in part:
                new.append(child.extract())
            para.insert_before(new)
        para.decompose()


def _trim_breaks(children: list[Any]) -> list[Any]:
    def is_break(node: Any) -> bool:
        return (isinstance(node, Tag) and node.name == "br") or (isinstance(node, NavigableString)
                                                                and not isinstance(node, Tag) and not node.strip())
    start, end = 0, len(children)
    while start < end and is_break(children[start]):
        start += 1
    while end > start and is_break(children[end - 1]):
        end -= 1
    return children[start:end]


def _code_language(pre: Tag) -> str:
    code = pre.find("code") or pre
    for name in code.get("class") or []:
        if name.startswith("language-"):
            return name[9:].lower()
    return ""


class _BodyConverter(MarkdownConverter):
    """markdownify with the KB's Markdown: callouts as admonitions, <details> as collapsible blocks, and list
    items indented by four spaces, as Python-Markdown needs for nesting."""

    def escape(self, text: str, parent_tags: set[str]) -> str:
        """Text stays text: what the page displayed as `<script>`, `[x](javascript:…)` or `{: onclick=…}`
        must not become HTML, a link or attributes in the Markdown."""
        return escape_text(super().escape(text, parent_tags))

    def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        href = safe_url(str(el.get("href") or ""))
        if href and text.strip() == href and urlsplit(href).scheme not in ("http", "https", "mailto"):
            return f"[{text.strip()}]({href})"  # <page.html> would be an HTML tag, not an autolink
        if href:
            el["href"] = href
        return super().convert_a(el, text, parent_tags)

    def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        el["src"] = safe_url(str(el.get("src") or ""))
        el["alt"] = escape_text(str(el.get("alt") or ""))
        return super().convert_img(el, text, parent_tags)

    def convert_pre(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        # a fence longer than any run of backticks in the code, so the code cannot close it and go on as Markdown
        fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", text or "")), default=0))
        head, _, rest = super().convert_pre(el, text, parent_tags).partition("```")
        inner, _, tail = rest.rpartition("```")
        return f"{head}{fence}{inner}{fence}{tail}" if inner else head + rest

    def convert_table(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if not el.get("data-kb-html"):
            return super().convert_table(el, text, parent_tags)
        # md_in_html: the cells' Markdown (links, emphasis, code) is still rendered, and MkDocs still sees links
        return f'\n\n<table markdown="1">\n{text.strip()}\n</table>\n\n'

    def convert_tr(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if not _html_table(el):
            return super().convert_tr(el, text, parent_tags)
        return f'<tr markdown="1">{text.strip()}</tr>\n'

    def convert_td(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if not _html_table(el):
            return super().convert_td(el, text, parent_tags)
        spans = "".join(f' {name}="{int(el[name])}"' for name in ("colspan", "rowspan")
                        if str(el.get(name) or "").isdigit() and int(el[name]) > 1)
        return f'<{el.name} markdown="span"{spans}>{" ".join(text.split())}</{el.name}>'

    convert_th = convert_td

    def convert_p(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        kind = callout(el)
        if kind is None or "_inline" in parent_tags:
            return super().convert_p(el, text, parent_tags)
        return f"\n\n!!! {kind}\n\n{_indent(text.strip())}\n\n"

    def convert_details(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        summary = el.find("summary")
        title = escape_text(text_of(summary)) if summary is not None else "Details"
        return f"\n\n???{'+' if el.get('open') is not None else ''} note {json.dumps(title)}\n\n{_indent(text.strip())}\n\n"

    def convert_summary(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return ""

    def convert_li(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        text = (text or "").strip()
        if not text:
            return "\n"
        parent = el.parent
        if parent is not None and parent.name == "ol":
            start = str(parent.get("start") or "1")
            bullet = f"{(int(start) if start.isdigit() else 1) + len(el.find_previous_siblings('li'))}."
        else:
            bullet = "-"
        first, _, rest = text.partition("\n")
        return f"{bullet} {first}" + ("\n" + _indent(rest) if rest else "") + "\n"


def _html_table(cell: Tag) -> bool:
    table = cell.find_parent("table")
    return table is not None and bool(table.get("data-kb-html"))


def escape_text(text: str) -> str:
    """Markdown text that renders as exactly this text: no HTML, no links, no attribute lists."""
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    return re.sub(r"([\[\]{}|])", r"\\\1", text)


def safe_url(url: str) -> str:
    """A link target that cannot end the Markdown link early: spaces, brackets and quotes percent-encoded."""
    return quote(url.strip(), safe="/:?#&=%@!$*+,;~.-_'")


def _indent(text: str) -> str:
    return "\n".join(("    " + line) if line.strip() else "" for line in text.split("\n"))


def _tidy_markdown(text: str) -> str:
    """At most one blank line between blocks (outside code), no whitespace-only lines, and no line that the
    KB's own block syntax (`/// kb-form`, `/// kb-rejection-codes`) would read as a block."""
    out: list[str] = []
    lines = text.split("\n")
    for line, in_code in zip(lines, scan.code_flags(lines)):
        if in_code:
            out.append(line)
            continue
        if not line.strip():
            if out and out[-1] == "":
                continue
            line = ""
        elif line.lstrip().startswith("///"):
            line = line.replace("///", "&#47;//", 1)
        out.append(line)
    return "\n".join(out).strip("\n") + "\n"
