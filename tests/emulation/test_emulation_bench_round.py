"""The round pre-fill bench runs once at a tiny size (speed is measured in bench/, never asserted)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_emulation_round.py"


def test_round_bench_runs_tiny(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"BENCH_PEOPLE": "20", "BENCH_UNITS": "2", "CONGVU_VAR": str(tmp_path)})
    proc = subprocess.run([sys.executable, str(BENCH)], capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "emulation.round_prefill:" in proc.stdout and "emulation.round_ratio:" in proc.stdout
