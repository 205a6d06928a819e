"""A fake SMS / Zalo ZNS gateway for tests, the bench and demos. Standard library only.

    gw = FakeGateway().start()          # 127.0.0.1 on a free port (or FakeGateway(port=8025))
    gw.settings()                        # a CONGVU_NOTIFY dict pointing SMS and Zalo at it
    gw.set_mode("fail")                  # every send answers 503 (also: "ok", "error", "slow", "drop")
    gw.set_mode("ok"); gw.messages()     # what was delivered, in arrival order, once per message id
    gw.stop()

Endpoints: POST /sms (SMS brandname style), POST /zalo (ZNS style: HTTP 200 {"error": 0|code}),
POST /control {"mode": ..., "channel": "sms"|"zalo"|"*", "delay_ms": .., "code": .., "fail_next": N,
"no_zalo": ["0912..."]}, GET /messages, POST /reset. Modes:

- ok: accept; fail: 503; error: 400 with `code` (ZNS: HTTP 200 with that error code);
- slow: wait `delay_ms` then accept (a client timeout shorter than that makes the sender retry);
- drop: record the message, then answer 503 (the answer was lost: the retry must not deliver twice);
- fail_next N: the next N requests of the channel answer 503, then the mode applies;
- no_zalo: these numbers have no Zalo account (ZNS error -118).

Messages are de-duplicated by provider message id (`message_id` / `tracking_id`): a repeated id is
counted in `duplicates` and answered as accepted, as a real gateway's idempotency key is.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

NO_ZALO_CODE = -118


class _State:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.modes: dict[str, dict[str, Any]] = {"sms": {"mode": "ok"}, "zalo": {"mode": "ok"}}
        self.fail_next: dict[str, int] = {"sms": 0, "zalo": 0}
        self.no_zalo: set[str] = set()
        self.delivered: list[dict[str, Any]] = []
        self.seen: set[str] = set()
        self.requests = 0
        self.duplicates = 0
        self.errors = 0


def _norm(phone: str) -> str:
    digits = "".join(c for c in str(phone) if c.isdigit())
    return "84" + digits[1:] if digits.startswith("0") else digits


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def _reply(self, status: int, payload: Any) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _body(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            data = json.loads(raw.decode("utf-8") or "{}")
        except (UnicodeDecodeError, json.JSONDecodeError):
            data = {}
        return data if isinstance(data, dict) else {}

    def do_GET(self) -> None:  # noqa: N802
        state = self.server.state
        if self.path.startswith("/messages"):
            with state.lock:
                self._reply(200, {"messages": list(state.delivered), "duplicates": state.duplicates,
                                  "requests": state.requests, "errors": state.errors})
        else:
            self._reply(404, {"error": {"code": "not_found"}})

    def do_POST(self) -> None:  # noqa: N802
        state, path = self.server.state, self.path.rstrip("/")
        body = self._body()
        if path == "/control":
            self.server.gateway.set_mode(body.get("mode"), channel=body.get("channel", "*"),
                                         delay_ms=body.get("delay_ms"), code=body.get("code"),
                                         fail_next=body.get("fail_next"), no_zalo=body.get("no_zalo"))
            self._reply(200, {"ok": True})
        elif path == "/reset":
            with state.lock:
                state.reset()
            self._reply(200, {"ok": True})
        elif path in ("/sms", "/zalo"):
            self._send(path[1:], body)
        else:
            self._reply(404, {"error": {"code": "not_found"}})

    def _send(self, channel: str, body: dict[str, Any]) -> None:
        state = self.server.state
        with state.lock:
            state.requests += 1
            conf = dict(state.modes[channel])
            forced_fail = state.fail_next[channel] > 0
            if forced_fail:
                state.fail_next[channel] -= 1
        mode = "fail" if forced_fail else conf.get("mode", "ok")
        if mode == "slow":
            time.sleep(float(conf.get("delay_ms") or 0) / 1000)
        if mode == "fail":
            with state.lock:
                state.errors += 1
            return self._reply(503, {"error": {"code": "unavailable", "message": "gateway down"}})
        if mode == "error":
            with state.lock:
                state.errors += 1
            code = conf.get("code") or ("INVALID_REQUEST" if channel == "sms" else -100)
            if channel == "zalo":
                return self._reply(200, {"error": int(code), "message": "rejected"})
            return self._reply(400, {"error": {"code": code, "message": "rejected"}})
        if channel == "sms":
            mid, to = str(body.get("message_id") or self.headers.get("Idempotency-Key") or ""), body.get("to", "")
            if not mid or not to or not body.get("text"):
                return self._reply(400, {"error": {"code": "INVALID_REQUEST", "message": "missing field"}})
        else:
            mid, to = str(body.get("tracking_id") or self.headers.get("Idempotency-Key") or ""), body.get("phone", "")
            if not self.headers.get("access_token"):
                return self._reply(200, {"error": -124, "message": "invalid access token"})
            if not mid or not to or not body.get("template_id"):
                return self._reply(200, {"error": -100, "message": "missing field"})
            if _norm(to) in state.no_zalo:
                return self._reply(200, {"error": NO_ZALO_CODE, "message": "Zalo account not existed"})
        with state.lock:
            if mid in state.seen:
                state.duplicates += 1
            else:
                state.seen.add(mid)
                state.delivered.append({"seq": len(state.delivered) + 1, "channel": channel, "id": mid,
                                        "to": _norm(to), "at": time.time(), "body": body,
                                        "auth": self.headers.get("Authorization") or self.headers.get("access_token")})
        if mode == "drop":
            return self._reply(503, {"error": {"code": "unavailable", "message": "answer lost"}})
        if channel == "zalo":
            return self._reply(200, {"error": 0, "message": "Success", "data": {"msg_id": f"zns-{mid}"}})
        return self._reply(200, {"status": "accepted", "id": f"sms-{mid}"})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, address: tuple[str, int], gateway: FakeGateway):
        self.gateway, self.state = gateway, gateway.state
        super().__init__(address, _Handler)


class FakeGateway:
    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.state = _State()
        self.server = _Server((host, port), self)
        self.host, self.port = self.server.server_address[:2]
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> FakeGateway:
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-gateway", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def serve_forever(self) -> None:
        self.server.serve_forever()

    def settings(self, **extra: Any) -> dict[str, Any]:
        """A `CONGVU_NOTIFY` pointing at this gateway (templates: a ZNS id per dossier event)."""
        from congvu.notifications.templates import shipped

        conf: dict[str, Any] = {
            "sms": {"endpoint": f"{self.url}/sms", "api_key": "test-key", "sender": "CONGVU", "timeout": 5},
            "zalo": {"endpoint": f"{self.url}/zalo", "access_token": "test-token", "oa_id": "123",
                     "templates": {key: str(200000 + i) for i, key in enumerate(sorted(shipped()))}, "timeout": 5},
        }
        for key, value in extra.items():
            if isinstance(value, dict) and isinstance(conf.get(key), dict):
                conf[key] = {**conf[key], **value}
            else:
                conf[key] = value
        return conf

    def set_mode(self, mode: str | None = None, *, channel: str = "*", delay_ms: int | None = None,
                 code: Any = None, fail_next: int | None = None, no_zalo: list[str] | None = None) -> None:
        channels = ["sms", "zalo"] if channel in ("*", "", None) else [channel]
        with self.state.lock:
            for ch in channels:
                if mode:
                    self.state.modes[ch] = {"mode": mode, "delay_ms": delay_ms or 0, "code": code}
                if fail_next is not None:
                    self.state.fail_next[ch] = int(fail_next)
            if no_zalo is not None:
                self.state.no_zalo = {_norm(p) for p in no_zalo}

    def reset(self) -> None:
        with self.state.lock:
            self.state.reset()

    def messages(self, channel: str | None = None) -> list[dict[str, Any]]:
        with self.state.lock:
            return [m for m in self.state.delivered if channel is None or m["channel"] == channel]

    @property
    def duplicates(self) -> int:
        return self.state.duplicates

    @property
    def requests(self) -> int:
        return self.state.requests
