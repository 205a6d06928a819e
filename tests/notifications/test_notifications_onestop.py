"""Dossier events → citizen notifications (transactional with the event), and templates as data."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.utils import timezone
from notif_helpers import drain

from congvu.notifications.catalog import template_for
from congvu.notifications.models import NotificationTemplate, OutboxMessage, OutboxStatus
from congvu.notifications.providers import provider_message_id
from congvu.notifications.templates import gsm_fold, render_sms, render_template, shipped_template
from congvu.onestop import services as s
from congvu.onestop.notify import dossier_notify
from factories import make_unit

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def T(*a):
    return dt.datetime(*a, tzinfo=VN)


@pytest.fixture
def desk(commune):
    return make_unit("Bộ phận một cửa xã Bình Thạnh", kind="onestop_desk", parent=commune, code="H55.01.12")


@pytest.fixture
def procedure(db):
    field = s.field_get_or_create(code="HT", name="Hộ tịch")
    return s.procedure_create(code="1.001193", name="Thủ tục đăng ký khai sinh", field=field, level="commune",
                              processing_time=5, steps=[{"name": "Thẩm định", "share": "1"}])


def receive(procedure, desk, at, phone="0912345678"):
    return s.dossier_receive(procedure=procedure, unit=desk, applicant_name="Nguyễn Thị Hoa", channel="in_person",
                             received_at=at, applicant_phone=phone)


def test_outbox_row_rolls_back_with_the_receipt(notify, procedure, desk):
    with pytest.raises(RuntimeError), transaction.atomic():
        receive(procedure, desk, T(2024, 3, 4, 8, 0))
        assert OutboxMessage.objects.count() == 1
        raise RuntimeError("the receipt failed after the notification was queued")
    assert OutboxMessage.objects.count() == 0


def test_dossier_events_enqueue_their_templates_in_order_and_reach_the_gateway(notify, gateway, procedure, desk):
    d = receive(procedure, desk, T(2024, 3, 4, 8, 0))  # due Mon 11/03 17:00
    s.dossier_transfer(dossier=d, at=T(2024, 3, 4, 9, 0))
    s.dossier_request_supplement(dossier=d, items="Bản sao giấy chứng sinh", at=T(2024, 3, 5, 9, 0))
    s.dossier_supplement_received(dossier=d, at=T(2024, 3, 6, 9, 0))
    s.dossier_apologise(dossier=d, reason="Cần xác minh thêm", new_due_at=T(2024, 3, 20, 17, 0),
                        at=T(2024, 3, 7, 9, 0))
    s.dossier_record_result(dossier=d, at=T(2024, 3, 8, 9, 0), result_code="123/TLKS")
    msgs = list(OutboxMessage.objects.filter(group_key=f"dossier:{d.pk}").order_by("id"))
    assert [m.template_key for m in msgs] == ["dossier_received", "supplement_needed", "late_apology", "ready_early"]
    assert all(m.idempotency_key.startswith(f"dossier:{d.pk}:{m.template_key}:") for m in msgs)
    assert msgs[0].context["code"] == d.code and msgs[0].addresses["sms"] == "0912345678"
    assert msgs[1].context["items"] == "Bản sao giấy chứng sinh"
    assert msgs[2].context["new_due"] == "20/03/2024" and msgs[2].context["reason"] == "Cần xác minh thêm"

    refused = receive(procedure, desk, T(2024, 3, 4, 10, 0), phone="0987654321")
    s.dossier_refuse(dossier=refused, reason="Không thuộc thẩm quyền")
    late = receive(procedure, desk, T(2024, 3, 4, 11, 0), phone="0987000111")
    s.dossier_transfer(dossier=late, at=T(2024, 3, 4, 12, 0))
    s.dossier_record_result(dossier=late, at=T(2024, 3, 11, 16, 0))  # on the due day: "ready"
    assert OutboxMessage.objects.filter(group_key=f"dossier:{refused.pk}").last().template_key == "refused"
    assert OutboxMessage.objects.filter(group_key=f"dossier:{late.pk}").last().template_key == "ready"

    drain()
    got = gateway.messages()
    ids = [provider_message_id(m, "zalo") for m in msgs]
    assert [m["id"] for m in got if m["id"] in ids] == ids  # the citizen gets them in the order of the events
    result = next(m for m in got if m["id"] == ids[-1])
    assert result["body"]["template_id"] == notify["zalo"]["templates"]["ready_early"]
    assert result["body"]["template_data"]["code"] == d.code
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}


def test_result_reaches_the_gateway_by_sms_when_the_citizen_has_no_zalo(notify, gateway, procedure, desk):
    gateway.set_mode(no_zalo=["0912345678"])
    d = receive(procedure, desk, T(2024, 3, 4, 8, 0))
    s.dossier_transfer(dossier=d, at=T(2024, 3, 4, 9, 0))
    s.dossier_record_result(dossier=d, at=T(2024, 3, 11, 10, 0), result_code="45/GKS")
    drain()
    texts = [m["body"]["text"] for m in gateway.messages("sms")]
    assert len(texts) == 2 and "da co ket qua" in texts[1] and d.code in texts[1]


def test_no_phone_no_notification(notify, procedure, desk):
    receive(procedure, desk, T(2024, 3, 4, 8, 0), phone="")
    assert not OutboxMessage.objects.exists()


def test_notify_is_idempotent_per_event_and_version(notify, procedure, desk):
    d = receive(procedure, desk, T(2024, 3, 4, 8, 0))
    assert dossier_notify(d, "dossier_received").pk == OutboxMessage.objects.get().pk
    assert dossier_notify(d, "rating_invitation").template_key == "rating_invitation"
    with pytest.raises(ValueError):
        dossier_notify(d, "no_such_event")


def test_shipped_templates_render_vietnamese_and_sms_rule():
    ctx = {"applicant": "Trần Thị Ánh", "code": "H55.01.12-240304-0007", "procedure": "Đăng ký kết hôn",
           "unit": "UBND phường Nghĩa Lộ", "reason": "Thiếu giấy xác nhận tình trạng hôn nhân " * 5,
           "new_due": "20/03/2024", "previous_due": "15/03/2024"}
    subject, body = render_template(shipped_template("late_apology"), ctx)
    assert subject == "[UBND phường Nghĩa Lộ] Xin lỗi và hẹn lại ngày trả kết quả hồ sơ H55.01.12-240304-0007"
    assert "Kính gửi ông/bà Trần Thị Ánh" in body and "ngày hẹn trả mới: 20/03/2024" in body
    sms = render_sms(shipped_template("late_apology"), ctx)
    assert sms.startswith("UBND phuong Nghia Lo xin loi: ho so H55.01.12-240304-0007") and sms.isascii()
    assert len(sms) <= 160 and sms.endswith("...")
    assert gsm_fold("Đắk Lắk – Ưu tiên") == "Dak Lak - Uu tien"
    for key in ("dossier_received", "supplement_needed", "refused", "ready_early", "ready", "late_apology",
                "rating_invitation", "payment_received", "task_reminder", "task_escalation"):
        assert shipped_template(key).subject != "{subject}", key


def test_templates_are_data_versioned_by_effective_date():
    seeded = NotificationTemplate.objects.get(key="dossier_received", version=1)  # seeded after migrate
    assert seeded.subject == shipped_template("dossier_received").subject
    today = timezone.localdate()
    NotificationTemplate.objects.create(key="dossier_received", version=2, effective_from=today + dt.timedelta(days=1),
                                        subject="[{unit}] Hồ sơ {code} đã được tiếp nhận", body="Mẫu mới {code}")
    assert template_for("dossier_received", today).version == 1
    assert template_for("dossier_received", today + dt.timedelta(days=1)).subject.endswith("đã được tiếp nhận")
    NotificationTemplate.objects.filter(key="dossier_received").update(active=False)
    assert template_for("dossier_received", today).version == 0  # back to the shipped text
