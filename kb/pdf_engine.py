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

from kb.pdf_job import PDF_OPTIONS, Job, RenderContext, digest_file

# WeasyPrint only logs these, and renders on without the image, font or stylesheet: for a controlled copy
# that is a failure.
_FAILURES = ("Failed to", "Font-face")


class SiteFetcher(URLFetcher):
    """Serves a PDF the built site's own files and nothing else: no network, and no file:// outside the site.

    An article's HTML names what WeasyPrint loads (images, stylesheets, attachments it embeds in the PDF), so
    an author's `<img src="file:///etc/passwd">` or `<a rel="attachment" href="file:///…">` would otherwise
    put a file of the building machine into the public PDF. The fonts the KB's own stylesheet names are the
    one exception: they are read while that stylesheet loads (`trusting`), and only those files after it.
    """

    def __init__(self, site_dir: str, site_url: str) -> None:
        super().__init__(allowed_protocols={"file", "data"})
        self.site_dir = Path(site_dir).resolve()
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""
        self.loaded: dict[str, str] = {}
        self.failed: list[str] = []  # addresses that could not be loaded, for messages WeasyPrint leaves vague
        self.trusting = False  # True only while the KB's stylesheet loads
        self.trusted: set[Path] = set()  # the files it named (its fonts)

    def fetch(self, url, headers=None):
        if url.split(":", 1)[0].lower() == "data":  # inline in the HTML: nothing is read
            return super().fetch(url, headers)
        local = self._local_file(url)
        if local is None or not (self.trusting or local in self.trusted or local.is_relative_to(self.site_dir)):
            raise Refused(f"{REFUSED} ({url[:200]}): a PDF reads only files of the built site, never the "
                          "network or another file of the machine")
        if self.trusting:
            self.trusted.add(local)
        try:
            response = super().fetch(local.as_uri(), headers)
        except Exception:
            self.failed.append(unquote(url))
            raise
        self.loaded[str(local)] = digest_file(local)
        return response

    def _local_file(self, url: str) -> Path | None:
        """The file `url` names, every symlink and `..` resolved; None for the network or another host."""
        parts = urlsplit(url)
        if self.site_url and url.startswith(self.site_url):
            relative = unquote(parts.path)[len(urlsplit(self.site_url).path):]
            path = self.site_dir / relative.lstrip("/")
        elif parts.scheme.lower() == "file" and parts.netloc in ("", "localhost"):
            path = Path(unquote(parts.path))
        else:
            return None
        try:
            return path.resolve(strict=True)
        except (OSError, RuntimeError):
            return path.resolve()  # missing: WeasyPrint reports it as a file it could not load


class Refused(ValueError):
    """An address the PDF may not read; WeasyPrint renders on without it, and the KB warns."""


REFUSED = "refused"  # starts every refusal's message, so the warnings are told apart from load failures


_worker: dict[str, object] = {}  # per process: the parsed stylesheet, fonts and fetcher, built once


def init_worker(context: RenderContext) -> None:
    if _worker.get("context") == context:
        return
    fonts = FontConfiguration()
    fetcher = SiteFetcher(context.site_dir, context.site_url)
    problems: list[str] = []
    fetcher.trusting = True  # the KB's own stylesheet may name the system's fonts
    with _collecting(problems):  # the stylesheet's fonts load here, once: their failures belong to every PDF
        stylesheet = CSS(string=context.css, font_config=fonts, url_fetcher=fetcher)
    fetcher.trusting = False
    problems += [f"Failed to load font at {url!r}" for url in fetcher.failed]
    _worker.update(context=context, fonts=fonts, fetcher=fetcher, css=stylesheet, problems=problems,
                   loaded=dict(fetcher.loaded))


def init_pool_worker(context: RenderContext) -> None:
    """init_worker, in a process that only renders: WeasyPrint builds a great many short-lived objects, and
    rarer collections save about a twentieth of each render."""
    init_worker(context)
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


def render_one(job: Job) -> tuple[str | None, dict[str, str], list[str]]:
    """Render `job` into its target: (the error, or None; the local files loaded, with their digests; the
    addresses refused, as warnings)."""
    fetcher: SiteFetcher = _worker["fetcher"]  # type: ignore[assignment]
    fetcher.loaded = dict(_worker["loaded"])  # type: ignore[arg-type]
    problems: list[str] = list(_worker["problems"])  # type: ignore[arg-type]
    try:
        job.target.parent.mkdir(parents=True, exist_ok=True)
        with _collecting(problems):
            HTML(string=job.html, base_url=job.base_url, url_fetcher=fetcher).write_pdf(
                job.target, stylesheets=[_worker["css"]], font_config=_worker["fonts"], **PDF_OPTIONS)
    except Exception as exc:
        return f"the PDF could not be rendered ({type(exc).__name__}: {exc})", {}, []
    refused = [p for p in dict.fromkeys(problems) if f": {REFUSED} (" in p]
    problems = [p for p in problems if p not in refused]
    if problems:
        return "; ".join(dict.fromkeys(problems)), {}, refused
    return None, dict(fetcher.loaded), refused


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
