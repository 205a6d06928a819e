"""Property tests: the O(1) index against a naive day-by-day reference (which lives only here)."""

from __future__ import annotations

import datetime as dt

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from congvu.workdays.calendar import (
    OVERRIDE_KINDS,
    WORKING_DAY,
    CalendarConfig,
    Override,
    WorkCalendar,
    compute_holidays,
    shipped_calendar,
    shipped_config,
)

ONE = dt.timedelta(days=1)
dates = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))
counts = st.integers(min_value=1, max_value=400)
PROFILE = settings(max_examples=300, deadline=None)


class Naive:
    """Reference: decide each day from the config (override > rule > weekend) and walk."""

    def __init__(self, config: CalendarConfig) -> None:
        self.config = config
        self.overrides = {o.date: o for o in config.overrides}
        self.holidays: dict[int, set[dt.date]] = {}

    def is_working(self, d: dt.date) -> bool:
        o = self.overrides.get(d)
        if o is not None:
            return o.kind == WORKING_DAY
        if d.year not in self.holidays:
            self.holidays[d.year] = set(compute_holidays(d.year, self.config))
        if d in self.holidays[d.year]:
            return False
        return d.weekday() not in self.config.weekend

    def add(self, d: dt.date, n: int) -> dt.date:
        step = ONE if n > 0 else -ONE
        left = abs(n)
        while left:
            d += step
            if self.is_working(d):
                left -= 1
        return d

    def between(self, a: dt.date, b: dt.date) -> int:
        count = 0
        while a < b:
            a += ONE
            count += self.is_working(a)
        return count


CAL = shipped_calendar()
NAIVE = Naive(shipped_config())


@PROFILE
@given(d=dates, n=counts)
def test_between_inverts_add(d: dt.date, n: int) -> None:
    assert CAL.working_days_between(d, CAL.add_working_days(d, n)) == n


@PROFILE
@given(d=dates, n=counts)
def test_add_lands_on_a_working_day_after_d(d: dt.date, n: int) -> None:
    due = CAL.add_working_days(d, n)
    assert due > d
    assert CAL.is_working_day(due)


@PROFILE
@given(d=dates, n=counts, extra=st.integers(min_value=1, max_value=200))
def test_add_strictly_increasing_in_n(d: dt.date, n: int, extra: int) -> None:
    assert CAL.add_working_days(d, n) < CAL.add_working_days(d, n + extra)


@PROFILE
@given(a=dates, b=dates, c=dates)
def test_between_is_additive(a: dt.date, b: dt.date, c: dt.date) -> None:
    a, b, c = sorted((a, b, c))
    assert CAL.working_days_between(a, b) + CAL.working_days_between(b, c) == CAL.working_days_between(a, c)


@PROFILE
@given(d=dates, n=counts)
def test_negative_n_mirrors_positive(d: dt.date, n: int) -> None:
    back = CAL.add_working_days(d, -n)
    assert back < d and CAL.is_working_day(back)
    if CAL.is_working_day(d):
        assert CAL.add_working_days(back, n) == d
        assert CAL.working_days_between(back, d) == n


@PROFILE
@given(d=dates, n=st.integers(min_value=-120, max_value=120))
def test_add_agrees_with_naive(d: dt.date, n: int) -> None:
    assume(n != 0)
    assert CAL.add_working_days(d, n) == NAIVE.add(d, n)


@PROFILE
@given(a=dates, b=dates)
def test_between_and_is_working_agree_with_naive(a: dt.date, b: dt.date) -> None:
    if (b - a).days > 800:  # keep the naive walk short
        b = a + dt.timedelta(days=800)
    assert CAL.working_days_between(a, b) == NAIVE.between(a, b)
    assert CAL.is_working_day(a) == NAIVE.is_working(a)
    assert CAL.working_days_in_range(a, b) == [
        a + dt.timedelta(days=i)
        for i in range((b - a).days + 1)
        if NAIVE.is_working(a + dt.timedelta(days=i))
    ]


overrides = st.lists(
    st.builds(Override, date=dates, kind=st.sampled_from(OVERRIDE_KINDS), name=st.just("random")),
    max_size=40,
    unique_by=lambda o: o.date,
)


@settings(max_examples=60, deadline=None)
@given(
    extra=overrides,
    probes=st.lists(st.tuples(dates, st.integers(min_value=-300, max_value=300)), min_size=1, max_size=10),
)
def test_index_agrees_with_naive_under_random_overrides(
    extra: list[Override], probes: list[tuple[dt.date, int]]
) -> None:
    config = shipped_config().with_overrides(extra)
    cal, naive = WorkCalendar(config), Naive(config)
    for d, n in probes:
        assert cal.is_working_day(d) == naive.is_working(d)
        assert cal.add_working_days(d, n) == (d if n == 0 else naive.add(d, n))
        far = d + dt.timedelta(days=abs(n))
        assert cal.working_days_between(d, far) == naive.between(d, far)


def test_every_day_2020_2030_agrees_with_naive() -> None:
    d = dt.date(2020, 1, 1)
    while d <= dt.date(2030, 12, 31):
        assert CAL.is_working_day(d) == NAIVE.is_working(d), d
        d += ONE


def test_all_days_off_are_named() -> None:
    d = dt.date(2023, 1, 1)
    while d <= dt.date(2027, 12, 31):
        reason = CAL.off_reason(d)
        assert (reason is None) == CAL.is_working_day(d)
        if reason is not None:
            assert reason.strip()
        d += ONE
