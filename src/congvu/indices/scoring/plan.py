"""A framework compiled for scoring many units fast: the totals of `score_framework` (points,
scored maximum, percent, band, status, top-level groups) without building the node tree.

`totals(plan, inputs)` equals `score_framework(fw, inputs)` on those figures (tested with
hypothesis); ranking pages and the `index.*` metrics use it, the score sheet uses the tree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from congvu.indices.scoring.formulas import points_from_rate
from congvu.indices.scoring.rollup import NO_DATA, OK, PARTIAL, LeafInput, band_for
from congvu.indices.scoring.tree import Band, Formula, FrameworkDef


@dataclass(frozen=True)
class Plan:
    leaves: tuple[tuple[str, float, float | None, Formula, int, bool], ...]  # code, max, threshold, formula, top, linear
    tops: tuple[tuple[str, float], ...]  # code, max of the top-level nodes
    missing: str
    max_points: float
    bands: tuple[Band, ...]


@dataclass(frozen=True)
class Totals:
    points: float | None
    scored_max: float
    percent: float | None
    band: str | None
    status: str
    groups: tuple[tuple[str, float | None, float, float | None], ...]  # code, points, max, rate (% of scored)


def plan_for(fw: FrameworkDef) -> Plan:
    cached = getattr(fw, "_plan", None)
    if cached is not None:
        return cached
    leaves = []
    for i, top in enumerate(fw.nodes):
        for n in top.walk():
            if not n.children:
                linear = n.formula.shape == "linear" and not n.formula.steps
                leaves.append((n.code, float(n.max_points), n.threshold, n.formula, i, linear))
    plan = Plan(tuple(leaves), tuple((n.code, float(n.max_points)) for n in fw.nodes), fw.missing,
                float(fw.max_points), tuple(fw.bands))
    fw._plan = plan  # type: ignore[attr-defined]
    return plan


def totals(plan: Plan, inputs: Mapping[str, LeafInput]) -> Totals:
    n_tops = len(plan.tops)
    g_points = [0.0] * n_tops
    g_scored = [0.0] * n_tops
    g_data = [False] * n_tops
    g_missing = [False] * n_tops  # a scored leaf (max > 0) without data
    get = inputs.get
    tops = plan.tops
    for code, mx, threshold, formula, top, linear in plan.leaves:
        inp = get(code)
        pts: float | None = None
        if inp is not None:
            if inp.points is not None:
                p = float(inp.points)
                pts = 0.0 if p < 0 else mx if p > mx else p
            elif inp.rate is not None:
                if linear:
                    r = float(inp.rate)
                    r = 0.0 if r < 0 else 100.0 if r > 100 else r
                    t = float(threshold) if threshold else 100.0
                    pts = mx if r >= t else mx * r / t
                else:
                    pts = points_from_rate(rate=inp.rate, max_points=mx, threshold=threshold, formula=formula)
        if pts is None:
            if mx:
                g_missing[top] = True
            continue
        g_points[top] += pts
        g_scored[top] += mx
        if mx or not tops[top][1]:  # a scored leaf, or any leaf of a group scored 0 (monitoring)
            g_data[top] = True
    groups = []
    any_data = False
    all_zero = not any(gmax for _, gmax in tops)
    all_ok = True
    points = scored = 0.0
    for i, (code, gmax) in enumerate(plan.tops):
        if not g_data[i]:
            groups.append((code, None, gmax, None))
            if gmax:
                all_ok = False
            continue
        if gmax or all_zero:
            any_data = True
        if g_missing[i]:
            all_ok = False
        gs = gmax if plan.missing == "zero" else g_scored[i]
        groups.append((code, g_points[i], gmax, 100.0 * g_points[i] / gs if gs else None))
        points += g_points[i]
        scored += gs
    if not any_data:
        return Totals(None, 0.0, None, None, NO_DATA, tuple(groups))
    if plan.missing == "zero":
        scored = plan.max_points
    percent = 100.0 * points / scored if scored else None
    return Totals(points, scored, percent, band_for(percent, plan.bands), OK if all_ok else PARTIAL, tuple(groups))
