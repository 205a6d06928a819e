"""Writes of the notifications app: enqueue inside the caller's transaction; dispatch with retries.

`notification_enqueue` must be called inside the transaction that writes the event it announces:
if that transaction rolls back, the message is gone too (transactional outbox). The idempotency
key is unique, so enqueuing the same key twice returns the first message and sends nothing more.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from congvu.notifications.models import Channel, OutboxMessage, OutboxStatus
from congvu.notifications.providers import DeliveryError, provider_for

log = logging.getLogger(__name__)


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def notification_enqueue(*, idempotency_key: str, channel: str, recipient: str, template_key: str,
                         context: dict | None = None, recipient_user: Any = None,
                         max_attempts: int | None = None) -> tuple[OutboxMessage, bool]:
    """Queue one message; returns (message, created). A known key returns the existing message."""
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel}")
    existing = OutboxMessage.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():  # savepoint: a concurrent duplicate must not poison the caller's transaction
            msg = OutboxMessage.objects.create(
                idempotency_key=idempotency_key, channel=channel, recipient=recipient or "",
                recipient_user=recipient_user, template_key=template_key, context=context or {},
                max_attempts=max_attempts or _setting("CONGVU_NOTIFY_MAX_ATTEMPTS", 5),
                next_attempt_at=timezone.now(),
            )
    except IntegrityError:
        return OutboxMessage.objects.get(idempotency_key=idempotency_key), False
    return msg, True


def retry_delay(attempts: int) -> dt.timedelta:
    """Exponential backoff: base · 2^(attempts-1), capped."""
    base = _setting("CONGVU_NOTIFY_RETRY_BASE_SECONDS", 60)
    cap = _setting("CONGVU_NOTIFY_RETRY_MAX_SECONDS", 6 * 3600)
    return dt.timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


@dataclass
class DispatchResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        return self.sent + self.retried + self.failed


def notifications_dispatch(*, batch: int = 100, now: dt.datetime | None = None) -> DispatchResult:
    """Send up to `batch` due messages. Each message is claimed with a conditional UPDATE, so two
    workers never send the same row; a claim that is not released (crash) expires after the lease."""
    now = now or timezone.now()
    lease = dt.timedelta(seconds=_setting("CONGVU_NOTIFY_LEASE_SECONDS", 300))
    due = (OutboxMessage.objects
           .filter(Q(status=OutboxStatus.PENDING) | Q(status=OutboxStatus.SENDING), next_attempt_at__lte=now)
           .order_by("next_attempt_at", "id").values_list("pk", "status")[:batch])
    result = DispatchResult()
    for pk, status in list(due):
        claimed = OutboxMessage.objects.filter(pk=pk, status=status, next_attempt_at__lte=now).update(
            status=OutboxStatus.SENDING, attempts=F("attempts") + 1, next_attempt_at=now + lease)
        if not claimed:
            continue
        msg = OutboxMessage.objects.get(pk=pk)
        try:
            with transaction.atomic():
                provider_for(msg.channel).send(msg)
                OutboxMessage.objects.filter(pk=pk).update(status=OutboxStatus.SENT, sent_at=timezone.now(),
                                                           last_error="")
            result.sent += 1
        except Exception as exc:  # noqa: BLE001 - any provider failure is recorded and retried
            permanent = isinstance(exc, DeliveryError) and exc.permanent
            error = f"{type(exc).__name__}: {exc}"[:2000]
            if permanent or msg.attempts >= msg.max_attempts:
                OutboxMessage.objects.filter(pk=pk).update(status=OutboxStatus.FAILED, last_error=error)
                result.failed += 1
                log.warning("outbox %s failed permanently: %s", msg.idempotency_key, error)
            else:
                OutboxMessage.objects.filter(pk=pk).update(status=OutboxStatus.PENDING, last_error=error,
                                                           next_attempt_at=now + retry_delay(msg.attempts))
                result.retried += 1
    return result


def notification_mark_read(*, actor: Any, notification_id: int) -> None:
    from congvu.notifications.models import InAppNotification

    InAppNotification.objects.filter(pk=notification_id, user=actor, read_at__isnull=True).update(
        read_at=timezone.now())
