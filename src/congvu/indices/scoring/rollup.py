"""Scoring a whole tree: leaf inputs → leaf points → group points, percent and band.

"No data" propagates: a leaf without input has `points=None`, `status="no_data"`; a group sums the
children that have data (`status="partial"` when some have none, `"no_data"` when none has) and its
percent is over the maximum of what was scored (`missing: exclude`, the default — the PAR INDEX
survey-less rule: "convert what was scored to 100"), or over its full maximum with the missing
children counted as 0 (`missing: zero`). Nothing is ever divided by zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from congvu.indices.scoring.formulas import points_from_rate, points_given
from congvu.indices.scoring.tree import Band, FrameworkDef, NodeDef

OK, PARTIAL, NO_DATA, MONITOR = "ok", "partial", "no_data", "monitor"


@dataclass(frozen=True)
class LeafInput:
    """What is known about a leaf: a rate (percent) from a metric, or points given by a person."""

    rate: float | None = None
    points: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    origin: str = ""  # live / self / appraised / survey / published


@dataclass
class NodeScore:
    code: str
    name: str
    max_points: float
    points: float | None
    rate: float | None
    status: str
    scored_max: float = 0.0
    method: str = "group"
    metric: str = ""
    threshold: float | None = None
    threshold_assumed: bool = False
    numerator: float | None = None
    denominator: float | None = None
    origin: str = ""
    children: list[NodeScore] = field(default_factory=list)

    @property
    def lost(self) -> float | None:
        """Points lost against the maximum (None without data)."""
        return None if self.points is None else round(self.max_points - self.points, 4)

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()

    def as_dict(self, *, detail: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "name": self.name, "max_points": _r(self.max_points),
                               "points": _r(self.points), "rate": _r(self.rate), "status": self.status}
        if detail:
            out.update(method=self.method, metric=self.metric or None, threshold=_r(self.threshold),
                       threshold_assumed=self.threshold_assumed, numerator=_r(self.numerator),
                       denominator=_r(self.denominator), origin=self.origin or None)
        out["children"] = [c.as_dict(detail=detail) for c in self.children]
        return out


@dataclass
class ScoreSheet:
    framework: str
    version: str
    max_points: float
    points: float | None
    scored_max: float
    percent: float | None
    band: str | None
    status: str
    nodes: list[NodeScore]

    def walk(self):
        for n in self.nodes:
            yield from n.walk()

    def node(self, code: str) -> NodeScore:
        for n in self.walk():
            if n.code == code:
                return n
        raise KeyError(code)

    def leaves(self) -> list[NodeScore]:
        return [n for n in self.walk() if not n.children]


def _r(x: float | None, nd: int = 2) -> float | None:
    return None if x is None else round(float(x), nd)


def band_for(percent: float | None, bands: tuple[Band, ...] | list[Band]) -> str | None:
    """The first band (highest threshold first) whose `min_percent` the percent reaches."""
    if percent is None:
        return None
    for b in sorted(bands, key=lambda b: -b.min_percent):
        if percent + 1e-9 >= b.min_percent:
            return b.name
    return None


def _score_leaf(n: NodeDef, given: LeafInput | None) -> NodeScore:
    base = dict(code=n.code, name=n.name, max_points=n.max_points, method=n.method, metric=n.metric,
                threshold=n.threshold, threshold_assumed=n.threshold_assumed)
    if given is None:
        return NodeScore(points=None, rate=None, status=NO_DATA, **base)
    if given.points is not None:
        pts = points_given(score=given.points, max_points=n.max_points)
        rate = (100.0 * pts / n.max_points) if (pts is not None and n.max_points) else given.rate
    else:
        pts = points_from_rate(rate=given.rate, max_points=n.max_points, threshold=n.threshold, formula=n.formula)
        rate = given.rate
    if pts is None:
        return NodeScore(points=None, rate=None, status=NO_DATA, numerator=given.numerator,
                         denominator=given.denominator, origin=given.origin, **base)
    status = MONITOR if n.formula.shape == "monitor" or not n.max_points else OK
    return NodeScore(points=pts, rate=rate, status=status, scored_max=n.max_points, numerator=given.numerator,
                     denominator=given.denominator, origin=given.origin, **base)


def _score_node(n: NodeDef, inputs: Mapping[str, LeafInput], missing: str) -> NodeScore:
    if not n.children:
        return _score_leaf(n, inputs.get(n.code))
    kids = [_score_node(c, inputs, missing) for c in n.children]
    counted = [k for k in kids if k.max_points] or kids
    with_data = [k for k in counted if k.points is not None]
    if not with_data:
        return NodeScore(code=n.code, name=n.name, max_points=n.max_points, points=None, rate=None, status=NO_DATA,
                         children=kids)
    points = sum(k.points or 0.0 for k in kids)
    if missing == "zero":
        scored_max = n.max_points
    else:
        scored_max = sum(k.scored_max for k in with_data)
    rate = 100.0 * points / scored_max if scored_max else None
    status = OK if len(with_data) == len(counted) and all(k.status in (OK, MONITOR) for k in with_data) else PARTIAL
    if not n.max_points and status == OK:
        status = MONITOR
    return NodeScore(code=n.code, name=n.name, max_points=n.max_points, points=points, rate=rate, status=status,
                     scored_max=scored_max, children=kids)


def score_framework(fw: FrameworkDef, inputs: Mapping[str, LeafInput]) -> ScoreSheet:
    """Score every node of `fw` from the leaf inputs ({leaf code: LeafInput})."""
    nodes = [_score_node(n, inputs, fw.missing) for n in fw.nodes]
    counted = [k for k in nodes if k.max_points] or nodes
    with_data = [k for k in counted if k.points is not None]
    if not with_data:
        return ScoreSheet(fw.code, fw.version, fw.max_points, None, 0.0, None, None, NO_DATA, nodes)
    points = sum(k.points or 0.0 for k in nodes)
    scored_max = fw.max_points if fw.missing == "zero" else sum(k.scored_max for k in with_data)
    percent = 100.0 * points / scored_max if scored_max else None
    status = OK if len(with_data) == len(counted) and all(k.status in (OK, MONITOR) for k in with_data) else PARTIAL
    return ScoreSheet(fw.code, fw.version, fw.max_points, points, scored_max, percent, band_for(percent, fw.bands),
                      status, nodes)
