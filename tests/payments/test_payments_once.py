"""Issue 13: one open payment per fee; a capture beyond the fee is refunded automatically, with the
receipt trail intact."""

import json

import pytest

from congvu.audit.models import AuditEntry
from congvu.payments import services
from congvu.payments.models import EReceipt, Fee, Payment, Refund
from congvu.payments.providers import get_provider

pytestmark = pytest.mark.django_db(transaction=True)


def callback(client, payment):
    data = get_provider("demo").build_callback(payment, status="succeeded")
    return client.post("/api/payments/callback/demo", json.dumps(data), content_type="application/json")


def test_second_start_returns_the_first_open_payment(procedure, receive):
    d = receive(procedure)
    first, _ = services.payment_start(dossier=d)
    second, start = services.payment_start(dossier=d)
    assert second.pk == first.pk and first.transaction_id in start.url + json.dumps(start.fields)
    assert Payment.objects.filter(dossier=d).count() == 1


def test_a_failed_payment_does_not_block_a_new_one(client, procedure, receive):
    d = receive(procedure)
    first, _ = services.payment_start(dossier=d)
    data = get_provider("demo").build_callback(first, status="failed")
    client.post("/api/payments/callback/demo", json.dumps(data), content_type="application/json")
    second, _ = services.payment_start(dossier=d)
    assert second.pk != first.pk


def test_capture_beyond_the_fee_is_refunded_automatically(client, procedure, receive, officer):
    d = receive(procedure)
    online, _ = services.payment_start(dossier=d)
    services.payment_cash_record(actor=officer, dossier=d)  # paid at the desk meanwhile
    r = callback(client, online)  # ... and the citizen's card payment still goes through
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    online.refresh_from_db()
    assert online.state == "refunded" and online.refunded_amount == online.amount == 50000
    refund = Refund.objects.get(payment=online)
    assert refund.amount == 50000 and "thu vượt" in refund.reason
    assert EReceipt.objects.filter(payment__dossier=d).count() == 2  # both receipts kept: the trail is intact
    assert set(Fee.objects.filter(dossier=d).values_list("state", flat=True)) == {"paid"}  # the cash paid it
    assert AuditEntry.objects.filter(action="payment:refund", object_id=str(online.pk)).exists()


def test_refund_failure_leaves_a_trail_and_keeps_the_payment(client, procedure, receive, officer, monkeypatch):
    d = receive(procedure)
    online, _ = services.payment_start(dossier=d)
    services.payment_cash_record(actor=officer, dossier=d)
    from congvu.payments.providers import demo as demo_module

    def broken(self, payment, amount):
        raise services.ProviderError("gateway down")

    monkeypatch.setattr(demo_module.DemoProvider, "refund", broken)
    assert callback(client, online).json()["status"] == "accepted"
    online.refresh_from_db()
    assert online.state == "succeeded" and not Refund.objects.filter(payment=online).exists()
    assert AuditEntry.objects.filter(action="payment:refund_failed").exists()
