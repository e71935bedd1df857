"""The document-control rules, case by case from the fixture corpus, plus the KB-wide ones."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from kb import corpus, settings
from kb.policy import Policy

FIXTURES = Path(__file__).parent / "fixtures"
CASES = yaml.safe_load((FIXTURES / "check_cases.yml").read_text(encoding="utf-8"))
TODAY = date(2026, 11, 26)
AUTHORS = "neil:\n  name: Neil Tancock\n  team: IT Services\n  email: neil@example.com\n"


def article_text(case: dict) -> str:
    return case["article"].replace("<TAB>", "\t")


def make_kb(root: Path, articles: dict[str, str], policy: Policy | None = None) -> corpus.KnowledgeBase:
    docs = root / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    (docs / "authors.yml").write_text(AUTHORS, encoding="utf-8")
    for name, text in articles.items():
        path = docs / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return corpus.load(settings.Settings(root=root, docs_dir=docs, policy=policy or Policy()), TODAY)


def test_the_corpus_is_large_enough_and_mixed():
    assert len(CASES) >= 30
    assert sum(1 for c in CASES if not c["expect"]) >= 5


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_each_case_names_its_fields(case, tmp_path):
    kb = make_kb(tmp_path, {"book/article.md": article_text(case)})
    found = sorted((p.field, p.severity.value) for p in kb.problems)
    expected = sorted((e["field"], e["severity"]) for e in case["expect"])
    assert found == expected, "\n".join(map(str, kb.problems))
    for problem in kb.problems:
        assert problem.path == "book/article.md"
        assert problem.line and problem.line >= 1
        assert problem.message and "Traceback" not in problem.message


def test_a_file_with_broken_yaml_is_still_an_article_with_an_error(tmp_path):
    case = next(c for c in CASES if c["case"] == "a tab in the YAML")
    kb = make_kb(tmp_path, {"a/x.md": article_text(case)})
    [problem] = kb.problems
    assert problem.line == 12 and "tab" in problem.message


def test_messages_carry_the_hints_authors_need(tmp_path):
    texts = {c["case"]: article_text(c) for c in CASES}
    kb = make_kb(tmp_path, {
        "a/float.md": texts["unquoted float version"].replace('"10.001"', '"10.002"'),
        "a/house.md": texts["house-format date in front matter"].replace('"10.001"', '"10.003"'),
        "a/typo.md": texts["unknown key with a did-you-mean"].replace('"10.001"', '"10.004"'),
        "a/author.md": texts["unknown author"].replace('"10.001"', '"10.005"'),
        "a/top.md": texts["unknown top-level key"].replace('"10.001"', '"10.006"'),
    })
    by_path = {p.path: str(p) for p in kb.problems}
    assert 'quotes' in by_path["a/float.md"] and 'version: "1.0"' in by_path["a/float.md"]
    assert "write the ISO date 2029-01-09" in by_path["a/house.md"]
    assert "did you mean 'abstract'?" in by_path["a/typo.md"]
    assert "did you mean 'neil'?" in by_path["a/author.md"]
    assert "did you mean 'change_control'?" in by_path["a/top.md"]


def test_two_broken_articles_give_two_findings_in_one_run(tmp_path):
    texts = {c["case"]: article_text(c) for c in CASES}
    kb = make_kb(tmp_path, {"a/one.md": texts["missing scope"],
                            "b/two.md": texts["bad status"].replace('"10.001"', '"10.002"')})
    assert [(p.path, p.field) for p in kb.errors] == [("a/one.md", "document_control.scope"),
                                                       ("b/two.md", "document_control.status")]


def test_numbers_are_unique(tmp_path):
    good = CASES[0]["article"]
    kb = make_kb(tmp_path, {"a/one.md": good, "b/two.md": good})
    [problem] = kb.problems
    assert problem.path == "b/two.md" and problem.field == "document_control.number"
    assert "a/one.md" in problem.message


def test_pages_without_document_control_are_left_alone(tmp_path):
    kb = make_kb(tmp_path, {"index.md": "---\ntitle: Home\n---\n# Home\n", "plain.md": "# No front matter\n"})
    assert kb.articles == [] and kb.problems == []


def test_broken_front_matter_on_any_page_is_reported(tmp_path):
    kb = make_kb(tmp_path, {"index.md": "---\ntitle: [Home\n---\n# Home\n"})
    [problem] = kb.problems
    assert problem.path == "index.md" and problem.field == "front matter"


def test_the_policy_sets_the_review_interval(tmp_path):
    good = CASES[0]["article"]
    kb = make_kb(tmp_path, {"a/one.md": good}, Policy(review_interval_months=12))
    [problem] = kb.problems
    assert problem.field == "document_control.review_date" and "2027-01-10" in problem.message


def test_the_policy_sets_the_number_pattern(tmp_path):
    good = CASES[0]["article"]
    kb = make_kb(tmp_path, {"a/one.md": good}, Policy(number_pattern=r"^KB-\d+$"))
    assert [p.field for p in kb.problems] == ["document_control.number"]


def test_authors_file_problems_are_reported(tmp_path):
    kb = make_kb(tmp_path, {"a/one.md": CASES[0]["article"]})
    (tmp_path / "docs" / "authors.yml").write_text("neil:\n  team: x\n", encoding="utf-8")
    kb = corpus.load(kb.settings, TODAY)
    fields = {p.field for p in kb.problems}
    assert "neil.name" in fields and "document_control.author" in fields


def test_a_missing_authors_file_is_reported(tmp_path):
    kb = make_kb(tmp_path, {"a/one.md": CASES[0]["article"]})
    (tmp_path / "docs" / "authors.yml").unlink()
    kb = corpus.load(kb.settings, TODAY)
    assert any(p.field == "authors" and "missing" in p.message for p in kb.problems)
