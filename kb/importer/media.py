"""Images: embedded ones (data: URIs, files beside a Markdown export) are saved beside the article; remote ones
are never fetched."""

from __future__ import annotations

import base64
import binascii
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import Tag

IMAGE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/jpg": "jpg", "image/gif": "gif",
               "image/webp": "webp", "image/svg+xml": "svg", "image/bmp": "bmp"}


def save_images(container: Tag, source: Path, book: str, stem: str, notes: list[str]) -> dict[str, bytes]:
    """Embedded images (data: URIs, files beside the export) saved beside the article; remote ones kept."""
    saved: dict[str, bytes] = {}
    for number, img in enumerate(container.find_all("img"), start=1):
        src = str(img.get("src") or "").strip()
        data: bytes | None = None
        extension = "png"
        if src.startswith("data:"):
            header, _, payload = src.partition(",")
            mime = header[5:].split(";")[0].lower()
            extension = IMAGE_TYPES.get(mime, "")
            try:
                data = base64.b64decode(payload, validate=False) if ";base64" in header else unquote(payload).encode()
            except (binascii.Error, ValueError):
                data = None
            if not extension or not data:
                notes.append(f"image {number} ({mime or 'unknown type'}) could not be decoded; left out")
                img.decompose()
                continue
        elif urlsplit(src).scheme in ("http", "https") or src.startswith("//"):
            # never fetched, and not shown either: the site requests nothing from other hosts
            notes.append(f"remote image not imported (kept as a link): {src}")
            link = container.new_tag("a", href=src)
            link.string = str(img.get("alt") or "").strip() or unquote(urlsplit(src).path.rsplit("/", 1)[-1]) or src
            img.replace_with(link)
            continue
        elif src:
            local = (source.parent / unquote(urlsplit(src).path)).resolve()
            if not local.is_file():
                notes.append(f"image {src} is not beside the export; the link is kept")
                continue
            data, extension = local.read_bytes(), local.suffix.lstrip(".").lower() or "png"
        else:
            img.decompose()
            continue
        name = f"{stem}-image-{len(saved) + 1}.{extension}"
        saved[f"{book}/{name}"] = data
        img["src"] = name
    return saved

