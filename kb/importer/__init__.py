"""Import from the old knowledge base: BookStack exports become articles, plain pages and book folders.

One module per concern. Reading: `zipexport` (the portable ZIP) and `pages` (HTML and Markdown exports of a
page, chapter or book) hand on an `exported.Export`. Mapping: `sections` finds a controlled page's tables,
body and chrome, `control` turns Document Control and Change Control into front matter. The body: `body`
converts it to Markdown (tables, callouts, details, code), `links` resolves links between imported pages,
`media` takes images and attachments only from inside the export, `sanitise` is the allow-list every body goes
through. `writing` writes files atomically inside docs/, and `run` drives one import in two passes; `kb import`
itself is in kb.cli.importing.
"""

from kb.importer.common import ExportError
from kb.importer.run import Draft, Outcome, convert, import_exports
from kb.importer.writing import render_article

__all__ = ["Draft", "ExportError", "Outcome", "convert", "import_exports", "render_article"]
