"""`national`: the CSDL quốc gia về dân cư adapter. Endpoint and credentials are configuration
(`CONGVU_POPULATION_NATIONAL_ENDPOINT`, `_CLIENT_ID`, `_SECRET`). The national interface (paths,
authentication, field names) was not available: `GET {endpoint}/citizens/{id}` answering
{hoTen, ngaySinh, noiThuongTru} is UNCONFIRMED — adapt here once the integration document is known."""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request
from typing import Any

from congvu.portal import conf
from congvu.portal.population import Citizen, PopulationUnavailable
from congvu.portal.providers import Health


class NationalPopulationProvider:
    label = "CSDL quốc gia về dân cư"

    def __init__(self, *, key: str, options: dict[str, Any]):
        self.key = key
        self.endpoint = str(options.get("endpoint") or "").rstrip("/")
        self.options = options
        self.timeout = float(options.get("timeout") or conf.get("CONGVU_POPULATION_TIMEOUT"))

    def _get(self, path: str) -> tuple[int, Any]:
        if not self.endpoint:
            raise PopulationUnavailable("Chưa cấu hình địa chỉ CSDL dân cư.")
        req = urllib.request.Request(self.endpoint + path, headers={
            "Accept": "application/json", "X-Client-Id": str(self.options.get("client_id") or ""),
            "Authorization": f"Bearer {self.options.get('secret') or ''}"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return resp.status, json.loads(resp.read() or b"{}")
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return 404, None
            raise PopulationUnavailable(f"CSDL dân cư trả lời HTTP {exc.code}.") from exc
        except (OSError, ValueError) as exc:
            raise PopulationUnavailable(f"Không kết nối được CSDL dân cư: {exc}") from exc

    def lookup(self, id_number: str) -> Citizen | None:
        status, data = self._get(f"/citizens/{id_number}")
        if status == 404 or not data:
            return None
        return Citizen(id_number=id_number, full_name=str(data.get("hoTen", "")),
                       birth_date=dt.date.fromisoformat(str(data.get("ngaySinh"))),
                       permanent_address=str(data.get("noiThuongTru", "")))

    def health(self) -> Health:
        try:
            self._get("/health")
        except PopulationUnavailable as exc:
            return Health(False, str(exc), {"endpoint": self.endpoint})
        return Health(True, "Hoạt động bình thường", {"endpoint": self.endpoint})
