"""Test helpers of the notifications suite."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from congvu.notifications.models import OutboxMessage, OutboxStatus
from congvu.notifications.services import notifications_dispatch


def drain(now: dt.datetime | None = None, *, rounds: int = 200) -> dt.datetime:
    """Dispatch until nothing is pending, moving the clock to each next attempt. Returns the clock."""
    now = now or timezone.now()
    for _ in range(rounds):
        result = notifications_dispatch(now=now, batch=500)
        waiting = OutboxMessage.objects.filter(status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING])
        if not waiting.exists():
            return now
        if result.total == 0:  # nothing due now: jump to the next retry
            nxt = (waiting.filter(next_attempt_at__gt=now).order_by("next_attempt_at")
                   .values_list("next_attempt_at", flat=True).first())
            if nxt is None:
                break
            now = nxt
    raise AssertionError("outbox did not drain")
