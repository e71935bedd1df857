"""Reading an article's front matter into its typed records: the Document Control (`model.Control`), the
change rows and the tags, with a `Problem` for every value that fails its type, worded for the author.

Parsing produces the records once, possibly partial: a value that fails its check is left out (None), so
the cross-field rules (kb.rules) still run on everything else and the author sees every problem at once.
Nothing after this reads the raw front matter's document_control.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any, Iterable

from pydantic import ValidationError

from kb import dates
from kb.frontmatter import FrontMatter, InvalidDate
from kb.model import Article, ArticleMeta, ChangeRow, Control, DocumentControl
from kb.problems import Problem, Severity, describe
from kb.validation import author_message, meant_key

DC_KEYS = tuple(DocumentControl.model_fields)
ROW_KEYS = tuple(ChangeRow.model_fields)
TOP_KEYS = tuple(ArticleMeta.model_fields)


def read(path: str, fm: FrontMatter) -> tuple[Article, list[Problem]]:
    """The article `fm` holds, with its typed records, and a problem for each value that failed its type."""
    article = Article(path, fm.data or {}, fm.body, fm.body_line, fm.lines)
    try:
        parsed = ArticleMeta.model_validate(article.meta)
    except ValidationError as exc:
        failed: set[tuple[Any, ...]] = set()
        errors = exc.errors()
        # a misspelt key already says "did you mean 'abstract'?": not "abstract is required" too
        meant = {tuple(e["loc"][:-1]) + (meant_key(str(e["loc"][-1]), _known_keys(tuple(e["loc"]))),)
                 for e in errors if e["type"] == "extra_forbidden"}
        problems = []
        for error in errors:
            loc = tuple(error["loc"])
            failed.add(loc[:2])
            if not (error["type"] == "missing" and loc in meant):
                problems.append(_translate(article, error))
        return _keep_valid(article, failed), problems
    return replace(article, control=Control(**parsed.document_control.model_dump()),
                   changes=list(parsed.change_control), tags=list(parsed.tags)), []


def problem_at(article: Article, loc: tuple[Any, ...], message: str, value: Any = None,
               severity: Severity = Severity.ERROR) -> Problem:
    """A problem at the front matter key `loc` of `article`, on that key's line."""
    return Problem(article.path, article.line_of(*loc), field_name(loc), message, severity=severity, value=value)


def field_name(loc: Iterable[Any]) -> str:
    """('change_control', 1, 'date') -> 'change_control[2].date': rows count from 1, as an author reads them."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        else:
            text += ("." if text else "") + str(part)
    return text or "front matter"


# Helper functions


def _keep_valid(article: Article, failed: set[tuple[Any, ...]]) -> Article:
    """After type errors, keep what did validate, so the cross-field rules still report everything else."""
    control, changes, tags = Control(), [], []
    dc = article.meta.get("document_control")
    if isinstance(dc, dict):
        control = Control(**{k: v for k, v in dc.items() if k in DC_KEYS and ("document_control", k) not in failed})
    rows = article.meta.get("change_control")
    if isinstance(rows, list) and ("change_control",) not in failed:
        # a row that failed stays as None, so the rows after it keep their numbers
        changes = [None if ("change_control", index) in failed else ChangeRow.model_validate(row)
                   for index, row in enumerate(rows)]
    found = article.meta.get("tags")
    if isinstance(found, list) and all(isinstance(t, str) for t in found):
        tags = found
    return replace(article, control=control, changes=changes, tags=tags)


def _translate(article: Article, error: dict[str, Any]) -> Problem:
    """A pydantic error as a message an author can act on."""
    loc, kind, value = tuple(error["loc"]), error["type"], error.get("input")
    name = loc[-1] if loc else ""
    if kind == "extra_forbidden" and name == "title" and len(loc) == 1:
        return problem_at(article, loc, "unknown key: the title is made from document_control number and name", name)
    if kind == "extra_forbidden":
        return problem_at(article, loc, author_message(error, _known_keys(loc)), name)
    if kind == "missing":
        return problem_at(article, loc, author_message(error))
    if kind == "string_type":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return problem_at(article, loc, f"is the number {value!r} in YAML, not text: put it in quotes, as "
                            f"{name}: \"{value}\" (unquoted, 1.10 reads as 1.1)", value)
        return problem_at(article, loc, f"must be text, not {_kind(value)}", value)
    if kind in ("date_type", "date_parsing", "date_from_datetime_inexact", "date_from_datetime_parsing"):
        if isinstance(value, InvalidDate):
            return problem_at(article, loc, f"{str(value)!r} is not a real date", str(value))
        house = dates.parse_house_date(value) if isinstance(value, str) else None
        if house is not None:
            return problem_at(article, loc, f"{value!r} is in the display format: write the ISO date "
                            f"{house.isoformat()} in front matter", value)
        return problem_at(article, loc, f"must be an ISO date (YYYY-MM-DD), not {describe(value)}", value)
    if kind == "literal_error":
        allowed = error.get("ctx", {}).get("expected", "")
        return problem_at(article, loc, f"must be one of {allowed}, not {describe(value)}", value)
    if kind == "string_pattern_mismatch" and loc[:1] == ("tags",):
        return problem_at(article, loc, f"{describe(value)} is not a tag: use words of letters, digits, spaces, "
                        "- _ . + (at most 40 characters)", value)
    if kind == "string_pattern_mismatch":
        return problem_at(article, loc, f"{describe(value)} is not MAJOR.MINOR: write it like \"1.0\"", value)
    if kind == "string_too_short":
        return problem_at(article, loc, author_message(error), value)
    if kind == "string_too_long":
        limit = error.get("ctx", {}).get("max_length")
        return problem_at(article, loc, f"is {len(value):,} characters long: the limit is {limit:,}; shorten it "
                        "(put detail in the body)", describe(value))
    if kind == "control_character":
        return problem_at(article, loc, f"{error['msg']} ({describe(value)}): remove it; it would reach the page, "
                        "the PDF and the calendar", describe(value))
    if kind in ("greater_than_equal", "less_than_equal"):
        shown = value.isoformat() if isinstance(value, date) else describe(value)
        return problem_at(article, loc, f"{shown} is outside the dates the KB accepts "
                        f"({dates.EARLIEST_DATE.isoformat()} to {dates.LATEST_DATE.isoformat()}): check the year", value)
    if kind == "too_short":
        return problem_at(article, loc, "must list at least one change (the first version)", value)
    if kind in ("model_type", "dict_type"):
        return problem_at(article, loc, f"must be a mapping of keys to values, not {_kind(value)}", value)
    if kind == "list_type":
        return problem_at(article, loc, f"must be a list, not {_kind(value)}", value)
    return problem_at(article, loc, f"{error['msg']} (got {describe(value)})", value)


def _known_keys(loc: tuple[Any, ...]) -> tuple[str, ...]:
    """The keys allowed where an unknown key `loc` stands."""
    if len(loc) == 2 and loc[0] == "document_control":
        return DC_KEYS
    if len(loc) == 3 and loc[0] == "change_control":
        return ROW_KEYS
    return TOP_KEYS


def _kind(value: Any) -> str:
    if value is None:
        return "empty"
    return {"bool": "true/false", "dict": "a mapping", "list": "a list", "int": "a number",
            "float": "a number", "date": "a date", "datetime": "a date and time"}.get(type(value).__name__,
                                                                                   describe(value))


