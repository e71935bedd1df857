"""Today's date (overridable by KB_TODAY) and the house date format (26-FEB-2025)."""

from __future__ import annotations

import calendar
import os
import re
from datetime import date, datetime, timezone

HOUSE_DATE_RE = re.compile(r"^\s*(\d{1,2})[-\s/]([A-Za-z]{3,9})[-\s/](\d{4})\s*$")
_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_name) if name})
_FORMAT_TOKENS = re.compile(r"YYYY|MMMM|MMM|Mmm|MM|DD|D")
# The dates the KB accepts, in front matter and as KB_TODAY: wide enough for any real document, narrow
# enough that review intervals and warning windows added or taken away stay real dates (no OverflowError).
EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2999, 12, 31)


class DateSettingError(ValueError):
    """KB_TODAY or a date format in mkdocs.yml that cannot be used."""


def today() -> date:
    """KB_TODAY=YYYY-MM-DD when set, else the real date in UTC."""
    value = os.environ.get("KB_TODAY", "").strip()
    if not value:
        return datetime.now(timezone.utc).date()
    day = parse_iso_date(value)
    if day is None:
        raise DateSettingError(f"KB_TODAY={value!r} is not a date: write it as YYYY-MM-DD")
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise DateSettingError(f"KB_TODAY={value!r} is outside the dates the KB accepts "
                               f"({EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()})")
    return day


def parse_iso_date(text: str) -> date | None:
    """2025-02-26 as a date, or None: what KB_TODAY and an imported page's dates are read with."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def parse_house_date(text: str) -> date | None:
    """26-FEB-2025 (the old KB's format) as a date, or None."""
    match = HOUSE_DATE_RE.match(text)
    if not match:
        return None
    day, month, year = match.groups()
    number = _MONTHS.get(month.lower())
    if number is None:
        return None
    try:
        return date(int(year), number, int(day))
    except ValueError:
        return None


def check_format(pattern: str) -> None:
    if not isinstance(pattern, str) or not _FORMAT_TOKENS.search(pattern):
        raise DateSettingError(
            f"date_format {pattern!r} has no date tokens: use YYYY, MM, MMM, Mmm, MMMM, DD and D, as in DD-MMM-YYYY")


def format_date(value: date | None, pattern: str = "DD-MMM-YYYY") -> str:
    """Render `value` in the house format; tokens: YYYY, MMMM (February), MMM (FEB), Mmm (Feb), MM, DD, D."""
    if value is None:
        return ""
    tokens = {
        "YYYY": f"{value.year:04d}",
        "MMMM": calendar.month_name[value.month],
        "MMM": calendar.month_abbr[value.month].upper(),
        "Mmm": calendar.month_abbr[value.month],
        "MM": f"{value.month:02d}",
        "DD": f"{value.day:02d}",
        "D": str(value.day),
    }
    return _FORMAT_TOKENS.sub(lambda m: tokens[m.group(0)], pattern)


def add_months(start: date, months: int) -> date:
    """`start` plus whole months; the 29th/30th/31st falls back to the month's last day."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def pin_source_date_epoch() -> None:
    """With KB_TODAY set and no SOURCE_DATE_EPOCH, dates that tools stamp on a build (MkDocs' sitemap and
    its gzip header) are KB_TODAY too, so two builds of one commit are byte-identical."""
    value = os.environ.get("KB_TODAY", "").strip()
    if value and not os.environ.get("SOURCE_DATE_EPOCH"):
        midnight = datetime.combine(today(), datetime.min.time(), tzinfo=timezone.utc)
        os.environ["SOURCE_DATE_EPOCH"] = str(int(midnight.timestamp()))
