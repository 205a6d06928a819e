"""Procedures catalogue, dossiers and their timeline, dossier codes, daily roll-ups. Thin: rules live
in services (writes), selectors (reads), clock/workflow/rules (pure)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from congvu.onestop.workflow import OPEN_STATES, STATE_LABELS, State

User = settings.AUTH_USER_MODEL


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("ngày làm việc")
    DAYS = "days", _("ngày")
    HOURS = "hours", _("giờ")
    MONTHS = "months", _("tháng")


class ProcedureLevel(models.TextChoices):
    MINISTRY = "ministry", _("Cấp bộ")
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class OnlineLevel(models.TextChoices):
    NONE = "none", _("Không cung cấp trực tuyến")
    PARTIAL = "partial", _("DVCTT một phần")
    FULL = "full", _("DVCTT toàn trình")


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POSTAL = "postal", _("Bưu chính công ích")
    PHONE = "phone", _("Qua tổng đài điện thoại")


class SyncChannel(models.IntegerChoices):
    """`KenhThucHien` of the DVCQG sync."""

    DIRECT = 1, _("Trực tiếp")
    ONLINE = 2, _("Trực tuyến")
    POST = 3, _("Bưu chính công ích")


# The phone channel (Quảng Ngãi's fishing-vessel hotline) registers an online dossier on the caller's behalf.
SYNC_CHANNEL = {Channel.IN_PERSON: 1, Channel.ONLINE: 2, Channel.POSTAL: 3, Channel.PHONE: 2}


class Field(models.Model):
    code = models.CharField(_("mã lĩnh vực"), max_length=40, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    code = models.CharField(_("mã thủ tục"), max_length=40, unique=True)
    name = models.CharField(_("tên thủ tục"), max_length=500)
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="procedures", verbose_name=_("lĩnh vực"))
    level = models.CharField(_("cấp thực hiện"), max_length=20, choices=ProcedureLevel.choices)
    competent_unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="competent_procedures", verbose_name=_("cơ quan giải quyết"))
    processing_time = models.DecimalField(_("thời hạn giải quyết"), max_digits=7, decimal_places=2)
    time_unit = models.CharField(_("đơn vị tính"), max_length=20, choices=TimeUnit.choices,
                                 default=TimeUnit.WORKING_DAYS)
    online_level = models.CharField(_("mức độ DVCTT"), max_length=10, choices=OnlineLevel.choices,
                                    default=OnlineLevel.NONE)
    fee_amount = models.DecimalField(_("phí, lệ phí (đồng)"), max_digits=14, decimal_places=0, default=0)
    fee_note = models.CharField(_("ghi chú phí"), max_length=500, blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    requires_written_result = models.BooleanField(_("có kết quả bằng văn bản"), default=True)
    citizen_facing = models.BooleanField(_("dành cho công dân"), default=True)
    effective_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    effective_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    search_key = models.CharField(max_length=500, db_index=True, editable=False, default="")

    class Meta:
        ordering = ["code"]
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ProcedureComponent(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="components")
    order = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(_("thành phần hồ sơ"), max_length=500)
    originals = models.PositiveSmallIntegerField(_("bản chính"), default=0)
    copies = models.PositiveSmallIntegerField(_("bản sao"), default=0)
    must_digitize = models.BooleanField(_("phải số hóa"), default=False)

    class Meta:
        ordering = ["procedure", "order"]
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")

    def __str__(self) -> str:
        return self.name


class ProcedureStep(models.Model):
    """One step of the internal process (quy trình nội bộ) with its share of the processing time."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(_("bước"), max_length=255)
    responsible_unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+", verbose_name=_("đơn vị thực hiện"))
    responsible_role = models.CharField(_("vai trò thực hiện"), max_length=32, blank=True)
    share = models.DecimalField(_("tỷ lệ thời gian"), max_digits=5, decimal_places=4)

    class Meta:
        ordering = ["procedure", "order"]
        constraints = [models.UniqueConstraint(fields=["procedure", "order"], name="onestop_step_order_unique")]
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class UnitProfile(models.Model):
    """One-stop settings of a unit: the electronic identifier code used in dossier codes."""

    unit = models.OneToOneField("org.Unit", on_delete=models.CASCADE, related_name="onestop_profile")
    identifier_code = models.CharField(_("mã định danh điện tử"), max_length=40)

    class Meta:
        verbose_name = _("cấu hình một cửa của đơn vị")
        verbose_name_plural = _("cấu hình một cửa của đơn vị")

    def __str__(self) -> str:
        return f"{self.unit}: {self.identifier_code}"


class ReturnMethod(models.TextChoices):
    DESK = "desk", _("Tại Bộ phận một cửa")
    POST = "post", _("Qua dịch vụ bưu chính công ích")
    ELECTRONIC = "electronic", _("Trực tuyến (kết quả điện tử)")


class Dossier(models.Model):
    code = models.CharField(_("mã hồ sơ"), max_length=60, unique=True)
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="dossiers",
                                  verbose_name=_("thủ tục"))
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="dossiers",
                             verbose_name=_("đơn vị tiếp nhận"))
    applicant_name = models.CharField(_("người nộp"), max_length=255)
    applicant_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    applicant_id_number = models.CharField(_("số định danh"), max_length=20, blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    search_key = models.CharField(max_length=500, db_index=True, editable=False, default="")
    channel = models.CharField(_("kênh"), max_length=12, choices=Channel.choices)
    sync_channel = models.PositiveSmallIntegerField(_("KenhThucHien"), choices=SyncChannel.choices)
    submitted_at = models.DateTimeField(_("ngày nộp"), null=True, blank=True)
    received_at = models.DateTimeField(_("ngày tiếp nhận"), db_index=True)
    due_at = models.DateTimeField(_("ngày hẹn trả"), db_index=True)
    due_at_original = models.DateTimeField(_("ngày hẹn trả ban đầu"))
    rule_version = models.CharField(_("phiên bản quy định"), max_length=40)
    state = models.CharField(_("trạng thái"), max_length=24, choices=[(s.value, lbl) for s, lbl in STATE_LABELS.items()],
                             default=State.RECEIVED, db_index=True)
    resume_state = models.CharField(max_length=24, blank=True)
    current_step = models.ForeignKey(ProcedureStep, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("bước hiện tại"))
    step_started_at = models.DateTimeField(null=True, blank=True)
    paused_intervals = models.JSONField(_("thời gian tạm dừng"), default=list, blank=True,
                                        help_text=_("[[bắt đầu, kết thúc|null], ...] theo ISO 8601"))
    supplement_count = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(_("ngày kết thúc xử lý"), null=True, blank=True, db_index=True)
    verdict = models.CharField(_("kết quả đúng hạn"), max_length=10, blank=True)
    processing_seconds = models.PositiveIntegerField(_("thời gian xử lý (giây)"), null=True, blank=True)
    returned_at = models.DateTimeField(_("ngày trả kết quả"), null=True, blank=True)
    return_method = models.CharField(_("hình thức trả kết quả"), max_length=12, choices=ReturnMethod.choices,
                                     blank=True)
    digitized_components = models.BooleanField(_("thành phần đã số hóa"), default=False)
    digitized_result = models.BooleanField(_("kết quả đã số hóa"), default=False)
    e_result = models.BooleanField(_("có kết quả điện tử"), default=False)
    reused_data = models.BooleanField(_("tái sử dụng dữ liệu số hóa"), default=False)
    receipt_refused = models.BooleanField(
        _("từ chối tiếp nhận"), default=False,
        help_text=_("Từ chối ngay khi kiểm tra hồ sơ tại Bộ phận một cửa (Mẫu 03): hồ sơ không được tiếp nhận, "
                    "không có mã số hồ sơ, không tính vào số liệu."))
    result_code = models.CharField(_("số kết quả"), max_length=80, blank=True)
    reused_result_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="reused_by", verbose_name=_("tái sử dụng kết quả của"))
    fee_amount = models.DecimalField(_("phí, lệ phí"), max_digits=14, decimal_places=0, default=0)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at"]
        # Covers the open / overdue counts (unit, state, due date, receipt date: no heap read) and the
        # desk queue (open dossiers of a unit by due date).
        indexes = [
            models.Index(fields=["unit", "state", "due_at", "received_at"], name="onestop_dossier_open_cov_idx"),
            # Only the open dossiers (2–3 % of a year's rows): the open / overdue counts read it without the
            # heap. Without it PostgreSQL preferred the single-column state index and read ~28 000 heap
            # pages at 2 M dossiers (118 ms of the 282 ms province figures).
            models.Index(fields=["unit", "state", "due_at", "received_at"], name="onestop_dossier_open_part_idx",
                         condition=models.Q(state__in=sorted(s.value for s in OPEN_STATES))),
        ]
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")

    def __str__(self) -> str:
        return self.code

    @property
    def digitized(self) -> bool:
        """766 indicator 4.2: digitised components and, where a written result is due, an e-result."""
        return self.digitized_components and (self.digitized_result or not self.procedure.requires_written_result)


class DossierEvent(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    transition = models.CharField(max_length=32)
    from_state = models.CharField(max_length=24, blank=True)
    to_state = models.CharField(max_length=24)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    step = models.ForeignKey(ProcedureStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    step_verdict = models.CharField(max_length=10, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["dossier", "at", "id"]
        verbose_name = _("diễn biến hồ sơ")
        verbose_name_plural = _("diễn biến hồ sơ")

    def __str__(self) -> str:
        return f"{self.dossier}: {self.transition}"


class ReceiptSlip(models.Model):
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01): the content as printed."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="receipt_slip")
    form = models.CharField(max_length=40)
    issued_at = models.DateTimeField()
    content = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("giấy tiếp nhận và hẹn trả kết quả")
        verbose_name_plural = _("giấy tiếp nhận và hẹn trả kết quả")

    def __str__(self) -> str:
        return f"{self.form} {self.dossier_id}"


class SupplementRequest(models.Model):
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02); at most once per dossier."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplement_requests")
    requested_at = models.DateTimeField()
    items = models.TextField(_("nội dung cần bổ sung"))
    reason = models.TextField(_("lý do"), blank=True)
    supplied_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("yêu cầu bổ sung hồ sơ")
        verbose_name_plural = _("yêu cầu bổ sung hồ sơ")

    def __str__(self) -> str:
        return f"Yêu cầu bổ sung {self.dossier_id}"


class ApologyLetter(models.Model):
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04); once per dossier."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="apology")
    issued_at = models.DateTimeField()
    reason = models.TextField(_("lý do chậm"))
    previous_due_at = models.DateTimeField()
    new_due_at = models.DateTimeField()
    issued_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("phiếu xin lỗi và hẹn lại")
        verbose_name_plural = _("phiếu xin lỗi và hẹn lại")

    def __str__(self) -> str:
        return f"Xin lỗi {self.dossier_id}"


class Refusal(models.Model):
    """Phiếu từ chối tiếp nhận / giải quyết hồ sơ (Mẫu 03)."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="refusal")
    refused_at = models.DateTimeField()
    at_receipt = models.BooleanField(default=False)
    reason = models.TextField(_("lý do"))
    legal_basis = models.TextField(_("căn cứ"), blank=True)
    refused_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("từ chối hồ sơ")
        verbose_name_plural = _("từ chối hồ sơ")

    def __str__(self) -> str:
        return f"Từ chối {self.dossier_id}"


class DossierCodeCounter(models.Model):
    """Last sequence number handed out per receiving unit and period (YYMMDD): gapless codes."""

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=8)
    last_seq = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="onestop_code_counter_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.period}: {self.last_seq}"


ROLLUP_COUNTERS = (
    "received", "received_in_person", "received_online", "received_postal", "received_phone",
    "finished", "early", "on_time", "late", "stopped", "withdrawn", "refused",
    "digitized", "e_results", "reuse", "processing_seconds",
    "payment_count", "payment_amount", "rating_count", "rating_satisfied", "rating_dissatisfied",
    "late_received", "fee_bearing", "paid_online", "full_online_eligible", "full_online_online", "flagged",
    "pakn_received", "pakn_handled", "pakn_on_time",
)


class DailyRollup(models.Model):
    """Counters per receiving unit and day, maintained in the dossier's transaction.

    Receipt-side counters (received*, digitized, reuse) sit on the day of receipt; finish-side
    counters (finished, early, on_time, late, e_results, processing_seconds) on the day processing
    ended. Overdue is not stored: it depends on "now" and is computed from open dossiers (index only).

    Receipt-day counters behind the 766 rates: `late_received` (received that day, finished late),
    `fee_bearing` (fee > 0) and `paid_online` (paid online: payments), `full_online_eligible` /
    `full_online_online` (dossiers of full-online procedures / those filed online), `flagged`
    (complained about or rated "Không hài lòng": citizen). PAKN counters sit on the PAKN's day of
    receipt at its unit (`pakn_received`, `pakn_handled`, `pakn_on_time`). Counters with variable
    names (rating criteria) live in `DailyCounter`.
    """

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    received = models.PositiveIntegerField(default=0)
    received_in_person = models.PositiveIntegerField(default=0)
    received_online = models.PositiveIntegerField(default=0)
    received_postal = models.PositiveIntegerField(default=0)
    received_phone = models.PositiveIntegerField(default=0)
    finished = models.PositiveIntegerField(default=0)
    early = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    stopped = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    digitized = models.PositiveIntegerField(default=0)
    e_results = models.PositiveIntegerField(default=0)
    reuse = models.PositiveIntegerField(default=0)
    processing_seconds = models.BigIntegerField(default=0)
    payment_count = models.PositiveIntegerField(default=0)
    payment_amount = models.DecimalField(max_digits=18, decimal_places=0, default=0)
    rating_count = models.PositiveIntegerField(default=0)
    rating_satisfied = models.PositiveIntegerField(default=0)
    rating_dissatisfied = models.PositiveIntegerField(default=0)
    late_received = models.PositiveIntegerField(default=0)
    fee_bearing = models.PositiveIntegerField(default=0)
    paid_online = models.PositiveIntegerField(default=0)
    full_online_eligible = models.PositiveIntegerField(default=0)
    full_online_online = models.PositiveIntegerField(default=0)
    flagged = models.PositiveIntegerField(default=0)
    pakn_received = models.PositiveIntegerField(default=0)
    pakn_handled = models.PositiveIntegerField(default=0)
    pakn_on_time = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="onestop_rollup_unit_day")]
        verbose_name = _("số liệu một cửa theo ngày")
        verbose_name_plural = _("số liệu một cửa theo ngày")

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day}"


class DailyCounter(models.Model):
    """Counters per unit and day whose names other apps choose (rating criteria `rating_<key>_n` /
    `rating_<key>_ok`), maintained like `DailyRollup` (same transaction, one upsert) and rebuilt with it."""

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    name = models.CharField(max_length=64)
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day", "name"], name="onestop_counter_unit_day_name")]
        verbose_name = _("bộ đếm theo ngày")
        verbose_name_plural = _("bộ đếm theo ngày")

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day} {self.name}={self.value}"


class ProcedureCounter(models.Model):
    """Counters per unit × procedure × period bucket, for figures that count *distinct procedures*
    ("procedures with at least one dossier paid online / verified against the population database").
    Names are chosen by the apps (`received`, `fee_bearing`: onestop; `paid_online`: payments;
    `portal_verified`: portal) and written as `<name>@<procedure id>` through `rollups_apply` /
    `rollup_add`, in the change's transaction. Each change goes to three buckets in one upsert: its
    day (`span` "d"), its month ("m", `day` = the 1st) and its year ("y", `day` = 1 January), so a
    year reads one row per unit × procedure × name, whatever the number of dossiers or days."""

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey("onestop.Procedure", on_delete=models.CASCADE, related_name="+")
    span = models.CharField(max_length=1)  # d | m | y
    day = models.DateField()  # first day of the bucket
    name = models.CharField(max_length=64)
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "span", "day", "name", "procedure"],
                                               name="onestop_proc_counter_key")]
        verbose_name = _("bộ đếm theo thủ tục")
        verbose_name_plural = _("bộ đếm theo thủ tục")

    def __str__(self) -> str:
        return f"{self.unit_id} {self.span}{self.day} {self.name}@{self.procedure_id}={self.value}"


# ------------------------------------------------------------------------------------------------
# Components and result files of a dossier (digitisation, TT 01/2023; QĐ 766 indicators 4.2–4.3)
# ------------------------------------------------------------------------------------------------


class ComponentKind(models.TextChoices):
    ORIGINAL = "original", _("Bản chính")
    COPY = "copy", _("Bản sao")


def component_upload_to(instance: DossierComponent, filename: str) -> str:
    return f"onestop/dossiers/{instance.dossier_id}/components/{filename}"


def result_upload_to(instance: DossierResultFile, filename: str) -> str:
    return f"onestop/dossiers/{instance.dossier_id}/result/{filename}"


class DossierComponent(models.Model):
    """One component of a received dossier: ticked as received, digitised (with its file), or reused
    from a digitised component / result of an earlier dossier of the same citizen (the reference to
    the stored file is copied, not the bytes)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="component_rows")
    component = models.ForeignKey(ProcedureComponent, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("thành phần theo thủ tục"))
    order = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(_("thành phần hồ sơ"), max_length=500)
    kind = models.CharField(_("loại bản"), max_length=10, choices=ComponentKind.choices,
                            default=ComponentKind.ORIGINAL)
    received = models.BooleanField(_("đã nhận"), default=False)
    digitized = models.BooleanField(_("đã số hóa"), default=False)
    file = models.FileField(_("tệp số hóa"), upload_to=component_upload_to, max_length=255, blank=True)
    file_kind = models.CharField(max_length=10, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    size = models.PositiveIntegerField(default=0)
    reused_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="reused_by", verbose_name=_("tái sử dụng thành phần"))
    reused_result_of = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+", verbose_name=_("tái sử dụng kết quả của hồ sơ"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["dossier", "order", "id"]
        verbose_name = _("thành phần hồ sơ đã nhận")
        verbose_name_plural = _("thành phần hồ sơ đã nhận")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.name}"

    @property
    def reused(self) -> bool:
        return self.reused_from_id is not None or self.reused_result_of_id is not None


class DossierResultFile(models.Model):
    """The digitised result document of a dossier (one per dossier; a new upload replaces it)."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="result_file")
    file = models.FileField(_("tệp kết quả"), upload_to=result_upload_to, max_length=255)
    file_kind = models.CharField(max_length=10)
    original_name = models.CharField(max_length=255, blank=True)
    size = models.PositiveIntegerField(default=0)
    digitized = models.BooleanField(_("đã số hóa"), default=True)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("tệp kết quả giải quyết")
        verbose_name_plural = _("tệp kết quả giải quyết")

    def __str__(self) -> str:
        return f"Kết quả {self.dossier_id}"
