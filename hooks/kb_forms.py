"""MkDocs hooks for `/// kb-form` and `/// kb-rejection-codes` blocks: render them from templates.

The block itself is the Markdown extension kb.form_block (listed under markdown_extensions); this file hands
it the theme's template and the known iCloud rejection codes. A wrong block is found with the KB's other
problems when hooks/kb_hooks.py loads the KB (kb.corpus runs kb.forms.check_page), as `kb check` finds it.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
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


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    """Pages with a form load its script (overrides/main.html), which loads its stylesheet; no other page does."""
    context["kb_has_form"] = forms.BLOCK_MARK in (page.markdown or "") and bool(forms.find_forms(page.markdown))
    return context


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
