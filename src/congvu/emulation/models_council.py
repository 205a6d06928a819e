"""Council sessions and votes, award decisions, exemplars (imported by `congvu.emulation.models`).

Secret ballots (bỏ phiếu kín): the database keeps only WHO took part (`BallotParticipation`: member,
item, written or not — no choice, no timestamp) and the item's anonymous counters
(`CouncilItem.secret_yes/no/abstain`, incremented in the same transaction). No row links a member
to a choice, and no time or sequence stored with the counters allows matching them to the
participation rows. Open ballots (biểu quyết công khai) store the vote with the member (`OpenVote`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congvu.org.models import Person, Unit

__all__ = ["Ballot", "BallotParticipation", "Choice", "CouncilItem", "CouncilMember", "CouncilSession",
           "Decision", "DecisionLine", "Exemplar", "ExemplarKind", "ExemplarState", "OpenVote", "SessionState"]


class SessionState(models.TextChoices):
    OPEN = "open", _("Đã triệu tập")
    VOTING = "voting", _("Đang bỏ phiếu")
    CLOSED = "closed", _("Đã kết thúc bỏ phiếu")
    PUBLISHED = "published", _("Đã công bố kết quả")


class Ballot(models.TextChoices):
    OPEN = "open", _("Biểu quyết công khai")
    SECRET = "secret", _("Bỏ phiếu kín")


class Choice(models.TextChoices):
    YES = "yes", _("Đồng ý")
    NO = "no", _("Không đồng ý")
    ABSTAIN = "abstain", _("Không biểu quyết")


class CouncilSession(models.Model):
    """A meeting of the emulation council (phiên họp Hội đồng Thi đua – Khen thưởng) on a round."""

    round = models.ForeignKey("emulation.Round", on_delete=models.PROTECT, related_name="council_sessions",
                              verbose_name=_("đợt bình xét"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("cấp hội đồng"))
    name = models.CharField(_("tên phiên họp"), max_length=300)
    held_on = models.DateField(_("ngày họp"))
    location = models.CharField(_("địa điểm"), max_length=300, blank=True)
    rule_set = models.CharField(_("bộ quy tắc"), max_length=40)
    quorum = models.CharField(_("tỷ lệ tối thiểu có mặt"), max_length=20,
                              help_text=_("phân số trên tổng số thành viên, lấy từ bộ quy tắc khi triệu tập"))
    state = models.CharField(_("trạng thái"), max_length=10, choices=SessionState.choices, default=SessionState.OPEN)
    minutes_number = models.CharField(_("số biên bản"), max_length=60, blank=True)
    voting_started_at = models.DateTimeField(_("bắt đầu bỏ phiếu"), null=True, blank=True)
    closed_at = models.DateTimeField(_("kết thúc bỏ phiếu"), null=True, blank=True)
    published_at = models.DateTimeField(_("công bố"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("phiên họp hội đồng thi đua")
        verbose_name_plural = _("phiên họp hội đồng thi đua")

    def __str__(self) -> str:
        return self.name


class CouncilMember(models.Model):
    session = models.ForeignKey(CouncilSession, on_delete=models.CASCADE, related_name="members",
                                verbose_name=_("phiên họp"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("tài khoản"))
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("cán bộ"))
    name = models.CharField(_("họ và tên"), max_length=150)
    role = models.CharField(_("chức danh trong hội đồng"), max_length=150, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    present = models.BooleanField(_("có mặt"), default=True)
    is_chair = models.BooleanField(_("chủ trì"), default=False)
    is_secretary = models.BooleanField(_("thư ký"), default=False)

    class Meta:
        ordering = ["session", "order", "pk"]
        verbose_name = _("thành viên hội đồng")
        verbose_name_plural = _("thành viên hội đồng")
        constraints = [models.UniqueConstraint(fields=["session", "user"], condition=Q(user__isnull=False),
                                               name="emulation_council_member_once")]

    def __str__(self) -> str:
        return self.name


class CouncilItem(models.Model):
    """One candidate on the session's agenda, with the procedure of its title frozen at convening."""

    session = models.ForeignKey(CouncilSession, on_delete=models.CASCADE, related_name="items",
                                verbose_name=_("phiên họp"))
    candidate = models.ForeignKey("emulation.Candidate", on_delete=models.PROTECT, related_name="council_items",
                                  verbose_name=_("đối tượng"))
    title_code = models.CharField(_("danh hiệu"), max_length=30)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    ballot = models.CharField(_("hình thức xét"), max_length=10, choices=Ballot.choices)
    approval_ratio = models.CharField(_("tỷ lệ đồng ý"), max_length=20,
                                      help_text=_("phân số trên TỔNG SỐ thành viên hội đồng"))
    approval_strict = models.BooleanField(_("phải vượt tỷ lệ"), default=False)
    # Anonymous counters of a secret ballot (no member, no time): see the module docstring.
    secret_yes = models.PositiveIntegerField(default=0, editable=False)
    secret_no = models.PositiveIntegerField(default=0, editable=False)
    secret_abstain = models.PositiveIntegerField(default=0, editable=False)
    # Result, written when the session closes.
    yes = models.PositiveIntegerField(_("đồng ý"), null=True, blank=True)
    no = models.PositiveIntegerField(_("không đồng ý"), null=True, blank=True)
    abstain = models.PositiveIntegerField(_("không biểu quyết"), null=True, blank=True)
    approved = models.BooleanField(_("đạt"), null=True, blank=True)
    result_text = models.CharField(_("kết quả"), max_length=400, blank=True)

    class Meta:
        ordering = ["session", "order", "pk"]
        verbose_name = _("nội dung biểu quyết")
        verbose_name_plural = _("nội dung biểu quyết")
        constraints = [models.UniqueConstraint(fields=["session", "candidate"], name="emulation_item_once")]

    def __str__(self) -> str:
        return f"{self.candidate}"


class BallotParticipation(models.Model):
    """'Member X has voted on item Y' — and nothing else (no choice, no time)."""

    item = models.ForeignKey(CouncilItem, on_delete=models.CASCADE, related_name="participations")
    member = models.ForeignKey(CouncilMember, on_delete=models.CASCADE, related_name="participations")
    written = models.BooleanField(_("phiếu bằng văn bản"), default=False)

    class Meta:
        verbose_name = _("lượt bỏ phiếu")
        verbose_name_plural = _("lượt bỏ phiếu")
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="emulation_one_vote_per_member")]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.item_id}"


class OpenVote(models.Model):
    """A vote of an open ballot (biểu quyết công khai): member and choice are public to the council."""

    item = models.ForeignKey(CouncilItem, on_delete=models.CASCADE, related_name="open_votes")
    member = models.ForeignKey(CouncilMember, on_delete=models.CASCADE, related_name="open_votes")
    choice = models.CharField(_("lựa chọn"), max_length=10, choices=Choice.choices)
    written = models.BooleanField(_("phiếu bằng văn bản"), default=False)

    class Meta:
        verbose_name = _("biểu quyết công khai")
        verbose_name_plural = _("biểu quyết công khai")
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="emulation_open_vote_once")]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.item_id}: {self.choice}"


class Decision(models.Model):
    """An award decision (quyết định khen thưởng) in the NĐ 30/2020 form; it creates the AwardRecords."""

    session = models.ForeignKey(CouncilSession, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="decisions", verbose_name=_("phiên họp hội đồng"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan ban hành"))
    number = models.CharField(_("số, ký hiệu"), max_length=60)
    decided_on = models.DateField(_("ngày ký"))
    title_code = models.CharField(_("danh hiệu, hình thức"), max_length=30)
    kind = models.CharField(_("đối tượng"), max_length=12)
    year = models.PositiveSmallIntegerField(_("năm thành tích"))
    authority = models.CharField(_("thẩm quyền"), max_length=40, help_text=_("mã thẩm quyền trong bộ quy tắc"))
    authority_name = models.CharField(_("cấp quyết định"), max_length=200)
    signer_name = models.CharField(_("người ký"), max_length=150)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=150)
    signer_prefix = models.CharField(_("quyền hạn ký"), max_length=10, blank=True, help_text=_("TM., KT., TL., TUQ., Q."))
    summary = models.CharField(_("trích yếu"), max_length=400)
    rule_set = models.CharField(_("bộ quy tắc"), max_length=40)
    coefficient = models.DecimalField(_("hệ số"), max_digits=6, decimal_places=2)
    base_salary = models.PositiveIntegerField(_("mức lương cơ sở"))
    base_salary_source = models.CharField(_("căn cứ mức lương cơ sở"), max_length=300, blank=True)
    amount_each = models.PositiveIntegerField(_("tiền thưởng mỗi trường hợp"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("quyết định khen thưởng")
        verbose_name_plural = _("quyết định khen thưởng")
        constraints = [models.UniqueConstraint(fields=["unit", "number"], name="emulation_decision_number_once")]

    def __str__(self) -> str:
        return f"{self.number} ({self.decided_on:%d/%m/%Y})"


class DecisionLine(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="lines")
    candidate = models.ForeignKey("emulation.Candidate", on_delete=models.PROTECT, related_name="decision_lines")
    item = models.ForeignKey(CouncilItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    award = models.OneToOneField("emulation.AwardRecord", on_delete=models.PROTECT, related_name="decision_line")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["decision", "order", "pk"]
        verbose_name = _("dòng quyết định")
        verbose_name_plural = _("dòng quyết định")

    def __str__(self) -> str:
        return f"{self.decision_id}/{self.order}"


class ExemplarKind(models.TextChoices):
    ADVANCED = "advanced", _("Điển hình tiên tiến")
    GOOD_DEED = "good_deed", _("Gương người tốt, việc tốt")


class ExemplarState(models.TextChoices):
    PROPOSED = "proposed", _("Đề xuất")
    APPROVED = "approved", _("Đã duyệt")
    REJECTED = "rejected", _("Không duyệt")
    PUBLISHED = "published", _("Đã công bố")


class Exemplar(models.Model):
    """An exemplar proposed by a unit for a month, reviewed, and published on the public page."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị đề xuất"))
    month = models.DateField(_("tháng"), help_text=_("ngày đầu tháng"))
    kind = models.CharField(_("loại"), max_length=10, choices=ExemplarKind.choices)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("cá nhân"))
    subject_name = models.CharField(_("cá nhân, tập thể"), max_length=200)
    headline = models.CharField(_("tiêu đề"), max_length=300)
    story = models.TextField(_("nội dung"))
    state = models.CharField(_("trạng thái"), max_length=10, choices=ExemplarState.choices,
                             default=ExemplarState.PROPOSED)
    review_note = models.CharField(_("ý kiến duyệt"), max_length=500, blank=True)
    search_key = models.CharField(max_length=700, db_index=True, editable=False, default="")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-month", "-published_at", "-pk"]
        verbose_name = _("điển hình tiên tiến, người tốt việc tốt")
        verbose_name_plural = _("điển hình tiên tiến, người tốt việc tốt")

    def __str__(self) -> str:
        return self.headline
