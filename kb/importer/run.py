"""One import run: each export becomes a Draft, is checked like any article, and is written unless refused."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterable

from kb import corpus, dates, rules, settings
from kb.importer.body import body_markdown
from kb.importer.common import ExportError, slug
from kb.importer.control import Registry, change_control, document_control
from kb.importer.media import ExportFiles, FilesBeside
from kb.importer.pages import read_page_export
from kb.importer.sections import ControlledPage
from kb.importer.writing import BOOK_RE, UnsafePath, inside, render_article, write_draft
from kb.problems import Problem


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
    files: list[str] = field(default_factory=list)  # docs paths written (none when nothing changed)
    problems: list[Problem] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.error is not None or any(p.is_error for p in self.problems)



def import_exports(sources: Iterable[Path], kb_settings: settings.Settings, book: str, *, audience: str = "internal",
                   tags: Iterable[str] = (), force: bool = False, dry_run: bool = False,
                   today: date | None = None) -> list[Outcome]:
    """Import every export into docs/<book>/; one Outcome per input, in order. Writes nothing on dry_run."""
    if not BOOK_RE.match(book):
        raise ValueError(f"book {book!r} is not a folder name: lower-case letters, digits, '-', '_' or '.'")
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
        try:
            inside(docs / book, Path(draft.rel).name)
            inside(docs, draft.rel)
        except UnsafePath as exc:
            outcome.error = str(exc)
            continue
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
        try:
            outcome.files = write_draft(draft, docs, written_authors, outcome.replaced)
        except (UnsafePath, OSError) as exc:
            outcome.error = f"not written: {exc}"
            continue
        outcome.written = True
    return outcomes


def convert(source: Path, book: str, registry: Registry, kb_settings: settings.Settings, *,
            audience: str = "internal", tags: list[str] | None = None) -> Draft:
    """The article one export becomes (nothing written); ExportError when it is no BookStack export."""
    root, kind = read_page_export(source)
    notes: list[str] = []
    page = ControlledPage.of(root, kind, kb_settings, notes)
    control = document_control(page, kb_settings, registry, notes, audience)
    number, name = control["number"], control["name"]
    stem = f"{number}-{slug(name)}"
    changes = change_control(page, registry, notes, control)
    files = FilesBeside(source.parent) if kind == "markdown" else ExportFiles()
    body, images = body_markdown(page, files, book, stem, notes)
    all_tags = list(dict.fromkeys([*page.tags, *(tags or [])]))
    new_authors = {key: registry.added[key] for key in [control.get("author"), *(r["author"] for r in changes)]
                   if key in registry.added}
    text = render_article(control, changes, all_tags, body)
    return Draft(source, f"{book}/{stem}.md", text, number, control.get("version", ""), control.get("status", ""),
                 images, new_authors, page.book_title, list(dict.fromkeys(notes)))

