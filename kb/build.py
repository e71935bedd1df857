"""The knowledge base of the build in progress, shared by the hook files (loaded once per build)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kb.corpus import KnowledgeBase
from kb.model import Article


@dataclass
class Build:
    kb: KnowledgeBase
    audience: str
    today: date
    served: dict[str, Article] = field(default_factory=dict)  # docs path of a page -> the version it shows
    extras: dict[str, Any] = field(default_factory=dict)  # per-feature state (e.g. pages seen by a hook)

    def version_at(self, src_uri: str) -> Article | None:
        """The article version a page of this build shows (an approved copy at a draft's address), if any."""
        return self.served.get(src_uri)


_current: Build | None = None


def start(build: Build) -> Build:
    global _current
    _current = build
    return build


def current() -> Build:
    if _current is None:
        raise RuntimeError("no KB build in progress: hooks/kb_hooks.py must be listed first under hooks:")
    return _current
