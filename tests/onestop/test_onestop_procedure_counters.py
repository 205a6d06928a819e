"""Unit × procedure counters (`ProcedureCounter`): the day/month/year buckets a period reads cover it
exactly, and the distinct-procedure sets read from them equal the ones from the day buckets alone."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from congvu.onestop.selectors import _next, period_buckets
from congvu.onestop.services import counter_buckets

days = st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2030, 12, 31))


def _days_of(span: str, start: dt.date) -> list[dt.date]:
    end = _next(span, start)
    return [start + dt.timedelta(days=i) for i in range((end - start).days)]


@settings(max_examples=300, deadline=None)
@given(a=days, length=st.integers(0, 900))
def test_buckets_cover_the_period_exactly_once(a, length):
    b = a + dt.timedelta(days=length)
    covered: list[dt.date] = []
    for span, first, last in period_buckets(a, b):
        start = first
        while start <= last:
            covered += _days_of(span, start)
            start = _next(span, start)
    assert covered == [a + dt.timedelta(days=i) for i in range(length + 1)]


@settings(max_examples=200, deadline=None)
@given(day=days)
def test_a_day_lands_in_its_own_month_and_year(day):
    (sd, d), (sm, m), (sy, y) = counter_buckets(day)
    assert (sd, sm, sy) == ("d", "m", "y") and d == day
    assert day in _days_of("m", m) and day in _days_of("y", y)


def test_a_year_is_one_bucket_and_a_quarter_three():
    assert period_buckets(dt.date(2023, 1, 1), dt.date(2023, 12, 31)) == [("y", dt.date(2023, 1, 1), dt.date(2023, 1, 1))]
    assert period_buckets(dt.date(2023, 4, 1), dt.date(2023, 6, 30)) == [("m", dt.date(2023, 4, 1), dt.date(2023, 6, 1))]
