"""The `kb` command: the KB's rules without building the site. Every command lives in this package, one
module per area (`articles`: list, check, schema, revise, approve; `reviews`; `importing`: kb import), all
added to the one group below."""

from __future__ import annotations

import importlib
from typing import Any

import click

from kb.cli import articles, reviews
from kb.terminal import printable


class _Commands(click.Group):
    """Commands from heavy modules (`lazy`: name -> "module:attribute") load only when they run, so that
    `kb check` does not wait for an HTML parser to import."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy: dict[str, str] = {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy and name not in self.commands:
            module, _, attribute = self.lazy[name].partition(":")
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        return super().get_command(ctx, name)

    def invoke(self, ctx: click.Context) -> Any:
        """A file that cannot be read or written (a read-only docs/, a full disk) is an error message, not a
        traceback."""
        try:
            return super().invoke(ctx)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            raise click.ClickException(printable(f"{where}{exc.strerror or exc}")) from None


@click.group(cls=_Commands)
def main() -> None:
    """Controlled-document knowledge base: check, list, revise and approve articles."""


for command in (articles.list_articles, articles.check, articles.schema, articles.revise, articles.approve,
                reviews.reviews_command):
    main.add_command(command)
main.lazy["import"] = "kb.cli.importing:import_command"  # BeautifulSoup and markdownify: a fifth of a second to import
