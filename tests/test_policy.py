from __future__ import annotations

from datetime import date

import pytest

from kb import dates
from kb.policy import Policy, PolicyError, policy_from
from kb.review import ReviewState, review_status


def test_defaults_are_the_contracts():
    policy = policy_from(None)
    assert policy.latest_review_date(date(2025, 2, 26)) == date(2028, 2, 26)
    assert policy.review_warning_days == 60 and policy.number_re.search("65.043")
    assert policy.format_date(date(2025, 2, 26)) == "26-FEB-2025"


@pytest.mark.parametrize("value, approved, latest", [
    ("3 years", date(2024, 2, 29), date(2027, 2, 28)),
    ("18 months", date(2025, 8, 31), date(2027, 2, 28)),
    ("365 days", date(2025, 1, 1), date(2026, 1, 1)),
    (2, date(2025, 1, 1), date(2027, 1, 1)),
])
def test_review_intervals(value, approved, latest):
    assert policy_from({"review_interval": value}).latest_review_date(approved) == latest


@pytest.mark.parametrize("settings, named", [
    ({"review_interval": "soon"}, "review_interval"),
    ({"review_interval": 0}, "review_interval"),
    ({"review_warning_days": -1}, "review_warning_days"),
    ({"review_warning_days": "60"}, "review_warning_days"),
    ({"number_pattern": "(["}, "number_pattern"),
    ({"date_format": "%d-%b"}, "date_format"),
    ({"reveiw_interval": "3 years"}, "reveiw_interval"),
    ("3 years", "policy"),
])
def test_bad_policy_values_are_named(settings, named):
    with pytest.raises(PolicyError, match=named):
        policy_from(settings)


def test_date_formats():
    day = date(2025, 2, 6)
    assert dates.format_date(day, "D Mmm YYYY") == "6 Feb 2025"
    assert dates.format_date(day, "YYYY-MM-DD") == "2025-02-06"
    assert dates.format_date(day, "DD MMMM YYYY") == "06 February 2025"
    assert dates.parse_house_date("26-FEB-2025") == date(2025, 2, 26)
    assert dates.parse_house_date("31-FEB-2025") is None


def test_review_states():
    policy = Policy()
    review = date(2028, 2, 25)
    assert review_status(review, date(2027, 12, 27), policy).state is ReviewState.OK
    assert review_status(review, date(2027, 12, 28), policy).state is ReviewState.DUE
    assert review_status(review, date(2028, 2, 25), policy).state is ReviewState.DUE
    overdue = review_status(review, date(2028, 2, 26), policy)
    assert overdue.state is ReviewState.OVERDUE and overdue.days_left == -1


def test_kb_today(monkeypatch):
    monkeypatch.setenv("KB_TODAY", "2030-01-02")
    assert dates.today() == date(2030, 1, 2)
    monkeypatch.setenv("KB_TODAY", "tomorrow")
    with pytest.raises(dates.DateSettingError):
        dates.today()
