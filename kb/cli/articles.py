"""`kb list`, `kb check`, `kb schema`, `kb revise` and `kb approve`: the articles, their problems, their versions."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from kb import site_pages, versions
from kb.cli.common import config_option, open_kb, site_option
from kb.dashboard import iso_date
from kb.terminal import echo, json_text, printable


@click.command("list")
@config_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@site_option
def list_articles(config_file: str, fmt: str, site: str) -> None:
    """Every article's number, name, version, status, review date and link (none where the site has no page)."""
    kb = open_kb(config_file)
    rows = [{
        "number": a.number or "", "name": a.control.name or "", "version": a.control.version or "",
        "status": a.status or "", "review_date": iso_date(a.control.review_date) or "", "path": a.path,
        "url": site_pages.page_url(kb, a, site),
    } for a in sorted(kb.articles, key=lambda a: (a.number or "", a.path)) if not a.is_archive]
    if fmt == "json":
        click.echo(json_text(rows))
        return
    if not rows:
        click.echo("No articles.")
        return
    _table([{**row, "url": row["url"] or "-"} for row in rows], ["number", "name", "version", "status", "review_date", "url"],
           ["Number", "Name", "Version", "Status", "Review date", "Link"])


@click.command()
@config_option
@click.option("--strict", is_flag=True, help="Fail on warnings (an overdue review) too.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def check(config_file: str, strict: bool, fmt: str) -> None:
    """Validate every article's front matter; one line per problem, exit 1 on errors."""
    kb = open_kb(config_file)
    failed = bool(kb.errors) or (strict and bool(kb.warnings))
    if fmt == "json":
        click.echo(json_text({"ok": not failed, "articles": len(kb.articles),
                              "problems": [p.as_json() for p in kb.problems]}))
    else:
        for problem in kb.problems:
            click.echo(str(problem), err=False)  # escaped by Problem itself
        summary = (f"{len(kb.articles)} article(s) checked: {len(kb.errors)} error(s), "
                   f"{len(kb.warnings)} warning(s)")
        click.echo(summary, err=True)
    sys.exit(1 if failed else 0)


@click.command()
def schema() -> None:
    """The JSON Schema of an article's front matter, for editors."""
    from kb.schema import front_matter_schema

    click.echo(json.dumps(front_matter_schema(), indent=2))


@click.command()
@config_option
@click.argument("number")
@click.option("--change", required=True, help="What changes in the new version (its change-control row).")
@click.option("--author", required=True, help="Key in docs/authors.yml of who makes the change.")
def revise(config_file: str, number: str, change: str, author: str) -> None:
    """Archive the approved version and open the next minor version as a draft."""
    kb = open_kb(config_file)
    _apply(lambda: versions.revise(kb, number, change, author, kb.today))
    article = kb.by_number(number)
    echo(f"{number}: v{article.control.version} archived as "
         f"{versions.archive_path(article.path, article.control.version)}; "
         f"v{versions.next_minor(article.control.version)} is open as a draft in {article.path}")


@click.command()
@config_option
@click.argument("number")
@click.option("--by", "by", required=True, help="Who approves (shown as Approval).")
def approve(config_file: str, number: str, by: str) -> None:
    """Make the draft current, approved today; the previous version becomes superseded."""
    kb = open_kb(config_file)
    writes = _apply(lambda: versions.approve(kb, number, by, kb.today))
    article = kb.by_number(number)
    superseded = sum(write.path != kb.settings.docs_dir / article.path for write in writes)
    if superseded == len(writes):  # the article was approved already: an interrupted approve, finished
        echo(f"{number}: v{article.control.version} was already approved; {superseded} earlier version(s) "
             "left current by an interrupted approve now superseded")
        return
    review = kb.settings.policy.latest_review_date(kb.today)
    echo(f"{number}: v{article.control.version} approved by {by} on {kb.today.isoformat()}, "
         f"review by {review.isoformat()}; {superseded} earlier version(s) superseded")


# Helper functions


def _apply(plan: Any) -> list[versions.Write]:
    """Run a versions operation; a refusal (nothing is written) or a failed write is a clear error."""
    try:
        writes = plan()
        versions.apply(writes)
    except (versions.VersionError, ValueError) as exc:
        raise click.ClickException(printable(exc)) from None
    return writes


def _table(rows: list[dict[str, Any]], keys: list[str], headers: list[str]) -> None:
    cells = [[printable(row[k]) for k in keys] for row in rows]  # one value, one cell: no forged rows
    widths = [max(len(h), *(len(row[i]) for row in cells)) for i, h in enumerate(headers)]
    click.echo("  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip())
    for row in cells:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
