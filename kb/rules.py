"""The document-control rules of the contract (section 2), as functions that return `Problem`s.

Type and shape come from the pydantic models in `kb.model`, checked once when kb.records reads an article;
the rules only read its typed records. Everything that relates one field to another, to the policy, to today
or to the rest of the KB is here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from kb.frontmatter import FrontMatter
from kb.model import TEXT_CONTROL, Article, Author, ChangeRow, version_key
from kb.policy import Policy
from kb.problems import Problem, Severity, describe
from kb.records import field_name, problem_at
from kb.review import ReviewState, review_status
from kb.validation import meant_key

REQUIRED_WHEN_CURRENT = ("approval", "approval_date", "review_date")


def check_article(article: Article, policy: Policy, today: date, authors: dict[str, Author]) -> list[Problem]:
    """Every rule that concerns one article, read from its typed records (kb.records reported their types)."""
    return _rules(article, policy, today, authors)


# Helper functions


def _rules(article: Article, policy: Policy, today: date, authors: dict[str, Author]) -> list[Problem]:
    f = article.control
    out: list[Problem] = []
    dc = ("document_control",)

    def add(key: str | tuple[Any, ...], message: str, value: Any = None,
            severity: Severity = Severity.ERROR) -> None:
        loc = dc + (key,) if isinstance(key, str) else key
        out.append(problem_at(article, loc, message, value, severity))

    number = f.number
    if isinstance(number, str) and not policy.number_re.search(number):
        add("number", f"{number!r} does not match the number pattern {policy.number_pattern}", number)
    status = f.status
    if status == "current":
        for key in REQUIRED_WHEN_CURRENT:
            if key not in (article.meta.get("document_control") or {}):
                add(key, "is required when status is current")
    author = f.author
    if isinstance(author, str) and author not in authors:
        add("author", _unknown_author(author, authors), author)

    approved, review = f.approval_date, f.review_date
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
    version = f.version
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
            out.append(problem_at(article, ("document_control", "number"),
                                f"{number!r} is already used by {first.path}", number))
        else:
            seen[number] = article
    return out
