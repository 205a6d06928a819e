"""Adapter skeleton for the national payment platform (Nền tảng thanh toán trực tuyến, DVCQG /
PayGov). Everything this module does not know for certain is configuration: the platform's field
names, status codes, signing algorithm, amount scale and timestamp format MUST be confirmed against
the platform's integration documents before use (see docs/payments.md).

Own documented canonical format (what this adapter signs and verifies):

1. take the fields to sign (request: every field sent except the signature; callback: every field
   received except the signature field),
2. drop empty values, sort by field name (byte order),
3. join as `name=value` with "&", values percent-encoded (RFC 3986, UTF-8, space as %20),
4. HMAC with the shared secret (`algorithm`: sha256 by default, or sha512), lower-case hex.

Options (CONGVU_PAYMENTS_PROVIDERS["national"]):
    endpoint          payer redirect URL (start)              e.g. https://.../payment
    refund_endpoint   server-to-server refund URL (POST JSON)
    merchant_code     our merchant / agency code on the platform
    secret            shared HMAC secret
    algorithm         "sha256" | "sha512"
    fields            our name -> platform field name (see DEFAULT_FIELDS)
    success_codes     status values meaning "paid" (default ["00"])
    amount_scale      platform amount = đồng × scale (default 1)
    timestamp_format  "unix" or a strftime pattern (default "%Y%m%d%H%M%S", Vietnam time)
    timeout           seconds for server-to-server calls (default 15)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import urllib.request
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from congvu.payments.providers import (
    CallbackRejected,
    CallbackResult,
    ProviderError,
    RefundResult,
    StartResult,
    signature_ok,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")

# Our names → the platform's. Placeholders to be confirmed: override them in settings.
DEFAULT_FIELDS = {
    "merchant_code": "merchant_code",
    "transaction_id": "order_id",
    "amount": "amount",
    "currency": "currency",
    "order_info": "order_info",
    "return_url": "return_url",
    "notify_url": "notify_url",
    "timestamp": "timestamp",
    "nonce": "nonce",
    "status": "response_code",
    "provider_ref": "transaction_no",
    "signature": "secure_hash",
    "refund_amount": "refund_amount",
    "reason": "reason",
}


def canonical_string(data: Mapping[str, Any]) -> str:
    items = sorted((str(k), str(v)) for k, v in data.items() if v is not None and str(v) != "")
    return "&".join(f"{k}={quote(v, safe='')}" for k, v in items)


class NationalPlatformProvider:
    label = "Nền tảng thanh toán trực tuyến quốc gia"

    def __init__(self, *, key: str = "national", options: Mapping[str, Any] | None = None):
        self.key = key
        o = dict(options or {})
        self.endpoint = o.get("endpoint", "")
        self.refund_endpoint = o.get("refund_endpoint", "")
        self.merchant_code = o.get("merchant_code", "")
        self.secret = str(o.get("secret") or "")
        self.algorithm = o.get("algorithm", "sha256")
        self.fields = {**DEFAULT_FIELDS, **(o.get("fields") or {})}
        self.success_codes = {str(c) for c in o.get("success_codes", ["00"])}
        self.amount_scale = int(o.get("amount_scale", 1))
        self.timestamp_format = o.get("timestamp_format", "%Y%m%d%H%M%S")
        self.timeout = float(o.get("timeout", 15))

    # -- signing -----------------------------------------------------------------------------------

    def sign(self, data: Mapping[str, Any]) -> str:
        if not self.secret:
            raise ProviderError("national payment platform: no secret configured")
        digest = {"sha256": hashlib.sha256, "sha512": hashlib.sha512}[self.algorithm]
        return hmac.new(self.secret.encode(), canonical_string(data).encode(), digest).hexdigest()

    def _format_ts(self, when: dt.datetime) -> str:
        if self.timestamp_format == "unix":
            return str(int(when.timestamp()))
        return when.astimezone(VN).strftime(self.timestamp_format)

    def _parse_ts(self, value: str) -> int:
        if self.timestamp_format == "unix":
            return int(value)
        return int(dt.datetime.strptime(value, self.timestamp_format).replace(tzinfo=VN).timestamp())

    def signed_request(self, ours: Mapping[str, Any]) -> dict[str, str]:
        """Map our names to the platform's, add the signature field."""
        data = {self.fields[k]: str(v) for k, v in ours.items() if v is not None}
        data[self.fields["signature"]] = self.sign(data)
        return data

    # -- PaymentProvider -----------------------------------------------------------------------------

    def build_start_fields(self, payment: Any, *, return_url: str, callback_url: str,
                           now: dt.datetime | None = None, nonce: str | None = None) -> dict[str, str]:
        return self.signed_request({
            "merchant_code": self.merchant_code,
            "transaction_id": payment.transaction_id,
            "amount": payment.amount * self.amount_scale,
            "currency": "VND",
            "order_info": f"Thanh toan phi, le phi ho so {payment.dossier.code}",
            "return_url": return_url,
            "notify_url": callback_url,
            "timestamp": self._format_ts(now or dt.datetime.now(tz=VN)),
            "nonce": nonce or secrets.token_hex(16),
        })

    def start(self, payment: Any, *, return_url: str, callback_url: str) -> StartResult:
        if not self.endpoint:
            raise ProviderError("national payment platform: no endpoint configured")
        fields = self.build_start_fields(payment, return_url=return_url, callback_url=callback_url)
        return StartResult(url=f"{self.endpoint}?{urlencode(fields)}")

    def verify_callback(self, request_data: Mapping[str, Any], headers: Mapping[str, str]) -> CallbackResult:
        f = self.fields
        data = {str(k): str(v) for k, v in request_data.items()}
        given = data.pop(f["signature"], "")
        if not given:
            raise CallbackRejected("missing signature")
        try:
            expected = self.sign(data)
        except ProviderError as exc:
            raise CallbackRejected(str(exc)) from exc
        if not signature_ok(expected, given):
            raise CallbackRejected("bad signature")
        if self.merchant_code and data.get(f["merchant_code"], self.merchant_code) != self.merchant_code:
            raise CallbackRejected("wrong merchant")
        try:
            amount = int(data[f["amount"]]) // self.amount_scale
            timestamp = self._parse_ts(data[f["timestamp"]])
            txn, nonce = data[f["transaction_id"]], data[f["nonce"]]
        except (KeyError, ValueError) as exc:
            raise CallbackRejected("malformed callback") from exc
        status = "succeeded" if data.get(f["status"], "") in self.success_codes else "failed"
        return CallbackResult(transaction_id=txn, status=status, amount=amount, nonce=nonce, timestamp=timestamp,
                              provider_ref=data.get(f["provider_ref"], ""), raw=data)

    def refund(self, payment: Any, amount: int) -> RefundResult:
        if not self.refund_endpoint:
            raise ProviderError("national payment platform: no refund endpoint configured")
        body = self.signed_request({
            "merchant_code": self.merchant_code,
            "transaction_id": payment.transaction_id,
            "provider_ref": payment.provider_ref,
            "refund_amount": amount * self.amount_scale,
            "timestamp": self._format_ts(dt.datetime.now(tz=VN)),
            "nonce": secrets.token_hex(16),
        })
        req = urllib.request.Request(self.refund_endpoint, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310 - configured https URL
                answer = json.loads(resp.read() or b"{}")
        except (OSError, ValueError) as exc:
            raise ProviderError(f"national payment platform refund failed: {exc}") from exc
        code = str(answer.get(self.fields["status"], ""))
        if code not in self.success_codes:
            return RefundResult(ok=False, message=f"response code {code}")
        return RefundResult(ok=True, provider_ref=str(answer.get(self.fields["provider_ref"], "")))
