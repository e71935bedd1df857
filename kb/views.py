"""What the templates show of an article, as plain data: formatted dates, author details, notices.

No HTML here: the Jinja partials under overrides/ render these values with autoescape.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kb.corpus import KnowledgeBase
from kb.model import Article
from kb.review import ReviewState

INTERNAL, PUBLIC = "internal", "public"


@dataclass(frozen=True)
class Notice:
    kind: str  # draft | withdrawn | superseded | due | overdue | internal
    title: str
    text: str
    link: str | None = None  # docs path of a page the notice points to
    link_text: str | None = None


def author_view(kb: KnowledgeBase, key: str | None) -> dict[str, Any]:
    author = kb.authors.get(key or "")
    if author is None:
        return {"key": key, "name": key or "", "team": None, "email": None}
    return {"key": key, "name": author.name, "team": author.team, "email": author.email}


def article_view(kb: KnowledgeBase, article: Article, audience: str) -> dict[str, Any]:
    """Everything the Document Control and Change Control tables and the notices need."""
    f = article.fields
    fmt = kb.settings.policy.format_date
    status = f.get("status") or ""
    return {
        "number": f.get("number", ""),
        "name": f.get("name", ""),
        "title": article.title,
        "version": f.get("version", ""),
        "version_label": f"v{f.get('version', '')} {status.capitalize()}".strip(),
        "status": status,
        "audience": article.audience,
        "author": author_view(kb, f.get("author")),
        "approval": f.get("approval") or "",
        "approval_date": fmt(f.get("approval_date")),
        "review_date": fmt(f.get("review_date")),
        "abstract": f.get("abstract", ""),
        "scope": f.get("scope", ""),
        "inputs": f.get("inputs", ""),
        "outputs": f.get("outputs", ""),
        "tags": article.tags,
        "changes": [
            {"date": fmt(row.date), "iso_date": row.date.isoformat(), "author": author_view(kb, row.author)["name"],
             "version": row.version, "change": row.change}
            for row in article.changes if row is not None
        ],
        "notices": notices(kb, article, audience),
    }


def notices(kb: KnowledgeBase, article: Article, audience: str) -> list[Notice]:
    """Banners above the article: review state and status in internal builds, and the Internal mark."""
    out: list[Notice] = []
    if audience != INTERNAL:
        return out
    status = article.status
    if status == "draft":
        out.append(Notice("draft", "Draft", "This version is a draft and has not been approved."))
    elif status == "withdrawn":
        out.append(Notice("withdrawn", "Withdrawn", "This document has been withdrawn and must not be used."))
    review = kb.review(article) if status == "current" else None
    if review is not None and review.state is ReviewState.OVERDUE:
        out.append(Notice("overdue", "Review overdue",
                          f"The review date {kb.settings.policy.format_date(review.review_date)} passed "
                          f"{-review.days_left} days ago. The owner must review this document."))
    elif review is not None and review.state is ReviewState.DUE:
        out.append(Notice("due", "Review due",
                          f"This document is due for review by {kb.settings.policy.format_date(review.review_date)} "
                          f"({review.days_left} days left)."))
    if article.audience == INTERNAL:
        out.append(Notice("internal", "Internal", "For staff only: this article is not published on the support hub."))
    return out
