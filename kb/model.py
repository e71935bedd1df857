"""Typed records of the front matter: document control, change control, authors.

The pydantic models are the one declaration of the front matter's shape: they validate it and give
`kb schema` its JSON Schema. Cross-field rules live in `kb.rules`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any, Iterable, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

from kb import frontmatter
from kb.dates import EARLIEST_DATE, LATEST_DATE

Status = Literal["draft", "current", "superseded", "withdrawn"]
Audience = Literal["public", "internal"]
VERSION_PATTERN = r"^\d+\.\d+$"
TAG_PATTERN = r"^[\w][\w .+-]{0,39}$"

# Limits on what an author writes, so no value can stall the build (WeasyPrint lays out a 100 KB word for
# minutes) or overflow date arithmetic (a review date three years after 9999-01-01 is no date): dates
# within kb.dates' EARLIEST_DATE and LATEST_DATE.
LINE_MAX = 200  # a name, a key, who approved: one line in a table
TEXT_MAX = 5000  # an abstract or a change: a paragraph or a few
# Control characters would reach the HTML, the calendar and the terminal: NUL, ESC, CR, DEL, C1. A line
# also refuses tab and line feed; a text may have them (a folded paragraph).
_LINE_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _refuse(pattern: re.Pattern[str]) -> AfterValidator:
    def check(text: str) -> str:
        found = pattern.search(text)
        if found:
            raise PydanticCustomError("control_character", "contains the control character {code} at character "
                                      "{position}", {"code": f"U+{ord(found.group()):04X}",
                                                     "position": found.start() + 1})
        return text

    return AfterValidator(check)


Line = Annotated[str, Field(max_length=LINE_MAX), _refuse(_LINE_CONTROL)]
Text = Annotated[str, Field(max_length=TEXT_MAX), _refuse(TEXT_CONTROL)]
Day = Annotated[date, Field(ge=EARLIEST_DATE, le=LATEST_DATE)]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class DocumentControl(_Record):
    """The Document Control table of an article."""

    number: Line = Field(description="Document number, unique in the KB (pattern in mkdocs.yml), e.g. \"65.043\"")
    name: Line = Field(min_length=1, description="Document name, shown after the number as the title")
    version: str = Field(pattern=VERSION_PATTERN, description="MAJOR.MINOR as a quoted string, e.g. \"1.0\"")
    status: Status = Field(description="draft | current | superseded | withdrawn")
    author: Line = Field(min_length=1, description="Key of the author in docs/authors.yml")
    approval: Line | None = Field(None, description="Who approved this version")
    approval_date: Day | None = Field(None, description="ISO date of approval, e.g. 2025-02-26")
    review_date: Day | None = Field(None, description="ISO date by which the document must be reviewed")
    abstract: Text = Field(min_length=1)
    scope: Text = Field(min_length=1)
    inputs: Text = "None"
    outputs: Text = "None"
    audience: Audience = Field("internal", description="public | internal (default)")


class ChangeRow(_Record):
    """One row of the Change Control table."""

    date: Day
    author: Line = Field(min_length=1, description="Key of the author in docs/authors.yml")
    version: str = Field(pattern=VERSION_PATTERN)
    change: Text = Field(min_length=1)


class ArticleMeta(BaseModel):
    """An article's whole front matter. MkDocs' and Material's own page keys are allowed beside ours."""

    model_config = ConfigDict(extra="forbid", strict=True)

    document_control: DocumentControl
    change_control: list[ChangeRow] = Field(min_length=1)
    tags: list[Annotated[str, StringConstraints(pattern=TAG_PATTERN)]] = Field(
        default_factory=list, description="Words or short phrases: letters, digits, spaces, - _ . +")
    hide: list[Literal["navigation", "toc", "footer", "tags", "feedback"]] | None = None
    search: dict[str, Any] | None = None


class Author(_Record):
    name: Line = Field(min_length=1)
    team: Line | None = None
    email: Line | None = None


def version_key(version: str) -> tuple[int, int]:
    """1.9 < 1.10: versions compare as numbers, part by part."""
    major, _, minor = version.partition(".")
    return int(major), int(minor)


def in_version_order(articles: Iterable[Article], newest_first: bool = False) -> list[Article]:
    """Versions of one document, oldest first (1.9 before 1.10); one without a valid version counts as 0.0."""
    return sorted(articles, key=lambda a: version_key(a.control.version or "0.0"), reverse=newest_first)


@dataclass(frozen=True)
class Control:
    """An article's Document Control as read, possibly partial: each value that passed its type check, and
    None (or the declared default) where the author's value is missing or failed it; kb.records reported
    why. Everything after reading (rules, views, dashboard, catalogue, calendar, PDFs, versions) reads these
    attributes, so a renamed field fails loudly instead of showing as an empty string."""

    number: str | None = None
    name: str | None = None
    version: str | None = None
    status: Status | None = None
    author: str | None = None
    approval: str | None = None
    approval_date: date | None = None
    review_date: date | None = None
    abstract: str | None = None
    scope: str | None = None
    inputs: str = "None"
    outputs: str = "None"
    audience: Audience = "internal"


@dataclass
class Article:
    """One controlled document as read from disk (kb.records.read): its typed records, where valid, and
    where each key stands."""

    path: str  # relative to docs/, with forward slashes
    meta: dict[str, Any]
    body: str
    body_line: int
    lines: dict[tuple[Any, ...], int] = field(default_factory=dict)
    control: Control = field(default_factory=Control)
    changes: list[ChangeRow | None] = field(default_factory=list)  # None: a row that failed (keeps numbering)
    tags: list[str] = field(default_factory=list)

    @property
    def is_archive(self) -> bool:
        """Archived versions live beside their article: <book>/<article>/v1.0.md."""
        return is_archive_path(self.path)

    @property
    def book(self) -> str:
        return self.path.split("/")[0] if "/" in self.path else ""

    @property
    def number(self) -> str | None:
        return self.control.number

    @property
    def title(self) -> str:
        return f"{self.control.number or ''} {self.control.name or ''}".strip()

    @property
    def status(self) -> str | None:
        return self.control.status

    @property
    def audience(self) -> str:
        return self.control.audience

    def line_of(self, *path: Any) -> int | None:
        """The line of the deepest known key on `path`; the first line when none is known."""
        return frontmatter.line_of(self.lines, path) or 1


def is_archive_path(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return "/" in path and name.startswith("v") and name[1:-3].replace(".", "", 1).isdigit() and name.endswith(".md")


def article_path_of_archive(path: str) -> str:
    """docs path of the article an archive belongs to: a/65.043-x/v1.0.md -> a/65.043-x.md."""
    return path.rsplit("/", 1)[0] + ".md"
