"""Reading BookStack's portable ZIP (v24.12 and later): the migration format for a page, a chapter or a book.

What the ZIP holds, as BookStack's code writes it (app/Exports/ZipExports/ZipExportBuilder.php, the models
under ZipExports/Models/, ZipExportFiles.php, ZipExportReferences.php and ZipReferenceParser.php):

- `data.json` at the root and a `files/` folder whose names are random (`Str::random(20)` and the extension);
- `data.json`: `instance` (`id`, `version`), `exported_at`, and exactly one of `book`, `chapter` or `page`
  (other kinds may come later: refused here with a clear message);
- a book: `id`, `name`, `description_html`, `cover`, `chapters`, `pages` (only those directly in the book),
  `tags`; chapters and direct pages interleave by `priority`, low to high (ZipExportBook::children);
- a chapter: `id`, `name`, `description_html`, `priority`, `pages`, `tags`;
- a page: `id`, `name`, `html`, `markdown` (only for Markdown-editor pages), `priority`, `attachments`,
  `images`, `tags`; a property with no value is left out (ZipExportModel::jsonSerialize drops nulls);
- a tag: `name`, `value` (`""` when it has none); an image: `id`, `name`, `file`, `type`, listed only under
  the first page that uses it (ZipExportReferences::handleModelReference), so images are looked up across
  the whole export; an attachment: `id`, `name`, and `file` or `link`;
- inside HTML and Markdown, links to what the export holds are references by id: `[[bsexport:page:41]]`,
  `[[bsexport:chapter:7]]`, `[[bsexport:book:23]]`, `[[bsexport:image:1187]]`,
  `[[bsexport:attachment:88]]`; an anchor stays after the reference (`[[bsexport:page:42]]#bkmrk-…`) and
  names an id in that page. Links that were not resolved stay absolute URLs of the old KB.

The archive is read in memory, never extracted: a name in `data.json` only selects an entry of the ZIP.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

from kb.importer.common import ExportError
from kb.importer.exported import Attachment, Export, ExportedPage, Section, chapter_folder, kb_tag
from kb.importer.media import ExportFiles
from kb.importer.pages import render_markdown, set_bookstack_ids
from kb.importer.sanitise import unswallow

KINDS = ("book", "chapter", "page")
REFERENCE = re.compile(r"\[\[bsexport:(page|chapter|book|image|attachment):(\d+)\]\]")
FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$")  # what ZipExportFiles writes; never a path
MAX_FILE = 100 * 1024 * 1024  # one file's unpacked size; a ZIP bomb is refused, not unpacked
MAX_TOTAL = 2 * 1024 * 1024 * 1024


def is_zip(source: Path) -> bool:
    try:
        with source.open("rb") as handle:
            return handle.read(4) == b"PK\x03\x04"
    except OSError:
        return False


class ZipFiles(ExportFiles):
    """The ZIP's `files/`: images by `[[bsexport:image:N]]`, attachments by their `file` name."""

    def __init__(self, archive: zipfile.ZipFile, images: dict[int, str]) -> None:
        self.archive = archive
        self.images = images  # image id -> file name in files/
        self.total = 0

    def image(self, src: str, notes: list[str]) -> bytes | None:
        match = REFERENCE.fullmatch(src.strip())
        if match is None or match[1] != "image":
            return super().image(src, notes)
        name = self.images.get(int(match[2]))
        if name is None:
            notes.append(f"image {src} is not listed in the export's data.json: left out")
            return None
        return self.file(name, notes)

    def file(self, name: str, notes: list[str]) -> bytes | None:
        """The bytes of files/<name>; None, with a note, for a name that is no plain file name of the ZIP."""
        if not FILE_NAME.match(name):
            notes.append(f"file {name!r} named in data.json is not a plain file name: left out")
            return None
        try:
            info = self.archive.getinfo(f"files/{name}")
        except KeyError:
            notes.append(f"file files/{name} named in data.json is not in the ZIP: left out")
            return None
        self.total += info.file_size
        if info.file_size > MAX_FILE or self.total > MAX_TOTAL:
            notes.append(f"file files/{name} unpacks to {info.file_size:,} bytes, more than the importer takes: "
                         "left out")
            return None
        return self.archive.read(info)


def read_zip(source: Path, book: str) -> Export:
    """The pages, book and chapters of a portable ZIP, in BookStack's order."""
    try:
        archive = zipfile.ZipFile(source)
        if archive.getinfo("data.json").file_size > MAX_FILE:
            raise ExportError(f"has a data.json larger than {MAX_FILE // 2**20} MB unpacked: refused")
        data = json.loads(archive.read("data.json"))
    except KeyError:
        raise ExportError("is a ZIP without data.json: not a BookStack portable ZIP") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise ExportError(f"is not a readable ZIP: {exc}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ExportError(f"has a data.json that is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ExportError("has a data.json that is not an object: not a BookStack portable ZIP")
    kinds = [k for k in KINDS if isinstance(data.get(k), dict)]
    if len(kinds) != 1:
        others = sorted(k for k in data if k not in ("instance", "exported_at"))
        raise ExportError(f"holds {', '.join(others) or 'nothing'} in data.json: the importer reads a ZIP of "
                          "one book, one chapter or one page")
    images = {int(image["id"]): str(image.get("file", "")) for page in _all_pages(data)
              for image in _list(page, "images") if isinstance(image, dict) and _int(image.get("id")) is not None}
    files = ZipFiles(archive, images)
    export = Export()
    item = data[kinds[0]]
    if kinds[0] == "book":
        export.add(_section(item, book, "book"))
        for child in sorted([*_list(item, "pages"), *_list(item, "chapters")],
                            key=lambda c: _int(c.get("priority")) or 0):  # ZipExportBook::children
            if "pages" in child:  # a chapter
                _chapter(export, child, book, files, source)
            else:
                export.add(_page(child, book, files, source))
    elif kinds[0] == "chapter":
        _chapter(export, item, book, files, source)
    else:
        export.add(_page(item, book, files, source, in_book=False))
    return export


# Helper functions


def _chapter(export: Export, chapter: dict[str, Any], book: str, files: ZipFiles, source: Path) -> None:
    section = _section(chapter, chapter_folder(book, str(chapter.get("name") or "chapter")), "chapter")
    export.add(section)
    for page in _list(chapter, "pages"):
        export.add(_page(page, section.folder, files, source))


def _section(item: dict[str, Any], folder: str, kind: str) -> Section:
    description = None
    if item.get("description_html"):
        description = BeautifulSoup(f"<div>{item['description_html']}</div>", "lxml").div
    return Section(folder, str(item.get("name") or folder), description, _int(item.get("id")), kind, _tags(item))


def _page(page: dict[str, Any], folder: str, files: ZipFiles, source: Path, *, in_book: bool = True) -> ExportedPage:
    """A page's content: its Markdown when it was written in the Markdown editor (what its author wrote),
    else its HTML, as ZipExportPage::fromModel stored it."""
    if page.get("markdown"):
        root, kind = render_markdown(str(page["markdown"])), "markdown"
    else:
        root, kind = BeautifulSoup(f"<div>{page.get('html') or ''}</div>", "lxml").div, "zip"
        unswallow(root)
    set_bookstack_ids(root)
    attachments = []
    for entry in _list(page, "attachments"):
        if not isinstance(entry, dict):
            continue
        name = str(entry.get("name") or "attachment")
        if entry.get("file"):
            attachments.append(Attachment(_int(entry.get("id")), name, data=files.file(str(entry["file"]), [])))
        elif entry.get("link"):
            attachments.append(Attachment(_int(entry.get("id")), name, link=str(entry["link"])))
    return ExportedPage(source, root, kind, files, folder, name=str(page.get("name") or "") or None,
                        id=_int(page.get("id")), tags=_tags(page), attachments=attachments, in_book=in_book)


def _tags(item: dict[str, Any]) -> list[str]:
    tags = [kb_tag(str(t.get("name") or ""), str(t.get("value") or "")) for t in _list(item, "tags")
            if isinstance(t, dict)]
    return [t for t in dict.fromkeys(tags) if t]


def _all_pages(data: dict[str, Any]) -> list[dict[str, Any]]:
    pages = [data["page"]] if isinstance(data.get("page"), dict) else []
    for holder in (data.get("book"), data.get("chapter")):
        if isinstance(holder, dict):
            pages += _list(holder, "pages")
            for chapter in _list(holder, "chapters"):
                pages += _list(chapter, "pages")
    return [p for p in pages if isinstance(p, dict)]


def _list(item: dict[str, Any], key: str) -> list[Any]:
    value = item.get(key)
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None

