from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from congvu.workdays.calendar import WEEKDAY_NAMES_VI
from congvu.workdays.models import CalendarOverride
from congvu.workdays.services import (
    calendar_override_create,
    calendar_override_delete,
    calendar_override_update,
)

_FORM_FIELDS = ("date", "kind", "name", "source", "note", "verified")


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    """Each year's VPCP announcement is entered here. Saves go through the services so that every
    change is audited and the cached calendar is rebuilt."""

    list_display = ("date", "weekday", "kind", "name", "verified", "origin", "updated_at")
    list_filter = ("kind", "verified", "origin")
    search_fields = ("name", "source", "note")
    date_hierarchy = "date"
    fields = (*_FORM_FIELDS, "origin", "created_at", "updated_at")
    readonly_fields = ("origin", "created_at", "updated_at")

    @admin.display(description=_("thứ"))
    def weekday(self, obj: CalendarOverride) -> str:
        return WEEKDAY_NAMES_VI[obj.date.weekday()]

    def save_model(self, request: Any, obj: CalendarOverride, form: Any, change: bool) -> None:
        if change:
            changes = {f: form.cleaned_data[f] for f in form.changed_data if f in _FORM_FIELDS}
            saved = calendar_override_update(actor=request.user, override=obj.pk, **changes)
        else:
            saved = calendar_override_create(
                actor=request.user,
                **{f: form.cleaned_data[f] for f in _FORM_FIELDS if f in form.cleaned_data},
            )
        # The admin goes on with `obj` (messages, redirect, LogEntry): give it the saved state.
        obj.pk, obj.origin, obj.created_at, obj.updated_at = (
            saved.pk,
            saved.origin,
            saved.created_at,
            saved.updated_at,
        )

    def delete_model(self, request: Any, obj: CalendarOverride) -> None:
        calendar_override_delete(actor=request.user, override=obj.pk)

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        for pk in list(queryset.values_list("pk", flat=True)):
            calendar_override_delete(actor=request.user, override=pk)
