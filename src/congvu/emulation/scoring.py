"""Reform results in the evaluation (issue 11 item 7, seed 003; seed 002 §1.7).

A criterion measured by `index_result`, `task_completion`, `satisfaction` or `onestop_figure` reads
the unit's figure from the metrics catalogue (`congvu.metrics.selectors.metric_value`): a published
index score (`index.<framework>.percent`, provided by the indices app), the on-time completion of
its tasks (`directives.task_on_time_rate`), its citizens' satisfaction (`citizen.satisfaction_rate`).
A metric nobody provides yet, or a period without figures, is "no data" — shown as such, never 0.

A unit's emulation score in a movement is the weighted mean of its criteria with data
(percentages; manual scores as a share of their maximum); the weight without data is reported.

The same figures are *proposed* as evidence for the yearly rating of the unit's head: a suggestion
with the thresholds it used (province configuration, data/head_evidence.yaml), which the officer
may follow or not — the rating is only ever what a person enters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from congvu.emulation.models import CriterionScore, Measure, Movement, MovementCriterion
from congvu.emulation.selectors import movement_participants
from congvu.metrics.registry import metric_exists, metric_get
from congvu.metrics.selectors import metric_values
from congvu.org.models import Unit

DATA = Path(__file__).parent / "data" / "head_evidence.yaml"
TWO = Decimal("0.01")


@dataclass(frozen=True)
class Figure:
    name: str
    label: str
    value: float | None  # None: no data
    provided: bool  # False: no app provides this metric yet
    unit: str = "%"

    @property
    def has_data(self) -> bool:
        return self.value is not None

    @property
    def status(self) -> str:
        if not self.provided:
            return "Chưa có nguồn số liệu (chưa được cung cấp)"
        if self.value is None:
            return "Không có số liệu trong kỳ"
        return f"{self.value:.2f} {self.unit}".strip()

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "label": self.label, "value": self.value, "provided": self.provided,
                "status": self.status}


def figures(*, unit: Unit, names: list[str], date_from: dt.date, date_to: dt.date) -> dict[str, Figure]:
    """The unit's figures for the named metrics; unknown metrics are "not provided", not an error."""
    known = [n for n in names if metric_exists(n)]
    values = metric_values(names=known, units=[unit], date_from=date_from, date_to=date_to)[unit.pk] if known else {}
    out: dict[str, Figure] = {}
    for name in names:
        if name in values:
            metric = metric_get(name)
            value = values[name].value
            out[name] = Figure(name, str(metric.label), None if value is None else float(value), True, metric.unit)
        else:
            out[name] = Figure(name, DEFAULT_LABELS.get(name, name), None, False)
    return out


DEFAULT_LABELS = {
    "index.par-xa.percent": "Chỉ số cải cách hành chính (PAR INDEX)",
    "index.766.percent": "Chỉ số phục vụ người dân, doanh nghiệp (QĐ 766)",
    "directives.task_on_time_rate": "Tỷ lệ nhiệm vụ hoàn thành đúng hạn",
    "citizen.satisfaction_rate": "Tỷ lệ hài lòng của người dân",
}
# Index results expected when the indices app provides none (then shown as "not provided").
INDEX_FALLBACK = ["index.par-xa.percent", "index.766.percent"]
OTHER_REFORM_METRICS = ["directives.task_on_time_rate", "citizen.satisfaction_rate"]


def reform_metric_names() -> list[str]:
    """Every published index percentage of the catalogue, then tasks and satisfaction."""
    from congvu.metrics.registry import metrics_catalogue

    indices = [m.name for m in metrics_catalogue() if m.name.startswith("index.") and m.name.endswith(".percent")]
    return (indices or list(INDEX_FALLBACK)) + OTHER_REFORM_METRICS


def reform_figures(*, unit: Unit, year: int) -> dict[str, Figure]:
    """The reform figures of a unit for a year (the achievement report and the head's evidence)."""
    return figures(unit=unit, names=reform_metric_names(), date_from=dt.date(year, 1, 1),
                   date_to=dt.date(year, 12, 31))


@dataclass
class CriterionPart:
    criterion: MovementCriterion
    value: Decimal | None  # 0–100 after normalisation; None: no data
    source: str

    @property
    def weight(self) -> Decimal:
        return self.criterion.weight


@dataclass
class UnitScore:
    unit: Unit
    parts: list[CriterionPart] = field(default_factory=list)

    @property
    def weight_total(self) -> Decimal:
        return sum((p.weight for p in self.parts), Decimal(0))

    @property
    def weight_with_data(self) -> Decimal:
        return sum((p.weight for p in self.parts if p.value is not None), Decimal(0))

    @property
    def total(self) -> Decimal | None:
        """Weighted mean (0–100) over the criteria with data; None when none has data."""
        w = self.weight_with_data
        if not w:
            return None
        return (sum((p.weight * p.value for p in self.parts if p.value is not None), Decimal(0)) / w).quantize(
            TWO, ROUND_HALF_UP)

    @property
    def complete(self) -> bool:
        return self.weight_with_data == self.weight_total

    def as_dict(self) -> dict[str, Any]:
        return {"unit": self.unit.code, "unit_name": self.unit.name,
                "total": None if self.total is None else float(self.total), "complete": self.complete,
                "weight_total": float(self.weight_total), "weight_with_data": float(self.weight_with_data),
                "criteria": [{"id": p.criterion.pk, "name": p.criterion.name, "weight": float(p.weight),
                              "measure": p.criterion.measure, "metric": p.criterion.metric_name,
                              "value": None if p.value is None else float(p.value), "source": p.source}
                             for p in self.parts]}


def _clamp(value: float) -> Decimal:
    return max(Decimal(0), min(Decimal(100), Decimal(str(value)))).quantize(TWO, ROUND_HALF_UP)


def movement_scores(*, movement: Movement, units: list[Unit] | None = None) -> list[UnitScore]:
    """Every participant's weighted score in a movement, best first (no data last)."""
    units = units if units is not None else movement_participants(movement=movement)
    criteria = list(movement.criteria.all())
    names = sorted({c.metric_name for c in criteria if c.measure != Measure.MANUAL and c.metric_name})
    known = [n for n in names if metric_exists(n)]
    values = metric_values(names=known, units=units, date_from=movement.period_start,
                           date_to=movement.period_end) if known and units else {}
    manual = {(s.criterion_id, s.unit_id): s.score
              for s in CriterionScore.objects.filter(criterion__movement=movement, unit__in=units)}
    out: list[UnitScore] = []
    for unit in units:
        score = UnitScore(unit)
        for c in criteria:
            if c.measure == Measure.MANUAL:
                raw = manual.get((c.pk, unit.pk))
                value = None if raw is None else _clamp(float(raw) * 100 / float(c.max_score))
                source = "chấm điểm" if raw is not None else "chưa chấm"
            elif c.metric_name not in known:
                value, source = None, "chưa có nguồn số liệu"
            else:
                mv = values.get(unit.pk, {}).get(c.metric_name)
                value = None if mv is None or mv.value is None else _clamp(mv.value)
                source = c.metric_name if value is not None else "không có số liệu trong kỳ"
            score.parts.append(CriterionPart(c, value, source))
        out.append(score)
    out.sort(key=lambda s: (s.total is None, -(s.total or 0), s.unit.path))
    return out


# -- evidence for the head's yearly rating ----------------------------------------------------------


@lru_cache(maxsize=1)
def evidence_config() -> dict[str, Any]:
    with DATA.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@dataclass
class HeadEvidence:
    unit: Unit
    year: int
    figures: list[Figure]
    suggestion: str | None  # a rating code, or None when the figures say nothing
    reason: str
    basis: str

    def as_dict(self) -> dict[str, Any]:
        return {"unit": self.unit.code, "year": self.year, "figures": [f.as_dict() for f in self.figures],
                "suggestion": self.suggestion, "reason": self.reason, "basis": self.basis, "binding": False}


def head_rating_evidence(*, unit: Unit, year: int) -> HeadEvidence:
    """Reform figures of `unit` for `year`, proposed (never imposed) as evidence for its head's rating."""
    cfg = evidence_config()
    found = reform_figures(unit=unit, year=year)
    with_data = [f for f in found.values() if f.has_data]
    basis = cfg.get("basis", "")
    if not with_data:
        return HeadEvidence(unit, year, list(found.values()), None,
                            "Chưa có số liệu cải cách hành chính, nhiệm vụ, hài lòng của đơn vị trong năm.", basis)
    mean = sum(f.value for f in with_data) / len(with_data)
    suggestion = None
    for band in cfg["bands"]:
        if mean >= float(band["min_mean"]):
            suggestion = band["rating"]
            break
    lowest = min(with_data, key=lambda f: f.value)
    floor = float(cfg.get("floor_for_excellent", 0))
    if suggestion == "excellent" and lowest.value < floor:
        suggestion = "good"
        reason = (f"Bình quân {mean:.2f}% nhưng {lowest.label} chỉ {lowest.value:.2f}% (dưới {floor:.0f}%): "
                  "gợi ý hoàn thành tốt nhiệm vụ.")
    else:
        reason = f"Bình quân {len(with_data)} chỉ tiêu có số liệu: {mean:.2f}%."
    return HeadEvidence(unit, year, list(found.values()), suggestion, reason, basis)
