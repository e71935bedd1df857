"""Reading front matter ourselves: lines, duplicates, and mangled input that only ever yields findings."""

from __future__ import annotations

import json
from datetime import date

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from kb import frontmatter, rules
from kb.corpus import read_article
from kb.model import Author
from kb.policy import Policy
from test_rules import CASES

GOOD = CASES[0]["article"]
AUTHORS = {"neil": Author(name="Neil Tancock")}


def check_text(text: str) -> list:
    """What `kb check` does with one file: read it, then apply the rules; must never raise."""
    article, problems = read_article("fuzz/article.md", text)
    if article is not None:
        problems += rules.check_article(article, Policy(), date(2026, 11, 26), AUTHORS)
    return problems


def test_lines_point_at_keys():
    fm = frontmatter.read("a.md", GOOD)
    assert fm.lines[("document_control", "version")] == 5
    assert fm.lines[("change_control", 1)] == 15
    assert fm.body.startswith("\nOpen the admin console")
    assert fm.body_line == 18


def test_no_front_matter_is_no_article():
    assert frontmatter.read("a.md", "# Title\n").data is None
    assert check_text("# Title\n") == []


def test_an_unclosed_front_matter_is_reported():
    [problem] = frontmatter.read("a.md", "---\ntitle: x\n# no closing line\n").problems
    assert "no closing" in problem.message


def test_a_byte_order_mark_is_tolerated():
    assert frontmatter.read("a.md", "\ufeff" + GOOD).data["document_control"]["number"] == "10.001"


def test_top_level_that_is_not_a_mapping():
    [problem] = frontmatter.read("a.md", "---\n- a\n- b\n---\nbody\n").problems
    assert "mapping" in problem.message


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mangled_front_matter_only_yields_findings(data):
    """Delete, insert and replace characters of a good article: findings, never an exception."""
    text = GOOD
    for _ in range(data.draw(st.integers(1, 6))):
        position = data.draw(st.integers(0, len(text)))
        action = data.draw(st.sampled_from(["delete", "insert", "replace"]))
        chunk = data.draw(st.text(alphabet=st.sampled_from(list(':-"\'[]{},#&*!|>%@`\t\n 0123456789.\x00\u202e')),
                                  max_size=4))
        if action == "delete":
            text = text[:position] + text[position + len(chunk) + 1:]
        elif action == "insert":
            text = text[:position] + chunk + text[position:]
        else:
            text = text[:position] + chunk + text[position + len(chunk):]
    problems = check_text(text)
    assert all(p.message and p.field for p in problems)
    json.dumps([p.as_json() for p in problems])  # what `kb check --format json` prints


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20)
    | st.dates(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=10)


@pytest.mark.slow  # test_mangled_front_matter_only_yields_findings keeps the property in the quick loop
@settings(max_examples=300, deadline=None)
@given(dc=st.dictionaries(st.sampled_from(["number", "name", "version", "status", "author", "approval",
                                           "approval_date", "review_date", "abstract", "scope", "audience",
                                           "inputs", "bogus"]), yaml_values, max_size=13),
       cc=yaml_values, tags=yaml_values)
def test_random_values_in_every_field_only_yield_findings(dc, cc, tags):
    meta = {"document_control": dc, "change_control": cc, "tags": tags}
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\nbody\n"
    problems = check_text(text)
    assert all(isinstance(p.message, str) for p in problems)
    json.dumps([p.as_json() for p in problems])
