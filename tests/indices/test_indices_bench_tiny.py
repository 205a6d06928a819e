"""The suite runs the indices bench once at a tiny size (speed is measured in bench/, never asserted)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_indices.py"


def test_indices_bench_runs_tiny() -> None:
    proc = subprocess.run([sys.executable, str(BENCH), "--tiny"], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "CONGVU_BENCH_TINY": "1"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert "766 for every unit of the province" in out and "shared leaves equal=True" in out
    assert "ratio" in out and "same ranks as pure=True" in out
    assert "figures consistent" in out
