"""Citizen figures in the metrics catalogue: satisfaction (QĐ 766 indicator 5.4), PAKN on time
(5.2), and the rating criteria (TT 01/2018 indices, the base of a SIPAS-style satisfaction index).
Registered from `CitizenConfig.ready()`."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from congvu.citizen.criteria import CRITERIA
from congvu.citizen.models import Rating
from congvu.citizen.selectors import satisfaction_stats
from congvu.metrics.registry import (
    Metric,
    MetricProvider,
    MetricQuery,
    MetricValue,
    ProviderResult,
    sum_by_group,
)

_766 = "QĐ 766/QĐ-TTg"


def _m(name: str, label: str, kind: str, unit: str, description: str, source: str = "") -> Metric:
    return Metric(name=f"citizen.{name}", label=label, kind=kind, unit=unit, description=description,  # type: ignore[arg-type]
                  source=source, app="citizen")


METRICS = (
    _m("satisfaction_rate", "Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC", "rate", "%",
       "100% − (tỷ lệ hồ sơ quá hạn + tỷ lệ hồ sơ có phản ánh, kiến nghị hoặc đánh giá không hài lòng), trên hồ "
       "sơ tiếp nhận trong kỳ.", f"{_766}, chỉ số 5.4"),
    _m("pakn_on_time_rate", "Tỷ lệ phản ánh, kiến nghị xử lý đúng hạn", "rate", "%",
       "PAKN đã xử lý đúng hạn / (PAKN đã xử lý + PAKN quá hạn chưa xử lý), tiếp nhận trong kỳ.",
       f"{_766}, chỉ số 5.2"),
    _m("pakn_received", "Phản ánh, kiến nghị tiếp nhận", "count", "phản ánh", "PAKN tiếp nhận trong kỳ."),
    _m("pakn_satisfied_rate", "Tỷ lệ hài lòng trong xử lý phản ánh, kiến nghị", "rate", "%",
       "(PAKN tiếp nhận − PAKN xử lý trễ hạn − PAKN quá hạn chưa xử lý) / PAKN tiếp nhận trong kỳ (congvu chưa "
       "thu đánh giá của người dân về kết quả xử lý PAKN).", f"{_766}, chỉ số 5.3"),
    _m("rating_count", "Lượt đánh giá", "count", "lượt", "Phiếu đánh giá người dân gửi trong kỳ."),
    _m("rating_satisfied_rate", "Tỷ lệ người dân hài lòng", "rate", "%",
       "Phiếu đánh giá “Hài lòng” hoặc “Rất hài lòng” / phiếu đánh giá trong kỳ.",
       "QĐ 2640/QĐ-BNV (SIPAS): % hài lòng"),
) + tuple(
    _m(f"rating_{c.key}_rate", f"Hài lòng: {c.label}", "rate", "%",
       f"Phiếu chấm tiêu chí “{c.label}” ở mức 1 hoặc 2 điểm / phiếu có chấm tiêu chí này, trong kỳ.",
       "TT 01/2018/TT-VPCP Chương III (chỉ số 0/1/2 điểm)")
    for c in CRITERIA
)

_STATS = {"citizen.satisfaction_rate", "citizen.pakn_on_time_rate", "citizen.pakn_received",
          "citizen.pakn_satisfied_rate"}


def _bounds(q: MetricQuery) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(q.date_from, dt.time()))
    end = timezone.make_aware(dt.datetime.combine(q.date_to + dt.timedelta(days=1), dt.time()))
    return start, end


def _ratings(q: MetricQuery) -> dict[int, dict[str, float]]:
    start, end = _bounds(q)
    per_unit: dict[int, dict[str, float]] = {}
    counters = ["count", "satisfied"] + [f"{c.key}_{x}" for c in CRITERIA for x in ("n", "ok")]
    for unit_id, overall, scores in (Rating.objects.filter(unit_id__in=q.all_ids, used_at__gte=start, used_at__lt=end)
                                     .values_list("unit_id", "overall", "scores").iterator()):
        row = per_unit.setdefault(unit_id, dict.fromkeys(counters, 0))
        row["count"] += 1
        row["satisfied"] += 1 if overall else 0
        for c in CRITERIA:
            value = (scores or {}).get(c.key)
            if isinstance(value, int):
                row[f"{c.key}_n"] += 1
                row[f"{c.key}_ok"] += 1 if value >= 1 else 0
    return sum_by_group(per_unit, q.groups, counters)


def compute(q: MetricQuery) -> ProviderResult:
    out: dict[int, dict[str, MetricValue]] = {gid: {} for gid in q.groups}
    if q.names & _STATS:
        for gid, ids in q.groups.items():
            s = satisfaction_stats(ids, q.date_from, q.date_to, now=q.now)
            out[gid]["citizen.satisfaction_rate"] = (MetricValue(s["satisfaction_rate"], None, s["dossiers_received"])
                                                     if s["dossiers_received"] else MetricValue(None, 0, 0))
            judged = s["pakn_handled"] + s["pakn_open_overdue"]
            out[gid]["citizen.pakn_on_time_rate"] = MetricValue.rate(s["pakn_on_time"], judged)
            out[gid]["citizen.pakn_received"] = MetricValue.count(s["pakn_received"])
            unsatisfied = (s["pakn_handled"] - s["pakn_on_time"]) + s["pakn_open_overdue"]
            out[gid]["citizen.pakn_satisfied_rate"] = MetricValue.rate(max(0, s["pakn_received"] - unsatisfied),
                                                                       s["pakn_received"])
    if any(n.startswith("citizen.rating_") for n in q.names):
        totals = _ratings(q)
        for gid, t in totals.items():
            out[gid]["citizen.rating_count"] = MetricValue.count(t["count"])
            out[gid]["citizen.rating_satisfied_rate"] = MetricValue.rate(t["satisfied"], t["count"])
            for c in CRITERIA:
                out[gid][f"citizen.rating_{c.key}_rate"] = MetricValue.rate(t[f"{c.key}_ok"], t[f"{c.key}_n"])
    return {gid: {k: v for k, v in vals.items() if k in q.names} for gid, vals in out.items()}


PROVIDER = MetricProvider(key="citizen", metrics=METRICS, compute=compute)
