"""Citizen notifications of dossier events (received, supplement needed, refused, ready / ready early,
late apology, rating invitation, payment received) through the notifications outbox.

`dossier_notify` is called by the one-stop services inside the transaction of the event, so the
outbox row commits or rolls back with it. One logical notification per (dossier, event, version):
key `dossier:{id}:{event}:{n}` with `n` the dossier's version at the event; group `dossier:{id}`, so
a dossier's messages reach the citizen in the order of its events. Channels: the configured fallback
chain (Zalo → SMS → e-mail); the applicant's phone number serves as the Zalo id.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from congvu.notifications.config import channel_configured, notify_config
from congvu.notifications.models import OutboxMessage
from congvu.notifications.services import notification_enqueue

EVENTS = ("dossier_received", "supplement_needed", "refused", "ready_early", "ready", "late_apology",
          "rating_invitation", "payment_received")


def _fmt(value: dt.datetime | None, pattern: str = "%d/%m/%Y") -> str:
    if value is None:
        return ""
    return (timezone.localtime(value) if timezone.is_aware(value) else value).strftime(pattern)


def lookup_url(code: str) -> str:
    site = getattr(settings, "CONGVU_SITE_URL", "").rstrip("/")
    try:
        path = reverse("citizen:lookup")
    except NoReverseMatch:
        return f"{site}/"
    return f"{site}{path}?code={quote(code)}"


def dossier_context(dossier: Any) -> dict[str, Any]:
    return {
        "applicant": dossier.applicant_name,
        "code": dossier.code,
        "procedure": dossier.procedure.name,
        "unit": dossier.unit.name,
        "received": _fmt(dossier.received_at, "%H:%M ngày %d/%m/%Y"),
        "due": _fmt(dossier.due_at),
        "url": lookup_url(dossier.code),
    }


def dossier_recipient(dossier: Any) -> dict[str, str]:
    """Addresses per channel of the applicant: phone for SMS, and for Zalo unless the dossier says the
    applicant has none (`applicant_zalo` False, when the model has that field); e-mail when known."""
    phone = (dossier.applicant_phone or "").strip()
    zalo = getattr(dossier, "applicant_zalo", None)
    zalo_id = getattr(dossier, "applicant_zalo_id", "") or (phone if zalo is not False else "")
    return {"zalo": zalo_id, "sms": phone, "email": (getattr(dossier, "applicant_email", "") or "").strip()}


def dossier_notify(dossier: Any, event: str, *, extra: dict[str, Any] | None = None,
                   n: int | None = None) -> OutboxMessage | None:
    """Queue `event`'s notification to the dossier's applicant; None when there is no usable channel
    (no phone / e-mail, or SMS and Zalo not configured). Call it inside the event's transaction."""
    if event not in EVENTS:
        raise ValueError(f"unknown dossier event {event}")
    addresses = dossier_recipient(dossier)
    conf = notify_config()
    if not any(addresses.get(c) and channel_configured(c, conf) for c in conf["fallback"]):
        return None  # nobody to reach: skip building the context
    n = dossier.version if n is None else n
    msg, _created = notification_enqueue(
        idempotency_key=f"dossier:{dossier.pk}:{event}:{n}", template_key=event,
        addresses=addresses, group_key=f"dossier:{dossier.pk}",
        context=dossier_context(dossier) | (extra or {}))
    return msg


def result_event(dossier: Any, at: dt.datetime) -> str:
    """ready_early when the result is recorded before the day of the promised return, else ready."""
    return "ready_early" if _fmt(at, "%Y%m%d") < _fmt(dossier.due_at, "%Y%m%d") else "ready"
