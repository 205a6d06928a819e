"""Reads of the notifications app."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from congvu.notifications.models import InAppNotification


def inapp_for_user(*, user: Any, unread_only: bool = False, limit: int = 50) -> QuerySet[InAppNotification]:
    qs = InAppNotification.objects.filter(user=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs[:limit]


def inapp_unread_count(*, user: Any) -> int:
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return InAppNotification.objects.filter(user=user, read_at__isnull=True).count()
