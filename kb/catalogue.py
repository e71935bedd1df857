"""kb.json: a machine-readable catalogue of every article a build publishes, for automation (reminders,
link checkers, other systems)."""

from __future__ import annotations

import json
from typing import Any

from kb.corpus import KnowledgeBase
from kb.dashboard import ReviewRow, Served, iso_date

FORMAT_VERSION = 1


def catalogue(kb: KnowledgeBase, audience: str, entries: list[Served],
              rows: dict[str, ReviewRow] | None = None) -> dict[str, Any]:
    """One record per served article: the fields of the version at its URL. Review states (`rows`, by path)
    go into internal builds only."""
    articles = []
    for entry in sorted(entries, key=lambda e: (e.article.number or "", e.article.path)):
        f = entry.version.control
        owner = kb.authors.get(f.author or "")
        record: dict[str, Any] = {
            "number": entry.article.number, "name": f.name, "version": f.version,
            "status": f.status, "audience": entry.version.audience,
            "owner": {"key": f.author, "name": owner.name if owner else None,
                      "email": owner.email if owner else None},
            "approval_date": iso_date(f.approval_date), "review_date": iso_date(f.review_date),
            "tags": entry.version.tags, "url": entry.url,
        }
        row = (rows or {}).get(entry.article.path)
        if row is not None:
            record["review"] = {"state": row.state or None, "days_left": row.days_left}
        articles.append(record)
    return {"format": FORMAT_VERSION, "site": kb.settings.site_name, "site_url": kb.settings.site_url or None,
            "audience": audience, "as_of": kb.today.isoformat(), "articles": articles}


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
