"""The extraction bench runs (once each, tiny); its figures are read by people, never asserted."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[3] / "bench" / "bench_extraction.py"


def test_extraction_bench_runs_tiny(capsys) -> None:
    spec = importlib.util.spec_from_file_location("bench_extraction", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--tiny"]) == 0
    out = capsys.readouterr().out
    assert "CORPUS median ms per document" in out and "WARM median ms" in out
