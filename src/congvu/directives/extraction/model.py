"""A learned task/not-task score (pure Python, no numpy): the features of one proposed task and a logistic
regression over them, its weights in ``data/task_model.json`` (written by ``python -m
congvu.directives.extraction.train``; see docs/extraction.md, "Learned confidence").

Every feature is a 0/1 fact about the task's text, its assignee, its deadline, its place in the document or
the document's type, or a number scaled to 0..1 (length, position), so that each weight reads as "how much
this fact moves the odds that the sentence is a labelled task".
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from .normalize import fold
from .tasks import _DIRECTIVE_HEAD, _IMPERATIVE, _NARRATIVE_HEAD
from .vetting import (
    _DIRECTIVE_ANY,
    _NARRATED_VERB,
    _NUMBERING,
    _PERSON,
    _REQUEST,
    _TARGET_OPENING,
    _heading_before,
    _same,
)

MODEL_PATH = Path(__file__).with_name("data") / "task_model.json"

FEATURES = (
    "origin_sentence", "origin_follow", "origin_row",
    "assignee_none", "assignee_generic", "assignee_in_text", "assignee_is_issuer_unnamed", "has_co_assignees",
    "deadline_date", "deadline_text_only", "deadline_odd",
    "opens_request", "opens_imperative", "opens_target", "opens_person",
    "directive_verb", "request_word", "narrated_verb", "past_cue", "quoted",
    "line_marker", "short", "long", "length", "position",
    "heading_none", "heading_directive", "heading_narrative",
    "doc_none", "doc_tb", "doc_ct", "doc_kh", "doc_decision", "doc_cd",
)

_OPENS_REQUEST = re.compile(r"^(?:kinh\s+)?(?:giao|de nghi|yeu cau|chi dao|phan cong|luu y)(?![\w])")
_PAST = re.compile(r"(?<![\w])(?:đã|vừa|đang|được)(?![\w])", re.IGNORECASE)
_MARKER = re.compile(r"^[ \t|]*(?:[-+•*–]|(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])\s*[.)/]|Điều\s+\d+)", re.IGNORECASE)
_DOC_KIND = {"TB": "doc_tb", "KL": "doc_tb", "CT": "doc_ct", "KH": "doc_kh", "QĐ": "doc_decision", "NQ": "doc_decision",
             "CĐ": "doc_cd"}


def task_features(doc: str, task: dict[str, Any], origin: str, doc_type: str | None, issuer: str | None,
                  headings: list[tuple[int, str]]) -> dict[str, float]:
    """The model's features of one proposed task (`task`: the extraction dict, with start/end in `doc`)."""
    source = task.get("source_text") or ""
    folded = fold(source).strip()
    assignee = task.get("assignee")
    named = bool(assignee) and fold(assignee)[:20] in fold(source)
    flags = task.get("flags") or []
    start = task.get("start", 0)
    line_start = doc.rfind("\n", 0, start) + 1
    heading = _heading_before(headings, start)
    head_key = fold(_NUMBERING.sub("", heading, count=1)).strip() if heading else ""
    n = len(source)
    f = {
        "origin_sentence": origin == "sentence",
        "origin_follow": origin == "follow",
        "origin_row": origin == "row",
        "assignee_none": not assignee,
        "assignee_generic": bool(assignee) and bool(task.get("generic")),
        "assignee_in_text": named,
        "assignee_is_issuer_unnamed": bool(assignee) and _same(assignee, issuer) and not named,
        "has_co_assignees": bool(task.get("co_assignees")),
        "deadline_date": bool(task.get("deadline")),
        "deadline_text_only": bool(task.get("deadline_text")) and not task.get("deadline"),
        "deadline_odd": "deadline_before_document" in flags or "deadline_year_unknown" in flags,
        "opens_request": bool(_OPENS_REQUEST.match(folded)),
        "opens_imperative": bool(_IMPERATIVE.match(source.strip())),
        "opens_target": bool(_TARGET_OPENING.match(folded)),
        "opens_person": bool(_PERSON.match(source)),
        "directive_verb": bool(_DIRECTIVE_ANY.search(folded)),
        "request_word": bool(_REQUEST.search(folded)),
        "narrated_verb": bool(_NARRATED_VERB.search(folded[:120])),
        "past_cue": bool(_PAST.search(source)),
        "quoted": "“" in doc[line_start:start + 1] or source.startswith(("“", '"')),
        "line_marker": bool(_MARKER.match(doc[line_start:start + 1] + source[:12])),
        "short": n < 25,
        "long": n > 400,
        "length": min(1.0, math.log1p(n) / math.log1p(1000)),
        "position": start / len(doc) if doc else 0.0,
        "heading_none": heading is None,
        "heading_directive": bool(head_key) and bool(_DIRECTIVE_HEAD.match(head_key)),
        "heading_narrative": bool(head_key) and bool(_NARRATIVE_HEAD.match(head_key)),
        "doc_none": doc_type is None,
    }
    kind = _DOC_KIND.get(doc_type or "")
    for name in ("doc_tb", "doc_ct", "doc_kh", "doc_decision", "doc_cd"):
        f[name] = name == kind
    return {k: float(f[k]) for k in FEATURES}


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> dict[str, Any]:
    """The weights file (a dict: version, features, weights, intercept, threshold, training, checks)."""
    model = json.loads(Path(path or MODEL_PATH).read_text(encoding="utf-8"))
    if model.get("version") != 1:
        raise ValueError(f"unknown task model version {model.get('version')!r}")
    missing = set(model["weights"]) ^ set(FEATURES)
    if missing:
        raise ValueError(f"task model and code disagree on features: {sorted(missing)}")
    return model


def probability(features: dict[str, float], model: dict[str, Any]) -> float:
    """P(task) = 1 / (1 + exp(-(intercept + Σ weight·feature)))."""
    z = model["intercept"] + sum(w * features.get(k, 0.0) for k, w in model["weights"].items())
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)
