"""National-portal sync benchmark: drain a backlog of sync records to the local stand-in portal
(`congvu fakeportal`, a real server on a local port) through the real sender.

1. bulk load N pending sync records (N/4 dossiers × 4 records, payloads in the national field names);
2. figure: `portal_send` drains them (batches of BENCH_PORTAL_BATCH) — records/s; target ≥ 500 /s;
3. anchor: the same sender, one record per request, on a sample — records/s; ratio = figure / anchor;
4. check: the stand-in holds every record once, none out of order.

    .venv/bin/python bench/bench_portal.py                         # SQLite scratch DB under var/bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/congvu_portal .venv/bin/python bench/bench_portal.py
    BENCH_PORTAL_RECORDS=2000000 .venv/bin/python bench/bench_portal.py   # the 2M backlog of the issue
    .venv/bin/python bench/bench_portal.py --tiny                  # what the test suite runs

Env: BENCH_PORTAL_RECORDS (20000), BENCH_PORTAL_BATCH (500), BENCH_PORTAL_ANCHOR (300 records sent one by one).
Creates a scratch test database (test_<name>, clobbered) and drops it at the end.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congvu.settings.test")
if not os.environ.get("DATABASE_URL"):
    os.environ.setdefault("CONGVU_VAR", str(ROOT / "var" / "bench"))

TINY = "--tiny" in sys.argv or os.environ.get("CONGVU_BENCH_TINY") == "1"
N = 400 if TINY else int(os.environ.get("BENCH_PORTAL_RECORDS", "20000"))
BATCH = 100 if TINY else int(os.environ.get("BENCH_PORTAL_BATCH", "500"))
ANCHOR = 40 if TINY else int(os.environ.get("BENCH_PORTAL_ANCHOR", "300"))
RECEIPTS = 20 if TINY else int(os.environ.get("BENCH_PORTAL_RECEIPTS", "300"))
PER_DOSSIER = 4
TOKEN = "bench-portal-token"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_portal(store: str, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "congvu.portal.fakeportal", "--port", str(port), "--store", store,
                             "--token", TOKEN], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("fakeportal did not start")


def load(n_records: int) -> None:
    """N pending records over N/4 dossiers (bulk: the load is not what is measured)."""
    from django.utils import timezone

    from congvu.onestop import services as s
    from congvu.onestop.models import Dossier
    from congvu.org.models import Unit
    from congvu.portal.mapping import payload_build, sync_spec_for
    from congvu.portal.models import SyncRecord

    unit = Unit.objects.create(name="Bộ phận một cửa (bench)", kind="onestop_desk", code="H55.99.01")
    field = s.field_get_or_create(code="BENCH", name="Bench")
    proc = s.procedure_create(code="9.999999", name="Thủ tục bench", field=field, level="commune", processing_time=5)
    now = timezone.now()
    n_dossiers = max(1, n_records // PER_DOSSIER)
    kinds = ["receive", "transfer", "record_result", "return_result"]
    states = ["received", "transferred", "result_ready", "returned"]
    spec = sync_spec_for(now.date())
    for start in range(0, n_dossiers, 5000):
        chunk = range(start, min(n_dossiers, start + 5000))
        ds = Dossier.objects.bulk_create([Dossier(
            code=f"H55.99.01-B{i:08d}", procedure=proc, unit=unit, applicant_name="Bench", channel="in_person",
            sync_channel=1, received_at=now, due_at=now, due_at_original=now, rule_version="bench", state="returned",
        ) for i in chunk])
        recs = []
        for d in ds:
            for seq in range(1, PER_DOSSIER + 1):
                if len(recs) + start * PER_DOSSIER >= n_records:
                    break
                facts = {"code": d.code, "procedure_code": proc.code, "unit_code": unit.code, "received_at": now,
                         "due_at": now, "state": states[seq - 1], "channel": 1, "event": kinds[seq - 1], "event_at": now}
                recs.append(SyncRecord(dossier_id=d.pk, unit_id=unit.pk, unit_code=unit.code, sequence=seq,
                                       kind=kinds[seq - 1], at=now, day=now.date(), key=f"bench-{d.pk}-{seq}",
                                       spec_version=spec.version, payload=payload_build(facts, spec),
                                       next_attempt_at=now))
        SyncRecord.objects.bulk_create(recs, batch_size=2000)


def receipts(n: int) -> tuple[float, float]:
    """Receipts per second through the real service with the portal listener (sync record + identity
    check in the receipt's transaction) and without it: the desk's speed with sync on."""
    from django.utils import timezone

    from congvu.onestop import hooks
    from congvu.onestop import services as s
    from congvu.onestop.models import Procedure
    from congvu.org.models import Unit

    unit = Unit.objects.get(code="H55.99.01")
    proc = Procedure.objects.get(code="9.999999")

    def run(count: int) -> float:
        t0 = time.perf_counter()
        for i in range(count):
            s.dossier_receive(procedure=proc, unit=unit, applicant_name=f"Người nộp {i}", channel="in_person",
                              applicant_id_number="051090012345", received_at=timezone.now())
        return count / (time.perf_counter() - t0)

    run(5)  # warm up
    listener = hooks._listeners.pop("portal")
    try:
        off = run(n)
    finally:
        hooks._listeners["portal"] = listener
    on = run(n)
    return on, off


def main() -> int:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    vendor = connection.vendor
    tmp = tempfile.mkdtemp(prefix="congvu-bench-portal-")
    port = free_port()
    portal = start_portal(os.path.join(tmp, "fakeportal.sqlite3"), port)
    try:
        from congvu.portal.models import SyncRecord, SyncState
        from congvu.portal.providers.local import LocalPortalProvider
        from congvu.portal.services import portal_send

        settings.CONGVU_PORTAL_PROVIDER = "local"
        settings.CONGVU_PORTAL_PROVIDERS = {"local": {"class": "congvu.portal.providers.local.LocalPortalProvider",
                                                      "endpoint": f"http://127.0.0.1:{port}", "token": TOKEN}}
        t0 = time.perf_counter()
        load(N)
        n = SyncRecord.objects.count()
        print(f"# {vendor}: {n} pending records over {n // PER_DOSSIER} dossiers loaded in {time.perf_counter() - t0:.1f} s")

        # anchor: one record per request, on a sample
        provider = LocalPortalProvider(key="local", options=settings.CONGVU_PORTAL_PROVIDERS["local"])
        t0 = time.perf_counter()
        r = portal_send(provider=provider, batch_size=1, max_batches=ANCHOR)
        anchor = r.sent / (time.perf_counter() - t0)

        t0 = time.perf_counter()
        total = 0
        marks: list[tuple[int, float]] = []  # (records sent, seconds): does a batch slow down as the table fills?
        while True:
            r = portal_send(provider=provider, batch_size=BATCH, max_batches=20,
                            now=dt.datetime.now(dt.UTC) + dt.timedelta(days=1))
            total += r.sent
            if r.sent:
                marks.append((total, time.perf_counter() - t0))
            if r.failed:
                print(f"# send failed: {r.error}")
                return 1
            if not r.sent:
                break
        elapsed = time.perf_counter() - t0
        figure = total / elapsed
        provider.close()

        import json
        import urllib.request

        req = urllib.request.Request(f"http://127.0.0.1:{port}/_stats", headers={"Authorization": f"Bearer {TOKEN}"})
        stats = json.loads(urllib.request.urlopen(req, timeout=10).read())
        left = SyncRecord.objects.exclude(state=SyncState.ACKNOWLEDGED).count()
        ok = stats["records"] == n and stats["out_of_order"] == 0 and left == 0
        print(f"portal.drain_records_per_s: {figure:.0f} ({total} records in {elapsed:.2f} s, batches of {BATCH}; "
              f"target ≥ 500 /s)")
        if len(marks) >= 3:
            k = max(1, len(marks) // 10)
            first = marks[k - 1][0] / marks[k - 1][1]
            last = (marks[-1][0] - marks[-1 - k][0]) / (marks[-1][1] - marks[-1 - k][1] or 1e-9)
            print(f"# drain speed over the first {marks[k - 1][0]} records {first:.0f} /s, over the last "
                  f"{marks[-1][0] - marks[-1 - k][0]} {last:.0f} /s")
        print(f"portal.anchor_one_per_request_per_s: {anchor:.0f} ({ANCHOR} records)")
        print(f"portal.ratio: {figure / anchor:.1f}x faster than the anchor")
        print(f"portal.check: stand-in holds {stats['records']} of {n}, out of order {stats['out_of_order']}, "
              f"duplicates {stats['duplicates']}, not acknowledged {left} — {'OK' if ok else 'WRONG'}")
        on, off = receipts(RECEIPTS)
        print(f"portal.receipt_with_sync_per_s: {on:.0f} (anchor without the portal listener: {off:.0f} /s; "
              f"ratio {on / off:.2f})")
        print(f"# {vendor}: {'target met' if figure >= 500 else 'TARGET MISSED'}")
        return 0 if ok else 1
    finally:
        portal.kill()
        portal.wait(5)
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    sys.exit(main())
