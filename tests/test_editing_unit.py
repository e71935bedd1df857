"""kb.editing in process: front matter edited line by line, so an author's diff shows only what changed."""

from __future__ import annotations

import difflib
from datetime import date

import pytest

from kb import frontmatter
from kb.editing import FrontMatterEditor, scalar

TEXT = """---
document_control:
  number: "10.001"
  name: Reset a password   # shown as the title
  version: "1.0"
  status: current
  author: neil
change_control:
  - {date: 2025-02-26, author: neil, version: "1.0", change: Approved}
tags: [mail]
---

Body.
"""


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]


@pytest.mark.parametrize("value, written", [
    (date(2026, 11, 26), "2026-11-26"), ("Safeharbour Support", "Safeharbour Support"),
    ("yes", '"yes"'), ("1.10", '"1.10"'), ("a: b", '"a: b"'), ("trailing ", '"trailing "'), ("Zoë", "Zoë"), ("#1", '"#1"'),
])
def test_a_scalar_is_plain_only_where_it_reads_back_as_the_same_text(value, written):
    assert scalar(value) == written


def test_setting_a_key_rewrites_only_its_line_and_keeps_its_comment():
    editor = FrontMatterEditor("a.md", TEXT)
    editor.set("document_control", "name", "Reset a password on the portal")
    editor.set("document_control", "status", "draft")
    assert changed_lines(TEXT, editor.text) == [
        "-   name: Reset a password   # shown as the title", "+   name: Reset a password on the portal   # shown as the title",
        "-   status: current", "+   status: draft"]


def test_a_new_key_goes_after_the_one_named_and_a_removed_key_takes_its_line():
    editor = FrontMatterEditor("a.md", TEXT)
    editor.set("document_control", "approval", "Safeharbour Support", after="author")
    editor.set("document_control", "approval_date", date(2026, 11, 26), after="approval")
    editor.remove("document_control", "name")
    assert changed_lines(TEXT, editor.text) == [
        "-   name: Reset a password   # shown as the title",
        "+   approval: Safeharbour Support", "+   approval_date: 2026-11-26"]
    assert frontmatter.read("a.md", editor.text).data["document_control"]["approval_date"] == date(2026, 11, 26)


def test_a_change_row_is_appended_in_the_style_of_the_rows_above():
    editor = FrontMatterEditor("a.md", TEXT)
    editor.append_row("change_control", {"date": date(2026, 11, 26), "author": "neil", "version": "1.1",
                                         "change": "New portal: steps 2-4"})
    assert changed_lines(TEXT, editor.text) == [
        '+   - {date: 2026-11-26, author: neil, version: "1.1", change: "New portal: steps 2-4"}']
    rows = frontmatter.read("a.md", editor.text).data["change_control"]
    assert rows[-1] == {"date": date(2026, 11, 26), "author": "neil", "version": "1.1", "change": "New portal: steps 2-4"}


def test_front_matter_that_does_not_parse_is_not_edited():
    with pytest.raises(ValueError, match="does not parse"):
        FrontMatterEditor("a.md", TEXT.replace("status: current", "status: [current"))
