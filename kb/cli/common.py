"""What every `kb` command shares: the --config-file and --site options, and opening the KB with clear errors."""

from __future__ import annotations

from datetime import date

import click

from kb import corpus, dates, settings
from kb.corpus import KnowledgeBase

config_option = click.option("--config-file", "-f", default="mkdocs.yml", show_default=True,
                             type=click.Path(dir_okay=False), help="The KB's mkdocs.yml.")
site_option = click.option("--site", type=click.Choice(["internal", "public"]), default="internal", show_default=True,
                           help="Which site the printed links name (extra.kb.sites in mkdocs.yml): the internal KB, "
                                "or the public hub, which has only the articles it publishes.")


def open_settings(config_file: str) -> tuple[settings.Settings, date]:
    """The KB's settings and today's date (KB_TODAY), or a ClickException saying what is wrong."""
    try:
        kb_settings = settings.load(config_file)
        today = dates.today()
    except (settings.SettingsError, dates.DateSettingError) as exc:
        raise click.ClickException(str(exc)) from None
    if not kb_settings.docs_dir.is_dir():
        raise click.ClickException(f"no docs folder at {kb_settings.docs_dir}")
    return kb_settings, today


def open_kb(config_file: str) -> KnowledgeBase:
    """The whole KB, read and checked."""
    return corpus.load(*open_settings(config_file))
