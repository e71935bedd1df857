"""Hostile front matter (the files in tests/hostile/, and a few made here) ends in findings that name the
file and the field: within seconds, in bounded memory, never a traceback, in `kb check`, `kb list` and the
build; and what the terminal prints carries no control character."""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TODAY, copy_project, run_kb

HOSTILE = Path(__file__).parent / "hostile"
BIN = Path(sys.executable).parent
MEMORY = 2 * 1024**3  # address space: the alias bomb wants gigabytes
SECONDS = 30  # generous on a shared machine: each run takes about one

GENERATED = {  # too big to keep as files: number, then a line of a good article and what replaces it
    "long-name.md": ("90.010", "name: Good", "name: " + "x" * 100_000),
    "long-abstract.md": ("90.011", "abstract: A hostile", "abstract: " + "y" * 100_000 + " A hostile"),
}
# file -> what the finding names: the field, and words of its message
EXPECTED = {
    "alias-bomb.md": ("search.b", "alias"),
    "deep-nesting.md": ("search.deep", "nested more than"),
    "year-1.md": ("document_control.approval_date", "outside the dates"),
    "year-9999.md": ("document_control.approval_date", "outside the dates"),
    "nul-in-name.md": ("document_control.name", "control character U+0000"),
    "escape-in-name.md": ("document_control.name", "control character U+001B"),
    "newline-in-name.md": ("document_control.name", "control character U+000D"),
    "long-name.md": ("document_control.name", "the limit is 200"),
    "long-abstract.md": ("document_control.abstract", "the limit is 5,000"),
    "plain-page-alias-bomb.md": ("b", "alias"),  # a page without document_control is read too
    "plain-page-nul.md": ("title", "control character U+0000"),
}
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def good(number: str) -> str:
    """A valid article of the corpus' shape."""
    text = (HOSTILE / "nul-in-name.md").read_text(encoding="utf-8")
    return text.replace('"NUL\\0in the name"', "Good").replace('"90.005"', f'"{number}"')


def hostile_text(name: str) -> str:
    if name in GENERATED:
        number, line, huge = GENERATED[name]
        return good(number).replace(line, huge, 1)
    return (HOSTILE / name).read_text(encoding="utf-8")


def limited() -> None:
    """In the child: at most MEMORY bytes of address space, so a blow-up is a MemoryError, not a swapping machine."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A kb or mkdocs command on `project`, within SECONDS and MEMORY (a timeout fails the test)."""
    env = {**os.environ, "KB_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1", "KB_PDF": "0"}
    return subprocess.run([str(BIN / args[0]), *args[1:]], capture_output=True, text=True, env=env, cwd=project,
                          timeout=SECONDS, preexec_fn=limited)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """One KB holding every hostile article beside a good one."""
    root = copy_project(tmp_path_factory.mktemp("hostile-fm") / "kb", with_docs=False)
    (root / "docs" / "hostile").mkdir()
    for name in EXPECTED:
        (root / "docs" / "hostile" / name).write_text(hostile_text(name), encoding="utf-8")
    (root / "docs" / "hostile" / "good.md").write_text(good("90.100"), encoding="utf-8")
    return root


def test_the_corpus_covers_every_class():
    assert sorted(p.name for p in HOSTILE.glob("*.md")) == sorted(set(EXPECTED) - set(GENERATED))
    assert (HOSTILE / "alias-bomb.md").stat().st_size < 1024


@pytest.fixture(scope="module")
def checked(project):
    return run(project, "kb", "check")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_kb_check_names_file_and_field(checked, name):
    assert "Traceback" not in checked.stderr, checked.stderr[-2000:]
    assert checked.returncode == 1
    field, words = EXPECTED[name]
    lines = [line for line in checked.stdout.splitlines() if line.startswith(f"hostile/{name}:")]
    assert any(f": {field}" in line and words in line for line in lines), lines
    assert not any(line.startswith("hostile/good.md") for line in checked.stdout.splitlines())


def test_kb_check_prints_no_control_character_and_no_huge_line(checked):
    for line in checked.stdout.splitlines():
        assert not CONTROL.search(line), repr(line)
        assert len(line) < 1000, line[:200]


def test_kb_check_json_is_bounded(project):
    result = run(project, "kb", "check", "--format", "json")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(result.stdout) < 100_000


def test_kb_list_lists_what_is_readable_and_prints_nothing_raw(project):
    result = run(project, "kb", "list")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert "90.100" in result.stdout  # the good article
    assert "Forged row" not in result.stdout and "90.999" not in result.stdout
    assert not CONTROL.search(result.stdout.replace("\n", ""))


@pytest.mark.slow
def test_the_build_stops_with_the_findings(project, tmp_path):
    result = run(project, "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(tmp_path / "s"))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-3000:]
    for name, (field, _) in EXPECTED.items():
        assert f"hostile/{name}:" in result.stderr and field in result.stderr, name
    assert not CONTROL.search(result.stderr.replace("\n", "").replace("\x1b[0m", "")), "raw control characters"


@pytest.mark.parametrize("today, command", [("0001-01-01", "check"), ("9999-12-31", "reviews")])
def test_kb_today_out_of_range_is_a_clear_error(project, today, command):
    result = run_kb(project, command, today=today)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"KB_TODAY='{today}' is outside the dates the KB accepts" in result.stderr
