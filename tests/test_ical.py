"""The review calendar, parsed back with icalendar: what a calendar app would import."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from icalendar import Calendar

from fixture_kb import ARTICLES, T, make_fixture_kb
from kb import corpus, dashboard, ical, settings


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    project = make_fixture_kb(tmp_path_factory.mktemp("ical-kb"))
    return corpus.load(settings.load(project / "mkdocs.yml"), T)


def make(kb) -> bytes:
    return ical.calendar(kb, dashboard.in_force_versions(kb, lambda a: "https://hub.example/" + a.path))


def test_one_all_day_event_per_article_in_force_on_its_review_date(kb):
    cal = Calendar.from_ical(make(kb))
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    in_force = {n for n, spec in ARTICLES.items() if spec[2] in ("current", "draft")}
    assert set(events) == {f"review-{n}@kb.safeharboursupport.com" for n in in_force}
    for number in in_force:
        event = events[f"review-{number}@kb.safeharboursupport.com"]
        review = ARTICLES[number][6]
        assert event.decoded("dtstart") == review and type(event.decoded("dtstart")) is date
        assert event.decoded("dtend") == review + timedelta(days=1)
        assert str(event["summary"]).startswith(f"Review due: {number} ")
        alarm = event.walk("VALARM")[0]
        assert str(alarm["action"]) == "DISPLAY"
        assert alarm.decoded("trigger") == timedelta(days=-60)  # as the warning window opens


def test_draft_event_comes_from_the_approved_version(kb):
    cal = Calendar.from_ical(make(kb))
    event = next(e for e in cal.walk("VEVENT") if str(e["uid"]).startswith("review-20.001@"))
    assert "version 1.0" in str(event["description"])
    assert "Neil Tancock <neil@safeharboursupport.com>" in str(event["description"])
    assert str(event["url"]) == "https://hub.example/phones/20.001-draft-dialplan.md"


def test_calendar_properties_apps_require(kb):
    cal = Calendar.from_ical(make(kb))
    assert str(cal["version"]) == "2.0"
    assert str(cal["prodid"]) == ical.PRODID
    for event in cal.walk("VEVENT"):
        for prop in ("uid", "dtstamp", "dtstart", "summary"):
            assert prop in event, prop
        assert event.decoded("dtstamp").tzinfo is not None  # DTSTAMP is UTC


def test_crlf_line_endings_and_folding(kb):
    raw = make(kb)
    lines = raw.split(b"\r\n")
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # long descriptions are folded


def test_output_does_not_depend_on_the_day_it_is_built(kb, tmp_path):
    later = corpus.load(kb.settings, T + timedelta(days=3))
    assert make(kb) == make(later)


def test_uid_uses_the_site_host():
    assert ical.uid("65.043", "https://hub.safeharboursupport.com/") == "review-65.043@hub.safeharboursupport.com"
    assert ical.uid("65.043", "") == "review-65.043@kb.invalid"


def test_uids_stay_at_the_internal_kbs_host_in_a_build_without_an_address(kb):
    offline = dataclasses.replace(kb, settings=dataclasses.replace(kb.settings, site_url=""))  # the offline copy
    events = Calendar.from_ical(ical.calendar(offline, dashboard.in_force_versions(offline))).walk("VEVENT")
    assert events and all(str(e["uid"]).endswith("@kb.safeharboursupport.com") for e in events)


def test_a_kept_memo_gives_the_same_calendar_and_serialises_only_what_changed(kb, monkeypatch):
    """`mkdocs serve` keeps the events between rebuilds: the same bytes as a calendar made afresh, and a
    version read again (a new object) is serialised again."""
    entries = dashboard.in_force_versions(kb, lambda a: "https://hub.example/" + a.path)
    memo: dict = {}
    assert ical.calendar(kb, entries, memo) == make(kb) == ical.calendar(kb, entries, memo)
    made = []
    real = ical._event
    monkeypatch.setattr(ical, "_event", lambda kb, entry: made.append(entry.article.number) or real(kb, entry))
    changed = dataclasses.replace(entries[0], version=dataclasses.replace(entries[0].version))
    ical.calendar(kb, [changed, *entries[1:]], memo)
    assert made == [entries[0].article.number]
