"""`kb import`: the command around the importer; one line per article on stdout, what to fix on stderr."""

from __future__ import annotations

from pathlib import Path

import click

from kb import corpus, site_pages
from kb.cli.common import config_option, open_settings, site_option
from kb.corpus import AUTHORS_FILE
from kb.importer.media import IMAGE_EXTENSIONS
from kb.importer.run import import_exports
from kb.importer.writing import BOOK_RE
from kb.terminal import echo, echo_lines


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--book", required=True, help="The book (folder under docs/) to import into, e.g. apple-icloud.")
@click.option("--audience", type=click.Choice(["internal", "public"]), default="internal", show_default=True,
              help="Audience of the imported articles.")
@click.option("--tag", "tags", multiple=True, help="A tag for every imported article (repeatable).")
@click.option("--dry-run", is_flag=True, help="Print what would be written; write nothing.")
@click.option("--force", is_flag=True, help="Replace an existing article with the same number.")
@config_option
@site_option
def import_command(paths: tuple[Path, ...], book: str, audience: str, tags: tuple[str, ...], dry_run: bool,
                   force: bool, config_file: str, site: str) -> None:
    """Import BookStack exports (portable ZIP, HTML or Markdown; a page, a chapter or a book) into docs/BOOK/."""
    if not BOOK_RE.match(book):
        raise click.BadParameter("a book is a folder name: lower-case letters, digits, '-', '_' or '.'",
                                 param_hint="--book")
    kb_settings, today = open_settings(config_file)
    outcomes = import_exports(paths, kb_settings, book, audience=audience, tags=tags, force=force,
                              dry_run=dry_run, today=today)
    docs = kb_settings.docs_dir.name
    kb = None if dry_run else corpus.load(kb_settings, today)  # as imported: each article's page on --site
    for outcome in outcomes:
        draft = outcome.draft
        if draft is not None:
            for note in draft.notes:
                echo(f"{outcome.where}: {note}", err=True)
        if outcome.error is not None:
            echo(f"{outcome.where}: error: {outcome.error}", err=True)
            continue
        assert draft is not None
        for problem in outcome.problems:
            echo(str(problem), err=True)
        what = f"{draft.number} v{draft.version} {draft.status}".strip() if draft.is_article else draft.status
        replaced = f", replacing {docs}/{outcome.replaced}" if outcome.replaced else ""
        if dry_run:
            echo(f"would write {docs}/{draft.rel} ({what}) from {outcome.where}{replaced}")
            for key, entry in draft.authors.items():
                echo(f"would add author {key} to {docs}/{AUTHORS_FILE}: {entry}")
            for rel in draft.images:
                echo(f"would save {'image' if rel.rsplit('.', 1)[-1] in IMAGE_EXTENSIONS else 'file'} "
                           f"{docs}/{rel}")
            echo_lines(draft.text)
        else:
            unchanged = "" if outcome.files else ", unchanged"  # a re-import of the same export writes nothing
            echo(f"imported {outcome.where} -> {docs}/{draft.rel} ({what}){replaced}{unchanged}"
                       f"{_link(kb, draft.rel, site)}")
    pages = [o for o in outcomes if not o.is_index]  # the summary counts pages, not the indexes beside them
    refused = sum(1 for o in outcomes if o.error is not None)
    to_fix = sum(1 for o in outcomes if o.error is None and o.failed)
    if refused or to_fix:
        done = "would be imported" if dry_run else "imported"
        echo(f"{len(pages) - refused} of {len(pages)} input(s) {done}, {to_fix} of them with problems "
                   f"to fix; {refused} failed (see above)", err=True)
    raise SystemExit(1 if refused or to_fix else 0)


def _link(kb: corpus.KnowledgeBase, rel: str, site: str) -> str:
    """': <the imported article's address on `site`>', or nothing when that site has no page for it."""
    article = kb.by_path(rel)
    url = site_pages.page_url(kb, article, site) if article is not None else None
    return f": {url}" if url else ""
