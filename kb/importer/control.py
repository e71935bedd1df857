"""Document Control and Change Control: the two tables at the top of a controlled page become front matter.

Labels are matched tolerantly (case, spacing, close misspellings such as the old KB's "Absract"); authors are
matched to docs/authors.yml by email, then by name, and new people get a key once per import.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from bs4 import Tag

from kb import dates, settings
from kb.corpus import AUTHORS_FILE
from kb.importer.common import ExportError, fold, snippet, text_of
from kb.model import Author

if TYPE_CHECKING:
    from kb.importer.sections import ControlledPage

# Document Control row labels, normalised to lower-case letters only; known typos of the old KB included.
LABELS = {
    "documentname": "name", "name": "name", "title": "name", "documenttitle": "name",
    "documentnumber": "number", "number": "number", "docnumber": "number", "documentno": "number",
    "version": "version", "versionstatus": "version", "status": "status",
    "author": "author", "owner": "author", "documentowner": "author",
    "approval": "approval", "approvedby": "approval", "approver": "approval",
    "approvaldate": "approval_date", "dateofapproval": "approval_date", "approveddate": "approval_date",
    "reviewdate": "review_date", "nextreviewdate": "review_date", "nextreview": "review_date",
    "abstract": "abstract", "absract": "abstract", "abstact": "abstract", "summary": "abstract",
    "scope": "scope", "inputs": "inputs", "input": "inputs", "outputs": "outputs", "output": "outputs",
}
CHANGE_LABELS = {
    "date": "date", "author": "author", "by": "author", "editor": "author",
    "version": "version", "ver": "version", "revision": "version", "rev": "version",
    "change": "change", "changes": "change", "description": "change", "details": "change", "comment": "change",
    "summary": "change",
}
STATUS_WORDS = {"current": "current", "draft": "draft", "superseded": "superseded", "withdrawn": "withdrawn",
                "approved": "current", "published": "current", "active": "current", "live": "current"}
EMAIL_RE = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
SAFE_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")  # whatever the policy's pattern: never a path
VERSION_RE = re.compile(r"v?\s*(\d+)(?:\.(\d+))?", re.IGNORECASE)



@dataclass
class Registry:
    """The KB's authors plus those this import adds: new people get a key once, whichever file names them."""

    known: dict[str, Author]
    added: dict[str, dict[str, str]] = field(default_factory=dict)

    def key_for(self, name: str, team: str | None = None, email: str | None = None) -> tuple[str, bool]:
        """(key, is_new) of the author with this email or name; a new key from the first name."""
        people = {**{k: a.model_dump() for k, a in self.known.items()}, **self.added}
        for key, person in people.items():
            if email and (person.get("email") or "").casefold() == email.casefold():
                return key, key in self.added
        for key, person in people.items():
            if fold(person.get("name") or "") == fold(name):
                return key, key in self.added
        base = re.sub(r"[^a-z0-9]", "", name.split()[0].casefold()) if name.split() else ""
        base = base or "author"
        key, n = base, 2
        while key in people:
            key, n = f"{base}{n}", n + 1
        entry = {"name": name}
        if team:
            entry["team"] = team
        if email:
            entry["email"] = email
        self.added[key] = entry
        return key, True

    def all(self) -> dict[str, Author]:
        return {**self.known, **{k: Author.model_validate(v) for k, v in self.added.items()}}


def row_label(text: str) -> tuple[str | None, bool]:
    """(field, guessed) for a row label; guessed when only a close spelling matched."""
    words = text.strip().rstrip(":").split()
    if not words or len(words) > 4:
        return None, False
    key = fold(text)
    if key in LABELS:
        return LABELS[key], False
    close = difflib.get_close_matches(key, list(LABELS), n=1, cutoff=0.85) if len(key) >= 5 else []
    return (LABELS[close[0]], True) if close else (None, False)


def _control_cells(table: Tag, notes: list[str]) -> dict[str, Tag]:
    """Label -> value cell, whatever the layout: pairs along a row (two pairs in one row are fine), or a row
    of labels above a row of values."""
    rows = [row.find_all(["td", "th"], recursive=False) for row in table.find_all("tr")]
    rows = [row for row in rows if row]
    found: dict[str, Tag] = {}

    def keep(field_name: str, label_text: str, cell: Tag | None, guessed: bool) -> None:
        if guessed:
            notes.append(f"Document Control: read the row {label_text!r} as {field_name}")
        if field_name in found:
            notes.append(f"Document Control: {label_text!r} appears twice; the first is used")
        elif cell is None or not text_of(cell) and cell.find("a") is None:
            notes.append(f"Document Control: {label_text!r} has no value")
        else:
            found[field_name] = cell

    if len(rows) >= 2 and all(row_label(text_of(c))[0] for c in rows[0]) and not any(row_label(text_of(c))[0] for c in rows[1]):
        for label_cell, value_cell in zip(rows[0], rows[1]):
            name, guessed = row_label(text_of(label_cell))
            keep(name or "", text_of(label_cell), value_cell, guessed)
        return found
    for row in rows:
        index = 0
        while index < len(row):
            name, guessed = row_label(text_of(row[index]))
            if name is None:
                if text_of(row[index]):
                    notes.append(f"Document Control: no label for {snippet(row[index])}; not imported")
                index += 1
                continue
            value = row[index + 1] if index + 1 < len(row) and row_label(text_of(row[index + 1]))[0] is None else None
            keep(name, text_of(row[index]), value, guessed)
            index += 2 if value is not None else 1
    return found


def document_control(page: ControlledPage, kb_settings: settings.Settings, registry: Registry, notes: list[str],
                      audience: str) -> dict[str, Any]:
    cells = _control_cells(page.control_table, notes) if page.control_table is not None else {}
    values = {key: text_of(cell) for key, cell in cells.items()}
    control: dict[str, Any] = {}
    number_re = kb_settings.policy.number_re
    name = values.get("name") or (page.titles[-1] if page.titles else "")
    number = values.get("number", "")
    first, _, rest = name.partition(" ")
    if number_re.search(first):
        number = number or first
        name = rest.strip()
    elif not number and page.titles:
        first_title = page.titles[-1].partition(" ")[0]
        number = first_title if number_re.search(first_title) else ""
    if not number:
        raise ExportError("has no document number: expected it at the start of the Document Name "
                          "(as in '65.043 Emails being sent to …') or in a Document Number row")
    if not number_re.search(number) or not SAFE_NUMBER.fullmatch(number):
        raise ExportError(f"Document Number {number!r} is not a document number (pattern "
                          f"{number_re.pattern}): not imported, since the number names the article's file")
    if not name:
        raise ExportError(f"has no document name for {number}")
    control["number"] = number
    control["name"] = name[0].upper() + name[1:]
    version_text = values.get("version", "")
    match = VERSION_RE.search(version_text)
    if match:
        control["version"] = f"{int(match.group(1))}.{int(match.group(2) or 0)}"
        if match.group(2) is None:
            notes.append(f"Document Control: version {version_text!r} read as {control['version']}")
    elif version_text:
        notes.append(f"Document Control: version {version_text!r} is not MAJOR.MINOR; not imported")
    else:
        notes.append("Document Control: no version")
    status_text = values.get("status") or (version_text[match.end():] if match else version_text)
    status = STATUS_WORDS.get(fold(status_text))
    if status is None and status_text.strip():
        notes.append(f"Document Control: status {status_text.strip()!r} is not draft, current, superseded or "
                     "withdrawn; not imported")
    elif status is None:
        notes.append("Document Control: no status after the version (like 'v1.0 Current')")
    elif fold(status_text) != status:
        notes.append(f"Document Control: status {status_text.strip()!r} read as {status}")
    if status:
        control["status"] = status
    if "author" in cells:
        control["author"] = _author_key(cells["author"], registry, notes)
    else:
        notes.append("Document Control: no author")
    for key in ("approval", "abstract", "scope", "inputs", "outputs"):
        if values.get(key):
            control[key] = values[key]
    for key in ("approval_date", "review_date"):
        if values.get(key):
            control[key] = _date(values[key], f"Document Control: {key.replace('_', ' ')}", notes)
    control["audience"] = audience
    return control


def _author_key(cell: Tag, registry: Registry, notes: list[str]) -> str:
    """The authors.yml key of 'Name, Team (Org), <email>', adding the person when new."""
    text = text_of(cell)
    emails = [str(a["href"])[7:].split("?")[0] for a in cell.find_all("a", href=True)
              if str(a["href"]).lower().startswith("mailto:")]
    emails += EMAIL_RE.findall(text)
    email = unquote(emails[0]) if emails else None
    for address in set(emails):
        text = text.replace(address, "")
    text = re.sub(r"[<>\[\]\s]*$", "", text).strip().strip(",").strip()
    name, _, team = text.partition(",")
    name, team = name.strip(), team.strip().strip(",").strip()
    if not name:
        name = email.split("@")[0] if email else "Unknown"
        notes.append(f"Document Control: author {text_of(cell)!r} has no name")
    key, new = registry.key_for(name, team or None, email)
    if new:
        missing = [what for what, value in (("team", team), ("email", email)) if not value]
        notes.append(f"author {name!r} added to {AUTHORS_FILE} as {key!r}"
                     + (f" without {' and '.join(missing)}" if missing else ""))
    return key


def change_control(page: ControlledPage, registry: Registry, notes: list[str], control: dict[str, Any]) -> list[dict[str, Any]]:
    table = page.change_table
    if table is None:
        version, approved = control.get("version"), control.get("approval_date")
        if version and isinstance(approved, date) and control.get("author"):
            notes.append(f"no Change Control table: one row written for version {version} from the approval date")
            return [{"date": approved, "author": control["author"], "version": version, "change": "Approved"}]
        notes.append("no Change Control table: change_control is empty")
        return []
    rows = [row.find_all(["td", "th"], recursive=False) for row in table.find_all("tr")]
    columns = [CHANGE_LABELS.get(fold(text_of(cell))) for cell in rows[0]]
    out = []
    for number, row in enumerate(rows[1:], start=1):
        values = {col: text_of(cell) for col, cell in zip(columns, row) if col}
        if not any(values.values()):
            continue
        where = f"Change Control row {number}"
        missing = [col for col in ("date", "author", "version", "change") if not values.get(col)]
        if missing:
            notes.append(f"{where}: no {', '.join(missing)}")
        entry: dict[str, Any] = {"date": _date(values.get("date", ""), f"{where}: date", notes)}
        author = values.get("author", "")
        entry["author"] = registry.key_for(author)[0] if author else control.get("author", "")
        if author and entry["author"] in registry.added and entry["author"] != control.get("author"):
            notes.append(f"{where}: author {author!r} added to {AUTHORS_FILE} as {entry['author']!r} "
                         "without team and email")
        version = VERSION_RE.fullmatch(values.get("version", "").strip())
        entry["version"] = (f"{int(version.group(1))}.{int(version.group(2) or 0)}" if version
                            else values.get("version", ""))
        if not version and values.get("version"):
            notes.append(f"{where}: version {values['version']!r} is not MAJOR.MINOR")
        entry["change"] = values.get("change", "")
        out.append(entry)
    return out


def _date(text: str, where: str, notes: list[str]) -> date | str:
    text = text.strip()
    parsed = dates.parse_house_date(text) or dates.parse_iso_date(text)
    if parsed is None:
        notes.append(f"{where} {text!r} is not a date (like 26-FEB-2025); kept as written")
        return text
    return parsed
