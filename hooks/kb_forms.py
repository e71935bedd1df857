"""MkDocs hooks for `/// kb-form` blocks: check them before Markdown runs, and render them from a template.

The block itself is the Markdown extension kb.form_block (listed under markdown_extensions); this file hands
it the theme's template and the known iCloud rejection codes, and turns a wrong block into a build error.
"""

from __future__ import annotations


from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from kb import build, forms, rejections, templating

EXTENSION = "kb.form_block"
TEMPLATE = "partials/kb/form.html"
CODES_EXTENSION = "kb.codes_block"  # /// kb-rejection-codes: the article's table of the same codes
CODES_TEMPLATE = "partials/kb/rejection-codes.html"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Give the form block its renderer, with the rejection codes its hints explain."""
    if EXTENSION not in config.markdown_extensions:
        raise PluginError(f"hooks/kb_forms.py: add {EXTENSION} to markdown_extensions in mkdocs.yml")
    codes = _rejection_codes(build.current())
    template = templating.autoescaped(config.theme.get_env()).get_template(TEMPLATE)

    def render(form: forms.Form, form_id: str) -> str:
        return template.render(form=form, form_id=form_id, codes=[code.as_hint() for code in codes])

    config.mdx_configs.setdefault(EXTENSION, {})["render"] = render
    if CODES_EXTENSION in config.markdown_extensions:
        table = templating.autoescaped(config.theme.get_env()).get_template(CODES_TEMPLATE)
        config.mdx_configs.setdefault(CODES_EXTENSION, {})["render"] = lambda: table.render(codes=codes)
    return config


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """A wrong form block stops the build and names the article, the line and the field."""
    source = page.file.content_string  # the whole file, so line numbers count the front matter too
    _, problems = forms.check_page(page.file.src_uri, source)
    if problems:
        article = build.current().kb.by_path(page.file.src_uri)
        name = f"{article.title} ({page.file.src_uri})" if article else page.file.src_uri
        listing = "\n".join(f"  {problem}" for problem in problems)
        raise PluginError(f"{len(problems)} problem(s) in the form block of {name}:\n{listing}")
    return None


# Helper functions


def _rejection_codes(current: build.Build) -> list[rejections.Rejection]:
    cached = current.extras.get("rejections")
    if cached is None:
        path = current.kb.settings.rejection_codes
        if path is None:
            raise PluginError("mkdocs.yml: extra.kb.rejection_codes must name the rejection-codes file "
                              "(data/icloud-rejections.yml)")
        try:
            cached = current.extras["rejections"] = rejections.load_rejections(path)
        except rejections.RejectionsError as exc:
            raise PluginError(str(exc)) from None
    return cached
