"""Payment figures in the metrics catalogue: online payment rate (QĐ 766 indicator 3.6) and the
online payments taken. Registered from `PaymentsConfig.ready()`."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from congvu.metrics.registry import (
    Metric,
    MetricProvider,
    MetricQuery,
    MetricValue,
    ProviderResult,
    sum_by_group,
)
from congvu.onestop.models import Dossier
from congvu.onestop.selectors import rollup_sums
from congvu.onestop.workflow import State
from congvu.payments.models import Method, Payment, PaymentState

METRICS = (
    Metric("payments.online_payment_rate", "Tỷ lệ hồ sơ thanh toán trực tuyến", "rate", "%",
           "Hồ sơ tiếp nhận trong kỳ đã nộp phí, lệ phí trực tuyến / hồ sơ tiếp nhận trong kỳ của thủ tục có "
           "phí, lệ phí khác 0.", "QĐ 766/QĐ-TTg, chỉ số 3.6", app="payments"),
    Metric("payments.procedures_paid_online_rate", "Tỷ lệ TTHC có phí có giao dịch thanh toán trực tuyến", "rate",
           "%", "TTHC có phí, lệ phí có ít nhất một hồ sơ nộp trực tuyến trong kỳ / TTHC có phí, lệ phí có hồ sơ "
           "tiếp nhận trong kỳ.", "QĐ 766/QĐ-TTg, chỉ số 3.5 (TTHC có giao dịch thanh toán trực tuyến)",
           app="payments"),
    Metric("payments.online_payment_count", "Giao dịch thanh toán trực tuyến", "count", "giao dịch",
           "Khoản nộp trực tuyến thành công trong kỳ.", app="payments"),
    Metric("payments.online_payment_amount", "Số tiền nộp trực tuyến", "amount", "đồng",
           "Số tiền nộp trực tuyến trong kỳ, trừ khoản đã hoàn trả.", app="payments"),
)


def compute(q: MetricQuery) -> ProviderResult:
    """From the daily counters only: `fee_bearing` / `paid_online` on the dossiers' day of receipt,
    `payment_count` / `payment_amount` on the payment day (one grouped query)."""
    out: dict[int, dict[str, MetricValue]] = {gid: {} for gid in q.groups}
    names = ("fee_bearing", "paid_online", "payment_count", "payment_amount")
    if not q.names & {m.name for m in METRICS}:
        return out
    per_unit = rollup_sums(unit_ids=q.all_ids, date_from=q.date_from, date_to=q.date_to, names=names, by_unit=True)
    for gid, t in sum_by_group(per_unit, q.groups, names).items():
        out[gid]["payments.online_payment_rate"] = MetricValue.rate(t["paid_online"], t["fee_bearing"])
        out[gid]["payments.online_payment_count"] = MetricValue.count(t["payment_count"])
        out[gid]["payments.online_payment_amount"] = MetricValue.count(float(t["payment_amount"]))
    if "payments.procedures_paid_online_rate" in q.names:
        # Distinct procedures per unit: the unit x day counters have no procedure dimension, so this one
        # reads the fee-bearing dossiers of the period (indexed by unit and receipt date).
        for gid, (fee_procs, paid_procs) in _procedures_paid_online(q).items():
            out[gid]["payments.procedures_paid_online_rate"] = MetricValue.rate(len(paid_procs), len(fee_procs))
    return {gid: {k: v for k, v in vals.items() if k in q.names} for gid, vals in out.items()}


def _procedures_paid_online(q: MetricQuery) -> dict[int, tuple[set[int], set[int]]]:
    """{group: (fee-bearing procedures with dossiers received, those with an online payment)}."""
    start = timezone.make_aware(dt.datetime.combine(q.date_from, dt.time()))
    end = timezone.make_aware(dt.datetime.combine(q.date_to + dt.timedelta(days=1), dt.time()))
    # (unit, procedure) pairs of the fee-bearing dossiers received in the period (a hash aggregate,
    # no per-row subquery), then the pairs with an online payment from the payments (far fewer rows).
    pairs = (Dossier.objects.filter(unit_id__in=q.all_ids, received_at__gte=start, received_at__lt=end,
                                    receipt_refused=False, fee_amount__gt=0).exclude(state=State.GUIDANCE)
             .values_list("unit_id", "procedure_id").distinct())
    paid = (Payment.objects.filter(dossier__unit_id__in=q.all_ids, dossier__received_at__gte=start,
                                   dossier__received_at__lt=end, dossier__receipt_refused=False,
                                   dossier__fee_amount__gt=0, method=Method.ONLINE,
                                   state__in=[PaymentState.SUCCEEDED, PaymentState.REFUNDED])
            .exclude(dossier__state=State.GUIDANCE)
            .values_list("dossier__unit_id", "dossier__procedure_id").distinct())
    per_unit: dict[int, tuple[set[int], set[int]]] = {}
    for unit_id, procedure_id in pairs:
        per_unit.setdefault(unit_id, (set(), set()))[0].add(procedure_id)
    for unit_id, procedure_id in paid:
        per_unit.setdefault(unit_id, (set(), set()))[1].add(procedure_id)
    out: dict[int, tuple[set[int], set[int]]] = {}
    for gid, ids in q.groups.items():
        fee, done = set(), set()
        for uid in ids:
            if uid in per_unit:
                fee |= per_unit[uid][0]
                done |= per_unit[uid][1]
        out[gid] = (fee, done)
    return out


PROVIDER = MetricProvider(key="payments", metrics=METRICS, compute=compute)
