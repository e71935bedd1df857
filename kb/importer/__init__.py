"""Import articles from the old knowledge base: BookStack exports become articles with front matter.

One module per concern: `pages` reads page exports (HTML and Markdown), `sections` finds a controlled page's
tables, body and chrome, `control` maps Document Control and Change Control into front matter, `body` converts
the body to Markdown, `media` saves images, `writing` writes the files, `run` drives one import and `command`
is `kb import`.
"""

from kb.importer.command import import_command
from kb.importer.common import ExportError
from kb.importer.run import Draft, Outcome, convert, import_exports
from kb.importer.writing import render_article

__all__ = ["Draft", "ExportError", "Outcome", "convert", "import_command", "import_exports", "render_article"]
