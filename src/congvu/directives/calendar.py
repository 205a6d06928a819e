"""Deadline arithmetic on the working-day calendar (congvu.workdays)."""

from __future__ import annotations

import datetime as dt


def cal():
    from congvu.workdays.selectors import work_calendar

    return work_calendar()


def effective_deadline(deadline: dt.date) -> dt.date:
    """A deadline that falls on a day off moves to the next working day (Bộ luật Dân sự, Điều 148)."""
    c = cal()
    return deadline if c.is_working_day(deadline) else c.next_working_day(deadline)


def overdue_cutoff(today: dt.date) -> dt.date:
    """Deadlines on or before this date are overdue on `today`: the last working day before today.

    A deadline D is overdue when its effective deadline is before today; every day between that
    working day and today is a day off, so D ≤ cutoff ⇔ effective(D) < today.
    """
    return cal().previous_working_day(today)


def is_overdue(deadline: dt.date | None, today: dt.date) -> bool:
    return deadline is not None and deadline <= overdue_cutoff(today)


def working_days_overdue(deadline: dt.date, today: dt.date) -> int:
    return cal().working_days_between(effective_deadline(deadline), today)


def working_days_left(deadline: dt.date, today: dt.date) -> int:
    return cal().working_days_between(today, effective_deadline(deadline))


def due_soon_until(today: dt.date, n: int) -> dt.date:
    """Deadlines up to this date are 'due soon' (within n working days, days off included)."""
    c = cal()
    last = c.add_working_days(today, n)
    # Days off after the n-th working day still fall due on it or later: include them up to the next one.
    return c.next_working_day(last) - dt.timedelta(days=1)
