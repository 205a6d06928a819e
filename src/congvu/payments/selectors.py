"""Reads of the payments app: a dossier's payment status (lookup page, officer screens), its fees,
payments and receipts, and the payment figures recomputed from rows (roll-up rebuild, checks)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.utils import timezone

from congvu.common.errors import NotFound
from congvu.onestop.models import Dossier
from congvu.payments.models import EReceipt, Fee, FeeState, Method, Payment, PaymentState, Refund

AWAITING_PAYMENT = "awaiting_payment"
PAID = "paid"
NOT_REQUIRED = "not_required"

STATUS_LABELS = {
    AWAITING_PAYMENT: "Chờ thanh toán phí, lệ phí",
    PAID: "Đã thanh toán phí, lệ phí",
    NOT_REQUIRED: "Không phải nộp phí, lệ phí",
}


def dossier_fees(dossier: Dossier) -> list[Fee]:
    """Stored fees, or (before first use) the catalogue fee the dossier would get, unsaved."""
    fees = list(Fee.objects.filter(dossier=dossier).order_by("pk"))
    if fees or int(dossier.fee_amount or 0) <= 0:
        return fees
    from congvu.payments.services import fee_item_name

    return [Fee(dossier=dossier, code="catalogue", item=fee_item_name(dossier), amount=int(dossier.fee_amount))]


def dossier_payment_status(dossier: Dossier) -> str:
    """"awaiting_payment" (a fee is due), "paid" (every fee paid, waived or refunded after payment)
    or "not_required" (no fee). Whether an unpaid fee blocks processing: `payment_blocks(dossier)`."""
    fees = dossier_fees(dossier)
    if not fees or all(f.state == FeeState.WAIVED for f in fees):
        return NOT_REQUIRED
    return AWAITING_PAYMENT if any(f.state == FeeState.DUE for f in fees) else PAID


def payment_blocks(dossier: Dossier) -> bool:
    """True when the procedure requires paying before processing and a fee is still due."""
    from congvu.payments.services import pay_before_processing

    return pay_before_processing(dossier) and dossier_payment_status(dossier) == AWAITING_PAYMENT


def dossier_by_code(code: str) -> Dossier:
    d = Dossier.objects.select_related("procedure", "unit").filter(code=code).first()
    if d is None:
        raise NotFound("dossier.not_found", f"Không tìm thấy hồ sơ {code}.")
    return d


def dossier_payments(dossier: Dossier):
    return (Payment.objects.filter(dossier=dossier).select_related("receipt").prefetch_related("refunds", "fees")
            .order_by("-created_at", "-id"))


def payment_by_transaction(transaction_id: str) -> Payment:
    p = (Payment.objects.select_related("dossier__unit", "dossier__procedure")
         .filter(transaction_id=transaction_id).first())
    if p is None:
        raise NotFound("payment.not_found", "Không tìm thấy giao dịch thanh toán.")
    return p


def receipt_get(receipt_id: int) -> EReceipt:
    r = EReceipt.objects.select_related("payment__dossier__unit", "payment__dossier__procedure").filter(
        pk=receipt_id).first()
    if r is None:
        raise NotFound("receipt.not_found", "Không tìm thấy biên lai.")
    return r


def _day(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date()


def payment_rollup_contributions(*, unit_ids: Iterable[int] | None = None) -> dict[tuple[int, dt.date], dict[str, int]]:
    """{(unit id, day): {"payment_count", "payment_amount"}} from the rows, as the services apply them:
    online payments count on the payment day; online refunds lower the amount on the refund day."""
    out: dict[tuple[int, dt.date], dict[str, int]] = defaultdict(lambda: {"payment_count": 0, "payment_amount": 0})
    pays = Payment.objects.filter(method=Method.ONLINE, paid_at__isnull=False,
                                  state__in=[PaymentState.SUCCEEDED, PaymentState.REFUNDED])
    refunds = Refund.objects.filter(payment__method=Method.ONLINE)
    if unit_ids is not None:
        unit_ids = list(unit_ids)
        pays, refunds = pays.filter(dossier__unit_id__in=unit_ids), refunds.filter(payment__dossier__unit_id__in=unit_ids)
    for unit_id, paid_at, amount in pays.values_list("dossier__unit_id", "paid_at", "amount").iterator():
        row = out[(unit_id, _day(paid_at))]
        row["payment_count"] += 1
        row["payment_amount"] += amount
    for unit_id, at, amount in refunds.values_list("payment__dossier__unit_id", "at", "amount").iterator():
        out[(unit_id, _day(at))]["payment_amount"] -= amount
    # 766 3.6: fee-bearing dossiers paid online, once each, on their day of receipt.
    from congvu.onestop.services import dossier_counts, procedure_counter

    paid = Dossier.objects.filter(pk__in=pays.values("dossier_id"), fee_amount__gt=0)
    for d in paid.only("unit_id", "procedure_id", "received_at", "state", "receipt_refused").iterator():
        if dossier_counts(d):
            row = out[(d.unit_id, _day(d.received_at))]
            row["paid_online"] = row.get("paid_online", 0) + 1
            # 766 3.5: per procedure (distinct procedures with an online payment)
            key = procedure_counter("paid_online", d.procedure_id)
            row[key] = row.get(key, 0) + 1
    return dict(out)


def payment_figures_from_rows(*, unit_ids: Iterable[int], date_from: dt.date, date_to: dt.date) -> dict[str, int]:
    """Sum of `payment_rollup_contributions` over the period (for `onestop_stats_from_rows`)."""
    total = {"payment_count": 0, "payment_amount": 0}
    for (_unit, day), row in payment_rollup_contributions(unit_ids=unit_ids).items():
        if date_from <= day <= date_to:
            total["payment_count"] += row["payment_count"]
            total["payment_amount"] += row["payment_amount"]
    return total
