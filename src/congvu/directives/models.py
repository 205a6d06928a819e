"""Notices, their import drafts, tasks and what hangs off a task. Thin: rules live in services,
the state machine in `workflow.py`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from congvu.directives.workflow import STATE_LABELS, State
from congvu.org.models import Unit


class ImportStatus(models.TextChoices):
    DRAFT = "draft", _("Chờ rà soát")
    CONFIRMED = "confirmed", _("Đã xác nhận")
    DISCARDED = "discarded", _("Đã hủy")


class NoticeImport(models.Model):
    """One imported document awaiting review. `draft` holds the editable extraction result."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="notice_imports",
                             verbose_name=_("đơn vị ban hành / theo dõi"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.DRAFT)
    source_kind = models.CharField(_("nguồn"), max_length=10)  # paste / txt / docx / pdf / doc
    original = models.FileField(_("tệp gốc"), upload_to="directives/originals/%Y/%m/", blank=True)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    original_size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    text = models.TextField(_("văn bản (đã chuẩn hóa)"))
    result = models.JSONField(_("kết quả trích xuất"), default=dict)
    draft = models.JSONField(_("bản nháp"), default=dict)
    notice = models.OneToOneField("Notice", null=True, blank=True, on_delete=models.SET_NULL, related_name="import_record")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("văn bản nhập chờ rà soát")
        verbose_name_plural = _("văn bản nhập chờ rà soát")

    def __str__(self) -> str:
        return self.original_name or (self.result.get("title") or f"Nhập #{self.pk}")

    @property
    def scope_unit(self) -> Unit:
        return self.unit


class Notice(models.Model):
    """A confirmed directive document (Thông báo kết luận, Chỉ thị, Kế hoạch...)."""

    issuer_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="notices",
                                    verbose_name=_("đơn vị ban hành"))
    doc_type = models.CharField(_("loại văn bản"), max_length=10, default="TB")
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    issuer = models.CharField(_("cơ quan ban hành (như ghi)"), max_length=255, blank=True)
    date = models.DateField(_("ngày văn bản"), null=True, blank=True)
    meeting_date = models.DateField(_("ngày họp"), null=True, blank=True)
    title = models.TextField(_("trích yếu"))
    signer = models.CharField(_("người ký"), max_length=150, blank=True)
    recipients = models.JSONField(_("nơi nhận"), default=list, blank=True)
    text = models.TextField(_("nội dung"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("văn bản chỉ đạo")
        verbose_name_plural = _("văn bản chỉ đạo")

    def __str__(self) -> str:
        head = f"{self.number} " if self.number else ""
        return f"{head}{self.title}"[:200]

    @property
    def scope_unit(self) -> Unit:
        return self.issuer_unit

    @property
    def label(self) -> str:
        parts = [f"văn bản số {self.number}" if self.number else "văn bản"]
        if self.date:
            parts.append(f"ngày {self.date:%d/%m/%Y}")
        return " ".join(parts) + f" của {self.issuer or self.issuer_unit.name}"


class ReportingDuty(models.Model):
    """One periodic-report instance required by a notice (báo cáo định kỳ with its data cut-off)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="reporting_duties")
    name = models.CharField(_("tên báo cáo"), max_length=255)
    assignee_text = models.CharField(_("đơn vị báo cáo (như ghi)"), max_length=255, blank=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("đơn vị báo cáo"))
    recipient = models.CharField(_("nơi nhận báo cáo"), max_length=255, blank=True)
    due = models.DateField(_("hạn gửi"), null=True, blank=True)
    period_start = models.DateField(_("chốt số liệu từ"), null=True, blank=True)
    period_end = models.DateField(_("chốt số liệu đến"), null=True, blank=True)

    class Meta:
        ordering = ["due", "id"]
        verbose_name = _("báo cáo định kỳ")
        verbose_name_plural = _("báo cáo định kỳ")

    def __str__(self) -> str:
        return self.name


class TaskKind(models.TextChoices):
    TASK = "task", _("Nhiệm vụ")
    REPORT = "report", _("Báo cáo định kỳ")


class Task(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("văn bản"))
    kind = models.CharField(_("loại"), max_length=10, choices=TaskKind.choices, default=TaskKind.TASK)
    reporting_duty = models.OneToOneField(ReportingDuty, null=True, blank=True, on_delete=models.CASCADE,
                                          related_name="task")
    ordinal = models.PositiveIntegerField(_("thứ tự"), default=0)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="lead_tasks",
                             verbose_name=_("đơn vị chủ trì"))
    lead_text = models.CharField(_("chủ trì (như ghi)"), max_length=255, blank=True)
    co_assignees = models.ManyToManyField(Unit, blank=True, related_name="co_tasks", verbose_name=_("đơn vị phối hợp"))
    co_assignees_text = models.JSONField(_("phối hợp (như ghi)"), default=list, blank=True)
    action = models.TextField(_("nội dung nhiệm vụ"))
    source_text = models.TextField(_("trích văn bản"), blank=True)
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    deadline = models.DateField(_("thời hạn"), null=True, blank=True, db_index=True)
    deadline_text = models.CharField(_("thời hạn (như ghi)"), max_length=255, blank=True)
    original_deadline = models.DateField(_("thời hạn ban đầu"), null=True, blank=True)
    recurrence = models.JSONField(_("lặp lại"), null=True, blank=True,
                                  help_text=_("Nhiệm vụ định kỳ: khi hoàn thành, lần kế tiếp được tạo với thời hạn mới."))
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("lần trước"))
    state = models.CharField(_("trạng thái"), max_length=20, choices=[(s.value, label) for s, label in STATE_LABELS.items()],
                             default=State.ASSIGNED)
    flags = models.JSONField(_("cảnh báo"), default=list, blank=True)
    done_on = models.DateField(_("ngày báo cáo hoàn thành"), null=True, blank=True)
    accepted_on = models.DateField(_("ngày chấp nhận"), null=True, blank=True)
    overdue_since = models.DateField(_("quá hạn từ"), null=True, blank=True,
                                     help_text=_("Ghi bởi lượt quét quá hạn; trạng thái quá hạn luôn tính lại từ thời hạn."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["notice_id", "ordinal", "id"]
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        indexes = [models.Index(fields=["state", "deadline"], name="dir_task_state_deadline"),
                   models.Index(fields=["unit", "state"], name="dir_task_unit_state")]

    def __str__(self) -> str:
        return self.action[:120]

    @property
    def scope_unit(self) -> Unit:
        """Scope for permission checks: the lead unit, else the issuing unit."""
        return self.unit if self.unit_id else self.notice.issuer_unit

    @property
    def also_scope_units(self) -> list[Unit]:
        """Further units whose scope covers the task (`congvu.org.policy`): the issuing unit follows up
        the tasks of its notices whoever leads them (tasks_visible lists them for it too)."""
        return [self.notice.issuer_unit] if self.unit_id else []

    @property
    def state_label(self) -> str:
        return STATE_LABELS[State(self.state)]

    @property
    def assignee_label(self) -> str:
        return self.unit.name if self.unit_id else (self.lead_text or "")


class TaskTransitionLog(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="transitions")
    name = models.CharField(max_length=30)
    from_state = models.CharField(max_length=20)
    to_state = models.CharField(max_length=20)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.name}: {self.from_state} → {self.to_state}"


class ProgressReport(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="progress_reports")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("nội dung báo cáo"))
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"), null=True, blank=True)
    attachment = models.FileField(_("tệp đính kèm"), upload_to="directives/reports/%Y/%m/", blank=True)
    attachment_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")

    def __str__(self) -> str:
        return self.text[:80]


class TaskComment(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("ý kiến"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt")
    REJECTED = "rejected", _("Không duyệt")


class Extension(models.Model):
    """A deadline extension request; approved ones form the task's deadline history."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    old_deadline = models.DateField(_("thời hạn cũ"), null=True, blank=True)
    new_deadline = models.DateField(_("thời hạn đề nghị"))
    reason = models.TextField(_("lý do"))
    status = models.CharField(max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("gia hạn")
        verbose_name_plural = _("gia hạn")

    def __str__(self) -> str:
        return f"{self.old_deadline} → {self.new_deadline} ({self.status})"


class Reminder(models.Model):
    """A reminder decided by the scheduler (the outbox carries its delivery)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20)  # before-3, due, after-1...
    for_deadline = models.DateField()
    sent_on = models.DateField()
    escalated = models.BooleanField(default=False)
    recipients = models.JSONField(default=list)

    class Meta:
        ordering = ["sent_on", "id"]
        constraints = [models.UniqueConstraint(fields=["task", "kind", "for_deadline"], name="dir_reminder_once")]

    def __str__(self) -> str:
        return f"{self.kind} ({self.for_deadline})"
