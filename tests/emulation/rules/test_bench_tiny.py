"""The suite runs the emulation bench once at a tiny size (speed is measured in bench/, never asserted)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[3] / "bench" / "bench_emulation.py"


def test_bench_runs_tiny() -> None:
    proc = subprocess.run([sys.executable, str(BENCH), "--tiny"], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "CONGVU_BENCH_TINY": "1"})
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "# 200 people + 20 collectives" in out
    assert "emulation.eligibility_pure:" in out and "emulation.anchor_reload_rules_per_verdict:" in out
    assert "emulation.ratio:" in out and "x faster than the anchor" in out
