"""Leaf points: from a rate (percent, through the leaf's formula shape) or from given points.

`None` is "no data" everywhere: a leaf without a rate or a score has no points (never 0), and no
formula divides by zero.
"""

from __future__ import annotations

from congvu.indices.scoring.tree import Formula

LINEAR = Formula()


def clamp(x: float, lo: float, hi: float) -> float:
    return lo if x < lo else hi if x > hi else x


def points_from_rate(*, rate: float | None, max_points: float, threshold: float | None,
                     formula: Formula = LINEAR) -> float | None:
    """Points of a leaf whose metric has the value `rate` (percent, 0–100).

    linear: `max × min(1, rate / threshold)` (QĐ 766); binary; steps; lower_better; monitor → 0.
    A rate outside [0, 100] is clamped; `None` → `None`."""
    if rate is None:
        return None
    rate = clamp(float(rate), 0.0, 100.0)
    shape = formula.shape
    if shape == "monitor":
        return 0.0
    if shape == "steps":
        for lo, frac in formula.steps:
            if rate >= lo:
                return max_points * frac
        return 0.0
    t = float(threshold) if threshold else 100.0
    if shape == "binary":
        return max_points if rate >= t else 0.0
    if shape == "lower_better":
        if rate <= t:
            return max_points
        return max_points * t / rate
    return max_points * min(1.0, rate / t)


def rate_for_points(*, points: float, max_points: float, threshold: float | None,
                    formula: Formula = LINEAR) -> float | None:
    """The smallest rate that earns `points` (inverse of `points_from_rate`), or None when no rate
    does (points above max, monitor leaves). Used for "points within reach"."""
    if points > max_points + 1e-9 or formula.shape == "monitor":
        return None
    if points <= 0:
        return 0.0
    shape = formula.shape
    t = float(threshold) if threshold else 100.0
    if shape == "steps":
        reachable = [lo for lo, frac in formula.steps if max_points * frac >= points - 1e-9]
        return min(reachable) if reachable else None
    if shape == "binary":
        return t
    if shape == "lower_better":
        # a lower rate earns more: the largest rate that still earns `points`
        return t if points >= max_points - 1e-9 else min(100.0, max_points * t / points)
    return min(100.0, t * points / max_points) if max_points else None


def points_given(*, score: float | None, max_points: float) -> float | None:
    """Points entered by a person (self-assessment, appraisal, survey), kept within [0, max]."""
    if score is None:
        return None
    return clamp(float(score), 0.0, max_points)
