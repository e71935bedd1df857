"""The review calendar (reviews.ics): one all-day event per article in force, on its review date, with a
reminder as the policy's warning window opens.

Reproducible: nothing depends on the clock. DTSTAMP is the date of the version's last change-control row,
and the UID is the document number at the internal KB's host (in its offline copy too, which has no address),
so re-importing updates events instead of adding new ones.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

from icalendar import Alarm, Calendar, Event

from kb.corpus import KnowledgeBase
from kb.dashboard import Served

PRODID = "-//Safeharbour Support//Knowledge Base review calendar//EN"


def uid(number: str, site_url: str) -> str:
    """Stable per article (not per version): a new approval moves the event instead of adding one."""
    host = urlsplit(site_url).hostname or "kb.invalid"
    return f"review-{number}@{host}"


def calendar(kb: KnowledgeBase, entries: list[Served], memo: dict[tuple[Any, ...], Any] | None = None) -> bytes:
    """The iCalendar file: CRLF line endings and folding come from icalendar.

    `memo`, kept by a caller that makes the calendar again (`mkdocs serve`), holds each event's text by what
    it is made of, so only the events of changed articles are serialised again (icalendar's folding is slow)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = f"{kb.settings.site_name}: reviews"
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("refresh-interval", timedelta(days=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "P1D")
    events, kept = [], {}
    for entry in sorted(entries, key=lambda e: e.article.number or ""):
        key = _event_key(kb, entry)
        version, text = (memo or {}).get(key, (None, b""))
        if version is not entry.version:  # an id is only the same version while that version is alive
            event = _event(kb, entry)
            text = event.to_ical() if event is not None else b""
        kept[key] = (entry.version, text)
        events.append(text)
    if memo is not None:  # the events of this calendar only
        memo.clear()
        memo.update(kept)
    head = cal.to_ical()  # BEGIN:VCALENDAR, its properties, END:VCALENDAR: the events go before the end
    end = b"END:VCALENDAR\r\n"
    return head[:-len(end)] + b"".join(events) + end


# Helper functions


def _event_key(kb: KnowledgeBase, entry: Served) -> tuple[Any, ...]:
    """Everything an event is made of: the version (its reading is kept while its file is unchanged, so its
    identity stands for its text), where it is published, and the settings and owner it names."""
    owner = kb.authors.get(entry.version.control.author or "")
    policy = kb.settings.policy
    return (id(entry.version), entry.article.number, entry.url, repr(owner), policy.date_format,
            policy.review_warning_days, kb.settings.sites.internal, kb.settings.site_url)


def _event(kb: KnowledgeBase, entry: Served) -> Event | None:
    f = entry.version.control
    review_date, number = f.review_date, entry.article.number
    if review_date is None or not number:
        return None
    fmt = kb.settings.policy.format_date
    owner = kb.authors.get(f.author or "")
    owner_text = f"{owner.name} <{owner.email}>" if owner and owner.email else (owner.name if owner else f.author)
    changed = max((row.date for row in entry.version.changes if row is not None), default=f.approval_date)
    stamp = datetime.combine(changed or review_date, time(0, 0), tzinfo=timezone.utc)
    title = f"{number} {f.name or ''}".strip()
    lines = [f"Review due for {title}, version {f.version or ''}.",
             f"Approved {fmt(f.approval_date)} by {f.approval or 'unknown'}; review by {fmt(review_date)}.",
             f"Owner: {owner_text}."]
    if entry.url:
        lines.append(entry.url)
    warning = kb.settings.policy.review_warning_days

    event = Event()
    event.add("uid", uid(number, kb.settings.sites.internal or kb.settings.site_url))  # the offline copy's too
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("dtstart", review_date)
    event.add("dtend", review_date + timedelta(days=1))
    event.add("summary", f"Review due: {title}")
    event.add("description", "\n".join(lines))
    if entry.url:
        event.add("url", entry.url)
    event.add("categories", ["Document review"])
    event.add("transp", "TRANSPARENT")
    event.add("status", "CONFIRMED")
    if warning > 0:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Review of {title} is due in {warning} days ({fmt(review_date)})")
        alarm.add("trigger", timedelta(days=-warning))
        event.add_component(alarm)
    return event
