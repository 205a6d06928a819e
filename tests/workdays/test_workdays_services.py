"""Database side: override edits change the calendar, every edit is audited, the cache follows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from congvu.audit.models import AuditEntry
from congvu.audit.services import audit_chain_verify
from congvu.workdays.admin import CalendarOverrideAdmin
from congvu.workdays.calendar import DAY_OFF, WORKING_DAY, shipped_config
from congvu.workdays.models import CalendarOverride
from congvu.workdays.selectors import work_calendar, work_calendar_invalidate
from congvu.workdays.services import (
    calendar_override_create,
    calendar_override_delete,
    calendar_override_update,
    calendar_overrides_load_shipped,
)

D = dt.date.fromisoformat
pytestmark = pytest.mark.django_db
OBJECT_TYPE = "workdays.calendaroverride"


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    work_calendar_invalidate()
    yield
    work_calendar_invalidate()


@pytest.fixture
def actor():
    return get_user_model().objects.create_user(username="canbo", password="x-secret-123")


def entries_for(row_pk: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(object_type=OBJECT_TYPE, object_id=str(row_pk)).order_by("seq"))


def test_empty_table_uses_shipped_yaml() -> None:
    assert CalendarOverride.objects.count() == 0
    cal = work_calendar()
    assert cal.add_working_days(D("2024-02-07"), 1) == D("2024-02-15")
    assert not cal.is_working_day(D("2026-01-02"))


def test_load_shipped_is_idempotent_and_audited() -> None:
    result = calendar_overrides_load_shipped()
    n = len(shipped_config().overrides)
    assert len(result.created) == n == CalendarOverride.objects.count()
    assert AuditEntry.objects.filter(object_type=OBJECT_TYPE, action="create").count() == n
    again = calendar_overrides_load_shipped()
    assert (len(again.created), len(again.updated), len(again.unchanged)) == (0, 0, n)
    assert AuditEntry.objects.filter(object_type=OBJECT_TYPE).count() == n
    assert set(CalendarOverride.objects.values_list("origin", flat=True)) == {CalendarOverride.Origin.SHIPPED}


def test_load_updates_shipped_rows_but_keeps_manual_ones(actor) -> None:
    calendar_overrides_load_shipped()
    shipped_row = CalendarOverride.objects.get(date=D("2024-02-08"))
    CalendarOverride.objects.filter(pk=shipped_row.pk).update(name="stale import")
    calendar_override_update(actor=actor, override=D("2024-02-09"), note="checked against the letter")
    result = calendar_overrides_load_shipped()
    assert result.updated == [D("2024-02-08")]
    assert result.kept_manual == [D("2024-02-09")]
    assert CalendarOverride.objects.get(date=D("2024-02-08")).name.startswith("Tết Nguyên đán Giáp Thìn")
    assert CalendarOverride.objects.get(date=D("2024-02-09")).note == "checked against the letter"


def test_create_changes_results_and_is_audited(actor) -> None:
    before = work_calendar()
    assert before.add_working_days(D("2027-06-10"), 1) == D("2027-06-11")
    row = calendar_override_create(
        actor=actor, date="11/06/2027", kind=DAY_OFF, name="Nghỉ thử nghiệm", source="CV 1/TEST"
    )
    after = work_calendar()
    assert after is not before
    assert after.add_working_days(D("2027-06-10"), 1) == D("2027-06-14")
    assert after.off_reason(D("2027-06-11")) == "Nghỉ thử nghiệm"
    # The first manual edit seeded the shipped schedule, so 2024-2026 are unchanged.
    assert after.add_working_days(D("2024-02-07"), 1) == D("2024-02-15")
    assert row.origin == CalendarOverride.Origin.MANUAL
    [entry] = entries_for(row.pk)
    assert (entry.action, entry.before, entry.actor_id) == ("create", None, actor.pk)
    assert entry.after["date"] == "2027-06-11" and entry.after["kind"] == DAY_OFF


def test_update_changes_results_and_is_audited(actor) -> None:
    calendar_overrides_load_shipped()
    assert work_calendar().is_working_day(D("2026-01-10"))
    row = calendar_override_update(
        actor=actor, override=D("2026-01-10"), kind=DAY_OFF, name="Bỏ làm bù (thử)", verified=False
    )
    cal = work_calendar()
    assert not cal.is_working_day(D("2026-01-10"))
    assert cal.add_working_days(D("2026-01-09"), 1) == D("2026-01-12")
    update = entries_for(row.pk)[-1]
    assert update.action == "update" and update.actor_id == actor.pk
    assert update.before["kind"] == WORKING_DAY and update.after["kind"] == DAY_OFF
    assert row.origin == CalendarOverride.Origin.MANUAL


def test_delete_changes_results_and_is_audited(actor) -> None:
    calendar_overrides_load_shipped()
    row = CalendarOverride.objects.get(date=D("2024-04-29"))
    assert not work_calendar().is_working_day(D("2024-04-29"))
    calendar_override_delete(actor=actor, override=row)
    assert work_calendar().is_working_day(D("2024-04-29"))  # the swap is gone: a plain Monday
    assert not CalendarOverride.objects.filter(pk=row.pk).exists()
    delete = entries_for(row.pk)[-1]
    assert (delete.action, delete.after, delete.actor_id) == ("delete", None, actor.pk)
    assert delete.before["date"] == "2024-04-29"
    assert audit_chain_verify() is None


def test_invalid_edits_are_rejected_without_audit(actor) -> None:
    calendar_overrides_load_shipped()
    count = AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        calendar_override_create(actor=actor, date="2024-02-08", kind=DAY_OFF, name="duplicate date")
    with pytest.raises(ValidationError):
        calendar_override_create(actor=actor, date="2030-01-02", kind="holiday", name="bad kind")
    with pytest.raises(TypeError):
        calendar_override_update(actor=actor, override=D("2024-02-08"), origin="shipped")
    assert AuditEntry.objects.count() == count


def test_other_process_edits_are_seen_after_recheck(settings) -> None:
    calendar_overrides_load_shipped()
    cal = work_calendar()
    assert work_calendar() is cal
    # bulk_create sends no signal: like a write made by another process.
    CalendarOverride.objects.bulk_create(
        [CalendarOverride(date=D("2027-07-07"), kind=DAY_OFF, name="other process")]
    )
    settings.CONGVU_CALENDAR_RECHECK_SECONDS = 3600
    assert work_calendar() is cal  # within the recheck interval: cached
    settings.CONGVU_CALENDAR_RECHECK_SECONDS = 0
    assert not work_calendar().is_working_day(D("2027-07-07"))


def test_culture_day_switch_from_settings(settings) -> None:
    assert work_calendar().is_working_day(D("2026-11-24"))
    settings.CONGVU_CALENDAR_RULES = {"ngay-van-hoa-viet-nam-2411": True}
    work_calendar_invalidate()
    assert not work_calendar().is_working_day(D("2026-11-24"))


def test_admin_saves_through_services(actor) -> None:
    model_admin = CalendarOverrideAdmin(CalendarOverride, admin.site)
    request = RequestFactory().post("/")
    request.user = actor
    form_class = model_admin.get_form(request, None, change=False)
    form = form_class(
        data={"date": "2027-06-11", "kind": DAY_OFF, "name": "Qua admin", "source": "CV 2/TEST", "note": ""}
    )
    assert form.is_valid(), form.errors
    obj = form.save(commit=False)
    model_admin.save_model(request, obj, form, change=False)
    assert obj.pk and entries_for(obj.pk)[0].action == "create"
    assert not work_calendar().is_working_day(D("2027-06-11"))

    form = model_admin.get_form(request, obj, change=True)(
        data={
            "date": "2027-06-11",
            "kind": WORKING_DAY,
            "name": "Qua admin",
            "source": "CV 2/TEST",
            "note": "",
        },
        instance=CalendarOverride.objects.get(pk=obj.pk),
    )
    assert form.is_valid(), form.errors
    model_admin.save_model(request, form.save(commit=False), form, change=True)
    assert [e.action for e in entries_for(obj.pk)] == ["create", "update"]

    model_admin.delete_model(request, CalendarOverride.objects.get(pk=obj.pk))
    assert [e.action for e in entries_for(obj.pk)] == ["create", "update", "delete"]
    assert work_calendar().is_working_day(D("2027-06-11"))
