"""Citizen lookup benchmark: p50/p99 of the public dossier lookup (code + last 4 phone digits) at a
fixed 200 requests per second over loopback, against a bare Django view in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/congvu_bench .venv/bin/python bench/bench_citizen.py
    BENCH_DOSSIERS=2000000 BENCH_SECONDS=15 BENCH_RATE=200 ...

PostgreSQL only (without DATABASE_URL it prints a skip line and exits 0). Creates a scratch test
database, seeds BENCH_DOSSIERS dossiers (bulk), serves the app with waitress on a free loopback port
(DEBUG off, persistent DB connections, rate limiter off, /citizen/_bench/ping on) and drives it with
an open-loop load generator in Python threads (Debian's wrk has no fixed-rate option): request k is
due at t0 + k / rate and its latency is measured from that due time, so a stalled server is not
hidden by a generator that waits for it (no coordinated omission).
"""

from __future__ import annotations

import datetime as dt
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    print("bench_citizen: skipped (set DATABASE_URL=postgres://... to run the lookup benchmark on PostgreSQL)")
    sys.exit(0)
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congvu.settings.test")
os.environ["CONGVU_CITIZEN_RATELIMIT"] = "0"
os.environ["CONGVU_CITIZEN_BENCH"] = "1"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

N_DOSSIERS = int(os.environ.get("BENCH_DOSSIERS", "200000"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "15"))
RATE = float(os.environ.get("BENCH_RATE", "200"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
PROCESSES = int(os.environ.get("BENCH_PROCESSES", "1"))
THREADS = int(os.environ.get("CONGVU_THREADS", "8"))
SAMPLE = 2000
VN = ZoneInfo("Asia/Ho_Chi_Minh")
BATCH = 10000


def seed() -> list[tuple[str, str]]:
    from congvu.onestop import services as s
    from congvu.onestop.models import Dossier, DossierEvent
    from congvu.org.services import unit_create

    province = unit_create(code="51", name="Tỉnh thử", kind="province")
    desks = [unit_create(code=f"H55.{i:02d}", name=f"Một cửa thử {i}", kind="onestop_desk", parent=province)
             for i in range(50)]
    field = s.field_get_or_create(code="HT", name="Hộ tịch")
    proc = s.procedure_create(code="1.001193", name="Đăng ký khai sinh", field=field, level="commune",
                              processing_time=5, online_level="full")
    rng = random.Random(11)
    base = dt.datetime(2023, 1, 2, 8, 0, tzinfo=VN)
    states = ["received", "transferred", "processing", "result_ready", "returned", "closed"]
    sample_idx = set(rng.sample(range(N_DOSSIERS), min(SAMPLE, N_DOSSIERS)))
    pairs: list[tuple[str, str]] = []
    t0 = time.perf_counter()
    batch: list = []
    for i in range(N_DOSSIERS):
        desk_i, day_i, seq = i % 50, (i // 50) % 700, i // (50 * 700) + 1
        received = base + dt.timedelta(days=day_i, minutes=rng.randrange(0, 540))
        phone = f"09{rng.randrange(10**8):08d}"
        code = f"H55.{desk_i:02d}-{received:%y%m%d}-{seq:04d}"
        batch.append(Dossier(
            code=code, procedure=proc, unit=desks[desk_i], applicant_name="Người nộp thử", applicant_phone=phone,
            channel="online", sync_channel=2, received_at=received, submitted_at=received - dt.timedelta(hours=3),
            due_at=received + dt.timedelta(days=7), due_at_original=received + dt.timedelta(days=7),
            rule_version="nd61-2018", state=states[i % len(states)], search_key="nguoi nop thu",
        ))
        if i in sample_idx:
            pairs.append((code, phone[-4:]))
        if len(batch) >= BATCH:
            Dossier.objects.bulk_create(batch)
            batch = []
    if batch:
        Dossier.objects.bulk_create(batch)
    ids = dict(Dossier.objects.filter(code__in=[c for c, _ in pairs]).values_list("code", "id"))
    events = []
    for code, _ in pairs:
        d_at = base
        for n, (tr, frm, to) in enumerate((("receive", "", "received"), ("transfer", "received", "transferred"),
                                           ("step_complete", "transferred", "processing"))):
            events.append(DossierEvent(dossier_id=ids[code], at=d_at + dt.timedelta(hours=n), transition=tr,
                                       from_state=frm, to_state=to))
    DossierEvent.objects.bulk_create(events, batch_size=BATCH)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"seeded {N_DOSSIERS} dossiers in {time.perf_counter() - t0:.1f} s ({connection.vendor})")
    return pairs


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db_name: str, port: int) -> list[subprocess.Popen]:
    """The production layout: `congvu serve` is waitress with CONGVU_THREADS (8) threads; BENCH_PROCESSES
    (default 1, as one `congvu-web` unit) processes accept on one listening socket (pre-fork), so the
    lookup and the bare view are served exactly the same way."""
    import dj_database_url

    cfg = dj_database_url.parse(os.environ["DATABASE_URL"])
    user = cfg.get("USER") or ""
    auth = f"{user}:{cfg.get('PASSWORD')}@" if cfg.get("PASSWORD") else (f"{user}@" if user else "")
    url = f"postgres://{auth}{cfg.get('HOST') or '127.0.0.1'}:{cfg.get('PORT') or 5432}/{db_name}"
    env = {**os.environ, "DATABASE_URL": url, "CONGVU_DB_CONN_MAX_AGE": "600", "CONGVU_DEBUG": "0",
           "PYTHONPATH": str(ROOT / "src")}
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(1024)
    listener.set_inheritable(True)
    code = ("import logging, socket, django; django.setup(); from waitress import serve; "
            "logging.getLogger('waitress.queue').setLevel(logging.ERROR); "
            "from django.core.wsgi import get_wsgi_application; "
            f"serve(get_wsgi_application(), sockets=[socket.socket(fileno={listener.fileno()})], threads={THREADS}, "
            "_quiet=True)")
    procs = [subprocess.Popen([sys.executable, "-c", code], env=env, pass_fds=(listener.fileno(),))
             for _ in range(PROCESSES)]
    listener.close()
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/citizen/_bench/ping")
            if c.getresponse().status == 200:
                return procs
        except OSError:
            time.sleep(0.2)
    for proc in procs:
        proc.terminate()
    raise SystemExit("waitress did not start")


def run(port: int, make_request, label: str) -> dict:
    """Open-loop fixed-rate load: request k is due at t0 + k/RATE, handled by connection k % CONNECTIONS."""
    total = int(SECONDS * RATE)
    lat: list[float] = []
    service: list[float] = []
    errors = [0]
    lock = threading.Lock()
    t0 = time.perf_counter() + 0.5

    def worker(j: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine, svc, errs = [], [], 0
        for k in range(j, total, CONNECTIONS):
            due = t0 + k / RATE
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            start = time.perf_counter()
            method, path, body, headers, expect = make_request(k)
            try:
                conn.request(method, path, body=body, headers=headers)
                resp = conn.getresponse()
                resp.read()
                if resp.status != expect:
                    errs += 1
            except OSError:
                errs += 1
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            end = time.perf_counter()
            mine.append(end - due)
            svc.append(end - start)
        with lock:
            lat.extend(mine)
            service.extend(svc)
            errors[0] += errs

    threads = [threading.Thread(target=worker, args=(j,)) for j in range(CONNECTIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    qs = statistics.quantiles(lat, n=100, method="inclusive")
    sq = statistics.quantiles(service, n=100, method="inclusive")
    out = {"label": label, "n": len(lat), "rate": len(lat) / elapsed, "errors": errors[0],
           "p50": qs[49] * 1000, "p99": qs[98] * 1000, "max": max(lat) * 1000,
           "svc_p50": sq[49] * 1000, "svc_p99": sq[98] * 1000}
    print(f"  {label:<8} {out['n']} req at {out['rate']:.0f}/s, errors {out['errors']}: p50 {out['p50']:.2f} ms, "
          f"p99 {out['p99']:.2f} ms, max {out['max']:.2f} ms (service time p50 {out['svc_p50']:.2f}, "
          f"p99 {out['svc_p99']:.2f} ms)")
    return out


def main() -> int:
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    db_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    servers: list[subprocess.Popen] = []
    try:
        pairs = seed()
        port = free_port()
        connection.close()
        servers = start_server(db_name, port)
        form = {"Content-Type": "application/x-www-form-urlencoded"}

        def lookup_req(k: int):
            code, digits = pairs[k % len(pairs)]
            return "POST", "/citizen/tra-cuu/", urlencode({"code": code, "phone4": digits}), form, 200

        def ping_req(k: int):
            return "GET", "/citizen/_bench/ping", None, {}, 200

        for k in range(300):  # warm-up: connections, templates, calendar
            conn = http.client.HTTPConnection("127.0.0.1", port)
            for req in (lookup_req(k), ping_req(k)):
                conn.request(req[0], req[1], body=req[2], headers=req[3])
                conn.getresponse().read()
        print(f"production layout: waitress, {PROCESSES} process(es) x {THREADS} threads on one socket "
              f"127.0.0.1:{port}, persistent DB connections, DEBUG off; {RATE:.0f} req/s for {SECONDS:.0f} s each, "
              f"{CONNECTIONS} keep-alive connections, open-loop Python load generator")
        # ping, lookup, ping: the machine may be shared, so the bare view is measured on both sides
        # of the lookup and the lower (better) p99 is used, which makes the ratio conservative.
        ping = run(port, ping_req, "ping")
        look = run(port, lookup_req, "lookup")
        ping2 = run(port, ping_req, "ping")
        ping = min(ping, ping2, key=lambda r: r["p99"])
        ratio = look["p99"] / ping["p99"] if ping["p99"] else float("inf")
        verdict = "OK" if ratio <= 1.5 and look["errors"] == 0 else "OVER TARGET"
        print(f"lookup p99 {look['p99']:.2f} ms | anchor bare view p99 {ping['p99']:.2f} ms: ratio {ratio:.2f} "
              f"(target <= 1.5 at {RATE:.0f}/s with {N_DOSSIERS} dossiers): {verdict}")
        if look["errors"]:
            print(f"lookup errors: {look['errors']}")
            return 1
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
