"""`GET /healthz`: is this instance fit to serve? JSON for load balancers and monitoring (issue 13).

    {"status": "ok" | "degraded" | "fail", "checks": {"database": {...}, "cache": {...}, "outbox": {...}}}

HTTP 503 when the database or the cache does not answer (take the instance out of rotation); 200 with
"degraded" when the notification outbox is backed up — more than `CONGVU_HEALTH_OUTBOX_MAX_BACKLOG`
messages waiting or the oldest due one older than `CONGVU_HEALTH_OUTBOX_MAX_AGE` seconds (the worker is
down or a gateway is failing: page someone, but the web still works). No authentication and no
personal data; nothing is cached.
"""

from __future__ import annotations

import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _timed(fn) -> dict:
    started = time.monotonic()
    try:
        detail = fn() or {}
        ok = True
    except Exception as exc:  # noqa: BLE001 - a health check reports, never raises
        detail, ok = {"error": f"{type(exc).__name__}: {exc}"[:300]}, False
    return {"ok": ok, "ms": round((time.monotonic() - started) * 1000, 1), **detail}


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def _cache() -> dict:
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    got = cache.get(key)
    cache.delete(key)
    if got != value:
        raise RuntimeError("cache did not return what was written")
    return {"backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]}


def _outbox() -> dict:
    from congvu.notifications.models import UNFINISHED, OutboxMessage

    now = timezone.now()
    waiting = OutboxMessage.objects.filter(status__in=UNFINISHED)
    backlog = waiting.count()
    oldest = waiting.filter(next_attempt_at__lte=now).order_by("created_at").values_list("created_at", flat=True).first()
    age = int((now - oldest).total_seconds()) if oldest else 0
    max_backlog = int(getattr(settings, "CONGVU_HEALTH_OUTBOX_MAX_BACKLOG", 1000))
    max_age = int(getattr(settings, "CONGVU_HEALTH_OUTBOX_MAX_AGE", 900))
    return {"backlog": backlog, "oldest_due_age_seconds": age,
            "healthy": backlog <= max_backlog and age <= max_age,
            "limits": {"backlog": max_backlog, "age_seconds": max_age}}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _timed(_database), "cache": _timed(_cache)}
    checks["outbox"] = _timed(_outbox) if checks["database"]["ok"] else {"ok": False, "error": "no database"}
    if not (checks["database"]["ok"] and checks["cache"]["ok"]):
        status, code = "fail", 503
    elif not checks["outbox"]["ok"] or not checks["outbox"].get("healthy", False):
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, "time": timezone.now().isoformat(), "checks": checks}, status=code)
