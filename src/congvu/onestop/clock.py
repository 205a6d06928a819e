"""The dossier clock: promised return time and the on-time verdict. Pure: no Django imports.

Spec: /work/shared/spec/onestop.md §2.6 (how time is counted) and §1.3 "Rules for on time".
The working-day calendar is passed in (anything with `add_working_days`, `working_days_between`,
`is_working_day`, `next_working_day`: `congvu.workdays.selectors.work_calendar()` in production).
Uncertain rules come from an `OnestopRules` (congvu.onestop.rules).

Datetimes: aware values are converted to Vietnamese local time; naive values are read as local
time. Results keep the awareness of the input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Protocol
from zoneinfo import ZoneInfo

from congvu.onestop.rules import OnestopRules

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class Calendar(Protocol):
    def add_working_days(self, d: dt.date, n: int) -> dt.date: ...
    def working_days_between(self, a: dt.date, b: dt.date) -> int: ...
    def is_working_day(self, d: dt.date) -> bool: ...
    def next_working_day(self, d: dt.date) -> dt.date: ...


class TimeUnit(StrEnum):
    WORKING_DAYS = "working_days"
    DAYS = "days"
    HOURS = "hours"
    MONTHS = "months"


class Verdict(StrEnum):
    EARLY = "early"  # trước hạn
    ON_TIME = "on_time"  # đúng hạn
    LATE = "late"  # trễ hạn: finished after the due time
    OVERDUE = "overdue"  # quá hạn: still open after the due time
    PENDING = "pending"  # still open, within time (counts as on time in 766 indicator 2.1)


# Order for monotonicity: a later finish never gives a better verdict.
VERDICT_RANK = {Verdict.EARLY: 0, Verdict.ON_TIME: 1, Verdict.LATE: 2}

PAPER_CHANNELS = frozenset({"in_person", "postal"})


@dataclass(frozen=True)
class Pause:
    """A supplement wait: from the request to the complete supplement (None while still waiting)."""

    start: dt.datetime
    end: dt.datetime | None = None


def _local(value: dt.datetime) -> dt.datetime:
    return value.astimezone(LOCAL_TZ) if value.tzinfo is not None else value


def _like(template: dt.datetime, naive_local: dt.datetime) -> dt.datetime:
    """`naive_local` (a local wall time) with the awareness of `template`."""
    return naive_local.replace(tzinfo=LOCAL_TZ) if template.tzinfo is not None else naive_local


def _naive(value: dt.datetime) -> dt.datetime:
    return _local(value).replace(tzinfo=None)


def _after_office(t: dt.time, rules: OnestopRules) -> bool:
    return t >= rules.office_hours[-1][1]


def start_day(received_at: dt.datetime, channel: str, cal: Calendar, rules: OnestopRules) -> dt.date:
    """The day after which the deadline is counted (§2.6.2 and §2.6.4).

    Paper dossiers (counter, post) received after the cut-off count from the next working day.
    Online dossiers accepted after office hours or on a day off count from the next working day.
    """
    local = _naive(received_at)
    day = local.date()
    if channel in rules.cutoff_channels:
        if cal.is_working_day(day) and local.time() > rules.cutoff_time:
            return cal.next_working_day(day)
        return day
    if rules.online_after_hours_next_day:
        if not cal.is_working_day(day):
            return cal.next_working_day(day)
        if _after_office(local.time(), rules):
            return cal.next_working_day(day)
    return day


def _add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise ValueError(d)


def _roll_to_working(d: dt.date, cal: Calendar) -> dt.date:
    """BLDS 2015: a period ending on a day off ends on the next working day."""
    return d if cal.is_working_day(d) else cal.next_working_day(d)


def _closed(pauses: Iterable[Pause]) -> list[Pause]:
    return [p for p in pauses if p.end is not None and p.end > p.start]


# ------------------------------------------------------------------------------------------------
# Office-hour arithmetic (deadlines in hours, per-step budgets)
# ------------------------------------------------------------------------------------------------


def _office_windows(day: dt.date, cal: Calendar, rules: OnestopRules) -> list[tuple[dt.datetime, dt.datetime]]:
    if not cal.is_working_day(day):
        return []
    return [(dt.datetime.combine(day, a), dt.datetime.combine(day, b)) for a, b in rules.office_hours]


def office_seconds_between(a: dt.datetime, b: dt.datetime, cal: Calendar, rules: OnestopRules) -> int:
    """Seconds of office time in [a, b) on working days (0 when b ≤ a)."""
    a, b = _naive(a), _naive(b)
    if b <= a:
        return 0
    total = 0
    day = a.date()
    while day <= b.date():
        for start, end in _office_windows(day, cal, rules):
            lo, hi = max(start, a), min(end, b)
            if hi > lo:
                total += int((hi - lo).total_seconds())
        day += dt.timedelta(days=1)
    return total


def add_office_seconds(start: dt.datetime, seconds: int, cal: Calendar, rules: OnestopRules) -> dt.datetime:
    """The moment when `seconds` of office time have passed after `start`."""
    cur = _naive(start)
    remaining = max(0, int(seconds))
    day = cur.date()
    while True:
        for w_start, w_end in _office_windows(day, cal, rules):
            lo = max(w_start, cur)
            if lo >= w_end:
                continue
            available = int((w_end - lo).total_seconds())
            if remaining <= available:
                return _like(start, lo + dt.timedelta(seconds=remaining))
            remaining -= available
        day = cal.next_working_day(day)
        cur = dt.datetime.combine(day, dt.time())


# ------------------------------------------------------------------------------------------------
# Promised return (NgayHenTra)
# ------------------------------------------------------------------------------------------------


def due_datetime(
    received_at: dt.datetime,
    *,
    amount: int | float | Decimal,
    unit: str,
    channel: str,
    cal: Calendar,
    rules: OnestopRules,
    pauses: Sequence[Pause] = (),
) -> dt.datetime:
    """Promised return time for a dossier received at `received_at` (§2.6).

    `pauses` (supplement waits) push the due time back by the time they cover, counted in the
    procedure's own unit (working days, days, office hours). A pause still open counts until its
    start only (it is pending).
    """
    unit = TimeUnit(unit)
    amount = Decimal(str(amount))
    if amount < 0:
        raise ValueError("amount must be ≥ 0")
    if unit is TimeUnit.WORKING_DAYS and amount != amount.to_integral_value():
        unit, amount = TimeUnit.HOURS, amount * Decimal(rules.office_seconds_per_day) / 3600
    closed = _closed(pauses)
    base = start_day(received_at, channel, cal, rules)
    if unit is TimeUnit.HOURS:
        local = _naive(received_at)
        start = local if base == local.date() else dt.datetime.combine(base, dt.time())
        extra = sum(office_seconds_between(p.start, p.end, cal, rules) for p in closed)
        return add_office_seconds(_like(received_at, start), int(amount * 3600) + extra, cal, rules)
    n = int(amount)
    if unit is TimeUnit.WORKING_DAYS:
        day = cal.add_working_days(base, n) if n > 0 else _roll_to_working(base, cal)
        extra = sum(cal.working_days_between(_naive(p.start).date(), _naive(p.end).date()) for p in closed)
        if extra:
            day = cal.add_working_days(day, extra)
    elif unit is TimeUnit.DAYS:
        extra = sum((_naive(p.end).date() - _naive(p.start).date()).days for p in closed)
        day = _roll_to_working(base + dt.timedelta(days=n + extra), cal)
    else:  # months
        extra = sum((_naive(p.end).date() - _naive(p.start).date()).days for p in closed)
        day = _roll_to_working(_add_months(base, n) + dt.timedelta(days=extra), cal)
    local_received = _naive(received_at)
    while dt.datetime.combine(day, rules.due_time) < local_received:  # same-day work received late
        day = cal.next_working_day(day)
    return _like(received_at, dt.datetime.combine(day, rules.due_time))


# ------------------------------------------------------------------------------------------------
# Verdict (766 indicator 2.1)
# ------------------------------------------------------------------------------------------------


def paused_seconds(pauses: Sequence[Pause], until: dt.datetime) -> int:
    """Seconds of closed supplement waits before `until`."""
    total = 0
    u = _naive(until)
    for p in _closed(pauses):
        lo, hi = _naive(p.start), min(_naive(p.end), u)
        if hi > lo:
            total += int((hi - lo).total_seconds())
    return total


def end_of_processing(
    *, finished_at: dt.datetime | None, period_end: dt.datetime, pauses: Sequence[Pause] = ()
) -> tuple[dt.datetime, bool]:
    """(end time, finished?) per §1.3: the first terminal status; a dossier waiting for its
    supplement ends at the request; otherwise the end of the reporting period."""
    if finished_at is not None:
        return finished_at, True
    waiting = [p for p in pauses if p.end is None]
    if waiting:
        return min(waiting[-1].start, period_end), False
    return period_end, False


def verdict(
    *,
    due_at: dt.datetime | None,
    end_at: dt.datetime,
    finished: bool = True,
    pauses: Sequence[Pause] = (),
    supplement_requests: int | None = None,
    received_at: dt.datetime | None = None,
    max_duration: dt.timedelta | None = None,
    rules: OnestopRules,
) -> Verdict:
    """Early / on time / late (finished) or pending / overdue (open), as §1.3 says:

    - more supplement requests than allowed ⇒ late (overdue if still open);
    - supplement time is excluded: effective end = end − closed supplement waits;
    - on time ⇔ effective end ≤ promised return (`due_at`); without `due_at`, on time ⇔
      effective end − receipt ≤ the procedure's maximum duration;
    - early = on time and finished on a calendar day before the due date (parameter).
    """
    requests = len(pauses) if supplement_requests is None else supplement_requests
    bad = Verdict.LATE if finished else Verdict.OVERDUE
    if requests > rules.max_supplement_requests:
        return bad
    effective_end = _naive(end_at) - dt.timedelta(seconds=paused_seconds(pauses, end_at))
    if due_at is None:
        if received_at is None or max_duration is None:
            raise ValueError("without due_at, received_at and max_duration are needed")
        due = _naive(received_at) + max_duration
    else:
        due = _naive(due_at)
    if effective_end > due:
        return bad
    if not finished:
        return Verdict.PENDING
    if rules.early_means_before_due_date and effective_end.date() < due.date():
        return Verdict.EARLY
    return Verdict.ON_TIME


def processing_seconds(received_at: dt.datetime, finished_at: dt.datetime, pauses: Sequence[Pause] = ()) -> int:
    """Processing time for 766 indicator 2.2: finish − receipt − supplement waits, in seconds."""
    raw = int((_naive(finished_at) - _naive(received_at)).total_seconds())
    return max(0, raw - paused_seconds(pauses, finished_at))


# ------------------------------------------------------------------------------------------------
# Per-step budgets (Phiếu kiểm soát quá trình giải quyết hồ sơ)
# ------------------------------------------------------------------------------------------------


def total_budget_seconds(amount: int | float | Decimal, unit: str, rules: OnestopRules) -> int:
    """The whole processing time as seconds of the clock steps are judged on: office seconds for
    working days and hours, calendar seconds for days and months (a month = 30 days)."""
    unit = TimeUnit(unit)
    amount = Decimal(str(amount))
    if unit is TimeUnit.WORKING_DAYS:
        return int(amount * rules.office_seconds_per_day)
    if unit is TimeUnit.HOURS:
        return int(amount * 3600)
    if unit is TimeUnit.DAYS:
        return int(amount * 86400)
    return int(amount * 30 * 86400)


def step_budgets(total_seconds: int, shares: Sequence[float | Decimal]) -> list[int]:
    """Split a budget by shares (Σ shares ≤ 1); rounding goes to the last step so Σ = total × Σ shares."""
    shares = [Decimal(str(s)) for s in shares]
    if any(s < 0 for s in shares) or sum(shares) > 1:
        raise ValueError("shares must be ≥ 0 and sum to at most 1")
    target = int(Decimal(total_seconds) * sum(shares))
    out = [int(Decimal(total_seconds) * s) for s in shares]
    if out:
        out[-1] += target - sum(out)
    return out


def step_spent_seconds(started_at: dt.datetime, finished_at: dt.datetime, unit: str, cal: Calendar,
                       rules: OnestopRules) -> int:
    if TimeUnit(unit) in (TimeUnit.WORKING_DAYS, TimeUnit.HOURS):
        return office_seconds_between(started_at, finished_at, cal, rules)
    return max(0, int((_naive(finished_at) - _naive(started_at)).total_seconds()))


def step_verdict(allotted_seconds: int, spent_seconds: int) -> Verdict:
    """Per hand-over, compared in whole minutes: less ⇒ early, equal ⇒ on time, more ⇒ late."""
    allotted, spent = allotted_seconds // 60, spent_seconds // 60
    if spent < allotted:
        return Verdict.EARLY
    if spent == allotted:
        return Verdict.ON_TIME
    return Verdict.LATE
