"""What the kb commands print carries no control character: a hostile file name or value cannot forge rows
or drive the terminal."""

from __future__ import annotations

import json
import re

import pytest

from conftest import ROOT, copy_project, run_kb
from kb.problems import Problem
from kb.terminal import json_text, printable
from test_rules import CASES

RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
NAME = "\x1b]0;pwned\x07\x1b[2Jforged\r\n10.999  Fake  1.0  current  2099-01-01\u202e"


def test_printable_escapes_every_control_character():
    assert printable("a\nb\rc\td\x1b[31m\x00\x7f\x9b\u202e") == "a\\nb\\rc\\td\\u001b[31m\\u0000\\u007f\\u009b\\u202e"
    assert printable("Émile — 65.043") == "Émile — 65.043"


def test_json_text_stays_json_and_escapes_what_json_leaves_raw():
    data = {"name": NAME + "\x9b", "plain": "Émile"}
    text = json_text(data)
    assert not RAW.search(text.replace("\n", ""))
    assert json.loads(text) == data
    assert "Émile" in text


def test_a_problem_is_one_line():
    problem = Problem("a/\x1b[2Jx\n.md", 3, "document_control.name", f"is {NAME}")
    assert "\n" not in str(problem) and not RAW.search(str(problem))


def test_kb_list_reviews_and_check_print_no_control_character(tmp_path):
    """Names cannot hold control characters any more (a finding), but file names can: the path is printed."""
    project = copy_project(tmp_path / "kb", with_docs=False)
    hostile = project / "docs" / "it" / "10.001-\x1b[2Jforged\n10.999  Fake.md"
    hostile.parent.mkdir()
    hostile.write_text(CASES[0]["article"].replace("  scope: All support staff\n", "  scope: All support staff\n  x: 1\n"),
                       encoding="utf-8")  # an unknown key: kb check prints the path
    (hostile.parent / "10.002-name.md").write_text(
        CASES[0]["article"].replace('"10.001"', '"10.002"').replace("name: Resetting a user's password",
                                                                     f'name: "{json.dumps(NAME)[1:-1]}"'))
    for args in (("list",), ("list", "--format", "json"), ("check",), ("check", "--format", "json"),
                 ("reviews", "--due-within", "10000"), ("reviews", "--format", "json", "--due-within", "10000")):
        result = run_kb(project, *args)
        assert "Traceback" not in result.stderr, result.stderr
        assert result.stdout.strip(), args
        out = result.stdout + result.stderr
        assert not RAW.search(out.replace("\n", "")), (args, out)
        if args[-1] != "json":
            assert not any(line.startswith("10.999") for line in out.splitlines()), (args, out)


@pytest.mark.slow  # kb import prints through the same escaping the quick loop checks on list, reviews and check
def test_kb_import_messages_print_no_control_character(tmp_path):
    project = copy_project(tmp_path / "kb", with_docs=False)
    export = tmp_path / "\x1b[2Jexport\r\nforged: imported.html"
    export.write_bytes((ROOT / "tests/fixtures/bookstack/72.101-html-export.html").read_bytes())
    for dry_run in (["--dry-run"], []):
        result = run_kb(project, "import", str(export), "--book", "imported", *dry_run)
        assert "Traceback" not in result.stderr, result.stderr
        assert "export" in result.stdout + result.stderr
        out = result.stdout + result.stderr
        assert not RAW.search(out.replace("\n", "")), out
        assert not any(line.startswith("forged") for line in out.splitlines())
