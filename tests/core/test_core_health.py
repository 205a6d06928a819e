"""Issue 13: /healthz (database, cache, outbox backlog and age) and structured JSON logs."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from django.test import RequestFactory
from django.utils import timezone

from congvu.core.logging import JsonFormatter
from congvu.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_healthz_ok(client):
    r = client.get("/healthz")
    body = r.json()
    assert r.status_code == 200 and body["status"] == "ok"
    assert body["checks"]["database"]["ok"] and body["checks"]["cache"]["ok"]
    assert body["checks"]["outbox"]["backlog"] == 0 and r["Cache-Control"].startswith("max-age=0")


def test_healthz_degraded_when_the_outbox_is_old(client, settings):
    settings.CONGVU_HEALTH_OUTBOX_MAX_AGE = 60
    msg = OutboxMessage.objects.create(idempotency_key="k1", channel="email", recipient="a@example.vn",
                                       template_key="x", next_attempt_at=timezone.now())
    OutboxMessage.objects.filter(pk=msg.pk).update(created_at=timezone.now() - dt.timedelta(minutes=30))
    body = client.get("/healthz").json()
    assert body["status"] == "degraded" and body["checks"]["outbox"]["oldest_due_age_seconds"] >= 1700


def test_healthz_fails_when_the_cache_is_down(client, monkeypatch):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(cache, "set", broken)
    r = client.get("/healthz")
    assert r.status_code == 503 and r.json()["status"] == "fail" and "redis down" in r.json()["checks"]["cache"]["error"]


def test_json_log_lines():
    request = RequestFactory().get("/x", REMOTE_ADDR="203.0.113.4")
    record = logging.LogRecord("congvu.security", logging.WARNING, __file__, 1, "lookup flood from %s", ("1.2.3.4",),
                               None)
    record.request, record.status_code, record.extra_field = request, 429, {"a": 1}
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "WARNING" and line["message"] == "lookup flood from 1.2.3.4"
    assert line["request"] == {"method": "GET", "path": "/x", "client": "203.0.113.4"} and line["status"] == 429
    assert line["extra_field"] == {"a": 1} and line["time"].endswith("+00:00")
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    assert "ValueError: boom" in json.loads(JsonFormatter().format(record))["exception"]
