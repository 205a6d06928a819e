from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congvu.workdays.calendar import DAY_OFF, WORKING_DAY, Override


class CalendarOverride(models.Model):
    """One day of an announced schedule (VPCP letter / MOHA notice) that wins over the computed
    calendar: a day off (holiday, swap, day in lieu) or a working day (make-up Saturday).

    Edit only through congvu.workdays.services (audit trail, cache invalidation).
    """

    class Kind(models.TextChoices):
        DAY_OFF = DAY_OFF, _("Ngày nghỉ")
        WORKING_DAY = WORKING_DAY, _("Ngày làm việc (làm bù)")

    class Origin(models.TextChoices):
        # Shipped rows are refreshed by `congvu calendar load`; an admin edit makes them manual so
        # that a later load never overwrites a local decision.
        SHIPPED = "shipped", _("Dữ liệu kèm phần mềm")
        MANUAL = "manual", _("Nhập tay")

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("tên / lý do"), max_length=255)
    source = models.CharField(_("căn cứ (số văn bản, URL)"), max_length=1000, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    verified = models.BooleanField(_("đã đối chiếu văn bản gốc"), default=False)
    origin = models.CharField(_("nguồn nhập"), max_length=16, choices=Origin.choices, default=Origin.MANUAL)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("ngày nghỉ / ngày làm bù")
        verbose_name_plural = _("lịch nghỉ lễ, nghỉ bù, làm bù")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[DAY_OFF, WORKING_DAY]), name="workdays_override_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()}: {self.name}"

    def to_override(self) -> Override:
        return Override(
            date=self.date,
            kind=self.kind,
            name=self.name,
            source=self.source,
            verified=self.verified,
            note=self.note,
        )
