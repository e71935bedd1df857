"""The knowledge base of the build in progress, shared by the hook files (loaded once per build)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kb.corpus import KnowledgeBase


@dataclass
class Build:
    kb: KnowledgeBase
    audience: str
    today: date
    extras: dict[str, Any] = field(default_factory=dict)  # per-feature state (e.g. pages seen by a hook)


_current: Build | None = None


def start(build: Build) -> Build:
    global _current
    _current = build
    return build


def current() -> Build:
    if _current is None:
        raise RuntimeError("no KB build in progress: hooks/kb_hooks.py must be listed first under hooks:")
    return _current
