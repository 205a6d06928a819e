"""The audit browser's pages on a province-sized trail: keyset pages against the page-number pager.

    .venv/bin/python bench/bench_audit.py                       # SQLite (a scratch file under var/bench)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/congvu_bench .venv/bin/python bench/bench_audit.py

Fills a scratch test database with BENCH_AUDIT_ENTRIES entries (default 2 000 000 on PostgreSQL, 200 000 on
SQLite; one action in ten an "update", the rest spread over other actions), then times, median of
BENCH_AUDIT_RUNS, what the audit log page reads for the newest page and for a page deep in the trail
(90 % of the way down), unfiltered and filtered by action:

- figure: `audit.selectors.audit_page` (seq cursor, count capped at 10 000), what the page uses now;
- anchor: Django's `Paginator` by page number (exact count, then OFFSET), what the page used before.

Each figure is printed beside its anchor as a ratio, and the two are checked to show the same entries.
The entries are written by SQL (generate_series / a recursive CTE), not through the chain: their hashes
are placeholders and the bench database is dropped at the end.
"""

from __future__ import annotations

import os
import statistics
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

from django.core.paginator import Paginator  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

TINY = os.environ.get("CONGVU_BENCH_TINY") == "1"
DEFAULT_N = 2_000_000 if connection.vendor == "postgresql" else 200_000
N = int(os.environ.get("BENCH_AUDIT_ENTRIES", "3000" if TINY else str(DEFAULT_N)))
RUNS = int(os.environ.get("BENCH_AUDIT_RUNS", "3" if TINY else "15"))
PAGE = 50
ACTIONS = ["update", "create", "transition:accept", "transition:finish", "create", "transition:receive",
           "create", "login", "transition:assign", "create"]


def fill(n: int) -> None:
    """n entries, seq 1..n, one a minute back from now; action i % 10 from ACTIONS."""
    table = "audit_auditentry"
    cases = " ".join(f"WHEN {i} THEN '{a}'" for i, a in enumerate(ACTIONS))
    cols = ("seq, at, actor_label, action, object_type, object_id, object_repr, before, after, note, prev_hash, "
            "entry_hash")
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                f"INSERT INTO {table} ({cols}) SELECT g, now() - make_interval(mins => {n} - g), 'bench', "
                f"CASE g %% 10 {cases} END, 'onestop.dossier', g::text, 'Hồ sơ ' || g, NULL, "
                f"'{{\"state\": \"accepted\"}}'::jsonb, '', repeat('0', 64), repeat('0', 64) "
                f"FROM generate_series(1, %s) g", [n])
            # what autovacuum does to a live trail: statistics and the visibility map (index-only counts)
            cur.execute(f"VACUUM ANALYZE {table}")
        else:
            cur.execute(
                f"WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < %s) "
                f"INSERT INTO {table} ({cols}) SELECT g, datetime('now', '-' || (%s - g) || ' minutes'), 'bench', "
                f"CASE g %% 10 {cases} END, 'onestop.dossier', CAST(g AS TEXT), 'Hồ sơ ' || g, NULL, "
                f"'{{\"state\": \"accepted\"}}', '', printf('%%064d', 0), printf('%%064d', 0) FROM s", [n, n])
            cur.execute(f"ANALYZE {table}")


def median_ms(fn, runs: int) -> float:
    fn()  # warm
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> int:
    from congvu.audit.models import AuditEntry
    from congvu.audit.selectors import audit_page

    setup_test_environment()
    if connection.vendor == "sqlite":  # a real file, not the in-memory test database
        bench_dir = Path(os.environ["CONGVU_VAR"])
        bench_dir.mkdir(parents=True, exist_ok=True)
        connection.settings_dict["TEST"]["NAME"] = str(bench_dir / "bench_audit.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False, serialize=False)
    vendor = connection.vendor
    try:
        start = time.perf_counter()
        fill(N)
        print(f"{vendor}: {N} audit entries written in {time.perf_counter() - start:.1f} s (not timed)")
        ok = True
        for label, qs in (("whole trail", AuditEntry.objects.all()),
                          ("action = update", AuditEntry.objects.filter(action="update"))):
            ordered = qs.order_by("-seq")
            pages = Paginator(ordered, PAGE)
            deep_no = max(1, int(pages.num_pages * 0.9))
            deep_first = pages.page(deep_no)[0].seq

            def by_number(no: int, qs=ordered) -> list[int]:
                page = Paginator(qs, PAGE).get_page(no)  # a new pager per request, as the view does
                return [page.paginator.count, *[e.seq for e in page]]

            def by_cursor(before: int | None, qs=qs) -> list[int]:
                page = audit_page(qs, before=before, size=PAGE)
                return [page.count, *[e.seq for e in page.entries]]

            for where, no, before in (("newest page", 1, None), (f"page {deep_no} (90 % down)", deep_no,
                                                                   deep_first + 1)):
                same = by_number(no)[1:] == by_cursor(before)[1:]
                ok &= same
                anchor = median_ms(lambda no=no: by_number(no), RUNS)
                figure = median_ms(lambda before=before: by_cursor(before), RUNS)
                print(f"{vendor}: audit log, {label}, {where}: seq cursor {figure:.2f} ms; anchor page number "
                      f"{anchor:.2f} ms; {anchor / figure:.1f}x (same entries = {same})")
        print(f"{vendor}: pages equal = {ok}")
        return 0 if ok else 1
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    sys.exit(main())
