"""What kb.pdf hands its WeasyPrint workers (kb.pdf_engine): a job, the context every render shares, and
the options and file digests both sides use. Its own module, so the engine and the scheduler each import
it and never each other.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

# Tagged to PDF/UA-1, so screen readers get headings, tables, lists, links, language and title (README: PDFs).
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


@dataclass(frozen=True)
class Job:
    """One article to print: its finished HTML document and where the PDF goes."""
    source: str      # docs path of the article, for messages
    html: str
    target: Path
    base_url: str    # the page's address on the site: relative links become live links to it


@dataclass(frozen=True)
class RenderContext:
    """What every render of a build shares."""
    css: str
    site_dir: str
    site_url: str  # pages' addresses under it are read from site_dir


def digest_file(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""
