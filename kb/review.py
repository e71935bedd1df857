"""Where a document stands against its review date: ok, due (inside the warning window) or overdue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from kb.policy import Policy


class ReviewState(str, Enum):
    OK = "ok"
    DUE = "due"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class ReviewStatus:
    state: ReviewState
    days_left: int
    review_date: date


def review_status(review_date: date, today: date, policy: Policy) -> ReviewStatus:
    """today > review_date is overdue; today > review_date − warning window is due."""
    days_left = (review_date - today).days
    if today > review_date:
        state = ReviewState.OVERDUE
    elif today > review_date - timedelta(days=policy.review_warning_days):
        state = ReviewState.DUE
    else:
        state = ReviewState.OK
    return ReviewStatus(state, days_left, review_date)
