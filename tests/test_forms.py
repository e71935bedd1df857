"""kb.forms: the data of `/// kb-form` blocks, its validation, and finding the blocks in a page."""

from __future__ import annotations

import urllib.parse

import pytest

from kb.forms import FieldKind, FormError, check_page, find_forms, mailto_href, parse_form

BLOCK = """\
Intro text.

/// kb-form | Write the ticket email
    recipient: icloudadmin@apple.com
    subject: I would like to open a deliverability ticket
    fields:
      - {label: Company name, kind: text, required: true}
      - label: Mail server IP addresses
        kind: ip-addresses
        help: Public addresses only.
///

After.
"""


def problems_of(markdown: str) -> list[str]:
    return [str(p) for p in check_page("book/page.md", markdown)[1]]


def test_a_block_is_found_with_its_line_argument_and_data():
    [source] = find_forms("---\ntitle: x\n---\n" + BLOCK)
    assert source.line == 6
    assert source.argument == "Write the ticket email"
    assert source.data.startswith("recipient: icloudadmin@apple.com\n")


def test_a_valid_block_gives_a_typed_form():
    [(source, form)], problems = check_page("book/page.md", BLOCK)
    assert problems == []
    assert form.title == "Write the ticket email"
    assert form.recipient == "icloudadmin@apple.com"
    assert [(f.label, f.kind, f.required, f.help) for f in form.fields] == [
        ("Company name", FieldKind.TEXT, True, None),
        ("Mail server IP addresses", FieldKind.IP_ADDRESSES, False, "Public addresses only.")]
    assert [f.slug for f in form.fields] == ["company-name", "mail-server-ip-addresses"]


def test_blocks_shown_inside_code_fences_are_not_forms():
    assert find_forms("```markdown\n" + BLOCK + "```\n") == []
    assert find_forms("~~~~\n```\n" + BLOCK + "~~~~\n") == []


def test_an_unknown_field_kind_names_the_line_and_field():
    assert problems_of(BLOCK.replace("kind: ip-addresses", "kind: ip")) == [
        "book/page.md:3: kb-form.fields[1].kind: unknown field kind 'ip' "
        "(known: text, long-text, domain, ip-addresses, smtp-errors)"]


def test_a_missing_recipient_is_an_error():
    assert problems_of(BLOCK.replace("    recipient: icloudadmin@apple.com\n", "")) == [
        "book/page.md:3: kb-form.recipient: is required"]


@pytest.mark.parametrize("change, expected", [
    (("recipient: icloudadmin@apple.com", "recipient: icloudadmin"),
     "kb-form.recipient: 'icloudadmin' is not an email address a mailto: link can carry"),
    (("recipient: icloudadmin@apple.com", "recipient: a&cc=b@apple.com"),
     "kb-form.recipient: 'a&cc=b@apple.com' is not an email address a mailto: link can carry"),
    (("    recipient:", "    recipent:"), "kb-form.recipent: unknown key 'recipent'; did you mean 'recipient'?"),
    (("        help: Public", "        hlep: Public"), "kb-form.fields[1].hlep: unknown key 'hlep'; did you mean 'help'?"),
    (("required: true}", "required: maybe}"), "kb-form.fields[0].required: must be true or false, not 'maybe'"),
    (("subject: I would like to open a deliverability ticket", "subject: ''"), "kb-form.subject: must not be empty"),
    (("label: Mail server IP addresses", "label: Company name"),
     "kb-form.fields[1].label: 'Company name' repeats the label of an earlier field"),
    (("subject: I would", "subject: \"I would"), "its data does not parse as YAML: found unexpected end of stream"),
])
def test_wrong_data_is_explained(change, expected):
    problems = problems_of(BLOCK.replace(*change))
    assert all(problem.startswith("book/page.md:3: ") for problem in problems)
    assert any(expected in problem for problem in problems), problems


def test_block_shape_mistakes_are_explained():
    assert problems_of("/// kb-form\n///\n") == [
        "book/page.md:1: kb-form: the block needs its data (recipient, subject, fields) indented under its first line"]
    cut = BLOCK.replace("      - label: Mail", "\n      - label: Mail")
    assert problems_of(cut) == ["book/page.md:3: kb-form: line 9 is indented data after a blank line: "
                                "the block's data must have no blank lines"]
    content = BLOCK.replace("///\n\nAfter", "\nSome words.\n///\n\nAfter")
    assert problems_of(content) == ["book/page.md:3: kb-form: line 12: the block takes no Markdown content, only "
                                    "its indented data (use intro: for a line of text)"]
    assert problems_of(BLOCK.replace("///\n\nAfter", "After")) == [
        "book/page.md:3: kb-form: the block is not closed: end it with a line '///'"]


def test_every_problem_of_a_block_is_reported_at_once():
    text = BLOCK.replace("kind: ip-addresses", "kind: ip").replace("    recipient: icloudadmin@apple.com\n", "")
    assert len(problems_of(text)) == 2


def test_parse_form_raises_with_every_problem():
    with pytest.raises(FormError, match="recipient: is required\nfields: is required"):
        parse_form({"subject": "x"})


def test_the_fallback_link_is_rfc_6068():
    href = parse_form({"recipient": "icloudadmin@apple.com", "subject": "I would like to open a deliverability ticket",
                       "fields": [{"label": "A"}]}).fallback_href
    assert href == "mailto:icloudadmin@apple.com?subject=I%20would%20like%20to%20open%20a%20deliverability%20ticket"


def test_mailto_href_encodes_everything_but_unreserved_characters():
    href = mailto_href("a@b.example", "Ünïcode & co?", "line 1\nline=2 #3 +4 %5\r\nend")
    assert href == ("mailto:a@b.example?subject=%C3%9Cn%C3%AFcode%20%26%20co%3F"
                    "&body=line%201%0D%0Aline%3D2%20%233%20%2B4%20%255%0D%0Aend")
    query = urllib.parse.parse_qs(href.split("?", 1)[1])
    assert query == {"subject": ["Ünïcode & co?"], "body": ["line 1\r\nline=2 #3 +4 %5\r\nend"]}
