"""Outbox throughput to the fake SMS gateway with several workers against one outbox (issue 14 item 5:
the production layout is several `congvu worker` processes and one PostgreSQL).

    .venv/bin/python bench/bench_notifications.py              # SQLite (a scratch file under var/bench): 1 worker
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/congvu_bench .venv/bin/python bench/bench_notifications.py

Starts the fake gateway (`congvu fakegateway`, its own process) on 127.0.0.1, creates a scratch test database,
enqueues BENCH_MESSAGES (5,000) SMS in groups of 5 per "dossier" (strict order per group), then runs
BENCH_WORKERS worker processes at once (default 2 on PostgreSQL; forked after the setup, each with its own
connection), each running the worker's loop: `notifications_dispatch(batch=BENCH_BATCH, workers=sender
threads)` until the outbox has nothing left, with a short pause when a round found nothing due. BENCH_BATCH
is `congvu worker`'s default (200), fewer when there are few dossiers so that every worker finds messages
to claim. It prints messages per second and what each worker sent, then checks over every message that
each one reached the gateway exactly once (distinct provider ids = messages, no duplicate for the gateway to
de-duplicate, outbox rows sent = messages = the workers' sent counts added up) and that each dossier's
messages arrived in the order they were enqueued. BENCH_SENDER_THREADS sets each worker's sender threads
(default: the configured 16). SQLite runs one worker (one writer at a time: a race there would prove nothing).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congvu.settings.test")
if not os.environ.get("DATABASE_URL"):
    os.environ.setdefault("CONGVU_VAR", str(ROOT / "var" / "bench"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

N = int(os.environ.get("BENCH_MESSAGES", "5000"))
GROUP = 5
SENDER_THREADS = int(os.environ["BENCH_SENDER_THREADS"]) if os.environ.get("BENCH_SENDER_THREADS") else None
WORKERS = int(os.environ.get("BENCH_WORKERS", "2")) if connection.vendor == "postgresql" else 1
# `congvu worker --batch` (200), smaller when there are few dossiers, so every worker finds heads to claim
BATCH = int(os.environ.get("BENCH_BATCH", str(min(200, max(1, N // GROUP // (2 * WORKERS))))))
TARGET = 200.0


def start_gateway() -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "congvu", "fakegateway", "--port", str(port)],
                            stdout=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.05)
    proc.terminate()
    raise RuntimeError("the fake gateway did not start")


def gateway_record(url: str) -> dict:
    with urllib.request.urlopen(f"{url}/messages", timeout=30) as response:  # noqa: S310 - local
        return json.loads(response.read())


def _unfinished() -> bool:
    from congvu.notifications.models import OutboxMessage, OutboxStatus

    return OutboxMessage.objects.filter(status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING]).exists()


def _worker(k: int, barrier, results) -> None:
    """One worker process: its own connection, the worker's dispatch loop until the outbox is empty."""
    from django.db import connections

    from congvu.notifications.services import notifications_dispatch

    sent = rounds = 0
    try:
        barrier.wait()
        t0 = time.monotonic()
        while _unfinished():
            result = notifications_dispatch(batch=BATCH, workers=SENDER_THREADS)
            sent += result.sent
            rounds += 1
            if result.total == 0:  # the rest is being sent by another worker (or not yet due in its group)
                time.sleep(0.01)
        results.put((k, sent, rounds, t0, time.monotonic(), None))
    except Exception as exc:  # noqa: BLE001 - reported by the parent
        results.put((k, sent, rounds, 0.0, 0.0, repr(exc)))
    finally:
        connections.close_all()


def run_workers(n: int) -> list[tuple]:
    """[(worker, sent, rounds, start, end, error)] of `n` worker processes started at once (forked)."""
    import multiprocessing as mp

    from django.db import connections

    ctx = mp.get_context("fork")
    barrier, results = ctx.Barrier(n), ctx.Queue()
    connections.close_all()
    procs = [ctx.Process(target=_worker, args=(k, barrier, results)) for k in range(n)]
    for p in procs:
        p.start()
    out = [results.get(timeout=3600) for _ in procs]
    for p in procs:
        p.join()
    return sorted(out)


def main() -> int:
    proc, url = start_gateway()
    settings.CONGVU_NOTIFY = {"sms": {"endpoint": f"{url}/sms", "api_key": "bench", "sender": "CONGVU"},
                              "quiet_hours": ""}
    setup_test_environment()
    if connection.vendor == "sqlite":  # a real file (WAL), not the in-memory test database
        bench_dir = Path(os.environ["CONGVU_VAR"])
        bench_dir.mkdir(parents=True, exist_ok=True)
        connection.settings_dict["TEST"]["NAME"] = str(bench_dir / "bench_notifications.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False, serialize=False)
    try:
        from congvu.notifications.models import OutboxMessage, OutboxStatus
        from congvu.notifications.providers import provider_message_id
        from congvu.notifications.services import notification_enqueue, notifications_dispatch

        t0 = time.perf_counter()
        with transaction.atomic():
            for i in range(N):
                notification_enqueue(
                    idempotency_key=f"bench:{i}", template_key="ready", channels=["sms"],
                    addresses={"sms": f"09{i % 100000000:08d}"}, group_key=f"dossier:{i // GROUP}",
                    context={"applicant": "Nguyễn Văn A", "code": f"H55.01.12-240304-{i:05d}",
                             "unit": "UBND xã Bình Thạnh", "procedure": "Đăng ký khai sinh"})
        enqueue_s = time.perf_counter() - t0

        if WORKERS > 1:
            out = run_workers(WORKERS)
            errors = [o[5] for o in out if o[5]]
            if errors:
                print(f"worker errors: {errors}")
                return 1
            send_s = max(o[4] for o in out) - min(o[3] for o in out)
            per_worker = [o[1] for o in out]
            rounds = sum(o[2] for o in out)
        else:
            t0 = time.perf_counter()
            sent_one = rounds = 0
            while _unfinished():
                sent_one += notifications_dispatch(batch=BATCH, workers=SENDER_THREADS).sent
                rounds += 1
            send_s = time.perf_counter() - t0
            per_worker = [sent_one]
        rate = N / send_s

        # Delivery, over every message: exactly once, in order per dossier.
        record = gateway_record(url)
        ids = [m["id"] for m in record["messages"] if m["channel"] == "sms"]
        pos = {mid: k for k, mid in enumerate(ids)}
        sent = OutboxMessage.objects.filter(status=OutboxStatus.SENT).count()
        groups: dict[str, list[int]] = {}
        missing = 0
        for msg in OutboxMessage.objects.order_by("id"):
            at = pos.get(provider_message_id(msg, "sms"))
            if at is None:
                missing += 1
            else:
                groups.setdefault(msg.group_key, []).append(at)
        out_of_order = sum(1 for arrivals in groups.values() if arrivals != sorted(arrivals))
        threads = SENDER_THREADS or settings.CONGVU_NOTIFY.get("workers", 16)
        print(f"database: {connection.vendor}; messages: {N} in groups of {GROUP}; "
              f"{WORKERS} worker process(es) against one outbox, {threads} sender threads each, batch {BATCH}"
              + ("" if connection.vendor == "postgresql" else " (SQLite: one worker, one writer at a time)"))
        print(f"enqueue: {enqueue_s:.2f} s ({N / enqueue_s:.0f}/s, one transaction)")
        print(f"dispatch: {send_s:.2f} s in {rounds} rounds → {rate:.0f} messages/s (target ≥ {TARGET:.0f}/s); "
              f"sent per worker: {per_worker}")
        exactly_once = (len(ids) == len(set(ids)) == N == sent == sum(per_worker) and record["duplicates"] == 0
                        and missing == 0)
        every_worker = min(per_worker) > 0
        print(f"gateway received {len(ids)} ({len(set(ids))} distinct, {record['duplicates']} duplicates); outbox "
              f"sent {sent}; exactly once: {exactly_once}; every worker sent: {every_worker}; order per dossier "
              f"kept ({len(groups)} dossiers, all checked): {out_of_order == 0}")
        ok = exactly_once and out_of_order == 0  # which worker sent what is up to the race
        print(f"{'target met' if rate >= TARGET else 'TARGET MISSED'}; delivery {'OK' if ok else 'FAILED'}")
        return 0 if ok else 1
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    raise SystemExit(main())
