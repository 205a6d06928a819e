"""Beyond the score: year-end projection at the current monthly pace and the leaves that decide the
band. Pure. (Points within reach: `scoring.reach`.)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from congvu.indices.scoring.rollup import LeafInput, NodeScore, ScoreSheet, score_framework
from congvu.indices.scoring.tree import FrameworkDef


def leaf_inputs(sheet: ScoreSheet) -> dict[str, LeafInput]:
    """The inputs a sheet was scored from (to score them again, changed)."""
    out: dict[str, LeafInput] = {}
    for n in sheet.leaves():
        if n.points is None:
            continue
        if n.origin == "live":
            out[n.code] = LeafInput(rate=n.rate, numerator=n.numerator, denominator=n.denominator, origin="live")
        else:
            out[n.code] = LeafInput(points=n.points, origin=n.origin)
    return out


def _blend(ytd: NodeScore, recent: NodeScore | None, recent_months: float, remaining_months: float) -> LeafInput:
    """The year-end rate of a live leaf if the recent monthly pace holds for the remaining months."""
    if recent is None or recent.rate is None or remaining_months <= 0 or recent_months <= 0:
        return LeafInput(rate=ytd.rate, numerator=ytd.numerator, denominator=ytd.denominator, origin="projected")
    k = remaining_months / recent_months
    if (ytd.numerator is not None and ytd.denominator is not None and recent.numerator is not None
            and recent.denominator is not None):
        num = ytd.numerator + recent.numerator * k
        den = ytd.denominator + recent.denominator * k
        rate = 100.0 * num / den if den else ytd.rate
        return LeafInput(rate=rate, numerator=num, denominator=den, origin="projected")
    if ytd.denominator is not None and recent.denominator is not None:
        w1, w2 = ytd.denominator, recent.denominator * k
        rate = (ytd.rate * w1 + recent.rate * w2) / (w1 + w2) if (w1 + w2) else ytd.rate
    else:
        elapsed = max(0.0, 12.0 - remaining_months)
        rate = (ytd.rate * elapsed + recent.rate * remaining_months) / 12.0 if elapsed else recent.rate
    return LeafInput(rate=rate, origin="projected")


def project(fw: FrameworkDef, ytd: ScoreSheet, recent: ScoreSheet | None, *, recent_months: float,
            remaining_months: float) -> ScoreSheet:
    """Score at the end of the period if live leaves keep the pace of the recent window (their
    numerator and denominator per month); assessed leaves keep their points."""
    inputs = leaf_inputs(ytd)
    recent_by = {n.code: n for n in recent.leaves()} if recent is not None else {}
    for n in ytd.leaves():
        if n.origin == "live" and n.rate is not None:
            inputs[n.code] = _blend(n, recent_by.get(n.code), recent_months, remaining_months)
    return score_framework(fw, inputs)


def _need_for_percent(sheet: ScoreSheet, percent: float) -> float:
    return percent * sheet.scored_max / 100.0 - (sheet.points or 0.0)


def band_decisive(fw: FrameworkDef, sheet: ScoreSheet) -> dict[str, Any]:
    """Which leaves decide the band: the points missing for the next band up and the leaves whose
    lost points alone could cover them; the margin above the current band's floor and the leaves
    whose points alone exceed it (losing one of them drops the band)."""
    out: dict[str, Any] = {"band": sheet.band, "next_band": None, "points_needed": None, "can_lift": [],
                           "lower_band": None, "margin": None, "at_risk": []}
    if sheet.percent is None or not fw.bands:
        return out
    bands = sorted(fw.bands, key=lambda b: b.min_percent)
    above = [b for b in bands if b.min_percent > sheet.percent + 1e-9]
    leaves = [n for n in sheet.leaves() if n.points is not None and n.max_points]
    if above:
        nxt = above[0]
        need = _need_for_percent(sheet, nxt.min_percent)
        out.update(next_band=nxt.name, points_needed=round(need, 2),
                   can_lift=[{"code": n.code, "name": n.name, "lost": round(n.lost or 0, 2)}
                             for n in sorted(leaves, key=lambda n: -(n.lost or 0)) if (n.lost or 0) + 1e-9 >= need])
    current = [b for b in bands if b.min_percent <= sheet.percent + 1e-9]
    if current and current[-1].min_percent > 0:
        floor = current[-1]
        lower = [b for b in bands if b.min_percent < floor.min_percent]
        margin = -_need_for_percent(sheet, floor.min_percent)
        out.update(lower_band=lower[-1].name if lower else None, margin=round(margin, 2),
                   at_risk=[{"code": n.code, "name": n.name, "points": round(n.points or 0, 2)}
                            for n in sorted(leaves, key=lambda n: -(n.points or 0)) if (n.points or 0) > margin + 1e-9])
    return out


def change(current: Mapping[str, Any], previous: Mapping[str, Any] | None) -> dict[str, Any]:
    """Points and percent against the previous period's answer (None where either has no data)."""
    if previous is None:
        return {"points": None, "percent": None}

    def diff(key: str) -> float | None:
        a, b = current.get(key), previous.get(key)
        return None if a is None or b is None else round(float(a) - float(b), 2)

    return {"points": diff("points"), "percent": diff("percent")}
