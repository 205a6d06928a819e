"""Benchmark of the working-day calendar: the indexed core against a naive day-by-day walk.

Plain script, no Django: the pure core + the shipped YAML.

    .venv/bin/python bench/bench_calendar.py [--ops 200000] [--seed 1] [--repeat 25]

Runs of a few milliseconds each (about one scheduler slice), the indexed core and its naive anchor
alternated: the core over ops/10 cases, the naive walk over 8 chunks of ops/1000 cases (as long a
run, 1.6k cases in all); each figure from the best of `--repeat` runs (per chunk for the anchor). On
a shared machine some runs of each go undisturbed and the best ones measure the code rather than
who else had the core (single long runs measured mostly the load: 26-52x for the same code). Both
sides are measured the same way; per-op rates are compared.
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


def rates(fast: Callable[[int, int], None], fast_ops: int, slow: Callable[[int, int], None], chunk: int,
          chunks: int, repeat: int) -> tuple[float, float]:
    """(fast ops/s, slow ops/s), both from runs of a few milliseconds, alternated: the fast code over its
    first `fast_ops` cases, the slow one over `chunks` consecutive chunks of `chunk` cases (so that it too
    runs about as long as the fast code and sees as many cases); best of `repeat` runs per chunk."""
    best_fast = float("inf")
    best_chunk = [float("inf")] * chunks
    for _ in range(repeat):
        for c in range(chunks):
            start = time.perf_counter()
            fast(0, fast_ops)
            best_fast = min(best_fast, time.perf_counter() - start)
            start = time.perf_counter()
            slow(c * chunk, (c + 1) * chunk)
            best_chunk[c] = min(best_chunk[c], time.perf_counter() - start)
    return fast_ops / best_fast, chunk * chunks / sum(best_chunk)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ops", type=int, default=200_000, help="operations per indexed measurement")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=25, help="runs of each measurement (best one reported)")
    args = parser.parse_args()
    rnd = random.Random(args.seed)
    span = (LAST - FIRST).days
    days = [FIRST + dt.timedelta(days=rnd.randrange(span)) for _ in range(args.ops)]
    counts = [rnd.randint(1, 60) for _ in range(args.ops)]
    ends = [d + dt.timedelta(days=rnd.randint(0, 90)) for d in days]

    cal = WorkCalendar(shipped_config())
    naive = NaiveCalendar()
    cal.add_working_days(FIRST, 1), cal.add_working_days(LAST, 100)  # build the years outside the timing
    fast_ops = max(1, args.ops // 10)  # cases per timed run of the indexed core: a few milliseconds
    chunk = max(1, args.ops // 1000)  # cases per timed run of the naive walk: about as long
    chunks = max(1, min(8, args.ops // chunk))

    # The two implementations must agree before their speeds mean anything.
    for d, n, e in zip(days[:2000], counts, ends, strict=False):
        assert cal.add_working_days(d, n) == naive.add_working_days(d, n)
        assert cal.working_days_between(d, e) == naive.working_days_between(d, e)

    def fast_add(i: int, k: int) -> None:
        f = cal.add_working_days
        for d, n in zip(days[i:k], counts[i:k], strict=True):
            f(d, n)

    def slow_add(i: int, k: int) -> None:
        f = naive.add_working_days
        for d, n in zip(days[i:k], counts[i:k], strict=True):
            f(d, n)

    def fast_between(i: int, k: int) -> None:
        f = cal.working_days_between
        for a, b in zip(days[i:k], ends[i:k], strict=True):
            f(a, b)

    def slow_between(i: int, k: int) -> None:
        f = naive.working_days_between
        for a, b in zip(days[i:k], ends[i:k], strict=True):
            f(a, b)

    def fast_is_working(i: int, k: int) -> None:
        f = cal.is_working_day
        for d in days[i:k]:
            f(d)

    def slow_is_working(i: int, k: int) -> None:
        f = naive.is_working_day
        for d in days[i:k]:
            f(d)

    print(
        f"# cases over {FIRST}..{LAST} (n random 1..60, between spans 0..90 days); runs alternated: indexed core "
        f"over {fast_ops} cases, naive walk over {chunks} chunks of {chunk} cases; best of {args.repeat} runs each"
    )
    for name, fast, slow, slow_chunk in (
        ("add_working_days", fast_add, slow_add, chunk),
        ("working_days_between", fast_between, slow_between, chunk),
        ("is_working_day", fast_is_working, slow_is_working, fast_ops),
    ):
        f_rate, s_rate = rates(fast, fast_ops, slow, slow_chunk, chunks if slow_chunk == chunk else 1, args.repeat)
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
