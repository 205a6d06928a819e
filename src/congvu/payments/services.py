"""Writes of the payments app. Keyword-only, transactional, audited; officer actions check
`Action.DOSSIER_PROCESS` on the dossier's receiving unit (`actor=None` = the system).

A successful payment, in one transaction: payment succeeded, its fees paid, an e-receipt with the
next gapless number of its series, the one-stop roll-up (`payment_count`, `payment_amount`, online
payments only) of the dossier's unit on the payment day, the `payment_received` notification (when
`congvu.onestop.notify` exists) and the audit entries.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from congvu.audit.services import audit_record, model_snapshot
from congvu.common.errors import Conflict, DomainError
from congvu.common.text import clean
from congvu.onestop import hooks
from congvu.onestop.models import Dossier
from congvu.onestop.services import procedure_counter, rollup_add
from congvu.onestop.workflow import State
from congvu.org.policy import require
from congvu.org.roles import Action
from congvu.payments.models import (
    CallbackLog,
    CallbackNonce,
    CallbackOutcome,
    EReceipt,
    Fee,
    FeePolicy,
    FeeState,
    Method,
    Payment,
    PaymentState,
    ReceiptCounter,
    Refund,
)
from congvu.payments.providers import (
    CallbackRejected,
    ProviderError,
    StartResult,
    get_provider,
    provider_settings,
)

log = logging.getLogger("congvu.payments")
security_log = logging.getLogger("congvu.payments.security")

AWAITING_MESSAGE = "Hồ sơ đang chờ thanh toán phí, lệ phí"


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def _check(actor: Any, obj: Any) -> None:
    if actor is not None:
        require(actor, Action.DOSSIER_PROCESS, obj)


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _aware(value: dt.datetime | None) -> dt.datetime:
    if value is None:
        return timezone.now()
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _vnd(value: Any) -> int:
    return int(value or 0)


# ------------------------------------------------------------------------------------------------
# Fees and the fee policy
# ------------------------------------------------------------------------------------------------


def fee_item_name(dossier: Dossier) -> str:
    proc = dossier.procedure
    return clean(proc.fee_note)[:500] if clean(proc.fee_note) else f"Phí, lệ phí: {proc.name}"[:500]


def fees_ensure(*, dossier: Dossier) -> list[Fee]:
    """The dossier's fees, created on first use from the amount the catalogue had at receipt
    (`Dossier.fee_amount`). Idempotent and safe under concurrency (unique dossier + code)."""
    fees = list(Fee.objects.filter(dossier=dossier))
    if fees or _vnd(dossier.fee_amount) <= 0:
        return fees
    try:
        with transaction.atomic():
            fee = Fee.objects.create(dossier=dossier, code="catalogue", item=fee_item_name(dossier),
                                     amount=_vnd(dossier.fee_amount))
            audit_record(action="create", obj=fee, after=model_snapshot(fee), note="from the catalogue at receipt")
    except IntegrityError:
        pass  # created meanwhile
    return list(Fee.objects.filter(dossier=dossier))


def pay_before_processing(dossier: Dossier) -> bool:
    value = FeePolicy.objects.filter(procedure_id=dossier.procedure_id).values_list(
        "pay_before_processing", flat=True).first()
    return bool(_setting("CONGVU_PAYMENTS_PAY_BEFORE_PROCESSING_DEFAULT", False) if value is None else value)


def fee_policy_set(*, actor: Any = None, procedure: Any, pay_before_processing: bool) -> FeePolicy:
    _check(actor, procedure.competent_unit)
    with transaction.atomic():
        policy, _ = FeePolicy.objects.select_for_update().get_or_create(procedure=procedure)
        before = model_snapshot(policy)
        policy.pay_before_processing = pay_before_processing
        policy.save()
        audit_record(action="update", obj=policy, before=before, after=model_snapshot(policy), actor=actor)
    return policy


def payment_guard(dossier: Dossier) -> None:
    """Called by the one-stop services before a dossier leaves receipt (transfer): refuses while the
    procedure requires paying first and a fee is still due."""
    if not pay_before_processing(dossier):
        return
    if any(f.state == FeeState.DUE for f in fees_ensure(dossier=dossier)):
        raise DomainError("payment.awaiting", f"{AWAITING_MESSAGE}: hồ sơ {dossier.code} chưa thể chuyển xử lý.",
                          message_en="The dossier is awaiting payment of its fees.")


def fee_waive(*, actor: Any = None, fee: Fee, reason: str, expected_version: int | None = None) -> Fee:
    """Miễn phí, lệ phí (an officer's decision with its reason)."""
    if not clean(reason):
        raise DomainError("fee.waiver_reason_required", "Cần nêu lý do miễn phí, lệ phí.")
    expected = fee.version if expected_version is None else expected_version
    with transaction.atomic():
        f = Fee.objects.select_for_update().select_related("dossier__unit").get(pk=fee.pk)
        _check(actor, f.dossier)
        if f.version != expected:
            raise Conflict("fee.stale", "Khoản phí vừa được người khác cập nhật; hãy tải lại trang.",
                           message_en="The fee was changed by someone else; reload and retry.")
        if f.state != FeeState.DUE:
            raise DomainError("fee.not_due", "Chỉ miễn được khoản phí chưa nộp.")
        before = model_snapshot(f)
        f.state, f.waiver_reason, f.version = FeeState.WAIVED, clean(reason), f.version + 1
        f.save()
        audit_record(action="payment:waive", obj=f, before=before, after=model_snapshot(f), actor=actor,
                     note=clean(reason))
    return f


# ------------------------------------------------------------------------------------------------
# Receipts (biên lai điện tử)
# ------------------------------------------------------------------------------------------------


def receipt_series(day: dt.date) -> str:
    return f"{_setting('CONGVU_PAYMENTS_RECEIPT_SERIES_PREFIX', 'BL')}-{day.year}"


def receipt_number_allocate(*, series: str) -> int:
    """Next number of `series`: gapless (a rolled-back payment gives its number back) and unique
    under concurrency: the counter row stays locked until the caller's transaction ends."""
    with transaction.atomic():
        counter = ReceiptCounter.objects.select_for_update().filter(series=series).first()
        if counter is None:
            try:
                with transaction.atomic():
                    ReceiptCounter.objects.create(series=series, last_number=0)
            except IntegrityError:
                pass  # created meanwhile by a concurrent payment
            counter = ReceiptCounter.objects.select_for_update().get(series=series)
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
    return counter.last_number


def _receipt_issue(payment: Payment, fees: list[Fee], at: dt.datetime, actor: Any) -> EReceipt:
    series = receipt_series(timezone.localtime(at).date())
    receipt = EReceipt.objects.create(
        payment=payment, series=series, number=receipt_number_allocate(series=series),
        template_code=_setting("CONGVU_PAYMENTS_RECEIPT_TEMPLATE_CODE", ""), amount=payment.amount,
        payer_name=payment.payer_name, fee_item="; ".join(f.item for f in fees)[:1000] or "Phí, lệ phí",
        method=payment.method, issuer=payment.dossier.unit.name[:255], issued_at=at,
    )
    audit_record(action="create", obj=receipt, after=model_snapshot(receipt), actor=actor)
    return receipt


# ------------------------------------------------------------------------------------------------
# Success: fees, receipt, roll-up, notification
# ------------------------------------------------------------------------------------------------


def _rollup(dossier: Dossier, at: dt.datetime, *, count: int, amount: int) -> None:
    rollup_add(unit_id=dossier.unit_id, day=timezone.localtime(at).date(), payment_count=count,
               payment_amount=amount)


def _rollup_paid_online(p: Payment) -> None:
    """766 3.6 counts a fee-bearing dossier paid online once, on its day of receipt: the first online
    payment that succeeds adds 1 to `paid_online` (the dossier row is locked meanwhile)."""
    from congvu.onestop.services import dossier_counts

    d = Dossier.objects.select_for_update().only("unit_id", "procedure_id", "received_at", "state",
                                                 "receipt_refused", "fee_amount").get(pk=p.dossier_id)
    if not dossier_counts(d) or not d.fee_amount or d.fee_amount <= 0:
        return
    if Payment.objects.filter(dossier_id=d.pk, method=Method.ONLINE,
                              state__in=[PaymentState.SUCCEEDED, PaymentState.REFUNDED]).exclude(pk=p.pk).exists():
        return
    # also per procedure: 766 3.5 counts the fee-bearing procedures with an online payment
    rollup_add(unit_id=d.unit_id, day=timezone.localtime(d.received_at).date(), paid_online=1,
               **{procedure_counter("paid_online", d.procedure_id): 1})


def _notify_paid(dossier: Dossier) -> None:
    """`payment_received` through the one-stop notifier when it exists. A failing notifier must not
    lose a received payment: its savepoint rolls back alone and the error is logged."""
    try:
        from congvu.onestop.notify import dossier_notify
    except ImportError:
        return
    try:
        with transaction.atomic():
            dossier_notify(dossier, "payment_received")
    except Exception:  # noqa: BLE001 - see docstring
        log.exception("payment_received notification failed for %s", dossier.code)


def _succeed(p: Payment, *, at: dt.datetime, actor: Any, provider_ref: str = "", raw: dict | None = None) -> EReceipt:
    """Inside the caller's transaction, with `p` locked and pending."""
    fees = list(p.fees.select_for_update().order_by("pk"))
    already = [f for f in fees if f.state != FeeState.DUE]
    for f in fees:
        if f.state == FeeState.DUE:
            f.state, f.paid_at, f.version = FeeState.PAID, at, f.version + 1
            f.save(update_fields=["state", "paid_at", "version"])
    before = model_snapshot(p)
    p.state, p.paid_at, p.version = PaymentState.SUCCEEDED, at, p.version + 1
    if provider_ref:
        p.provider_ref = provider_ref[:128]
    if raw is not None:
        p.raw_callback = raw
    p.save()
    receipt = _receipt_issue(p, fees, at, actor)
    if p.method == Method.ONLINE:
        _rollup(p.dossier, at, count=1, amount=p.amount)
        _rollup_paid_online(p)
    excess = sum(f.amount for f in already)
    note = f"fees already settled: {[f.pk for f in already]}; {excess} đ refunded automatically" if already else ""
    audit_record(action="payment:succeed", obj=p, before=before, after=model_snapshot(p), actor=actor, note=note)
    # One-stop listeners (the national portal sync) learn of the payment in this transaction.
    hooks.dossier_changed(hooks.DossierChange(
        dossier=p.dossier, kind="payment", at=at, from_state=p.dossier.state, to_state=p.dossier.state,
        data={"transaction_id": p.transaction_id, "method": p.method, "amount": p.amount, "receipt": receipt.pk}))
    if excess:
        # Captured beyond what was due (the fee was paid meanwhile, by cash or another payment): the
        # receipt above records what was taken; the excess goes back once this transaction commits.
        log.warning("payment %s covers fees already settled on dossier %s: refunding %s", p.transaction_id,
                    p.dossier.code, excess)
        payment_id = p.pk
        transaction.on_commit(lambda: payment_excess_refund(payment_id=payment_id, amount=excess))
    _notify_paid(p.dossier)
    return receipt


EXCESS_REASON = "Tự động hoàn trả: khoản phí đã được nộp trước đó (thu vượt)."


def payment_excess_refund(*, payment_id: int, amount: int) -> Refund | None:
    """Refund an over-capture. A gateway failure leaves an audit entry for the officer to act on; the
    payment, its receipt and the refund trail stay as they are."""
    payment = Payment.objects.filter(pk=payment_id).first()
    if payment is None or amount <= 0:
        return None
    try:
        return payment_refund(actor=None, payment=payment, amount=min(amount, payment.refundable), reason=EXCESS_REASON,
                              fees_back=False)
    except DomainError as exc:
        log.error("automatic refund of %s đ on payment %s failed: %s", amount, payment.transaction_id, exc.message)
        audit_record(action="payment:refund_failed", obj=payment, note=f"{amount} đ: {exc.message}"[:255])
        return None


# ------------------------------------------------------------------------------------------------
# Online payment
# ------------------------------------------------------------------------------------------------


_NO_FEES_STATES = {State.STOPPED, State.WITHDRAWN, State.REFUSED}


def _open_for_payment(d: Dossier) -> None:
    """Fees are taken from receipt to the return of the result (often paid on collection), not on a
    dossier that was stopped, withdrawn or refused."""
    if d.state in _NO_FEES_STATES:
        raise DomainError("payment.dossier_closed",
                          f"Hồ sơ {d.code} đã kết thúc (\u201c{d.get_state_display()}\u201d), không thu phí.")


def payment_start(*, dossier: Dossier, provider: str | None = None, payer_name: str = "", actor: Any = None,
                  return_url: str = "", callback_url: str = "", at: dt.datetime | None = None,
                  ) -> tuple[Payment, StartResult]:
    """Open an online payment of the dossier's due fees and register it with the provider.

    Citizens start it through a signed link (no account), so no policy check here; the view checks
    the link token."""
    try:
        gateway = get_provider(provider)
    except KeyError as exc:
        raise DomainError("payment.provider_unknown", f"Không có cổng thanh toán \u201c{provider}\u201d.") from exc
    with transaction.atomic():
        d = Dossier.objects.select_for_update().select_related("procedure", "unit").get(pk=dossier.pk)
        _open_for_payment(d)
        due = [f for f in fees_ensure(dossier=d) if f.state == FeeState.DUE]
        if not due:
            raise DomainError("payment.nothing_due", f"Hồ sơ {d.code} không còn khoản phí, lệ phí nào phải nộp.")
        # One open payment per fee: a second start (double click, two tabs, a retry) continues the first.
        open_payment = (Payment.objects.filter(dossier=d, method=Method.ONLINE, state=PaymentState.PENDING,
                                               fees__in=due).order_by("pk").first())
        if open_payment is not None:
            p, reused = open_payment, True
        else:
            p, reused = None, False
    if reused:
        gateway = get_provider(p.provider) if p.provider in provider_settings() else gateway
        try:
            start = gateway.start(p, return_url=return_url.replace("{txn}", p.transaction_id),
                                  callback_url=callback_url)
        except ProviderError as exc:
            raise DomainError("payment.provider_error",
                              "Cổng thanh toán đang gặp sự cố; xin vui lòng thử lại sau.") from exc
        return p, start
    with transaction.atomic():
        d = Dossier.objects.select_for_update().select_related("procedure", "unit").get(pk=dossier.pk)
        due = [f for f in fees_ensure(dossier=d) if f.state == FeeState.DUE]
        if not due:
            raise DomainError("payment.nothing_due", f"Hồ sơ {d.code} không còn khoản phí, lệ phí nào phải nộp.")
        p = Payment.objects.create(
            dossier=d, method=Method.ONLINE, provider=gateway.key, transaction_id=uuid.uuid4().hex,
            amount=sum(f.amount for f in due), payer_name=clean(payer_name) or d.applicant_name,
            created_at=_aware(at), actor=_user(actor),
        )
        p.fees.set(due)
        audit_record(action="payment:start", obj=p, after=model_snapshot(p), actor=actor)
    try:
        start = gateway.start(p, return_url=return_url.replace("{txn}", p.transaction_id), callback_url=callback_url)
    except ProviderError as exc:
        Payment.objects.filter(pk=p.pk, state=PaymentState.PENDING).update(state=PaymentState.FAILED)
        log.error("payment %s: provider %s failed to start: %s", p.transaction_id, gateway.key, exc)
        raise DomainError("payment.provider_error",
                          "Cổng thanh toán đang gặp sự cố; xin vui lòng thử lại sau.") from exc
    return p, start


@dataclass(frozen=True)
class CallbackDecision:
    outcome: str  # CallbackOutcome
    reason: str = ""
    payment: Payment | None = None

    @property
    def ok(self) -> bool:
        return self.outcome != CallbackOutcome.REFUSED


class _Refuse(Exception):
    def __init__(self, reason: str, txn: str = ""):
        super().__init__(reason)
        self.reason, self.txn = reason, txn


def payment_callback_receive(*, provider: str, data: Mapping[str, Any], headers: Mapping[str, str] | None = None,
                             remote_addr: str = "", now: dt.datetime | None = None) -> CallbackDecision:
    """Verify and apply a gateway callback. Never raises for a bad callback: returns the decision.

    - signature checked by the provider, in constant time; a bad one is refused;
    - a transaction already settled (succeeded / failed / refunded) → `duplicate`, no second effect;
    - timestamp older (or newer) than CONGVU_PAYMENTS_CALLBACK_MAX_AGE seconds, a nonce already
      used, an unknown transaction or a different amount → refused;
    - every callback is written to `CallbackLog`; refusals also to the audit chain and the
      `congvu.payments.security` logger.
    """
    headers = headers or {}
    now = now or timezone.now()
    payload = {str(k): (v if isinstance(v, str | int | float | bool) or v is None else str(v))
               for k, v in dict(data).items()}
    txn = str(payload.get("transaction_id", ""))[:64]
    decision: CallbackDecision
    nonce = ""
    try:
        try:
            gateway = get_provider(provider)
        except KeyError as exc:
            raise _Refuse("unknown provider") from exc
        try:
            result = gateway.verify_callback(data, headers)
        except CallbackRejected as exc:
            raise _Refuse(exc.reason) from exc
        txn, nonce = result.transaction_id[:64], result.nonce[:80]
        with transaction.atomic():
            p = (Payment.objects.select_for_update().select_related("dossier__unit", "dossier__procedure")
                 .filter(transaction_id=result.transaction_id, provider=gateway.key).first())
            if p is None:
                raise _Refuse("unknown transaction", txn)
            if p.state != PaymentState.PENDING:
                decision = CallbackDecision(CallbackOutcome.DUPLICATE, f"already {p.state}", p)
            else:
                max_age = int(_setting("CONGVU_PAYMENTS_CALLBACK_MAX_AGE", 600))
                if abs(now.timestamp() - result.timestamp) > max_age:
                    raise _Refuse("stale timestamp", txn)
                try:
                    with transaction.atomic():
                        CallbackNonce.objects.create(provider=gateway.key, nonce=result.nonce, seen_at=now)
                except IntegrityError as exc:
                    raise _Refuse("nonce reused", txn) from exc
                if result.amount != p.amount:
                    raise _Refuse(f"amount {result.amount} differs from {p.amount}", txn)
                raw = {**result.raw, "received_at": now.isoformat()}
                if result.status == "succeeded":
                    _succeed(p, at=now, actor=None, provider_ref=result.provider_ref, raw=raw)
                else:
                    before = model_snapshot(p)
                    p.state, p.raw_callback, p.version = PaymentState.FAILED, raw, p.version + 1
                    p.provider_ref = result.provider_ref[:128]
                    p.save()
                    audit_record(action="payment:fail", obj=p, before=before, after=model_snapshot(p))
                decision = CallbackDecision(CallbackOutcome.ACCEPTED, result.status, p)
    except _Refuse as refusal:
        decision = CallbackDecision(CallbackOutcome.REFUSED, refusal.reason)
        security_log.warning("payment callback refused (%s): provider=%s txn=%s from %s", refusal.reason, provider,
                             txn, remote_addr or "?")
        audit_record(action="payment:callback_refused", object_type="payments.payment", object_id=txn,
                     after={"provider": provider, "payload": payload, "remote_addr": remote_addr},
                     note=refusal.reason[:255])
    CallbackLog.objects.create(provider=provider[:40], transaction_id=txn, nonce=nonce, outcome=decision.outcome,
                               reason=decision.reason[:255], payload=payload, remote_addr=remote_addr[:64],
                               received_at=now)
    return decision


# ------------------------------------------------------------------------------------------------
# Cash at the desk
# ------------------------------------------------------------------------------------------------


def payment_cash_record(*, actor: Any = None, dossier: Dossier, payer_name: str = "",
                        fees: Iterable[Fee] | None = None, at: dt.datetime | None = None) -> Payment:
    """An officer takes cash at the desk for the due fees (all, or `fees`) and issues the e-receipt."""
    at = _aware(at)
    with transaction.atomic():
        d = Dossier.objects.select_for_update().select_related("procedure", "unit").get(pk=dossier.pk)
        _check(actor, d)
        _open_for_payment(d)
        all_fees = fees_ensure(dossier=d)
        wanted = {f.pk for f in fees} if fees is not None else {f.pk for f in all_fees}
        due = list(Fee.objects.select_for_update().filter(pk__in=wanted, dossier=d, state=FeeState.DUE)
                   .order_by("pk"))
        if not due:
            raise DomainError("payment.nothing_due", f"Hồ sơ {d.code} không còn khoản phí, lệ phí nào phải nộp.")
        p = Payment.objects.create(
            dossier=d, method=Method.CASH, provider="", transaction_id=f"CASH-{uuid.uuid4().hex[:24]}",
            amount=sum(f.amount for f in due), payer_name=clean(payer_name) or d.applicant_name, created_at=at,
            actor=_user(actor),
        )
        p.fees.set(due)
        audit_record(action="payment:cash", obj=p, after=model_snapshot(p), actor=actor)
        _succeed(p, at=at, actor=actor)
    return p


# ------------------------------------------------------------------------------------------------
# Refunds
# ------------------------------------------------------------------------------------------------


def payment_refund(*, actor: Any = None, payment: Payment, amount: int, reason: str,
                   expected_version: int | None = None, at: dt.datetime | None = None,
                   fees_back: bool = True) -> Refund:
    """Give back part or all of a succeeded payment. Online payments go back through their provider.

    Figures: an online refund lowers `payment_amount` of the dossier's unit on the refund day;
    `payment_count` (payments made) does not change. A full refund marks the payment and its fees
    refunded."""
    at = _aware(at)
    amount = int(amount)
    if not clean(reason):
        raise DomainError("refund.reason_required", "Cần nêu lý do hoàn trả.")
    if amount <= 0:
        raise DomainError("refund.amount", "Số tiền hoàn trả phải lớn hơn 0.")
    expected = payment.version if expected_version is None else expected_version
    with transaction.atomic():
        p = Payment.objects.select_for_update().select_related("dossier__unit").get(pk=payment.pk)
        _check(actor, p.dossier)
        if p.version != expected:
            raise Conflict("payment.stale", "Giao dịch vừa được người khác cập nhật; hãy tải lại trang.",
                           message_en="The payment was changed by someone else; reload and retry.")
        if p.state != PaymentState.SUCCEEDED:
            raise DomainError("refund.not_paid", "Chỉ hoàn trả được giao dịch đã thanh toán thành công.")
        if amount > p.refundable:
            raise DomainError("refund.too_much", f"Số tiền hoàn trả vượt quá số còn lại ({p.refundable:,} đồng)."
                              .replace(",", "."))
        provider_ref = ""
        if p.method == Method.ONLINE:
            try:
                result = get_provider(p.provider).refund(p, amount)
            except (KeyError, ProviderError) as exc:
                raise DomainError("refund.provider_error", f"Cổng thanh toán không thực hiện được hoàn trả: {exc}"
                                  ) from exc
            if not result.ok:
                raise DomainError("refund.provider_refused", f"Cổng thanh toán từ chối hoàn trả: {result.message}")
            provider_ref = result.provider_ref
        before = model_snapshot(p)
        refund = Refund.objects.create(payment=p, amount=amount, reason=clean(reason), actor=_user(actor), at=at,
                                       provider_ref=provider_ref[:128])
        p.refunded_amount += amount
        p.version += 1
        if p.refunded_amount == p.amount:
            p.state = PaymentState.REFUNDED
        if p.state == PaymentState.REFUNDED and fees_back:
            p.fees.filter(state=FeeState.PAID).update(state=FeeState.REFUNDED, version=F("version") + 1)
        p.save()
        if p.method == Method.ONLINE:
            _rollup(p.dossier, at, count=0, amount=-amount)
        audit_record(action="payment:refund", obj=p, before=before, after=model_snapshot(p), actor=actor,
                     note=f"{amount} đ: {clean(reason)}")
    payment.__dict__.update({k: v for k, v in p.__dict__.items() if not k.startswith("_")})
    return refund
