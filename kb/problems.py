"""One problem type: every finding about the knowledge base is a `Problem` value."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any, Iterable

from kb.terminal import printable


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """A finding: which file, where, which field, the offending value, and what to do about it."""

    path: str
    line: int | None
    field: str
    message: str
    severity: Severity = field(default=Severity.ERROR, kw_only=True)
    value: Any = field(default=None, kw_only=True)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        """One line for a terminal or a build log: a control character in a path or a value is escaped."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        prefix = "" if self.is_error else "warning: "
        return printable(f"{where}: {self.field}: {prefix}{self.message}")

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.value
        data["value"] = _jsonable(self.value)
        return data


def _jsonable(value: Any, limit: int = 1000) -> Any:
    """`value` as JSON can hold it; a long text cut to `limit` characters (a 100 KB name is its own finding)."""
    if isinstance(value, str) and len(value) > limit:
        return value[: limit - 1] + "…"
    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return repr(value) if not isinstance(value, str) else value


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.path, p.line or 0, p.field, p.message))


def describe(value: Any, limit: int = 60) -> str:
    """A short, safe rendering of an offending value for a message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
