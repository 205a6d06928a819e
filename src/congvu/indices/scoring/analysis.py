"""Beyond the score: year-end projection at the current monthly pace and the leaves that decide the
band. Pure; the one implementation of the projection (the detail API's `unit_projection` and the
board's `year_projection` both call `project`; the board's view of it is `year_end`). (Points within
reach: `scoring.reach`.)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from congvu.indices.scoring.rollup import LeafInput, NodeScore, ScoreSheet, band_for, score_framework
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


# -- the year-end view of the board: the projected sheet against the year to date ---------------------

_EPS = 1e-9


@dataclass(frozen=True)
class LeafProjection:
    code: str
    name: str
    max_points: float
    points_ytd: float | None
    points_end: float | None
    rate_ytd: float | None
    rate_end: float | None
    live: bool

    @property
    def change(self) -> float | None:
        if self.points_ytd is None or self.points_end is None:
            return None
        return round(self.points_end - self.points_ytd, 4)

    @property
    def lost_end(self) -> float:
        return max(0.0, self.max_points - (self.points_end or 0.0))


@dataclass(frozen=True)
class YearEnd:
    months_elapsed: int
    months_total: int
    max_points: float
    points_ytd: float | None
    points_end: float | None
    band_ytd: str | None
    band_end: str | None
    leaves: list[LeafProjection]
    next_band: str | None = None  # the band above the projected one
    gap_up: float | None = None  # points missing to reach it
    margin_down: float | None = None  # points the unit can lose before it drops a band
    lower_band: str | None = None
    deciders_up: list[LeafProjection] = field(default_factory=list)  # fewest leaves whose lost points close gap_up
    at_risk: list[LeafProjection] = field(default_factory=list)  # live leaves falling at the current pace

    @property
    def pct_ytd(self) -> float | None:
        return _pct(self.points_ytd, self.max_points)

    @property
    def pct_end(self) -> float | None:
        return _pct(self.points_end, self.max_points)


def _pct(points: float | None, max_points: float) -> float | None:
    if points is None or not max_points:
        return None
    return round(100.0 * points / max_points, 2)


def _round(x: float | None, nd: int) -> float | None:
    return None if x is None else round(x, nd)


def _total(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(sum(present), 4) if present else None


def year_end(fw: FrameworkDef, ytd: ScoreSheet, projected: ScoreSheet, *, months_elapsed: int,
             months_total: int = 12) -> YearEnd:
    """The board's year-end view of `projected` (from `project`) against `ytd`: every leaf before and
    after, total, band, and the leaves that decide it. The percent is taken over the points with data
    when the framework leaves the others out (`missing: exclude`, PAR), else over the maximum.
    `deciders_up`: the fewest leaves with data, most lost points first, whose lost points together reach
    the next band (empty when even all of them would not). `at_risk`: live leaves whose pace takes them
    below their year-to-date points, biggest fall first; `margin_down` is what the projected score can
    still lose before it drops to `lower_band`."""
    end_by = {n.code: n for n in projected.leaves()}
    leaves = []
    for n in ytd.leaves():
        e = end_by.get(n.code)
        live = n.origin == "live"
        points_end = (e.points if e is not None else None) if live else n.points
        rate_end = (e.rate if e is not None else None) if live else n.rate
        leaves.append(LeafProjection(n.code, n.name, n.max_points, _round(n.points, 4), _round(points_end, 4),
                                     _round(n.rate, 2), _round(rate_end, 4), live))
    total_max = float((ytd.scored_max if fw.missing == "exclude" else ytd.max_points) or ytd.max_points)
    points_ytd = _total([p.points_ytd for p in leaves])
    points_end = _total([p.points_end for p in leaves])
    band_ytd = band_for(_pct(points_ytd, total_max), fw.bands)
    band_end = band_for(_pct(points_end, total_max), fw.bands)
    result = YearEnd(months_elapsed=months_elapsed, months_total=months_total, max_points=total_max,
                     points_ytd=points_ytd, points_end=points_end, band_ytd=band_ytd, band_end=band_end,
                     leaves=leaves)
    if points_end is None or not total_max:
        return result
    ordered = sorted(fw.bands, key=lambda b: b.min_percent)
    pct_end = 100.0 * points_end / total_max
    above = [b for b in ordered if b.min_percent > pct_end + _EPS]
    below = [b for b in ordered if b.min_percent <= pct_end + _EPS]
    next_band = gap_up = None
    deciders: list[LeafProjection] = []
    if above:
        next_band = above[0].name
        gap_up = round(above[0].min_percent * total_max / 100.0 - points_end, 4)
        acc = 0.0
        for leaf in sorted((p for p in leaves if p.points_end is not None), key=lambda p: -p.lost_end):
            if acc + _EPS >= gap_up or leaf.lost_end <= _EPS:
                break
            deciders.append(leaf)
            acc += leaf.lost_end
        if acc + _EPS < gap_up:
            deciders = []  # the next band is out of reach even with every lost point back
    margin_down = lower = None
    if below:
        margin_down = round(points_end - below[-1].min_percent * total_max / 100.0, 4)
        lower = below[-2].name if len(below) > 1 else None
    at_risk = sorted((p for p in leaves if p.live and p.change is not None and p.change < -_EPS),
                     key=lambda p: p.change or 0)
    return YearEnd(**{**result.__dict__, "next_band": next_band, "gap_up": gap_up, "margin_down": margin_down,
                      "lower_band": lower, "deciders_up": deciders, "at_risk": at_risk})
