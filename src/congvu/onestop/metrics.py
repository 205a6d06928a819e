"""The one-stop figures in the metrics catalogue (QĐ 766 groups 1–4), for many units at once.

Dossier figures come from the daily roll-ups (one grouped query for all units; the full-online
rate from the receipt-day counters `full_online_eligible` / `full_online_online`, so the level of the
procedure at receipt counts) and the open / overdue counts from the open dossiers (one grouped
index-only count); catalogue figures (1.3, 3.1, 3.5) from
the procedures in force. Registered from `OnestopConfig.ready()`.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, Sum
from django.utils import timezone

from congvu.metrics.registry import (
    Metric,
    MetricProvider,
    MetricQuery,
    MetricValue,
    ProviderResult,
    sum_by_group,
)
from congvu.onestop.models import ROLLUP_COUNTERS, DailyRollup, OnlineLevel, Procedure
from congvu.onestop.selectors import open_counts, rollup_sums
from congvu.onestop.workflow import OPEN_STATES

_766 = "QĐ 766/QĐ-TTg"


def _m(name: str, label: str, kind: str, unit: str, description: str, source: str = "") -> Metric:
    return Metric(name=f"onestop.{name}", label=label, kind=kind, unit=unit, description=description,  # type: ignore[arg-type]
                  source=source, app="onestop")


METRICS = (
    _m("received", "Hồ sơ tiếp nhận", "count", "hồ sơ",
       "Hồ sơ được tiếp nhận trong kỳ (không kể hồ sơ từ chối ngay khi kiểm tra, Mẫu 03)."),
    _m("received_online", "Hồ sơ tiếp nhận trực tuyến", "count", "hồ sơ",
       "Hồ sơ tiếp nhận trong kỳ qua kênh trực tuyến (KenhThucHien = 2, gồm tổng đài)."),
    _m("online_rate", "Tỷ lệ hồ sơ trực tuyến", "rate", "%",
       "Hồ sơ trực tuyến / hồ sơ tiếp nhận trong kỳ.", f"{_766}, chỉ số 3.3"),
    _m("finished", "Hồ sơ đã giải quyết", "count", "hồ sơ", "Hồ sơ kết thúc xử lý trong kỳ."),
    _m("on_time_rate", "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn", "rate", "%",
       "(Hồ sơ kết thúc trong kỳ trước hạn, đúng hạn + hồ sơ đang xử lý chưa quá hạn) / (hồ sơ kết thúc trong "
       "kỳ + hồ sơ đang xử lý tiếp nhận đến cuối kỳ); yêu cầu bổ sung quá một lần tính là trễ hạn; hồ sơ chờ "
       "bổ sung tạm dừng tính giờ.", f"{_766}, chỉ số 2.1"),
    _m("late_rate", "Tỷ lệ hồ sơ trễ hạn", "rate", "%", "Hồ sơ kết thúc trễ hạn / hồ sơ tiếp nhận trong kỳ."),
    _m("in_progress", "Hồ sơ đang xử lý", "count", "hồ sơ", "Hồ sơ chưa kết thúc, tiếp nhận đến cuối kỳ."),
    _m("overdue", "Hồ sơ quá hạn đang xử lý", "count", "hồ sơ",
       "Hồ sơ chưa kết thúc đã quá ngày hẹn trả (tính tại thời điểm xem hoặc cuối kỳ)."),
    _m("digitized_rate", "Tỷ lệ hồ sơ số hóa", "rate", "%",
       "Hồ sơ có thành phần đã số hóa và (nếu có kết quả bằng văn bản) kết quả đã số hóa / hồ sơ tiếp nhận.",
       f"{_766}, chỉ số 4.2"),
    _m("e_result_rate", "Tỷ lệ hồ sơ có kết quả điện tử", "rate", "%",
       "Hồ sơ kết thúc trong kỳ có kết quả điện tử / hồ sơ kết thúc trong kỳ.", f"{_766}, chỉ số 4.1"),
    _m("reuse_rate", "Tỷ lệ khai thác, sử dụng lại dữ liệu số hóa", "rate", "%",
       "Hồ sơ có thành phần tái sử dụng dữ liệu đã số hóa / hồ sơ tiếp nhận.", f"{_766}, chỉ số 4.3"),
    _m("avg_processing_hours", "Thời gian giải quyết trung bình", "average", "giờ",
       "Tổng thời gian xử lý (trừ thời gian chờ bổ sung) / hồ sơ kết thúc trong kỳ.", f"{_766}, chỉ số 2.2"),
    _m("full_online_rate", "Tỷ lệ hồ sơ trực tuyến toàn trình", "rate", "%",
       "Hồ sơ trực tuyến của thủ tục cung cấp DVCTT toàn trình / hồ sơ của các thủ tục đó, tiếp nhận trong kỳ.",
       f"{_766}, nhóm Dịch vụ công trực tuyến"),
    _m("procedures_online_rate", "Tỷ lệ thủ tục cung cấp dịch vụ công trực tuyến", "rate", "%",
       "Thủ tục còn hiệu lực có DVCTT (một phần hoặc toàn trình) / thủ tục còn hiệu lực thuộc thẩm quyền "
       "(theo cấp thực hiện của đơn vị và các đơn vị trực thuộc).", f"{_766}, chỉ số 3.1"),
    _m("procedures_complete_rate", "Tỷ lệ thủ tục công khai đầy đủ nội dung", "rate", "%",
       "Thủ tục còn hiệu lực có đủ: tên, lĩnh vực, thời hạn, thành phần hồ sơ, quy trình, cơ quan giải "
       "quyết, căn cứ pháp lý / thủ tục còn hiệu lực thuộc thẩm quyền.", f"{_766}, chỉ số 1.3"),
    _m("procedures_payable_online_rate", "Tỷ lệ thủ tục có phí tích hợp thanh toán trực tuyến", "rate", "%",
       "Thủ tục có phí, lệ phí và cung cấp DVCTT (nộp phí trực tuyến) / thủ tục có phí, lệ phí thuộc thẩm quyền.",
       f"{_766}, chỉ số 3.5"),
)

_OPEN = [s.value for s in OPEN_STATES]
# Unit kind → the procedure level it handles (catalogue figures): a province covers every level
# of its subtree because the groups contain the communes' ids as well.
_LEVEL_OF_KIND = {"province": "province", "agency": "province", "onestop_desk": "commune",
                  "district": "district", "commune": "commune", "ward": "commune", "township": "commune"}


def _end(date_to: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time()))


def _rollup_totals(q: MetricQuery) -> dict[int, dict[str, float]]:
    rows = (DailyRollup.objects.filter(unit_id__in=q.all_ids, day__gte=q.date_from, day__lte=q.date_to)
            .values("unit_id").annotate(**{n: Sum(n) for n in ROLLUP_COUNTERS}))
    per_unit = {r["unit_id"]: r for r in rows}
    return sum_by_group(per_unit, q.groups, ROLLUP_COUNTERS)


def _open_totals(q: MetricQuery) -> dict[int, dict[str, float]]:
    end = _end(q.date_to)
    rows = open_counts(unit_ids=q.all_ids, received_before=end, as_of=min(q.now, end), by_unit=True)
    return sum_by_group(rows, q.groups, ("in_progress", "overdue"))


def _full_online_totals(q: MetricQuery) -> dict[int, dict[str, float]]:
    names = ("full_online_eligible", "full_online_online")
    rows = rollup_sums(unit_ids=q.all_ids, date_from=q.date_from, date_to=q.date_to, names=names, by_unit=True)
    totals = sum_by_group(rows, q.groups, names)
    return {gid: {"eligible": t["full_online_eligible"], "online": t["full_online_online"]} for gid, t in totals.items()}


def _catalogue_totals(q: MetricQuery) -> dict[int, dict[str, float]]:
    from congvu.org.models import Unit

    kinds = dict(Unit.objects.filter(pk__in=q.all_ids).values_list("pk", "kind"))
    procs = list(Procedure.objects.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=q.date_to))
                 .filter(Q(effective_from__isnull=True) | Q(effective_from__lte=q.date_to))
                 .annotate(n_components=Count("components", distinct=True), n_steps=Count("steps", distinct=True))
                 .values("level", "online_level", "fee_amount", "legal_basis", "competent_unit_id",
                         "processing_time", "n_components", "n_steps"))
    out: dict[int, dict[str, float]] = {}
    for gid, ids in q.groups.items():
        levels = {_LEVEL_OF_KIND.get(kinds.get(uid, ""), "") for uid in ids} - {""}
        mine = [p for p in procs if p["level"] in levels]
        fee = [p for p in mine if p["fee_amount"]]
        out[gid] = {
            "procedures": len(mine),
            "online": sum(1 for p in mine if p["online_level"] != OnlineLevel.NONE),
            "complete": sum(1 for p in mine if p["n_components"] and p["n_steps"] and p["legal_basis"]
                            and p["processing_time"] is not None),
            "fee": len(fee),
            "fee_online": sum(1 for p in fee if p["online_level"] != OnlineLevel.NONE),
        }
    return out


def compute(q: MetricQuery) -> ProviderResult:
    names = {n.removeprefix("onestop.") for n in q.names}
    out: dict[int, dict[str, MetricValue]] = {gid: {} for gid in q.groups}
    need_rollups = names & {"received", "received_online", "online_rate", "finished", "on_time_rate", "late_rate",
                            "digitized_rate", "e_result_rate", "reuse_rate", "avg_processing_hours"}
    need_open = names & {"on_time_rate", "in_progress", "overdue"}
    roll = _rollup_totals(q) if need_rollups else {}
    opened = _open_totals(q) if need_open else {}
    full = _full_online_totals(q) if "full_online_rate" in names else {}
    cat = (_catalogue_totals(q) if names & {"procedures_online_rate", "procedures_complete_rate",
                                            "procedures_payable_online_rate"} else {})
    for gid in q.groups:
        v: dict[str, MetricValue] = {}
        if roll:
            c = roll[gid]
            received, online = c["received"], c["received_online"] + c["received_phone"]
            v["received"] = MetricValue.count(received)
            v["received_online"] = MetricValue.count(online)
            v["online_rate"] = MetricValue.rate(online, received)
            v["finished"] = MetricValue.count(c["finished"])
            v["late_rate"] = MetricValue.rate(c["late"], received)
            v["digitized_rate"] = MetricValue.rate(c["digitized"], received)
            v["e_result_rate"] = MetricValue.rate(c["e_results"], c["finished"])
            v["reuse_rate"] = MetricValue.rate(c["reuse"], received)
            v["avg_processing_hours"] = (MetricValue(round(c["processing_seconds"] / c["finished"] / 3600, 2),
                                                     c["processing_seconds"] / 3600, c["finished"])
                                         if c["finished"] else MetricValue(None, 0, 0))
        if opened:
            o = opened[gid]
            v["in_progress"] = MetricValue.count(o["in_progress"])
            v["overdue"] = MetricValue.count(o["overdue"])
            if roll:
                c = roll[gid]
                judged = c["early"] + c["on_time"] + c["late"] + o["in_progress"]
                v["on_time_rate"] = MetricValue.rate(c["early"] + c["on_time"] + o["in_progress"] - o["overdue"],
                                                     judged)
        if full:
            v["full_online_rate"] = MetricValue.rate(full[gid]["online"], full[gid]["eligible"])
        if cat:
            k = cat[gid]
            v["procedures_online_rate"] = MetricValue.rate(k["online"], k["procedures"])
            v["procedures_complete_rate"] = MetricValue.rate(k["complete"], k["procedures"])
            v["procedures_payable_online_rate"] = MetricValue.rate(k["fee_online"], k["fee"])
        out[gid] = {f"onestop.{k}": val for k, val in v.items() if f"onestop.{k}" in q.names}
    return out


PROVIDER = MetricProvider(key="onestop", metrics=METRICS, compute=compute)

