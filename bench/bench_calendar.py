"""Benchmark of the working-day calendar: the indexed core against a naive day-by-day walk.

Plain script, no Django: the pure core + the shipped YAML.

    .venv/bin/python bench/bench_calendar.py [--ops 200000] [--seed 1] [--repeat 7]

Each figure is the best of `--repeat` runs, the indexed core and its naive anchor timed alternately
(one run lasts tens of milliseconds: on a shared machine a single run mostly measures who else had
the core; the best run is the least disturbed one, for the anchor as for the figure).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from collections.abc import Callable

from congvu.workdays.calendar import WorkCalendar, compute_holidays, shipped_config

ONE = dt.timedelta(days=1)
FIRST, LAST = dt.date(2023, 1, 1), dt.date(2027, 12, 31)


class NaiveCalendar:
    """Reference: decide each day from the config and walk one day at a time."""

    def __init__(self) -> None:
        config = shipped_config()
        self.weekend = config.weekend
        self.overrides = {o.date: o.kind == "working_day" for o in config.overrides}
        self.holidays = {d for y in range(FIRST.year - 1, LAST.year + 3) for d in compute_holidays(y, config)}

    def is_working_day(self, d: dt.date) -> bool:
        override = self.overrides.get(d)
        if override is not None:
            return override
        return d not in self.holidays and d.weekday() not in self.weekend

    def add_working_days(self, d: dt.date, n: int) -> dt.date:
        while n:
            d += ONE
            if self.is_working_day(d):
                n -= 1
        return d

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        count = 0
        while a < b:
            a += ONE
            count += self.is_working_day(a)
        return count


def rates(fast: Callable[[], None], fast_ops: int, slow: Callable[[], None], slow_ops: int,
          repeat: int) -> tuple[float, float]:
    """(fast ops/s, slow ops/s): best of `repeat` alternating runs of each."""
    best_fast = best_slow = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fast()
        best_fast = min(best_fast, time.perf_counter() - start)
        start = time.perf_counter()
        slow()
        best_slow = min(best_slow, time.perf_counter() - start)
    return fast_ops / best_fast, slow_ops / best_slow


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ops", type=int, default=200_000, help="operations per indexed measurement")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=7, help="runs of each measurement (best one reported)")
    args = parser.parse_args()
    rnd = random.Random(args.seed)
    span = (LAST - FIRST).days
    days = [FIRST + dt.timedelta(days=rnd.randrange(span)) for _ in range(args.ops)]
    counts = [rnd.randint(1, 60) for _ in range(args.ops)]
    ends = [d + dt.timedelta(days=rnd.randint(0, 90)) for d in days]

    cal = WorkCalendar(shipped_config())
    naive = NaiveCalendar()
    cal.add_working_days(FIRST, 1), cal.add_working_days(LAST, 100)  # build the years outside the timing
    naive_ops = max(1, args.ops // 10)  # the naive walk is slow: time fewer ops, report per-op rates

    # The two implementations must agree before their speeds mean anything.
    for d, n, e in zip(days[:2000], counts, ends, strict=False):
        assert cal.add_working_days(d, n) == naive.add_working_days(d, n)
        assert cal.working_days_between(d, e) == naive.working_days_between(d, e)

    def fast_add(k: int = args.ops) -> None:
        f = cal.add_working_days
        for d, n in zip(days[:k], counts[:k], strict=True):
            f(d, n)

    def slow_add(k: int = naive_ops) -> None:
        f = naive.add_working_days
        for d, n in zip(days[:k], counts[:k], strict=True):
            f(d, n)

    def fast_between(k: int = args.ops) -> None:
        f = cal.working_days_between
        for a, b in zip(days[:k], ends[:k], strict=True):
            f(a, b)

    def slow_between(k: int = naive_ops) -> None:
        f = naive.working_days_between
        for a, b in zip(days[:k], ends[:k], strict=True):
            f(a, b)

    def fast_is_working(k: int = args.ops) -> None:
        f = cal.is_working_day
        for d in days[:k]:
            f(d)

    def slow_is_working(k: int = args.ops) -> None:
        f = naive.is_working_day
        for d in days[:k]:
            f(d)

    print(
        f"# {args.ops} ops over {FIRST}..{LAST} (n random 1..60, between spans 0..90 days); naive on {naive_ops} ops; "
        f"best of {args.repeat} alternating runs each"
    )
    for name, fast, slow, slow_ops in (
        ("add_working_days", fast_add, slow_add, naive_ops),
        ("working_days_between", fast_between, slow_between, naive_ops),
        ("is_working_day", fast_is_working, slow_is_working, args.ops),
    ):
        f_rate, s_rate = rates(fast, args.ops, slow, slow_ops, args.repeat)
        print(
            f"calendar.{name}: {f_rate:,.0f} ops/s | anchor naive day-by-day loop {s_rate:,.0f} ops/s: ratio "
            f"{f_rate / s_rate:.1f}x{'' if name == 'is_working_day' else ' (target >= 50x)'}"
        )

    start = time.perf_counter()
    cold = WorkCalendar(shipped_config())
    cold.add_working_days(dt.date(2023, 6, 1), 1)
    print(f"calendar.cold_build (3 years, first query): {(time.perf_counter() - start) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
