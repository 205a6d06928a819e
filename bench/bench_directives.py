"""Overdue sweep over 100,000 open tasks (issue: < 2 s on SQLite and on PostgreSQL).

    .venv/bin/python bench/bench_directives.py              # SQLite (a scratch file under var/bench)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/congvu_bench .venv/bin/python bench/bench_directives.py

Creates a scratch test database, bulk-creates the tasks, times `tasks_overdue_sweep` (stamping and
clearing `overdue_since`) and the overdue / due-soon list queries, prints seconds, and drops the database.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congvu.settings.test")
if not os.environ.get("DATABASE_URL"):
    os.environ.setdefault("CONGVU_VAR", str(ROOT / "var" / "bench"))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

N = int(os.environ.get("BENCH_TASKS", "100000"))
LIMIT = 2.0


def main() -> int:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        from congvu.directives import selectors, services
        from congvu.directives.models import Notice, Task
        from congvu.org.models import Unit

        root = Unit.objects.create(code="B0", name="Tỉnh thử", kind="province", path="/")
        root.path = f"/{root.pk}/"
        root.save()
        units = []
        for i in range(50):
            u = Unit.objects.create(code=f"B{i + 1}", name=f"Sở thử {i}", kind="agency", parent=root)
            u.path = f"{root.path}{u.pk}/"
            u.save()
            units.append(u)
        notice = Notice.objects.create(issuer_unit=root, title="Bench")
        rng = random.Random(7)
        today = dt.date(2024, 6, 12)
        t0 = time.perf_counter()
        batch = [Task(notice=notice, ordinal=i, unit=units[i % 50], action=f"Nhiệm vụ {i}",
                      deadline=today + dt.timedelta(days=rng.randint(-200, 200)),
                      state=rng.choice(["assigned", "in_progress", "returned"])) for i in range(N)]
        Task.objects.bulk_create(batch, batch_size=5000)
        print(f"{connection.vendor}: created {N} open tasks in {time.perf_counter() - t0:.2f} s")
        services.tasks_overdue_sweep(today=today - dt.timedelta(days=400))  # warm the calendar
        t0 = time.perf_counter()
        result = services.tasks_overdue_sweep(today=today)
        sweep = time.perf_counter() - t0
        t0 = time.perf_counter()
        second = services.tasks_overdue_sweep(today=today + dt.timedelta(days=1))
        sweep2 = time.perf_counter() - t0
        t0 = time.perf_counter()
        n_overdue = selectors.tasks_overdue(today=today).count()
        n_soon = selectors.tasks_due_soon(today=today).count()
        first_page = list(selectors.tasks_overdue(today=today)[:50])
        lists = time.perf_counter() - t0
        print(f"{connection.vendor}: overdue sweep {sweep:.3f} s (newly overdue {result['newly_overdue']}); "
              f"next-day sweep {sweep2:.3f} s (+{second['newly_overdue']}); "
              f"overdue={n_overdue} due_soon={n_soon} lists {lists:.3f} s ({len(first_page)} rows)")
        ok = sweep < LIMIT and sweep2 < LIMIT
        print(f"{connection.vendor}: {'OK' if ok else 'TOO SLOW'} (limit {LIMIT} s)")
        return 0 if ok else 1
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    raise SystemExit(main())
