"""MkDocs hooks: one PDF per published article (kb.pdf renders them), linked from its page as "Download PDF".

PDFs come with the public build (`make publish`) or with KB_PDF=1; `make build` and `make serve` skip them.
Each page's printable document is collected as the page is built; all of them render after the build.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from kb import build, pdf
from kb import printing as paper
from kb.model import Article

log = logging.getLogger("mkdocs.plugins.kb")

STYLESHEET = "kb/pdf.css"  # in overrides/: WeasyPrint's lean stylesheet, not a file of the site


def on_config(config: MkDocsConfig) -> None:
    current = build.current()
    try:
        wanted = pdf.enabled(current.audience)
    except pdf.PdfSettingError as exc:
        raise PluginError(str(exc)) from None
    current.extras["pdf"] = _Printing() if wanted else None


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    """Keep the site's (autoescaping) template environment for the printable documents."""
    printing = _printing()
    if printing is not None:
        printing.env = env
    return env


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """The PDF stylesheet sits with the templates, but is no file of the site."""
    stylesheet = files.get_file_from_path(STYLESHEET)
    if stylesheet is not None:
        files.remove(stylesheet)
    return files


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    printing, article = _printing(), _article(page)
    if printing is not None and article is not None:
        context["kb_pdf"] = f"{pdf.PDF_DIR}/{_file_name(article)}"
        printing.views[page.file.src_uri] = context["kb_article"]  # the PDF prints what the page shows
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str | None:
    """Keep the page's printable document for on_post_build."""
    printing, article = _printing(), _article(page)
    if printing is None or article is None:
        return None
    current = build.current()
    target = Path(config.site_dir) / pdf.PDF_DIR / _file_name(article)
    if any(job.target == target for job in printing.jobs):
        return None  # an approved copy served at its article's address too: one PDF of it is enough
    try:
        html = printing.env.get_template("kb/pdf.html").render(
            config=config, page=page, base_url=".", kb_pdf=None,
            kb_article=printing.views.pop(page.file.src_uri), kb_body=paper.with_addresses(page.content or ""),
            kb_print={"date": current.kb.settings.policy.format_date(current.today),
                      "iso_date": current.today.isoformat(), "state": _state(article)})
    except Exception as exc:  # one article's printable document must not stop the others' PDFs
        log.error(f"{article.path}: PDF: the printable document could not be made ({type(exc).__name__}: {exc})")
        return None
    site_url = config.site_url or Path(config.site_dir).resolve().as_uri() + "/"
    printing.jobs.append(pdf.Job(source=article.path, html=html, target=target,
                                 base_url=site_url.rstrip("/") + "/" + page.url))
    return None


def on_post_build(config: MkDocsConfig) -> None:
    printing = _printing()
    if printing is None or not printing.jobs:
        return
    css, _, _ = printing.env.loader.get_source(printing.env, STYLESHEET)
    report = pdf.render_all(printing.jobs, css=css, site_dir=Path(config.site_dir), site_url=config.site_url or "",
                            cache_dir=Path(config.config_file_path).parent / ".cache" / "pdf",
                            progress=_Progress())
    for note in report.repaired:
        log.info(note)
    for outcome in sorted(report.outcomes, key=lambda o: o.job.source):
        for refused in outcome.warnings:  # a file outside the site, or an address on the network
            log.warning(f"{outcome.job.source}: PDF: {refused}")
    for outcome in sorted(report.failed, key=lambda o: o.job.source):
        log.error(f"{outcome.job.source}: PDF: {outcome.error}")
    log.info(report.summary())


# Helper functions


@dataclass
class _Printing:
    jobs: list[pdf.Job] = field(default_factory=list)
    views: dict[str, dict[str, Any]] = field(default_factory=dict)  # page -> kb_article, until it is printed
    env: Any = None


def _printing() -> _Printing | None:
    return build.current().extras.get("pdf")


def _article(page: Page) -> Article | None:
    """The version of an article this page shows (an approved copy, while its article is a draft), if any."""
    served = build.current().version_at(page.file.src_uri)
    return served if served is not None and served.number else None


def _state(article: Article) -> str:
    """What every page of a copy that is not the current version says: Superseded, Draft or Withdrawn."""
    return "" if article.status == "current" else str(article.status or "").capitalize()


def _file_name(article: Article) -> str:
    return pdf.file_name(article.number or "", str(article.fields.get("version", "")))


class _Progress:
    """Logs how far a long render has got, every few seconds."""

    def __init__(self, every: float = 3.0) -> None:
        self.every, self.last = every, time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        if time.monotonic() - self.last >= self.every and done < total:
            self.last = time.monotonic()
            log.info(f"PDFs: {done} of {total} rendered")
