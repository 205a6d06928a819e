"""Every bench runs once at a tiny size, so a schema or API change that breaks a bench fails the suite.

Speed is never asserted here (the figures are meaningless at these sizes): only that each bench
exits 0 and prints its figure, its anchor and their ratio. With DATABASE_URL on PostgreSQL the
benches run on a scratch database named after the suite's (`<name>_benchtiny`), so they never
clobber the suite's own test database.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"

TINY_ENV = {
    "CONGVU_BENCH_TINY": "1",
    "BENCH_DOSSIERS": "400", "BENCH_RECEIPTS": "20", "BENCH_UNITS": "3", "BENCH_IMPORT": "20",
    "BENCH_TASKS": "300", "BENCH_MESSAGES": "40", "BENCH_SECONDS": "1", "BENCH_RATE": "20",
    "BENCH_LOOKUPS": "50", "BENCH_WORKERS": "2",
}
# bench file → (extra arguments, what its output must contain)
BENCHES: dict[str, tuple[list[str], list[str]]] = {
    "bench_audit.py": ([], ["seq cursor", "anchor page number", "pages equal = True"]),
    "bench_calendar.py": (["--ops", "3000"], ["naive", "x"]),
    "bench_citizen.py": ([], ["lookup"]),
    "bench_cli.py": (["--runs", "1"], []),
    "bench_directives.py": ([], []),
    "bench_extraction.py": ([], []),
    "bench_notifications.py": ([], ["delivery OK"]),
    "bench_onestop.py": ([], ["receipt (serial", "codes gapless per unit and day = True", "counters = rows",
                              "province year figures", "anchor row scan", "DuckDB", "figures consistent"]),
}


def _env() -> dict[str, str]:
    env = {**os.environ, **TINY_ENV}
    url = env.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        env["DATABASE_URL"] = re.sub(r"/([^/?]+)(\?|$)", r"/\1_benchtiny\2", url, count=1) if "/" in url[12:] else url
    env.pop("CONGVU_VAR", None)
    return env


# benches whose app runs them tiny in its own test (bench file → that test)
OWN_TINY_TEST = {
    "bench_emulation.py": "tests/emulation/rules/test_bench_tiny.py",
    "bench_emulation_round.py": "tests/emulation/test_emulation_bench_round.py",
    "bench_vn_collation.py": "tests/common/test_common_vn_collation.py",
    "bench_indices.py": "tests/indices/test_indices_bench_tiny.py",
    "bench_portal.py": "tests/portal/test_portal_bench_tiny.py",
}


def test_every_bench_is_run_tiny() -> None:
    """A new bench must be added here (or have its own tiny test listed in OWN_TINY_TEST)."""
    assert sorted(p.name for p in BENCH.glob("bench_*.py")) == sorted([*BENCHES, *OWN_TINY_TEST])
    for test in OWN_TINY_TEST.values():
        assert (ROOT / test).is_file(), test


@pytest.mark.parametrize("name", sorted(BENCHES))
def test_bench_runs_tiny(name: str) -> None:
    args, expected = BENCHES[name]
    proc = subprocess.run([sys.executable, str(BENCH / name), *args], capture_output=True, text=True, timeout=300,
                          env=_env(), cwd=ROOT)
    assert proc.returncode == 0, f"{name} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    for text in expected:
        assert text in proc.stdout, f"{name}: {text!r} not in output:\n{proc.stdout[-3000:]}"
