"""Calibrate the candidate threshold of the extractor (docs/extraction.md, "Confidence threshold").

For every dev document it extracts tasks and candidates, marks each one as matching a labelled task or
not (the matching rules of tests/directives/corpus/score.py), and reports:
- the rejection reasons of the vetting rules, with how many true tasks each one removed;
- leave-one-batch-out: for each batch of the corpus (the passes in which documents were added, read from
  SOURCES.md), the threshold that maximises task F1 on the other batches, and the F1 it gives on the
  held-out batch, before and after.

    .venv/bin/python bench/calibrate_candidates.py [-v]
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from congvu.directives.extraction.api import extract_file

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "directives" / "corpus"
THRESHOLDS = [round(0.05 * i, 2) for i in range(0, 20)]


def _scorer():
    spec = importlib.util.spec_from_file_location("corpus_score", CORPUS / "score.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader
    spec.loader.exec_module(module)
    return module


def batches() -> dict[str, str]:
    """document stem -> batch name, from the 'half' column of SOURCES.md."""
    out = {}
    for line in (CORPUS / "SOURCES.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 3 and cells[2].startswith("dev"):
            m = re.search(r"\((.*)\)", cells[2])
            out[cells[1]] = m.group(1) if m else "first half"
    return out


def rows(verbose: bool = False) -> list[dict]:
    """One row per predicted task or candidate: batch, confidence, reason, whether it matches gold."""
    cs = _scorer()
    names = batches()
    out = []
    for label_file in sorted((CORPUS / "dev").glob("*.json")):
        label = json.loads(label_file.read_text(encoding="utf-8"))
        pred = extract_file(CORPUS / "dev" / label["document"])
        preds = [(t, None) for t in pred["tasks"]] + [(c, c["candidate_reason"]) for c in pred["candidates"]]
        gold = label.get("tasks", [])
        pairs = sorted(((cs.containment(g.get("quote", ""), p.get("source_text", "")), gi, pi)
                        for gi, g in enumerate(gold) for pi, (p, _r) in enumerate(preds)), key=lambda x: -x[0])
        used_g, match = set(), {}
        for c, gi, pi in pairs:
            if c >= 0.8 and gi not in used_g and pi not in match:
                used_g.add(gi)
                match[pi] = gi
        for pi, (p, reason) in enumerate(preds):
            row = {"doc": label_file.stem, "batch": names.get(label_file.stem, "?"), "conf": p["confidence"],
                   "reason": reason, "true": pi in match, "gold": len(gold)}
            out.append(row)
            if verbose and reason:
                print(f"{'TRUE ' if row['true'] else 'false'} {reason:17} {label_file.stem}: {p['source_text'][:90]!r}")
        out.append({"doc": label_file.stem, "batch": names.get(label_file.stem, "?"), "gold_only": len(gold)})
    return out


def f1(rs: list[dict], threshold: float, vetting: bool = True) -> float:
    gold = sum(r["gold_only"] for r in rs if "gold_only" in r)
    kept = [r for r in rs if "conf" in r and (not vetting or r["reason"] in (None, "low_confidence"))
            and r["conf"] >= threshold]
    tp = sum(r["true"] for r in kept)
    p = tp / len(kept) if kept else 0.0
    rec = tp / gold if gold else 0.0
    return round(2 * p * rec / (p + rec), 3) if p + rec else 0.0


def main() -> None:
    rs = rows(verbose="-v" in sys.argv)
    reasons = Counter((r["reason"], r["true"]) for r in rs if r.get("reason") and r["reason"] != "low_confidence")
    print("rejections (reason, removed a true task):", dict(reasons))
    by_batch = defaultdict(list)
    for r in rs:
        by_batch[r["batch"]].append(r)
    print(f"{'held-out batch':28} docs  thr   F1(no vetting) F1(rules) F1(rules+thr)")
    for name, held in by_batch.items():
        rest = [r for r in rs if r["batch"] != name]
        best = max(THRESHOLDS, key=lambda t: (f1(rest, t), -t))
        docs = sum(1 for r in held if "gold_only" in r)
        print(f"{name:28} {docs:4}  {best:.2f}  {f1(held, 0.0, False):14} {f1(held, 0.0):9} {f1(held, best):13}")
    best = max(THRESHOLDS, key=lambda t: (f1(rs, t), -t))
    print(f"all dev: threshold {best:.2f}: F1 {f1(rs, 0.0, False)} -> rules {f1(rs, 0.0)} -> rules+threshold {f1(rs, best)}")


if __name__ == "__main__":
    main()
