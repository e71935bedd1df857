"""Email forms authored in Markdown (`/// kb-form` blocks): their data model and its validation, finding the
blocks of a page (outside code, by kb.scan) and checking each into `Problem`s, and the mailto: link.

An author declares the recipient, the subject and the fields; the page's script (kb-form.js) turns what the
reader types into a mailto: link. Loading the KB runs `check_page` on every page, so `kb check` and every
build report a broken form with its article and line before Markdown renders it; kb.form_block renders the
valid ones.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from enum import Enum
from typing import Any
from urllib.parse import quote

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kb import scan
from kb.problems import Problem, describe
from kb.validation import author_message, dotted

BLOCK_NAME = "kb-form"
BLOCK_MARK = f"/// {BLOCK_NAME}"  # how a page that holds a form block is told apart cheaply

# A block's indented data, read as pymdownx.blocks reads it.
_DATA_LINE = re.compile(r"^[ ]{4,}\S")
# An address mailto: carries as it is: no characters that would need percent-encoding.
_ADDRESS = re.compile(r"^[A-Za-z0-9.!$'*+/=^_{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                      r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")


class FieldKind(str, Enum):
    TEXT = "text"  # one line
    LONG_TEXT = "long-text"  # several lines
    DOMAIN = "domain"  # a domain name, checked
    IP_ADDRESSES = "ip-addresses"  # public IPv4/IPv6 addresses separated by commas, spaces or new lines
    SMTP_ERRORS = "smtp-errors"  # pasted server answers; known iCloud rejections are explained beside it

    @property
    def multiline(self) -> bool:
        return self is not FieldKind.TEXT and self is not FieldKind.DOMAIN


class FormError(ValueError):
    """A form block's data is wrong (the hook reports it as a build error naming the article)."""


class FormField(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str = Field(min_length=1, description="Visible label; also the field's line in the email body")
    kind: FieldKind = Field(FieldKind.TEXT, description=" | ".join(k.value for k in FieldKind))
    required: bool = False
    help: str | None = Field(None, description="A line of help shown under the label")

    @property
    def slug(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.label.lower()).strip("-") or "field"


class Form(BaseModel):
    """What an author writes in a `/// kb-form` block."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    recipient: str = Field(pattern=_ADDRESS.pattern, description="The address the email goes to")
    subject: str = Field(min_length=1, description="The email's subject, exactly")
    fields: list[FormField] = Field(min_length=1)
    title: str | None = Field(None, description="Heading over the form (default: the block's argument)")
    intro: str | None = Field(None, description="A line under the heading")

    @property
    def fallback_href(self) -> str:
        """The plain mailto: link for readers without JavaScript: recipient and subject only."""
        return mailto_href(self.recipient, self.subject)


@dataclass(frozen=True)
class FormSource:
    """A form block as written in a page: where it starts, its argument, and its data."""

    line: int  # 1-based line of the opening `/// kb-form`
    argument: str | None
    data: str  # the YAML, dedented
    content_line: int | None = None  # first line of Markdown content: a form block takes none
    content_is_data: bool = False  # that line is indented: data continued after a blank line
    closed: bool = True


def mailto_href(recipient: str, subject: str, body: str | None = None) -> str:
    """RFC 6068: UTF-8 percent-encoding of everything but unreserved characters, so spaces are %20."""
    href = f"mailto:{recipient}?subject={quote(subject, safe='')}"
    if body is not None:
        body = re.sub(r"\r\n|\r|\n", "\r\n", body)
        href += f"&body={quote(body, safe='')}"
    return href


def parse_form(data: Any, argument: str | None = None) -> Form:
    """A validated form from a block's data; `FormError` lists every problem, one per line."""
    problems = form_problems(data)
    if problems:
        raise FormError("\n".join(f"{field}: {message}" for field, message in problems))
    form = Form.model_validate(data)
    return form if form.title or not argument else form.model_copy(update={"title": argument})


def form_problems(data: Any) -> list[tuple[str, str]]:
    """(field, message) for everything wrong in a block's data; empty when it is a valid form."""
    if not isinstance(data, dict):
        return [(BLOCK_NAME, "the block needs its data (recipient, subject, fields) indented under its first line")]
    try:
        form = Form.model_validate(data)
    except ValidationError as exc:
        return [_translate(error) for error in exc.errors()]
    slugs = [field.slug for field in form.fields]
    return [(f"fields[{i}].label", f"{form.fields[i].label!r} repeats the label of an earlier field")
            for i, slug in enumerate(slugs) if slug in slugs[:i]]


def find_forms(markdown: str) -> list[FormSource]:
    """Every `/// kb-form` block of a page, outside code fences, with its line number."""
    lines = markdown.splitlines()
    return [_read_block(lines, index, start) for index, start in scan.block_starts(lines)
            if start.group(2).lower() == BLOCK_NAME]


def check_page(path: str, markdown: str) -> tuple[list[tuple[FormSource, Form]], list[Problem]]:
    """The valid forms of a page and a `Problem` for everything wrong in the others."""
    forms, problems = [], []
    for source in find_forms(markdown):
        def problem(field: str, message: str, value: Any = None) -> Problem:
            return Problem(path, source.line, f"{BLOCK_NAME}.{field}" if field != BLOCK_NAME else field,
                           message, value=value)

        if not source.closed:
            problems.append(problem(BLOCK_NAME, "the block is not closed: end it with a line '///'"))
            continue
        if source.content_line and source.content_is_data:
            problems.append(problem(BLOCK_NAME, f"line {source.content_line} is indented data after a blank "
                                    "line: the block's data must have no blank lines"))
            continue
        if source.content_line:
            problems.append(problem(BLOCK_NAME, f"line {source.content_line}: the block takes no Markdown "
                                    "content, only its indented data (use intro: for a line of text)"))
            continue
        try:
            data = yaml.safe_load(source.data) if source.data.strip() else None
        except yaml.YAMLError as exc:
            problems.append(problem(BLOCK_NAME, f"its data does not parse as YAML: {_yaml_reason(exc)}"))
            continue
        found = form_problems(data)
        if found:
            problems += [problem(field, message) for field, message in found]
        else:
            forms.append((source, parse_form(data, source.argument)))
    return forms, problems


# Helper functions


def _read_block(lines: list[str], index: int, start: re.Match[str]) -> FormSource:
    fence, data, content = start.group(1), [], None
    position = index + 1
    while position < len(lines) and _DATA_LINE.match(lines[position]):
        data.append(lines[position])
        position += 1
    closing = re.compile(rf"^[ ]{{0,3}}{fence}[ ]*$")
    while position < len(lines) and not closing.match(lines[position]):
        if content is None and lines[position].strip():
            content = position
        position += 1
    return FormSource(index + 1, start.group(3) or None, textwrap.dedent("\n".join(data)),
                      content_line=content + 1 if content is not None else None,
                      content_is_data=content is not None and bool(_DATA_LINE.match(lines[content])),
                      closed=position < len(lines))


def _translate(error: dict[str, Any]) -> tuple[str, str]:
    """A pydantic error as a message an author can act on."""
    loc, kind, value = error["loc"], error["type"], error.get("input")
    field = dotted(loc) or BLOCK_NAME
    name = str(loc[-1]) if loc else ""
    if kind == "extra_forbidden":
        return field, author_message(error, list((FormField if "fields" in loc[:-1] else Form).model_fields))
    if kind == "enum":
        return field, f"unknown field kind {describe(value)} (known: {', '.join(k.value for k in FieldKind)})"
    if kind == "string_pattern_mismatch" and name == "recipient":
        return field, f"{describe(value)} is not an email address a mailto: link can carry"
    if kind == "too_short":
        return field, "must list at least one field"
    if kind == "bool_parsing" or kind == "bool_type":
        return field, f"must be true or false, not {describe(value)}"
    if kind == "string_type":
        return field, f"must be text, not {describe(value)}"
    if kind in ("model_type", "dict_type"):
        return field, "must be a mapping of keys (label, kind, required, help)"
    if kind == "list_type":
        return field, "must be a list of fields, each starting with '- label:'"
    return field, author_message(error)


def _yaml_reason(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None)
    mark = getattr(exc, "problem_mark", None)
    if problem and mark is not None:
        return f"{problem} (line {mark.line + 1} of the data)"
    return str(exc).splitlines()[0]
