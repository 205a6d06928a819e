"""A small stand-in of the national public-service portal's sync endpoint (`congvu fakeportal`).

Pure standard library (no Django), so it starts in a blink and tests run it as a real process on a
local port. It keeps what it receives in its own SQLite file (`--store`), so a restart forgets nothing:

    POST /records            {"records": [{key, source, dossier, sequence, unit, day, payload}]}
                             → {"results": [{key, status, reason, code, ref}]}, status one of
                             acknowledged | accepted (ack comes later in /acks) | duplicate | rejected
    GET  /acks?after=N       acknowledgements not given in the answer (ack modes async/twice/shuffle)
    GET  /records/KEY        status query: acknowledged | unknown
    GET  /counts?unit=U&from=D&to=D   {"counts": {unit: {day: n}}}
    GET  /keys?unit=U&day=D  {"keys": [...]}
    GET  /health

Misbehaviour on demand (`POST /_control`, or the command's options): `mode` ok | fail (503) | slow
(`delay` seconds per request); `ack` sync | async | twice (in the answer and again in the feed) |
shuffle (feed only, out of order); `reject` rules [{field, value, reason}] and `reject_next` N (the
next N records are rejected with `reject_reason`). `DELETE /_records/KEY` forgets a record (to test
reconciliation); `GET /_stats` counts records, duplicates and out-of-order arrivals (a record whose
predecessor in its dossier was never received), `GET /_records?dossier=D` lists arrivals in order.

Every request but /health needs `Authorization: Bearer TOKEN` when a token is set.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    n INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT UNIQUE NOT NULL, source TEXT, dossier TEXT,
    sequence INTEGER, unit TEXT, day TEXT, payload TEXT, received_at REAL);
CREATE INDEX IF NOT EXISTS records_dossier ON records (source, dossier, sequence);
CREATE INDEX IF NOT EXISTS records_unit_day ON records (unit, day);
CREATE TABLE IF NOT EXISTS acks (seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT, status TEXT, reason TEXT);
CREATE TABLE IF NOT EXISTS stats (name TEXT PRIMARY KEY, value INTEGER);
"""


class FakePortal:
    def __init__(self, store: str = ":memory:", token: str = "", **control: Any):
        self.db = sqlite3.connect(store, check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        self.lock = threading.Lock()
        self.token = token
        self.control: dict[str, Any] = {"mode": "ok", "delay": 0.0, "ack": "sync", "reject": [], "reject_next": 0,
                                        "reject_reason": "Dữ liệu không hợp lệ"}
        self.set_control(control)

    # -- control -------------------------------------------------------------------------------
    def set_control(self, values: dict[str, Any]) -> dict[str, Any]:
        for k, v in values.items():
            if k in self.control and v is not None:
                self.control[k] = v
        return dict(self.control)

    def _bump(self, name: str, by: int = 1) -> None:
        self.db.execute("INSERT INTO stats(name, value) VALUES(?, ?) ON CONFLICT(name) DO UPDATE SET value = value + ?",
                        (name, by, by))

    def stats(self) -> dict[str, int]:
        out = dict(self.db.execute("SELECT name, value FROM stats").fetchall())
        out["records"] = self.db.execute("SELECT COUNT(*) FROM records").fetchone()[0]
        out.setdefault("duplicates", 0)
        out.setdefault("out_of_order", 0)
        out.setdefault("rejected", 0)
        return out

    # -- the sync endpoint ---------------------------------------------------------------------
    def _rejection(self, rec: dict[str, Any]) -> str:
        payload = rec.get("payload") or {}
        for rule in self.control["reject"] or []:
            if str(payload.get(rule.get("field"))) == str(rule.get("value")):
                return str(rule.get("reason") or self.control["reject_reason"])
        if int(self.control["reject_next"] or 0) > 0:
            self.control["reject_next"] = int(self.control["reject_next"]) - 1
            return str(self.control["reject_reason"])
        return ""

    def receive(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        ack_mode = self.control["ack"]
        results, feed = [], []
        with self.lock:
            self.db.execute("BEGIN")
            try:
                for rec in records:
                    key = str(rec.get("key") or "")
                    if not key:
                        results.append({"key": key, "status": "rejected", "code": "key_missing",
                                        "reason": "Thiếu khóa chống gửi trùng (key)."})
                        continue
                    row = self.db.execute("SELECT n FROM records WHERE key = ?", (key,)).fetchone()
                    if row:
                        self._bump("duplicates")
                        results.append({"key": key, "status": "duplicate", "ref": str(row[0])})
                        continue
                    reason = self._rejection(rec)
                    if reason:
                        self._bump("rejected")
                        results.append({"key": key, "status": "rejected", "reason": reason, "code": "invalid"})
                        continue
                    source, dossier, seq = str(rec.get("source", "")), str(rec.get("dossier", "")), int(rec.get("sequence") or 0)
                    if seq > 1 and not self.db.execute(
                            "SELECT 1 FROM records WHERE source = ? AND dossier = ? AND sequence = ?",
                            (source, dossier, seq - 1)).fetchone():
                        self._bump("out_of_order")
                    cur = self.db.execute(
                        "INSERT INTO records(key, source, dossier, sequence, unit, day, payload, received_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (key, source, dossier, seq, str(rec.get("unit", "")), str(rec.get("day", "")),
                         json.dumps(rec.get("payload") or {}, ensure_ascii=False), time.time()))
                    ref = str(cur.lastrowid)
                    if ack_mode == "sync":
                        results.append({"key": key, "status": "acknowledged", "ref": ref})
                    elif ack_mode == "twice":
                        results.append({"key": key, "status": "acknowledged", "ref": ref})
                        feed += [key, key]
                    else:
                        results.append({"key": key, "status": "accepted", "ref": ref})
                        feed.append(key)
                if ack_mode == "shuffle":
                    random.shuffle(feed)
                    feed += feed[: max(1, len(feed) // 3)] if feed else []  # some acknowledged twice, too
                self.db.executemany("INSERT INTO acks(key, status, reason) VALUES (?, 'acknowledged', '')",
                                    [(k,) for k in feed])
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
        return results

    def acks(self, after: int, limit: int = 1000) -> dict[str, Any]:
        rows = self.db.execute("SELECT seq, key, status, reason FROM acks WHERE seq > ? ORDER BY seq LIMIT ?",
                               (after, limit)).fetchall()
        return {"acks": [{"seq": r[0], "key": r[1], "status": r[2], "reason": r[3]} for r in rows],
                "next": rows[-1][0] if rows else after}

    def status(self, key: str) -> dict[str, Any]:
        row = self.db.execute("SELECT n FROM records WHERE key = ?", (key,)).fetchone()
        return {"key": key, "status": "acknowledged" if row else "unknown", "ref": str(row[0]) if row else ""}

    def counts(self, units: list[str], date_from: str, date_to: str) -> dict[str, dict[str, int]]:
        sql = "SELECT unit, day, COUNT(*) FROM records WHERE day >= ? AND day <= ?"
        args: list[Any] = [date_from or "0000", date_to or "9999"]
        if units:
            sql += f" AND unit IN ({','.join('?' * len(units))})"
            args += units
        out: dict[str, dict[str, int]] = {}
        for unit, day, n in self.db.execute(sql + " GROUP BY unit, day", args).fetchall():
            out.setdefault(unit, {})[day] = n
        return out

    def keys(self, unit: str, day: str) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT key FROM records WHERE unit = ? AND day = ? ORDER BY n",
                                              (unit, day)).fetchall()]

    def forget(self, key: str) -> bool:
        with self.lock:
            return self.db.execute("DELETE FROM records WHERE key = ?", (key,)).rowcount > 0

    def arrivals(self, dossier: str) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT key, source, dossier, sequence, payload FROM records WHERE dossier = ? ORDER BY n",
                               (dossier,)).fetchall()
        return [{"key": r[0], "source": r[1], "dossier": r[2], "sequence": r[3], "payload": json.loads(r[4])}
                for r in rows]

    def all_arrivals(self) -> list[tuple[str, str, int]]:
        return self.db.execute("SELECT source, dossier, sequence FROM records ORDER BY n").fetchall()


def make_handler(portal: FakePortal) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK stall
        server_version = "congvu-fakeportal/1"

        def log_message(self, fmt: str, *args: Any) -> None:  # quiet
            return

        def _send(self, status: int, body: Any) -> None:
            data = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _body(self) -> Any:
            n = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(n) if n else b""
            return json.loads(raw or b"{}")

        def _gate(self, path: str) -> bool:
            if path == "/health":
                return True
            if portal.token and self.headers.get("Authorization", "") != f"Bearer {portal.token}":
                self._send(401, {"error": "unauthorized", "reason": "Sai hoặc thiếu mã truy cập."})
                return False
            if not path.startswith("/_"):
                if portal.control["mode"] == "fail":
                    self._send(503, {"error": "unavailable", "reason": "Cổng tạm ngừng (giả lập)."})
                    return False
                if path != "/records":
                    self._slow()
            return True

        def _slow(self) -> None:
            if portal.control["mode"] == "slow" or float(portal.control["delay"] or 0) > 0:
                time.sleep(float(portal.control["delay"] or 0))

        def do_GET(self) -> None:  # noqa: N802
            url = urlparse(self.path)
            q = {k: v for k, v in parse_qs(url.query).items()}
            one = {k: v[0] for k, v in q.items()}
            if not self._gate(url.path):
                return
            if url.path == "/health":
                self._send(200, {"ok": portal.control["mode"] != "fail", "mode": portal.control["mode"],
                                 "records": portal.stats()["records"]})
            elif url.path == "/acks":
                self._send(200, portal.acks(int(one.get("after") or 0), int(one.get("limit") or 1000)))
            elif url.path.startswith("/records/"):
                self._send(200, portal.status(unquote(url.path[len("/records/"):])))
            elif url.path == "/counts":
                self._send(200, {"counts": portal.counts(q.get("unit", []), one.get("from", ""), one.get("to", ""))})
            elif url.path == "/keys":
                self._send(200, {"keys": portal.keys(one.get("unit", ""), one.get("day", ""))})
            elif url.path == "/_stats":
                self._send(200, {**portal.stats(), "control": portal.control})
            elif url.path == "/_records":
                self._send(200, {"records": portal.arrivals(one.get("dossier", ""))})
            else:
                self._send(404, {"error": "not_found"})

        def do_POST(self) -> None:  # noqa: N802
            url = urlparse(self.path)
            if not self._gate(url.path):
                return
            try:
                body = self._body()
            except ValueError:
                self._send(400, {"error": "bad_json", "reason": "Nội dung không phải JSON."})
                return
            if url.path == "/records":
                records = body.get("records") if isinstance(body, dict) else None
                if not isinstance(records, list):
                    self._send(400, {"error": "bad_request", "reason": "Thiếu danh sách records."})
                    return
                results = portal.receive(records)
                self._slow()  # stored first, answered late: a client that timed out resends (→ duplicate)
                self._send(200, {"results": results})
            elif url.path == "/_control":
                self._send(200, portal.set_control(body if isinstance(body, dict) else {}))
            else:
                self._send(404, {"error": "not_found"})

        def do_DELETE(self) -> None:  # noqa: N802
            url = urlparse(self.path)
            if not self._gate(url.path):
                return
            if url.path.startswith("/_records/"):
                self._send(200, {"deleted": portal.forget(unquote(url.path[len("/_records/"):]))})
            else:
                self._send(404, {"error": "not_found"})

    return Handler


def serve(host: str = "127.0.0.1", port: int = 8765, store: str = ":memory:", token: str = "",
          ready: Any = None, **control: Any) -> None:
    portal = FakePortal(store, token, **control)
    server = ThreadingHTTPServer((host, port), make_handler(portal))
    server.daemon_threads = True
    print(f"fakeportal: http://{host}:{server.server_port} (store {store})", flush=True)
    if ready is not None:
        ready(server)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="congvu fakeportal", description="Cổng DVCQG giả lập (để thử, demo).")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--store", default="var/fakeportal.sqlite3", help="tệp SQLite lưu bản ghi nhận được")
    p.add_argument("--token", default="demo-only-portal-token", help="mã truy cập (Bearer); rỗng = không kiểm tra")
    p.add_argument("--mode", choices=["ok", "fail", "slow"], default="ok")
    p.add_argument("--delay", type=float, default=0.0)
    p.add_argument("--ack", choices=["sync", "async", "twice", "shuffle"], default="sync")
    p.add_argument("--reject-next", type=int, default=0)
    p.add_argument("--reject-reason", default="Dữ liệu không hợp lệ")
    return p


def main(argv: list[str] | None = None) -> int:
    a = build_parser().parse_args(argv)
    serve(a.host, a.port, a.store, a.token, mode=a.mode, delay=a.delay, ack=a.ack, reject_next=a.reject_next,
          reject_reason=a.reject_reason)
    return 0


if __name__ == "__main__":
    sys.exit(main())
