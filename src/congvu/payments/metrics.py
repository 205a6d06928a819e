"""Payment figures in the metrics catalogue: online payment rate (QĐ 766 indicator 3.6) and the
online payments taken. Registered from `PaymentsConfig.ready()`."""

from __future__ import annotations

from congvu.metrics.registry import (
    Metric,
    MetricProvider,
    MetricQuery,
    MetricValue,
    ProviderResult,
    sum_by_group,
)
from congvu.onestop.selectors import procedure_sets, procedure_share, rollup_sums

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
        # Distinct procedures: the unit × procedure counters (fee-bearing dossiers received, and those
        # paid online, on the day of receipt; one row per unit × procedure for a whole year).
        sets = procedure_sets(unit_ids=q.all_ids, date_from=q.date_from, date_to=q.date_to,
                              names=("fee_bearing", "paid_online"))
        for gid, ids in q.groups.items():
            out[gid]["payments.procedures_paid_online_rate"] = MetricValue.rate(
                *procedure_share(sets, ids, base="fee_bearing", part="paid_online"))
    return {gid: {k: v for k, v in vals.items() if k in q.names} for gid, vals in out.items()}


PROVIDER = MetricProvider(key="payments", metrics=METRICS, compute=compute)
