"""What the templates show of an article, as plain data: formatted dates, author details, notices.

No HTML here: the Jinja partials under overrides/ render these values with autoescape.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kb import versions
from kb.corpus import KnowledgeBase
from kb.dashboard import in_force
from kb.model import Article, in_version_order
from kb import publication, site_pages
from kb.publication import served
from kb.review import ReviewState

INTERNAL, PUBLIC = "internal", "public"


@dataclass(frozen=True)
class Notice:
    kind: str  # draft | withdrawn | superseded | due | overdue | internal
    title: str
    text: str
    link: str | None = None  # site-root URL of a page the notice points to
    link_text: str | None = None


def author_view(kb: KnowledgeBase, key: str | None) -> dict[str, Any]:
    author = kb.authors.get(key or "")
    if author is None:
        return {"key": key, "name": key or "", "team": None, "email": None}
    return {"key": key, "name": author.name, "team": author.team, "email": author.email}


def article_view(kb: KnowledgeBase, article: Article, audience: str, address: str | None = None) -> dict[str, Any]:
    """Everything the Document Control and Change Control tables and the notices need. `address` is the docs
    path of the page showing it, when that is not the version's own (an approved copy at its article's)."""
    f = article.control
    fmt = kb.settings.policy.format_date
    status = f.status or ""
    return {
        "number": f.number or "",
        "name": f.name or "",
        "title": article.title,
        "version": f.version or "",
        "version_label": f"v{f.version or ''} {status.capitalize()}".strip(),
        "status": status,
        "audience": article.audience,
        "author": author_view(kb, f.author),
        "approval": f.approval or "",
        "approval_date": fmt(f.approval_date),
        "review_date": fmt(f.review_date),
        "abstract": f.abstract or "",
        "scope": f.scope or "",
        "inputs": f.inputs,
        "outputs": f.outputs,
        "tags": article.tags,
        "changes": [
            {"date": fmt(row.date), "iso_date": row.date.isoformat(), "author": author_view(kb, row.author)["name"],
             "version": row.version, "change": row.change}
            for row in article.changes if row is not None
        ],
        "notices": notices(kb, article, audience),
        "is_archive": article.is_archive,
        "versions": versions_view(kb, article, audience),
        "comparison": comparison_view(kb, article, audience),
    }


def owner_of(kb: KnowledgeBase, article: Article) -> Article:
    """The article an archived version belongs to (the article itself when not archived)."""
    return kb.article_of(article) or article


def versions_view(kb: KnowledgeBase, article: Article, audience: str) -> list[dict[str, Any]]:
    """Every version with a page in this build, newest first: version, date, change text, status, URL."""
    owner = owner_of(kb, article)
    pages = [a for a in [*kb.archives_of(owner), owner] if served(kb, a, audience) is a]
    if audience != INTERNAL and owner.status == "draft":
        pages = [a for a in pages if a is not owner]
    rows_by_version = {row.version: row for row in owner.changes if row is not None}
    out = []
    for page in in_version_order(pages, newest_first=True):
        version = page.control.version or ""
        row = rows_by_version.get(version)
        on_date = page.control.approval_date or (row.date if row else None)
        out.append({"version": version, "status": page.status or "", "date": kb.settings.policy.format_date(on_date),
                    "change": row.change if row else "", "url": url_of(kb, page.path), "is_this": page is article})
    return out


def comparison_view(kb: KnowledgeBase, article: Article, audience: str) -> dict[str, Any] | None:
    """What changed in this version against the version before it, when that one has a page here."""
    previous = versions.previous_version(kb, article)
    if previous is None or served(kb, previous, audience) is not previous:
        return None
    # Readers of the hub see what changed on the page, never the blocks' authoring syntax
    result = versions.compare(previous, article, kb.settings.policy.format_date, summarise_blocks=audience != INTERNAL)
    return {"older": result.older, "newer": result.newer, "fields": result.fields, "lines": result.lines,
            "body_changed": result.body_changed, "older_url": url_of(kb, previous.path)}


def notices(kb: KnowledgeBase, article: Article, audience: str) -> list[Notice]:
    """Banners above the article: superseded everywhere; status, review state and Internal in internal builds."""
    out: list[Notice] = []
    if article.is_archive and article.status == "superseded":
        out.append(_superseded(kb, article, audience))
    if audience != INTERNAL:
        return out
    status = article.status
    owner = owner_of(kb, article)
    if article.is_archive and status == "current":
        out.append(Notice("approved", "Approved version", "This is the approved version. A draft of the next "
                          "version is being worked on.", url_of(kb, owner.path),
                          f"Read the draft ({owner.control.version})"))
    if status == "draft":
        approved = versions.latest_approved(kb, article)
        out.append(Notice("draft", "Draft", "This version is a draft and has not been approved.",
                          url_of(kb, approved.path) if approved else None,
                          f"Read the approved version ({approved.control.version})" if approved else None))
    elif status == "withdrawn":
        out.append(Notice("withdrawn", "Withdrawn", "This document has been withdrawn and must not be used."))
    out += _review(kb, article)
    if article.audience == INTERNAL:
        out.append(Notice("internal", "Internal", "For staff only: this article is not published on the support hub."))
    elif (copy := site_pages.public_copy(kb, article)) is not None:
        url, shown = copy
        out.append(Notice("public", "On the support hub", f"The support hub shows version "
                          f"{shown.control.version} of this document:", url, url))
    return out


def _review(kb: KnowledgeBase, article: Article) -> list[Notice]:
    """Due or overdue for review: an approved version by its own review date; a draft by the review date of
    the version in force, which is what an author working on the draft must not let lapse."""
    binding = in_force(kb, article)
    review = kb.review(binding) if binding is not None else None
    if review is None or review.state is ReviewState.OK:
        return []
    fmt, version = kb.settings.policy.format_date, binding.control.version
    clause = "" if binding is article else f" of version {version}, in force while this draft is open,"
    if review.state is ReviewState.OVERDUE:
        return [Notice("overdue", "Review overdue", f"The review date {fmt(review.review_date)}{clause} passed "
                       f"{-review.days_left} days ago. The owner must review this document.")]
    subject = "This document" if binding is article else f"Version {version}, in force while this draft is open,"
    return [Notice("due", "Review due", f"{subject} is due for review by {fmt(review.review_date)} "
                   f"({review.days_left} days left).")]


def _superseded(kb: KnowledgeBase, article: Article, audience: str) -> Notice:
    """Points at the current approved version: the public hub serves it at the article's own address."""
    owner = owner_of(kb, article)
    current = versions.latest_approved(kb, owner) or owner
    link = url_of(kb, owner.path) if audience != INTERNAL else url_of(kb, current.path)
    return Notice("superseded", "Superseded", f"Version {article.control.version} has been superseded "
                  "and must not be used.", link, f"Read the current version ({current.control.version})")


def url_of(kb: KnowledgeBase, path: str) -> str:
    return publication.url_of(path, kb.settings.directory_urls)
