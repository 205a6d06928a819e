"""Train and evaluate the learned task confidence (docs/extraction.md, "Learned confidence").

    .venv/bin/python -m congvu.directives.extraction.train            # LOBO report, then write the weights
    .venv/bin/python -m congvu.directives.extraction.train --no-write # LOBO report only
    .venv/bin/python -m congvu.directives.extraction.train --dump rows.jsonl
    make train                                                         # installs the `train` extra, then trains

Needs scikit-learn (the `train` extra: `pip install -e '.[train]'`); the extractor itself never imports it.

Data: every task the grammar proposes on the labelled dev half (tests/directives/corpus/dev; batch = the pass its
SOURCES.md row names, or the name's prefix "b5_", "b6_") and on the five seeds (../shared/seeds with ../shared/labels,
a batch of their own). By default a dev document's proposals are those of the extractor **before anyone tuned on
it**: the code of the parent of the commit that added its label, taken with `git archive` into --cache and run in a
subprocess (today's extractor was tuned on the whole dev half: its proposals there are nearly all right, 280 of 282,
and teach nothing; `--current` uses them anyway). Today's vetting rules, hand confidence and features are applied to
those proposals. Proposals a vetting rule rejects (preamble, execution clause, aims, narration) stay candidates in
both pipelines and are left out. Target: the proposal is paired with a labelled task by the shared scorer's own
`match_tasks` (../shared/eval/score_extraction.py), run over all of a document's proposals at once.
`--extra NAME=DIR` adds a labelled batch that today's extractor has never been tuned on (its proposals of today).

Evaluation, leave one batch out: for each batch, the model is trained on the other batches and its threshold is
the one that maximises pooled task F1 on the other batches' out-of-batch probabilities (an inner leave one batch
out); the hand-set confidence gets its threshold the same way (maximum F1 on the other batches). The held-out
batch is then scored with the scorer's matching (precision, recall, F1 over all its labelled tasks).
The model written at the end is trained on every batch, with the threshold chosen on all out-of-batch
probabilities. Deterministic: the same corpus gives the same JSON byte for byte.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import re
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from .api import propose_text
from .model import FEATURES, MODEL_PATH, probability, task_features
from .readers import read_document
from .vetting import CANDIDATE_THRESHOLD

ROOT = Path(__file__).resolve().parents[4]
CORPUS = ROOT / "tests" / "directives" / "corpus"
SHARED = ROOT.parent / "shared"
THRESHOLDS = [round(0.05 * i, 2) for i in range(1, 20)]
C = 1.0  # inverse L2 strength of the logistic regression


def scorer(shared: Path = SHARED) -> Any:
    """The shared scorer module (its `match_tasks` is the one matching rule used here)."""
    path = shared / "eval" / "score_extraction.py"
    spec = importlib.util.spec_from_file_location("score_extraction", path)
    if spec is None or spec.loader is None or not path.exists():
        raise SystemExit(f"the shared scorer is needed: {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def batch_of(half: str, name: str) -> str:
    """The batch of a dev document: its name's prefix ("b5_..." -> "b5"), else the pass its SOURCES.md row names."""
    m = re.match(r"(b\d+)_", name)
    if m:
        return m.group(1)
    m = re.search(r"\((.*)\)", half)
    return m.group(1) if m else "first half"


def corpus(shared: Path = SHARED) -> list[tuple[str, str, Path, dict[str, Any]]]:
    """(batch, name, document path, label) for every dev document listed in SOURCES.md, and the seeds."""
    halves: dict[str, str] = {}
    for line in (CORPUS / "SOURCES.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 3 and cells[2].startswith("dev"):
            halves[cells[1]] = cells[2]
    out = []
    for label_file in sorted((CORPUS / "dev").glob("*.json")):
        name = label_file.stem
        if name not in halves and not re.match(r"b\d+_", name):
            raise SystemExit(f"{name}: not listed in SOURCES.md (which batch?)")
        label = json.loads(label_file.read_text(encoding="utf-8"))
        out.append((batch_of(halves.get(name, ""), name), name, CORPUS / "dev" / label.get("document", name + ".txt"), label))
    for label_file in sorted((shared / "labels").glob("*.json")):
        label = json.loads(label_file.read_text(encoding="utf-8"))
        out.append(("seeds", label_file.stem, shared / "seeds" / label.get("document", label_file.stem + ".txt"), label))
    return out


def extra_batch(spec: str) -> list[tuple[str, str, Path, dict[str, Any]]]:
    """NAME=DIR: a batch of labelled documents (DIR/x.json beside DIR/x.txt) that today's extractor has never been
    tuned on, so that its proposals of today are pre-tuning ones."""
    name, _, folder = spec.partition("=")
    out = []
    for label_file in sorted(Path(folder).glob("*.json")):
        label = json.loads(label_file.read_text(encoding="utf-8"))
        out.append((name, label_file.stem, Path(folder) / label.get("document", label_file.stem + ".txt"), label))
    if not out:
        raise SystemExit(f"{spec}: no label files")
    return out


def rows(shared: Path = SHARED, items: list[tuple[str, str, Path, dict[str, Any]]] | None = None,
         ) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """One row per proposal of today's extractor that no vetting rule rejects: batch, doc, features, hand
    confidence, dated, target; and per document its number of labelled tasks."""
    from .cli import LazyWorkdays

    sc = scorer(shared)
    workdays = LazyWorkdays()
    out: list[dict[str, Any]] = []
    docs: dict[str, dict[str, Any]] = {}
    for batch, name, path, label in corpus(shared) if items is None else items:
        found = propose_text(read_document(path), workdays=workdays)
        gold = label.get("tasks", [])
        proposals = [p.task for p in found.items]
        matched = {pi for _gi, pi in sc.match_tasks(gold, proposals)}
        docs[name] = {"batch": batch, "gold": len(gold)}
        for i, p in enumerate(found.items):
            if p.reason is not None:
                continue
            out.append({
                "batch": batch, "doc": name, "index": i,
                "features": task_features(found.doc, p.task, p.origin, found.info.doc_type, found.info.issuer,
                                          found.headings),
                "confidence": p.hand_confidence, "dated": bool(p.task.get("deadline")),
                "target": int(i in matched),
                "source": p.task.get("source_text", "")[:100],
            })
    return out, docs


# Run by the extractor of an old commit (PYTHONPATH = that commit's src): every task it proposes, with the way
# the grammar found it, for the documents named on the command line; JSON on stdout.
_DUMPER = r"""
import json, sys
from congvu.directives.extraction import api
from congvu.directives.extraction.readers import read_document
try:
    from congvu.directives.extraction.cli import LazyWorkdays
    workdays = LazyWorkdays()
except Exception:
    workdays = None
_orig = api._task_dict
def _task_dict(doc, t, info, resolver):
    d = _orig(doc, t, info, resolver)
    d["_origin"] = getattr(t, "origin", None)  # None: before the grammar recorded it
    return d
api._task_dict = _task_dict
out = {}
for path in sys.argv[1:]:
    text = read_document(path)
    try:
        r = api.extract_text(text, workdays=workdays)
    except TypeError:  # before working days were counted
        r = api.extract_text(text)
    out[path] = {"doc": api.document_text(text), "doc_type": r["doc_type"], "issuer": r["issuer"],
                 "tasks": r["tasks"] + r.get("candidates", [])}
print(json.dumps(out, ensure_ascii=False))
"""


def _added_by(path: Path) -> str:
    """The commit that added a label file (its parent ran before anyone tuned on the document)."""
    out = subprocess.run(["git", "log", "--diff-filter=A", "--format=%H", "--", str(path)], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.split()
    if not out:
        raise SystemExit(f"{path}: not in git history (commit the label first, or leave out --pretuning)")
    return out[-1]


def pretuning_outputs(docs: list[tuple[str, str, Path, dict[str, Any]]], cache: Path) -> dict[str, dict[str, Any]]:
    """name -> what the extractor proposed for it before anyone tuned on it: the code of the parent of the commit
    that added its label (`git archive` into `cache`, run in a subprocess)."""
    parents: dict[str, str] = {}
    by_parent: dict[str, list[tuple[str, Path]]] = defaultdict(list)
    for _batch, name, path, _label in docs:
        commit = _added_by(path.with_suffix(".json"))
        if commit not in parents:
            parents[commit] = subprocess.run(["git", "rev-parse", commit + "^"], cwd=ROOT, capture_output=True,
                                             text=True, check=True).stdout.strip()
        by_parent[parents[commit]].append((name, path))
    out: dict[str, dict[str, Any]] = {}
    for parent, items in sorted(by_parent.items()):
        dump = cache / f"{parent}.json"
        cached = json.loads(dump.read_text(encoding="utf-8")) if dump.exists() else {}
        digests = {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for _n, p in items}
        if any(cached.get(k, {}).get("sha256") != v for k, v in digests.items()):  # new or changed documents
            src = cache / parent
            if not (src / "src").exists():
                src.mkdir(parents=True, exist_ok=True)
                archive = subprocess.run(["git", "archive", parent, "src"], cwd=ROOT, capture_output=True, check=True)
                subprocess.run(["tar", "-x", "-C", str(src)], input=archive.stdout, check=True)
            env = {**os.environ, "PYTHONPATH": str(src / "src"), "DJANGO_SETTINGS_MODULE": "congvu.settings.test"}
            proc = subprocess.run([sys.executable, "-c", _DUMPER, *[str(p) for _n, p in items]], env=env,
                                  capture_output=True, text=True)
            if proc.returncode:
                raise SystemExit(f"the extractor of {parent[:7]} failed: {proc.stderr[-2000:]}")
            got = json.loads(proc.stdout)
            for k, v in digests.items():
                got[k]["sha256"] = v
            dump.write_text(json.dumps(got, ensure_ascii=False), encoding="utf-8")
        got = json.loads(dump.read_text(encoding="utf-8"))
        for name, path in items:
            out[name] = {**got[str(path)], "commit": parent[:7]}
    return out


def pretuning_rows(shared: Path, cache: Path) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """As `rows`, but the dev documents' proposals are those of the extractor before it was tuned on them (the
    seeds, there from the start, keep today's); today's vetting rules, hand confidence and features apply."""
    from .api import task_confidence
    from .vetting import _headings, decision_line, rejection

    sc = scorer(shared)
    items = corpus(shared)
    old = pretuning_outputs([d for d in items if d[0] != "seeds"], cache)
    current, current_docs = rows(shared)
    out = [r for r in current if r["batch"] == "seeds"]
    docs = {k: v for k, v in current_docs.items() if v["batch"] == "seeds"}
    for batch, name, _path, label in items:
        if batch == "seeds":
            continue
        o = old[name]
        doc, proposals = o["doc"], o["tasks"]
        gold = label.get("tasks", [])
        matched = {pi for _gi, pi in sc.match_tasks(gold, proposals)}
        docs[name] = {"batch": batch, "gold": len(gold), "commit": o["commit"]}
        headings = _headings(doc)
        found = decision_line(doc)
        for i, t in enumerate(proposals):
            if rejection(doc, t, found, headings) is not None:
                continue
            origin = t.get("_origin") or "item"
            out.append({
                "batch": batch, "doc": name, "index": i,
                "features": task_features(doc, t, origin, o["doc_type"], o["issuer"], headings),
                "confidence": task_confidence(t, origin, issuer=o["issuer"]), "dated": bool(t.get("deadline")),
                "target": int(i in matched), "source": (t.get("source_text") or "")[:100],
            })
    return out, docs


def _fit(train: list[dict[str, Any]]) -> dict[str, Any]:
    from sklearn.linear_model import LogisticRegression

    X = [[r["features"][k] for k in FEATURES] for r in train]
    y = [r["target"] for r in train]
    if len(set(y)) < 2:  # one class only (today's tuned outputs of a few batches): a constant
        return {"version": 1, "features": list(FEATURES), "weights": dict.fromkeys(FEATURES, 0.0),
                "intercept": 9.0 if y and y[0] else -9.0, "_clf": None}
    clf = LogisticRegression(C=C, solver="lbfgs", max_iter=5000, tol=1e-8)
    clf.fit(X, y)
    weights = {k: round(float(w), 6) for k, w in zip(FEATURES, clf.coef_[0], strict=True)}
    return {"version": 1, "features": list(FEATURES), "weights": weights,
            "intercept": round(float(clf.intercept_[0]), 6), "_clf": clf}


def _counts(rows_: list[dict[str, Any]], docs: dict[str, dict[str, Any]], keep: Any) -> tuple[int, int, int]:
    """(labelled, predicted, matched) over the documents of `rows_` (all of `docs` given)."""
    gold = sum(d["gold"] for d in docs.values())
    kept = [r for r in rows_ if keep(r)]
    return gold, len(kept), sum(r["target"] for r in kept)


def prf(gold: int, pred: int, matched: int) -> dict[str, float]:
    p = matched / pred if pred else 0.0
    r = matched / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "gold": gold, "pred": pred,
            "matched": matched}


def _best(rows_: list[dict[str, Any]], docs: dict[str, dict[str, Any]], keep_at: Any) -> float:
    """The threshold of THRESHOLDS with the highest F1 (ties: the lowest threshold)."""
    best_t, best_f = THRESHOLDS[0], -1.0
    for t in THRESHOLDS:
        f = prf(*_counts(rows_, docs, lambda r, t=t: keep_at(r, t)))["f1"]
        if f > best_f + 1e-12:
            best_t, best_f = t, f
    return best_t


def rules_keep(r: dict[str, Any], t: float) -> bool:
    """The current rules: an undated task under the threshold is a candidate."""
    return r["dated"] or r["confidence"] >= t


def model_keep(r: dict[str, Any], t: float) -> bool:
    """The learned confidence in the same place: an undated task under the threshold is a candidate."""
    return r["dated"] or r["p"] >= t


def _oof(rows_: list[dict[str, Any]]) -> None:
    """Out-of-batch probabilities `p` of every row: each batch scored by a model trained on the others."""
    batches = sorted({r["batch"] for r in rows_})
    for b in batches:
        model = _fit([r for r in rows_ if r["batch"] != b])
        for r in rows_:
            if r["batch"] == b:
                r["p"] = probability(r["features"], model)


def lobo(rows_: list[dict[str, Any]], docs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    batches = sorted({d["batch"] for d in docs.values()})
    report: dict[str, Any] = {}
    pooled: dict[str, list[int]] = {"rules": [0, 0, 0], "model": [0, 0, 0], "rules_0.6": [0, 0, 0]}
    for b in batches:
        train = [dict(r) for r in rows_ if r["batch"] != b]
        test = [dict(r) for r in rows_ if r["batch"] == b]
        train_docs = {k: v for k, v in docs.items() if v["batch"] != b}
        test_docs = {k: v for k, v in docs.items() if v["batch"] == b}
        t_rules = _best(train, train_docs, rules_keep)
        _oof(train)
        t_model = _best(train, train_docs, model_keep)
        model = _fit(train)
        for r in test:
            r["p"] = probability(r["features"], model)
        entry = {"docs": len(test_docs), "threshold_rules": t_rules, "threshold_model": t_model}
        for key, keep in (("rules", lambda r, t=t_rules: rules_keep(r, t)),
                          ("model", lambda r, t=t_model: model_keep(r, t)),
                          ("rules_0.6", lambda r: rules_keep(r, CANDIDATE_THRESHOLD))):
            c = _counts(test, test_docs, keep)
            entry[key] = prf(*c)
            pooled[key] = [a + x for a, x in zip(pooled[key], c, strict=True)]
        report[b] = entry
    report["pooled"] = {k: prf(*v) for k, v in pooled.items()}
    return report


def final_model(rows_: list[dict[str, Any]], docs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    all_rows = [dict(r) for r in rows_]
    _oof(all_rows)
    threshold = _best(all_rows, docs, model_keep)
    model = _fit(all_rows)
    clf = model.pop("_clf")
    model["threshold"] = threshold
    pos = sum(r["target"] for r in all_rows)
    model["training"] = {
        "documents": len(docs), "examples": len(all_rows), "positives": pos,
        "batches": sorted({d["batch"] for d in docs.values()}),
        "estimator": f"sklearn LogisticRegression(C={C}, lbfgs, L2)",
        "threshold_rule": "max pooled F1 of out-of-batch probabilities, 0.05 grid, ties to the lower",
    }
    # fixed feature vectors and the probabilities scikit-learn gives for them, for the inference test
    checks = []
    for i in (0, len(all_rows) // 3, 2 * len(all_rows) // 3, len(all_rows) - 1):
        vec = [all_rows[i]["features"][k] for k in FEATURES]
        checks.append({"features": {k: v for k, v in zip(FEATURES, vec, strict=True) if v},
                       "probability": round(float(clf.predict_proba([vec])[0][1]), 6)})
    model["checks"] = checks
    return model


def _table(report: dict[str, Any]) -> str:
    lines = ["| held out | docs | rules: t, F1 (P / R) | model: t, F1 (P / R) | rules at 0.6 |", "|---|---|---|---|---|"]
    for b, e in report.items():
        if b == "pooled":
            continue
        r, m, k = e["rules"], e["model"], e["rules_0.6"]
        lines.append(f"| {b} | {e['docs']} | {e['threshold_rules']}: {r['f1']} ({r['precision']} / {r['recall']}) | "
                     f"{e['threshold_model']}: {m['f1']} ({m['precision']} / {m['recall']}) | "
                     f"{k['f1']} ({k['precision']} / {k['recall']}) |")
    p = report["pooled"]
    lines.append(f"| pooled | | {p['rules']['f1']} ({p['rules']['precision']} / {p['rules']['recall']}) | "
                 f"{p['model']['f1']} ({p['model']['precision']} / {p['model']['recall']}) | "
                 f"{p['rules_0.6']['f1']} ({p['rules_0.6']['precision']} / {p['rules_0.6']['recall']}) |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=SHARED, help="the shared folder (scorer, seeds, labels)")
    ap.add_argument("--out", type=Path, default=MODEL_PATH, help="where to write the weights")
    ap.add_argument("--no-write", action="store_true", help="report only")
    ap.add_argument("--dump", type=Path, help="write the rows (features, target) as JSON lines")
    ap.add_argument("--current", action="store_true",
                    help="train on today's proposals of the dev half (tuned on it: almost no false task to learn from)")
    ap.add_argument("--extra", action="append", default=[], metavar="NAME=DIR",
                    help="a labelled batch today's extractor was never tuned on (its proposals of today are fresh)")
    ap.add_argument("--cache", type=Path, default=ROOT / "var" / "train-cache",
                    help="old extractors' code and outputs (--pretuning data)")
    args = ap.parse_args(argv)
    t0, w0 = time.process_time(), time.perf_counter()
    data, docs = rows(args.shared) if args.current else pretuning_rows(args.shared, args.cache)
    for spec in args.extra:
        more, more_docs = rows(args.shared, extra_batch(spec))
        data += more
        docs.update(more_docs)
    if args.dump:
        args.dump.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in data), encoding="utf-8")
    by_batch: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in data:
        by_batch[r["batch"]][0] += 1
        by_batch[r["batch"]][1] += r["target"]
    print(f"{len(docs)} documents, {len(data)} proposals ({sum(r['target'] for r in data)} labelled tasks); "
          + ", ".join(f"{b}: {n}/{p}" for b, (n, p) in sorted(by_batch.items())))
    report = lobo(data, docs)
    print(_table(report))
    if not args.no_write:
        model = final_model(data, docs)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(model, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {args.out} (threshold {model['threshold']})")
        print("weights: " + ", ".join(f"{k} {w:+.2f}" for k, w in sorted(model["weights"].items(), key=lambda x: -abs(x[1])))
              + f"; intercept {model['intercept']:+.2f}")
    if not args.current:
        # today's extractor on the same documents (tuned on them: a check that the model keeps what the rules keep)
        model = json.loads(args.out.read_text(encoding="utf-8"))
        now, now_docs = rows(args.shared)
        for r in now:
            r["p"] = probability(r["features"], model)
        for part in ("dev", "seeds"):
            d = {k: v for k, v in now_docs.items() if (v["batch"] == "seeds") == (part == "seeds")}
            rs = [r for r in now if r["doc"] in d]
            a = prf(*_counts(rs, d, lambda r: rules_keep(r, CANDIDATE_THRESHOLD)))
            b = prf(*_counts(rs, d, lambda r: model_keep(r, model["threshold"])))
            print(f"today's outputs, {part}: rules at {CANDIDATE_THRESHOLD} {a}; model {b}")
            for r in rs:
                if r["target"] and rules_keep(r, CANDIDATE_THRESHOLD) != model_keep(r, model["threshold"]):
                    print(f"   {r['doc']}: p {r['p']:.2f} conf {r['confidence']} {r['source'][:80]!r}")
    print(f"CPU {time.process_time() - t0:.1f} s in this process, {time.perf_counter() - w0:.1f} s wall")
    return 0


if __name__ == "__main__":
    sys.exit(main())
