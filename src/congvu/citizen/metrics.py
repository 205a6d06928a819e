"""Citizen figures in the metrics catalogue: satisfaction (QĐ 766 indicator 5.4), PAKN on time
(5.2), and the rating criteria (TT 01/2018 indices, the base of a SIPAS-style satisfaction index).
Registered from `CitizenConfig.ready()`. Every figure comes from the daily counters (`DailyRollup`,
`DailyCounter`, kept in each change's transaction) and index-only counts of what is open: no scan
of the period's dossiers, ratings or PAKN."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count
from django.utils import timezone

from congvu.citizen.criteria import CRITERIA
from congvu.citizen.models import Complaint, ComplaintState
from congvu.citizen.selectors import satisfaction_from_counts
from congvu.metrics.registry import (
    Metric,
    MetricProvider,
    MetricQuery,
    MetricValue,
    ProviderResult,
    sum_by_group,
)
from congvu.onestop.selectors import open_counts, rollup_sums

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
_SAT = ("received", "late_received", "flagged", "rating_count", "rating_satisfied", "rating_dissatisfied",
        "pakn_received", "pakn_handled", "pakn_on_time")
_CRITERIA_COUNTERS = tuple(f"rating_{c.key}_{x}" for c in CRITERIA for x in ("n", "ok"))


def _bounds(q: MetricQuery) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(q.date_from, dt.time()))
    end = timezone.make_aware(dt.datetime.combine(q.date_to + dt.timedelta(days=1), dt.time()))
    return start, end


def _satisfaction_totals(q: MetricQuery) -> dict[int, dict[str, Any]]:
    """Per requested unit: `satisfaction_stats` from the counters (one grouped query) and the open
    dossiers / PAKN past their deadline (one grouped index-only count each), for all units at once."""
    start, end = _bounds(q)
    as_of = min(q.now, end)
    counters = rollup_sums(unit_ids=q.all_ids, date_from=q.date_from, date_to=q.date_to, names=_SAT, by_unit=True)
    opened = open_counts(unit_ids=q.all_ids, received_from=start, received_before=end, as_of=as_of, by_unit=True)
    pakn_open = {r["unit_id"]: r for r in Complaint.objects.filter(
        unit_id__in=q.all_ids, state__in=[ComplaintState.RECEIVED, ComplaintState.UNDER_REVIEW],
        due_date__lt=timezone.localtime(as_of).date(), received_at__gte=start, received_at__lt=end,
    ).values("unit_id").annotate(n=Count("id"))}
    c = sum_by_group(counters, q.groups, _SAT)
    o = sum_by_group(opened, q.groups, ("overdue",))
    p = sum_by_group(pakn_open, q.groups, ("n",))
    return {gid: satisfaction_from_counts(
        received=c[gid]["received"], late=c[gid]["late_received"], overdue_open=o[gid]["overdue"],
        flagged=c[gid]["flagged"],
        ratings={"count": c[gid]["rating_count"], "satisfied": c[gid]["rating_satisfied"],
                 "dissatisfied": c[gid]["rating_dissatisfied"]},
        pakn={"received": c[gid]["pakn_received"], "handled": c[gid]["pakn_handled"],
              "handled_on_time": c[gid]["pakn_on_time"], "open_overdue": p[gid]["n"]}) for gid in q.groups}


def _ratings(q: MetricQuery) -> dict[int, dict[str, float]]:
    names = ("rating_count", "rating_satisfied", *_CRITERIA_COUNTERS)
    per_unit = rollup_sums(unit_ids=q.all_ids, date_from=q.date_from, date_to=q.date_to, names=names, by_unit=True)
    return sum_by_group(per_unit, q.groups, names)


def compute(q: MetricQuery) -> ProviderResult:
    out: dict[int, dict[str, MetricValue]] = {gid: {} for gid in q.groups}
    if q.names & _STATS:
        for gid, s in _satisfaction_totals(q).items():
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
            out[gid]["citizen.rating_count"] = MetricValue.count(t["rating_count"])
            out[gid]["citizen.rating_satisfied_rate"] = MetricValue.rate(t["rating_satisfied"], t["rating_count"])
            for c in CRITERIA:
                out[gid][f"citizen.rating_{c.key}_rate"] = MetricValue.rate(t[f"rating_{c.key}_ok"],
                                                                            t[f"rating_{c.key}_n"])
    return {gid: {k: v for k, v in vals.items() if k in q.names} for gid, vals in out.items()}


PROVIDER = MetricProvider(key="citizen", metrics=METRICS, compute=compute)
