"""Which pages a build holds, for which audience: the internal KB gets everything, the public hub only
public, current documents."""

from __future__ import annotations

import os

from kb.corpus import KnowledgeBase
from kb.model import Article

AUDIENCES = ("internal", "public")


class AudienceError(ValueError):
    pass


def audience() -> str:
    """KB_AUDIENCE=internal|public, default internal."""
    value = os.environ.get("KB_AUDIENCE", "").strip() or "internal"
    if value not in AUDIENCES:
        raise AudienceError(f"KB_AUDIENCE={value!r}: use internal or public")
    return value


def is_published(kb: KnowledgeBase, article: Article, audience: str) -> bool:
    """Whether `article`'s page belongs in a build for `audience`."""
    if audience == "internal":
        return True
    return article.audience == "public" and article.status == "current" and not article.is_archive
