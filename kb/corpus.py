"""The whole knowledge base: every article under docs/, the authors, and every problem found in them."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterator

from pydantic import ValidationError

from kb import boundary, forms, frontmatter, interrupted, links, rawhtml, records, rules
from kb.model import Article, Author, article_path_of_archive, in_version_order
from kb.problems import Problem, Severity, sort_problems
from kb.review import ReviewStatus, review_status
from kb.settings import Settings
from kb.validation import author_message

AUTHORS_FILE = "authors.yml"


@dataclass
class KnowledgeBase:
    settings: Settings
    today: date
    authors: dict[str, Author] = field(default_factory=dict)
    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    _paths: dict[str, Article] = field(default_factory=dict, repr=False)
    _numbers: dict[str, Article] = field(default_factory=dict, repr=False)
    _archives: dict[str, list[Article]] = field(default_factory=dict, repr=False)  # by their article's path

    def reindex(self) -> None:
        """Rebuild the look-ups after `articles` changed (every page asks for them: no scan of the KB per page)."""
        self._paths = {a.path: a for a in self.articles}
        self._numbers = {}
        self._archives = {}
        for a in self.articles:
            if a.is_archive:
                if a.control.version:
                    self._archives.setdefault(article_path_of_archive(a.path), []).append(a)
            elif a.number is not None:
                self._numbers.setdefault(a.number, a)
        self._archives = {path: in_version_order(found) for path, found in self._archives.items()}

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    def by_path(self, path: str) -> Article | None:
        return self._paths.get(path)

    def by_number(self, number: str) -> Article | None:
        """The article (not an archived version) with this number."""
        return self._numbers.get(number)

    def article_of(self, version: Article) -> Article | None:
        """The article an archived version belongs to (None when there is none); an article is its own."""
        return self._paths.get(article_path_of_archive(version.path)) if version.is_archive else version

    def archives_of(self, article: Article) -> list[Article]:
        """Archived versions of `article`, oldest first."""
        return list(self._archives.get(article.path, ()))

    def review(self, article: Article) -> ReviewStatus | None:
        review_date = article.control.review_date
        if review_date is None:
            return None
        return review_status(review_date, self.today, self.settings.policy)


def load(settings: Settings, today: date, memo: dict[tuple[str, str], FileReading] | None = None) -> KnowledgeBase:
    """Read and check every article; never raises for anything an author can write.

    `memo`, kept by a caller that loads the same KB again (`mkdocs serve`), holds what each file's text gave:
    a file whose text is unchanged is not parsed again. The rules across files run every time."""
    kb = KnowledgeBase(settings, today)
    kb.authors, kb.problems = read_authors(settings.docs_dir)
    kb.problems += boundary.check_links(settings.docs_dir)
    kb.problems += rawhtml.check_files(settings.docs_dir)
    readings = {}
    for rel, text in _markdown_files(settings.docs_dir, kb.problems):
        reading = (memo or {}).get((rel, text)) or read_file(rel, text)
        readings[(rel, text)] = reading
        kb.problems += reading[1]
        if reading[0] is not None:
            kb.articles.append(reading[0])
    if memo is not None:  # only the files as they are now
        memo.clear()
        memo.update(readings)
    for article in kb.articles:
        kb.problems += rules.check_article(article, settings.policy, today, kb.authors)
    kb.reindex()
    kb.problems += rules.check_numbers(kb.articles)
    kb.problems += check_archives(kb)
    kb.problems += check_public_links(kb)
    kb.problems += interrupted.check(kb)
    kb.problems = sort_problems(kb.problems)
    return kb


FileReading = tuple[Article | None, list[Problem]]


def read_file(rel: str, text: str) -> FileReading:
    """One Markdown file on its own: its article, if it is one, and its problems (front matter, raw HTML, forms)."""
    article, problems = read_article(rel, text)
    problems = problems + (rawhtml.check(rel, article.body, article.body_line) if article else rawhtml.check(rel, text))
    if forms.BLOCK_MARK in text:
        problems += forms.check_page(rel, text)[1]
    return article, problems


def read_article(rel: str, text: str) -> tuple[Article | None, list[Problem]]:
    """An Article when the file's front matter has document_control; front matter problems either way."""
    if not frontmatter.has_front_matter(text):
        return None, []
    fm = frontmatter.read(rel, text)
    if fm.data is None:
        return None, fm.problems
    if "document_control" not in fm.data:
        return None, fm.problems + rules.check_page_strings(rel, fm)
    article, problems = records.read(rel, fm)
    return article, fm.problems + problems


def read_authors(docs_dir: Path) -> tuple[dict[str, Author], list[Problem]]:
    path = docs_dir / AUTHORS_FILE
    rel = AUTHORS_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, [Problem(rel, None, "authors", f"{AUTHORS_FILE} is missing from {docs_dir.name}/: "
                            "every article's author must be listed there")]
    except (OSError, UnicodeDecodeError) as exc:
        return {}, [Problem(rel, None, "authors", f"cannot be read: {exc}")]
    fm = frontmatter.read(rel, "---\n" + text + ("" if text.endswith("\n") else "\n") + "---\n")
    if fm.problems:
        return {}, [Problem(rel, (p.line or 2) - 1, "authors", p.message) for p in fm.problems]
    data = fm.data or {}
    authors: dict[str, Author] = {}
    problems: list[Problem] = []
    for key, value in data.items():
        line = (fm.lines.get((key,)) or 2) - 1
        if not isinstance(value, dict):
            problems.append(Problem(rel, line, str(key), "must be a mapping with name, team and email", value=value))
            continue
        try:
            authors[str(key)] = Author.model_validate(value)
        except ValidationError as exc:
            for error in exc.errors():
                where = ".".join([str(key), *map(str, error["loc"])])
                problems.append(Problem(rel, line, where, author_message(error, list(Author.model_fields)),
                                        value=error.get("input")))
    return authors, problems


def check_archives(kb: KnowledgeBase) -> list[Problem]:
    """An archived version must match a row of its article's change control: same version, same date."""
    out: list[Problem] = []
    for archive in kb.articles:
        if not archive.is_archive:
            continue
        owner = kb.article_of(archive)
        loc = ("document_control", "version")
        if owner is None:
            out.append(Problem(archive.path, archive.line_of(*loc), "document_control.version",
                               f"archived version without its article {article_path_of_archive(archive.path)}"))
            continue
        version = archive.control.version
        if archive.number is not None and owner.number is not None and archive.number != owner.number:
            out.append(Problem(archive.path, archive.line_of("document_control", "number"),
                               "document_control.number", f"{archive.number!r} differs from its article's "
                               f"number {owner.number!r}", value=archive.number))
        rows = {row.version: row for row in owner.changes if row is not None}
        if isinstance(version, str) and version not in rows:
            out.append(Problem(archive.path, archive.line_of(*loc), "document_control.version",
                               f"{version} is not a version in the change control of {owner.path}", value=version))
        elif isinstance(version, str) and archive.changes and archive.changes[-1] is not None:
            own_date, their_date = archive.changes[-1].date, rows[version].date
            if own_date != their_date:
                out.append(Problem(archive.path, archive.line_of("change_control", len(archive.changes) - 1, "date"),
                                   records.field_name(("change_control", len(archive.changes) - 1, "date")),
                                   f"version {version} is dated {own_date.isoformat()} here "
                                   f"but {their_date.isoformat()} in {owner.path}", value=own_date))
    return out


def check_public_links(kb: KnowledgeBase) -> list[Problem]:
    """A public article must not link to an internal-only one, in Markdown or in raw HTML: the public hub
    would have a broken link, and would name what it does not publish."""
    out: list[Problem] = []
    for article in kb.articles:
        if article.audience != "public":
            continue
        reported: set[tuple[str, int]] = set()  # one finding per linked article and line
        for target_path, line in _page_links(article.body, article.path, kb.settings.directory_urls):
            target = kb.by_path(target_path) or (kb.by_number(target_path.removeprefix("kb/"))
                                                 if target_path.startswith("kb/") else None)
            if target is not None and target.audience != "public" and (target.path, line) not in reported:
                reported.add((target.path, line))
                out.append(Problem(article.path, article.body_line + line - 1, "body",
                                   f"links to {target.path} ({target.title}), which is internal-only: the public "
                                   "hub cannot show it; link to a public article or make that one public",
                                   value=target.path))
    return out


@functools.lru_cache(maxsize=8192)  # `mkdocs serve` loads the KB on every rebuild: unchanged bodies are not parsed again
def _page_links(body: str, path: str, directory_urls: bool) -> tuple[tuple[str, int], ...]:
    return tuple(links.linked_pages(body, path, directory_urls))


def _markdown_files(docs_dir: Path, problems: list[Problem]) -> Iterator[tuple[str, str]]:
    """(path relative to docs/, text) of every Markdown file, in a stable order; hidden folders skipped."""
    for root, dirs, files in os.walk(docs_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.endswith(".md"):
                continue
            full = Path(root, name)
            if full.is_symlink() and not boundary.inside(full, docs_dir):
                continue  # never read: boundary.check_links reports it
            rel = full.relative_to(docs_dir).as_posix()
            try:
                yield rel, full.read_text(encoding="utf-8")
            except UnicodeDecodeError as exc:
                problems.append(Problem(rel, None, "file", f"is not UTF-8 text ({exc.reason} at byte {exc.start})"))
            except OSError as exc:
                problems.append(Problem(rel, None, "file", f"cannot be read: {exc.strerror}"))
