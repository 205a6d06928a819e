from django.contrib import admin

from congvu.directives.models import (
    Extension,
    Notice,
    NoticeImport,
    ProgressReport,
    Reminder,
    ReportingDuty,
    Task,
)


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "issuer_unit", "date")
    search_fields = ("number", "title")


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("id", "action", "unit", "deadline", "state")
    list_filter = ("state", "kind")
    raw_id_fields = ("notice", "unit", "co_assignees", "reporting_duty")


admin.site.register([NoticeImport, ReportingDuty, ProgressReport, Extension, Reminder])
