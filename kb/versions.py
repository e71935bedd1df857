"""Versions of a controlled document: archived approved versions, revise, approve, and what changed.

An article's newest version lives in its own file, <book>/<stem>.md. Every approved version that is no
longer the newest is kept as <book>/<stem>/v<version>.md, a frozen copy at a stable URL.

A revise or an approve writes two or more files. Each write is atomic (`kb.atomic`), and they are ordered
so that a kill between two of them leaves a state that `kb check` names (`kb.interrupted`) and that running the
same command again finishes: revise writes the archive first, then the article; approve supersedes the old
current version first, then makes the draft current. No interruption loses the draft or leaves two
current versions.
"""

from __future__ import annotations

import difflib
import re
import textwrap
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from kb import atomic, forms, interrupted, links
from kb.corpus import KnowledgeBase
from kb.editing import FrontMatterEditor
from kb.model import Article, in_version_order, version_key

# pymdownx blocks (`/// name | argument` ... `///`) and code fences, as kb.forms reads them
_BLOCK_START = re.compile(r"^[ ]{0,3}(/{3,})[ ]*([\w-]+)[ ]*(?:\|[ ]*(.*?)[ ]*)?$")
_CODE_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
COMPARED_FIELDS = ("name", "version", "status", "author", "approval", "approval_date", "review_date",
                   "abstract", "scope", "inputs", "outputs", "audience")


class VersionError(Exception):
    """A refused revise or approve; the message says why and what to do."""


class WriteError(VersionError):
    """A write that failed (a read-only folder, a full disk); says what was written before it."""


@dataclass
class Write:
    path: Path
    text: str
    created: bool = False


def archive_path(article_path: str, version: str) -> str:
    """docs path of the archived copy of `version`: a/65.043-x.md -> a/65.043-x/v1.0.md."""
    return f"{article_path.removesuffix('.md')}/v{version}.md"


def next_minor(version: str) -> str:
    major, minor = version_key(version)
    return f"{major}.{minor + 1}"


def latest_approved(kb: KnowledgeBase, article: Article) -> Article | None:
    """The version the public hub serves: the article when current, else its newest current archive."""
    if article.status == "current":
        return article
    for archive in reversed(kb.archives_of(article)):
        if archive.status == "current":
            return archive
    return None


def revise(kb: KnowledgeBase, number: str, change: str, author: str, today: date) -> list[Write]:
    """Archive the approved version and open the next minor version as a draft dated today."""
    article = _article(kb, number)
    status, version = article.status, article.control.version
    if status == "draft":
        raise VersionError(f"{number} already has a draft open (version {version}): approve it with "
                           f"'kb approve {number} --by NAME' before revising again")
    if status != "current":
        raise VersionError(f"{number} is {status}: only a current document can be revised")
    if author not in kb.authors:
        raise VersionError(f"author {author!r} is not in docs/authors.yml")
    if not change.strip():
        raise VersionError("--change must say what changes in the new version")
    docs = kb.settings.docs_dir
    source = _read(docs / article.path)
    archived = docs / archive_path(article.path, version)
    copy = links.relocate(source, article.path, archive_path(article.path, version))  # one folder deeper
    # this very copy (or an empty file) already there is an interrupted revise: finish it
    if archived.exists() and _read(archived) not in ("", copy):
        raise VersionError(f"{archived.relative_to(docs)} already exists and differs from {article.path}: version "
                           f"{version} was archived before; compare the two, keep one, and run kb check")
    draft = FrontMatterEditor(article.path, source)
    new_version = next_minor(version)
    draft.set("document_control", "version", new_version)
    draft.set("document_control", "status", "draft")
    for key in ("approval", "approval_date", "review_date"):
        draft.remove("document_control", key)
    draft.append_row("change_control", {"date": today, "author": author, "version": new_version,
                                        "change": change.strip()})
    return [Write(archived, copy, created=True), Write(docs / article.path, draft.text)]


def approve(kb: KnowledgeBase, number: str, by: str, today: date) -> list[Write]:
    """Make the draft current, approved today with the latest review date the policy allows; the previous
    approved version becomes superseded."""
    article = _article(kb, number)
    docs = kb.settings.docs_dir
    if article.status == "current" and interrupted.still_current(kb, article):
        # an approve that an older kb left half done (it wrote the article first): supersede what it left
        return [_superseded(docs, old) for old in interrupted.still_current(kb, article)]
    if article.status != "draft":
        raise VersionError(f"{number} has no draft to approve (its version {article.control.version} is "
                           f"{article.status}): open one with 'kb revise {number} --change TEXT --author KEY'")
    if not by.strip():
        raise VersionError("--by must name who approves")
    rows = [row for row in article.changes if row is not None]
    if rows and rows[-1].date > today:
        raise VersionError(f"the draft's last change is dated {rows[-1].date.isoformat()}, after today")
    editor = FrontMatterEditor(article.path, _read(docs / article.path))
    editor.set("document_control", "status", "current")
    editor.set("document_control", "approval", by.strip(), after="author")
    editor.set("document_control", "approval_date", today, after="approval")
    editor.set("document_control", "review_date", kb.settings.policy.latest_review_date(today), after="approval_date")
    # superseded first: a kill before the last write leaves the draft to approve again, never two current
    superseded = [_superseded(docs, archive) for archive in kb.archives_of(article) if archive.status == "current"]
    return [*superseded, Write(docs / article.path, editor.text)]


def apply(writes: list[Write]) -> None:
    """Write each file atomically, in order; a failure says what was written and how to finish."""
    for index, write in enumerate(writes):
        try:
            write.path.parent.mkdir(parents=True, exist_ok=True)
            atomic.write_text(write.path, write.text)
        except OSError as exc:
            done = ", ".join(str(w.path) for w in writes[:index])
            raise WriteError(f"cannot write {write.path}: {exc.strerror or exc}"
                             + (f" (already written: {done}; once it can be written, run the same command again "
                                "to finish)" if done else "; nothing was changed")) from None


def _superseded(docs: Path, archive: Article) -> Write:
    old = FrontMatterEditor(archive.path, _read(docs / archive.path))
    old.set("document_control", "status", "superseded")
    return Write(docs / archive.path, old.text)


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _article(kb: KnowledgeBase, number: str) -> Article:
    article = kb.by_number(number)
    if article is None:
        known = ", ".join(sorted(a.number for a in kb.articles if a.number and not a.is_archive)[:10])
        raise VersionError(f"no article numbered {number!r} (known: {known or 'none'})")
    if not article.control.version or article.status is None:
        raise VersionError(f"{article.path} has errors in its document control: run 'kb check' first")
    return article


# What changed between two versions


@dataclass
class Comparison:
    older: str
    newer: str
    fields: list[dict[str, Any]] = field(default_factory=list)  # name, before, after
    lines: list[dict[str, str]] = field(default_factory=list)  # op: same|added|removed, text

    @property
    def body_changed(self) -> bool:
        return any(line["op"] != "same" for line in self.lines)


def compare(older: Article, newer: Article, format_date: Any = str, *, summarise_blocks: bool = False) -> Comparison:
    """Changed document-control fields and a line diff of the body, older -> newer. With `summarise_blocks`
    (for readers, not authors), each `///` block's syntax becomes one line saying what the reader sees."""
    result = Comparison(older.control.version or "", newer.control.version or "")
    for name in COMPARED_FIELDS:
        before, after = getattr(older.control, name), getattr(newer.control, name)
        if before != after:
            show = format_date if name.endswith("_date") else (lambda v: "" if v is None else str(v))
            result.fields.append({"name": name, "before": show(before) if before is not None else "",
                                  "after": show(after) if after is not None else ""})
    old_lines, new_lines = older.body.strip().splitlines(), newer.body.strip().splitlines()
    if summarise_blocks:
        old_lines, new_lines = summarised(old_lines), summarised(new_lines)
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        if op == "equal":
            result.lines += [{"op": "same", "text": t} for t in old_lines[a1:a2]]
            continue
        result.lines += [{"op": "removed", "text": t} for t in old_lines[a1:a2]]
        result.lines += [{"op": "added", "text": t} for t in new_lines[b1:b2]]
    return result


def summarised(lines: list[str]) -> list[str]:
    """Body lines with each `///` block (pymdownx blocks syntax, outside code fences) as a reader sees it: the
    KB's data blocks as one line naming what they show, any other block as its content without the fences."""
    out: list[str] = []
    index, fence = 0, None
    while index < len(lines):
        line = lines[index]
        code = _CODE_FENCE.match(line)
        if code and (fence is None or code.group(1).startswith(fence)):
            fence = None if fence else code.group(1)[:3]
        start = _BLOCK_START.match(line) if fence is None else None
        if start is None:
            out.append(line)
            index += 1
            continue
        closing = re.compile(rf"^[ ]{{0,3}}{start.group(1)}[ ]*$")
        end = next((i for i in range(index + 1, len(lines)) if closing.match(lines[i])), len(lines))
        name, argument, inner = start.group(2).lower(), start.group(3), lines[index + 1:end]
        if name == forms.BLOCK_NAME:
            out.append(_form_summary(argument, inner))
        elif name == "kb-rejection-codes":
            out.append("[Table: the known iCloud rejection messages, their reported meaning and what to do]")
        else:
            out += ([argument] if argument else []) + summarised(inner)
        index = end + 1
    return out


def _form_summary(argument: str | None, inner: list[str]) -> str:
    """One line for a `/// kb-form` block: its heading, recipient and the fields a reader fills in."""
    try:
        form = forms.parse_form(yaml.safe_load(textwrap.dedent("\n".join(inner))), argument)
    except (yaml.YAMLError, forms.FormError, ValueError):
        return f"[Email form: {argument or 'Write the email'}]"
    fields = ", ".join(field.label for field in form.fields)
    return f"[Email form “{form.title or 'Write the email'}” to {form.recipient}, subject “{form.subject}”: {fields}]"


def previous_version(kb: KnowledgeBase, page: Article) -> Article | None:
    """The version page before `page` (archives and the article itself, by version)."""
    owner = kb.article_of(page)
    if owner is None:
        return None
    chain = in_version_order([*kb.archives_of(owner), owner])
    for index, candidate in enumerate(chain):
        if candidate is page:
            return chain[index - 1] if index > 0 else None
    return None
