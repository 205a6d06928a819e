"""JSON API of the payments app, and the national platform adapter's own signing format."""

import datetime as dt
from urllib.parse import parse_qsl, urlsplit

import pytest

from congvu.api.models import ApiToken
from congvu.payments import links, services
from congvu.payments.providers import CallbackRejected, PaymentProvider, get_provider
from congvu.payments.providers.national import NationalPlatformProvider, canonical_string
from factories import make_unit, make_user_with_role


def auth(user):
    _, token = ApiToken.issue(user=user, name="payments")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_api_fees_start_callback_receipt_refund(client, procedure, receive, officer):
    d = receive(procedure)
    h = auth(officer)
    r = client.get(f"/api/payments/dossiers/{d.code}/fees", **h)
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "awaiting_payment" and body["fees"][0]["amount"] == 50000
    assert body["pay_url"] == links.pay_url(d.code)
    r = client.post(f"/api/payments/dossiers/{d.code}/payments", {"token": "bad"}, content_type="application/json")
    assert r.status_code == 403
    r = client.post(f"/api/payments/dossiers/{d.code}/payments", {"token": links.pay_token(d.code)},
                    content_type="application/json")
    assert r.status_code == 201, r.content
    txn = r.json()["transaction_id"]
    assert r.json()["redirect_url"] == f"/payments/demo-gateway/{txn}/"
    payment = services.Payment.objects.get(transaction_id=txn)
    data = get_provider("demo").build_callback(payment, status="succeeded")
    r = client.post("/api/payments/callback/demo", data)  # form-encoded, no auth, no CSRF
    assert r.status_code == 200 and r.json()["payment_state"] == "succeeded"
    body = client.get(f"/api/payments/dossiers/{d.code}/fees", **h).json()
    assert body["status"] == "paid"
    receipt = body["payments"][0]["receipt"]
    assert receipt["number"] == "0000001"
    r = client.get(f"/api/payments/receipts/{receipt['id']}/pdf", **h)
    assert r.status_code == 200 and r.content[:4] == b"%PDF"
    r = client.post(f"/api/payments/transactions/{txn}/refunds", {"amount": 10000, "reason": "Nộp thừa",
                                                                   "expected_version": 2},
                    content_type="application/json", **h)
    assert r.status_code == 201, r.content
    assert r.json()["refunded_amount"] == 10000
    outsider = make_user_with_role("onestop_officer", make_unit("Xã khác", kind="commune"))
    assert client.get(f"/api/payments/receipts/{receipt['id']}", **auth(outsider)).status_code == 403
    assert client.get(f"/api/payments/dossiers/{d.code}/fees").status_code == 401


def test_api_cash(client, procedure, receive, officer):
    d = receive(procedure)
    r = client.post(f"/api/payments/dossiers/{d.code}/cash", {"payer_name": "Lê Văn Tám"},
                    content_type="application/json", **auth(officer))
    assert r.status_code == 201, r.content
    assert r.json()["method"] == "cash" and r.json()["receipt"]["payer_name"] == "Lê Văn Tám"
    r = client.post(f"/api/payments/dossiers/{d.code}/cash", {}, content_type="application/json", **auth(officer))
    assert r.status_code == 400 and r.json()["code"] == "payment.nothing_due"


OPTIONS = {"endpoint": "https://pay.example.vn/pay", "merchant_code": "UBND51", "secret": "s3cret",
           "fields": {"status": "vnp_ResponseCode"}}


def test_national_adapter_signs_requests_and_verifies_callbacks(procedure, receive):
    provider = NationalPlatformProvider(options=OPTIONS)
    assert isinstance(provider, PaymentProvider)
    assert canonical_string({"b": "x y", "a": "1", "c": ""}) == "a=1&b=x%20y"
    d = receive(procedure)
    payment, _ = services.payment_start(dossier=d)
    when = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    fields = provider.build_start_fields(payment, return_url="https://x/r", callback_url="https://x/c", now=when,
                                         nonce="abc")
    assert fields["order_id"] == payment.transaction_id and fields["amount"] == "50000"
    assert fields["timestamp"] == "20260302163000"  # Vietnam time
    unsigned = {k: v for k, v in fields.items() if k != "secure_hash"}
    assert fields["secure_hash"] == provider.sign(unsigned)
    start = provider.start(payment, return_url="https://x/r", callback_url="https://x/c")
    assert start.url.startswith("https://pay.example.vn/pay?")
    assert dict(parse_qsl(urlsplit(start.url).query))["merchant_code"] == "UBND51"

    callback = provider.signed_request({"merchant_code": "UBND51", "transaction_id": payment.transaction_id,
                                        "amount": 50000, "status": "00", "nonce": "n1", "timestamp": "20260302163100",
                                        "provider_ref": "PG123"})
    assert "vnp_ResponseCode" in callback
    result = provider.verify_callback(callback, {})
    assert (result.status, result.amount, result.provider_ref) == ("succeeded", 50000, "PG123")
    callback["amount"] = "5000"
    with pytest.raises(CallbackRejected, match="bad signature"):
        provider.verify_callback(callback, {})
    with pytest.raises(CallbackRejected, match="missing signature"):
        provider.verify_callback({"order_id": "x"}, {})
