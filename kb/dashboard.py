"""The review dashboard and the home page as plain data: which article stands where against its review date,
what each book holds, and what changed lately.

No HTML and no MkDocs here: the hooks hand in each article's URL, the templates render the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Iterable

from kb import publication, versions
from kb.corpus import KnowledgeBase
from kb.model import Article, version_key
from kb.review import ReviewState

UrlOf = Callable[[Article], "str | None"]
# Overdue first (the longest overdue on top), then due, then ok; documents not in force last.
_URGENCY = {ReviewState.OVERDUE.value: 0, ReviewState.DUE.value: 1, ReviewState.OK.value: 2, "": 3}


@dataclass(frozen=True)
class ReviewRow:
    """One article on the review dashboard."""

    number: str
    name: str
    path: str
    url: str | None
    version: str
    status: str
    audience: str
    owner: str
    owner_email: str | None
    approval_date: date | None
    review_date: date | None
    days_left: int | None
    state: str  # ok | due | overdue, or "" for a document not in force (withdrawn, superseded)

    @property
    def urgency(self) -> tuple[int, int, str]:
        return self.state_rank, self.days_left if self.days_left is not None else 0, self.number

    @property
    def state_rank(self) -> int:
        return _URGENCY[self.state]

    @property
    def version_sort(self) -> str:
        """The version key as text, for the dashboard's sortable column (1.9 before 1.10)."""
        try:
            major, minor = version_key(self.version)
        except ValueError:
            return self.version
        return f"{major:06d}.{minor:06d}"

    @property
    def when(self) -> str:
        """'12 days overdue', 'due today' or '30 days left': how the home page and `kb reviews` say it."""
        if self.days_left is None:
            return ""
        if self.days_left < 0:
            return f"{-self.days_left} days overdue"
        return "due today" if self.days_left == 0 else f"{self.days_left} days left"

    def as_json(self) -> dict[str, Any]:
        return {"number": self.number, "name": self.name, "version": self.version, "status": self.status,
                "audience": self.audience, "owner": self.owner, "owner_email": self.owner_email,
                "approval_date": iso_date(self.approval_date), "review_date": iso_date(self.review_date),
                "days_left": self.days_left, "state": self.state, "path": self.path, "url": self.url}


def in_force(kb: KnowledgeBase, article: Article) -> Article | None:
    """The approved version that binds now: the article when current; for a draft, the approved version
    the hub serves meanwhile. Withdrawn and superseded documents have none."""
    if article.status not in ("current", "draft"):
        return None
    return versions.latest_approved(kb, article)


@dataclass(frozen=True)
class Served:
    """An article, the version of it a build shows at its URL, and that URL."""

    article: Article
    version: Article
    url: str | None


def served(kb: KnowledgeBase, audience: str, url_of: UrlOf = lambda a: None) -> list[Served]:
    """Every article a build for `audience` holds at its address (archived versions aside), by number."""
    out = [Served(a, v, url_of(a)) for a in kb.articles
           if not a.is_archive and (v := publication.served(kb, a, audience)) is not None]
    return sorted(out, key=lambda s: (s.article.number or "", s.article.path))


def in_force_versions(kb: KnowledgeBase, url_of: UrlOf = lambda a: None) -> list[Served]:
    """The approved version in force of every article that has one, by number (what the calendar holds)."""
    out = [Served(a, v, url_of(a)) for a in kb.articles if not a.is_archive and (v := in_force(kb, a)) is not None]
    return sorted(out, key=lambda s: (s.article.number or "", s.article.path))


def review_rows(kb: KnowledgeBase, url_of: UrlOf = lambda a: None) -> list[ReviewRow]:
    """Every article (archived versions aside), most urgent first. A draft is judged by the review date of
    the approved version in force; withdrawn and superseded documents have no review state."""
    rows = [_row(kb, article, url_of) for article in kb.articles if not article.is_archive]
    return sorted(rows, key=lambda row: row.urgency)


def counts(rows: Iterable[ReviewRow]) -> dict[str, int]:
    rows = list(rows)
    return {"overdue": sum(r.state == "overdue" for r in rows), "due": sum(r.state == "due" for r in rows),
            "ok": sum(r.state == "ok" for r in rows), "total": len(rows)}


def due_rows(rows: Iterable[ReviewRow], due_within: int | None = None) -> list[ReviewRow]:
    """Rows to remind owners of: the policy's due and overdue states, or with `due_within`, every review date
    at most that many days away (overdue ones always)."""
    if due_within is None:
        return [r for r in rows if r.state in ("due", "overdue")]
    return [r for r in rows if r.state and r.days_left is not None and r.days_left <= due_within]


def books(shown: Iterable[Served], url_of_book: Callable[[str], "str | None"],
          title_of_book: Callable[[str], str]) -> list[dict[str, Any]]:
    """Each book (folder) holding any article shown, with its title, article count and link (its index page,
    or its first article when it has none), by title."""
    members: dict[str, list[Served]] = {}
    for item in shown:
        members.setdefault(item.article.book, []).append(item)
    out = [{"slug": slug, "title": title_of_book(slug), "articles": len(items),
            "url": url_of_book(slug) or min(items, key=lambda s: s.article.number or "").url}
           for slug, items in members.items()]
    return sorted(out, key=lambda b: b["title"].lower())


def recent_changes(kb: KnowledgeBase, shown: Iterable[Served], limit: int = 8) -> list[dict[str, Any]]:
    """The newest change-control row of each version shown, newest first."""
    out = []
    for item in shown:
        article, url = item.version, item.url
        rows = [row for row in article.changes if row is not None]
        if not rows:
            continue
        last = rows[-1]
        out.append({"date": last.date, "date_text": kb.settings.policy.format_date(last.date),
                    "number": article.number or "", "name": article.control.name or "", "url": url,
                    "version": last.version, "change": last.change, "status": article.status or ""})
    out.sort(key=lambda c: (c["date"], c["number"]), reverse=True)
    return out[:limit]


# Helper functions


def _row(kb: KnowledgeBase, article: Article, url_of: UrlOf) -> ReviewRow:
    f = article.control
    binding = in_force(kb, article)
    review = kb.review(binding) if binding is not None else None
    owner = kb.authors.get(f.author or "")
    source = binding.control if binding is not None else f
    return ReviewRow(
        number=article.number or "", name=f.name or "", path=article.path, url=url_of(article),
        version=f.version or "", status=article.status or "", audience=article.audience,
        owner=owner.name if owner else (f.author or ""), owner_email=owner.email if owner else None,
        approval_date=source.approval_date, review_date=source.review_date,
        days_left=review.days_left if review else None, state=review.state.value if review else "")


def iso_date(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, date) else None
