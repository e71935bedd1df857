"""Images and attachments: only what the export itself carries is saved, beside the article.

An image may come from a `data:` URI (the HTML export embeds BookStack's own uploads that way), from a file
beside a Markdown export, or from the ZIP's `files/` folder; never from anywhere else on the disk (an absolute
path or a `../` climbing out of the export's folder is refused and reported) and never from the network (a
remote image becomes a link). The bytes must be a raster image whose type is known from its first bytes: SVG
is refused, since an SVG opened on its own runs its scripts. Saved names come from the article's validated
stem and a counter, never from the export.
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from bs4 import Tag

from kb.importer.common import slug, text_of

# The first bytes of each raster type BookStack accepts (png, jpg, gif, webp) and bmp: the saved extension.
SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpg"), (b"GIF87a", "gif"), (b"GIF89a", "gif"),
              (b"BM", "bmp"))
IMAGE_EXTENSIONS = ("png", "jpg", "jpeg", "gif", "webp", "svg", "bmp")


class ExportFiles:
    """The files an export carries besides its pages: none for an HTML export (its images are data: URIs)."""

    def image(self, src: str, notes: list[str]) -> bytes | None:
        """The bytes `src` names inside the export, or None (with a note) when it names nothing there."""
        notes.append(f"image {src} is not embedded in the export: left out")
        return None


class FilesBeside(ExportFiles):
    """A Markdown export's images: files in the export's own folder or below it, named by a relative path."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()

    def image(self, src: str, notes: list[str]) -> bytes | None:
        path = unquote(urlsplit(src).path)
        if urlsplit(src).scheme or PurePosixPath(path).is_absolute() or "\\" in path or not path:
            notes.append(f"image {src} is not a file beside the export (absolute or with a scheme): left out")
            return None
        local = (self.folder / path).resolve()
        if not local.is_relative_to(self.folder):
            notes.append(f"image {src} lies outside the export's folder: left out")
            return None
        if not local.is_file():
            notes.append(f"image {src} is not beside the export: left out")
            return None
        return local.read_bytes()


# Attachments the site serves as downloads; anything it would render or run (HTML, SVG, scripts, Markdown pages)
# is refused, since a saved attachment is published beside the article.
ATTACHMENT_EXTENSIONS = frozenset("""pdf csv txt log rtf doc docx xls xlsx ppt pptx odt ods odp zip 7z gz tgz tar
png jpg jpeg gif webp bmp msg eml ics vcf cer crt der p7b reg ps1 psm1 bat cmd conf cfg ini json yaml yml
""".split()) - {"svg", "html", "htm", "xhtml", "xml", "js", "mjs", "md", "markdown"}


def attachment_name(stem: str, name: str) -> str | None:
    """The file name of an attachment saved beside its article: the article's stem and a slug of the original
    name, with its extension if the site may serve it; None for a kind that would run or render as a page."""
    base, dot, extension = name.rpartition(".")
    extension = extension.casefold() if dot else ""
    if extension not in ATTACHMENT_EXTENSIONS:
        return None
    return f"{stem}-{slug(base or 'attachment')}.{extension}"


def image_type(data: bytes) -> str | None:
    """The extension of a raster image, from its first bytes; None for anything else (SVG and HTML included)."""
    for signature, extension in SIGNATURES:
        if data.startswith(signature):
            return extension
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def save_images(container: Tag, files: ExportFiles, book: str, stem: str, notes: list[str]) -> dict[str, bytes]:
    """Every image of the body saved as docs/<book>/<stem>-image-N.<type>; remote ones become links."""
    saved: dict[str, bytes] = {}
    by_content: dict[bytes, str] = {}
    for img in container.find_all("img"):
        src = str(img.get("src") or "").strip()
        if not src:
            img.decompose()
            continue
        if urlsplit(src).scheme in ("http", "https") or src.startswith("//"):
            _remote(container, img, src, notes)
            continue
        data = _data_uri(src, notes) if src.lower().startswith("data:") else files.image(src, notes)
        kind = image_type(data) if data else None
        if data and kind is None:
            notes.append(f"image {_short(src)} is not a PNG, JPEG, GIF, WebP or BMP image (SVG is refused: it "
                         "can run script): left out")
        if kind is None:
            img.replace_with(str(img.get("alt") or ""))
            continue
        assert data is not None
        name = by_content.get(data) or f"{stem}-image-{len(saved) + 1}.{kind}"
        by_content[data] = name
        saved[f"{book}/{name}"] = data
        img["src"] = name
    return saved


# Helper functions


def _data_uri(src: str, notes: list[str]) -> bytes | None:
    header, _, payload = src.partition(",")
    try:
        return base64.b64decode(payload, validate=False) if ";base64" in header.lower() else unquote(payload).encode()
    except (binascii.Error, ValueError):
        notes.append(f"image {_short(src)} could not be decoded: left out")
        return None


def _remote(container: Tag, img: Tag, src: str, notes: list[str]) -> None:
    """Never fetched, and not shown either (the site requests nothing from other hosts): one link instead.

    BookStack's Markdown export writes a thumbnail inside a link to the full image; the pair becomes a
    single link to the full image, never a link inside a link."""
    alt = str(img.get("alt") or "").strip()
    label = alt or unquote(urlsplit(src).path.rsplit("/", 1)[-1]) or src
    parent = img.parent
    if parent is not None and parent.name == "a" and not text_of(parent) and len(parent.find_all("img")) == 1:
        href = str(parent.get("href") or src)
        notes.append(f"remote image not imported (kept as a link): {href}")
        parent.clear()
        parent.string = label
        return
    notes.append(f"remote image not imported (kept as a link): {src}")
    if parent is not None and parent.name == "a":
        img.replace_with(label)  # the surrounding link stays, with the image's name as its text
        return
    link = container.new_tag("a", href=src)
    link.string = label
    img.replace_with(link)


def _short(src: str) -> str:
    return src if len(src) <= 60 else src[:57] + "…"
