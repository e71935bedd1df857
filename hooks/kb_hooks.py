"""The KB's MkDocs entry point (mkdocs.yml `hooks:`): every event goes to the one build object.

All the work is in the kb_mkdocs package (kb_mkdocs/build.py: KnowledgeBaseBuild), which calls the core (`kb`)
in a fixed order. This module holds nothing else, so the order of entries under `hooks:` cannot matter.
`mkdocs serve` loads this module once and keeps the object between rebuilds.
"""

from kb_mkdocs import KnowledgeBaseBuild

_build = KnowledgeBaseBuild()

on_startup = _build.on_startup
on_config = _build.on_config
on_files = _build.on_files
on_nav = _build.on_nav
on_env = _build.on_env
on_page_read_source = _build.on_page_read_source
on_page_markdown = _build.on_page_markdown
on_page_content = _build.on_page_content
on_page_context = _build.on_page_context
on_post_page = _build.on_post_page
on_template_context = _build.on_template_context
on_post_build = _build.on_post_build
