"""iCloud Mail rejection messages: one data file (mkdocs.yml `extra.kb.rejection_codes`) read into typed records.

The article's table of codes and the form's hints both come from these records, so they cannot disagree.
"""

from __future__ import annotations

import re
from enum import Enum
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from kb.validation import author_message

NOT_A_BLOCK = "Not a block: no ticket needed"
A_BLOCK = "A block: open a deliverability ticket"

# Regular-expression syntax that Python reads and JavaScript does not (or reads differently).
_NOT_PORTABLE = re.compile(r"\(\?P?<\w|\(\?[aiLmsux]|\\[AZz]|\(\?#")


class RejectionsError(ValueError):
    """The rejection-codes file cannot be read or one of its entries is wrong."""


class RejectionKind(str, Enum):
    BLOCK = "block"  # the mail is refused: a reason to open a ticket
    TEMPORARY = "temporary"  # a 4xx deferral the sending server retries
    MAILBOX = "mailbox"  # about one recipient's mailbox (5.1.1, 5.2.2)


class Rejection(BaseModel):
    """One known rejection message: how to recognise it, what it is reported to mean, what to do."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(min_length=1, description="How the article names it, e.g. \"[CS01]\"")
    pattern: str = Field(min_length=1, description="Case-insensitive regex recognising it (Python and JS alike)")
    sample: str = Field(min_length=1, description="A real message of this kind; the pattern must match it")
    kind: RejectionKind
    meaning: str = Field(min_length=1, description="What it is reported to mean, worded as reported")
    next_step: str = Field(min_length=1)
    sources: list[str] = Field(min_length=1, description="Where the message and its meaning were reported")

    @field_validator("pattern")
    @classmethod
    def _portable_regex(cls, pattern: str) -> str:
        if _NOT_PORTABLE.search(pattern):
            raise ValueError("uses regex syntax JavaScript does not read (named groups, inline flags, \\A, \\Z)")
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"is not a regular expression: {exc}") from None
        return pattern

    @model_validator(mode="after")
    def _pattern_matches_sample(self) -> "Rejection":
        if not re.search(self.pattern, self.sample, re.IGNORECASE):
            raise ValueError(f"pattern {self.pattern!r} does not match its own sample")
        return self

    @property
    def needs_ticket(self) -> bool:
        return self.kind is RejectionKind.BLOCK

    @property
    def verdict(self) -> str:
        return A_BLOCK if self.needs_ticket else NOT_A_BLOCK

    def as_hint(self) -> dict[str, Any]:
        """What the form's script needs to recognise and explain this message (embedded as JSON)."""
        return {"code": self.code, "pattern": self.pattern, "kind": self.kind.value, "meaning": self.meaning,
                "next_step": self.next_step, "needs_ticket": self.needs_ticket, "verdict": self.verdict}


def load_rejections(path: str | Path) -> list[Rejection]:
    """Every entry of the rejection-codes file, in file order; `RejectionsError` names the file and entry."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RejectionsError(f"{path}: cannot read the rejection codes: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise RejectionsError(f"{path}: does not parse as YAML: {exc}") from None
    entries = data.get("rejections") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise RejectionsError(f"{path}: must hold a non-empty list under 'rejections:'")
    found, problems = [], []
    for index, entry in enumerate(entries):
        try:
            found.append(Rejection.model_validate(entry))
        except ValidationError as exc:
            name = entry.get("code") if isinstance(entry, dict) else None
            where = f"rejections[{index}]" + (f" ({name})" if name else "")
            problems += [f"{path}: {where}: {_describe(error)}" for error in exc.errors()]
    codes = [r.code for r in found]
    problems += [f"{path}: code {code!r} is listed twice" for code in sorted({c for c in codes if codes.count(c) > 1})]
    if problems:
        raise RejectionsError("\n".join(problems))
    return found


# Helper functions


def _describe(error: dict[str, Any]) -> str:
    field = ".".join(str(part) for part in error["loc"])
    if error["type"] == "enum":
        message = f"{error.get('input')!r} is not one of {', '.join(k.value for k in RejectionKind)}"
    else:
        message = author_message(error, list(Rejection.model_fields))
    return f"{field}: {message}" if field else message
