"""The demo gateway: runs inside congvu, for development, tests and demonstrations. Never enable
it in production (anyone who knows the shared secret can mark a payment as paid).

Canonical string signed with HMAC-SHA256 (hex) and the shared secret `options["secret"]`
(CONGVU_PAYMENTS_DEMO_SECRET): the fields of `CANONICAL_FIELDS`, in that order, as `name=value`
joined by "\\n". The signature travels as the field `signature` (or the header
`X-Congvu-Signature`). `timestamp` is Unix seconds; `nonce` is random, never reused.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from typing import Any

from django.urls import reverse

from congvu.payments.providers import (
    CallbackRejected,
    CallbackResult,
    RefundResult,
    StartResult,
    hmac_sha256,
    signature_ok,
)

CANONICAL_FIELDS = ("provider", "transaction_id", "amount", "status", "nonce", "timestamp", "provider_ref")
STATUSES = {"succeeded", "failed"}


class DemoProvider:
    label = "Cổng thanh toán thử nghiệm (demo)"

    def __init__(self, *, key: str = "demo", options: Mapping[str, Any] | None = None):
        self.key = key
        self.options = dict(options or {})
        self.secret = str(self.options.get("secret") or "")

    # -- signing -----------------------------------------------------------------------------------

    def canonical(self, data: Mapping[str, Any]) -> str:
        return "\n".join(f"{name}={data.get(name, '')}" for name in CANONICAL_FIELDS)

    def sign(self, data: Mapping[str, Any]) -> str:
        if not self.secret:
            raise CallbackRejected("demo provider has no secret configured")
        return hmac_sha256(self.secret, self.canonical(data))

    def build_callback(self, payment: Any, *, status: str, nonce: str | None = None,
                       timestamp: int | None = None) -> dict[str, str]:
        """What the fake gateway posts back: the canonical fields and their signature."""
        data = {
            "provider": self.key,
            "transaction_id": payment.transaction_id,
            "amount": str(payment.amount),
            "status": status,
            "nonce": nonce or secrets.token_hex(16),
            "timestamp": str(int(time.time()) if timestamp is None else timestamp),
            "provider_ref": f"DEMO{secrets.token_hex(6).upper()}",
        }
        data["signature"] = self.sign(data)
        return data

    # -- PaymentProvider -----------------------------------------------------------------------------

    def start(self, payment: Any, *, return_url: str, callback_url: str) -> StartResult:
        return StartResult(url=reverse("payments:demo_gateway", args=[payment.transaction_id]))

    def verify_callback(self, request_data: Mapping[str, Any], headers: Mapping[str, str]) -> CallbackResult:
        data = {k: (v if isinstance(v, str) else str(v)) for k, v in request_data.items()}
        given = data.get("signature") or headers.get("X-Congvu-Signature", "")
        if not given:
            raise CallbackRejected("missing signature")
        if not signature_ok(self.sign(data), given):
            raise CallbackRejected("bad signature")
        if data.get("provider") != self.key:
            raise CallbackRejected("wrong provider")
        if data.get("status") not in STATUSES:
            raise CallbackRejected("unknown status")
        try:
            amount, timestamp = int(data["amount"]), int(data["timestamp"])
        except (KeyError, ValueError) as exc:
            raise CallbackRejected("malformed amount or timestamp") from exc
        if not data.get("nonce") or not data.get("transaction_id"):
            raise CallbackRejected("missing nonce or transaction id")
        return CallbackResult(transaction_id=data["transaction_id"], status=data["status"], amount=amount,
                              nonce=data["nonce"], timestamp=timestamp, provider_ref=data.get("provider_ref", ""),
                              raw={k: v for k, v in data.items() if k != "signature"})

    def refund(self, payment: Any, amount: int) -> RefundResult:
        return RefundResult(ok=True, provider_ref=f"DEMO-RF-{secrets.token_hex(4).upper()}")
