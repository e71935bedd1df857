"""kb.scan: one rule for fenced code (CommonMark's) and `///` block openings, shared by links, forms and the importer."""

from kb import forms, links, scan
from kb.importer.body import _tidy_markdown


def _code(text: str) -> list[bool]:
    return scan.code_flags(text.splitlines())


def test_a_fence_closes_on_the_same_character_at_least_as_long():
    assert _code("```\n~~~\n``\n````\nafter") == [True, True, True, True, False]
    assert _code("~~~~\n~~~\n~~~~~\nafter") == [True, True, True, False]


def test_a_closing_fence_has_no_info_string():
    assert _code("```\n```py\nstill code\n```\nafter") == [True, True, True, True, False]


def test_a_backtick_fence_with_a_backtick_in_its_info_string_opens_nothing():
    assert _code("``` a`b\ntext") == [False, False]


def test_an_unclosed_fence_runs_to_the_end_and_nested_fences_count():
    assert _code("- item\n\n    ```\n    code\n    ```\ntext") == [False, False, True, True, True, False]
    assert _code("text\n```\ncode") == [False, True, True]


def test_segments_join_back_into_the_text():
    text = "a\n```py\ncode\n````\nx\n```\n```\n~~~\nend\n"
    parts = list(scan.segments(text))
    assert "".join(part for _, part in parts) == text
    assert parts == [(False, "a\n"), (True, "```py\ncode\n````\n"), (False, "x\n"), (True, "```\n```\n"),
                     (True, "~~~\nend\n")]


def test_block_starts_skip_code():
    lines = "/// kb-form | A\n///\n```\n/// kb-form\n```\n/// details".splitlines()
    assert [(i, m.group(2)) for i, m in scan.block_starts(lines)] == [(0, "kb-form"), (5, "details")]


def test_links_forms_and_importer_agree_on_a_fence_closed_by_a_longer_one():
    # ```` closes ```: the link and the form after it are prose for every reader of the page
    page = "```\n/// kb-form\n[x](a.md)\n````\n[y](b.md)\n/// kb-form | Mail\n    recipient: a@example.com\n///\n"
    assert [target for target, _ in links.linked_pages(page, "p.md")] == ["b.md"]
    assert [f.line for f in forms.find_forms(page)] == [6]
    assert _tidy_markdown(page).splitlines()[1] == "/// kb-form"  # code: not escaped
    assert _tidy_markdown(page).splitlines()[5].startswith("&#47;//")
