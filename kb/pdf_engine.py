"""The WeasyPrint side of kb.pdf: runs in each worker process, renders one article's HTML into its PDF.

Kept apart from kb.pdf because WeasyPrint takes most of a second to import, and a build without PDFs
should not pay for it.
"""

from __future__ import annotations

import gc
import logging
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from kb.pdf import Job, RenderContext, digest_file

# WeasyPrint only logs these, and renders on without the image, font or stylesheet: for a controlled copy
# that is a failure.
_FAILURES = ("Failed to", "Font-face")


class SiteFetcher(URLFetcher):
    """Loads the site's own files from the built site folder, records them, and never touches the network."""

    def __init__(self, site_dir: str, site_url: str) -> None:
        super().__init__(allowed_protocols={"file", "data", "http", "https"})
        self.site_dir = Path(site_dir).resolve()
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""
        self.loaded: dict[str, str] = {}
        self.failed: list[str] = []  # addresses that could not be loaded, for messages WeasyPrint leaves vague

    def fetch(self, url, headers=None):
        if self.site_url and url.startswith(self.site_url):
            local = (self.site_dir / unquote(urlsplit(url).path)[len(urlsplit(self.site_url).path):]).resolve()
            if not local.is_relative_to(self.site_dir):
                raise ValueError(f"{url} is outside the site")
            url = local.as_uri()
        elif url.split(":", 1)[0].lower() in ("http", "https"):
            raise ValueError(f"{url} is not part of the site, and a PDF loads nothing from the network")
        try:
            response = super().fetch(url, headers)
        except Exception:
            self.failed.append(unquote(url))
            raise
        if url.startswith("file:"):
            local = Path(unquote(urlsplit(url).path))
            self.loaded[str(local)] = digest_file(local)
        return response


_worker: dict[str, object] = {}  # per process: the parsed stylesheet, fonts and fetcher, built once


def init_worker(context: RenderContext) -> None:
    if _worker.get("context") == context:
        return
    fonts = FontConfiguration()
    fetcher = SiteFetcher(context.site_dir, context.site_url)
    problems: list[str] = []
    with _collecting(problems):  # the stylesheet's fonts load here, once: their failures belong to every PDF
        stylesheet = CSS(string=context.css, font_config=fonts, url_fetcher=fetcher)
    problems += [f"Failed to load font at {url!r}" for url in fetcher.failed]
    _worker.update(context=context, fonts=fonts, fetcher=fetcher, css=stylesheet, problems=problems,
                   loaded=dict(fetcher.loaded))


def init_pool_worker(context: RenderContext) -> None:
    """init_worker, in a process that only renders: WeasyPrint builds a great many short-lived objects, and
    rarer collections save about a twentieth of each render."""
    init_worker(context)
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


def render_one(job: Job) -> tuple[str | None, dict[str, str]]:
    """Render `job` into its target: (the error, or None; the local files loaded, with their digests)."""
    fetcher: SiteFetcher = _worker["fetcher"]  # type: ignore[assignment]
    fetcher.loaded = dict(_worker["loaded"])  # type: ignore[arg-type]
    problems: list[str] = list(_worker["problems"])  # type: ignore[arg-type]
    try:
        job.target.parent.mkdir(parents=True, exist_ok=True)
        with _collecting(problems):
            HTML(string=job.html, base_url=job.base_url, url_fetcher=fetcher).write_pdf(
                job.target, stylesheets=[_worker["css"]], font_config=_worker["fonts"])
    except Exception as exc:
        return f"the PDF could not be rendered ({type(exc).__name__}: {exc})", {}
    if problems:
        return "; ".join(dict.fromkeys(problems)), {}
    return None, dict(fetcher.loaded)


# Helper functions


@contextmanager
def _collecting(problems: list[str]) -> Iterator[None]:
    handler = _Collector(problems)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


class _Collector(logging.Handler):
    """Keeps WeasyPrint's messages about an image, font or stylesheet it could not load."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.problems = problems

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith(_FAILURES):
            self.problems.append(message.splitlines()[0])
