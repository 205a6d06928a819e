"""Points within reach: where a unit lost points, and what change of a live metric earns the next ones.

The one implementation behind the unit screen (`board.opportunities`), the API (`GET
/api/indices/units/{code}/reach`, `within_reach` of the score detail) and `congvu index compute
--detail` (`selectors.unit_points_within_reach`). Pure: no Django.

Input: the framework definition (each leaf's formula and threshold: the very rule that scored it,
`formulas.points_from_rate`) and the scored tree as plain dicts — the nodes of `congvu index compute
--json --detail` (`code`, `name`, `max_points`, `points`, `rate`, `status`, `children`, and for a
leaf read from a metric `numerator` / `denominator` of the period).

For a leaf with a numerator and a denominator the step that earns the next points is found by
counting: the smallest number of records (dossiers, tasks, ...) that must move into the numerator
(out of it for a `lower_better` rate) — the period's denominator fixed — for the leaf to gain at
least `step` points, and the number that earns the leaf's full points. Leaves without data are
listed too ("no data": their whole maximum at stake, no step), never as 0 %.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from congvu.indices.scoring.formulas import points_from_rate
from congvu.indices.scoring.tree import Formula, FrameworkDef, NodeDef

EPS = 1e-9
RATE_SHAPES = ("linear", "binary", "steps", "lower_better")

Rule = tuple[Callable[[float], "float | None"], str]  # (rate → points, "increase" | "decrease")


@dataclass(frozen=True)
class Step:
    """`count` more (or fewer, when `direction` is "decrease") records in the numerator → `gain` points."""

    count: int
    gain: float
    direction: str  # "increase" | "decrease"
    numerator_after: float
    denominator: float
    rate_after: float

    def as_dict(self) -> dict[str, Any]:
        return {"count": self.count, "gain": self.gain, "direction": self.direction,
                "numerator_after": self.numerator_after, "denominator": self.denominator,
                "rate_after": self.rate_after}


@dataclass(frozen=True)
class Opportunity:
    code: str
    name: str
    max_points: float
    points: float | None
    lost: float
    status: str
    kind: str  # the leaf's method: live | self_assessment | survey | appraisal
    metric: str = ""
    rate: float | None = None
    threshold: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    next_step: Step | None = None
    full_step: Step | None = None
    path: tuple[str, ...] = field(default_factory=tuple)  # codes of the ancestors (group first)

    @property
    def group(self) -> str:
        return self.path[0] if self.path else self.code

    def as_dict(self) -> dict[str, Any]:
        """One shape for the screen and the API. `next_count` / `next_gain` / `full_count` repeat the
        steps flat ("12 more dossiers digitised → +1.5 points")."""
        nxt, full = self.next_step, self.full_step
        return {"code": self.code, "name": self.name, "group": self.group, "kind": self.kind, "method": self.kind,
                "max_points": self.max_points, "points": self.points, "lost": self.lost, "status": self.status,
                "metric": self.metric, "rate": self.rate, "threshold": self.threshold,
                "numerator": self.numerator, "denominator": self.denominator,
                "next_step": nxt.as_dict() if nxt else None, "full_step": full.as_dict() if full else None,
                "next_count": nxt.count if nxt else None, "next_gain": nxt.gain if nxt else None,
                "full_count": full.count if full else None}


def _num(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def _rate(numerator: float, denominator: float) -> float:
    return 100.0 * numerator / denominator


def rule(max_points: float, threshold: float | None, formula: Formula) -> Rule | None:
    """(rate → points, direction) of a leaf scored from a rate, or None (monitor, entered points)."""
    if formula.shape not in RATE_SHAPES:
        return None
    direction = "decrease" if formula.shape == "lower_better" else "increase"
    return (lambda rate: points_from_rate(rate=rate, max_points=max_points, threshold=threshold,
                                          formula=formula)), direction


def formula_of(leaf: Mapping[str, Any]) -> Formula:
    """The formula a decorated leaf dict carries (`formula: {shape, steps}`, or a `method` mapping
    with `shape`); linear when it names none."""
    raw = leaf.get("formula")
    method = leaf.get("method")
    if not isinstance(raw, Mapping) and isinstance(method, Mapping):
        raw = method.get("formula") if isinstance(method.get("formula"), Mapping) else method
    raw = raw if isinstance(raw, Mapping) else {}
    steps = tuple(sorted((tuple(s) for s in (raw.get("steps") or ())), reverse=True))
    return Formula(shape=str(raw.get("shape") or "linear"), steps=steps)  # type: ignore[arg-type]


def leaf_kind(leaf: Mapping[str, Any]) -> str:
    method = leaf.get("method")
    if isinstance(method, Mapping):
        return str(method.get("kind") or "unknown")
    return str(method or "unknown")


def leaf_rule(leaf: Mapping[str, Any]) -> Rule | None:
    """The rule of a decorated leaf dict (for the year-end projection), None unless it is live."""
    if leaf_kind(leaf) not in ("live", "formula"):
        return None
    method = leaf.get("method")
    threshold = _num(method.get("threshold")) if isinstance(method, Mapping) else None
    threshold = threshold if threshold is not None else _num(leaf.get("threshold"))
    return rule(_num(leaf.get("max_points")) or 0.0, threshold, formula_of(leaf))


def smallest_step(*, max_points: float, numerator: float, denominator: float, gain: float, rule: Rule) -> Step | None:
    """The fewest records to move so that the leaf gains at least `gain` points, or None when it
    cannot (no denominator, nothing left to gain, not reachable within the period's denominator)."""
    score, direction = rule
    if denominator is None or denominator <= 0 or gain <= EPS:
        return None
    current = score(_rate(numerator, denominator)) or 0.0
    if current + gain > max_points + 1e-3:
        return None
    target = min(current + gain, max_points) - 1e-7
    sign = 1 if direction == "increase" else -1
    room = int(math.floor(denominator - numerator + EPS)) if sign > 0 else int(math.floor(numerator + EPS))
    if room <= 0:
        return None

    def reached(k: int) -> bool:
        return (score(_rate(numerator + sign * k, denominator)) or 0.0) >= target

    if not reached(room):
        return None
    lo, hi = 1, room  # points are monotonic in k: binary search for the first k that reaches the target
    while lo < hi:
        mid = (lo + hi) // 2
        if reached(mid):
            hi = mid
        else:
            lo = mid + 1
    after = numerator + sign * lo
    new_points = score(_rate(after, denominator)) or 0.0
    return Step(count=lo, gain=round(new_points - current, 4), direction=direction, numerator_after=after,
                denominator=denominator, rate_after=round(_rate(after, denominator), 4))


def default_step(lost: float, max_points: float) -> float:
    """The "next points" aimed at: half a point, a quarter of what is lost or 5 % of the leaf's maximum
    if that is more, never more than what is lost."""
    return min(lost, max(0.5, round(lost / 4, 2), max_points * 0.05))


def iter_leaves(nodes: Iterable[Mapping[str, Any]], path: tuple[str, ...] = ()
                ) -> Iterator[tuple[Mapping[str, Any], tuple[str, ...]]]:
    for node in nodes:
        children = node.get("children") or []
        if children:
            yield from iter_leaves(children, path + (str(node.get("code", "")),))
        else:
            yield node, path


def opportunity_for(d: NodeDef, leaf: Mapping[str, Any], path: tuple[str, ...] = (),
                    step: float | None = None) -> Opportunity:
    """One leaf: its definition `d` (formula, threshold, method) and its scored figures `leaf`."""
    max_points = _num(leaf.get("max_points"))
    max_points = d.max_points if max_points is None else max_points
    points = _num(leaf.get("points"))
    status = str(leaf.get("status") or ("no_data" if points is None else "scored"))
    lost = round(max(0.0, max_points - (points or 0.0)), 4)
    numerator, denominator = _num(leaf.get("numerator")), _num(leaf.get("denominator"))
    opp = Opportunity(code=d.code, name=str(leaf.get("name") or d.name), max_points=max_points, points=points,
                      lost=lost, status=status, kind=d.method, metric=d.metric, rate=_num(leaf.get("rate")),
                      threshold=d.threshold, numerator=numerator, denominator=denominator, path=path)
    r = rule(max_points, d.threshold, d.formula) if d.metric else None
    if r is None or points is None or lost <= EPS or numerator is None or not denominator:
        return opp
    wanted = step if step is not None else default_step(lost, max_points)
    next_step = smallest_step(max_points=max_points, numerator=numerator, denominator=denominator,
                              gain=min(wanted, lost), rule=r)
    full_step = smallest_step(max_points=max_points, numerator=numerator, denominator=denominator, gain=lost, rule=r)
    if full_step is not None and next_step is not None and full_step.count == next_step.count:
        next_step = full_step
    return Opportunity(**{**opp.__dict__, "next_step": next_step, "full_step": full_step})


def points_within_reach(fw: FrameworkDef, nodes: Iterable[Mapping[str, Any]], *, step: float | None = None,
                        include_full: bool = False) -> list[Opportunity]:
    """Every scored leaf that lost points (every leaf with `include_full`): leaves with data first, most
    points lost first (ties: a computed step first, then by code), then the leaves without data (their
    maximum at stake). Monitoring leaves (max 0) and codes the definition lacks are left out. `step`:
    the points the next step aims at (default `default_step`)."""
    defs = {n.code: n for n in fw.leaves()}
    out = [opportunity_for(defs[str(leaf.get("code"))], leaf, path, step)
           for leaf, path in iter_leaves(nodes) if str(leaf.get("code")) in defs]
    out = [o for o in out if o.max_points > EPS and (include_full or o.lost > EPS)]
    return sorted(out, key=lambda o: (o.points is None, -o.lost, o.next_step is None, code_key(o.code)))


def code_key(code: str) -> tuple:
    parts: list[tuple[int, Any]] = []
    for part in code.replace("-", ".").split("."):
        parts.append((0, int(part)) if part.isdigit() else (1, part))
    return tuple(parts)


def fmt_points(value: float) -> str:
    """1.5 → "1,5"; 2.0 → "2" (Vietnamese decimal comma)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def describe_step(opp: Opportunity, step: Step, *, noun: str = "hồ sơ", verb_increase: str = "",
                  verb_decrease: str = "", period: str = "trong kỳ") -> str:
    """"12 hồ sơ nữa được số hóa trong kỳ (182/376 → 194/376) → +1,5 điểm"."""
    now = int(step.numerator_after - step.count) if step.direction == "increase" else int(step.numerator_after + step.count)
    if step.direction == "increase":
        action = f"{step.count} {noun} nữa {verb_increase or 'đạt yêu cầu'}"
    else:
        action = f"bớt {step.count} {noun} {verb_decrease or 'không đạt'}"
    return (f"{action} {period} ({now}/{int(step.denominator)} → {int(step.numerator_after)}/"
            f"{int(step.denominator)}) → +{fmt_points(step.gain)} điểm")
