"""Writing: the article's text in the house style, then its files, images and new authors under docs/."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from kb import atomic
from kb.corpus import AUTHORS_FILE
from kb.importer.body import escape_text

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


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when there: a tenth of the time per value
BOOK_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9_-]+)*$")  # a folder name; never "..", never a path


class UnsafePath(ValueError):
    """A path the importer would write that does not lie inside docs/ (a `../` or a symlink leading out)."""


def inside(docs: Path, rel: str) -> Path:
    """docs/<rel>, proved to lie inside docs/ once every symlink and `..` is resolved; UnsafePath otherwise.

    Names are built only from the validated number, a slug and the book's folder name; this is the proof."""
    root = docs.resolve()
    target = (root / rel).resolve()
    if target == root or not target.is_relative_to(root):
        raise UnsafePath(f"{rel} would be written outside {docs.name}/ ({target}): refused")
    return target


def write_draft(draft: Draft, docs: Path, written_authors: set[str], replaced: str | None) -> list[str]:
    """Write the page, its images and files, and new authors; each file atomically, and only when its bytes
    change (a re-import of an unchanged export writes nothing). Returns the docs paths written."""
    target = inside(docs, draft.rel)
    planned = [(inside(docs, rel), data) for rel, data in draft.images.items()]
    planned.append((target, draft.text.encode("utf-8")))
    old = inside(docs, replaced) if replaced and replaced != draft.rel else None
    target.parent.mkdir(parents=True, exist_ok=True)
    new = {k: v for k, v in draft.authors.items() if k not in written_authors}
    written = []
    if new:
        _append_authors(inside(docs, AUTHORS_FILE), new)
        written_authors.update(new)
        written.append(AUTHORS_FILE)
    for path, data in planned:
        if write_if_changed(path, data):
            written.append(path.relative_to(docs.resolve()).as_posix())
    if old is not None:
        old.unlink(missing_ok=True)
    return written


def write_if_changed(path: Path, data: bytes) -> bool:
    """Atomically replace `path` with `data` unless it already holds exactly these bytes."""
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_bytes(path, data)
    return True


def render_page(title: str, tags: list[str], body: str) -> str:
    """A plain page of a book (no Document Control): its title, its tags and its body."""
    lines = ["---", f"title: {yaml_scalar(title)}"]
    if tags:
        lines.append("tags: [" + ", ".join(yaml_scalar(t, flow=True) for t in tags) + "]")
    return "\n".join([*lines, "---", "", f"# {escape_text(title)}", "", body.strip(), ""])


def render_index(title: str, description: str | None, tags: list[str] = (), order: list[str] = ()) -> bytes:
    """A book's or chapter's index.md: its title, its tags, the order of its entries (kb.books), and the
    description BookStack gave it."""
    tag_line = ("tags: [" + ", ".join(yaml_scalar(t, flow=True) for t in tags) + "]\n") if tags else ""
    order_line = ("order: [" + ", ".join(yaml_scalar(o, flow=True) for o in order) + "]\n") if order else ""
    text = f"---\ntitle: {yaml_scalar(title)}\n{tag_line}{order_line}---\n\n# {escape_text(title)}\n"
    if description:
        text += f"\n{description.strip()}\n"
    return text.encode("utf-8")


def _append_authors(path: Path, authors: dict[str, dict[str, str]]) -> None:
    """New entries at the end of authors.yml; the existing text is left exactly as it is."""
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    lines = [] if not existing or existing.endswith("\n") else [""]
    for key, entry in authors.items():
        lines.append(f"{yaml_scalar(key)}:")
        lines += [f"  {k}: {yaml_scalar(v)}" for k, v in entry.items()]
    atomic.write_text(path, existing + "\n".join(lines) + "\n")


def yaml_scalar(value: Any, *, flow: bool = False, quote: bool = False) -> str:
    """A value as the house front matter writes it: plain where YAML reads it back unchanged, else quoted."""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    quoted = json.dumps(text, ensure_ascii=False)
    if quote:
        return quoted
    try:
        loaded = yaml.load(f"{{k: {text}}}" if flow else f"k: {text}", Loader=_LOADER)
    except yaml.YAMLError:
        return quoted
    return text if loaded == {"k": text} and text == text.strip() else quoted
