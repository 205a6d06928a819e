"""National-portal providers (like `congvu.payments.providers`): a typed protocol and a registry.

Settings (see `congvu.portal.conf`)::

    CONGVU_PORTAL_PROVIDER = "local"
    CONGVU_PORTAL_PROVIDERS = {
        "local": {"class": "congvu.portal.providers.local.LocalPortalProvider",
                  "endpoint": "http://127.0.0.1:8765", "token": "..."},
        "national": {"class": "congvu.portal.providers.national.NationalPortalProvider",
                     "endpoint": "https://...", "client_id": "...", "secret": "..."},
    }

A provider moves records and answers; the sender (`congvu.portal.services.sender`) decides order,
batching, retries and states the same way for every provider.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from congvu.portal import conf


class PortalUnavailable(Exception):
    """Transport failure, timeout, 5xx or a refusal of the whole request: retry later, nothing lost."""


@dataclass(frozen=True)
class OutboundRecord:
    key: str
    source: str
    dossier: str
    sequence: int
    unit: str
    day: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class SendResult:
    """`status`: acknowledged | accepted (acknowledgement later) | duplicate (already had it) | rejected."""

    key: str
    status: str
    reason: str = ""
    code: str = ""
    ref: str = ""


@dataclass(frozen=True)
class Ack:
    key: str
    status: str  # acknowledged | rejected
    reason: str = ""


@dataclass(frozen=True)
class Health:
    ok: bool
    message: str
    detail: dict[str, Any] = field(default_factory=dict)


@runtime_checkable
class PortalProvider(Protocol):
    key: str
    label: str

    def send(self, records: list[OutboundRecord]) -> list[SendResult]:
        """Deliver in the given order; one result per record. Raise PortalUnavailable otherwise."""
        ...

    def acks(self, after: str) -> tuple[list[Ack], str]:
        """Acknowledgements after cursor `after` (may repeat or come out of order), and the new cursor."""
        ...

    def status(self, key: str) -> SendResult:
        """What the portal knows of one record (acknowledged or unknown)."""
        ...

    def counts(self, units: list[str], date_from: dt.date, date_to: dt.date) -> dict[tuple[str, dt.date], int]:
        """Records the portal holds per unit code × day."""
        ...

    def keys(self, unit: str, day: dt.date) -> set[str]:
        """Idempotency keys the portal holds for one unit code and day."""
        ...

    def health(self) -> Health:
        ...


def provider_settings() -> dict[str, dict[str, Any]]:
    return conf.get("CONGVU_PORTAL_PROVIDERS")


def default_provider_key() -> str:
    return conf.get("CONGVU_PORTAL_PROVIDER")


def get_provider(key: str | None = None) -> PortalProvider:
    """The configured provider `key` (default: CONGVU_PORTAL_PROVIDER). Unknown → KeyError."""
    key = key or default_provider_key()
    entry = provider_settings().get(key)
    if entry is None:
        raise KeyError(key)
    options = {k: v for k, v in entry.items() if k != "class"}
    provider = import_string(entry["class"])(key=key, options=options)
    if not isinstance(provider, PortalProvider):
        raise ImproperlyConfigured(f"{entry['class']} does not implement PortalProvider")
    return provider
