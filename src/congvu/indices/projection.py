"""Year-end projection: the score if the current monthly pace holds, and the leaves that decide the band.

Pure: no Django import. Input per live leaf: the monthly counters of its metric for the months of
the year that have passed (`[(numerator, denominator), ...]`, January first). The projection adds,
for each month still to come, the average of the last `window` months (the current pace) to the
year-to-date counters, and scores the projected rate with the leaf's own formula. Leaves that are
not live (self-assessed, appraised, survey) keep their year-to-date points. A leaf without any data
stays "no data" (None) — never 0.

Bands are configuration: `[{"name": "Xuất sắc", "min": 90}, ...]`, `min` in percent of the maximum.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from congvu.indices.scoring.reach import EPS, leaf_rule

Counters = tuple[float, float]  # (numerator, denominator) of one month


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
class Projection:
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
    at_risk: list[LeafProjection] = field(default_factory=list)  # live leaves falling by more than margin_down

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


def _min(band: Mapping[str, Any]) -> float:
    """A band's minimum percent (`min_percent` as framework files write it, or `min`)."""
    return float(band["min_percent"] if "min_percent" in band else band["min"])


def band_for(pct: float | None, bands: Sequence[Mapping[str, Any]]) -> str | None:
    """The first band (highest `min` first) whose minimum `pct` reaches; None for no data."""
    if pct is None:
        return None
    for band in sorted(bands, key=lambda b: -_min(b)):
        if pct + EPS >= _min(band):
            return str(band["name"])
    return None


def pace_projection(months: Sequence[Counters], *, months_total: int = 12, window: int = 3) -> Counters | None:
    """Year-to-date counters plus, for each remaining month, the mean of the last `window` months.
    None when no month has a denominator (nothing to project from)."""
    if not months:
        return None
    num = sum(m[0] for m in months)
    den = sum(m[1] for m in months)
    recent = list(months[-window:]) if window > 0 else []
    remaining = max(0, months_total - len(months))
    if recent and remaining:
        num += remaining * sum(m[0] for m in recent) / len(recent)
        den += remaining * sum(m[1] for m in recent) / len(recent)
    if den <= 0:
        return None
    return num, den


def project_leaf(leaf: Mapping[str, Any], months: Sequence[Counters] | None, *, months_total: int = 12,
                 window: int = 3) -> LeafProjection:
    max_points = float(leaf.get("max_points") or 0)
    points_ytd = leaf.get("points")
    rate_ytd = leaf.get("rate")
    fn = leaf_rule(leaf)
    live = fn is not None and months is not None
    if not live:
        return LeafProjection(str(leaf.get("code")), str(leaf.get("name", "")), max_points, points_ytd, points_ytd,
                              rate_ytd, rate_ytd, False)
    projected = pace_projection(months, months_total=months_total, window=window)
    if projected is None:
        return LeafProjection(str(leaf.get("code")), str(leaf.get("name", "")), max_points, points_ytd, None,
                              rate_ytd, None, True)
    rate_end = 100.0 * projected[0] / projected[1]
    points_end = fn[0](rate_end)
    return LeafProjection(str(leaf.get("code")), str(leaf.get("name", "")), max_points, points_ytd,
                          None if points_end is None else round(points_end, 4), rate_ytd, round(rate_end, 4), True)


def _sum(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(sum(present), 4) if present else None


def project_year_end(leaves: Sequence[Mapping[str, Any]], monthly: Mapping[str, Sequence[Counters]], *,
                     months_elapsed: int, bands: Sequence[Mapping[str, Any]], months_total: int = 12,
                     window: int = 3, max_points: float | None = None) -> Projection:
    """Project every leaf (`monthly[code]` for live ones), total, band, and the leaves that decide it.

    `max_points` is what the percent is taken over (the scored maximum when leaves without data are
    left out, as the PAR "exclude" rule does; default: every leaf's maximum).
    `deciders_up`: the fewest leaves with data, most lost points first, whose lost points together
    reach the next band (empty when even all of them would not). `at_risk`: live leaves whose pace takes them
    below their year-to-date points, biggest fall first; `margin_down` is what the projected score can
    still lose before it drops to `lower_band`."""
    projected = [project_leaf(leaf, monthly.get(str(leaf.get("code"))), months_total=months_total, window=window)
                 for leaf in leaves]
    total_max = float(max_points if max_points is not None else sum(p.max_points for p in projected))
    points_ytd = _sum([p.points_ytd for p in projected])
    points_end = _sum([p.points_end for p in projected])
    band_ytd = band_for(_pct(points_ytd, total_max), bands)
    band_end = band_for(_pct(points_end, total_max), bands)
    result = Projection(months_elapsed=months_elapsed, months_total=months_total, max_points=total_max,
                        points_ytd=points_ytd, points_end=points_end, band_ytd=band_ytd, band_end=band_end,
                        leaves=projected)
    if points_end is None or not total_max:
        return result
    ordered = sorted(bands, key=lambda b: _min(b))
    pct_end = 100.0 * points_end / total_max
    above = [b for b in ordered if _min(b) > pct_end + EPS]
    below = [b for b in ordered if _min(b) <= pct_end + EPS]
    next_band = gap_up = None
    deciders: list[LeafProjection] = []
    if above:
        next_band = str(above[0]["name"])
        gap_up = round(_min(above[0]) * total_max / 100.0 - points_end, 4)
        acc = 0.0
        for leaf in sorted((p for p in projected if p.points_end is not None), key=lambda p: -p.lost_end):
            if acc + EPS >= gap_up or leaf.lost_end <= EPS:
                break
            deciders.append(leaf)
            acc += leaf.lost_end
        if acc + EPS < gap_up:
            deciders = []  # the next band is out of reach even with every lost point back
    margin_down = lower = None
    if below:
        margin_down = round(points_end - _min(below[-1]) * total_max / 100.0, 4)
        lower = str(below[-2]["name"]) if len(below) > 1 else None
    at_risk = sorted((p for p in projected if p.live and p.change is not None and p.change < -EPS),
                     key=lambda p: p.change or 0)
    return Projection(**{**result.__dict__, "next_band": next_band, "gap_up": gap_up, "margin_down": margin_down,
                         "lower_band": lower, "deciders_up": deciders, "at_risk": at_risk})
