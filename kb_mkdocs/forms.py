"""The renderers of the `/// kb-form` and `/// kb-rejection-codes` blocks, and which pages load the form's script.

The blocks themselves are the Markdown extensions kb.form_block and kb.codes_block (listed under
markdown_extensions); this hands them the theme's templates and the known iCloud rejection codes. A wrong block
is found with the KB's other problems when the build loads the KB (kb.corpus runs kb.forms.check_page), as
`kb check` finds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

from kb import forms, rejections

EXTENSION = "kb.form_block"
TEMPLATE = "partials/kb/form.html"
CODES_EXTENSION = "kb.codes_block"  # /// kb-rejection-codes: the article's table of the same codes
CODES_TEMPLATE = "partials/kb/rejection-codes.html"


@dataclass
class Forms:
    codes: list[rejections.Rejection] = field(default_factory=list)

    @classmethod
    def configure(cls, config: MkDocsConfig, codes_file: Path | None, env: Environment) -> Forms:
        """Give the form block its renderer, with the rejection codes its hints explain (`env`: the theme's
        templates, autoescaped as kb.templating says)."""
        if EXTENSION not in config.markdown_extensions:
            raise PluginError(f"hooks/kb_hooks.py: add {EXTENSION} to markdown_extensions in mkdocs.yml")
        built = cls(_rejection_codes(codes_file))
        template = env.get_template(TEMPLATE)
        hints = [code.as_hint() for code in built.codes]

        def render(form: forms.Form, form_id: str) -> str:
            return template.render(form=form, form_id=form_id, codes=hints)

        config.mdx_configs.setdefault(EXTENSION, {})["render"] = render
        if CODES_EXTENSION in config.markdown_extensions:
            table = env.get_template(CODES_TEMPLATE)
            config.mdx_configs.setdefault(CODES_EXTENSION, {})["render"] = lambda: table.render(codes=built.codes)
        return built

    @staticmethod
    def has_form(page: Page) -> bool:
        """Pages with a form load its script (overrides/main.html), which loads its stylesheet; no other page does."""
        return forms.BLOCK_MARK in (page.markdown or "") and bool(forms.find_forms(page.markdown))


# Helper functions


def _rejection_codes(path: Path | None) -> list[rejections.Rejection]:
    if path is None:
        raise PluginError("mkdocs.yml: extra.kb.rejection_codes must name the rejection-codes file "
                          "(data/icloud-rejections.yml)")
    try:
        return rejections.load_rejections(path)
    except rejections.RejectionsError as exc:
        raise PluginError(str(exc)) from None
