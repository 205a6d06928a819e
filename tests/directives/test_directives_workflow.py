"""Task lifecycle: state machine, permissions, optimistic locking, extensions, overdue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from congvu.audit.models import AuditEntry
from congvu.common.errors import Conflict, DomainError, NotAllowed
from congvu.directives import selectors, services, workflow
from congvu.directives.importing import notice_create
from congvu.directives.models import ExtensionStatus, Task
from congvu.directives.workflow import State
from factories import make_person, make_unit, make_user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(district):
    noi_vu = make_unit("Phòng Nội vụ", parent=district)
    van_hoa = make_unit("Phòng Văn hóa và Thông tin", parent=district)
    make_person(noi_vu, "Trần Thị Trưởng", is_head=True, email="truong@noivu.vn")
    make_person(noi_vu, "Lê Văn Chuyên", email="chuyen@noivu.vn")
    clerk = make_user_with_role("office_clerk", district)
    leader = make_user_with_role("unit_leader", district)
    specialist = make_user_with_role("specialist", noi_vu)
    outsider = make_user_with_role("specialist", van_hoa)
    notice = notice_create(
        actor=clerk, issuer_unit=district, title="Kết luận của Chủ tịch UBND huyện", number="05/TB-UBND",
        date="2024-03-01",
        tasks=[{"action": "Tham mưu kế hoạch cải cách hành chính năm 2024", "unit_id": noi_vu.pk,
                "assignee": "Phòng Nội vụ huyện", "deadline": "2024-03-29"},
               {"action": "Tuyên truyền chuyển đổi số", "unit_id": van_hoa.pk, "deadline": "2024-09-02"}])
    return {"district": district, "noi_vu": noi_vu, "van_hoa": van_hoa, "clerk": clerk, "leader": leader,
            "specialist": specialist, "outsider": outsider, "notice": notice,
            "task": notice.tasks.get(unit=noi_vu), "task2": notice.tasks.get(unit=van_hoa)}


def test_workflow_table_is_explicit():
    assert workflow.transition_for("accept", State.REPORTED_DONE).target == State.ACCEPTED
    with pytest.raises(DomainError) as exc:
        workflow.transition_for("accept", State.ASSIGNED)
    assert "Không thể" in exc.value.message and "Đã giao" in exc.value.message
    assert {t.name for t in workflow.available(State.RETURNED)} == {"report_done", "resume", "cancel"}
    assert workflow.available(State.ACCEPTED) == []


def test_happy_path_and_audit(world):
    task = world["task"]
    task = services.task_transition(actor=world["specialist"], task=task, name="start", expected_version=task.version)
    assert task.state == State.IN_PROGRESS
    task = services.task_transition(actor=world["specialist"], task=task, name="report_done",
                                    today=dt.date(2024, 3, 20))
    assert task.state == State.REPORTED_DONE and task.done_on == dt.date(2024, 3, 20)
    task = services.task_transition(actor=world["leader"], task=task, name="accept", today=dt.date(2024, 3, 21))
    assert task.state == State.ACCEPTED and task.accepted_on == dt.date(2024, 3, 21)
    assert list(task.transitions.values_list("name", flat=True)) == ["start", "report_done", "accept"]
    assert AuditEntry.objects.filter(action="transition:accept", object_id=str(task.pk)).exists()
    with pytest.raises(DomainError):
        services.task_transition(actor=world["leader"], task=task, name="cancel", note="x")


def test_refused_transitions(world):
    task = world["task"]
    with pytest.raises(DomainError) as exc:
        services.task_transition(actor=world["leader"], task=task, name="accept")
    assert exc.value.code == "task.transition_refused"
    with pytest.raises(NotAllowed):  # another unit's specialist may not report on this task
        services.task_transition(actor=world["outsider"], task=task, name="start")
    task = services.task_transition(actor=world["specialist"], task=task, name="report_done")
    with pytest.raises(NotAllowed):  # the assignee cannot accept its own work
        services.task_transition(actor=world["specialist"], task=task, name="accept")
    with pytest.raises(DomainError) as exc:
        services.task_transition(actor=world["leader"], task=task, name="return")
    assert exc.value.code == "task.note_required"
    task = services.task_transition(actor=world["leader"], task=task, name="return", note="Bổ sung số liệu")
    assert task.state == State.RETURNED and task.done_on is None
    task = services.task_transition(actor=world["specialist"], task=task, name="resume")
    assert task.state == State.IN_PROGRESS
    Task.objects.get(pk=task.pk)


def test_optimistic_locking_refuses_second_save(world):
    first = Task.objects.get(pk=world["task"].pk)
    second = Task.objects.get(pk=world["task"].pk)
    services.task_update(actor=world["clerk"], task=first, expected_version=first.version,
                         action="Tham mưu kế hoạch CCHC (sửa lần 1)")
    with pytest.raises(Conflict) as exc:
        services.task_update(actor=world["clerk"], task=second, expected_version=second.version,
                             action="Bản sửa thứ hai")
    assert "người khác" in exc.value.message
    assert Task.objects.get(pk=first.pk).action == "Tham mưu kế hoạch CCHC (sửa lần 1)"
    with pytest.raises(Conflict):
        services.task_transition(actor=world["specialist"], task=second, name="start",
                                 expected_version=second.version)


def test_extension_approval_keeps_history(world):
    task = world["task"]
    ext = services.extension_request(actor=world["specialist"], task=task, new_deadline=dt.date(2024, 4, 15),
                                     reason="Chờ số liệu của Sở")
    with pytest.raises(Conflict):
        services.extension_request(actor=world["specialist"], task=task, new_deadline=dt.date(2024, 4, 20),
                                   reason="lần 2")
    with pytest.raises(NotAllowed):
        services.extension_decide(actor=world["specialist"], extension=ext, approve=True)
    services.extension_decide(actor=world["leader"], extension=ext, approve=True, note="Đồng ý")
    task.refresh_from_db()
    assert task.deadline == dt.date(2024, 4, 15)
    assert task.original_deadline == dt.date(2024, 3, 29)
    ext2 = services.extension_request(actor=world["specialist"], task=task, new_deadline=dt.date(2024, 5, 10),
                                      reason="Thêm thời gian")
    services.extension_decide(actor=world["leader"], extension=ext2, approve=False)
    task.refresh_from_db()
    assert task.deadline == dt.date(2024, 4, 15)
    history = selectors.deadline_history(task=task)
    assert [(e.old_deadline, e.new_deadline) for e in history] == [(dt.date(2024, 3, 29), dt.date(2024, 4, 15))]
    assert task.extensions.get(pk=ext2.pk).status == ExtensionStatus.REJECTED


def test_overdue_is_derived_with_working_days(world):
    task2 = world["task2"]  # deadline 02/09/2024 = National Day: effectively due Wed 04/09/2024
    assert selectors.task_status(task2, dt.date(2024, 9, 4))["overdue"] is False
    status = selectors.task_status(task2, dt.date(2024, 9, 5))
    assert status["overdue"] is True and status["days_overdue"] == 1
    assert task2 not in selectors.tasks_overdue(today=dt.date(2024, 9, 4))
    assert task2 in selectors.tasks_overdue(today=dt.date(2024, 9, 5))
    task = world["task"]  # Friday 29/03/2024: overdue on Monday 01/04
    assert task in selectors.tasks_overdue(today=dt.date(2024, 4, 1))
    assert task in selectors.tasks_due_soon(today=dt.date(2024, 3, 25))
    result = services.tasks_overdue_sweep(today=dt.date(2024, 4, 1))
    assert result["newly_overdue"] == 1
    task.refresh_from_db()
    assert task.overdue_since == dt.date(2024, 4, 1)
    services.task_transition(actor=world["specialist"], task=task, name="report_done")
    assert services.tasks_overdue_sweep(today=dt.date(2024, 4, 2))["cleared"] == 1


def test_progress_report_with_attachment_and_comment(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    task = world["task"]
    report = services.progress_report_create(
        actor=world["specialist"], task=task, text="Đã xây dựng dự thảo kế hoạch", percent=60,
        attachment=SimpleUploadedFile("du-thao.pdf", b"%PDF-1.4 test", content_type="application/pdf"))
    assert report.attachment.name.endswith(".pdf") and report.unit == world["noi_vu"]
    with pytest.raises(DomainError):
        services.progress_report_create(actor=world["specialist"], task=task, text="x", percent=120)
    with pytest.raises(DomainError):
        services.progress_report_create(actor=world["specialist"], task=task, text="tệp rỗng",
                                        attachment=SimpleUploadedFile("a.pdf", b""))
    comment = services.task_comment_create(actor=world["leader"], task=task, text="Khẩn trương hoàn thành")
    assert comment.task == task


def test_completion_rates(world):
    task, task2 = world["task"], world["task2"]
    services.task_transition(actor=world["specialist"], task=task, name="report_done", today=dt.date(2024, 3, 28))
    rates = selectors.completion_rates(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31),
                                       today=dt.date(2024, 9, 10))
    by_unit = {r.unit_id: r for r in rates}
    assert by_unit[world["noi_vu"].pk].rate == 100.0
    assert by_unit[world["van_hoa"].pk].rate == 0.0 and by_unit[world["van_hoa"].pk].open_overdue == 1
    assert task2.state == State.ASSIGNED
