"""Signed tokens for the citizen's links: the payment page of a dossier and its receipts.

A token is an HMAC (Django's SECRET_KEY, a salt per purpose) of the dossier code or receipt id, so a
link cannot be guessed from another one. Tokens do not expire: the lookup page and SMS links can
be reopened; they only give access to the fees and receipts of that one dossier.
"""

from __future__ import annotations

from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare

_PAY_SALT = "congvu.payments.pay"
_RECEIPT_SALT = "congvu.payments.receipt"


def _token(salt: str, value: str) -> str:
    return signing.Signer(salt=salt).signature(value)


def pay_token(code: str) -> str:
    return _token(_PAY_SALT, code)


def pay_token_ok(code: str, token: str) -> bool:
    return bool(token) and constant_time_compare(pay_token(code), token)


def pay_url(code: str) -> str:
    """`/payments/pay/<code>/<token>/` (URL name `payments:pay`)."""
    return reverse("payments:pay", args=[code, pay_token(code)])


def receipt_token(receipt_id: int) -> str:
    return _token(_RECEIPT_SALT, str(receipt_id))


def receipt_token_ok(receipt_id: int, token: str) -> bool:
    return bool(token) and constant_time_compare(receipt_token(receipt_id), token)


def receipt_url(receipt_id: int, fmt: str = "html") -> str:
    name = "payments:receipt_pdf" if fmt == "pdf" else "payments:receipt"
    return reverse(name, args=[receipt_id, receipt_token(receipt_id)])
