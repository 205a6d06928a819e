"""Outbox worker throughput to the fake SMS gateway (issue: at least 200 messages per second).

    .venv/bin/python bench/bench_notifications.py              # SQLite (a scratch file under var/bench)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/congvu_bench .venv/bin/python bench/bench_notifications.py

Starts the fake gateway (`congvu fakegateway`, its own process) on 127.0.0.1, creates a scratch test database, enqueues BENCH_MESSAGES (5,000)
SMS in groups of 5 per "dossier" (strict order per group), runs the worker's dispatch loop until the
outbox is empty and prints messages per second, then checks that every message arrived once and in
order per group. BENCH_WORKERS sets the sender threads (default: the configured 16).
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
WORKERS = int(os.environ["BENCH_WORKERS"]) if os.environ.get("BENCH_WORKERS") else None
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


def main() -> int:
    proc, url = start_gateway()
    settings.CONGVU_NOTIFY = {"sms": {"endpoint": f"{url}/sms", "api_key": "bench", "sender": "CONGVU"},
                              "quiet_hours": ""}
    setup_test_environment()
    if connection.vendor == "sqlite":  # a real file (WAL), not the in-memory test database
        bench_dir = Path(os.environ["CONGVU_VAR"])
        bench_dir.mkdir(parents=True, exist_ok=True)
        connection.settings_dict["TEST"]["NAME"] = str(bench_dir / "bench_notifications.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
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

        t0 = time.perf_counter()
        rounds = 0
        while OutboxMessage.objects.filter(status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING]).exists():
            notifications_dispatch(batch=500, workers=WORKERS)
            rounds += 1
        send_s = time.perf_counter() - t0
        rate = N / send_s

        record = gateway_record(url)
        ids = [m["id"] for m in record["messages"] if m["channel"] == "sms"]
        sent = OutboxMessage.objects.filter(status=OutboxStatus.SENT).count()
        pos = {mid: k for k, mid in enumerate(ids)}
        in_order = all(
            pos[provider_message_id(msgs[j], "sms")] < pos[provider_message_id(msgs[j + 1], "sms")]
            for msgs in [list(OutboxMessage.objects.filter(group_key=f"dossier:{g}").order_by("id"))
                         for g in range(0, N // GROUP, max(1, N // GROUP // 50))]
            for j in range(len(msgs) - 1))
        workers = WORKERS or settings.CONGVU_NOTIFY.get("workers", 16)
        print(f"database: {connection.vendor}; messages: {N} in groups of {GROUP}; sender threads: {workers}")
        print(f"enqueue: {enqueue_s:.2f} s ({N / enqueue_s:.0f}/s, one transaction)")
        print(f"dispatch: {send_s:.2f} s in {rounds} rounds → {rate:.0f} messages/s (target ≥ {TARGET:.0f}/s)")
        print(f"gateway received {len(ids)} ({len(set(ids))} distinct, {record['duplicates']} duplicates); "
              f"outbox sent {sent}; order per group kept: {in_order}")
        ok = len(ids) == len(set(ids)) == N == sent and record["duplicates"] == 0 and in_order
        print(f"{'target met' if rate >= TARGET else 'TARGET MISSED'}; delivery {'OK' if ok else 'FAILED'}")
        return 0 if ok else 1
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    raise SystemExit(main())
