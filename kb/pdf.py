"""Print-quality PDFs of articles: WeasyPrint with a lean stylesheet of its own, rendered in parallel across
the cores, behind a content-keyed cache so that an unchanged article is never rendered twice.

The caller hands over finished HTML documents (one per article); this module knows nothing of MkDocs.
"""

from __future__ import annotations

import hashlib
import html as html_text
import json
import multiprocessing
import os
import threading
import re
import time
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable

from kb.pdf_job import PDF_OPTIONS, Job, RenderContext, digest_file

PDF_DIR = "pdf"  # PDFs live in the site under /pdf/<number>-v<version>.pdf


class PdfSettingError(ValueError):
    """KB_PDF set to something that is not on or off."""


@dataclass(frozen=True)
class Outcome:
    job: Job
    rendered: bool = False   # False: reused from the cache
    error: str | None = None
    loaded: dict[str, str] = field(default_factory=dict)  # local files the render read, with their digests
    warnings: list[str] = field(default_factory=list)  # addresses the PDF was refused, rendered without


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    repaired: list[str] = field(default_factory=list)  # cache entries found damaged, rendered again

    @property
    def rendered(self) -> int:
        return sum(1 for o in self.outcomes if o.rendered and o.error is None)

    @property
    def reused(self) -> int:
        return sum(1 for o in self.outcomes if not o.rendered and o.error is None)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.error is not None]

    def summary(self) -> str:
        text = f"PDFs: {self.rendered} rendered, {self.reused} reused"
        if self.failed:
            text += f", {len(self.failed)} failed"
        return f"{text} ({len(self.outcomes)} articles, {self.seconds:.1f} s)"


def enabled(audience: str, env: dict[str, str] | None = None) -> bool:
    """PDFs come with the public build (`make publish`); KB_PDF=1 asks for them in any build, KB_PDF=0 for none."""
    value = (env if env is not None else os.environ).get("KB_PDF", "").strip().lower()
    if not value:
        return audience == "public"
    if value in ("1", "yes", "true", "on"):
        return True
    if value in ("0", "no", "false", "off"):
        return False
    raise PdfSettingError(f"KB_PDF={value!r}: use 1 to render PDFs or 0 to skip them")


def file_name(number: str, version: str) -> str:
    return f"{number}-v{version}.pdf"


def render_all(jobs: list[Job], *, css: str, site_dir: Path, site_url: str, cache_dir: Path | None = None,
               workers: int | None = None, progress: Callable[[int, int], None] | None = None) -> Report:
    """Write every job's PDF, reusing cached ones whose HTML, stylesheet, WeasyPrint and resources are unchanged.

    A job that fails is reported in its Outcome and never stops the others.
    """
    started = time.perf_counter()
    jobs = [replace(job, html=breakable(job.html)) for job in jobs]
    cache = _Cache(cache_dir, css) if cache_dir is not None else None
    report = Report()
    pending: list[Job] = []
    for job in jobs:
        if cache is not None and cache.restore(job):
            report.outcomes.append(Outcome(job))
        else:
            pending.append(job)
    context = RenderContext(css, str(site_dir), site_url)
    for outcome in _render_pending(pending, context, workers or os.cpu_count() or 1, progress):
        if cache is not None and outcome.error is None and not outcome.warnings:  # warned again next time
            cache.store(outcome.job, outcome.loaded)
        report.outcomes.append(outcome)
    if cache is not None:
        cache.prune()
        report.repaired = cache.repaired
    report.seconds = time.perf_counter() - started
    return report



def breakable(html: str) -> str:
    """`html` with a break opportunity (<wbr>) every WORD_PIECE characters of any word longer than LONG_WORD.

    WeasyPrint looks for a break inside an over-long word in time that grows with the square of its length
    (CSS overflow-wrap or word-break included): one 100 KB string kept a publish busy for minutes. Broken
    beforehand, it lays out as lines like any other text, in seconds. A document without such a word is
    returned as it is.
    """
    if not _LONG_RUN.search(html):
        return html
    breaker = _WordBreaker()
    breaker.feed(html)
    breaker.close()
    return "".join(breaker.out)


# Helper functions


def _render_pending(jobs: list[Job], context: RenderContext, workers: int,
                    progress: Callable[[int, int], None] | None) -> list[Outcome]:
    if not jobs:
        return []
    from kb import pdf_engine  # WeasyPrint takes most of a second to import: only when there is work

    # A worker process costs about a render's worth of start-up: only worth it beyond a few articles.
    if workers < 2 or len(jobs) < 4:
        pdf_engine.init_worker(context)
        outcomes = []
        for done, job in enumerate(jobs, 1):
            outcomes.append(_outcome(job, pdf_engine.render_one(job)))
            if progress:
                progress(done, len(jobs))
        return outcomes
    # fork starts workers at once with WeasyPrint already loaded; it is unsafe beside other threads (mkdocs serve)
    methods = multiprocessing.get_all_start_methods()
    method = "fork" if "fork" in methods and threading.active_count() == 1 else \
        "forkserver" if "forkserver" in methods else "spawn"
    outcomes = []
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=multiprocessing.get_context(method),
                             initializer=pdf_engine.init_pool_worker, initargs=(context,)) as pool:
        futures: dict[Future, Job] = {pool.submit(pdf_engine.render_one, job): job for job in jobs}
        for done, future in enumerate(as_completed(futures), 1):
            job = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # the worker itself died: still only this article fails
                result = (f"the PDF could not be rendered ({type(exc).__name__}: {exc})", {}, [])
            outcomes.append(_outcome(job, result))
            if progress:
                progress(done, len(jobs))
    return outcomes


def _outcome(job: Job, result: tuple[str | None, dict[str, str], list[str]]) -> Outcome:
    error, loaded, warnings = result
    if error is not None and job.target.is_file():
        job.target.unlink()  # no half-right PDF is ever published
    return Outcome(job, rendered=True, error=error, loaded=loaded, warnings=warnings)


LONG_WORD, WORD_PIECE = 64, 48
_LONG_RUN = re.compile(r"[^\s<>]{%d,}" % (LONG_WORD + 1))  # also matches inside tags: then the parser decides
_LONG_WORD = re.compile(r"(\S{%d,})" % (LONG_WORD + 1))


def _escape(text: str) -> str:
    return html_text.escape(text, quote=False)


class _WordBreaker(HTMLParser):
    """Copies a document, tags as written, breaking the long words of its text (never in script, style,
    title or textarea, whose text is not laid out as words)."""

    RAW = ("script", "style", "title", "textarea")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.raw: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.out.append(self.get_starttag_text() or "")
        if tag in self.RAW:
            self.raw = tag

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")
        if tag == self.raw:
            self.raw = None

    def handle_data(self, data: str) -> None:
        if self.raw in ("script", "style"):  # read raw by the parser: written back raw
            self.out.append(data)
            return
        if self.raw is not None:
            self.out.append(_escape(data))
            return
        for place, piece in enumerate(_LONG_WORD.split(data)):
            if place % 2:  # split() puts the long words at odd places
                pieces = (piece[i:i + WORD_PIECE] for i in range(0, len(piece), WORD_PIECE))
                self.out.append("<wbr>".join(map(_escape, pieces)))
            else:
                self.out.append(_escape(piece))

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.out.append(f"<![{data}]>")


class _Cache:
    """`<key>.pdf` plus `<key>.json` (the PDF's own digest, and the local files it loaded with theirs).

    The key covers the HTML (which carries the print date), the stylesheet, WeasyPrint's version and the
    page's address; the loaded files' digests catch an image or font that changed under an unchanged page;
    the PDF's digest, recorded as it is written, catches an entry truncated, corrupted or swapped since: it
    is rendered again, never published as it is. Entries no publish has used for KEEP_DAYS are removed,
    and so are the temporary files of a publish that was killed while writing one.
    """

    KEEP_DAYS = 30

    def __init__(self, folder: Path, css: str) -> None:
        from importlib.metadata import version

        self.folder = folder
        self.salt = f"weasyprint {version('weasyprint')}\0{PDF_OPTIONS}\0{css}\0"
        self.digests: dict[str, str] = {}  # the fonts are shared by every PDF: hash each file once a run
        self.repaired: list[str] = []  # "<article>: PDF: why its cached copy was not used"

    def key(self, job: Job) -> str:
        return hashlib.sha256(f"{self.salt}{job.base_url}\0{job.html}".encode()).hexdigest()

    def restore(self, job: Job) -> bool:
        key = self.key(job)
        pdf, manifest = self.folder / f"{key}.pdf", self.folder / f"{key}.json"
        try:
            text = manifest.read_text(encoding="utf-8")
        except OSError:
            return False  # never rendered with this content
        try:
            entry = json.loads(text)
            data = pdf.read_bytes()
        except (OSError, ValueError) as exc:
            return self._damaged(job, pdf, f"cannot be read ({type(exc).__name__})")
        if not isinstance(entry, dict) or not isinstance(entry.get("loaded"), dict) or "pdf" not in entry:
            return self._damaged(job, pdf, "has no digest recorded")
        if hashlib.sha256(data).hexdigest() != entry["pdf"]:
            return self._damaged(job, pdf, "differs from the digest recorded when it was written")
        if any(self.digest(p) != d for p, d in entry["loaded"].items()):
            return False
        job.target.parent.mkdir(parents=True, exist_ok=True)
        job.target.write_bytes(data)  # the bytes just checked, not the file again
        os.utime(manifest)  # used today: kept by prune()
        return True

    def digest(self, path: str) -> str:
        if path not in self.digests:
            self.digests[path] = digest_file(Path(path))
        return self.digests[path]

    def prune(self) -> None:
        cutoff = time.time() - self.KEEP_DAYS * 86400
        for manifest in self.folder.glob("*.json"):
            try:
                if manifest.stat().st_mtime < cutoff:
                    manifest.with_suffix(".pdf").unlink(missing_ok=True)
                    manifest.unlink()
            except OSError:
                pass
        for temporary in self.folder.glob(".*.*"):  # .<name>.<pid>, left by a publish killed while writing it
            pid = temporary.suffix.lstrip(".")
            try:
                if pid.isdigit() and (not _running(int(pid)) or temporary.stat().st_mtime < time.time() - 3600):
                    temporary.unlink()
            except OSError:
                pass

    def store(self, job: Job, loaded: dict[str, str]) -> None:
        key = self.key(job)
        try:
            data = job.target.read_bytes()
            entry = {"pdf": hashlib.sha256(data).hexdigest(), "loaded": loaded}
            self.folder.mkdir(parents=True, exist_ok=True)
            # written aside and renamed: a publish running at the same time never reads half a file
            for name, content in ((f"{key}.pdf", data), (f"{key}.json", json.dumps(entry).encode())):
                temporary = self.folder / f".{name}.{os.getpid()}"
                temporary.write_bytes(content)
                os.replace(temporary, self.folder / name)
        except OSError:
            pass  # a cache that cannot be written only costs time on the next publish

    def _damaged(self, job: Job, pdf: Path, why: str) -> bool:
        self.repaired.append(f"{job.source}: PDF: the cached copy {pdf.name} {why}: rendered again")
        return False


def _running(pid: int) -> bool:
    """A process with this id exists (a publish still writing its temporary files)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process
    return True
