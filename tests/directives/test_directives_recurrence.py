"""Recurring tasks: the extractor's recurrence is kept on confirm and the next instance is scheduled when
one is completed; the review screen shows confidence and highlights what the extractor could not place."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from congvu.directives import importing, services
from congvu.directives.draft import review_hints
from congvu.directives.models import NoticeImport, Task
from congvu.directives.recurrence import describe, next_due
from factories import make_unit, make_user_with_role

TEXT = ("UBND HUYỆN BÌNH SƠN\nSố: 12/UBND-VP\nBình Sơn, ngày 05 tháng 3 năm 2024\nKính gửi: Phòng Nội vụ huyện\n"
        "1. Phòng Nội vụ huyện tổng hợp, báo cáo UBND huyện kết quả thi đua trước ngày 25/12 hằng năm.\n"
        "2. Rà soát hồ sơ lưu trữ của các cơ quan.\n"
        "Đề nghị Phòng Nội vụ huyện thực hiện./.\n")


def test_next_due_forms() -> None:
    assert next_due({"freq": "yearly", "month": 12, "day": 25}, dt.date(2024, 12, 25)) == dt.date(2025, 12, 25)
    assert next_due({"freq": "yearly", "month": 12, "day": 25}, dt.date(2024, 3, 5)) == dt.date(2024, 12, 25)
    assert next_due({"freq": "monthly", "day": 31}, dt.date(2024, 1, 31)) == dt.date(2024, 2, 29)
    assert next_due({"freq": "quarterly", "day": 20}, dt.date(2024, 3, 20)) == dt.date(2024, 6, 20)
    assert next_due({"freq": "half_yearly"}, dt.date(2024, 8, 31)) == dt.date(2025, 2, 28)
    assert next_due({"freq": "weekly"}, dt.date(2024, 1, 1)) is None
    assert next_due({"freq": "yearly"}, None) is None
    assert describe({"freq": "yearly", "month": 12, "day": 25}) == "hằng năm, ngày 25/12"


@hypothesis_settings(deadline=None)  # a property, not a timing: the shared machine may be slow
@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 1, 1)),
       st.sampled_from([{"freq": "yearly", "month": 2, "day": 29}, {"freq": "monthly", "day": 31},
                        {"freq": "quarterly", "day": 15}, {"freq": "half_yearly"}, {"freq": "yearly"}]))
def test_next_due_is_after_and_within_a_year(after: dt.date, rec: dict) -> None:
    nxt = next_due(rec, after)
    assert nxt is not None and after < nxt <= after + dt.timedelta(days=366)


def test_review_hints() -> None:
    assert review_hints({"confidence": 0.95, "flags": []}) == {
        "confidence_pct": 95, "confidence_level": "high", "unplaced": [], "needs_check": False}
    hints = review_hints({"confidence": 0.5, "flags": ["assignee_missing", "no_deadline", "assignee_generic"]})
    assert hints["needs_check"] and hints["unplaced"] == ["assignee_missing", "no_deadline"]
    assert review_hints({"flags": []})["confidence_level"] == "unknown"


@pytest.mark.django_db
def test_confirm_keeps_recurrence_and_accept_schedules_next(district, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    noi_vu = make_unit("Phòng Nội vụ", parent=district)
    clerk = make_user_with_role("office_clerk", district)
    leader = make_user_with_role("unit_leader", district)
    record = importing.notice_import_create(actor=clerk, unit=district, text=TEXT)
    tasks = record.draft["tasks"]
    assert tasks[0]["recurrence"] == {"freq": "yearly", "month": 12, "day": 25}
    assert tasks[0]["deadline"] == "2024-12-25" and 0 < tasks[0]["confidence"] <= 1
    draft = record.draft
    for t in draft["tasks"]:
        t["unit_id"] = noi_vu.pk
    record = importing.notice_import_save_draft(actor=clerk, record=record, expected_version=record.version, draft=draft)
    notice = importing.notice_import_confirm(actor=clerk, record=record)
    recurring = notice.tasks.get(ordinal=1, kind="task")
    assert recurring.recurrence == {"freq": "yearly", "month": 12, "day": 25}
    assert recurring.deadline == dt.date(2024, 12, 25)
    once = notice.tasks.get(ordinal=2, kind="task")
    assert once.recurrence is None
    worker = make_user_with_role("specialist", noi_vu)
    for name, actor in (("report_done", worker), ("accept", leader)):
        recurring = services.task_transition(actor=actor, task=Task.objects.get(pk=recurring.pk), name=name)
    nxt = Task.objects.get(previous=recurring)
    assert (nxt.deadline, nxt.state, nxt.unit, nxt.recurrence) == (
        dt.date(2025, 12, 25), "assigned", noi_vu, {"freq": "yearly", "month": 12, "day": 25})
    # a task without recurrence opens nothing when accepted
    for name, actor in (("report_done", worker), ("accept", leader)):
        once = services.task_transition(actor=actor, task=Task.objects.get(pk=once.pk), name=name)
    assert not Task.objects.filter(previous=once).exists()


@pytest.mark.django_db
def test_review_page_shows_confidence_and_highlights_unplaced(district, settings, tmp_path, client) -> None:
    settings.MEDIA_ROOT = tmp_path
    clerk = make_user_with_role("office_clerk", district)
    record = importing.notice_import_create(actor=clerk, unit=district, text=TEXT)
    client.force_login(clerk)
    html = client.get(f"/directives/imports/{record.pk}/").content.decode()
    assert html.count('class="badge confidence') == len(record.draft["tasks"])
    # "Phòng Nội vụ huyện" is not in this registry: every task needs the clerk's eye
    assert 'class="draft-task needs-check"' in html
    assert NoticeImport.objects.count() == 1
