"""The `/// kb-rejection-codes` Markdown block: the table of known iCloud rejection messages.

    /// kb-rejection-codes
    ///

The rows come from the rejection-codes data file (data/icloud-rejections.yml), the same one the ticket
form's hints use, so the article and the form never disagree. Like `/// kb-form`, the block has no HTML of
its own: kb_mkdocs/forms.py supplies `render`, which renders partials/kb/rejection-codes.html.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from typing import Any, Callable

from markdown import Markdown
from markdown.util import AtomicString
from pymdownx.blocks import BlocksExtension, BlocksProcessor
from pymdownx.blocks.block import Block

Renderer = Callable[[], str]


class RejectionCodesBlock(Block):
    NAME = "kb-rejection-codes"
    ARGUMENT = False

    def on_markdown(self) -> str:
        return "raw"

    def on_create(self, parent: etree.Element) -> etree.Element:
        return etree.SubElement(parent, "div", {"class": "kb-rejection-codes"})

    def on_end(self, block: etree.Element) -> None:
        render: Renderer = self.config["render"]
        block.text = AtomicString(self.md.htmlStash.store(render()))


def _no_renderer() -> str:
    raise ValueError("/// kb-rejection-codes needs the site's template: list hooks/kb_hooks.py in mkdocs.yml")


class RejectionCodesExtension(BlocksExtension):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.config = {"render": [_no_renderer, "callable() -> HTML; supplied by kb_mkdocs/forms.py"]}
        super().__init__(*args, **kwargs)

    def extendMarkdownBlocks(self, md: Markdown, block_mgr: BlocksProcessor) -> None:
        block_mgr.register(RejectionCodesBlock, self.getConfigs())


def makeExtension(*args: Any, **kwargs: Any) -> RejectionCodesExtension:
    return RejectionCodesExtension(*args, **kwargs)
