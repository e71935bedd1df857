"""The review dashboard's rows and states, and `kb reviews`, against the fixture KB with a pinned today."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from conftest import run_kb
from fixture_kb import ARTICLES, T, make_fixture_kb
from kb import corpus, dashboard, settings


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return make_fixture_kb(tmp_path_factory.mktemp("dashboard-kb"))


def load(project, today=T):
    return corpus.load(settings.load(project / "mkdocs.yml"), today)


def test_rows_most_urgent_first_with_states_and_days_left(project):
    rows = dashboard.review_rows(load(project))
    assert [(r.number, r.state, r.days_left) for r in rows] == [
        ("10.001", "overdue", -12),
        ("10.005", "due", 0),        # review date today: due, not yet overdue
        ("20.001", "due", 20),       # the draft is judged by its approved version in force
        ("10.002", "due", 40),
        ("10.004", "ok", 60),        # exactly the warning window away: not yet due
        ("10.003", "ok", 700),
        ("20.002", "", None),        # withdrawn: not in force, no review state
    ]


def test_row_shows_the_article_and_its_owner(project):
    rows = {r.number: r for r in dashboard.review_rows(load(project), lambda a: "x/" + a.path)}
    draft = rows["20.001"]
    assert (draft.version, draft.status, draft.owner, draft.owner_email) == (
        "1.1", "draft", "Neil Tancock", "neil@safeharboursupport.com")
    assert draft.review_date == ARTICLES["20.001"][6] and draft.approval_date == ARTICLES["20.001"][5]
    assert draft.url == "x/phones/20.001-draft-dialplan.md"
    assert rows["10.003"].audience == "internal"
    assert rows["20.002"].review_date is None


def test_states_move_with_today(project):
    later = {r.number: r.state for r in dashboard.review_rows(load(project, T + timedelta(days=1)))}
    assert later["10.005"] == "overdue" and later["10.004"] == "due"
    earlier = {r.number: r.state for r in dashboard.review_rows(load(project, T - timedelta(days=1)))}
    assert earlier["10.004"] == "ok" and earlier["10.005"] == "due"


def test_counts_and_due_rows(project):
    rows = dashboard.review_rows(load(project))
    assert dashboard.counts(rows) == {"overdue": 1, "due": 3, "ok": 2, "total": 7}
    assert [r.number for r in dashboard.due_rows(rows)] == ["10.001", "10.005", "20.001", "10.002"]
    assert [r.number for r in dashboard.due_rows(rows, 60)] == ["10.001", "10.005", "20.001", "10.002", "10.004"]
    assert [r.number for r in dashboard.due_rows(rows, 0)] == ["10.001", "10.005"]


def test_version_sort_key_orders_numerically(project):
    rows = dashboard.review_rows(load(project))
    row = rows[0]
    keys = [type(row)(**{**row.__dict__, "version": v}).version_sort for v in ("1.10", "1.9", "2.0")]
    assert sorted(keys) == [keys[1], keys[0], keys[2]]


def test_kb_reviews_lists_due_and_overdue_with_owner_emails_and_fails_on_overdue(project):
    result = run_kb(project, "reviews")
    assert result.returncode == 1, result.stderr
    assert "OVERDUE  10.001" in result.stdout and "12 days overdue" in result.stdout
    assert "owner Jo Marsh <jo@safeharboursupport.com>" in result.stdout
    assert "10.004" not in result.stdout and "10.003" not in result.stdout
    assert "1 overdue, 3 due" in result.stderr


def test_kb_reviews_json_with_due_within(project):
    result = run_kb(project, "reviews", "--due-within", "60", "--format", "json")
    data = json.loads(result.stdout)
    assert result.returncode == 1
    assert (data["overdue"], data["due"], data["due_within"]) == (1, 4, 60)
    first = data["articles"][0]
    assert (first["number"], first["state"], first["days_left"], first["owner_email"]) == (
        "10.001", "overdue", -12, "neil@safeharboursupport.com")
    assert first["url"] == "https://kb.safeharboursupport.com/mail/10.001-overdue-relay/"  # the internal KB's


def test_kb_reviews_site_public_links_only_what_the_hub_publishes(project):
    data = json.loads(run_kb(project, "reviews", "--due-within", "60", "--format", "json", "--site", "public").stdout)
    urls = {row["number"]: row["url"] for row in data["articles"]}
    assert urls["10.001"] == "https://hub.safeharboursupport.com/mail/10.001-overdue-relay/"
    assert urls["10.005"] is None  # internal-only: no page on the hub


def test_kb_reviews_exits_zero_when_nothing_is_overdue(project):
    result = run_kb(project, "reviews", today=(T - timedelta(days=13)).isoformat())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 overdue" in result.stderr
