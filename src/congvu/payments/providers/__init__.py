"""Payment provider plugins (Open Forms style): a typed protocol and a registry keyed by provider id.

Settings::

    CONGVU_PAYMENTS_PROVIDER = "demo"            # the one offered to citizens
    CONGVU_PAYMENTS_PROVIDERS = {
        "demo": {"class": "congvu.payments.providers.demo.DemoProvider", "secret": "..."},
        "national": {"class": "congvu.payments.providers.national.NationalPlatformProvider", ...},
    }

Each entry's other keys are passed to the class as `options`. A provider verifies signatures; the
service (`congvu.payments.services.payment_callback_receive`) checks freshness, nonces, amounts and
idempotency the same way for every provider.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from congvu.payments.models import Payment


class CallbackRejected(Exception):
    """A callback that cannot be trusted (bad or missing signature, malformed). `reason` is logged."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class ProviderError(Exception):
    """The gateway refused or failed an outgoing request (start, refund)."""


@dataclass(frozen=True)
class StartResult:
    """Where to send the payer: a GET redirect, or a form to POST (`fields`) to `url`."""

    url: str
    method: str = "GET"
    fields: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CallbackResult:
    """A verified callback. `status` is "succeeded" or "failed"; `timestamp` is Unix seconds."""

    transaction_id: str
    status: str
    amount: int
    nonce: str
    timestamp: int
    provider_ref: str = ""
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RefundResult:
    ok: bool
    provider_ref: str = ""
    message: str = ""


@runtime_checkable
class PaymentProvider(Protocol):
    key: str
    label: str

    def start(self, payment: Payment, *, return_url: str, callback_url: str) -> StartResult:
        """Register the payment with the gateway; where the payer goes next."""
        ...

    def verify_callback(self, request_data: Mapping[str, Any], headers: Mapping[str, str]) -> CallbackResult:
        """Check the signature (constant time) and parse; raise CallbackRejected otherwise."""
        ...

    def refund(self, payment: Payment, amount: int) -> RefundResult:
        """Ask the gateway to give `amount` back; raise ProviderError when it cannot."""
        ...


def hmac_sha256(secret: str, message: str) -> str:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def signature_ok(expected: str, given: Any) -> bool:
    """Constant-time comparison; anything not a string is a mismatch."""
    return isinstance(given, str) and hmac.compare_digest(expected.lower(), given.strip().lower())


def provider_settings() -> dict[str, dict[str, Any]]:
    return getattr(settings, "CONGVU_PAYMENTS_PROVIDERS", {})


def provider_keys() -> list[str]:
    return list(provider_settings())


def default_provider_key() -> str:
    return getattr(settings, "CONGVU_PAYMENTS_PROVIDER", "demo")


def get_provider(key: str | None = None) -> PaymentProvider:
    """The configured provider `key` (default: CONGVU_PAYMENTS_PROVIDER). Unknown → KeyError."""
    key = key or default_provider_key()
    conf = provider_settings().get(key)
    if conf is None:
        raise KeyError(key)
    options = {k: v for k, v in conf.items() if k != "class"}
    provider = import_string(conf["class"])(key=key, options=options)
    if not isinstance(provider, PaymentProvider):
        raise ImproperlyConfigured(f"{conf['class']} does not implement PaymentProvider")
    return provider
