"""kb.form_block: the `/// kb-form` Markdown block hands its validated data to the site's renderer."""

from __future__ import annotations

import markdown
import pytest

from kb.form_block import FormBlockExtension
from kb.forms import Form, FormError

SOURCE = """\
Before.

/// kb-form | Write the email
    recipient: icloudadmin@apple.com
    subject: I would like to open a deliverability ticket
    fields:
      - {label: Company name, required: true}
///

/// kb-form
    recipient: hub@safeharboursupport.com
    subject: Second <form>
    fields: [{label: Question, kind: long-text}]
///
"""


def test_each_block_is_rendered_by_the_site_renderer_in_place():
    seen: list[tuple[Form, str]] = []

    def render(form: Form, form_id: str) -> str:
        seen.append((form, form_id))
        return f'<section id="{form_id}">{len(seen)}</section>'

    html = markdown.markdown(SOURCE, extensions=[FormBlockExtension(render=render)])
    assert [(form.title, form.subject, form_id) for form, form_id in seen] == [
        ("Write the email", "I would like to open a deliverability ticket", "kb-form-1"),
        (None, "Second <form>", "kb-form-2")]
    assert html == ('<p>Before.</p>\n<div class="kb-form-block"><section id="kb-form-1">1</section></div>\n'
                    '<div class="kb-form-block"><section id="kb-form-2">2</section></div>')


def test_without_a_renderer_the_block_says_what_is_missing():
    with pytest.raises(FormError, match="list hooks/kb_hooks.py in mkdocs.yml"):
        markdown.markdown(SOURCE, extensions=[FormBlockExtension()])
