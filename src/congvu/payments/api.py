"""Payments endpoints (mounted at /api/payments by `congvu.api.core.autodiscover`).

- `GET  /dossiers/{code}/fees`                fees, status, payments (officer: dossier.view)
- `POST /dossiers/{code}/payments`            start an online payment (no account: the signed pay token)
- `POST /dossiers/{code}/cash`                cash at the desk → e-receipt (dossier.process)
- `POST /callback/{provider}`                 gateway callback: no auth, the signature is the proof
- `GET  /receipts/{id}` · `/receipts/{id}/pdf` an e-receipt (dossier.view)
- `POST /transactions/{transaction_id}/refunds` partial or full refund (dossier.process)
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from ninja import Field, Router, Schema

from congvu.api.schemas import ERRORS_READ, ERRORS_WRITE, ErrorOut
from congvu.common.errors import NotAllowed
from congvu.onestop.models import Dossier
from congvu.org import policy
from congvu.org.roles import Action
from congvu.payments import links, selectors, services
from congvu.payments.models import Payment
from congvu.payments.providers import get_provider

router = Router(tags=["payments"])


class FeeOut(Schema):
    id: int | None
    item: str
    amount: int
    state: str


class ReceiptOut(Schema):
    id: int
    series: str
    number: str
    amount: int
    payer_name: str
    fee_item: str
    method: str
    issued_at: dt.datetime
    url: str
    pdf_url: str


class PaymentOut(Schema):
    transaction_id: str
    method: str
    provider: str
    amount: int
    refunded_amount: int
    state: str
    payer_name: str
    created_at: dt.datetime
    paid_at: dt.datetime | None
    version: int
    receipt: ReceiptOut | None


class FeesOut(Schema):
    dossier: str
    status: str = Field(description="awaiting_payment | paid | not_required")
    status_label: str
    blocks_processing: bool
    pay_url: str
    fees: list[FeeOut]
    payments: list[PaymentOut]


class StartIn(Schema):
    token: str = Field(description="The signed token of the pay link (`/payments/pay/<code>/<token>/`)")
    payer_name: str = ""


class StartOut(Schema):
    transaction_id: str
    amount: int
    redirect_url: str
    method: str
    fields: dict[str, str]


class CashIn(Schema):
    payer_name: str = ""


class RefundIn(Schema):
    amount: int
    reason: str
    expected_version: int | None = None


class RefundOut(Schema):
    transaction_id: str
    amount: int
    reason: str
    at: dt.datetime
    payment_state: str
    refunded_amount: int


def _receipt(p: Payment) -> dict[str, Any] | None:
    r = getattr(p, "receipt", None)
    if r is None:
        return None
    return {"id": r.pk, "series": r.series, "number": r.number_display, "amount": r.amount,
            "payer_name": r.payer_name, "fee_item": r.fee_item, "method": r.method, "issued_at": r.issued_at,
            "url": links.receipt_url(r.pk), "pdf_url": links.receipt_url(r.pk, "pdf")}


def _payment(p: Payment) -> dict[str, Any]:
    return {"transaction_id": p.transaction_id, "method": p.method, "provider": p.provider, "amount": p.amount,
            "refunded_amount": p.refunded_amount, "state": p.state, "payer_name": p.payer_name,
            "created_at": p.created_at, "paid_at": p.paid_at, "version": p.version, "receipt": _receipt(p)}


def _dossier(request: HttpRequest, code: str, action: Action = Action.DOSSIER_VIEW):
    d = Dossier.objects.select_related("procedure", "unit").filter(code=code).first()
    if d is None:
        raise Http404
    policy.require_found(request.auth, action, d, view_action=Action.DOSSIER_VIEW)  # out of scope = not found
    return d


@router.get("/dossiers/{code}/fees", response={200: FeesOut, **ERRORS_READ}, summary="Fees and payments of a dossier")
def fees(request: HttpRequest, code: str) -> tuple[int, dict[str, Any]]:
    d = _dossier(request, code)
    status = selectors.dossier_payment_status(d)
    return 200, {
        "dossier": d.code, "status": status, "status_label": selectors.STATUS_LABELS[status],
        "blocks_processing": selectors.payment_blocks(d), "pay_url": links.pay_url(d.code),
        "fees": [{"id": f.pk, "item": f.item, "amount": f.amount, "state": f.state} for f in selectors.dossier_fees(d)],
        "payments": [_payment(p) for p in selectors.dossier_payments(d)],
    }


@router.post("/dossiers/{code}/payments", auth=None, response={201: StartOut, **ERRORS_WRITE},
             summary="Start an online payment (citizen, with the pay link's token)")
def start_payment(request: HttpRequest, code: str, payload: StartIn) -> tuple[int, dict[str, Any]]:
    if not links.pay_token_ok(code, payload.token):
        raise NotAllowed("payment.token_invalid", "Đường dẫn thanh toán không hợp lệ.",
                         message_en="Invalid payment link token.")
    d = selectors.dossier_by_code(code)
    key = get_provider().key
    p, start = services.payment_start(
        dossier=d, payer_name=payload.payer_name,
        return_url=request.build_absolute_uri(reverse("payments:return", args=["TXN"])).replace("TXN", "{txn}"),
        callback_url=request.build_absolute_uri(reverse("api:payments_callback", kwargs={"provider": key})),
    )
    return 201, {"transaction_id": p.transaction_id, "amount": p.amount, "redirect_url": start.url,
                 "method": start.method, "fields": start.fields}


@router.post("/dossiers/{code}/cash", response={201: PaymentOut, **ERRORS_WRITE},
             summary="Record a cash payment at the desk and issue the e-receipt")
def cash(request: HttpRequest, code: str, payload: CashIn) -> tuple[int, dict[str, Any]]:
    d = _dossier(request, code, Action.DOSSIER_PROCESS)
    p = services.payment_cash_record(actor=request.auth, dossier=d, payer_name=payload.payer_name)
    return 201, _payment(Payment.objects.select_related("receipt").get(pk=p.pk))


@router.post("/callback/{provider}", auth=None, url_name="payments_callback",
             response={200: dict[str, Any], 400: ErrorOut},
             summary="Gateway callback (IPN): signature-verified, idempotent")
def callback(request: HttpRequest, provider: str) -> HttpResponse:
    if (request.content_type or "").startswith("application/json"):
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            data = None
        if not isinstance(data, dict):
            data = {"_malformed": True}
    else:
        data = request.POST.dict()
    decision = services.payment_callback_receive(provider=provider, data=data, headers=request.headers,
                                                 remote_addr=request.META.get("REMOTE_ADDR", ""))
    if not decision.ok:
        return JsonResponse({"code": "payment.callback_refused", "message": "Phản hồi thanh toán không hợp lệ.",
                             "message_en": "Callback refused.", "details": {"reason": decision.reason}}, status=400)
    return JsonResponse({"status": decision.outcome, "transaction_id": decision.payment.transaction_id,
                         "payment_state": decision.payment.state})


def _receipt_for(request: HttpRequest, receipt_id: int):
    r = selectors.receipt_get(receipt_id)
    policy.require(request.auth, Action.DOSSIER_VIEW, r.payment.dossier)
    return r


@router.get("/receipts/{receipt_id}", response={200: ReceiptOut, **ERRORS_READ}, summary="An e-receipt")
def receipt(request: HttpRequest, receipt_id: int) -> tuple[int, dict[str, Any]]:
    return 200, _receipt(_receipt_for(request, receipt_id).payment)


@router.get("/receipts/{receipt_id}/pdf", response={200: None, **ERRORS_READ}, summary="An e-receipt as PDF")
def receipt_pdf(request: HttpRequest, receipt_id: int) -> HttpResponse:
    from congvu.payments.views import receipt_pdf as pdf_view

    r = _receipt_for(request, receipt_id)
    return pdf_view(request, r.pk, links.receipt_token(r.pk))


@router.post("/transactions/{transaction_id}/refunds", response={201: RefundOut, **ERRORS_WRITE},
             summary="Refund part or all of a payment")
def refund(request: HttpRequest, transaction_id: str, payload: RefundIn) -> tuple[int, dict[str, Any]]:
    p = selectors.payment_by_transaction(transaction_id)
    policy.require(request.auth, Action.DOSSIER_PROCESS, p.dossier)
    rf = services.payment_refund(actor=request.auth, payment=p, amount=payload.amount, reason=payload.reason,
                                 expected_version=payload.expected_version)
    return 201, {"transaction_id": p.transaction_id, "amount": rf.amount, "reason": rf.reason, "at": rf.at,
                 "payment_state": p.state, "refunded_amount": p.refunded_amount}
