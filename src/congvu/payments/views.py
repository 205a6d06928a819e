"""Pages of the payments app: the citizen's payment page (signed link), the demo gateway, the
return page, the e-receipt (printable HTML and PDF) and the officer's fee desk of a dossier."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from congvu.common.errors import DomainError
from congvu.org.policy import decide, require
from congvu.org.roles import Action
from congvu.payments import links, selectors, services
from congvu.payments.models import Fee, Payment, PaymentState
from congvu.payments.providers import get_provider
from congvu.payments.providers.demo import DemoProvider


def _site(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def _dossier_or_404(code: str):
    try:
        return selectors.dossier_by_code(code)
    except DomainError as exc:
        raise Http404(code) from exc


def _context(dossier) -> dict:
    fees = selectors.dossier_fees(dossier)
    payments = list(selectors.dossier_payments(dossier)) if dossier.pk else []
    status = selectors.dossier_payment_status(dossier)
    return {
        "dossier": dossier, "fees": fees, "payments": payments, "status": status,
        "status_label": selectors.STATUS_LABELS[status], "blocks": selectors.payment_blocks(dossier),
        "total_due": sum(f.amount for f in fees if f.state == "due"),
        "receipts": [(p.receipt, links.receipt_url(p.receipt.pk), links.receipt_url(p.receipt.pk, "pdf"))
                     for p in payments if hasattr(p, "receipt")],
    }


@require_http_methods(["GET", "POST"])
def pay(request: HttpRequest, code: str, token: str) -> HttpResponse:
    """Citizen: fees of the dossier and the "Thanh toán trực tuyến" button (link from the lookup page)."""
    if not links.pay_token_ok(code, token):
        raise Http404(code)
    dossier = _dossier_or_404(code)
    if request.method == "POST":
        try:
            payment, start = services.payment_start(
                dossier=dossier, payer_name=request.POST.get("payer_name", ""),
                return_url=_site(request, reverse("payments:return", args=["TXN"])).replace("TXN", "{txn}"),
                callback_url=_site(request, reverse("api:payments_callback",
                                                    kwargs={"provider": get_provider().key})),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("payments:pay", code, token)
        if start.method.upper() == "POST":
            return render(request, "payments/autopost.html", {"start": start})
        return redirect(start.url)
    return render(request, "payments/pay.html", {**_context(dossier), "token": token,
                                                 "provider": get_provider().label})


@require_http_methods(["GET", "POST"])
def demo_gateway(request: HttpRequest, txn: str) -> HttpResponse:
    """The fake gateway of the demo provider: "Thanh toán" posts a signed success callback,
    "Hủy" a signed failure; then the payer returns to congvu."""
    payment = Payment.objects.select_related("dossier__unit").filter(transaction_id=txn).first()
    if payment is None:
        raise Http404(txn)
    try:
        provider = get_provider(payment.provider)
    except KeyError as exc:
        raise Http404(txn) from exc
    if not isinstance(provider, DemoProvider):
        raise Http404(txn)
    if request.method == "POST" and payment.state == PaymentState.PENDING:
        status = "succeeded" if request.POST.get("action") == "pay" else "failed"
        # Server-to-server notification, as a real gateway's IPN: same code path as the API endpoint.
        services.payment_callback_receive(provider=payment.provider,
                                          data=provider.build_callback(payment, status=status),
                                          remote_addr="demo-gateway")
        return redirect("payments:return", txn)
    return render(request, "payments/demo_gateway.html", {"payment": payment, "provider": provider})


def payment_return(request: HttpRequest, txn: str) -> HttpResponse:
    """Where the gateway sends the payer back (the transaction id is a random 128-bit value)."""
    payment = Payment.objects.select_related("dossier").filter(transaction_id=txn).first()
    if payment is None:
        raise Http404(txn)
    receipt = getattr(payment, "receipt", None)
    return render(request, "payments/return.html", {
        "payment": payment, "receipt": receipt,
        "receipt_url": links.receipt_url(receipt.pk) if receipt else "",
        "pay_url": links.pay_url(payment.dossier.code),
    })


def _receipt_context(receipt_id: int, token: str) -> dict:
    if not links.receipt_token_ok(receipt_id, token):
        raise Http404(receipt_id)
    try:
        receipt = selectors.receipt_get(receipt_id)
    except DomainError as exc:
        raise Http404(receipt_id) from exc
    return {"r": receipt, "dossier": receipt.payment.dossier, "refunds": list(receipt.payment.refunds.all()),
            "pdf_url": links.receipt_url(receipt.pk, "pdf"),
            "site": getattr(settings, "CONGVU_SITE_URL", "")}


def receipt(request: HttpRequest, receipt_id: int, token: str) -> HttpResponse:
    return render(request, "payments/receipt.html", _receipt_context(receipt_id, token))


def receipt_pdf_bytes(context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string("payments/receipt.html", {**context, "for_pdf": True})
    return HTML(string=html).write_pdf()


def receipt_pdf(request: HttpRequest, receipt_id: int, token: str) -> HttpResponse:
    context = _receipt_context(receipt_id, token)
    r = context["r"]
    response = HttpResponse(receipt_pdf_bytes(context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-lai-{r.series}-{r.number_display}.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def desk(request: HttpRequest, code: str) -> HttpResponse:
    """Officer: fees of a dossier, cash payment, waivers, refunds."""
    dossier = _dossier_or_404(code)
    require(request.user, Action.DOSSIER_VIEW, dossier)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "cash":
                services.payment_cash_record(actor=request.user, dossier=dossier,
                                             payer_name=request.POST.get("payer_name", ""))
                messages.success(request, "Đã ghi nhận nộp tiền mặt và lập biên lai điện tử.")
            elif action == "refund":
                payment = Payment.objects.get(pk=request.POST.get("payment") or 0, dossier=dossier)
                services.payment_refund(actor=request.user, payment=payment,
                                        amount=_int(request.POST.get("amount")), reason=request.POST.get("reason", ""),
                                        expected_version=_int(request.POST.get("version")))
                messages.success(request, "Đã hoàn trả.")
            elif action == "waive":
                fee = Fee.objects.get(pk=request.POST.get("fee") or 0, dossier=dossier)
                services.fee_waive(actor=request.user, fee=fee, reason=request.POST.get("reason", ""),
                                   expected_version=_int(request.POST.get("version")))
                messages.success(request, "Đã miễn khoản phí.")
        except (Payment.DoesNotExist, Fee.DoesNotExist) as exc:
            raise Http404(code) from exc
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("payments:desk", code)
    return render(request, "payments/desk.html", {
        **_context(dossier), "pay_url": links.pay_url(dossier.code),
        "can_process": decide(request.user, Action.DOSSIER_PROCESS, dossier).allowed,
    })


def _int(value: str | None) -> int:
    try:
        return int(str(value).replace(".", "").replace(",", "").strip())
    except (TypeError, ValueError):
        return 0
