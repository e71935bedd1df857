"""`kb reviews`: what is due or overdue for review, as text for a person or JSON for a script."""

from __future__ import annotations

import sys

import click

from kb import site_pages
from kb.cli.common import config_option, open_kb, site_option
from kb.dashboard import due_rows, review_rows
from kb.terminal import json_text, printable


@click.command("reviews")
@config_option
@click.option("--due-within", type=click.IntRange(min=0), metavar="DAYS",
              help="List every review date at most DAYS away. Default: the policy's warning window.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@site_option
def reviews_command(config_file: str, due_within: int | None, fmt: str, site: str) -> None:
    """What is due or overdue for review, with each owner's email and the article's link; exit 1 when anything
    is overdue."""
    kb = open_kb(config_file)
    kb_settings = kb.settings
    rows = due_rows(review_rows(kb, lambda a: site_pages.page_url(kb, a, site)), due_within)
    overdue = sum(r.state == "overdue" for r in rows)
    if fmt == "json":
        click.echo(json_text({"today": kb.today.isoformat(), "due_within": due_within,
                              "warning_days": kb_settings.policy.review_warning_days,
                              "overdue": overdue, "due": len(rows) - overdue,
                              "articles": [r.as_json() for r in rows]}))
    else:
        fmt_date = kb_settings.policy.format_date
        if not rows:
            click.echo("Nothing is due for review.")
        for r in rows:
            lines = [f"{r.state.upper():8} {r.number}  v{r.version}  {r.name}",  # each line escaped: no forged rows
                     f"         review by {fmt_date(r.review_date)} ({r.when}); "
                     f"owner {r.owner} <{r.owner_email or 'no email in authors.yml'}>"]
            click.echo("\n".join(printable(line) for line in lines + ([f"         {r.url}"] if r.url else [])))
        within = f" within {due_within} days" if due_within is not None else ""
        click.echo(f"{overdue} overdue, {len(rows) - overdue} due{within} (as of {kb.today.isoformat()})", err=True)
    sys.exit(1 if overdue else 0)
