"""SMS and Zalo through the fake gateway: adapters, fallback chain, retries, order per group,
a gateway down then back (every message once, in order), quiet hours, idempotency, admin alert,
daily digest, delivery reports."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from notif_helpers import drain

from congvu.notifications.models import (
    AttemptStatus,
    DeliveryAttempt,
    InAppNotification,
    OutboxMessage,
    OutboxStatus,
    RecipientPreference,
)
from congvu.notifications.providers import post_json, provider_message_id
from congvu.notifications.services import (
    notification_delivery_report,
    notification_enqueue,
    notifications_daily_digest,
    notifications_dispatch,
)
from congvu.org.models import Person
from factories import UserFactory, make_person, make_unit

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
PHONE = "0912345678"
CTX = {"applicant": "Nguyễn Thị Hoa", "code": "H55.01.12-240304-0001", "unit": "UBND xã Bình Thạnh",
       "procedure": "Đăng ký khai sinh", "due": "11/03/2024", "url": "http://x/tra-cuu/"}


def citizen(key, *, template="dossier_received", phone=PHONE, email="", channels=None, group="", **kw):
    msg, _ = notification_enqueue(idempotency_key=key, template_key=template, context=CTX,
                                  addresses={"zalo": phone, "sms": phone, "email": email},
                                  channels=channels, group_key=group, **kw)
    return msg


def attempts(msg):
    return [(a.channel, a.status) for a in DeliveryAttempt.objects.filter(message=msg).order_by("id")]


def test_sms_adapter_posts_gsm_text_with_credentials_and_message_id(notify, gateway):
    msg = citizen("sms1", channels=["sms"])
    assert notifications_dispatch().sent == 1
    [got] = gateway.messages("sms")
    body = got["body"]
    assert got["to"] == "84912345678" and body["from"] == "CONGVU" and got["auth"] == "Bearer test-key"
    assert body["message_id"] == provider_message_id(msg, "sms")
    assert body["text"].startswith("UBND xa Binh Thanh: da tiep nhan ho so H55.01.12-240304-0001")
    assert len(body["text"]) <= 160 and body["text"].isascii()
    msg.refresh_from_db()
    assert msg.status == OutboxStatus.SENT and msg.provider_ref and attempts(msg) == [("sms", "sent")]


def test_zalo_sends_template_id_and_params(notify, gateway):
    msg = citizen("z1")
    assert msg.channels == ["zalo", "sms"]  # no e-mail address: e-mail dropped from the chain
    notifications_dispatch()
    [got] = gateway.messages()
    assert got["channel"] == "zalo" and got["auth"] == "test-token"
    assert got["body"]["template_id"] == notify["zalo"]["templates"]["dossier_received"]
    assert got["body"]["template_data"]["code"] == CTX["code"]
    assert got["body"]["template_data"]["applicant"] == "Nguyễn Thị Hoa"


def test_no_zalo_falls_back_to_sms_at_once(notify, gateway):
    gateway.set_mode(no_zalo=[PHONE])
    msg = citizen("nz")
    now = timezone.now()
    assert notifications_dispatch(now=now).fell_back == 1
    assert notifications_dispatch(now=now).sent == 1  # no waiting: the next channel is due at once
    assert [m["channel"] for m in gateway.messages()] == ["sms"]
    assert attempts(msg) == [("zalo", AttemptStatus.FELL_BACK), ("sms", AttemptStatus.SENT)]


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_sms_unreachable_retried_with_backoff_then_falls_back_to_email(settings, notify, gateway):
    """Connection refused: nothing was sent, so after the retries the next channel may take it."""
    settings.CONGVU_NOTIFY = notify | {"sms": notify["sms"] | {"max_attempts": 3,
                                                               "endpoint": f"http://127.0.0.1:{_closed_port()}/sms"}}
    msg = citizen("down", channels=["sms", "email"], email="hoa@example.vn")
    now = timezone.now()
    assert notifications_dispatch(now=now).retried == 1
    msg.refresh_from_db()
    assert msg.status == OutboxStatus.PENDING and msg.next_attempt_at > now and "kết nối" in msg.last_error
    assert notifications_dispatch(now=now).total == 0  # not due yet
    assert notifications_dispatch(now=msg.next_attempt_at).retried == 1
    msg.refresh_from_db()
    assert notifications_dispatch(now=msg.next_attempt_at).fell_back == 1
    msg.refresh_from_db()
    assert msg.channel == "email" and msg.recipient == "hoa@example.vn"
    assert notifications_dispatch(now=msg.next_attempt_at).sent == 1
    assert [m.to for m in mail.outbox] == [["hoa@example.vn"]]
    assert "Đã tiếp nhận hồ sơ H55.01.12-240304-0001" in mail.outbox[0].subject
    assert attempts(msg) == [("sms", "failed"), ("sms", "failed"), ("sms", "fell_back"), ("email", "sent")]


@pytest.mark.parametrize("mode", ["drop", "slow"])
def test_lost_zalo_answer_is_retried_on_zalo_with_the_same_id_never_on_sms(settings, notify, gateway, mode):
    """Issue 13: the Zalo gateway received the message but its answer was lost (503 after recording, or a
    timeout). Ten recipients: each gets it once, on Zalo; SMS is never used."""
    settings.CONGVU_NOTIFY = notify | {"zalo": notify["zalo"] | {"max_attempts": 3, "timeout": 0.3}}
    gateway.set_mode(mode, channel="zalo", delay_ms=800)
    msgs = [citizen(f"lost{i}", phone=f"09123450{i:02d}") for i in range(10)]
    now = timezone.now()
    for _ in range(5):  # more rounds than Zalo's max_attempts: the old code fell back to SMS here
        notifications_dispatch(now=now, batch=50)
        now += dt.timedelta(hours=7)
    assert gateway.messages("sms") == []
    gateway.set_mode("ok", channel="zalo")
    drain(now)
    got = gateway.messages()
    assert {m["channel"] for m in got} == {"zalo"} and len(got) == 10
    for m in msgs:
        m.refresh_from_db()
        assert m.status == OutboxStatus.SENT and m.channel == "zalo"
        ids = set(DeliveryAttempt.objects.filter(message=m).values_list("provider_message_id", flat=True))
        assert ids == {provider_message_id(m, "zalo")}  # every retry carried the same id


def test_lost_answers_until_the_horizon_fail_without_fallback_and_alert(settings, notify, gateway):
    settings.CONGVU_NOTIFY = notify | {"zalo": notify["zalo"] | {"max_attempts": 2}}
    settings.CONGVU_NOTIFY_UNKNOWN_MAX_ATTEMPTS = 3
    UserFactory(username="quantri", is_superuser=True, email="admin@example.vn")
    gateway.set_mode("drop", channel="zalo")
    msg = citizen("gone")
    now = timezone.now()
    for _ in range(4):
        notifications_dispatch(now=now)
        now += dt.timedelta(hours=7)
    msg.refresh_from_db()
    assert msg.status == OutboxStatus.FAILED and msg.channel == "zalo" and "không gửi lại" in msg.last_error
    assert gateway.messages("sms") == [] and len(gateway.messages("zalo")) == 1
    assert OutboxMessage.objects.filter(template_key="notify.failed_alert").exists()


def test_sms_400_is_permanent_and_goes_to_next_channel(notify, gateway):
    gateway.set_mode("error", channel="sms", code="INVALID_NUMBER")
    msg = citizen("bad", channels=["sms", "email"], email="hoa@example.vn")
    now = timezone.now()
    assert notifications_dispatch(now=now).fell_back == 1
    assert notifications_dispatch(now=now).sent == 1
    assert "INVALID_NUMBER" in DeliveryAttempt.objects.filter(message=msg).first().error


def test_gateway_down_an_hour_then_back_every_message_once_in_order(settings, notify, gateway):
    """Twelve messages for four dossiers while both channels answer 503 for an hour; then the gateway
    loses some answers (records, then 503) before it is fully back."""
    gateway.set_mode("fail")
    msgs = [citizen(f"d{d}:e{e}", phone=f"09000000{d:02d}", group=f"dossier:{d}", template=t)
            for e, t in enumerate(["dossier_received", "supplement_needed", "ready"]) for d in range(4)]
    start = timezone.now()
    now = start
    while now < start + dt.timedelta(hours=1):
        notifications_dispatch(now=now, batch=500)
        now += dt.timedelta(minutes=1)
    assert gateway.messages() == []
    assert not OutboxMessage.objects.filter(status=OutboxStatus.FAILED).exists()
    gateway.set_mode("drop")  # delivered, but the answers are lost
    now = OutboxMessage.objects.filter(next_attempt_at__gt=now).earliest("next_attempt_at").next_attempt_at
    assert notifications_dispatch(now=now, batch=500).retried == 4
    gateway.set_mode("ok")
    drain(now)
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}
    got = gateway.messages()
    assert gateway.duplicates >= 1  # retries after lost answers reached the gateway...
    ids = [m["id"] for m in got]
    assert len(ids) == len(set(ids)) == len(msgs)  # ...and were delivered once
    by_id = {provider_message_id(m, ch): m.pk for m in msgs for ch in ("zalo", "sms")}
    for d in range(4):
        order = [by_id[m["id"]] for m in got if m["to"] == f"849000000{d:02d}"]
        assert order == sorted(order) and len(order) == 3  # in creation order per dossier


def test_failing_message_blocks_its_group_only(notify, gateway):
    gateway.set_mode(no_zalo=["0911111111"])
    gateway.set_mode("fail", channel="sms")
    first = citizen("g1", phone="0911111111", group="dossier:1")  # Zalo: none → SMS: down
    second = citizen("g2", phone="0911111111", group="dossier:1", template="ready")
    other = citizen("o1", phone="0922222222", group="dossier:2")
    now = timezone.now()
    for _ in range(3):
        notifications_dispatch(now=now)
    for m in (first, second, other):
        m.refresh_from_db()
    assert other.status == OutboxStatus.SENT
    assert first.status == OutboxStatus.PENDING and second.status == OutboxStatus.PENDING
    assert second.attempts == 0 and not DeliveryAttempt.objects.filter(message=second).exists()


def test_slow_gateway_timeout_then_retry_is_delivered_once(settings, notify, gateway):
    settings.CONGVU_NOTIFY = notify | {"sms": notify["sms"] | {"timeout": 0.2}}
    gateway.set_mode("slow", channel="sms", delay_ms=600)
    msg = citizen("slow", channels=["sms"])
    assert notifications_dispatch().retried == 1
    msg.refresh_from_db()
    assert "thời gian chờ" in msg.last_error
    gateway.set_mode("ok", channel="sms")
    drain(msg.next_attempt_at)
    assert len(gateway.messages()) == 1


def test_quiet_hours_postpone_to_end_of_window_and_recipient_override(settings, notify, gateway):
    settings.CONGVU_NOTIFY = notify | {"quiet_hours": "21:00-07:00"}
    late = (timezone.localtime() + dt.timedelta(days=1)).replace(hour=22, minute=30)
    msg = citizen("q1", channels=["sms"])
    RecipientPreference.objects.create(address="0933333333", quiet_hours="-")
    night_owl = citizen("q2", channels=["sms"], phone="0933333333")
    r = notifications_dispatch(now=late)
    assert r.postponed == 1 and r.sent == 1
    msg.refresh_from_db()
    assert msg.status == OutboxStatus.PENDING and msg.attempts == 0
    assert msg.next_attempt_at == (late + dt.timedelta(days=1)).replace(hour=7, minute=0, second=0, microsecond=0)
    assert notifications_dispatch(now=msg.next_attempt_at - dt.timedelta(minutes=1)).total == 0
    assert notifications_dispatch(now=msg.next_attempt_at).sent == 1
    assert [m["to"] for m in gateway.messages()] == ["84933333333", "84912345678"]
    night_owl.refresh_from_db()
    assert night_owl.quiet_hours == "-"


def test_enqueue_twice_and_worker_twice_deliver_once(notify, gateway):
    a = citizen("once")
    b = citizen("once")
    assert a.pk == b.pk and OutboxMessage.objects.count() == 1
    call_command("worker", "--once")
    call_command("worker", "--once")
    notifications_dispatch(now=timezone.now() + dt.timedelta(days=1))
    assert len(gateway.messages()) == 1 and gateway.requests == 1


def test_crashed_worker_resends_after_lease_and_gateway_dedups(notify, gateway):
    msg = citizen("crash", channels=["sms"])
    now = timezone.now()
    gateway.set_mode("drop")  # the worker "crashes" after the gateway got the message
    notifications_dispatch(now=now)
    OutboxMessage.objects.filter(pk=msg.pk).update(status=OutboxStatus.SENDING, next_attempt_at=now)
    gateway.set_mode("ok")
    drain(now + dt.timedelta(minutes=10))
    assert len(gateway.messages()) == 1 and gateway.duplicates == 1


def test_admin_alert_on_final_failure_once(settings, notify, gateway):
    admin = UserFactory(username="quantri", email="quantri@example.vn", is_superuser=True, is_staff=True)
    settings.CONGVU_NOTIFY = notify | {"admin_emails": ["ops@example.vn"]}
    gateway.set_mode("error", channel="sms")
    msg = citizen("lost", channels=["sms"])
    assert notifications_dispatch().failed == 1
    msg.refresh_from_db()
    assert msg.status == OutboxStatus.FAILED and msg.alerted_at is not None
    drain()
    note = InAppNotification.objects.get(user=admin)
    assert f"#{msg.pk}" in note.title and "dossier_received" in note.title
    assert sorted(m.to[0] for m in mail.outbox) == ["ops@example.vn", "quantri@example.vn"]
    # a later delivery report or another failure path does not alert again
    from congvu.notifications.services import _alert_admins

    _alert_admins(msg, "again", now=timezone.now())
    drain()
    assert len(mail.outbox) == 2 and InAppNotification.objects.filter(user=admin).count() == 1


def test_daily_digest_batches_an_officers_reminders(province):
    unit = make_unit("Phòng Tài chính", parent=province)
    user = UserFactory(username="cv1")
    person = make_person(unit, "Trần Văn Số", email="so@example.vn")
    Person.objects.filter(pk=person.pk).update(user=user)
    person.refresh_from_db()
    RecipientPreference.objects.create(person=person, daily_digest=True)
    for i in range(3):
        notification_enqueue(idempotency_key=f"task:{i}:reminder:due:email:{person.pk}", channel="email",
                             recipient=person.email, recipient_user=user, template_key="task.reminder.due",
                             context={"action_short": f"Việc số {i}", "url": f"http://x/t/{i}/"})
    notification_enqueue(idempotency_key="inapp-1", channel="in_app", recipient="cv1", recipient_user=user,
                         template_key="task.assigned", context={"action_short": "Việc mới"})
    assert notifications_dispatch().sent == 1  # only the in-app item; e-mails are held
    assert mail.outbox == []
    today = timezone.localdate()
    assert notifications_daily_digest(today=today) == 1
    assert notifications_daily_digest(today=today) == 0
    notifications_dispatch()
    [digest] = mail.outbox
    assert digest.to == ["so@example.vn"] and "4 thông báo" in digest.subject
    assert "Việc số 0" in digest.body and "Việc số 2" in digest.body and "Việc mới" in digest.body
    assert OutboxMessage.objects.filter(status=OutboxStatus.BATCHED).count() == 3
    from django.conf import settings

    assert "congvu.notifications.services.notifications_daily_digest" in settings.CONGVU_DAILY_JOBS


def test_delivery_report_callback(client, settings, notify, gateway):
    settings.CONGVU_NOTIFY = notify | {"callback_token": "s3cret"}
    msg = citizen("cb", channels=["sms"])
    notifications_dispatch()
    msg.refresh_from_db()
    payload = json.dumps({"message_id": msg.provider_ref, "status": "delivered"})
    assert client.post("/notifications/callback/", payload, content_type="application/json").status_code == 403
    r = client.post("/notifications/callback/", payload, content_type="application/json",
                    headers={"X-Congvu-Token": "s3cret"})
    assert r.status_code == 200
    msg.refresh_from_db()
    assert msg.status == OutboxStatus.DELIVERED and attempts(msg)[-1] == ("sms", "delivered")


def test_undelivered_report_falls_back(notify, gateway):
    msg = citizen("undeliv", email="hoa@example.vn")
    notifications_dispatch()
    msg.refresh_from_db()
    notification_delivery_report(provider_ref=msg.provider_ref, delivered=False, error="expired")
    msg.refresh_from_db()
    assert msg.status == OutboxStatus.PENDING and msg.channel == "sms"


def test_gateway_control_endpoint(notify, gateway):
    status, _ = post_json(f"{gateway.url}/control", {"mode": "fail", "channel": "sms"}, headers={}, timeout=5)
    assert status == 200
    status, body = post_json(f"{gateway.url}/sms", {"message_id": "x", "to": "1", "text": "t"}, headers={}, timeout=5)
    assert status == 503
    post_json(f"{gateway.url}/control", {"mode": "ok"}, headers={}, timeout=5)
    assert post_json(f"{gateway.url}/sms", {"message_id": "x", "to": "1", "text": "t"}, headers={}, timeout=5)[0] == 200


def test_unconfigured_channels_are_dropped_from_the_chain(settings):
    settings.CONGVU_NOTIFY = {"sms": {"endpoint": ""}, "zalo": {"endpoint": ""}}
    assert citizen("none") is None
    msg = citizen("mail-only", email="hoa@example.vn")
    assert msg.channels == ["email"]
