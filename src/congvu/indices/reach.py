"""Points within reach: where a unit lost points, and what change of a live metric earns the next ones.

Pure: no Django import. Works on plain dicts shaped like the scored tree of `congvu index compute
--json` (`code`, `name`, `max_points`, `points`, `rate`, `status`, `children`), where a live leaf may
also carry

- `method`: `{"kind": "formula", "metric": "onestop.digitized_rate", "threshold": 100,
  "shape": "linear" | "inverse"}` — `linear` is the 766 rule `points = max × min(1, rate / threshold)`,
  `inverse` a "lower is better" rate: `points = max × max(0, 1 − rate / threshold)`;
- `metric`: `{"value": 48.4, "numerator": 182, "denominator": 376}` (the figure of the period).

For such a leaf the step that earns the next points is found by counting: the smallest number of
dossiers (tasks, ...) that must move into (or, for `inverse`, out of) the numerator — the
denominator of the period being fixed — for the leaf to gain at least `step` points, and the number
that earns the leaf's full points. Leaves without data are listed too ("no data": everything lost,
no step computed), never as 0 %.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

EPS = 1e-9


@dataclass(frozen=True)
class Step:
    """`count` more (or fewer, when `direction` is "decrease") items in the numerator → `gain` points."""

    count: int
    gain: float
    direction: str  # "increase" | "decrease"
    numerator_after: float
    denominator: float
    rate_after: float


@dataclass(frozen=True)
class Opportunity:
    code: str
    name: str
    max_points: float
    points: float | None
    lost: float
    status: str
    kind: str  # formula | self_assessment | survey | manual | unknown
    metric: str = ""
    rate: float | None = None
    threshold: float | None = None
    next_step: Step | None = None
    full_step: Step | None = None
    path: tuple[str, ...] = field(default_factory=tuple)  # codes of the ancestors (group first)

    @property
    def group(self) -> str:
        return self.path[0] if self.path else self.code

    def as_dict(self) -> dict[str, Any]:
        def step(s: Step | None) -> dict[str, Any] | None:
            if s is None:
                return None
            return {"count": s.count, "gain": s.gain, "direction": s.direction,
                    "numerator_after": s.numerator_after, "denominator": s.denominator,
                    "rate_after": s.rate_after}

        return {"code": self.code, "name": self.name, "group": self.group, "max_points": self.max_points,
                "points": self.points, "lost": self.lost, "status": self.status, "kind": self.kind,
                "metric": self.metric, "rate": self.rate, "threshold": self.threshold,
                "next_step": step(self.next_step), "full_step": step(self.full_step)}


def points_linear(max_points: float, rate: float | None, threshold: float) -> float | None:
    """The 766 rule: `max × min(1, rate / threshold)`; None rate → None ("no data")."""
    if rate is None:
        return None
    if threshold <= 0:
        raise ValueError("threshold must be > 0")
    return max_points * min(1.0, max(0.0, rate) / threshold)


def points_inverse(max_points: float, rate: float | None, threshold: float) -> float | None:
    """"Lower is better": full points at 0 %, none at `threshold` % or above."""
    if rate is None:
        return None
    if threshold <= 0:
        raise ValueError("threshold must be > 0")
    return max_points * max(0.0, 1.0 - max(0.0, rate) / threshold)


SHAPES: dict[str, tuple[Callable[[float, float | None, float], float | None], str]] = {
    "linear": (points_linear, "increase"),
    "inverse": (points_inverse, "decrease"),
}


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


def points_fn(method: Mapping[str, Any], max_points: float) -> tuple[Callable[[float], float | None], str] | None:
    """(rate → points, direction) of a live leaf's formula, or None when it has none that counts.

    `shape` linear / inverse are computed here; binary, steps, lower_better through the scoring
    package's `points_from_rate` (the very rule that scores the leaf)."""
    shape = str(method.get("shape") or (method.get("formula") or {}).get("shape") or "linear")
    threshold = _num(method.get("threshold"))
    if shape in SHAPES:
        fn, direction = SHAPES[shape]
        t = threshold if threshold and threshold > 0 else 100.0
        return (lambda rate: fn(max_points, rate, t)), direction
    if shape in ("binary", "steps", "lower_better"):
        from congvu.indices.scoring.formulas import points_from_rate
        from congvu.indices.scoring.tree import Formula

        steps = tuple(tuple(s) for s in ((method.get("formula") or {}).get("steps") or method.get("steps") or ()))
        formula = Formula(shape=shape, steps=tuple(sorted(steps, reverse=True)))  # type: ignore[arg-type]
        direction = "decrease" if shape == "lower_better" else "increase"
        return (lambda rate: points_from_rate(rate=rate, max_points=max_points, threshold=threshold,
                                              formula=formula)), direction
    return None


def smallest_step(*, max_points: float, numerator: float, denominator: float, threshold: float = 100.0,
                  shape: str = "linear", gain: float,
                  fn: tuple[Callable[[float], float | None], str] | None = None) -> Step | None:
    """The fewest items to move so that the leaf gains at least `gain` points, or None when it cannot
    (no denominator, nothing left to gain, or not reachable within the period's denominator).
    `fn` (rate → points, direction) overrides `shape` + `threshold`."""
    if fn is None:
        if shape not in SHAPES:
            return None
        fn = points_fn({"shape": shape, "threshold": threshold}, max_points)
    score, direction = fn  # type: ignore[misc]
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
    """The "next points" a remediation aims at: half a point, a quarter of what is lost if that is
    more, never more than what is lost."""
    return min(lost, max(0.5, round(lost / 4, 2), max_points * 0.05))


def iter_leaves(nodes: Iterable[Mapping[str, Any]], path: tuple[str, ...] = ()) -> Iterator[tuple[Mapping[str, Any], tuple[str, ...]]]:
    for node in nodes:
        children = node.get("children") or []
        if children:
            yield from iter_leaves(children, path + (str(node.get("code", "")),))
        else:
            yield node, path


LIVE_KINDS = ("formula", "live")


def _method_of(leaf: Mapping[str, Any]) -> dict[str, Any]:
    """The leaf's method as a dict, from either shape: `method: {kind, metric, threshold, shape}` or the
    scored tree's flat fields (`method: "live"`, `metric`, `threshold`, `formula`)."""
    method = leaf.get("method")
    if isinstance(method, Mapping):
        return dict(method)
    out: dict[str, Any] = {"kind": str(method or "unknown"), "metric": leaf.get("metric") or "",
                           "threshold": leaf.get("threshold")}
    formula = leaf.get("formula")
    if isinstance(formula, Mapping):
        out["shape"] = formula.get("shape") or "linear"
        out["formula"] = dict(formula)
    return out


def _counters(leaf: Mapping[str, Any]) -> tuple[float | None, float | None]:
    metric = leaf.get("metric")
    if isinstance(metric, Mapping):
        return _num(metric.get("numerator")), _num(metric.get("denominator"))
    return _num(leaf.get("numerator")), _num(leaf.get("denominator"))


def opportunity_for(leaf: Mapping[str, Any], path: tuple[str, ...] = (), step: float | None = None) -> Opportunity:
    max_points = _num(leaf.get("max_points")) or 0.0
    points = _num(leaf.get("points"))
    status = str(leaf.get("status") or ("no_data" if points is None else "scored"))
    lost = round(max(0.0, max_points - (points or 0.0)), 4)
    method = _method_of(leaf)
    kind = str(method.get("kind") or "unknown")
    threshold = _num(method.get("threshold"))
    opp = Opportunity(code=str(leaf.get("code", "")), name=str(leaf.get("name", "")), max_points=max_points,
                      points=points, lost=lost, status=status, kind=kind, metric=str(method.get("metric") or ""),
                      rate=_num(leaf.get("rate")), threshold=threshold, path=path)
    numerator, denominator = _counters(leaf)
    fn = points_fn(method, max_points) if kind in LIVE_KINDS else None
    if fn is None or points is None or lost <= EPS or numerator is None or not denominator:
        return opp
    wanted = step if step is not None else default_step(lost, max_points)
    next_step = smallest_step(max_points=max_points, numerator=numerator, denominator=denominator,
                              gain=min(wanted, lost), fn=fn)
    full_step = smallest_step(max_points=max_points, numerator=numerator, denominator=denominator, gain=lost, fn=fn)
    if full_step is not None and next_step is not None and full_step.count == next_step.count:
        next_step = full_step
    return Opportunity(**{**opp.__dict__, "next_step": next_step, "full_step": full_step})


def points_within_reach(tree: Iterable[Mapping[str, Any]], *, step: float | None = None,
                        include_full: bool = False) -> list[Opportunity]:
    """Every leaf that lost points (all leaves with `include_full`), most points lost first; ties:
    live leaves with a computed step first, then by code."""
    out = [opportunity_for(leaf, path, step) for leaf, path in iter_leaves(tree)]
    if not include_full:
        out = [o for o in out if o.lost > EPS]
    return sorted(out, key=lambda o: (-o.lost, o.next_step is None, _code_key(o.code)))


def _code_key(code: str) -> tuple:
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
