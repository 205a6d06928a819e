"""Reminders on working days: before / on the day / after to the head, each sent exactly once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from congvu.directives import services
from congvu.directives.importing import notice_create
from congvu.directives.models import Reminder
from congvu.notifications.models import OutboxMessage
from congvu.notifications.services import notifications_dispatch
from factories import make_person, make_unit, make_user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(district, settings):
    settings.CONGVU_REMINDER_BEFORE_DAYS = [3, 1]
    settings.CONGVU_REMINDER_AFTER_DAYS = [1, 5]
    unit = make_unit("Phòng Tài chính - Kế hoạch", parent=district)
    make_person(unit, "Nguyễn Thị Trưởng Phòng", is_head=True, email="head@tckh.vn")
    make_person(unit, "Phạm Văn Chuyên Viên", email="cv@tckh.vn")
    clerk = make_user_with_role("office_clerk", district)
    notice = notice_create(actor=clerk, issuer_unit=district, title="Kết luận", date="2024-03-01",
                           tasks=[{"action": "Báo cáo giải ngân vốn đầu tư công", "unit_id": unit.pk,
                                   "deadline": "2024-03-29"}])  # Friday
    mail.outbox.clear()
    OutboxMessage.objects.all().delete()
    return notice.tasks.get()


def _run(day):
    n = services.reminders_schedule(today=day)
    notifications_dispatch(batch=100)
    return n


def test_reminders_sent_once_each_even_when_run_twice(task):
    days = [dt.date(2024, 3, 25), dt.date(2024, 3, 26), dt.date(2024, 3, 27), dt.date(2024, 3, 28),
            dt.date(2024, 3, 29), dt.date(2024, 3, 30), dt.date(2024, 4, 1), dt.date(2024, 4, 2),
            dt.date(2024, 4, 5), dt.date(2024, 4, 8)]
    for day in days:
        _run(day)
        _run(day)  # scheduler and worker twice the same day
    kinds = list(Reminder.objects.filter(task=task).order_by("sent_on").values_list("kind", "sent_on"))
    assert kinds == [("before-3", dt.date(2024, 3, 26)), ("before-1", dt.date(2024, 3, 28)),
                     ("due", dt.date(2024, 3, 29)), ("after-1", dt.date(2024, 4, 1)),
                     ("after-5", dt.date(2024, 4, 5))]
    subjects = [(m.to[0], m.subject) for m in mail.outbox]
    assert len(subjects) == len(set(subjects)) == 5  # one e-mail per reminder, no duplicates
    to_head = [m for m in mail.outbox if m.to == ["head@tckh.vn"]]
    assert len(to_head) == 2 and all("[Quá hạn]" in m.subject for m in to_head)  # escalation goes to the head
    assert all(m.to == ["cv@tckh.vn"] for m in mail.outbox if "[Nhắc việc]" in m.subject)
    keys = set(OutboxMessage.objects.values_list("idempotency_key", flat=True))
    assert f"task:{task.pk}:reminder:due:2024-03-29:email:" in " ".join(keys)


def test_no_reminders_on_days_off_or_for_finished_tasks(task):
    assert services.reminders_schedule(today=dt.date(2024, 3, 30)) == 0  # Saturday
    task.state = "reported_done"
    task.save()
    assert services.reminders_schedule(today=dt.date(2024, 3, 29)) == 0


def test_extension_restarts_reminders_for_the_new_deadline(task):
    _run(dt.date(2024, 3, 29))
    task.deadline = dt.date(2024, 4, 12)
    task.save()
    _run(dt.date(2024, 4, 12))
    assert set(Reminder.objects.values_list("kind", "for_deadline")) == {
        ("due", dt.date(2024, 3, 29)), ("due", dt.date(2024, 4, 12))}
    assert len(mail.outbox) == 2
