"""Fees from the catalogue, the online flow through the demo gateway, callbacks (forged, replayed,
stale, reused nonce), cash at the desk, refunds, receipt numbers, the awaiting-payment guard."""

import json
import logging

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from congvu.audit.models import AuditEntry
from congvu.common.errors import Conflict, DomainError, NotAllowed
from congvu.onestop import services as os_services
from congvu.onestop.models import DailyRollup
from congvu.onestop.selectors import onestop_stats, onestop_stats_from_rows
from congvu.payments import links, selectors, services
from congvu.payments.models import CallbackLog, EReceipt, Fee, Payment
from congvu.payments.providers import get_provider
from factories import make_unit, make_user_with_role

CALLBACK = "/api/payments/callback/demo"


def today():
    return timezone.localdate()


def rollup(unit):
    row = DailyRollup.objects.filter(unit=unit, day=today()).first()
    return (row.payment_count, int(row.payment_amount)) if row else (0, 0)


def post_callback(client, data):
    return client.post(CALLBACK, json.dumps(data), content_type="application/json")


def start(dossier):
    payment, _ = services.payment_start(dossier=dossier)
    return payment


# ------------------------------------------------------------------------------------------------


def test_fees_come_from_the_catalogue_at_receipt(procedure, free_procedure, receive):
    d = receive(procedure)
    assert selectors.dossier_payment_status(d) == "awaiting_payment"  # before any fee row exists
    procedure.fee_amount = 80000  # the catalogue changes after receipt: the dossier keeps its amount
    procedure.save()
    fees = services.fees_ensure(dossier=d)
    assert [(f.item, f.amount, f.state) for f in fees] == [("Lệ phí đăng ký kết hôn", 50000, "due")]
    assert services.fees_ensure(dossier=d) == fees  # idempotent
    assert selectors.dossier_payment_status(receive(free_procedure)) == "not_required"


def test_online_payment_through_the_demo_gateway(client, procedure, receive, desk):
    d = receive(procedure)
    url = links.pay_url(d.code)
    assert url == f"/payments/pay/{d.code}/{links.pay_token(d.code)}/"
    assert client.get(f"/payments/pay/{d.code}/forged-token/").status_code == 404
    page = client.get(url)
    assert page.status_code == 200 and "Thanh toán trực tuyến" in page.content.decode()
    assert "50.000" in page.content.decode()

    r = client.post(url, {"payer_name": "Trần Thị Lan"})
    assert r.status_code == 302 and r["Location"].startswith("/payments/demo-gateway/")
    gateway = client.get(r["Location"])
    html = gateway.content.decode()
    assert gateway.status_code == 200 and ">Thanh toán</button>" in html and ">Hủy</button>" in html

    r = client.post(r["Location"], {"action": "pay"})
    assert r.status_code == 302 and r["Location"].startswith("/payments/return/")
    p = Payment.objects.get(dossier=d)
    assert p.state == "succeeded" and p.method == "online" and p.provider == "demo" and p.paid_at
    assert p.raw_callback["status"] == "succeeded" and p.provider_ref.startswith("DEMO")
    assert Fee.objects.get(dossier=d).state == "paid"
    receipt = EReceipt.objects.get(payment=p)
    assert (receipt.series, receipt.number, receipt.amount) == (f"BL-{today().year}", 1, 50000)
    assert receipt.payer_name == "Trần Thị Lan" and receipt.fee_item == "Lệ phí đăng ký kết hôn"
    assert selectors.dossier_payment_status(d) == "paid"
    assert "Thành công" in client.get(r["Location"]).content.decode()
    assert CallbackLog.objects.get(transaction_id=p.transaction_id).outcome == "accepted"

    # live figures: roll-up, the same from rows, and the CLI
    assert rollup(desk) == (1, 50000)
    stats = onestop_stats(unit=desk, date_from=today(), date_to=today())
    assert (stats["payment_count"], stats["payment_amount"]) == (1, 50000)
    rows = onestop_stats_from_rows(unit=desk, date_from=today(), date_to=today())
    assert (rows["payment_count"], rows["payment_amount"]) == (1, 50000)
    out = []

    class Out:
        def write(self, text):
            out.append(text)

    call_command("onestop", "stats", "--unit", desk.code, "--from", today().isoformat(), "--to",
                 today().isoformat(), "--json", stdout=Out())
    figures = json.loads("".join(out))
    assert figures["payment_count"] == 1 and figures["payment_amount"] == 50000
    os_services.onestop_rollups_rebuild()  # a rebuild keeps the payment counters
    assert rollup(desk) == (1, 50000)

    # printable receipt and PDF
    html = client.get(links.receipt_url(receipt.pk)).content.decode()
    assert "BIÊN LAI THU PHÍ, LỆ PHÍ" in html and "0000001" in html and "Năm mươi nghìn đồng" in html
    assert client.get(links.receipt_url(receipt.pk).replace(links.receipt_token(receipt.pk), "x")).status_code == 404
    pdf = client.get(links.receipt_url(receipt.pk, "pdf"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"


def test_cancel_at_the_gateway_leaves_the_fee_due(client, procedure, receive):
    d = receive(procedure)
    p = start(d)
    client.post(f"/payments/demo-gateway/{p.transaction_id}/", {"action": "cancel"})
    p.refresh_from_db()
    assert p.state == "failed" and not EReceipt.objects.exists()
    assert selectors.dossier_payment_status(d) == "awaiting_payment"


def test_forged_callback_is_refused_and_logged(client, procedure, receive, desk, caplog):
    d = receive(procedure)
    p = start(d)
    demo = get_provider("demo")
    forged = demo.build_callback(p, status="succeeded")
    forged["signature"] = "0" * 64
    with caplog.at_level(logging.WARNING, logger="congvu.payments.security"):
        r = post_callback(client, forged)
    assert r.status_code == 400 and r.json()["code"] == "payment.callback_refused"
    assert r.json()["details"]["reason"] == "bad signature"
    assert "bad signature" in caplog.text
    tampered = demo.build_callback(p, status="succeeded")
    tampered["amount"] = "1000"  # signed for 50000
    assert post_callback(client, tampered).status_code == 400
    unsigned = {k: v for k, v in demo.build_callback(p, status="succeeded").items() if k != "signature"}
    assert client.post(CALLBACK, unsigned).status_code == 400  # form-encoded too
    assert client.post(CALLBACK, "not json", content_type="application/json").status_code == 400
    p.refresh_from_db()
    assert p.state == "pending" and not EReceipt.objects.exists() and rollup(desk) == (0, 0)
    assert CallbackLog.objects.filter(outcome="refused").count() == 4
    refused = AuditEntry.objects.filter(action="payment:callback_refused")
    assert refused.count() == 4 and refused.filter(object_id=p.transaction_id, note="bad signature").exists()


def test_replayed_callback_has_no_second_effect(client, procedure, receive, desk):
    p = start(receive(procedure))
    data = get_provider("demo").build_callback(p, status="succeeded")
    first = post_callback(client, data)
    assert first.status_code == 200 and first.json()["status"] == "accepted"
    again = post_callback(client, data)
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    later = get_provider("demo").build_callback(p, status="failed")  # fresh nonce, already settled
    assert post_callback(client, later).json()["status"] == "duplicate"
    p.refresh_from_db()
    assert p.state == "succeeded" and EReceipt.objects.count() == 1 and rollup(desk) == (1, 50000)


def test_stale_timestamp_and_reused_nonce_are_refused(client, procedure, receive, settings):
    settings.CONGVU_PAYMENTS_CALLBACK_MAX_AGE = 300
    demo = get_provider("demo")
    p1, p2 = start(receive(procedure)), start(receive(procedure))
    stale = demo.build_callback(p1, status="succeeded", timestamp=int(timezone.now().timestamp()) - 3600)
    r = post_callback(client, stale)
    assert r.status_code == 400 and r.json()["details"]["reason"] == "stale timestamp"
    p1.refresh_from_db()
    assert p1.state == "pending"
    assert post_callback(client, demo.build_callback(p1, status="succeeded", nonce="n-1")).status_code == 200
    r = post_callback(client, demo.build_callback(p2, status="succeeded", nonce="n-1"))
    assert r.status_code == 400 and r.json()["details"]["reason"] == "nonce reused"
    unknown = demo.build_callback(Payment(transaction_id="f" * 32, amount=50000), status="succeeded")
    assert post_callback(client, unknown).json()["details"]["reason"] == "unknown transaction"
    p2.refresh_from_db()
    assert p2.state == "pending"


def test_cash_at_the_desk(client, procedure, receive, desk, officer):
    d = receive(procedure)
    outsider = make_user_with_role("onestop_officer", make_unit("Xã khác", kind="commune"))
    with pytest.raises(NotAllowed):
        services.payment_cash_record(actor=outsider, dossier=d)
    client.force_login(officer)
    page = client.get(f"/payments/desk/{d.code}/")
    assert page.status_code == 200 and "Chờ thanh toán" in page.content.decode()
    r = client.post(f"/payments/desk/{d.code}/", {"action": "cash", "payer_name": "Trần Văn Bình"})
    assert r.status_code == 302
    p = Payment.objects.get(dossier=d)
    assert p.method == "cash" and p.state == "succeeded" and p.actor == officer
    assert p.receipt.number == 1 and p.receipt.payer_name == "Trần Văn Bình" and p.receipt.method == "cash"
    assert rollup(desk) == (0, 0)  # the figures count online payments (766 indicator 3.6)
    with pytest.raises(DomainError) as err:
        services.payment_cash_record(actor=officer, dossier=d)
    assert err.value.code == "payment.nothing_due"
    assert AuditEntry.objects.filter(action="payment:cash", actor=officer).exists()


def test_partial_then_full_refund(client, procedure, receive, desk, officer):
    d = receive(procedure)
    p = start(d)
    post_callback(client, get_provider("demo").build_callback(p, status="succeeded"))
    p.refresh_from_db()
    version = p.version
    services.payment_refund(actor=officer, payment=p, amount=20000, reason="Nộp thừa", expected_version=version)
    assert (p.state, p.refunded_amount) == ("succeeded", 20000)
    assert rollup(desk) == (1, 30000)  # refunds lower the amount on the refund day; the count stays
    with pytest.raises(Conflict):
        services.payment_refund(actor=officer, payment=p, amount=1000, reason="x", expected_version=version)
    with pytest.raises(DomainError) as err:
        services.payment_refund(actor=officer, payment=p, amount=40000, reason="Quá số")
    assert err.value.code == "refund.too_much"
    client.force_login(officer)
    r = client.post(f"/payments/desk/{d.code}/", {"action": "refund", "payment": p.pk, "amount": "30.000",
                                                  "reason": "Công dân rút hồ sơ", "version": p.version})
    assert r.status_code == 302
    p.refresh_from_db()
    assert (p.state, p.refunded_amount, p.refunds.count()) == ("refunded", 50000, 2)
    assert Fee.objects.get(dossier=d).state == "refunded"
    assert rollup(desk) == (1, 0)
    rows = onestop_stats_from_rows(unit=desk, date_from=today(), date_to=today())
    assert (rows["payment_count"], rows["payment_amount"]) == (1, 0)
    assert AuditEntry.objects.filter(action="payment:refund").count() == 2


def test_receipt_numbers_are_gapless_per_series(procedure, receive, officer):
    numbers = []
    for i in range(3):
        numbers.append(services.payment_cash_record(actor=officer, dossier=receive(procedure)).receipt.number)
        if i == 1:  # a payment rolled back after taking a number gives it back
            with pytest.raises(RuntimeError), transaction.atomic():
                services.payment_cash_record(actor=officer, dossier=receive(procedure))
                raise RuntimeError("printer jam")
    assert numbers == [1, 2, 3]
    assert services.receipt_number_allocate(series="BL-2099") == 1
    assert services.receipt_number_allocate(series=f"BL-{today().year}") == 4


def test_awaiting_payment_guard_blocks_transfer_until_paid(procedure, free_procedure, receive, officer):
    services.fee_policy_set(procedure=procedure, pay_before_processing=True)
    d = receive(procedure)
    assert selectors.payment_blocks(d)
    with pytest.raises(DomainError) as err:
        os_services.dossier_transfer(actor=officer, dossier=d)
    assert err.value.code == "payment.awaiting" and "Hồ sơ đang chờ thanh toán phí, lệ phí" in err.value.message
    d.refresh_from_db()
    assert d.state == "received" and d.version == 1
    services.payment_cash_record(actor=officer, dossier=d)
    assert not selectors.payment_blocks(d)
    os_services.dossier_transfer(actor=officer, dossier=d)
    assert d.state == "transferred"
    # without the policy (and for free procedures) processing never waits
    other = receive(procedure)
    services.fee_policy_set(procedure=procedure, pay_before_processing=False)
    os_services.dossier_transfer(dossier=other)
    assert other.state == "transferred"
    free = receive(free_procedure)
    os_services.dossier_transfer(dossier=free)


def test_waiver(procedure, receive, officer):
    d = receive(procedure)
    fee = services.fees_ensure(dossier=d)[0]
    with pytest.raises(DomainError):
        services.fee_waive(actor=officer, fee=fee, reason=" ")
    services.fee_waive(actor=officer, fee=fee, reason="Người có công với cách mạng", expected_version=1)
    assert selectors.dossier_payment_status(d) == "not_required"
    with pytest.raises(Conflict):
        services.fee_waive(actor=officer, fee=fee, reason="lại", expected_version=1)
