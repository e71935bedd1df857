"""The review policy and house settings, read from mkdocs.yml's `extra.kb.policy`, with the contract's defaults."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from kb import dates

_INTERVAL_RE = re.compile(r"^\s*(\d+)\s*(years?|y|months?|m|days?|d)\s*$", re.IGNORECASE)


class PolicyError(ValueError):
    """A policy value in mkdocs.yml that cannot be used; the message names the setting."""


@dataclass(frozen=True)
class Policy:
    review_interval_months: int | None = 36
    review_interval_days: int | None = None
    review_warning_days: int = 60
    number_pattern: str = r"^\d{2}\.\d{3}$"
    date_format: str = "DD-MMM-YYYY"

    @property
    def number_re(self) -> re.Pattern[str]:
        return re.compile(self.number_pattern)

    def latest_review_date(self, approved: date) -> date:
        """The latest review date the policy allows for a version approved on `approved`."""
        if self.review_interval_days is not None:
            return approved + timedelta(days=self.review_interval_days)
        return dates.add_months(approved, self.review_interval_months or 0)

    @property
    def interval_text(self) -> str:
        if self.review_interval_days is not None:
            return f"{self.review_interval_days} days"
        months = self.review_interval_months or 0
        return f"{months // 12} years" if months % 12 == 0 else f"{months} months"

    def format_date(self, value: date | None) -> str:
        return dates.format_date(value, self.date_format)


def policy_from(settings: Any) -> Policy:
    """Build a Policy from the `policy` mapping of mkdocs.yml; every bad value is a PolicyError naming it."""
    if settings is None:
        return Policy()
    if not isinstance(settings, dict):
        raise PolicyError("extra.kb.policy must be a mapping of settings")
    known = {"review_interval", "review_warning_days", "number_pattern", "date_format"}
    unknown = sorted(set(settings) - known)
    if unknown:
        raise PolicyError(f"extra.kb.policy: unknown setting {unknown[0]!r} (known: {', '.join(sorted(known))})")
    values: dict[str, Any] = {}
    if "review_interval" in settings:
        values.update(_interval(settings["review_interval"]))
    if "review_warning_days" in settings:
        days = settings["review_warning_days"]
        if not isinstance(days, int) or isinstance(days, bool) or days < 0:
            raise PolicyError(f"extra.kb.policy.review_warning_days must be a whole number of days ≥ 0, not {days!r}")
        values["review_warning_days"] = days
    if "number_pattern" in settings:
        pattern = settings["number_pattern"]
        try:
            re.compile(pattern)
        except (re.error, TypeError) as exc:
            raise PolicyError(f"extra.kb.policy.number_pattern {pattern!r} is not a regular expression: {exc}") from None
        values["number_pattern"] = pattern
    if "date_format" in settings:
        try:
            dates.check_format(settings["date_format"])
        except dates.DateSettingError as exc:
            raise PolicyError(f"extra.kb.policy.{exc}") from None
        values["date_format"] = settings["date_format"]
    return Policy(**values)


def _interval(value: Any) -> dict[str, int | None]:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return {"review_interval_months": value * 12, "review_interval_days": None}
    match = _INTERVAL_RE.match(value) if isinstance(value, str) else None
    if not match or int(match.group(1)) <= 0:
        raise PolicyError(
            f"extra.kb.policy.review_interval {value!r} is not an interval: write e.g. '3 years', '18 months' or '365 days'")
    amount, unit = int(match.group(1)), match.group(2).lower()[0]
    if unit == "d":
        return {"review_interval_months": None, "review_interval_days": amount}
    return {"review_interval_months": amount * 12 if unit == "y" else amount, "review_interval_days": None}
