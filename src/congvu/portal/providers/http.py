"""The JSON-over-HTTP sync protocol `congvu fakeportal` speaks (see `congvu.portal.fakeportal`),
over one kept-alive connection per provider object."""

from __future__ import annotations

import datetime as dt
import http.client
import json
from typing import Any
from urllib.parse import quote, urlencode, urlparse

from congvu.portal import conf
from congvu.portal.providers import Ack, Health, OutboundRecord, PortalUnavailable, SendResult


class HttpPortalProvider:
    label = "Cổng DVCQG (HTTP)"

    def __init__(self, *, key: str, options: dict[str, Any]):
        self.key = key
        self.endpoint = str(options.get("endpoint") or "").rstrip("/")
        self.timeout = float(options.get("timeout") or conf.get("CONGVU_PORTAL_TIMEOUT"))
        self.options = options
        self._conn: http.client.HTTPConnection | None = None

    # -- transport -----------------------------------------------------------------------------
    def _headers(self) -> dict[str, str]:
        return {"Content-Type": "application/json", "Accept": "application/json"}

    def _connection(self) -> tuple[http.client.HTTPConnection, str]:
        if not self.endpoint:
            raise PortalUnavailable("Chưa cấu hình địa chỉ (endpoint) của cổng.")
        url = urlparse(self.endpoint)
        if self._conn is None:
            cls = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
            self._conn = cls(url.hostname or "127.0.0.1", url.port, timeout=self.timeout)
        return self._conn, url.path.rstrip("/")

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _call(self, method: str, path: str, body: Any = None, query: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        for attempt in (1, 2):  # a kept-alive connection the server closed: reconnect once
            conn, prefix = self._connection()
            target = prefix + path + (f"?{urlencode(query, doseq=True)}" if query else "")
            try:
                conn.request(method, target, body=data, headers=self._headers())
                resp = conn.getresponse()
                raw = resp.read()
            except (OSError, http.client.HTTPException) as exc:
                self.close()
                if attempt == 2 or isinstance(exc, TimeoutError):
                    raise PortalUnavailable(f"Không kết nối được cổng: {type(exc).__name__}: {exc}") from exc
                continue
            if resp.status >= 400:
                try:
                    reason = json.loads(raw).get("reason", "")
                except (ValueError, AttributeError):
                    reason = raw[:200].decode(errors="replace")
                raise PortalUnavailable(f"Cổng trả lời HTTP {resp.status}: {reason}".strip())
            try:
                return json.loads(raw or b"{}")
            except ValueError as exc:
                raise PortalUnavailable("Cổng trả lời không phải JSON.") from exc
        raise PortalUnavailable("Không kết nối được cổng.")  # pragma: no cover

    # -- the protocol --------------------------------------------------------------------------
    def send(self, records: list[OutboundRecord]) -> list[SendResult]:
        body = {"records": [{"key": r.key, "source": r.source, "dossier": r.dossier, "sequence": r.sequence,
                             "unit": r.unit, "day": r.day, "payload": r.payload} for r in records]}
        answer = self._call("POST", "/records", body)
        results = answer.get("results") if isinstance(answer, dict) else None
        if not isinstance(results, list):
            raise PortalUnavailable("Cổng trả lời thiếu kết quả (results).")
        out = [SendResult(key=str(x.get("key", "")), status=str(x.get("status", "")), reason=str(x.get("reason") or ""),
                          code=str(x.get("code") or ""), ref=str(x.get("ref") or "")) for x in results]
        return out

    def acks(self, after: str) -> tuple[list[Ack], str]:
        answer = self._call("GET", "/acks", query={"after": after or "0"})
        acks = [Ack(key=str(a.get("key")), status=str(a.get("status", "acknowledged")), reason=str(a.get("reason") or ""))
                for a in answer.get("acks", [])]
        return acks, str(answer.get("next", after or "0"))

    def status(self, key: str) -> SendResult:
        answer = self._call("GET", f"/records/{quote(key, safe='')}")
        return SendResult(key=key, status=str(answer.get("status", "unknown")), ref=str(answer.get("ref") or ""))

    def counts(self, units: list[str], date_from: dt.date, date_to: dt.date) -> dict[tuple[str, dt.date], int]:
        answer = self._call("GET", "/counts", query={"unit": units, "from": date_from.isoformat(),
                                                     "to": date_to.isoformat()})
        return {(unit, dt.date.fromisoformat(day)): int(n)
                for unit, days in answer.get("counts", {}).items() for day, n in days.items()}

    def keys(self, unit: str, day: dt.date) -> set[str]:
        return set(self._call("GET", "/keys", query={"unit": unit, "day": day.isoformat()}).get("keys", []))

    def health(self) -> Health:
        try:
            answer = self._call("GET", "/health")
        except PortalUnavailable as exc:
            return Health(False, str(exc), {"endpoint": self.endpoint})
        ok = bool(answer.get("ok", True))
        return Health(ok, "Hoạt động bình thường" if ok else "Cổng báo đang gặp sự cố",
                      {"endpoint": self.endpoint, **{k: v for k, v in answer.items() if k != "ok"}})
