"""Index frameworks (766, PAR INDEX, DTI, SIPAS, any provincial index), their versioned node trees,
published results and the assessment rows (self-assessment → appraisal → publish).

Thin: the scoring rules are in `congvu.indices.scoring` (pure), the writes in `services`, the reads
in `selectors`. A framework version keeps its whole tree as data (`tree`, the YAML document) and as
`Node` rows (for joins: leaf assessments, evidence); a result keeps the version it was scored under
and a frozen copy of its node scores.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    COMMUNE = "commune", _("Cấp xã")


class Method(models.TextChoices):
    GROUP = "group", _("Nhóm (cộng điểm các chỉ số con)")
    LIVE = "live", _("Tính tự động từ số liệu")
    SELF_ASSESSMENT = "self_assessment", _("Tự đánh giá, thẩm định")
    SURVEY = "survey", _("Điều tra xã hội học")
    APPRAISAL = "appraisal", _("Thẩm định")


class Framework(models.Model):
    code = models.SlugField(_("mã"), max_length=40, unique=True, allow_unicode=False,
                            help_text=_("Mã ngắn dùng trong lệnh và API, ví dụ 766, par-xa, dti, sipas."))
    name = models.CharField(_("tên"), max_length=255)
    description = models.TextField(_("mô tả"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("bộ chỉ số")
        verbose_name_plural = _("bộ chỉ số")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class FrameworkVersion(models.Model):
    """One version of a framework: who it scores (levels), when it applies, its source, its bands
    and its tree. `tree` is the framework document (the YAML file as loaded) and is the truth that
    export writes back; `Node` rows mirror it."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="versions",
                                  verbose_name=_("bộ chỉ số"))
    version = models.CharField(_("phiên bản"), max_length=40)
    levels = models.JSONField(_("cấp áp dụng"), default=list,
                              help_text=_("Danh sách cấp: province, department, commune."))
    effective_from = models.DateField(_("hiệu lực từ"))
    effective_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    source = models.CharField(_("căn cứ"), max_length=500, blank=True)
    is_template = models.BooleanField(_("là khung mẫu"), default=False,
                                      help_text=_("Khung mẫu để tỉnh hoàn thiện (điểm, tiêu chí) trước khi dùng."))
    bands = models.JSONField(_("xếp loại"), default=list, blank=True,
                             help_text=_("[{name, min_percent}] theo thứ tự giảm dần."))
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=9, decimal_places=3, default=0)
    tree = models.JSONField(_("cây chỉ số"), default=dict)
    loaded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["framework__code", "-effective_from"]
        verbose_name = _("phiên bản bộ chỉ số")
        verbose_name_plural = _("phiên bản bộ chỉ số")
        constraints = [models.UniqueConstraint(fields=["framework", "version"], name="indices_version_unique")]

    def __str__(self) -> str:
        return f"{self.framework.code} {self.version}"


class Node(models.Model):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="nodes",
                                verbose_name=_("phiên bản"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children",
                               verbose_name=_("chỉ số cha"))
    code = models.CharField(_("mã"), max_length=40)
    name = models.CharField(_("tên"), max_length=500)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=9, decimal_places=3)
    method = models.CharField(_("phương pháp"), max_length=20, choices=Method.choices, default=Method.GROUP)
    metric = models.CharField(_("số liệu"), max_length=100, blank=True,
                              help_text=_("Tên số liệu trong danh mục (congvu.metrics), với chỉ số tính tự động."))
    threshold = models.DecimalField(_("ngưỡng đạt điểm tối đa (%)"), max_digits=6, decimal_places=2,
                                    null=True, blank=True)
    threshold_assumed = models.BooleanField(_("ngưỡng giả định"), default=False)
    formula = models.JSONField(_("công thức"), default=dict, blank=True)
    evidence_required = models.JSONField(_("tài liệu kiểm chứng"), default=list, blank=True)
    description = models.TextField(_("mô tả"), blank=True)

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("chỉ số")
        verbose_name_plural = _("chỉ số")
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="indices_node_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_leaf(self) -> bool:
        return self.method != Method.GROUP


class ResultStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    PUBLISHED = "published", _("Đã công bố")


class Result(models.Model):
    """A unit's score for a period under one framework version. Published results are frozen:
    `nodes` holds the node scores as published (the JSON shape of `congvu index compute`)."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="results",
                                verbose_name=_("phiên bản"))
    period = models.CharField(_("kỳ"), max_length=10, help_text=_("2023, 2023-Q2 hoặc 2023-06."))
    status = models.CharField(_("trạng thái"), max_length=10, choices=ResultStatus.choices, default=ResultStatus.DRAFT)
    points = models.DecimalField(_("điểm"), max_digits=9, decimal_places=3, null=True, blank=True)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=9, decimal_places=3, default=0)
    percent = models.DecimalField(_("tỷ lệ điểm (%)"), max_digits=7, decimal_places=3, null=True, blank=True)
    band = models.CharField(_("xếp loại"), max_length=60, blank=True)
    nodes = models.JSONField(_("điểm từng chỉ số"), default=list)
    assessment = models.OneToOneField("Assessment", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="result", verbose_name=_("kỳ đánh giá"))
    published_at = models.DateTimeField(_("ngày công bố"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("người công bố"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period", "unit"]
        verbose_name = _("kết quả chỉ số")
        verbose_name_plural = _("kết quả chỉ số")
        constraints = [models.UniqueConstraint(fields=["unit", "version", "period"], name="indices_result_unique")]
        indexes = [models.Index(fields=["version", "period", "status"])]

    def __str__(self) -> str:
        return f"{self.version} · {self.unit} · {self.period}"


class AssessmentState(models.TextChoices):
    DRAFT = "draft", _("Đơn vị đang tự đánh giá")
    SUBMITTED = "submitted", _("Đã gửi thẩm định")
    RETURNED = "returned", _("Trả lại để giải trình, bổ sung")
    ANSWERED = "answered", _("Đơn vị đã giải trình")
    APPRAISED = "appraised", _("Đã thẩm định")
    PUBLISHED = "published", _("Đã công bố")


class Assessment(models.Model):
    """One assessment round: a unit self-assesses the non-live leaves of a framework version for a
    period, the assessor appraises (or returns), then publishes (→ a frozen `Result`)."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="assessments",
                                verbose_name=_("phiên bản"))
    period = models.CharField(_("kỳ"), max_length=10)
    state = models.CharField(_("trạng thái"), max_length=12, choices=AssessmentState.choices,
                             default=AssessmentState.DRAFT)
    self_deadline = models.DateField(_("hạn tự đánh giá"), null=True, blank=True)
    appraisal_deadline = models.DateField(_("hạn thẩm định"), null=True, blank=True)
    answer_deadline = models.DateField(_("hạn giải trình"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("ngày gửi"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    returned_at = models.DateTimeField(null=True, blank=True)
    return_note = models.TextField(_("nội dung trả lại"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    appraised_at = models.DateTimeField(null=True, blank=True)
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("người thẩm định"))
    published_at = models.DateTimeField(null=True, blank=True)
    survey_score = models.DecimalField(_("điểm điều tra xã hội học"), max_digits=9, decimal_places=3,
                                       null=True, blank=True)
    row_version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period", "unit"]
        verbose_name = _("kỳ đánh giá")
        verbose_name_plural = _("kỳ đánh giá")
        constraints = [models.UniqueConstraint(fields=["unit", "version", "period"], name="indices_assessment_unique")]

    def __str__(self) -> str:
        return f"{self.version} · {self.unit} · {self.period}"


class AppraisalDecision(models.TextChoices):
    ACCEPT = "accept", _("Giữ nguyên điểm tự chấm")
    ADJUST = "adjust", _("Điều chỉnh điểm")


class LeafAssessment(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="leaves",
                                   verbose_name=_("kỳ đánh giá"))
    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+", verbose_name=_("chỉ số"))
    self_score = models.DecimalField(_("điểm tự chấm"), max_digits=9, decimal_places=3, null=True, blank=True)
    explanation = models.TextField(_("giải trình"), blank=True)
    appraised_score = models.DecimalField(_("điểm thẩm định"), max_digits=9, decimal_places=3, null=True, blank=True)
    decision = models.CharField(_("kết luận thẩm định"), max_length=10, choices=AppraisalDecision.choices, blank=True)
    reason = models.TextField(_("lý do"), blank=True)
    survey_score = models.DecimalField(_("điểm điều tra"), max_digits=9, decimal_places=3, null=True, blank=True)
    answer = models.TextField(_("giải trình của đơn vị"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["assessment", "node__order"]
        verbose_name = _("điểm chỉ số thành phần")
        verbose_name_plural = _("điểm chỉ số thành phần")
        constraints = [models.UniqueConstraint(fields=["assessment", "node"], name="indices_leaf_unique")]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.node.code}"


class EvidenceKind(models.TextChoices):
    FILE = "file", _("Tệp")
    LINK = "link", _("Đường dẫn")
    RECORD = "record", _("Hồ sơ trong congvu")


class Evidence(models.Model):
    """A proof attached to a self-assessed leaf: an uploaded file, a link, or a congvu record
    (a notice, a plan, a task: `record_type` "app.model" + `record_id`)."""

    leaf = models.ForeignKey(LeafAssessment, on_delete=models.CASCADE, related_name="evidence",
                             verbose_name=_("chỉ số"))
    kind = models.CharField(_("loại"), max_length=10, choices=EvidenceKind.choices)
    label = models.CharField(_("tên tài liệu"), max_length=255)
    file = models.FileField(_("tệp"), upload_to="indices/evidence/%Y/", blank=True)
    url = models.URLField(_("đường dẫn"), max_length=500, blank=True)
    record_type = models.CharField(_("loại hồ sơ"), max_length=60, blank=True)
    record_id = models.CharField(_("mã hồ sơ"), max_length=60, blank=True)
    requirement = models.CharField(_("đáp ứng yêu cầu"), max_length=255, blank=True,
                                   help_text=_("Tài liệu kiểm chứng bắt buộc mà tệp này đáp ứng."))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["leaf", "uploaded_at"]
        verbose_name = _("tài liệu kiểm chứng")
        verbose_name_plural = _("tài liệu kiểm chứng")

    def __str__(self) -> str:
        return self.label
