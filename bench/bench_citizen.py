"""Citizen lookup benchmark: p99 of the public dossier lookup (code + last 4 phone digits) at a fixed
rate over loopback, against a bare Django view served by the same processes, in the production layout.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/congvu_bench .venv/bin/python bench/bench_citizen.py
    BENCH_DOSSIERS=2000000 BENCH_SECONDS=15 BENCH_RATE=200 BENCH_ROUNDS=4 BENCH_REUSE_DB=1 ...

PostgreSQL only (without DATABASE_URL it prints a skip line and exits 0). Creates a scratch test
database, seeds BENCH_DOSSIERS dossiers (COPY) and serves the app as production does:

- waitress, BENCH_PROCESSES processes (default 2) x CONGVU_THREADS threads (default 8) accepting on one
  socket, DEBUG off, persistent DB connections, GZipMiddleware and every other middleware;
- the citizen rate limiter ON through Redis (CONGVU_CACHE_URL, default redis://127.0.0.1:6379/1) with
  production's limits (CONGVU_CITIZEN_LOOKUP_LIMIT 20 lookups per client and 600 s window, code lock
  after 5 wrong second factors). Only /citizen/_bench/ping is added (CONGVU_CITIZEN_BENCH);
- behind a reverse proxy, as docs/deploy.md has it: CONGVU_TRUSTED_PROXIES=127.0.0.1 and every request
  carries `X-Forwarded-For: <client>` as nginx sends it, so the limiter keys on the client. Clients are
  addresses of 198.18.0.0/15 (RFC 2544's benchmarking range; only written in a header, no traffic goes
  there), two lookups each, starting at a random place per run: no client comes near the limit, even
  over repeated runs within one window. Requests say `Accept-Encoding: gzip, deflate, br` as a phone's
  browser does, so the lookup page is compressed as citizens get it (the 2-byte bare page never is).
  Without a Redis answering, the limiter runs on each process's own cache and the bench says so.

The load generator is its own small process (no Django, no GC; so neither the bench's heap nor its
GIL disturbs it): open loop at BENCH_RATE requests per second over BENCH_CONNECTIONS keep-alive
connections (Debian's wrk has no fixed-rate option); request k is due at t0 + k / rate and its latency
is measured from that due time, so a stalled server is not hidden by a generator that waits for it (no
coordinated omission). The bare view and the lookup are measured in BENCH_ROUNDS interleaved rounds of
BENCH_SECONDS each (ping, lookup, lookup, ping, ping, lookup, ...: each kind as often first as second),
after a warm-up of BENCH_WARM_SECONDS (5) of each kind at the same rate that is not counted (it reaches
every server thread's first request, with its own database and Redis connections); the bench prints each round's p99 and the p99 of all samples of each kind pooled, and the ratio of the
pooled p99s is the figure (target <= 1.5).

Besides latency it prints CPU per request, which depends much less on what else the machine runs: the
web processes' and PostgreSQL backends' CPU (from /proc) over each kind's rounds, and the lookup and
the bare view called in-process through the WSGI handler with the same headers (min of several
interleaved rounds; PostgreSQL's and Redis's own CPU not included).

BENCH_REUSE_DB=1 keeps the seeded database (`test_<name>`) after the run and reuses it when it already
holds BENCH_DOSSIERS dossiers (migrations are still applied), so repeated runs at 2 M skip the seeding.
"""

from __future__ import annotations

import datetime as dt
import gc
import http.client
import json
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

BROWSER_HEADERS = {"Accept-Encoding": "gzip, deflate, br", "Accept": "text/html,application/xhtml+xml"}
CLIENT_NET = 131072  # 198.18.0.0/15


def client_addr(i: int) -> str:
    """The i-th client address of 198.18.0.0/15 (RFC 2544 benchmarking range), cyclically."""
    i %= CLIENT_NET
    return f"198.{18 + (i >> 16)}.{(i >> 8) & 255}.{i & 255}"


def loadgen() -> None:
    """`bench_citizen.py --loadgen`: the load generator process. Reads its job (JSON) from stdin, writes
    the latencies (JSON) to stdout. No Django here: nothing but the generator in this interpreter."""
    job = json.load(sys.stdin)
    port, rate, total, conns = job["port"], job["rate"], job["total"], job["connections"]
    pairs, kind, first_client = job["pairs"], job["kind"], job["first_client"]
    form = {"Content-Type": "application/x-www-form-urlencoded", **BROWSER_HEADERS}

    def request(k: int) -> tuple[str, str, str | None, dict]:
        xff = {"X-Forwarded-For": client_addr(first_client + k // 2)}  # two requests per client
        if kind == "lookup":
            code, digits = pairs[k % len(pairs)]
            return "POST", "/citizen/tra-cuu/", urlencode({"code": code, "phone4": digits}), {**form, **xff}
        return "GET", "/citizen/_bench/ping", None, {**BROWSER_HEADERS, **xff}

    lat: list[float] = []
    service: list[float] = []
    statuses: dict[str, int] = {}
    lock = threading.Lock()
    gc.disable()
    sys.setswitchinterval(0.0005)  # a thread whose answer arrived gets the GIL back quickly
    t0 = time.perf_counter() + 0.3

    def worker(j: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine, svc, seen = [], [], {}
        for k in range(j, total, conns):
            due = t0 + k / rate
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            method, path, body, headers = request(k)
            start = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                resp = conn.getresponse()
                resp.read()
                status = str(resp.status)
            except OSError as exc:
                status = type(exc).__name__
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            end = time.perf_counter()
            mine.append((end - due) * 1000)
            svc.append((end - start) * 1000)
            seen[status] = seen.get(status, 0) + 1
        with lock:
            lat.extend(mine)
            service.extend(svc)
            for status, n in seen.items():
                statuses[status] = statuses.get(status, 0) + n

    threads = [threading.Thread(target=worker, args=(j,)) for j in range(conns)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - t0
    json.dump({"lat": lat, "service": service, "statuses": statuses, "elapsed": elapsed}, sys.stdout)


if __name__ == "__main__" and sys.argv[1:] == ["--loadgen"]:
    loadgen()
    sys.exit(0)

ROOT = Path(__file__).resolve().parent.parent
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    print("bench_citizen: skipped (set DATABASE_URL=postgres://... to run the lookup benchmark on PostgreSQL)")
    sys.exit(0)
sys.path.insert(0, str(ROOT / "src"))
CACHE_URL = os.environ.get("CONGVU_CACHE_URL", "redis://127.0.0.1:6379/1")


def _redis_answers(url: str) -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss"):
        return False
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


REDIS = _redis_answers(CACHE_URL)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congvu.settings.test")
os.environ["CONGVU_CITIZEN_RATELIMIT"] = "1"  # the rate limiter and the code lock, as production
if REDIS:
    os.environ["CONGVU_CACHE_URL"] = CACHE_URL
else:
    os.environ.pop("CONGVU_CACHE_URL", None)
os.environ["CONGVU_TRUSTED_PROXIES"] = "127.0.0.1"  # behind nginx on the same host (docs/deploy.md)
os.environ["CONGVU_CITIZEN_BENCH"] = "1"
os.environ["CONGVU_DEBUG"] = "0"  # as production (also for the in-process CPU measurement)
os.environ["CONGVU_DB_CONN_MAX_AGE"] = "600"  # persistent connections, as the servers

import django  # noqa: E402

django.setup()

from copytext import copy_text  # noqa: E402  (bench/ is the script's own directory)
from django.db import DatabaseError, connection  # noqa: E402

TINY = bool(os.environ.get("CONGVU_BENCH_TINY"))
N_DOSSIERS = int(os.environ.get("BENCH_DOSSIERS", "200000"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "15"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2" if TINY else "4"))
WARM_SECONDS = float(os.environ.get("BENCH_WARM_SECONDS", "1" if TINY else "5"))
RATE = float(os.environ.get("BENCH_RATE", "200"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
PROCESSES = int(os.environ.get("BENCH_PROCESSES", "2"))
REUSE = os.environ.get("BENCH_REUSE_DB", "") == "1"
THREADS = int(os.environ.get("CONGVU_THREADS", "8"))
LIMIT = int(os.environ.get("CONGVU_CITIZEN_LOOKUP_LIMIT", "20"))  # production's defaults (settings/base.py)
WINDOW = int(os.environ.get("CONGVU_CITIZEN_LOOKUP_WINDOW", "600"))
FAILURES = int(os.environ.get("CONGVU_CITIZEN_LOOKUP_CODE_FAILURES", "5"))
SAMPLE = 2000
VN = ZoneInfo("Asia/Ho_Chi_Minh")
BATCH = 10000



def seed() -> list[tuple[str, str]]:
    """BENCH_DOSSIERS dossiers by COPY, every column as the ORM would insert it (a template instance's
    `pre_save` / `get_db_prep_save` values, so a new NOT NULL column cannot break the bench), the varying
    ones per row; 3 timeline events for each of SAMPLE of them, which the lookups ask for."""
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
    t0 = time.perf_counter()
    template = Dossier(code="x", procedure=proc, unit=desks[0], applicant_name="Người nộp thử", applicant_phone="x",
                       channel="online", sync_channel=2, received_at=base, submitted_at=base, due_at=base,
                       due_at_original=base, rule_version="nd61-2018", state="received", search_key="nguoi nop thu")
    fields = [f for f in Dossier._meta.concrete_fields if not f.primary_key]
    varying = ("code", "unit_id", "applicant_phone", "received_at", "submitted_at", "due_at", "due_at_original",
               "state")
    fixed = [f for f in fields if f.attname not in varying]
    tail = "".join("\t" + copy_text(f.get_db_prep_save(f.pre_save(template, add=True), connection)) for f in fixed)
    columns = ", ".join(connection.ops.quote_name(Dossier._meta.get_field(a).column) for a in varying)
    columns += "".join(", " + connection.ops.quote_name(f.column) for f in fixed)
    pairs: list[tuple[str, str]] = []
    desk_ids = [d.pk for d in desks]
    week, three_hours = dt.timedelta(days=7), dt.timedelta(hours=3)
    table = connection.ops.quote_name(Dossier._meta.db_table)
    with connection.cursor() as cur, cur.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        buf: list[str] = []
        for i in range(N_DOSSIERS):
            desk_i, day_i, seq = i % 50, (i // 50) % 700, i // (50 * 700) + 1
            received = base + dt.timedelta(days=day_i, minutes=rng.randrange(0, 540))
            phone = f"09{rng.randrange(10**8):08d}"
            code = f"H55.{desk_i:02d}-{received:%y%m%d}-{seq:04d}"
            due = (received + week).isoformat(sep=" ")
            buf.append(f"{code}\t{desk_ids[desk_i]}\t{phone}\t{received.isoformat(sep=' ')}\t"
                       f"{(received - three_hours).isoformat(sep=' ')}\t{due}\t{due}\t{states[i % len(states)]}{tail}")
            if i in sample_idx:
                pairs.append((code, phone[-4:]))
            if len(buf) >= BATCH:
                copy.write("\n".join(buf) + "\n")
                buf = []
        if buf:
            copy.write("\n".join(buf) + "\n")
    ids = dict(Dossier.objects.filter(code__in=[c for c, _ in pairs]).values_list("code", "id"))
    events = []
    for code, _ in pairs:
        for n, (tr, frm, to) in enumerate((("receive", "", "received"), ("transfer", "received", "transferred"),
                                           ("step_complete", "transferred", "processing"))):
            events.append(DossierEvent(dossier_id=ids[code], at=base + dt.timedelta(hours=n), transition=tr,
                                       from_state=frm, to_state=to))
    DossierEvent.objects.bulk_create(events, batch_size=BATCH)
    with connection.cursor() as cur:  # a table as production has it: vacuumed (visibility map), analysed
        cur.execute("VACUUM ANALYZE")
        cur.execute("CREATE TABLE bench_citizen_seed (dossiers bigint NOT NULL)")
        cur.execute("INSERT INTO bench_citizen_seed VALUES (%s)", [N_DOSSIERS])
    print(f"seeded {N_DOSSIERS} dossiers in {time.perf_counter() - t0:.1f} s ({connection.vendor}, COPY)")
    return pairs


def seeded_pairs() -> list[tuple[str, str]] | None:
    """The (code, last 4 digits) pairs of a database seeded earlier with BENCH_DOSSIERS dossiers, else None."""
    from congvu.onestop.models import Dossier, DossierEvent

    with connection.cursor() as cur:
        cur.execute("SELECT to_regclass('bench_citizen_seed') IS NOT NULL")
        if not cur.fetchone()[0]:
            return None
        cur.execute("SELECT dossiers FROM bench_citizen_seed")
        row = cur.fetchone()
    if row is None or row[0] != N_DOSSIERS:
        return None
    ids = DossierEvent.objects.values_list("dossier_id", flat=True).distinct()
    pairs = [(c, p[-4:]) for c, p in Dossier.objects.filter(pk__in=ids).order_by("pk")
             .values_list("code", "applicant_phone")]
    return pairs or None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db_name: str, port: int) -> list[subprocess.Popen]:
    """The production layout: `congvu serve` is waitress with CONGVU_THREADS (8) threads; BENCH_PROCESSES
    (default 2) processes accept on one listening socket (pre-fork), so the lookup and the bare view are
    served exactly the same way."""
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
    code = ("import logging, socket, django; django.setup(); from congvu.core.server import make_server; "
            "logging.getLogger('waitress.queue').setLevel(logging.ERROR); "
            "from django.core.wsgi import get_wsgi_application; "
            f"make_server(get_wsgi_application(), sockets=[socket.socket(fileno={listener.fileno()})], "
            f"threads={THREADS}).run()")
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


def run(port: int, kind: str, pairs: list[tuple[str, str]], first_client: int, seconds: float = 0) -> dict:
    """One open-loop run of `seconds` (default SECONDS) at RATE requests/s of `kind` ("ping" or
    "lookup"), by the load generator process (`--loadgen`): request k is due at t0 + k/RATE, on
    connection k % CONNECTIONS."""
    total = max(1, int((seconds or SECONDS) * RATE))
    job = {"port": port, "rate": RATE, "total": total, "connections": CONNECTIONS, "kind": kind,
           "pairs": pairs, "first_client": first_client}
    proc = subprocess.run([sys.executable, __file__, "--loadgen"], input=json.dumps(job), capture_output=True,
                          text=True, timeout=SECONDS * 4 + 60, check=True)
    out = json.loads(proc.stdout)
    out["errors"] = sum(n for status, n in out["statuses"].items() if status != "200")
    out["n"] = len(out["lat"])
    return out


def _p(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def _proc_cpu(pids: list[int]) -> float:
    """CPU seconds (user + system) used so far by these processes (Linux /proc; 0 where unreadable)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
    return total / os.sysconf("SC_CLK_TCK")


def _backend_pids(db_name: str) -> list[int]:
    with connection.cursor() as cur:
        cur.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [db_name])
        return [r[0] for r in cur.fetchall()]


def in_process_cpu(pairs: list[tuple[str, str]], rounds: int = 5, per_round: int = 200) -> tuple[float, float]:
    """CPU ms per request of the lookup and the bare view called through Django's WSGI handler in this
    process (every middleware, DEBUG off, persistent connection, the rate limiter on the same cache as the
    servers, the same proxy and browser headers as the load; PostgreSQL's and Redis's CPU not included),
    in interleaved rounds; the minimum of the rounds (the least disturbed by other load)."""
    import io

    from django.core.handlers.wsgi import WSGIHandler

    app = WSGIHandler()
    statuses: list[str] = []
    first = random.randrange(CLIENT_NET)

    def call(method: str, path: str, body: bytes, k: int) -> None:
        environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
                   "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
                   "HTTP_X_FORWARDED_FOR": client_addr(first + k // 2),
                   "CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": str(len(body)),
                   "HTTP_HOST": "127.0.0.1", "HTTP_ACCEPT_ENCODING": BROWSER_HEADERS["Accept-Encoding"],
                   "HTTP_ACCEPT": BROWSER_HEADERS["Accept"], "wsgi.input": io.BytesIO(body),
                   "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr, "wsgi.multithread": True,
                   "wsgi.multiprocess": True, "wsgi.run_once": False}
        out = app(environ, lambda status, headers, exc_info=None: statuses.append(status))
        b"".join(out)
        out.close()

    bodies = [urlencode({"code": c, "phone4": d}).encode() for c, d in pairs]
    look, ping = [], []
    k = 0
    for r in range(rounds + 1):
        t0 = time.process_time()
        for i in range(per_round):
            call("POST", "/citizen/tra-cuu/", bodies[(r * per_round + i) % len(bodies)], k)
            k += 1
        t1 = time.process_time()
        for _ in range(per_round):
            call("GET", "/citizen/_bench/ping", b"", k)
            k += 1
        t2 = time.process_time()
        if r:  # round 0 warms up (connection, prepared statement, compiled page, Redis script)
            look.append((t1 - t0) / per_round * 1000)
            ping.append((t2 - t1) / per_round * 1000)
    if any(not st.startswith("200") for st in statuses):
        raise SystemExit(f"in-process calls failed: {sorted(set(statuses))}")
    return min(look), min(ping)


def main() -> int:
    old_name = connection.settings_dict["NAME"]
    try:
        db_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=REUSE, serialize=False)
    except DatabaseError:
        if not REUSE:
            raise
        # a kept database left half-migrated by an interrupted run: start again from scratch
        connection.close()
        connection.settings_dict["NAME"] = old_name
        db_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False, serialize=False)
    servers: list[subprocess.Popen] = []
    try:
        pairs = seeded_pairs() if REUSE else None
        if pairs is not None:
            print(f"reused database {db_name} seeded earlier with {N_DOSSIERS} dossiers (BENCH_REUSE_DB=1)")
        else:
            if REUSE:  # seeded with another size, or not at all: start again
                connection.close()
                connection.creation.destroy_test_db(old_name, verbosity=0)
                connection.settings_dict["NAME"] = old_name
                db_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False, serialize=False)
            pairs = seed()
        cpu_look, cpu_ping = in_process_cpu(pairs, *((1, 20) if TINY else (5, 200)))
        port = free_port()
        connection.close()
        servers = start_server(db_name, port)
        form = {"Content-Type": "application/x-www-form-urlencoded", **BROWSER_HEADERS}
        for k in range(300):  # warm-up: connections, prepared statement, compiled page, Redis script
            conn = http.client.HTTPConnection("127.0.0.1", port)
            code, digits = pairs[k % len(pairs)]
            xff = {"X-Forwarded-For": client_addr(random.randrange(CLIENT_NET))}
            for method, path, body, headers in (
                    ("POST", "/citizen/tra-cuu/", urlencode({"code": code, "phone4": digits}), {**form, **xff}),
                    ("GET", "/citizen/_bench/ping", None, {**BROWSER_HEADERS, **xff})):
                conn.request(method, path, body=body, headers=headers)
                conn.getresponse().read()
        limiter = (f"rate limiter ON through Redis ({CACHE_URL}; {LIMIT} lookups per client per {WINDOW} s, code "
                   f"lock after {FAILURES} wrong digits)" if REDIS else
                   "rate limiter ON but NO REDIS answered: each process's own cache (not the production layout)")
        print(f"production layout: waitress, {PROCESSES} process(es) x {THREADS} threads on one socket "
              f"127.0.0.1:{port}, persistent DB connections, DEBUG off, {limiter}, behind a trusted proxy "
              f"(X-Forwarded-For: one client address per 2 requests), Accept-Encoding: gzip")
        print(f"load: {RATE:.0f} req/s for {SECONDS:.0f} s per round, {ROUNDS} interleaved rounds of each kind, "
              f"{CONNECTIONS} keep-alive connections, open-loop generator in its own process")
        web = [p.pid for p in servers]
        backends = _backend_pids(db_name)
        connection.close()

        samples: dict[str, list[float]] = {"ping": [], "lookup": []}
        rounds: dict[str, list[float]] = {"ping": [], "lookup": []}
        cpu = {kind: [0.0, 0.0, 0] for kind in samples}  # web s, backends s, requests
        errors = {kind: 0 for kind in samples}
        next_client = random.randrange(CLIENT_NET)
        # Warm-up at the full rate, both kinds, not counted: the sequential warm-up above reaches one or
        # two server threads; the first concurrent run met every thread's first request (its own DB and
        # Redis connections, thread-locals) and had a p99 10-30x the later rounds' whichever kind ran it.
        for kind in ("lookup", "ping"):
            out = run(port, kind, pairs, next_client, seconds=WARM_SECONDS)
            next_client += out["n"]
            print(f"  warm-up {kind:<6} {out['n']} req, p99 {_p(out['lat'], 99):.2f} ms (not counted)")
        order = [kind for r in range(ROUNDS) for kind in (("ping", "lookup") if r % 2 == 0 else ("lookup", "ping"))]
        for i, kind in enumerate(order):
            w0, b0 = _proc_cpu(web), _proc_cpu(backends)
            out = run(port, kind, pairs, next_client)
            next_client += out["n"]
            cpu[kind][0] += _proc_cpu(web) - w0
            cpu[kind][1] += _proc_cpu(backends) - b0
            cpu[kind][2] += out["n"]
            samples[kind].extend(out["lat"])
            rounds[kind].append(_p(out["lat"], 99))
            errors[kind] += out["errors"]
            bad = {s: n for s, n in out["statuses"].items() if s != "200"}
            print(f"  round {i // 2 + 1} {kind:<6} {out['n']} req at {out['n'] / out['elapsed']:.0f}/s: p50 "
                  f"{_p(out['lat'], 50):.2f} ms, p99 {_p(out['lat'], 99):.2f} ms, max {max(out['lat']):.2f} ms "
                  f"(service time p99 {_p(out['service'], 99):.2f} ms)" + (f"; NOT 200: {bad}" if bad else ""))
        for kind in ("ping", "lookup"):
            web_ms, db_ms = cpu[kind][0] / cpu[kind][2] * 1000, cpu[kind][1] / cpu[kind][2] * 1000
            label = "bare view" if kind == "ping" else "lookup"
            print(f"{label:<9} pooled over {len(samples[kind])} requests: p50 {_p(samples[kind], 50):.2f} ms, p99 "
                  f"{_p(samples[kind], 99):.2f} ms (rounds' p99: {', '.join(f'{x:.2f}' for x in rounds[kind])}); "
                  f"CPU per request: web processes {web_ms:.2f} ms, PostgreSQL backends {db_ms:.2f} ms")
        look99, ping99 = _p(samples["lookup"], 99), _p(samples["ping"], 99)
        ratio = look99 / ping99 if ping99 else float("inf")
        verdict = "OK" if ratio <= 1.5 and not errors["lookup"] else "OVER TARGET"
        print(f"in-process CPU per request (WSGI handler, every middleware, DEBUG off, same headers; min of "
              f"interleaved rounds): lookup {cpu_look:.3f} ms | anchor bare view {cpu_ping:.3f} ms: ratio "
              f"{cpu_look / cpu_ping:.2f}")
        print(f"lookup p99 {look99:.2f} ms | anchor bare view p99 {ping99:.2f} ms (pooled over {ROUNDS} interleaved "
              f"rounds each): ratio {ratio:.2f} (target <= 1.5 at {RATE:.0f}/s with {N_DOSSIERS} dossiers, "
              f"{PROCESSES} process(es) x {THREADS} threads, rate limiter on {'Redis' if REDIS else 'LocMem'}): "
              f"{verdict}")
        if errors["lookup"] or errors["ping"]:
            print(f"errors (answers other than 200): lookup {errors['lookup']}, bare view {errors['ping']}")
            return 1
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
        if REUSE:
            connection.close()
            print(f"kept database {db_name} for the next run (BENCH_REUSE_DB=1)")
        else:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
