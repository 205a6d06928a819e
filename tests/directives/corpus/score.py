"""A small scorer with the matching rules of shared/eval/README.md, for when ../shared is not beside the
repository (the shared scorer is preferred when it is).

A gold task matches a predicted one when the prediction's source_text contains the gold quote after
normalisation (case, diacritics, old/new tone placement, punctuation, whitespace), or holds ≥ 80% of its
words; one-to-one, best containment first. Assignees agree when equal after normalisation or sharing
≥ 90% of their words; deadlines are compared where either side has one; reports by due date.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

_TONES = {"oá": "óa", "oà": "òa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "oé": "óe", "oè": "òe", "oẻ": "ỏe",
          "oẽ": "õe", "oẹ": "ọe", "uý": "úy", "uỳ": "ùy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy"}


def norm(text: str | None) -> str:
    text = unicodedata.normalize("NFC", text or "").lower()
    for old, new in _TONES.items():
        text = text.replace(old, new)
    text = unicodedata.normalize("NFD", text.replace("đ", "d"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", re.sub(r"[*_#`>]+", " ", text))).strip()


def containment(quote: str, source: str) -> float:
    q, s = norm(quote), norm(source)
    if not q:
        return 0.0
    if q in s:
        return 1.0
    words = set(s.split())
    return sum(w in words for w in q.split()) / len(q.split())


def same_assignee(gold: str | None, pred: str | None) -> bool:
    g, p = norm(gold), norm(pred)
    if g == p:
        return True
    if not g or not p:
        return False
    gw, pw = set(g.split()), set(p.split())
    return len(gw & pw) / max(len(gw), len(pw)) >= 0.9


def score(label_dir: Path, extract: Callable[[Path], dict[str, Any]]) -> dict[str, float]:
    t = dict.fromkeys(("gold", "pred", "matched", "a_ok", "spec", "s_ok", "dated", "d_ok", "rg", "rp", "rm"), 0)
    for label_file in sorted(label_dir.glob("*.json")):
        label = json.loads(label_file.read_text(encoding="utf-8"))
        pred = extract(label_dir / label.get("document", label_file.stem + ".txt"))
        gold_tasks, pred_tasks = label.get("tasks", []), pred.get("tasks", [])
        cands = sorted(((containment(g.get("quote", ""), p.get("source_text", "")), gi, pi)
                        for gi, g in enumerate(gold_tasks) for pi, p in enumerate(pred_tasks)), key=lambda x: -x[0])
        used_g: set[int] = set()
        used_p: set[int] = set()
        for c, gi, pi in cands:
            if c < 0.8 or gi in used_g or pi in used_p:
                continue
            used_g.add(gi)
            used_p.add(pi)
            g, p = gold_tasks[gi], pred_tasks[pi]
            ok = same_assignee(g.get("assignee"), p.get("assignee"))
            t["matched"] += 1
            t["a_ok"] += ok
            if not g.get("generic"):
                t["spec"] += 1
                t["s_ok"] += ok
            if g.get("deadline") or p.get("deadline"):
                t["dated"] += 1
                t["d_ok"] += g.get("deadline") == p.get("deadline")
        gold_due = [r.get("due") for r in label.get("reports", [])]
        pred_due = [r.get("due") for r in pred.get("reports", [])]
        t["rm"] += sum(min(gold_due.count(d), pred_due.count(d)) for d in set(gold_due))
        t["gold"] += len(gold_tasks)
        t["pred"] += len(pred_tasks)
        t["rg"] += len(gold_due)
        t["rp"] += len(pred_due)

    def ratio(a: float, b: float) -> float:
        return a / b if b else 0.0

    p, r = ratio(t["matched"], t["pred"]), ratio(t["matched"], t["gold"])
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(ratio(2 * p * r, p + r), 3),
            "assignee_accuracy": round(ratio(t["a_ok"], t["matched"]), 3),
            "specific_assignee_accuracy": round(ratio(t["s_ok"], t["spec"]), 3),
            "deadline_accuracy": round(ratio(t["d_ok"], t["dated"]), 3),
            "report_recall": round(ratio(t["rm"], t["rg"]), 3),
            "report_precision": round(ratio(t["rm"], t["rp"]), 3)}
