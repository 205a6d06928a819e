"""Recurring tasks: the next due date of a recurrence the extractor found ("trước ngày 25/12 hằng năm").

Pure (no Django). A recurrence is a small dict kept on the task as written by the extractor:
{"freq": "yearly", "month": 12, "day": 25}, {"freq": "monthly", "day": 5}, {"freq": "quarterly", "day": 20}
(the day of the last month of each quarter), {"freq": "half_yearly"} or {"freq": "yearly"} (no day:
one period after the previous due date).
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

FREQUENCIES = ("yearly", "half_yearly", "quarterly", "monthly")


def _day_in(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _add_months(d: dt.date, months: int) -> dt.date:
    m = d.month - 1 + months
    return _day_in(d.year + m // 12, m % 12 + 1, d.day)


def valid(recurrence: Any) -> bool:
    return isinstance(recurrence, dict) and recurrence.get("freq") in FREQUENCIES


def next_due(recurrence: dict[str, Any] | None, after: dt.date | None) -> dt.date | None:
    """The first due date of `recurrence` strictly after `after` (the instance just completed), or None."""
    if not valid(recurrence) or after is None:
        return None
    assert recurrence is not None
    freq, day, month = recurrence["freq"], recurrence.get("day"), recurrence.get("month")
    if freq == "yearly":
        if isinstance(month, int) and isinstance(day, int) and 1 <= month <= 12:
            d = _day_in(after.year, month, day)
            return d if d > after else _day_in(after.year + 1, month, day)
        return _add_months(after, 12)
    if freq == "half_yearly":
        return _add_months(after, 6)
    step = 3 if freq == "quarterly" else 1
    if not isinstance(day, int):
        return _add_months(after, step)
    y, m = after.year, after.month
    for _ in range(16):
        if step == 1 or m % 3 == 0:
            d = _day_in(y, m, day)
            if d > after:
                return d
        m += 1
        if m > 12:
            y, m = y + 1, 1
    return None


def describe(recurrence: dict[str, Any] | None) -> str:
    """Vietnamese wording for the screen: "hằng năm, ngày 25/12"."""
    if not valid(recurrence):
        return ""
    assert recurrence is not None
    freq, day, month = recurrence["freq"], recurrence.get("day"), recurrence.get("month")
    if freq == "yearly":
        return f"hằng năm, ngày {day:02d}/{month:02d}" if day and month else "hằng năm"
    if freq == "half_yearly":
        return "6 tháng một lần"
    if freq == "quarterly":
        return f"hằng quý, ngày {day} tháng cuối quý" if day else "hằng quý"
    return f"hằng tháng, ngày {day}" if day else "hằng tháng"
