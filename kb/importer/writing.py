"""Writing: the article's text in the house style, then its files, images and new authors under docs/."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from kb.corpus import AUTHORS_FILE

if TYPE_CHECKING:
    from kb.importer.run import Draft


def render_article(control: dict[str, Any], changes: list[dict[str, Any]], tags: list[str], body: str) -> str:
    """Front matter in the house style (as docs/apple-icloud/65.043-…md has it), then the body."""
    lines = ["---", "document_control:"]
    for key in ("number", "name", "version", "status", "author", "approval", "approval_date", "review_date",
                "abstract", "scope", "inputs", "outputs", "audience"):
        if control.get(key) not in (None, ""):
            lines.append(f"  {key}: {yaml_scalar(control[key], quote=key in ('number', 'version'))}")
    lines.append("change_control:" if changes else "change_control: []")
    for row in changes:
        parts = ", ".join(f"{k}: {yaml_scalar(row[k], flow=True, quote=k == 'version')}"
                          for k in ("date", "author", "version", "change"))
        lines.append(f"  - {{{parts}}}")
    if tags:
        lines.append("tags: [" + ", ".join(yaml_scalar(t, flow=True) for t in tags) + "]")
    lines.append("---")
    return "\n".join(lines) + "\n\n" + (body.strip() + "\n" if body.strip() else "")


def write_draft(draft: Draft, docs: Path, written_authors: set[str], replaced: str | None) -> None:
    target = docs / draft.rel
    target.parent.mkdir(parents=True, exist_ok=True)
    if replaced and replaced != draft.rel:
        (docs / replaced).unlink(missing_ok=True)
    new = {k: v for k, v in draft.authors.items() if k not in written_authors}
    if new:
        _append_authors(docs / AUTHORS_FILE, new)
        written_authors.update(new)
    for rel, data in draft.images.items():
        (docs / rel).write_bytes(data)
    index = target.parent / "index.md"
    if draft.book_title and not index.exists():
        index.write_text(f"---\ntitle: {yaml_scalar(draft.book_title)}\n---\n\n# {draft.book_title}\n",
                         encoding="utf-8")
    target.write_text(draft.text, encoding="utf-8")


def _append_authors(path: Path, authors: dict[str, dict[str, str]]) -> None:
    """New entries at the end of authors.yml; the existing text is left exactly as it is."""
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    lines = [] if not existing or existing.endswith("\n") else [""]
    for key, entry in authors.items():
        lines.append(f"{yaml_scalar(key)}:")
        lines += [f"  {k}: {yaml_scalar(v)}" for k, v in entry.items()]
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")


def yaml_scalar(value: Any, *, flow: bool = False, quote: bool = False) -> str:
    """A value as the house front matter writes it: plain where YAML reads it back unchanged, else quoted."""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    quoted = json.dumps(text, ensure_ascii=False)
    if quote:
        return quoted
    try:
        loaded = yaml.safe_load(f"{{k: {text}}}" if flow else f"k: {text}")
    except yaml.YAMLError:
        return quoted
    return text if loaded == {"k": text} and text == text.strip() else quoted
