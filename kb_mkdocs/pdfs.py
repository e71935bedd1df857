"""One PDF per published article (kb.pdf renders them), linked from its page as "Download PDF".

PDFs come with the public build (`make publish`) or with KB_PDF=1; `make build` and `make serve` skip them.
Each page's printable document is collected as the page is built; all of them render after the build.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from kb import pdf
from kb.corpus import KnowledgeBase
from kb.model import Article

log = logging.getLogger("mkdocs.plugins.kb")

STYLESHEET = "kb/pdf.css"  # in overrides/: WeasyPrint's lean stylesheet, not a file of the site


@dataclass
class Printing:
    """The printable documents of this build, collected page by page and rendered in on_post_build."""

    jobs: list[pdf.Job] = field(default_factory=list)
    views: dict[str, dict[str, Any]] = field(default_factory=dict)  # page -> its article view, until printed
    env: Environment | None = None  # the site's (autoescaping) template environment

    @classmethod
    def configure(cls, audience: str) -> Printing | None:
        """A Printing when this build makes PDFs, else None."""
        try:
            return cls() if pdf.enabled(audience) else None
        except pdf.PdfSettingError as exc:
            raise PluginError(str(exc)) from None

    @staticmethod
    def leave_out_stylesheet(files: Files) -> None:
        """The PDF stylesheet sits with the templates, but is no file of the site."""
        stylesheet = files.get_file_from_path(STYLESHEET)
        if stylesheet is not None:
            files.remove(stylesheet)

    def link(self, page: Page, article: Article, view: dict[str, Any]) -> str:
        """The page's "Download PDF" link; the PDF prints what the page shows (its view)."""
        self.views[page.file.src_uri] = view
        return f"{pdf.PDF_DIR}/{_file_name(article)}"

    def collect(self, page: Page, article: Article, config: MkDocsConfig, kb: KnowledgeBase, today: date) -> None:
        """Keep the page's printable document for render()."""
        from kb import printing as paper  # BeautifulSoup: loaded by builds that make PDFs only

        target = Path(config.site_dir) / pdf.PDF_DIR / _file_name(article)
        if any(job.target == target for job in self.jobs):
            return  # an approved copy served at its article's address too: one PDF of it is enough
        try:
            html = self.env.get_template("kb/pdf.html").render(
                config=config, page=page, base_url=".", kb_pdf=None,
                kb_article=self.views.pop(page.file.src_uri), kb_body=paper.with_addresses(page.content or ""),
                kb_print={"date": kb.settings.policy.format_date(today),
                          "iso_date": today.isoformat(), "state": _state(article)})
        except Exception as exc:  # one article's printable document must not stop the others' PDFs
            log.error(f"{article.path}: PDF: the printable document could not be made ({type(exc).__name__}: {exc})")
            return
        site_url = config.site_url or Path(config.site_dir).resolve().as_uri() + "/"
        self.jobs.append(pdf.Job(source=article.path, html=html, target=target,
                                 base_url=site_url.rstrip("/") + "/" + page.url))

    def render(self, config: MkDocsConfig) -> None:
        """Render every collected document (kb.pdf reuses what its cache already holds) and log the outcome."""
        if not self.jobs:
            return
        css, _, _ = self.env.loader.get_source(self.env, STYLESHEET)
        report = pdf.render_all(self.jobs, css=css, site_dir=Path(config.site_dir), site_url=config.site_url or "",
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


def _state(article: Article) -> str:
    """What every page of a copy that is not the current version says: Superseded, Draft or Withdrawn."""
    return "" if article.status == "current" else str(article.status or "").capitalize()


def _file_name(article: Article) -> str:
    return pdf.file_name(article.number or "", article.control.version or "")


class _Progress:
    """Logs how far a long render has got, every few seconds."""

    def __init__(self, every: float = 3.0) -> None:
        self.every, self.last = every, time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        if time.monotonic() - self.last >= self.every and done < total:
            self.last = time.monotonic()
            log.info(f"PDFs: {done} of {total} rendered")
