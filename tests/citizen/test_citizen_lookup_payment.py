"""The public lookup shows the dossier's payment status (as payments decides it), the pay link while a
fee is due and the receipt links after payment, for one extra query; wrong pairs stay identical."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from congvu.citizen import selectors as sel
from congvu.onestop import services as s
from congvu.payments import links
from congvu.payments import selectors as pay
from congvu.payments import services as ps
from congvu.payments.models import Fee
from congvu.payments.providers import get_provider

pytestmark = pytest.mark.django_db

PHONE = "0905123456"


@pytest.fixture
def fee_procedure(db):
    field = s.field_get_or_create(code="HT", name="Hộ tịch")
    return s.procedure_create(code="1.000893", name="Đăng ký kết hôn có yếu tố nước ngoài", field=field,
                              level="commune", processing_time=5, online_level="full", fee_amount=50000,
                              fee_note="Lệ phí đăng ký kết hôn", steps=[{"name": "Thẩm định", "share": "1"}])


def receive(procedure, desk):
    return s.dossier_receive(procedure=procedure, unit=desk, applicant_name="Trần Thị Lan", channel="in_person",
                             received_at=timezone.now(), applicant_phone=PHONE)


def lookup(client, code, phone4="3456"):
    return client.post(reverse("citizen:lookup"), {"code": code, "phone4": phone4})


def pay_online(d):
    p, _start = ps.payment_start(dossier=d, return_url="http://x/{txn}", callback_url="http://x/cb")
    decision = ps.payment_callback_receive(provider=p.provider,
                                           data=get_provider(p.provider).build_callback(p, status="succeeded"))
    assert decision.ok
    p.refresh_from_db()
    return p


def test_awaiting_payment_shows_the_pay_button_then_paid_shows_the_receipt(client, fee_procedure, desk):
    d = receive(fee_procedure, desk)
    body = lookup(client, d.code).content.decode()
    assert "Chờ thanh toán phí, lệ phí" in body and "50.000 đồng" in body
    assert f'href="{links.pay_url(d.code)}"' in body and "Thanh toán trực tuyến" in body
    assert not Fee.objects.exists()  # the lookup only reads: fees are created on first use elsewhere

    p = pay_online(d)
    body = lookup(client, d.code).content.decode()
    assert "Đã thanh toán phí, lệ phí" in body and "Chờ thanh toán" not in body
    assert links.pay_url(d.code) not in body and "Thanh toán trực tuyến" not in body
    assert f'href="{links.receipt_url(p.receipt.pk)}"' in body
    assert client.get(links.receipt_url(p.receipt.pk)).status_code == 200


def test_no_fee_shows_nothing_about_payment(client, procedure, desk):
    d = receive(procedure, desk)
    body = lookup(client, d.code).content.decode()
    assert lookup(client, d.code).status_code == 200
    assert 'id="payment"' not in body and "thanh toán" not in body.lower()


@pytest.mark.parametrize("case", ["catalogue", "due_row", "paid", "waived", "refunded", "stopped"])
def test_same_status_as_the_payments_selector(fee_procedure, desk, case):
    d = receive(fee_procedure, desk)
    if case != "catalogue":
        fee = ps.fees_ensure(dossier=d)[0]
    if case == "paid":
        pay_online(d)
    elif case == "waived":
        ps.fee_waive(fee=fee, reason="Hộ nghèo")
    elif case == "refunded":
        p = pay_online(d)
        ps.payment_refund(payment=p, amount=p.amount, reason="Nộp nhầm", expected_version=p.version)
    elif case == "stopped":
        s.dossier_stop(dossier=d, reason="Người nộp đề nghị dừng")
    d.refresh_from_db()
    r = sel.lookup(d.code, "3456")
    expected = pay.dossier_payment_status(d)
    assert r.payment_status == ("" if expected == pay.NOT_REQUIRED else expected)
    assert bool(r.pay_url) == (expected == pay.AWAITING_PAYMENT and case != "stopped")
    assert bool(r.receipt_urls) == (case in ("paid", "refunded"))


def test_one_extra_query_and_none_without_the_payments_app(fee_procedure, desk, monkeypatch,
                                                             django_assert_num_queries):
    d = receive(fee_procedure, desk)
    pay_online(d)
    with django_assert_num_queries(1):  # one statement: dossier, fees, receipts, whether documents were reused
        r = sel.lookup(d.code, "3456")
    assert r.payment_status == pay.PAID and len(r.receipt_urls) == 1
    monkeypatch.setattr(sel, "_payments_installed", lambda: False)
    with django_assert_num_queries(1):  # the lookup statement
        r = sel.lookup(d.code, "3456")
    assert r.payment_status == "" and r.receipt_urls == []


def test_wrong_pair_still_identical_to_unknown_code(client, fee_procedure, desk):
    d = receive(fee_procedure, desk)
    pay_online(d)
    assert lookup(client, d.code).status_code == 200
    wrong, unknown = lookup(client, d.code, "0000"), lookup(client, d.code[:-4] + "9999")
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.content == unknown.content and dict(wrong.items()).keys() == dict(unknown.items()).keys()
