"""The `/// kb-form` Markdown block (pymdown-extensions' blocks API): an email form whose data the author writes.

    /// kb-form | Write the email
        recipient: icloudadmin@apple.com
        subject: I would like to open a deliverability ticket
        fields:
          - {label: Company name, kind: text, required: true}
    ///

The block takes its options loosely typed, validates them with kb.forms.parse_form, and hands the form to
`render` (a callable kb_mkdocs/forms.py supplies, which renders the form's Jinja template); it has no HTML of
its own. A wrong block never gets this far: loading the KB (kb.corpus, for `kb check` and every build) runs
kb.forms.check_page on each page first, so it is an error naming the article and line, not text silently left
on the page.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from typing import Any, Callable

from markdown import Markdown
from markdown.util import AtomicString
from pymdownx.blocks import BlocksExtension, BlocksProcessor
from pymdownx.blocks.block import Block, type_any

from kb.forms import BLOCK_NAME, Form, FormError, parse_form

Renderer = Callable[[Form, str], str]  # (form, element id prefix) -> HTML


class FormBlock(Block):
    NAME = BLOCK_NAME
    ARGUMENT = None  # optional: the heading over the form
    # Typed loosely on purpose: kb.forms validates them and says what is wrong, where a failed pymdownx type
    # check would silently leave the block as plain text.
    OPTIONS = {
        "recipient": (None, type_any),
        "subject": (None, type_any),
        "fields": (None, type_any),
        "title": (None, type_any),
        "intro": (None, type_any),
    }

    def on_markdown(self) -> str:
        return "raw"  # a form block has no Markdown content of its own

    def on_create(self, parent: etree.Element) -> etree.Element:
        return etree.SubElement(parent, "div", {"class": "kb-form-block"})

    def on_end(self, block: etree.Element) -> None:
        render: Renderer = self.config["render"]
        data = {key: value for key, value in self.options.items() if key != "attrs" and value is not None}
        form = parse_form(data, self.argument)
        self.tracker["count"] = number = self.tracker.get("count", 0) + 1
        block.text = AtomicString(self.md.htmlStash.store(render(form, f"kb-form-{number}")))


def _no_renderer(form: Form, form_id: str) -> str:
    raise FormError("/// kb-form needs the site to supply its template: list hooks/kb_hooks.py in mkdocs.yml")


class FormBlockExtension(BlocksExtension):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # (not None: Python-Markdown reads a None default as a yes/no setting)
        self.config = {"render": [_no_renderer, "callable(form, id_prefix) -> HTML; supplied by kb_mkdocs/forms.py"]}
        super().__init__(*args, **kwargs)

    def extendMarkdownBlocks(self, md: Markdown, block_mgr: BlocksProcessor) -> None:
        block_mgr.register(FormBlock, self.getConfigs())


def makeExtension(*args: Any, **kwargs: Any) -> FormBlockExtension:
    return FormBlockExtension(*args, **kwargs)
