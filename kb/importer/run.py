"""One import run: read every export, map every page, then convert and write them.

Pages are mapped in two passes so that links between them can be resolved: the first pass reads each page's
Document Control (its number, name and so its file) and where its BookStack ids fall; the second converts
each body with every other page's new address known, checks the article like any other, and writes it
unless refused. One Outcome per page (an unreadable input is one Outcome with its error).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import urlsplit

from kb import corpus, dates, rules, settings
from kb.importer.body import body_markdown, escape_text, safe_url, section_markdown
from kb.importer.common import ExportError, slug
from kb.importer.control import Registry, change_control, document_control
from kb.importer.exported import ExportedPage, Section
from kb.importer.links import LinkMap, Target, anchors_of, bookstack_slug
from kb.importer.media import attachment_name
from kb.importer.pages import read_text_export
from kb.importer.sanitise import live_html, unsafe_url
from kb.importer.sections import ControlledPage, has_document_control
from kb.importer.writing import (BOOK_RE, UnsafePath, inside, render_article, render_index, render_page,
                                 write_draft, write_if_changed)
from kb.importer.zipexport import is_zip, read_zip
from kb.problems import Problem

Progress = Callable[[int, int], None]


@dataclass
class Draft:
    """What one page becomes: the file's text and path, plus what comes with it."""

    source: Path
    rel: str  # the file's path under docs/
    text: str
    number: str  # "" for a plain page
    version: str
    status: str
    images: dict[str, bytes] = field(default_factory=dict)  # docs-relative path -> content (attachments too)
    authors: dict[str, dict[str, str]] = field(default_factory=dict)  # new authors.yml entries it needs
    book_title: str | None = None
    notes: list[str] = field(default_factory=list)  # what could not be mapped

    @property
    def is_article(self) -> bool:
        return bool(self.number)


@dataclass
class Outcome:
    """The result of importing one page (or of one input that could not be read), for the command to report."""

    source: Path
    draft: Draft | None = None
    error: str | None = None
    written: bool = False
    replaced: str | None = None  # docs path of the article this one replaced (--force)
    files: list[str] = field(default_factory=list)  # docs paths written (none when nothing changed)
    problems: list[Problem] = field(default_factory=list)
    where: str = ""  # how reports name it: the file, and the page when the file holds several

    def __post_init__(self) -> None:
        self.where = self.where or str(self.source)

    @property
    def is_index(self) -> bool:
        """A book's or chapter's index page, written beside the pages (not counted as an input)."""
        return self.draft is not None and self.draft.status.endswith(" index")

    @property
    def failed(self) -> bool:
        return self.error is not None or any(p.is_error for p in self.problems)


@dataclass
class _Mapped:
    """A page after the first pass: what it is, where it goes, and what its body still has to become."""

    page: ExportedPage
    outcome: Outcome
    layout: ControlledPage
    notes: list[str]
    rel: str
    target: Target
    control: dict | None = None  # None for a plain page
    changes: list[dict] = field(default_factory=list)
    authors: dict[str, dict[str, str]] = field(default_factory=dict)  # new authors.yml entries it needs


def import_exports(sources: Iterable[Path], kb_settings: settings.Settings, book: str, *, audience: str = "internal",
                   tags: Iterable[str] = (), force: bool = False, dry_run: bool = False,
                   today: date | None = None, progress: Progress | None = None) -> list[Outcome]:
    """Import every export into docs/<book>/; one Outcome per page, in order. Writes nothing on dry_run."""
    if not BOOK_RE.match(book):
        raise ValueError(f"book {book!r} is not a folder name: lower-case letters, digits, '-', '_' or '.'")
    today = today or dates.today()
    kb = corpus.load(kb_settings, today)
    registry = Registry(dict(kb.authors))
    docs = kb_settings.docs_dir
    outcomes: list[Outcome] = []
    links = LinkMap()
    mapped: list[_Mapped] = []
    sections: list[tuple[Path, Section, list[ExportedPage | Section]]] = []  # with what each holds, in order
    for source in sources:
        try:
            export = read_zip(source, book) if is_zip(source) else read_text_export(source, book)
        except ExportError as exc:
            outcomes.append(Outcome(source, error=str(exc)))
            continue
        sections += [(source, section, export.children(section)) for section in export.sections]
        for page in export.pages:
            outcome = Outcome(source, where=page.where)
            outcomes.append(outcome)
            try:
                mapped.append(_map(page, outcome, kb_settings, registry, audience))
            except ExportError as exc:
                outcome.error = str(exc)
    _register(mapped, [section for _, section, _ in sections], links)
    taken: dict[str, str] = {}  # numbers (and paths) imported in this run
    written_authors: set[str] = set(kb.authors)
    report = progress or (_stderr_progress() if len(mapped) >= 50 else None)
    for done, item in enumerate(mapped, start=1):
        if report is not None:
            report(done, len(mapped))
        outcome = item.outcome
        try:
            draft = _finish(item, links, list(tags))
        except ExportError as exc:
            outcome.error = str(exc)
            continue
        outcome.draft = draft
        if draft.book_title and not any(s.folder == item.page.folder for _, s, _ in sections):
            sections.append((item.page.source, Section(item.page.folder, draft.book_title), []))
        refusal = _place(draft, outcome, kb, docs, book, force, taken)
        if refusal is not None:
            outcome.error = refusal
            continue
        key = draft.number or draft.rel
        taken[key] = outcome.where
        if draft.is_article:
            article, problems = corpus.read_article(draft.rel, draft.text)
            outcome.problems = problems + (rules.check_article(article, kb_settings.policy, today, registry.all())
                                           if article is not None else [])
        if dry_run:
            continue
        try:
            outcome.files = write_draft(draft, docs, written_authors, outcome.replaced)
        except (UnsafePath, OSError) as exc:
            outcome.error = f"not written: {exc}"
            continue
        outcome.written = True
    if report is not None and mapped:
        report(len(mapped), 0)  # done: the line is closed
    outcomes += _sections(sections, {id(item.page): item.outcome for item in mapped}, docs, force, dry_run)
    return outcomes


def convert(source: Path, book: str, registry: Registry, kb_settings: settings.Settings, *,
            audience: str = "internal", tags: list[str] | None = None) -> Draft:
    """The article one page export becomes (nothing written); ExportError when it is no BookStack export."""
    export = read_zip(source, book) if is_zip(source) else read_text_export(source, book)
    links = LinkMap()
    mapped = [_map(page, Outcome(source), kb_settings, registry, audience) for page in export.pages]
    _register(mapped, export.sections, links)
    return _finish(mapped[0], links, tags or [])


# Helper functions


def _place(draft: Draft, outcome: Outcome, kb: corpus.KnowledgeBase, docs: Path, book: str, force: bool,
           taken: dict[str, str]) -> str | None:
    """Why the page cannot be written where it goes (outside docs/, twice in this import, over an existing
    article without --force), or None; with --force an article of the same book is replaced in place."""
    try:
        inside(docs / book, Path(draft.rel).name)
        inside(docs, draft.rel)
    except UnsafePath as exc:
        return str(exc)
    key = draft.number or draft.rel
    if key in taken:
        return f"{key} is also the {'number' if draft.number else 'path'} of {taken[key]} in this import"
    existing = kb.by_number(draft.number) if draft.number else None
    if existing is None and not (docs / draft.rel).exists():
        return None
    where = existing.path if existing is not None else draft.rel
    if not force:
        return f"{draft.number or 'a page'} already exists as docs/{where}: not overwritten (pass --force to replace it)"
    outcome.replaced = where
    if existing is not None and existing.path.startswith(f"{book}/"):
        draft.rel = existing.path  # same file, so its URL, archived versions and links stay valid
    elif existing is not None and kb.archives_of(existing):
        draft.notes.append(f"the archived versions of docs/{existing.path} stay where they are: move or remove them")
    return None


def _map(page: ExportedPage, outcome: Outcome, kb_settings: settings.Settings, registry: Registry,
         audience: str) -> _Mapped:
    """The first pass: the page's layout, its Document Control and Change Control, and so its file."""
    notes: list[str] = []
    if page.in_book and not has_document_control(page.root):
        layout = ControlledPage.plain(page.root, page.kind)
        name = page.name or "Untitled page"
        notes.append("no Document Control table: imported as a plain page of the book, not as an article")
        rel = f"{page.folder}/{slug(name)}.md"
        return _Mapped(page, outcome, layout, notes, rel, Target(rel, anchors_of(layout.body)))
    layout = ControlledPage.of(page.root, page.kind, kb_settings, notes)
    control = document_control(layout, kb_settings, registry, notes, audience)
    changes = change_control(layout, registry, notes, control)
    rel = f"{page.folder}/{control['number']}-{slug(control['name'])}.md"
    authors = {key: registry.added[key] for key in [control.get("author"), *(r["author"] for r in changes)]
               if key in registry.added}
    return _Mapped(page, outcome, layout, notes, rel, Target(rel, anchors_of(layout.body)), control, changes,
                   authors)


def _register(mapped: list[_Mapped], sections: list[Section], links: LinkMap) -> None:
    for item in mapped:
        page = item.page
        names = {page.name, item.control and f"{item.control['number']} {item.control['name']}"}
        links.add_page(item.target, page.id, [name for name in names if name])
        for attachment in page.attachments:
            if attachment.id is None:
                continue
            if attachment.link:
                links.attachments[attachment.id] = attachment.link
            elif attachment.data is not None:
                name = _attachment_names(item).get(id(attachment))
                if name is not None:
                    links.attachments[attachment.id] = f"{page.folder}/{name}"
    for section in sections:
        target = Target(f"{section.folder}/index.md")
        if section.kind == "chapter":
            links.chapter_slugs[bookstack_slug(section.title)] = target
            if section.id is not None:
                links.chapters[section.id] = target
        else:
            links.book_slugs[bookstack_slug(section.title)] = target
            if section.id is not None:
                links.books[section.id] = target


def _stem(item: _Mapped) -> str:
    return Path(item.rel).stem


def _finish(item: _Mapped, links: LinkMap, tags: list[str]) -> Draft:
    """The second pass: the body with every link resolved, then the file's text."""
    page, notes = item.page, item.notes
    body, files = body_markdown(item.layout.body, page.files, page.folder, _stem(item), item.target, links, notes)
    body += _attachments(item, files, notes)
    unsafe = live_html(body)
    if unsafe:  # the sanitiser and the escaping should make this impossible: refuse rather than publish it
        raise ExportError(f"the converted body would still hold live HTML ({', '.join(unsafe[:3])}): not imported")
    all_tags = list(dict.fromkeys([*item.layout.tags, *page.tags, *tags]))
    book_title = page.book_title or item.layout.book_title
    if item.control is None:
        text = render_page(page.name or "Untitled page", all_tags, body)
        return Draft(page.source, item.rel, text, "", "", "plain page", files, {}, book_title,
                     list(dict.fromkeys(notes)))
    text = render_article(item.control, item.changes, all_tags, body)
    return Draft(page.source, item.rel, text, item.control["number"], item.control.get("version", ""),
                 item.control.get("status", ""), files, item.authors, book_title, list(dict.fromkeys(notes)))


def _attachments(item: _Mapped, files: dict[str, bytes], notes: list[str]) -> str:
    """Attachments saved beside the page and listed under an Attachments heading, link attachments too."""
    lines = []
    for attachment in item.page.attachments:
        label = escape_text(attachment.name)
        if attachment.link and unsafe_url(attachment.link):
            scheme = urlsplit("".join(attachment.link.split())).scheme.lower()
            notes.append(f"link attachment {attachment.name!r} has a {scheme}: target: left out")
            continue
        if attachment.link:
            lines.append(f"- [{label}]({safe_url(attachment.link)})")
            continue
        if attachment.data is None:
            notes.append(f"attachment {attachment.name!r} is not in the export: left out")
            continue
        name = _attachment_names(item).get(id(attachment))
        if name is None:
            notes.append(f"attachment {attachment.name!r} is of a kind the site would run or render as a page "
                         "(HTML, SVG, script, Markdown): left out")
            continue
        files[f"{item.page.folder}/{name}"] = attachment.data
        lines.append(f"- [{label}]({name})")
    return ("\n## Attachments\n\n" + "\n".join(lines) + "\n") if lines else ""


def _attachment_names(item: _Mapped) -> dict[int, str]:
    """The file name each attachment of the page is saved as (kinds the site would run are left out); two
    attachments whose names make the same slug get -2, -3, …"""
    names: dict[int, str] = {}
    for attachment in item.page.attachments:
        name = attachment_name(_stem(item), attachment.name) if attachment.data is not None else None
        if name is None:
            continue
        base, _, extension = name.rpartition(".")
        number = 2
        while name in names.values():
            name, number = f"{base}-{number}.{extension}", number + 1
        names[id(attachment)] = name
    return names


def _sections(sections: list[tuple[Path, Section, list[ExportedPage | Section]]], pages: dict[int, Outcome],
              docs: Path, force: bool, dry_run: bool) -> list[Outcome]:
    """Each book's and chapter's index page, with BookStack's order of what it holds as `order:` (kb.books:
    navigation follows it): written when missing, updated in place with --force (and only when it changes);
    an index already there is otherwise left as its authors wrote it."""
    outcomes = []
    for source, section, children in {s.folder: (source, s, c) for source, s, c in sections}.values():
        rel = f"{section.folder}/index.md"
        outcome = Outcome(source, where=f"{source} [{section.title}]")
        description = section_markdown(section.description) if section.description is not None else None
        order = []
        for child in children:
            imported = pages.get(id(child))
            if isinstance(child, Section):
                order.append(child.folder.rpartition("/")[2])
            elif imported is not None and imported.error is None and imported.draft is not None:
                order.append(Path(imported.draft.rel).stem)
        text = render_index(section.title, description, section.tags, order).decode("utf-8")
        outcome.draft = Draft(source, rel, text, "", "", f"{section.kind} index")
        try:
            index = inside(docs, rel)
        except UnsafePath as exc:
            outcome.error = str(exc)
            outcomes.append(outcome)
            continue
        if index.exists() and not force:
            continue  # kept as it is: not a finding
        outcomes.append(outcome)
        if not dry_run:
            outcome.files = [rel] if write_if_changed(index, text.encode("utf-8")) else []
            outcome.written = True
    return outcomes


def _stderr_progress() -> Progress:
    """A progress line on stderr, rewritten in place, at most every half second."""
    last = [0.0]

    def report(done: int, total: int) -> None:
        now = time.monotonic()
        if total == 0:
            sys.stderr.write("\n")
        elif now - last[0] >= 0.5 or done == total:
            last[0] = now
            sys.stderr.write(f"\rimporting page {done} of {total}")
        sys.stderr.flush()

    return report
