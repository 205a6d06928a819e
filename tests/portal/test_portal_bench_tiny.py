"""The suite runs the portal bench once at a tiny size (speed is measured in bench/, never asserted)."""

import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_portal.py"


def test_bench_runs_tiny() -> None:
    env = {**os.environ, "CONGVU_BENCH_TINY": "1"}
    if env.get("DATABASE_URL"):  # not the suite's own test database: the bench creates test_<name>
        env["DATABASE_URL"] = env["DATABASE_URL"].rstrip("/") + "_bench"
    proc = subprocess.run([sys.executable, str(BENCH), "--tiny"], capture_output=True, text=True, timeout=180, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "portal.drain_records_per_s:" in proc.stdout and "portal.ratio:" in proc.stdout
    assert "stand-in holds 400 of 400, out of order 0" in proc.stdout
