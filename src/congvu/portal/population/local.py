"""`local`: a synthetic population of a few thousand citizens, generated deterministically (no real
data). Options: `size` (5000), `seed`; for trying failures: `down` (always unavailable), `delay`
(seconds per lookup; beyond CONGVU_POPULATION_TIMEOUT it is a timeout)."""

from __future__ import annotations

import time
from typing import Any

from congvu.portal import conf
from congvu.portal.population import Citizen, PopulationUnavailable
from congvu.portal.population.idnumber import province_codes
from congvu.portal.population.synthetic import synthetic_population
from congvu.portal.providers import Health


class LocalPopulationProvider:
    label = "CSDL dân cư giả lập (dữ liệu tổng hợp)"

    def __init__(self, *, key: str, options: dict[str, Any]):
        self.key = key
        self.size = int(options.get("size") or 5000)
        self.seed = str(options.get("seed") or "congvu-population-demo")
        self.down = bool(options.get("down"))
        self.delay = float(options.get("delay") or 0)
        self.timeout = float(options.get("timeout") or conf.get("CONGVU_POPULATION_TIMEOUT"))

    def citizens(self) -> dict[str, dict]:
        return synthetic_population(self.seed, self.size, tuple(sorted(province_codes().items())))

    def lookup(self, id_number: str) -> Citizen | None:
        if self.down:
            raise PopulationUnavailable("CSDL dân cư không phản hồi (giả lập sự cố).")
        if self.delay:
            time.sleep(min(self.delay, self.timeout))
            if self.delay > self.timeout:
                raise PopulationUnavailable(f"CSDL dân cư không trả lời trong {self.timeout:g} giây.")
        c = self.citizens().get(id_number)
        return Citizen(**c) if c else None

    def health(self) -> Health:
        if self.down:
            return Health(False, "CSDL dân cư không phản hồi (giả lập sự cố).")
        return Health(True, "Hoạt động bình thường", {"citizens": self.size})
