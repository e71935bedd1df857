"""Pydantic's validation errors as messages an author can act on: one wording for every declaration the
KB validates (front matter, form blocks, rejection codes, authors), so a missing key or a misspelt one
reads the same wherever it is written.

Each caller first words the kinds only it knows (a version that is not MAJOR.MINOR, a field kind that is
not one of the form's), then hands the rest here.
"""

from __future__ import annotations

import difflib
from typing import Any, Iterable, Sequence


def author_message(error: dict[str, Any], known_keys: Sequence[str] = ()) -> str:
    """The message for one pydantic error (an item of `ValidationError.errors()`), without its field."""
    kind, loc = error["type"], tuple(error["loc"])
    if kind == "extra_forbidden":
        return unknown_key(str(loc[-1]) if loc else "", known_keys)
    if kind == "missing":
        return "is required"
    if kind == "string_too_short":
        return "must not be empty"
    return str(error["msg"]).removeprefix("Value error, ")


def unknown_key(name: str, known_keys: Sequence[str]) -> str:
    """'unknown key 'recipent'; did you mean 'recipient'?', or the known keys when none is close."""
    hint = meant_key(name, known_keys)
    return f"unknown key {name!r}" + (f"; did you mean {hint!r}?" if hint else f" (known: {', '.join(known_keys)})")


def meant_key(name: str, known_keys: Sequence[str]) -> str | None:
    """The known key a misspelt one most likely means."""
    found = difflib.get_close_matches(name, list(known_keys), n=1, cutoff=0.6)
    return found[0] if found else None


def dotted(loc: Iterable[Any]) -> str:
    """('fields', 0, 'kind') -> 'fields[0].kind'."""
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc).lstrip(".")
