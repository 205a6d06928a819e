"""Issue 14: several outbox workers against one outbox. Two workers dispatch at once (own database
connections, as two `congvu worker` processes would); every message reaches the gateway exactly
once, and the messages of one dossier (one `group_key`) arrive in the order they were enqueued.
On PostgreSQL the workers claim disjoint rows with FOR UPDATE SKIP LOCKED."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from congvu.notifications.models import OutboxMessage, OutboxStatus
from congvu.notifications.providers import provider_message_id
from congvu.notifications.services import notification_enqueue, notifications_dispatch

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs parallel connections with row locks: run with DATABASE_URL=postgres://... "
    "(SQLite serialises writers, so the race would prove nothing)",
)

N_DOSSIERS, PER_DOSSIER = 12, 5


@pytest.mark.django_db(transaction=True)
def test_two_workers_send_each_message_once_in_order_per_dossier(notify, gateway):
    gateway.set_mode("ok", delay_ms=5)  # a slow provider keeps both workers busy at once
    for k in range(PER_DOSSIER):
        for g in range(N_DOSSIERS):
            notification_enqueue(
                idempotency_key=f"w:{g}:{k}", template_key="ready", channels=["sms"],
                addresses={"sms": f"0912{g:03d}{k:03d}"}, group_key=f"dossier:{g}",
                context={"applicant": "Nguyễn Văn A", "code": f"H55-240304-{g:04d}", "unit": "UBND xã",
                         "procedure": "Đăng ký khai sinh"})
    total = N_DOSSIERS * PER_DOSSIER
    barrier = threading.Barrier(2)
    sent = [0, 0]
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        from django.db import connections

        try:
            barrier.wait()
            for _ in range(200):
                sent[i] += notifications_dispatch(batch=4, workers=2).sent
                if not OutboxMessage.objects.filter(status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING]).exists():
                    break
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert sum(sent) == total and min(sent) > 0, sent  # both workers sent, none twice
    ids = [m["id"] for m in gateway.messages("sms")]
    assert len(ids) == len(set(ids)) == total and gateway.duplicates == 0
    assert OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == total
    pos = {mid: k for k, mid in enumerate(ids)}
    for g in range(N_DOSSIERS):
        msgs = list(OutboxMessage.objects.filter(group_key=f"dossier:{g}").order_by("id"))
        arrival = [pos[provider_message_id(m, "sms")] for m in msgs]
        assert arrival == sorted(arrival), f"dossier {g} out of order"
