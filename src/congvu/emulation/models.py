"""Emulation and commendation records (thi đua, khen thưởng).

Thin models: the business rules live in `congvu.emulation.services` / `selectors` and the pure rule
engine `congvu.emulation.rules`. Blocks and clusters (khối, cụm thi đua) are the org app's
`EmulationGroup` (year, members, leader): pledges and movements refer to it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congvu.org.models import EmulationGroup, Person, Unit


class Rating(models.TextChoices):
    EXCELLENT = "excellent", _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "good", _("Hoàn thành tốt nhiệm vụ")
    COMPLETE = "complete", _("Hoàn thành nhiệm vụ")
    INCOMPLETE = "incomplete", _("Không hoàn thành nhiệm vụ")


class Scope(models.TextChoices):
    CO_SO = "co_so", _("Cấp cơ sở")
    TINH = "tinh", _("Cấp tỉnh, bộ, ngành")
    TOAN_QUOC = "toan_quoc", _("Toàn quốc")


class Discipline(models.TextChoices):
    KHIEN_TRACH = "khien_trach", _("Khiển trách")
    CANH_CAO = "canh_cao", _("Cảnh cáo")
    HA_BAC_LUONG = "ha_bac_luong", _("Hạ bậc lương")
    GIANG_CHUC = "giang_chuc", _("Giáng chức")
    CACH_CHUC = "cach_chuc", _("Cách chức")
    BUOC_THOI_VIEC = "buoc_thoi_viec", _("Buộc thôi việc")


class RecordSource(models.TextChoices):
    MANUAL = "manual", _("Nhập trực tiếp")
    IMPORT = "import", _("Nhập từ tệp")
    DECISION = "decision", _("Quyết định trên congvu")


class EmulationProfile(models.Model):
    """What the rules need about a person that the org app does not keep: the recruitment date."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="emulation_profile",
                                  verbose_name=_("cán bộ"))
    recruited_on = models.DateField(_("ngày tuyển dụng"), null=True, blank=True)
    employment_end = models.DateField(_("ngày thôi việc"), null=True, blank=True)

    class Meta:
        verbose_name = _("hồ sơ thi đua cá nhân")
        verbose_name_plural = _("hồ sơ thi đua cá nhân")

    def __str__(self) -> str:
        return str(self.person)


class MovementKind(models.TextChoices):
    REGULAR = "regular", _("Thi đua thường xuyên")
    THEMATIC = "thematic", _("Thi đua theo chuyên đề")


class MovementScope(models.TextChoices):
    SUBTREE = "subtree", _("Các đơn vị trực thuộc")
    UNITS = "units", _("Các đơn vị được chọn")
    BLOCK = "block", _("Khối, cụm thi đua")


class MovementState(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    LAUNCHED = "launched", _("Đã phát động")
    CLOSED = "closed", _("Đã tổng kết")


class Movement(models.Model):
    """A movement (phong trào thi đua) launched by `unit` (đơn vị phát động) for a scope."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="emulation_movements",
                             verbose_name=_("đơn vị phát động"))
    name = models.CharField(_("tên phong trào"), max_length=300)
    kind = models.CharField(_("hình thức"), max_length=10, choices=MovementKind.choices, default=MovementKind.REGULAR)
    theme = models.CharField(_("chủ đề"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("năm"))
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    scope = models.CharField(_("phạm vi"), max_length=10, choices=MovementScope.choices, default=MovementScope.SUBTREE)
    scope_units = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name=_("đơn vị tham gia"))
    scope_block = models.ForeignKey(EmulationGroup, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="emulation_movements", verbose_name=_("khối, cụm thi đua"))
    pledge_titles = models.JSONField(_("danh hiệu được đăng ký"), default=list, blank=True)
    pledge_deadline = models.DateField(_("hạn đăng ký"), null=True, blank=True)
    document_number = models.CharField(_("số văn bản phát động"), max_length=60, blank=True)
    document_date = models.DateField(_("ngày văn bản"), null=True, blank=True)
    launch_document = models.FileField(_("văn bản phát động"), upload_to="emulation/movements/%Y/", blank=True,
                                       max_length=255)
    state = models.CharField(_("trạng thái"), max_length=10, choices=MovementState.choices,
                             default=MovementState.DRAFT)
    launched_on = models.DateField(_("ngày phát động"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-created_at"]
        verbose_name = _("phong trào thi đua")
        verbose_name_plural = _("phong trào thi đua")
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="emulation_movement_period"),
        ]

    def __str__(self) -> str:
        return self.name


class Measure(models.TextChoices):
    MANUAL = "manual", _("Chấm điểm")
    INDEX_RESULT = "index_result", _("Kết quả chỉ số")
    TASK_COMPLETION = "task_completion", _("Hoàn thành nhiệm vụ")
    ONESTOP_FIGURE = "onestop_figure", _("Số liệu một cửa")
    SATISFACTION = "satisfaction", _("Mức độ hài lòng")


class MovementCriterion(models.Model):
    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="criteria",
                                 verbose_name=_("phong trào"))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tiêu chí"), max_length=300)
    weight = models.DecimalField(_("trọng số"), max_digits=6, decimal_places=2)
    measure = models.CharField(_("cách đo"), max_length=20, choices=Measure.choices, default=Measure.MANUAL)
    metric_name = models.CharField(_("chỉ tiêu"), max_length=120, blank=True)
    parameters = models.JSONField(_("tham số"), default=dict, blank=True)
    max_score = models.DecimalField(_("điểm tối đa"), max_digits=8, decimal_places=2, default=100)

    class Meta:
        ordering = ["movement", "order", "pk"]
        verbose_name = _("tiêu chí thi đua")
        verbose_name_plural = _("tiêu chí thi đua")

    def __str__(self) -> str:
        return self.name


class CriterionScore(models.Model):
    """A manual score of one unit on one criterion (the measured criteria are read, not stored)."""

    criterion = models.ForeignKey(MovementCriterion, on_delete=models.CASCADE, related_name="scores")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    score = models.DecimalField(_("điểm"), max_digits=8, decimal_places=2)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("điểm tiêu chí")
        verbose_name_plural = _("điểm tiêu chí")
        constraints = [models.UniqueConstraint(fields=["criterion", "unit"], name="emulation_score_unique")]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class PledgeSubject(models.TextChoices):
    UNIT = "unit", _("Tập thể")
    BLOCK = "block", _("Khối, cụm thi đua")
    PERSON = "person", _("Cá nhân")


class Pledge(models.Model):
    """Registration (đăng ký thi đua) and signature (ký kết giao ước) of a unit, block or person."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="pledges",
                                 verbose_name=_("phong trào"))
    subject = models.CharField(_("đối tượng"), max_length=10, choices=PledgeSubject.choices)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("đơn vị"))
    block = models.ForeignKey(EmulationGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("khối, cụm"))
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("cá nhân"))
    titles = models.JSONField(_("danh hiệu đăng ký"), default=list)
    targets = models.TextField(_("chỉ tiêu, nội dung giao ước"), blank=True)
    registered_at = models.DateTimeField(_("ngày đăng ký"), auto_now_add=True)
    signed_at = models.DateTimeField(_("ngày ký"), null=True, blank=True)
    signed_by = models.CharField(_("người ký"), max_length=150, blank=True)

    class Meta:
        ordering = ["movement", "subject", "pk"]
        verbose_name = _("đăng ký thi đua")
        verbose_name_plural = _("đăng ký thi đua")
        constraints = [
            models.UniqueConstraint(fields=["movement", "unit"], condition=Q(subject="unit"),
                                    name="emulation_pledge_unit_once"),
            models.UniqueConstraint(fields=["movement", "block"], condition=Q(subject="block"),
                                    name="emulation_pledge_block_once"),
            models.UniqueConstraint(fields=["movement", "person"], condition=Q(subject="person"),
                                    name="emulation_pledge_person_once"),
        ]

    def __str__(self) -> str:
        return f"{self.movement}: {self.subject_label}"

    @property
    def subject_label(self) -> str:
        who = self.unit or self.block or self.person
        return str(who) if who else "?"


class PersonYearRecord(models.Model):
    """A person's yearly rating (xếp loại chất lượng), discipline and leave."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="emulation_years",
                               verbose_name=_("cán bộ"))
    year = models.PositiveSmallIntegerField(_("năm"))
    rating = models.CharField(_("xếp loại"), max_length=12, choices=Rating.choices, blank=True)
    discipline = models.CharField(_("kỷ luật"), max_length=20, choices=Discipline.choices, blank=True)
    discipline_decision = models.CharField(_("quyết định kỷ luật"), max_length=120, blank=True)
    leave_from = models.DateField(_("nghỉ từ ngày"), null=True, blank=True)
    leave_to = models.DateField(_("nghỉ đến ngày"), null=True, blank=True)
    leave_counts = models.BooleanField(_("thời gian nghỉ được tính là thời gian công tác"), default=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    source = models.CharField(_("nguồn"), max_length=10, choices=RecordSource.choices, default=RecordSource.MANUAL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["person", "-year"]
        verbose_name = _("kết quả đánh giá năm")
        verbose_name_plural = _("kết quả đánh giá năm")
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="emulation_person_year_unique")]

    def __str__(self) -> str:
        return f"{self.person} {self.year}"


class UnitYearRecord(models.Model):
    """A collective's yearly rating (mức độ hoàn thành nhiệm vụ của tập thể) and cluster lead."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="emulation_years", verbose_name=_("đơn vị"))
    year = models.PositiveSmallIntegerField(_("năm"))
    rating = models.CharField(_("xếp loại"), max_length=12, choices=Rating.choices, blank=True)
    leads_group = models.BooleanField(_("dẫn đầu khối, cụm thi đua"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    source = models.CharField(_("nguồn"), max_length=10, choices=RecordSource.choices, default=RecordSource.MANUAL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unit", "-year"]
        verbose_name = _("kết quả đánh giá tập thể")
        verbose_name_plural = _("kết quả đánh giá tập thể")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="emulation_unit_year_unique")]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}"


class InitiativeStatus(models.TextChoices):
    PROPOSED = "proposed", _("Đề nghị công nhận")
    REVIEWED = "reviewed", _("Hội đồng sáng kiến đã xét")
    RECOGNISED = "recognised", _("Đã công nhận")
    REJECTED = "rejected", _("Không công nhận")


class Initiative(models.Model):
    """A sáng kiến: proposed by a unit, reviewed by the initiative council, recognised by decision."""

    title = models.CharField(_("tên sáng kiến"), max_length=400)
    summary = models.TextField(_("tóm tắt"), blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị đề nghị"))
    authors = models.ManyToManyField(Person, related_name="emulation_initiatives", verbose_name=_("tác giả"))
    year = models.PositiveSmallIntegerField(_("năm"))
    scope = models.CharField(_("phạm vi ảnh hưởng"), max_length=10, choices=Scope.choices, default=Scope.CO_SO)
    status = models.CharField(_("trạng thái"), max_length=12, choices=InitiativeStatus.choices,
                              default=InitiativeStatus.PROPOSED)
    applied_on = models.DateField(_("ngày áp dụng"), null=True, blank=True)
    review_score = models.DecimalField(_("điểm hội đồng"), max_digits=6, decimal_places=2, null=True, blank=True)
    review_note = models.TextField(_("ý kiến hội đồng sáng kiến"), blank=True)
    reviewed_on = models.DateField(_("ngày xét"), null=True, blank=True)
    review_recommends = models.BooleanField(_("hội đồng đề nghị công nhận"), null=True, blank=True)
    decision_number = models.CharField(_("số quyết định công nhận"), max_length=120, blank=True)
    recognised_on = models.DateField(_("ngày công nhận"), null=True, blank=True)
    recognised_by = models.CharField(_("cấp công nhận"), max_length=200, blank=True)
    applied_effectively = models.BooleanField(_("áp dụng hiệu quả"), null=True, blank=True)
    replicable = models.BooleanField(_("có khả năng nhân rộng"), null=True, blank=True)
    source = models.CharField(_("nguồn"), max_length=10, choices=RecordSource.choices, default=RecordSource.MANUAL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("sáng kiến")
        verbose_name_plural = _("sáng kiến")

    def __str__(self) -> str:
        return self.title

    @property
    def ref(self) -> str:
        return f"SK-{self.pk}"


class ResearchProject(models.Model):
    """An accepted đề tài / đề án / công trình khoa học."""

    title = models.CharField(_("tên đề tài, đề án"), max_length=400)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị chủ trì"))
    authors = models.ManyToManyField(Person, related_name="emulation_research", verbose_name=_("chủ nhiệm, thành viên"))
    year = models.PositiveSmallIntegerField(_("năm"))
    scope = models.CharField(_("cấp"), max_length=10, choices=Scope.choices, default=Scope.CO_SO)
    accepted_on = models.DateField(_("ngày nghiệm thu"), null=True, blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=120, blank=True)
    applied_effectively = models.BooleanField(_("áp dụng hiệu quả"), null=True, blank=True)
    source = models.CharField(_("nguồn"), max_length=10, choices=RecordSource.choices, default=RecordSource.MANUAL)

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("đề tài, đề án khoa học")
        verbose_name_plural = _("đề tài, đề án khoa học")

    def __str__(self) -> str:
        return self.title

    @property
    def ref(self) -> str:
        return f"DT-{self.pk}"


class AwardSource(models.TextChoices):
    IMPORT = "import", _("Nhập từ tệp")
    DECISION = "decision", _("Quyết định trên congvu")


class AwardRecord(models.Model):
    """The awards register (sổ khen thưởng): a title or form given to a person or a unit.

    Imported history and the awards of congvu's own decisions (the council app links them)."""

    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="emulation_awards",
                               verbose_name=_("cá nhân"))
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="emulation_awards",
                             verbose_name=_("tập thể"))
    title_code = models.CharField(_("danh hiệu, hình thức"), max_length=30)
    year = models.PositiveSmallIntegerField(_("năm thành tích"))
    decision_number = models.CharField(_("số quyết định"), max_length=120, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    authority = models.CharField(_("cấp quyết định"), max_length=200, blank=True)
    signer = models.CharField(_("người ký"), max_length=150, blank=True)
    amount = models.DecimalField(_("tiền thưởng"), max_digits=14, decimal_places=0, null=True, blank=True)
    achievement_ref = models.CharField(_("thành tích"), max_length=60, blank=True,
                                       help_text=_("mã thành tích (vd. SK-12): một thành tích chỉ được khen một lần"))
    rule_set = models.CharField(_("bộ quy tắc"), max_length=40, blank=True)
    source = models.CharField(_("nguồn"), max_length=10, choices=AwardSource.choices, default=AwardSource.IMPORT)
    revoked_on = models.DateField(_("ngày hủy bỏ"), null=True, blank=True)
    revocation_reason = models.TextField(_("lý do hủy bỏ"), blank=True)
    clawback_amount = models.DecimalField(_("số tiền thu hồi"), max_digits=14, decimal_places=0, null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "title_code", "pk"]
        verbose_name = _("khen thưởng")
        verbose_name_plural = _("sổ khen thưởng")
        indexes = [models.Index(fields=["title_code", "year"], name="emulation_award_title_year")]
        constraints = [
            models.CheckConstraint(condition=Q(person__isnull=False, unit__isnull=True)
                                   | Q(person__isnull=True, unit__isnull=False), name="emulation_award_one_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.title_code} {self.year}: {self.person or self.unit}"


class RoundState(models.TextChoices):
    OPEN = "open", _("Đang bình xét")
    DISCLOSURE = "disclosure", _("Đang công khai")
    COUNCIL = "council", _("Trình Hội đồng")
    CLOSED = "closed", _("Đã kết thúc")


class Round(models.Model):
    """A yearly evaluation round (đợt bình xét) of a unit's scope (its subtree)."""

    year = models.PositiveSmallIntegerField(_("năm"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="emulation_rounds",
                             verbose_name=_("phạm vi"))
    name = models.CharField(_("tên đợt"), max_length=300, blank=True)
    state = models.CharField(_("trạng thái"), max_length=12, choices=RoundState.choices, default=RoundState.OPEN)
    rule_set = models.CharField(_("bộ quy tắc"), max_length=40)
    titles = models.JSONField(_("danh hiệu xét"), default=list, blank=True)
    nomination_deadline = models.DateField(_("hạn đề nghị"), null=True, blank=True)
    disclosure_working_days = models.PositiveSmallIntegerField(_("số ngày làm việc công khai"), default=0)
    disclosure_start = models.DateField(_("công khai từ"), null=True, blank=True)
    disclosure_end = models.DateField(_("công khai đến"), null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-opened_at"]
        verbose_name = _("đợt bình xét")
        verbose_name_plural = _("đợt bình xét")

    def __str__(self) -> str:
        return self.name or f"Bình xét năm {self.year}"


class Verdict(models.TextChoices):
    ELIGIBLE = "eligible", _("Đủ điều kiện")
    NOT_ELIGIBLE = "not_eligible", _("Chưa đủ điều kiện")
    NEEDS_INFORMATION = "needs_information", _("Cần bổ sung thông tin")


class Candidate(models.Model):
    """A person or collective of a round for one title: the engine's verdict and the unit's nomination."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("đợt"))
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("cá nhân"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"),
                             help_text=_("tập thể được xét, hoặc đơn vị của cá nhân"))
    title_code = models.CharField(_("danh hiệu"), max_length=30)
    verdict = models.CharField(_("kết quả xét điều kiện"), max_length=20, choices=Verdict.choices)
    verdict_detail = models.JSONField(_("chi tiết điều kiện"), default=dict)
    rule_set = models.CharField(_("bộ quy tắc"), max_length=40)
    checked_at = models.DateTimeField(_("thời điểm xét"), auto_now=True)
    nominated = models.BooleanField(_("được đề nghị"), default=False)
    nominated_at = models.DateTimeField(_("ngày đề nghị"), null=True, blank=True)
    report = models.TextField(_("báo cáo thành tích"), blank=True)
    checklist = models.JSONField(_("thành phần hồ sơ"), default=dict, blank=True)

    class Meta:
        ordering = ["round", "unit__path", "person__full_name", "title_code"]
        verbose_name = _("đối tượng bình xét")
        verbose_name_plural = _("đối tượng bình xét")
        constraints = [
            models.UniqueConstraint(fields=["round", "person", "title_code"], condition=Q(person__isnull=False),
                                    name="emulation_candidate_person_once"),
            models.UniqueConstraint(fields=["round", "unit", "title_code"], condition=Q(person__isnull=True),
                                    name="emulation_candidate_unit_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person or self.unit}: {self.title_code}"

    @property
    def is_person(self) -> bool:
        return self.person_id is not None


# Council sessions and votes, award decisions, exemplars (their own module; branch emucouncil).
from congvu.emulation.models_council import *  # noqa: E402, F401, F403
