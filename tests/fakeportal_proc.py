"""The real `fakeportal` server as a child process on a local port (tests; no mocks)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request

TOKEN = "test-portal-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FakePortalProcess:
    def __init__(self, store: str, port: int | None = None, token: str = TOKEN):
        self.store, self.port, self.token = store, port or free_port(), token
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *args: str) -> FakePortalProcess:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "congvu.portal.fakeportal", "--port", str(self.port), "--store", self.store,
             "--token", self.token, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("fakeportal did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(5)
            self.proc = None

    def _call(self, method: str, path: str, body=None):
        req = urllib.request.Request(self.url + path, method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": f"Bearer {self.token}",
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=5) as resp:
            return json.loads(resp.read())

    def control(self, **values):
        return self._call("POST", "/_control", values)

    def stats(self) -> dict:
        return self._call("GET", "/_stats")

    def arrivals(self, dossier_id: int) -> list[dict]:
        return self._call("GET", f"/_records?dossier={dossier_id}")["records"]

    def forget(self, key: str) -> bool:
        return self._call("DELETE", f"/_records/{key}")["deleted"]

    def settings(self) -> dict:
        return {"CONGVU_PORTAL_PROVIDER": "local",
                "CONGVU_PORTAL_PROVIDERS": {"local": {"class": "congvu.portal.providers.local.LocalPortalProvider",
                                                      "endpoint": self.url, "token": self.token, "timeout": 2}},
                "CONGVU_PORTAL_BACKOFF_BASE": 1, "CONGVU_PORTAL_BACKOFF_MAX": 4}
