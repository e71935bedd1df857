"""`kb check` and `mkdocs build --strict` run the same core and agree on every fixture case."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import copy_project, run_kb, run_mkdocs
from test_rules import CASES, article_text

PROBLEM_LINE = re.compile(r"^(?P<path>[^:\s]+\.md):(?P<line>\d+): (?P<field>[^:]+): (?P<message>.+)$")


def project_with(tmp_path: Path, cases: list[dict]) -> Path:
    """A KB holding each case as its own article, numbered apart so they do not collide."""
    project = copy_project(tmp_path / "kb", with_docs=False)
    for index, case in enumerate(cases):
        text = article_text(case).replace('"10.001"', f'"10.{index + 100:03d}"')
        path = project / "docs" / "cases" / f"case-{index:02d}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return project


def problem_lines(output: str) -> set[str]:
    return {line.strip() for line in output.splitlines() if PROBLEM_LINE.match(line.strip())}


@pytest.mark.slow  # builds a whole site
def test_good_cases_pass_both(tmp_path):
    project = project_with(tmp_path, [c for c in CASES if not c["expect"]])
    checked = run_kb(project, "check", "--strict")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = run_mkdocs(project, tmp_path / "site")
    assert built.returncode == 0, built.stderr


@pytest.mark.slow  # builds a whole site
def test_kb_check_and_strict_build_report_the_same_findings(tmp_path):
    project = project_with(tmp_path, CASES)
    checked = run_kb(project, "check")
    built = run_mkdocs(project, tmp_path / "site")
    assert checked.returncode == 1 and built.returncode == 1
    from_check = problem_lines(checked.stdout)
    from_build = {re.sub(r"^(WARNING|ERROR)\s+-\s+", "", line) for line in problem_lines_any(built.stderr)}
    assert len(from_check) >= sum(len(c["expect"]) for c in CASES) - 1  # duplicates of a line count once
    assert from_check == from_build


def problem_lines_any(output: str) -> set[str]:
    """Problem lines in MkDocs' output: the PluginError listing and the logged warnings."""
    found = set()
    for line in output.splitlines():
        text = re.sub(r"^\s*(WARNING|ERROR)\s+-\s+", "", line).strip()
        if PROBLEM_LINE.match(text):
            found.add(text)
    return found


@pytest.mark.slow  # builds a whole site
def test_overdue_is_a_warning_that_strict_turns_into_a_failure(tmp_path):
    case = next(c for c in CASES if c["case"] == "review overdue")
    project = project_with(tmp_path, [case])
    assert run_kb(project, "check").returncode == 0
    strict = run_kb(project, "check", "--strict")
    assert strict.returncode == 1
    assert "cases/case-00.md:10: document_control.review_date: warning: review overdue" in strict.stdout
    assert run_mkdocs(project, tmp_path / "lenient", strict=False).returncode == 0
    failed = run_mkdocs(project, tmp_path / "strict")
    assert failed.returncode == 1 and "review overdue" in failed.stderr and "case-00.md" in failed.stderr


def test_json_output_lists_every_finding(tmp_path):
    cases = [c for c in CASES if c["case"] in ("missing scope", "bad status")]
    project = project_with(tmp_path, cases)
    result = run_kb(project, "check", "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False and report["articles"] == 2
    assert sorted(p["field"] for p in report["problems"]) == ["document_control.scope", "document_control.status"]
    assert all({"path", "line", "field", "message", "severity", "value"} <= set(p) for p in report["problems"])


@pytest.mark.slow  # builds a whole site
def test_a_bad_policy_value_is_a_clear_error(tmp_path):
    project = project_with(tmp_path, CASES[:1])
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("review_interval: 3 years", "review_interval: three years"))
    result = run_kb(project, "check")
    assert result.returncode == 1 and "review_interval 'three years' is not an interval" in result.stderr
    built = run_mkdocs(project, tmp_path / "site")
    assert built.returncode == 1 and "review_interval" in built.stderr and "Traceback" not in built.stderr


def test_a_bad_kb_today_is_a_clear_error(tmp_path):
    project = project_with(tmp_path, CASES[:1])
    result = run_kb(project, "check", today="26-11-2026")
    assert result.returncode == 1 and "KB_TODAY='26-11-2026' is not a date" in result.stderr


def test_schema_describes_the_front_matter(tmp_path):
    result = run_kb(tmp_path, "schema")
    schema = json.loads(result.stdout)
    dc = schema["$defs"]["DocumentControl"]
    assert set(dc["required"]) >= {"number", "name", "version", "status", "author", "abstract", "scope"}
    assert dc["properties"]["status"]["enum"] == ["draft", "current", "superseded", "withdrawn"]
    assert dc["additionalProperties"] is False


def test_committed_schema_is_current(tmp_path):
    from conftest import ROOT

    printed = json.loads(run_kb(tmp_path, "schema").stdout)
    committed = json.loads((ROOT / "schemas" / "front-matter.schema.json").read_text())
    assert printed == committed, "run: .venv/bin/kb schema > schemas/front-matter.schema.json"


def test_kb_check_reports_a_wrong_form_block(tmp_path):
    project = project_with(tmp_path, CASES[:1])
    article = project / "docs" / "cases" / "case-00.md"
    article.write_text(article.read_text() + "\n/// kb-form | Ticket\n    subject: Hello\n    fields:\n"
                       "      - {label: Name, kind: colour}\n///\n")
    result = run_kb(project, "check")
    assert result.returncode == 1
    assert "cases/case-00.md:" in result.stdout and "kb-form" in result.stdout and "colour" in result.stdout
