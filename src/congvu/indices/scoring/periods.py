"""Periods: "2023" (year), "2023-Q2" (quarter), "2023-06" (month) → inclusive date ranges."""

from __future__ import annotations

import calendar
import datetime as dt
import re

_RE = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|(0[1-9]|1[0-2])))?$")


class PeriodInvalid(ValueError):
    pass


def period_bounds(period: str) -> tuple[dt.date, dt.date]:
    m = _RE.match(str(period).strip().upper())
    if not m:
        raise PeriodInvalid(f"Kỳ “{period}” không đúng dạng: dùng 2023, 2023-Q2 hoặc 2023-06.")
    year = int(m.group(1))
    if m.group(2):
        q = int(m.group(2))
        start = dt.date(year, 3 * q - 2, 1)
        end_month = 3 * q
    elif m.group(3):
        start = dt.date(year, int(m.group(3)), 1)
        end_month = start.month
    else:
        start = dt.date(year, 1, 1)
        end_month = 12
    return start, dt.date(year, end_month, calendar.monthrange(year, end_month)[1])


def period_normalise(period: str) -> str:
    period_bounds(period)
    return str(period).strip().upper()


def period_previous(period: str) -> str:
    """The period of the same length just before ("2023" → "2022", "2023-Q1" → "2022-Q4")."""
    p = period_normalise(period)
    year = int(p[:4])
    if len(p) == 4:
        return str(year - 1)
    if p[5] == "Q":
        q = int(p[6])
        return f"{year - 1}-Q4" if q == 1 else f"{year}-Q{q - 1}"
    month = int(p[5:7])
    return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"


def period_elapsed_fraction(period: str, today: dt.date) -> float:
    """Share of the period's days up to and including `today` (0 before it starts, 1 after it ends)."""
    start, end = period_bounds(period)
    if today < start:
        return 0.0
    if today >= end:
        return 1.0
    return ((today - start).days + 1) / ((end - start).days + 1)
