"""Which pages a build holds, for which audience, and which version each address serves.

The internal KB gets everything. The public hub gets only public documents, and at an article's address
always its latest approved version: while a draft is open, the archived approved copy is served there.
"""

from __future__ import annotations

import os

from kb.corpus import KnowledgeBase
from kb.model import Article, article_path_of_archive
from kb.versions import latest_approved

AUDIENCES = ("internal", "public")


class AudienceError(ValueError):
    pass


def audience() -> str:
    """KB_AUDIENCE=internal|public, default internal."""
    value = os.environ.get("KB_AUDIENCE", "").strip() or "internal"
    if value not in AUDIENCES:
        raise AudienceError(f"KB_AUDIENCE={value!r}: use internal or public")
    return value


def served(kb: KnowledgeBase, article: Article, audience: str) -> Article | None:
    """The version rendered at `article`'s address for `audience`, or None when the page is left out."""
    if audience == "internal":
        return article
    owner = kb.by_path(article_path_of_archive(article.path)) if article.is_archive else article
    if owner is None or owner.audience != "public" or owner.status not in ("current", "draft"):
        return None
    if latest_approved(kb, owner) is None:
        return None
    if article.is_archive:
        return article if article.status in ("current", "superseded") else None
    return latest_approved(kb, article)


def is_published(kb: KnowledgeBase, article: Article, audience: str) -> bool:
    return served(kb, article, audience) is not None


def url_of(path: str, directory_urls: bool = True) -> str:
    """The site-root URL MkDocs gives a docs path: a/b.md -> a/b/ (a/b.html without directory URLs),
    a/index.md -> a/."""
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index") + ("" if directory_urls else "index.html")
    return stem + ("/" if directory_urls else ".html")
