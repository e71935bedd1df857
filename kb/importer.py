"""Import articles from the old knowledge base: BookStack exports become articles with front matter.

BookStack exports a page as Markdown (Markdown with the editor's HTML left in: Word-pasted tables, spans,
callouts) or as a standalone HTML document (the page inside a `page-content` div). Both become one HTML
tree: the Markdown export is rendered by Python-Markdown first, with Markdown honoured inside the HTML.
From that tree the Document Control and Change Control tables become front matter, the banner and the
contact table are dropped (the site renders them), and the body between the START/END OF DOCUMENT
markers becomes Markdown through markdownify. What cannot be mapped is a note naming the file.
"""

from __future__ import annotations

import base64
import binascii
import difflib
import html
import json
import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Iterable, Iterator
from urllib.parse import unquote, urlsplit

import click
import markdown
import yaml
from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from markdown.extensions import md_in_html
from markdown.extensions.toc import slugify
from markdownify import MarkdownConverter

from kb import corpus, dates, rules, settings
from kb.commands import config_option, open_settings
from kb.corpus import AUTHORS_FILE
from kb.model import Author
from kb.problems import Problem

# Document Control row labels, normalised to lower-case letters only; known typos of the old KB included.
LABELS = {
    "documentname": "name", "name": "name", "title": "name", "documenttitle": "name",
    "documentnumber": "number", "number": "number", "docnumber": "number", "documentno": "number",
    "version": "version", "versionstatus": "version", "status": "status",
    "author": "author", "owner": "author", "documentowner": "author",
    "approval": "approval", "approvedby": "approval", "approver": "approval",
    "approvaldate": "approval_date", "dateofapproval": "approval_date", "approveddate": "approval_date",
    "reviewdate": "review_date", "nextreviewdate": "review_date", "nextreview": "review_date",
    "abstract": "abstract", "absract": "abstract", "abstact": "abstract", "summary": "abstract",
    "scope": "scope", "inputs": "inputs", "input": "inputs", "outputs": "outputs", "output": "outputs",
}
CHANGE_LABELS = {
    "date": "date", "author": "author", "by": "author", "editor": "author",
    "version": "version", "ver": "version", "revision": "version", "rev": "version",
    "change": "change", "changes": "change", "description": "change", "details": "change", "comment": "change",
    "summary": "change",
}
STATUS_WORDS = {"current": "current", "draft": "draft", "superseded": "superseded", "withdrawn": "withdrawn",
                "approved": "current", "published": "current", "active": "current", "live": "current"}
CALLOUTS = ("info", "success", "warning", "danger")
IMAGE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/jpg": "jpg", "image/gif": "gif",
               "image/webp": "webp", "image/svg+xml": "svg", "image/bmp": "bmp"}
KEEP_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "td": {"colspan", "rowspan"},
                   "th": {"colspan", "rowspan"}, "ol": {"start"}, "code": {"class"}, "pre": {"class"},
                   "p": {"class"}, "details": {"open"}}
UNWRAP = ("span", "font", "u", "ins", "mark", "small", "big", "abbr", "center", "o:p", "section", "article")
BLOCKS = ("p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table",
          "blockquote", "pre")
HTML_ELEMENTS = frozenset("""a abbr address article aside b bdi bdo big blockquote body br button caption center
cite code col colgroup dd del details dfn div dl dt em figcaption figure font footer h1 h2 h3 h4 h5 h6 head
header hr html i iframe img input ins kbd label li link main mark meta nav ol p pre q s samp section small span
strike strong style sub summary sup table tbody td tfoot th thead title tr u ul video source audio""".split())
EMAIL_RE = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
VERSION_RE = re.compile(r"v?\s*(\d+)(?:\.(\d+))?", re.IGNORECASE)


class ExportError(ValueError):
    """An input that cannot be read, or is not a BookStack export: the message names what is wrong."""


@dataclass
class Draft:
    """What one export becomes: the article's text and path, plus what comes with it."""

    source: Path
    rel: str  # the article's path under docs/
    text: str
    number: str
    version: str
    status: str
    images: dict[str, bytes] = field(default_factory=dict)  # docs-relative path -> content
    authors: dict[str, dict[str, str]] = field(default_factory=dict)  # new authors.yml entries it needs
    book_title: str | None = None
    notes: list[str] = field(default_factory=list)  # what could not be mapped


@dataclass
class Outcome:
    """The result of importing one input, for the command to report."""

    source: Path
    draft: Draft | None = None
    error: str | None = None
    written: bool = False
    replaced: str | None = None  # docs path of the article this one replaced (--force)
    problems: list[Problem] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.error is not None or any(p.is_error for p in self.problems)


@dataclass
class Registry:
    """The KB's authors plus those this import adds: new people get a key once, whichever file names them."""

    known: dict[str, Author]
    added: dict[str, dict[str, str]] = field(default_factory=dict)

    def key_for(self, name: str, team: str | None = None, email: str | None = None) -> tuple[str, bool]:
        """(key, is_new) of the author with this email or name; a new key from the first name."""
        people = {**{k: a.model_dump() for k, a in self.known.items()}, **self.added}
        for key, person in people.items():
            if email and (person.get("email") or "").casefold() == email.casefold():
                return key, key in self.added
        for key, person in people.items():
            if _fold(person.get("name") or "") == _fold(name):
                return key, key in self.added
        base = re.sub(r"[^a-z0-9]", "", name.split()[0].casefold()) if name.split() else ""
        base = base or "author"
        key, n = base, 2
        while key in people:
            key, n = f"{base}{n}", n + 1
        entry = {"name": name}
        if team:
            entry["team"] = team
        if email:
            entry["email"] = email
        self.added[key] = entry
        return key, True

    def all(self) -> dict[str, Author]:
        return {**self.known, **{k: Author.model_validate(v) for k, v in self.added.items()}}


def import_exports(sources: Iterable[Path], kb_settings: settings.Settings, book: str, *, audience: str = "internal",
                   tags: Iterable[str] = (), force: bool = False, dry_run: bool = False,
                   today: date | None = None) -> list[Outcome]:
    """Import every export into docs/<book>/; one Outcome per input, in order. Writes nothing on dry_run."""
    today = today or dates.today()
    kb = corpus.load(kb_settings, today)
    registry = Registry(dict(kb.authors))
    docs = kb_settings.docs_dir
    taken: dict[str, Path] = {}  # numbers imported in this run
    written_authors: set[str] = set(kb.authors)
    outcomes = []
    for source in sources:
        outcome = Outcome(source)
        outcomes.append(outcome)
        try:
            draft = convert(source, book, registry, kb_settings, audience=audience, tags=list(tags))
        except ExportError as exc:
            outcome.error = str(exc)
            continue
        outcome.draft = draft
        if draft.number in taken:
            outcome.error = f"{draft.number} is also the number of {taken[draft.number]} in this import"
            continue
        existing = kb.by_number(draft.number)
        if existing is not None or (docs / draft.rel).exists():
            where = existing.path if existing is not None else draft.rel
            if not force:
                outcome.error = (f"{draft.number} already exists as docs/{where}: not overwritten "
                                 "(pass --force to replace it)")
                continue
            outcome.replaced = where
            if existing is not None and existing.book == book:
                draft.rel = existing.path  # same file, so its URL, archived versions and links stay valid
            elif existing is not None and kb.archives_of(existing):
                draft.notes.append(f"the archived versions of docs/{existing.path} stay where they are: "
                                   "move or remove them")
        taken[draft.number] = source
        article, problems = corpus.read_article(draft.rel, draft.text)
        outcome.problems = problems + (rules.check_article(article, kb_settings.policy, today, registry.all())
                                       if article is not None else [])
        if dry_run:
            continue
        _write(draft, docs, written_authors, outcome.replaced)
        outcome.written = True
    return outcomes


def convert(source: Path, book: str, registry: Registry, kb_settings: settings.Settings, *,
            audience: str = "internal", tags: list[str] | None = None) -> Draft:
    """The article one export becomes (nothing written); ExportError when it is no BookStack export."""
    root, kind = _read_export(source)
    notes: list[str] = []
    page = _Page.of(root, kind, kb_settings, notes)
    control = _document_control(page, kb_settings, registry, notes, audience)
    number, name = control["number"], control["name"]
    stem = f"{number}-{_slug(name)}"
    changes = _change_control(page, registry, notes, control)
    body, images = _body(page, source, book, stem, notes)
    all_tags = list(dict.fromkeys([*page.tags, *(tags or [])]))
    new_authors = {key: registry.added[key] for key in [control.get("author"), *(r["author"] for r in changes)]
                   if key in registry.added}
    text = render_article(control, changes, all_tags, body)
    return Draft(source, f"{book}/{stem}.md", text, number, control.get("version", ""), control.get("status", ""),
                 images, new_authors, page.book_title, list(dict.fromkeys(notes)))


def render_article(control: dict[str, Any], changes: list[dict[str, Any]], tags: list[str], body: str) -> str:
    """Front matter in the house style (as docs/apple-icloud/65.043-…md has it), then the body."""
    lines = ["---", "document_control:"]
    for key in ("number", "name", "version", "status", "author", "approval", "approval_date", "review_date",
                "abstract", "scope", "inputs", "outputs", "audience"):
        if control.get(key) not in (None, ""):
            lines.append(f"  {key}: {_yaml_scalar(control[key], quote=key in ('number', 'version'))}")
    lines.append("change_control:" if changes else "change_control: []")
    for row in changes:
        parts = ", ".join(f"{k}: {_yaml_scalar(row[k], flow=True, quote=k == 'version')}"
                          for k in ("date", "author", "version", "change"))
        lines.append(f"  - {{{parts}}}")
    if tags:
        lines.append("tags: [" + ", ".join(_yaml_scalar(t, flow=True) for t in tags) + "]")
    lines.append("---")
    return "\n".join(lines) + "\n\n" + (body.strip() + "\n" if body.strip() else "")


# Helper functions: reading an export


def _read_export(source: Path) -> tuple[BeautifulSoup, str]:
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
        return content, "html"
    rendered = _MARKDOWN.reset().convert(_tidy_tags(text))
    return BeautifulSoup(f"<div>{rendered}</div>", "lxml").div, "markdown"


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
                       if k in ("href", "src", "alt", "title", "class", "id", "colspan", "rowspan", "start", "open"))
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


@dataclass
class _Page:
    """An export's top-level blocks, sorted into what the importer maps."""

    blocks: list[Tag]
    titles: list[str]
    control_table: Tag | None
    change_table: Tag | None
    body: list[Tag]
    tags: list[str]
    book_title: str | None = None

    @classmethod
    def of(cls, root: Tag, kind: str, kb_settings: settings.Settings, notes: list[str]) -> "_Page":
        tags = _strip_export_chrome(root) if kind == "html" else []
        blocks = _blocks(root)
        start = _marker_index(blocks, "START OF DOCUMENT")
        if sum(1 for b in blocks if _is_marker(b, "START OF DOCUMENT")) > 1:
            notes.append("holds more than one page (START OF DOCUMENT appears again): only the first is imported; "
                         "export pages one by one")
        end = _marker_index(blocks, "END OF DOCUMENT", after=start if start is not None else -1)
        control = next((b for b in blocks if b.name == "table" and _is_control_table(b)), None)
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
                titles.append(_text(block))
            elif block.name == "table" and (block.find("img") or _fold(_text(block)) == "docs"):
                continue  # the banner (logo and "Docs"): the site has its own header
            else:
                notes.append(f"dropped before START OF DOCUMENT: {_snippet(block)}")
        body = [b for b in blocks[start + 1:end] if b is not control and b is not change and not _is_contact(b)]
        for block in blocks[end + 1:]:
            if _is_contact(block):
                notes.extend(_contact_differences(block, kb_settings.contact))
            elif not _is_empty(block) and not _is_marker(block, "END OF DOCUMENT"):
                notes.append(f"dropped after END OF DOCUMENT: {_snippet(block)}")
        page = cls(blocks, titles, control, change, body, tags)
        if len(titles) > 1:
            page.book_title = titles[0]
        return page


def _strip_export_chrome(root: Tag) -> list[str]:
    """Remove what BookStack's HTML export adds around the page (title, contents, tags, revision line)."""
    tags = []
    for item in root.select(".tag-item"):
        name = item.find("strong")
        if name is not None and _text(name):
            tags.append(_text(name))
    for meta in root.select(".entity-meta"):
        (meta.parent if meta.parent is not None and meta.parent is not root else meta).decompose()
    for label in root.find_all("div"):
        if label.decomposed:
            continue
        if _fold(_text(label)) in ("pagecontents", "tags") and label.find("strong") is not None:
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
            if isinstance(child, Tag) and child.name not in ("script", "style") and not (
                    child.name == "div" and _is_empty(child)):
                blocks.append(child)
        if len(blocks) == 1 and blocks[0].name in ("div", "section", "article", "main") and not _callout(blocks[0]):
            root = blocks[0]
            continue
        return blocks


def _marker_index(blocks: list[Tag], marker: str, after: int = -1) -> int | None:
    return next((i for i, b in enumerate(blocks) if i > after and _is_marker(b, marker)), None)


def _is_marker(block: Tag, marker: str) -> bool:
    text = _text(block)
    return block.name != "table" and len(text) < 200 and marker in text.upper()


def _is_section_label(block: Tag) -> bool:
    return block.name != "table" and _fold(_text(block)) in ("documentcontrol", "changecontrol")


def _is_contact(block: Tag) -> bool:
    text = _fold(_text(block))
    return block.name == "table" and ("needhelp" in text or "getintouch" in text)


def _is_empty(block: Tag) -> bool:
    return not _text(block) and block.find(["img", "table", "hr", "iframe", "video"]) is None and block.name != "hr"


def _is_control_table(table: Tag) -> bool:
    labels = {_label(_text(cell))[0] for cell in table.find_all(["td", "th"])}
    labels.discard(None)
    return len(labels) >= 3 and not _is_change_table(table)


def _is_change_table(table: Tag) -> bool:
    first = table.find("tr")
    if first is None:
        return False
    heads = {CHANGE_LABELS.get(_fold(_text(cell))) for cell in first.find_all(["td", "th"])}
    return {"date", "version", "change"} <= heads


def _contact_differences(table: Tag, contact: dict[str, Any]) -> list[str]:
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


# Helper functions: document and change control


def _label(text: str) -> tuple[str | None, bool]:
    """(field, guessed) for a row label; guessed when only a close spelling matched."""
    words = text.strip().rstrip(":").split()
    if not words or len(words) > 4:
        return None, False
    key = _fold(text)
    if key in LABELS:
        return LABELS[key], False
    close = difflib.get_close_matches(key, list(LABELS), n=1, cutoff=0.85) if len(key) >= 5 else []
    return (LABELS[close[0]], True) if close else (None, False)


def _control_cells(table: Tag, notes: list[str]) -> dict[str, Tag]:
    """Label -> value cell, whatever the layout: pairs along a row (two pairs in one row are fine), or a row
    of labels above a row of values."""
    rows = [row.find_all(["td", "th"], recursive=False) for row in table.find_all("tr")]
    rows = [row for row in rows if row]
    found: dict[str, Tag] = {}

    def keep(field_name: str, label_text: str, cell: Tag | None, guessed: bool) -> None:
        if guessed:
            notes.append(f"Document Control: read the row {label_text!r} as {field_name}")
        if field_name in found:
            notes.append(f"Document Control: {label_text!r} appears twice; the first is used")
        elif cell is None or not _text(cell) and cell.find("a") is None:
            notes.append(f"Document Control: {label_text!r} has no value")
        else:
            found[field_name] = cell

    if len(rows) >= 2 and all(_label(_text(c))[0] for c in rows[0]) and not any(_label(_text(c))[0] for c in rows[1]):
        for label_cell, value_cell in zip(rows[0], rows[1]):
            name, guessed = _label(_text(label_cell))
            keep(name or "", _text(label_cell), value_cell, guessed)
        return found
    for row in rows:
        index = 0
        while index < len(row):
            name, guessed = _label(_text(row[index]))
            if name is None:
                if _text(row[index]):
                    notes.append(f"Document Control: no label for {_snippet(row[index])}; not imported")
                index += 1
                continue
            value = row[index + 1] if index + 1 < len(row) and _label(_text(row[index + 1]))[0] is None else None
            keep(name, _text(row[index]), value, guessed)
            index += 2 if value is not None else 1
    return found


def _document_control(page: _Page, kb_settings: settings.Settings, registry: Registry, notes: list[str],
                      audience: str) -> dict[str, Any]:
    cells = _control_cells(page.control_table, notes) if page.control_table is not None else {}
    values = {key: _text(cell) for key, cell in cells.items()}
    control: dict[str, Any] = {}
    number_re = kb_settings.policy.number_re
    name = values.get("name") or (page.titles[-1] if page.titles else "")
    number = values.get("number", "")
    first, _, rest = name.partition(" ")
    if number_re.search(first):
        number = number or first
        name = rest.strip()
    elif not number and page.titles:
        first_title = page.titles[-1].partition(" ")[0]
        number = first_title if number_re.search(first_title) else ""
    if not number:
        raise ExportError("has no document number: expected it at the start of the Document Name "
                          "(as in '65.043 Emails being sent to …') or in a Document Number row")
    if not name:
        raise ExportError(f"has no document name for {number}")
    control["number"] = number
    control["name"] = name[0].upper() + name[1:]
    version_text = values.get("version", "")
    match = VERSION_RE.search(version_text)
    if match:
        control["version"] = f"{int(match.group(1))}.{int(match.group(2) or 0)}"
        if match.group(2) is None:
            notes.append(f"Document Control: version {version_text!r} read as {control['version']}")
    elif version_text:
        notes.append(f"Document Control: version {version_text!r} is not MAJOR.MINOR; not imported")
    else:
        notes.append("Document Control: no version")
    status_text = values.get("status") or (version_text[match.end():] if match else version_text)
    status = STATUS_WORDS.get(_fold(status_text))
    if status is None and status_text.strip():
        notes.append(f"Document Control: status {status_text.strip()!r} is not draft, current, superseded or "
                     "withdrawn; not imported")
    elif status is None:
        notes.append("Document Control: no status after the version (like 'v1.0 Current')")
    elif _fold(status_text) != status:
        notes.append(f"Document Control: status {status_text.strip()!r} read as {status}")
    if status:
        control["status"] = status
    if "author" in cells:
        control["author"] = _author_key(cells["author"], registry, notes)
    else:
        notes.append("Document Control: no author")
    for key in ("approval", "abstract", "scope", "inputs", "outputs"):
        if values.get(key):
            control[key] = values[key]
    for key in ("approval_date", "review_date"):
        if values.get(key):
            control[key] = _date(values[key], f"Document Control: {key.replace('_', ' ')}", notes)
    control["audience"] = audience
    return control


def _author_key(cell: Tag, registry: Registry, notes: list[str]) -> str:
    """The authors.yml key of 'Name, Team (Org), <email>', adding the person when new."""
    text = _text(cell)
    emails = [str(a["href"])[7:].split("?")[0] for a in cell.find_all("a", href=True)
              if str(a["href"]).lower().startswith("mailto:")]
    emails += EMAIL_RE.findall(text)
    email = unquote(emails[0]) if emails else None
    for address in set(emails):
        text = text.replace(address, "")
    text = re.sub(r"[<>\[\]\s]*$", "", text).strip().strip(",").strip()
    name, _, team = text.partition(",")
    name, team = name.strip(), team.strip().strip(",").strip()
    if not name:
        name = email.split("@")[0] if email else "Unknown"
        notes.append(f"Document Control: author {_text(cell)!r} has no name")
    key, new = registry.key_for(name, team or None, email)
    if new:
        missing = [what for what, value in (("team", team), ("email", email)) if not value]
        notes.append(f"author {name!r} added to {AUTHORS_FILE} as {key!r}"
                     + (f" without {' and '.join(missing)}" if missing else ""))
    return key


def _change_control(page: _Page, registry: Registry, notes: list[str], control: dict[str, Any]) -> list[dict[str, Any]]:
    table = page.change_table
    if table is None:
        version, approved = control.get("version"), control.get("approval_date")
        if version and isinstance(approved, date) and control.get("author"):
            notes.append(f"no Change Control table: one row written for version {version} from the approval date")
            return [{"date": approved, "author": control["author"], "version": version, "change": "Approved"}]
        notes.append("no Change Control table: change_control is empty")
        return []
    rows = [row.find_all(["td", "th"], recursive=False) for row in table.find_all("tr")]
    columns = [CHANGE_LABELS.get(_fold(_text(cell))) for cell in rows[0]]
    out = []
    for number, row in enumerate(rows[1:], start=1):
        values = {col: _text(cell) for col, cell in zip(columns, row) if col}
        if not any(values.values()):
            continue
        where = f"Change Control row {number}"
        missing = [col for col in ("date", "author", "version", "change") if not values.get(col)]
        if missing:
            notes.append(f"{where}: no {', '.join(missing)}")
        entry: dict[str, Any] = {"date": _date(values.get("date", ""), f"{where}: date", notes)}
        author = values.get("author", "")
        entry["author"] = registry.key_for(author)[0] if author else control.get("author", "")
        if author and entry["author"] in registry.added and entry["author"] != control.get("author"):
            notes.append(f"{where}: author {author!r} added to {AUTHORS_FILE} as {entry['author']!r} "
                         "without team and email")
        version = VERSION_RE.fullmatch(values.get("version", "").strip())
        entry["version"] = (f"{int(version.group(1))}.{int(version.group(2) or 0)}" if version
                            else values.get("version", ""))
        if not version and values.get("version"):
            notes.append(f"{where}: version {values['version']!r} is not MAJOR.MINOR")
        entry["change"] = values.get("change", "")
        out.append(entry)
    return out


def _date(text: str, where: str, notes: list[str]) -> date | str:
    text = text.strip()
    parsed = dates.parse_house_date(text)
    if parsed is None:
        try:
            parsed = date.fromisoformat(text)
        except ValueError:
            notes.append(f"{where} {text!r} is not a date (like 26-FEB-2025); kept as written")
            return text
    return parsed


# Helper functions: the body


def _body(page: _Page, source: Path, book: str, stem: str, notes: list[str]) -> tuple[str, dict[str, bytes]]:
    container = BeautifulSoup("<div></div>", "lxml").div
    for block in page.body:
        container.append(block.extract())
    ids = {str(el["id"]): el for el in container.find_all(id=True)}
    images = _images(container, source, book, stem, notes)
    _links(container, ids, notes)
    for comment in container.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for frame in container.find_all(["iframe", "embed", "object"]):
        src = frame.get("src") or frame.get("data") or ""
        notes.append(f"embedded {frame.name} {src or '(no source)'} became a link")
        link = BeautifulSoup(f'<p><a href="{html.escape(src)}">{html.escape(src)}</a></p>', "lxml").p
        frame.replace_with(link)
    if container.find("u"):
        notes.append("underlining has no Markdown: dropped, the text kept")
    for tag in container.find_all(UNWRAP):
        tag.unwrap()
    for heading in container.find_all(["h1", "h2", "h3", "h4", "h5", "h6"]):
        for bold in heading.find_all(["strong", "b"]):  # a heading is bold already
            bold.unwrap()
    for tag in container.find_all(True):
        allowed = KEEP_ATTRIBUTES.get(tag.name, set())
        tag.attrs = {k: v for k, v in tag.attrs.items() if k in allowed}
        if tag.name == "p" and "class" in tag.attrs and _callout(tag) is None:
            del tag.attrs["class"]
    for cell in container.find_all(["td", "th"]):
        if cell.get("colspan") not in (None, "1") or cell.get("rowspan") not in (None, "1"):
            notes.append("a table in the body has merged cells, which Markdown tables cannot hold: check it")
            break
    _paragraph_breaks(container)
    for text_node in container.find_all(string=True):
        if "\xa0" in text_node:
            text_node.replace_with(text_node.replace("\xa0", " "))
    converted = _BodyConverter(heading_style="ATX", bullets="-", escape_underscores=False,
                               code_language_callback=_code_language).convert_soup(container)
    return _tidy_markdown(converted), images


def _images(container: Tag, source: Path, book: str, stem: str, notes: list[str]) -> dict[str, bytes]:
    """Embedded images (data: URIs, files beside the export) saved beside the article; remote ones kept."""
    saved: dict[str, bytes] = {}
    for number, img in enumerate(container.find_all("img"), start=1):
        src = str(img.get("src") or "").strip()
        data: bytes | None = None
        extension = "png"
        if src.startswith("data:"):
            header, _, payload = src.partition(",")
            mime = header[5:].split(";")[0].lower()
            extension = IMAGE_TYPES.get(mime, "")
            try:
                data = base64.b64decode(payload, validate=False) if ";base64" in header else unquote(payload).encode()
            except (binascii.Error, ValueError):
                data = None
            if not extension or not data:
                notes.append(f"image {number} ({mime or 'unknown type'}) could not be decoded; left out")
                img.decompose()
                continue
        elif urlsplit(src).scheme in ("http", "https") or src.startswith("//"):
            # never fetched, and not shown either: the site requests nothing from other hosts
            notes.append(f"remote image not imported (kept as a link): {src}")
            link = container.new_tag("a", href=src)
            link.string = str(img.get("alt") or "").strip() or unquote(urlsplit(src).path.rsplit("/", 1)[-1]) or src
            img.replace_with(link)
            continue
        elif src:
            local = (source.parent / unquote(urlsplit(src).path)).resolve()
            if not local.is_file():
                notes.append(f"image {src} is not beside the export; the link is kept")
                continue
            data, extension = local.read_bytes(), local.suffix.lstrip(".").lower() or "png"
        else:
            img.decompose()
            continue
        name = f"{stem}-image-{len(saved) + 1}.{extension}"
        saved[f"{book}/{name}"] = data
        img["src"] = name
    return saved


def _links(container: Tag, ids: dict[str, Tag], notes: list[str]) -> None:
    """BookStack's in-page anchors (#bkmrk-…) point at the heading's new anchor; links into the old KB noted."""
    for link in container.find_all("a"):
        href = str(link.get("href") or "").strip()
        if link.find("img") is not None and not _text(link) and _is_image_url(href):
            link.unwrap()  # BookStack links each image to its full size on the old KB: the image is here now
            continue
        fragment = urlsplit(href).fragment
        if fragment.startswith("bkmrk-") and urlsplit(href).path in ("", "/"):
            target = ids.get(fragment)
            if target is not None and target.name in ("h1", "h2", "h3", "h4", "h5", "h6"):
                link["href"] = "#" + slugify(_text(target), "-")
            else:
                notes.append(f"link to #{fragment} on the old page has no heading to point at: kept as text")
                link.unwrap()
        elif "/books/" in href and "/page/" in href:
            notes.append(f"link into the old knowledge base kept as it is: {href}")


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


def _callout(tag: Tag) -> str | None:
    classes = tag.get("class") or []
    if "callout" not in classes:
        return None
    return next((c for c in classes if c in CALLOUTS), "info")


def _code_language(pre: Tag) -> str:
    code = pre.find("code") or pre
    for name in code.get("class") or []:
        if name.startswith("language-"):
            return name[9:].lower()
    return ""


class _BodyConverter(MarkdownConverter):
    """markdownify with the KB's Markdown: callouts as admonitions, <details> as collapsible blocks, and list
    items indented by four spaces, as Python-Markdown needs for nesting."""

    def convert_p(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        kind = _callout(el)
        if kind is None or "_inline" in parent_tags:
            return super().convert_p(el, text, parent_tags)
        return f"\n\n!!! {kind}\n\n{_indent(text.strip())}\n\n"

    def convert_details(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        summary = el.find("summary")
        title = _text(summary) if summary is not None else "Details"
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


def _indent(text: str) -> str:
    return "\n".join(("    " + line) if line.strip() else "" for line in text.split("\n"))


def _tidy_markdown(text: str) -> str:
    """At most one blank line between blocks (outside code), no whitespace-only lines."""
    out: list[str] = []
    fence = False
    for line in text.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        if not fence and not line.strip():
            if out and out[-1] == "":
                continue
            line = ""
        out.append(line)
    return "\n".join(out).strip("\n") + "\n"


# Helper functions: writing


def _write(draft: Draft, docs: Path, written_authors: set[str], replaced: str | None) -> None:
    target = docs / draft.rel
    target.parent.mkdir(parents=True, exist_ok=True)
    if replaced and replaced != draft.rel:
        (docs / replaced).unlink(missing_ok=True)
    new = {k: v for k, v in draft.authors.items() if k not in written_authors}
    if new:
        _append_authors(docs / AUTHORS_FILE, new)
        written_authors.update(new)
    for rel, data in draft.images.items():
        (docs / rel).write_bytes(data)
    index = target.parent / "index.md"
    if draft.book_title and not index.exists():
        index.write_text(f"---\ntitle: {_yaml_scalar(draft.book_title)}\n---\n\n# {draft.book_title}\n",
                         encoding="utf-8")
    target.write_text(draft.text, encoding="utf-8")


def _append_authors(path: Path, authors: dict[str, dict[str, str]]) -> None:
    """New entries at the end of authors.yml; the existing text is left exactly as it is."""
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    lines = [] if not existing or existing.endswith("\n") else [""]
    for key, entry in authors.items():
        lines.append(f"{_yaml_scalar(key)}:")
        lines += [f"  {k}: {_yaml_scalar(v)}" for k, v in entry.items()]
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")


def _yaml_scalar(value: Any, *, flow: bool = False, quote: bool = False) -> str:
    """A value as the house front matter writes it: plain where YAML reads it back unchanged, else quoted."""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    quoted = json.dumps(text, ensure_ascii=False)
    if quote:
        return quoted
    try:
        loaded = yaml.safe_load(f"{{k: {text}}}" if flow else f"k: {text}")
    except yaml.YAMLError:
        return quoted
    return text if loaded == {"k": text} and text == text.strip() else quoted


def _text(el: Tag | None) -> str:
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


def _fold(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.casefold())


def _slug(text: str, limit: int = 60) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "article"


def _snippet(el: Tag, limit: int = 60) -> str:
    text = _text(el) or f"<{el.name}>"
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


# The command


BOOK_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--book", required=True, help="The book (folder under docs/) to import into, e.g. apple-icloud.")
@click.option("--audience", type=click.Choice(["internal", "public"]), default="internal", show_default=True,
              help="Audience of the imported articles.")
@click.option("--tag", "tags", multiple=True, help="A tag for every imported article (repeatable).")
@click.option("--dry-run", is_flag=True, help="Print what would be written; write nothing.")
@click.option("--force", is_flag=True, help="Replace an existing article with the same number.")
@config_option
def import_command(paths: tuple[Path, ...], book: str, audience: str, tags: tuple[str, ...], dry_run: bool,
                   force: bool, config_file: str) -> None:
    """Import BookStack exports (Markdown or HTML) as articles in docs/BOOK/."""
    if not BOOK_RE.match(book):
        raise click.BadParameter("a book is a folder name: lower-case letters, digits, '-', '_' or '.'",
                                 param_hint="--book")
    kb_settings, today = open_settings(config_file)
    outcomes = import_exports(paths, kb_settings, book, audience=audience, tags=tags, force=force,
                              dry_run=dry_run, today=today)
    docs = kb_settings.docs_dir.name
    for outcome in outcomes:
        draft = outcome.draft
        if draft is not None:
            for note in draft.notes:
                click.echo(f"{outcome.source}: {note}", err=True)
        if outcome.error is not None:
            click.echo(f"{outcome.source}: error: {outcome.error}", err=True)
            continue
        assert draft is not None
        for problem in outcome.problems:
            click.echo(str(problem), err=True)
        what = f"{draft.number} v{draft.version} {draft.status}".strip()
        replaced = f", replacing {docs}/{outcome.replaced}" if outcome.replaced else ""
        if dry_run:
            click.echo(f"would write {docs}/{draft.rel} ({what}) from {outcome.source}{replaced}")
            for key, entry in draft.authors.items():
                click.echo(f"would add author {key} to {docs}/{AUTHORS_FILE}: {entry}")
            for rel in draft.images:
                click.echo(f"would save image {docs}/{rel}")
            click.echo(draft.text)
        else:
            click.echo(f"imported {outcome.source} -> {docs}/{draft.rel} ({what}){replaced}")
    refused = sum(1 for o in outcomes if o.error is not None)
    to_fix = sum(1 for o in outcomes if o.error is None and o.failed)
    if refused or to_fix:
        done = "would be imported" if dry_run else "imported"
        click.echo(f"{len(outcomes) - refused} of {len(outcomes)} input(s) {done}, {to_fix} of them with problems "
                   f"to fix; {refused} failed (see above)", err=True)
    raise SystemExit(1 if refused or to_fix else 0)
