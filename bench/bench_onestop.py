"""One-stop benchmark: receipts per second through the real service (code allocation + Mẫu 01 slip +
timeline + roll-up + audit), and live figures from the daily roll-ups against the same figures
recomputed from dossier rows.

    .venv/bin/python bench/bench_onestop.py                        # SQLite scratch DB under var/bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/congvu_bench .venv/bin/python bench/bench_onestop.py
    BENCH_DOSSIERS=2000000 BENCH_RECEIPTS=5000 ...                # the 2M-row run

Creates a scratch test database and drops it at the end.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congvu.settings.test")
if not os.environ.get("DATABASE_URL"):
    os.environ.setdefault("CONGVU_VAR", str(ROOT / "var" / "bench"))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

N_DOSSIERS = int(os.environ.get("BENCH_DOSSIERS", "200000"))
N_RECEIPTS = int(os.environ.get("BENCH_RECEIPTS", "2000"))
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def main() -> int:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        from congvu.onestop import services as s
        from congvu.onestop.models import SYNC_CHANNEL, Dossier
        from congvu.onestop.selectors import onestop_stats, onestop_stats_from_rows
        from congvu.org.services import unit_create

        province = unit_create(code="51", name="Tỉnh thử", kind="province")
        desks = [unit_create(code=f"B{i:02d}", name=f"Một cửa thử {i}", kind="onestop_desk", parent=province)
                 for i in range(50)]
        field = s.field_get_or_create(code="HT", name="Hộ tịch")
        proc = s.procedure_create(code="1.001193", name="Đăng ký khai sinh", field=field, level="commune",
                                  processing_time=3)
        rng = random.Random(7)

        # 1. receipts through the service
        start = dt.datetime(2024, 3, 4, 8, 0, tzinfo=VN)
        s.dossier_receive(procedure=proc, unit=desks[0], applicant_name="Khởi động", channel="online",
                          received_at=start)  # warm the calendar
        t0 = time.perf_counter()
        for i in range(N_RECEIPTS):
            s.dossier_receive(procedure=proc, unit=desks[i % 50], applicant_name=f"Nguyễn Văn {i}",
                              channel=rng.choice(["online", "in_person", "postal"]),
                              received_at=start + dt.timedelta(seconds=13 * i))
        elapsed = time.perf_counter() - t0
        print(f"{connection.vendor}: {N_RECEIPTS} receipts in {elapsed:.2f} s = {N_RECEIPTS / elapsed:.0f} /s "
              "(code + slip + event + roll-up + audit, one transaction each)")

        # 2. bulk rows for 2023, roll-ups rebuilt, stats compared
        t0 = time.perf_counter()
        channels = ["online", "in_person", "postal", "phone"]
        batch = []
        for i in range(N_DOSSIERS):
            received = dt.datetime(2023, 1, 2, 7, 30, tzinfo=VN) + dt.timedelta(minutes=rng.randrange(0, 340 * 1440))
            due = received + dt.timedelta(days=3)
            finished = received + dt.timedelta(hours=rng.randrange(1, 120))
            channel = channels[i % 4]
            batch.append(Dossier(
                code=f"X{i:08d}", procedure=proc, unit=desks[i % 50], applicant_name="Bench", channel=channel,
                sync_channel=SYNC_CHANNEL[channel], received_at=received, due_at=due, due_at_original=due,
                rule_version="nd61-2018", state="returned", finished_at=finished,
                verdict="late" if finished > due else ("early" if finished.date() < due.date() else "on_time"),
                processing_seconds=int((finished - received).total_seconds()),
                digitized_components=i % 2 == 0, digitized_result=i % 3 != 0, e_result=i % 3 != 0,
            ))
            if len(batch) == 10000:
                Dossier.objects.bulk_create(batch)
                batch = []
        Dossier.objects.bulk_create(batch)
        print(f"{connection.vendor}: {N_DOSSIERS} dossiers bulk-created in {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        rows = s.onestop_rollups_rebuild()
        print(f"{connection.vendor}: roll-ups rebuilt ({rows} rows) in {time.perf_counter() - t0:.1f} s")

        period = {"unit": province, "date_from": dt.date(2023, 1, 1), "date_to": dt.date(2023, 12, 31)}
        onestop_stats(**period)
        reps = 5
        t0 = time.perf_counter()
        for _ in range(reps):
            fast = onestop_stats(**period)
        t_roll = (time.perf_counter() - t0) / reps
        t0 = time.perf_counter()
        slow = onestop_stats_from_rows(**period)
        t_rows = time.perf_counter() - t0
        same = fast == slow
        print(f"{connection.vendor}: stats for {fast['received']} dossiers: roll-ups {t_roll * 1000:.1f} ms, "
              f"rows {t_rows * 1000:.0f} ms, ratio {t_rows / t_roll:.0f}x, identical={same}")
        return 0 if same else 1
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    raise SystemExit(main())
