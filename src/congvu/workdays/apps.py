from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "congvu.workdays"
    label = "workdays"
    verbose_name = _("Lịch ngày làm việc")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connect the cache invalidation of work_calendar() to override edits.
        from congvu.workdays import signals  # noqa: F401
