"""kb.rejections: the iCloud rejection-codes data file, read into typed records."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kb import settings
from kb.rejections import NOT_A_BLOCK, RejectionKind, RejectionsError, load_rejections

ROOT = Path(__file__).resolve().parent.parent
CODES = ROOT / "data" / "icloud-rejections.yml"

GOOD = """\
rejections:
  - code: "[CS01]"
    pattern: '\\[CS01\\]'
    sample: "554 5.7.1 [CS01] Message rejected due to local policy"
    kind: block
    meaning: Commonly reported as a policy block.
    next_step: Open a ticket.
    sources: [https://smtp.codes/icloud]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "codes.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_mkdocs_yml_points_at_the_data_file():
    assert settings.load(ROOT / "mkdocs.yml").rejection_codes == CODES


def test_the_data_file_has_the_reference_codes_with_sources():
    codes = {r.code: r for r in load_rejections(CODES)}
    for code in ("[CS01]", "[CS02]", "[HM07]", "[HM08]"):
        assert codes[code].kind is RejectionKind.BLOCK
        assert codes[code].needs_ticket
    assert all(r.sources for r in codes.values())
    # Apple does not publish the bracketed codes' meanings: they are worded as reported
    assert all("reported" in r.meaning.lower() for r in codes.values())


def test_temporary_and_mailbox_answers_are_not_a_block():
    rejections = load_rejections(CODES)
    kinds = {r.code: r.kind for r in rejections}
    assert {code for code, kind in kinds.items() if kind is RejectionKind.MAILBOX} == {"550 5.1.1", "552 5.2.2"}
    for rejection in rejections:
        is_4xx = rejection.sample.startswith("4")
        assert (rejection.kind is RejectionKind.TEMPORARY) == is_4xx, rejection.code
        if rejection.kind is not RejectionKind.BLOCK:
            assert rejection.verdict == NOT_A_BLOCK == "Not a block: no ticket needed"
            assert not rejection.needs_ticket


def _recognise(hints: list[dict], text: str) -> list[str]:
    """What the form's script does with the hints the page embeds: `new RegExp(pattern, "i")` on the paste."""
    return [hint["code"] for hint in hints if re.search(hint["pattern"], text, re.IGNORECASE)]


def test_each_sample_is_recognised_as_its_own_code_only():
    hints = [r.as_hint() for r in load_rejections(CODES)]
    for rejection in load_rejections(CODES):
        assert _recognise(hints, rejection.sample) == [rejection.code]


def test_recognises_codes_inside_a_pasted_bounce():
    bounce = ("Reporting-MTA: dns; mail.example.net\n<someone@icloud.com>: host mx01.mail.icloud.com said:\n"
              "554 5.7.1 [cs01] Message rejected due to local policy. Please visit https://support.apple.com/\n"
              "and later 552 5.2.2 <x@icloud.com>: user is over quota\n")
    assert _recognise([r.as_hint() for r in load_rejections(CODES)], bounce) == ["[CS01]", "552 5.2.2"]


def test_a_valid_file_loads(tmp_path):
    [rejection] = load_rejections(write(tmp_path, GOOD))
    assert rejection.as_hint() == {
        "code": "[CS01]", "pattern": "\\[CS01\\]", "kind": "block", "meaning": "Commonly reported as a policy block.",
        "next_step": "Open a ticket.", "needs_ticket": True, "verdict": "A block: open a deliverability ticket"}


@pytest.mark.parametrize("change, message", [
    (("kind: block", "kind: blocked"), "rejections[0] ([CS01]): kind: 'blocked' is not one of block, temporary, mailbox"),
    (("    sources: [https://smtp.codes/icloud]\n", ""), "rejections[0] ([CS01]): sources: is required"),
    (("    meaning:", "    meening:"), "rejections[0] ([CS01]): meening: unknown key"),
    (("pattern: '\\[CS01\\]'", "pattern: '\\[CS09\\]'"), "pattern '\\\\[CS09\\\\]' does not match its own sample"),
    (("pattern: '\\[CS01\\]'", "pattern: '(?P<tag>CS01)'"), "pattern: uses regex syntax JavaScript does not read"),
    (("pattern: '\\[CS01\\]'", "pattern: '[CS01'"), "pattern: is not a regular expression"),
])
def test_a_wrong_entry_is_named_with_its_file_and_field(tmp_path, change, message):
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(RejectionsError) as caught:
        load_rejections(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)


def test_a_missing_or_empty_file_is_a_clear_error(tmp_path):
    with pytest.raises(RejectionsError, match="cannot read the rejection codes"):
        load_rejections(tmp_path / "nope.yml")
    with pytest.raises(RejectionsError, match="non-empty list under 'rejections:'"):
        load_rejections(write(tmp_path, "rejections: []\n"))
    with pytest.raises(RejectionsError, match="does not parse as YAML"):
        load_rejections(write(tmp_path, "rejections: [\n"))


def test_a_code_listed_twice_is_an_error(tmp_path):
    text = GOOD + GOOD.split("\n", 1)[1]
    with pytest.raises(RejectionsError, match=r"code '\[CS01\]' is listed twice"):
        load_rejections(write(tmp_path, text))
