"""Fuzzing the whole pipeline: mutated front matter and authors files through `kb check` and the strict build.

The only outcomes allowed are a built site or reported findings: never a traceback, never a hang. `make test`
runs a short fuzz; KB_FUZZ_EXAMPLES=500 runs a long one.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import copy_project, run_kb, run_mkdocs
from test_rules import CASES

pytestmark = pytest.mark.slow  # builds mutated KBs

EXAMPLES = int(os.environ.get("KB_FUZZ_EXAMPLES", "6"))
AUTHORS = "neil:\n  name: Neil Tancock\n  team: IT Services\n  email: neil@example.com\n"
NOISE = list(':-"\'[]{},#&*!|>%@`\t\n 0123456789.<>\\\x00\u202e\ufeffé')


def mutate(data, text: str) -> str:
    for _ in range(data.draw(st.integers(0, 4))):
        position = data.draw(st.integers(0, len(text)))
        chunk = data.draw(st.text(alphabet=st.sampled_from(NOISE), max_size=5))
        if data.draw(st.booleans()):
            text = text[:position] + chunk + text[position + len(chunk):]
        else:
            text = text[:position] + text[position + len(chunk) + 1:]
    return text


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("fuzz") / "kb", with_docs=False)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_mutated_kbs_build_or_report(project, data):
    docs = project / "docs"
    shutil.rmtree(docs / "book", ignore_errors=True)
    (docs / "book").mkdir()
    cases = data.draw(st.lists(st.sampled_from(CASES), min_size=1, max_size=3))
    for index, case in enumerate(cases):
        text = case["article"].replace("<TAB>", "\t").replace('"10.001"', f'"10.{index + 1:03d}"')
        (docs / "book" / f"a{index}.md").write_text(mutate(data, text), encoding="utf-8")
    (docs / "authors.yml").write_text(mutate(data, AUTHORS), encoding="utf-8")
    checked = run_kb(project, "check", "--strict")
    built = run_mkdocs(project, project / "site")
    for result in (checked, built):
        assert result.returncode in (0, 1), result.stderr[-3000:]
        assert "Traceback" not in result.stderr + result.stdout, result.stderr[-3000:]
    if checked.returncode == 1:
        assert built.returncode == 1, "kb check found problems the strict build let through"
    if built.returncode == 1:
        assert "problem" in built.stderr or "Aborted" in built.stderr or "warning" in built.stderr.lower()
