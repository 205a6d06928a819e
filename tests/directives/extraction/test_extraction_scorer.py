"""The shared scorer on the five seed notices must meet the project's bar (skipped without ../shared)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from congvu.directives.extraction import document_text, extract_file

ROOT = Path(__file__).resolve().parents[3]
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "eval" / "score_extraction.py"


@pytest.fixture(scope="module")
def seeds() -> list[Path]:
    if not SCORER.exists() or not (SHARED / "seeds").is_dir():
        pytest.skip("../shared (seeds, labels, scorer) is not beside the repository")
    return sorted((SHARED / "seeds").glob("*.txt"))


def test_scorer_thresholds(seeds: list[Path]) -> None:
    cmd = f"{sys.executable} -m congvu.directives.extraction.cli {{path}} --json"
    proc = subprocess.run([sys.executable, str(SCORER), str(SHARED / "labels"), "--docs", str(SHARED / "seeds"),
                           "--cmd", cmd], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    score = json.loads(proc.stdout.strip().splitlines()[-1])
    # the seeds score 1.0 on every measure (docs/extraction.md); the floors sit a little under
    assert score["f1"] >= 0.98
    assert score["specific_assignee_accuracy"] >= 0.98
    assert score["deadline_accuracy"] >= 0.98
    assert score["report_recall"] == 1.0


def test_seed_offsets(seeds: list[Path]) -> None:
    for path in seeds:
        text = document_text(path.read_text(encoding="utf-8"))
        for t in extract_file(path)["tasks"]:
            assert text[t["start"]:t["end"]] == t["source_text"]
