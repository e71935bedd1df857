"""The document-control rules of the contract (section 2), as functions that return `Problem`s.

Type and shape come from the pydantic models in `kb.model`; everything that relates one field to
another, to the policy, to today or to the rest of the KB is here.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Iterable, Iterator

from pydantic import ValidationError

from kb import dates
from kb.frontmatter import FrontMatter, InvalidDate
from kb.model import TEXT_CONTROL, Article, ArticleMeta, Author, ChangeRow, DocumentControl, version_key
from kb.policy import Policy
from kb.problems import Problem, Severity, describe
from kb.review import ReviewState, review_status
from kb.validation import author_message, meant_key

REQUIRED_WHEN_CURRENT = ("approval", "approval_date", "review_date")
DC_KEYS = tuple(DocumentControl.model_fields)
ROW_KEYS = tuple(ChangeRow.model_fields)
TOP_KEYS = tuple(ArticleMeta.model_fields)


def check_article(article: Article, policy: Policy, today: date, authors: dict[str, Author]) -> list[Problem]:
    """Type-check the front matter into records, then apply every rule that concerns one article."""
    problems = list(_typecheck(article))
    problems += _rules(article, policy, today, authors)
    return problems


# Helper functions


def _problem(article: Article, loc: tuple[Any, ...], message: str, value: Any = None,
             severity: Severity = Severity.ERROR) -> Problem:
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


def _typecheck(article: Article) -> Iterator[Problem]:
    meta = article.meta
    try:
        parsed = ArticleMeta.model_validate(meta)
    except ValidationError as exc:
        failed: set[tuple[Any, ...]] = set()
        errors = exc.errors()
        # a misspelt key already says "did you mean 'abstract'?": not "abstract is required" too
        meant = {tuple(e["loc"][:-1]) + (meant_key(str(e["loc"][-1]), _known_keys(tuple(e["loc"]))),)
                 for e in errors if e["type"] == "extra_forbidden"}
        for error in errors:
            loc = tuple(error["loc"])
            failed.add(loc[:2])
            if error["type"] == "missing" and loc in meant:
                continue
            yield _translate(article, error)
        _keep_valid(article, failed)
        return
    article.control = parsed.document_control
    article.changes = list(parsed.change_control)
    article.tags = list(parsed.tags)
    article.fields = parsed.document_control.model_dump()


def _keep_valid(article: Article, failed: set[tuple[Any, ...]]) -> None:
    """After type errors, keep what did validate, so the cross-field rules still report everything else."""
    dc = article.meta.get("document_control")
    if isinstance(dc, dict):
        defaults = {name: f.default for name, f in DocumentControl.model_fields.items() if not f.is_required()}
        article.fields = {**defaults, **{k: v for k, v in dc.items()
                                         if k in DC_KEYS and ("document_control", k) not in failed}}
    rows = article.meta.get("change_control")
    if isinstance(rows, list) and ("change_control",) not in failed:
        for index, row in enumerate(rows):
            if ("change_control", index) in failed:
                article.changes.append(None)  # type: ignore[arg-type]  # keeps row numbers right
                continue
            article.changes.append(ChangeRow.model_validate(row))
    tags = article.meta.get("tags")
    if isinstance(tags, list) and all(isinstance(t, str) for t in tags):
        article.tags = tags


def _translate(article: Article, error: dict[str, Any]) -> Problem:
    """A pydantic error as a message an author can act on."""
    loc, kind, value = tuple(error["loc"]), error["type"], error.get("input")
    name = loc[-1] if loc else ""
    if kind == "extra_forbidden" and name == "title" and len(loc) == 1:
        return _problem(article, loc, "unknown key: the title is made from document_control number and name", name)
    if kind == "extra_forbidden":
        return _problem(article, loc, author_message(error, _known_keys(loc)), name)
    if kind == "missing":
        return _problem(article, loc, author_message(error))
    if kind == "string_type":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return _problem(article, loc, f"is the number {value!r} in YAML, not text: put it in quotes, as "
                            f"{name}: \"{value}\" (unquoted, 1.10 reads as 1.1)", value)
        return _problem(article, loc, f"must be text, not {_kind(value)}", value)
    if kind in ("date_type", "date_parsing", "date_from_datetime_inexact", "date_from_datetime_parsing"):
        if isinstance(value, InvalidDate):
            return _problem(article, loc, f"{str(value)!r} is not a real date", str(value))
        house = dates.parse_house_date(value) if isinstance(value, str) else None
        if house is not None:
            return _problem(article, loc, f"{value!r} is in the display format: write the ISO date "
                            f"{house.isoformat()} in front matter", value)
        return _problem(article, loc, f"must be an ISO date (YYYY-MM-DD), not {describe(value)}", value)
    if kind == "literal_error":
        allowed = error.get("ctx", {}).get("expected", "")
        return _problem(article, loc, f"must be one of {allowed}, not {describe(value)}", value)
    if kind == "string_pattern_mismatch" and loc[:1] == ("tags",):
        return _problem(article, loc, f"{describe(value)} is not a tag: use words of letters, digits, spaces, "
                        "- _ . + (at most 40 characters)", value)
    if kind == "string_pattern_mismatch":
        return _problem(article, loc, f"{describe(value)} is not MAJOR.MINOR: write it like \"1.0\"", value)
    if kind == "string_too_short":
        return _problem(article, loc, author_message(error), value)
    if kind == "string_too_long":
        limit = error.get("ctx", {}).get("max_length")
        return _problem(article, loc, f"is {len(value):,} characters long: the limit is {limit:,}; shorten it "
                        "(put detail in the body)", describe(value))
    if kind == "control_character":
        return _problem(article, loc, f"{error['msg']} ({describe(value)}): remove it; it would reach the page, "
                        "the PDF and the calendar", describe(value))
    if kind in ("greater_than_equal", "less_than_equal"):
        shown = value.isoformat() if isinstance(value, date) else describe(value)
        return _problem(article, loc, f"{shown} is outside the dates the KB accepts "
                        f"({dates.EARLIEST_DATE.isoformat()} to {dates.LATEST_DATE.isoformat()}): check the year", value)
    if kind == "too_short":
        return _problem(article, loc, "must list at least one change (the first version)", value)
    if kind in ("model_type", "dict_type"):
        return _problem(article, loc, f"must be a mapping of keys to values, not {_kind(value)}", value)
    if kind == "list_type":
        return _problem(article, loc, f"must be a list, not {_kind(value)}", value)
    return _problem(article, loc, f"{error['msg']} (got {describe(value)})", value)


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


def _rules(article: Article, policy: Policy, today: date, authors: dict[str, Author]) -> list[Problem]:
    f = article.fields
    out: list[Problem] = []
    dc = ("document_control",)

    def add(key: str | tuple[Any, ...], message: str, value: Any = None,
            severity: Severity = Severity.ERROR) -> None:
        loc = dc + (key,) if isinstance(key, str) else key
        out.append(_problem(article, loc, message, value, severity))

    number = f.get("number")
    if isinstance(number, str) and not policy.number_re.search(number):
        add("number", f"{number!r} does not match the number pattern {policy.number_pattern}", number)
    status = f.get("status")
    if status == "current":
        for key in REQUIRED_WHEN_CURRENT:
            if key not in (article.meta.get("document_control") or {}):
                add(key, "is required when status is current")
    author = f.get("author")
    if isinstance(author, str) and author not in authors:
        add("author", _unknown_author(author, authors), author)

    approved, review = f.get("approval_date"), f.get("review_date")
    if isinstance(approved, date) and approved > today:
        add("approval_date", f"{approved.isoformat()} is after today ({today.isoformat()})", approved)
    if isinstance(approved, date) and isinstance(review, date):
        if approved > review:
            add("review_date", f"{review.isoformat()} is before the approval date {approved.isoformat()}", review)
        latest = policy.latest_review_date(approved)
        if review > latest:
            add("review_date", f"{review.isoformat()} is more than the review interval ({policy.interval_text}) "
                f"after approval: the latest allowed is {latest.isoformat()}", review)

    rows = article.changes
    previous: ChangeRow | None = None
    for index, row in enumerate(rows):
        if row is None:
            continue
        loc = ("change_control", index)
        if row.date > today:
            add(loc + ("date",), f"{row.date.isoformat()} is after today ({today.isoformat()})", row.date)
        if row.author not in authors:
            add(loc + ("author",), _unknown_author(row.author, authors), row.author)
        if previous is not None:
            if row.date < previous.date:
                add(loc + ("date",), f"{row.date.isoformat()} goes back before the row above "
                    f"({previous.date.isoformat()}): dates never go backwards", row.date)
            if version_key(row.version) <= version_key(previous.version):
                add(loc + ("version",), f"{row.version} does not come after {previous.version}: "
                    "versions strictly increase", row.version)
        previous = row
    last = rows[-1] if rows and len(rows) == len(article.meta.get("change_control") or []) else None
    version = f.get("version")
    if last is not None and isinstance(version, str) and last.version != version:
        add(("change_control", len(rows) - 1, "version"),
            f"the last change is version {last.version}, but document_control.version is {version}: "
            "add a change row for the new version", last.version)
    if last is not None and isinstance(approved, date) and approved < last.date and status != "draft":
        add("approval_date", f"{approved.isoformat()} is before the last change ({last.date.isoformat()}): "
            "the approved version must include every change", approved)

    if status == "current" and isinstance(review, date):
        state = review_status(review, today, policy)
        if state.state is ReviewState.OVERDUE:
            add("review_date", f"review overdue: the review date {review.isoformat()} passed "
                f"{-state.days_left} days ago", review, Severity.WARNING)
    return out


def _unknown_author(key: str, authors: dict[str, Author]) -> str:
    hint = meant_key(key, list(authors))
    return f"{key!r} is not in docs/authors.yml" + (f"; did you mean {hint!r}?" if hint else "")


def check_page_strings(path: str, fm: FrontMatter) -> list[Problem]:
    """A plain page's front matter (no document_control, so no model checks it) holds no control character:
    its title reaches the page, the navigation and search as it is."""
    out: list[Problem] = []
    stack: list[tuple[tuple[Any, ...], Any]] = [((), fm.data)]
    while stack:  # front matter is at most frontmatter.MAX_DEPTH deep
        loc, value = stack.pop()
        if isinstance(value, dict):
            stack += [(loc + (key,), item) for key, item in value.items()]
        elif isinstance(value, list):
            stack += [(loc + (index,), item) for index, item in enumerate(value)]
        elif isinstance(value, str) and (found := TEXT_CONTROL.search(value)):
            out.append(Problem(path, fm.line_of(*loc), field_name(loc), "contains the control character "
                               f"U+{ord(found.group()):04X} ({describe(value)}): remove it", value=describe(value)))
    return sorted(out)


def check_numbers(articles: list[Article]) -> list[Problem]:
    """Document numbers are unique in the KB (archived versions share their article's number)."""
    seen: dict[str, Article] = {}
    out = []
    for article in articles:
        number = article.number
        if article.is_archive or number is None:
            continue
        if number in seen:
            first = seen[number]
            out.append(_problem(article, ("document_control", "number"),
                                f"{number!r} is already used by {first.path}", number))
        else:
            seen[number] = article
    return out
