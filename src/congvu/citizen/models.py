"""Online submissions (before they become dossiers), rating invitations and PAKN (phản ánh, kiến nghị)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

User = settings.AUTH_USER_MODEL


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Đã nộp, chờ tiếp nhận")
    ACCEPTED = "accepted", _("Đã tiếp nhận")
    RETURNED_FOR_SUPPLEMENT = "returned_for_supplement", _("Cần bổ sung, hoàn thiện")
    REJECTED = "rejected", _("Từ chối tiếp nhận")


class OnlineSubmission(models.Model):
    """A dossier filed on the public site. The clock starts only when an officer accepts it (§2.6):
    acceptance creates the onestop `Dossier` (channel online) and links it here."""

    receipt_number = models.CharField(_("số biên nhận"), max_length=24, unique=True)
    procedure = models.ForeignKey("onestop.Procedure", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("thủ tục"))
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("nơi nộp hồ sơ"))
    applicant_name = models.CharField(_("họ và tên"), max_length=255)
    applicant_phone = models.CharField(_("số điện thoại"), max_length=20)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_id_number = models.CharField(_("số định danh cá nhân"), max_length=20)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(_("thời điểm nộp"), db_index=True)
    status = models.CharField(_("trạng thái"), max_length=24, choices=SubmissionStatus.choices,
                              default=SubmissionStatus.SUBMITTED, db_index=True)
    decided_at = models.DateTimeField(_("thời điểm xử lý"), null=True, blank=True)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("lý do / nội dung cần bổ sung"), blank=True)
    dossier = models.OneToOneField("onestop.Dossier", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="online_submission", verbose_name=_("hồ sơ"))
    # The filing form's single-use token: the same submission posted twice is one submission.
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["unit", "status", "submitted_at"], name="citizen_sub_pending_idx")]
        verbose_name = _("hồ sơ nộp trực tuyến")
        verbose_name_plural = _("hồ sơ nộp trực tuyến")

    def __str__(self) -> str:
        return self.receipt_number


class SubmissionFile(models.Model):
    submission = models.ForeignKey(OnlineSubmission, on_delete=models.CASCADE, related_name="files")
    component = models.ForeignKey("onestop.ProcedureComponent", null=True, on_delete=models.SET_NULL,
                                  related_name="+")
    component_name = models.CharField(_("thành phần hồ sơ"), max_length=500)
    file = models.FileField(_("tệp"), upload_to="citizen/%Y/%m/", max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    kind = models.CharField(_("loại tệp"), max_length=8)  # pdf / jpg / png / docx (detected from content)
    size = models.PositiveIntegerField(_("dung lượng"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["submission", "id"]
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self) -> str:
        return self.original_name


class Rating(models.Model):
    """A rating invitation (token link, expires, single use) and, once used, the answer.

    The raw token is HMAC(SECRET_KEY, nonce); only its SHA-256 is searchable, so a database dump
    alone does not give working links. Scores follow onestop.md §2.7 (TT 01/2018: 0 / 1 / 2)."""

    dossier = models.OneToOneField("onestop.Dossier", on_delete=models.CASCADE, related_name="rating")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    nonce = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True, db_index=True)
    scores = models.JSONField(_("điểm theo tiêu chí"), default=dict, blank=True)
    overall = models.PositiveSmallIntegerField(_("mức độ hài lòng chung"), null=True, blank=True)
    comment = models.TextField(_("ý kiến khác"), blank=True)

    class Meta:
        verbose_name = _("đánh giá mức độ hài lòng")
        verbose_name_plural = _("đánh giá mức độ hài lòng")

    def __str__(self) -> str:
        return f"Đánh giá {self.dossier_id}"

    @property
    def dislike(self) -> bool:
        return self.used_at is not None and self.overall == 0


class ComplaintKind(models.TextChoices):
    COMPLAINT = "complaint", _("Phản ánh")
    RECOMMENDATION = "recommendation", _("Kiến nghị")


class ComplaintState(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    UNDER_REVIEW = "under_review", _("Đang xem xét")
    ANSWERED = "answered", _("Đã trả lời")
    CLOSED = "closed", _("Từ chối xử lý")


class Complaint(models.Model):
    """PAKN. Reviewed by the leader of `unit`; deadlines in working days (onestop.md §1.3, 5.2)."""

    dossier = models.ForeignKey("onestop.Dossier", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="complaints", verbose_name=_("hồ sơ"))
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("đơn vị xem xét"))
    kind = models.CharField(_("loại"), max_length=16, choices=ComplaintKind.choices)
    text = models.TextField(_("nội dung"))
    contact_name = models.CharField(_("họ và tên"), max_length=255)
    contact_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    contact_email = models.EmailField(_("thư điện tử"), blank=True)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), db_index=True)
    due_date = models.DateField(_("hạn xử lý"))
    refuse_due_date = models.DateField(_("hạn từ chối xử lý"))
    state = models.CharField(_("trạng thái"), max_length=16, choices=ComplaintState.choices,
                             default=ComplaintState.RECEIVED, db_index=True)
    review_started_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(_("thời điểm trả lời"), null=True, blank=True)
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    answered_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    on_time = models.BooleanField(_("đúng hạn"), null=True, blank=True)  # set when answered or closed

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["unit", "state", "received_at"], name="citizen_pakn_unit_idx")]
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")

    def __str__(self) -> str:
        return f"PAKN #{self.pk}"
