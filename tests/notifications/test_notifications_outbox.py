"""Outbox: idempotency, rollback with the event, dispatch with retries and final failure."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from congvu.notifications import providers
from congvu.notifications.models import InAppNotification, OutboxMessage, OutboxStatus
from congvu.notifications.services import notification_enqueue, notifications_dispatch
from congvu.notifications.templates import render
from factories import UserFactory

pytestmark = pytest.mark.django_db


def _enqueue(key="k1", **kw):
    kw.setdefault("channel", "email")
    kw.setdefault("recipient", "a@example.vn")
    kw.setdefault("template_key", "task.reminder.due")
    kw.setdefault("context", {"action": "Nộp báo cáo", "action_short": "Nộp báo cáo", "deadline": "29/03/2024"})
    return notification_enqueue(idempotency_key=key, **kw)


def test_enqueue_is_idempotent_and_sends_once():
    msg, created = _enqueue()
    again, created_again = _enqueue()
    assert created and not created_again and again.pk == msg.pk
    assert notifications_dispatch(batch=10).sent == 1
    assert notifications_dispatch(batch=10).total == 0
    _enqueue()
    assert notifications_dispatch(batch=10).total == 0
    assert len(mail.outbox) == 1
    assert "Hôm nay đến hạn" in mail.outbox[0].subject
    assert mail.outbox[0].extra_headers["X-Congvu-Key"] == "k1"
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT


def test_outbox_row_rolls_back_with_its_event():
    with pytest.raises(RuntimeError), transaction.atomic():
        _enqueue("rolled-back")
        raise RuntimeError("the event failed")
    assert not OutboxMessage.objects.filter(idempotency_key="rolled-back").exists()


class _Failing:
    channel = "email"

    def __init__(self):
        self.calls = 0

    def send(self, message):
        self.calls += 1
        raise ConnectionError("SMTP down")


def test_worker_retries_with_backoff_then_fails(monkeypatch):
    failing = _Failing()
    monkeypatch.setitem(providers.PROVIDERS, "email", failing)
    msg, _ = _enqueue(max_attempts=3)
    now = timezone.now()
    r = notifications_dispatch(now=now)
    assert r.retried == 1
    msg.refresh_from_db()
    assert msg.status == OutboxStatus.PENDING and msg.attempts == 1 and "SMTP down" in msg.last_error
    first_delay = msg.next_attempt_at - now
    assert notifications_dispatch(now=now).total == 0  # not due yet
    now2 = msg.next_attempt_at
    notifications_dispatch(now=now2)
    msg.refresh_from_db()
    assert msg.attempts == 2 and (msg.next_attempt_at - now2) == 2 * first_delay  # exponential
    notifications_dispatch(now=msg.next_attempt_at)
    msg.refresh_from_db()
    assert msg.status == OutboxStatus.FAILED and msg.attempts == 3 and failing.calls == 3
    assert notifications_dispatch(now=now + dt.timedelta(days=10)).total == 0


def test_retry_then_success(monkeypatch):
    failing = _Failing()
    monkeypatch.setitem(providers.PROVIDERS, "email", failing)
    msg, _ = _enqueue()
    notifications_dispatch()
    monkeypatch.setitem(providers.PROVIDERS, "email", providers.EmailProvider())
    msg.refresh_from_db()
    assert notifications_dispatch(now=msg.next_attempt_at).sent == 1
    assert len(mail.outbox) == 1


def test_in_app_and_permanent_failure():
    user = UserFactory()
    _enqueue("inapp", channel="in_app", recipient=user.username, recipient_user=user)
    _enqueue("bad", recipient="not-an-address")
    r = notifications_dispatch()
    assert r.sent == 1 and r.failed == 1
    note = InAppNotification.objects.get(user=user)
    assert "Hôm nay đến hạn" in note.title
    assert OutboxMessage.objects.get(idempotency_key="bad").status == OutboxStatus.FAILED


def test_worker_command_once():
    _enqueue("cmd")
    call_command("worker", "--once")
    assert len(mail.outbox) == 1


def test_templates_render_vietnamese_with_missing_keys():
    subject, body = render("task.reminder.after", {"action_short": "Việc A", "days": 2})
    assert subject.startswith("[Quá hạn] Việc A") and "quá hạn 2 ngày làm việc" in body
    assert render("unknown", {"subject": "S", "body": "B"})[0] == "S"
