"""Units, their lineage, emulation groups, people and role grants. Thin: rules live in services."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from congvu.org.roles import ROLE_LABELS, Role


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Tỉnh, thành phố")
    DISTRICT = "district", _("Huyện, quận, thị xã, thành phố thuộc tỉnh")
    COMMUNE = "commune", _("Xã")
    WARD = "ward", _("Phường")
    TOWNSHIP = "township", _("Thị trấn")
    SPECIAL_ZONE = "special_zone", _("Đặc khu")
    AGENCY = "agency", _("Cơ quan, sở, phòng, ban")
    ONESTOP_DESK = "onestop_desk", _("Bộ phận một cửa")


ADMINISTRATIVE_KINDS = {UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE, UnitKind.WARD,
                        UnitKind.TOWNSHIP, UnitKind.SPECIAL_ZONE}


class Unit(models.Model):
    code = models.CharField(_("mã"), max_length=40, unique=True,
                            help_text=_("Mã trong congvu; với đơn vị hành chính là mã chính thức."))
    admin_code = models.CharField(_("mã đơn vị hành chính"), max_length=10, blank=True, db_index=True)
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=120, blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name=_("đơn vị cấp trên"))
    # Materialised path "/<id>/<id>/" for subtree queries (scope checks, roll-ups) in one query.
    path = models.CharField(max_length=500, db_index=True, editable=False, default="")
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True,
                                help_text=_("Ngày cuối cùng đơn vị tồn tại; trống là còn hoạt động."))
    search_key = models.CharField(max_length=600, db_index=True, editable=False, default="")
    aliases = models.JSONField(_("tên gọi khác"), default=list, blank=True)
    source = models.CharField(_("căn cứ"), max_length=255, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")

    def __str__(self) -> str:
        return self.name

    def exists_on(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class LineageKind(models.TextChoices):
    MERGE = "merge", _("Sáp nhập, hợp nhất")
    SPLIT = "split", _("Chia tách")
    RENAME = "rename", _("Đổi tên")
    TRANSFER = "transfer", _("Chuyển giao nhiệm vụ")


class UnitLineage(models.Model):
    """predecessor → successor from `effective_on`: figures of the predecessor roll up to the successor."""

    predecessor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="successor_links",
                                    verbose_name=_("đơn vị trước"))
    successor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="predecessor_links",
                                  verbose_name=_("đơn vị kế thừa"))
    kind = models.CharField(_("hình thức"), max_length=20, choices=LineageKind.choices, default=LineageKind.MERGE)
    effective_on = models.DateField(_("ngày hiệu lực"))
    share = models.DecimalField(_("tỷ lệ kế thừa"), max_digits=5, decimal_places=4, default=1,
                                help_text=_("Phần số liệu chuyển sang đơn vị kế thừa khi chia tách."))
    source = models.CharField(_("căn cứ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("kế thừa đơn vị")
        verbose_name_plural = _("kế thừa đơn vị")
        constraints = [models.UniqueConstraint(fields=["predecessor", "successor"], name="org_lineage_unique_pair")]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective_on:%d/%m/%Y})"


class EmulationGroupKind(models.TextChoices):
    BLOCK = "block", _("Khối thi đua")
    CLUSTER = "cluster", _("Cụm thi đua")


class EmulationGroup(models.Model):
    year = models.PositiveSmallIntegerField(_("năm"))
    kind = models.CharField(_("loại"), max_length=10, choices=EmulationGroupKind.choices)
    name = models.CharField(_("tên"), max_length=255)
    owner = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="owned_emulation_groups",
                              verbose_name=_("cấp tổ chức"))
    members = models.ManyToManyField(Unit, related_name="emulation_groups", blank=True, verbose_name=_("thành viên"))
    leader_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("cụm trưởng / khối trưởng"))

    class Meta:
        ordering = ["-year", "kind", "name"]
        verbose_name = _("khối, cụm thi đua")
        verbose_name_plural = _("khối, cụm thi đua")
        constraints = [models.UniqueConstraint(fields=["year", "owner", "name"], name="org_group_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class PersonCategory(models.TextChoices):
    CAN_BO = "can_bo", _("Cán bộ")
    CONG_CHUC = "cong_chuc", _("Công chức")
    VIEN_CHUC = "vien_chuc", _("Viên chức")
    NGUOI_LAO_DONG = "nguoi_lao_dong", _("Người lao động")


class Person(models.Model):
    """An official. `uid` is the stable identity that awards and annual ratings refer to."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    staff_code = models.CharField(_("mã cán bộ"), max_length=40, unique=True, null=True, blank=True)
    full_name = models.CharField(_("họ và tên"), max_length=150)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    gender = models.CharField(_("giới tính"), max_length=10, blank=True,
                              choices=[("male", _("Nam")), ("female", _("Nữ"))])
    category = models.CharField(_("phân loại"), max_length=20, choices=PersonCategory.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="people", verbose_name=_("đơn vị"))
    position = models.CharField(_("chức vụ"), max_length=150, blank=True)
    is_head = models.BooleanField(_("người đứng đầu"), default=False)
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="person", verbose_name=_("tài khoản"))
    search_key = models.CharField(max_length=150, db_index=True, editable=False, default="")
    active = models.BooleanField(_("đang công tác"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["unit__path", "-is_head", "full_name"]
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ, công chức, viên chức")

    def __str__(self) -> str:
        return self.full_name


class PositionHistory(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="positions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    position = models.CharField(_("chức vụ"), max_length=150)
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"), null=True, blank=True)
    decision = models.CharField(_("quyết định"), max_length=120, blank=True)

    class Meta:
        ordering = ["person", "-start"]
        verbose_name = _("quá trình công tác")
        verbose_name_plural = _("quá trình công tác")

    def __str__(self) -> str:
        return f"{self.person}: {self.position} ({self.start:%d/%m/%Y})"


class RoleGrant(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants",
                             verbose_name=_("tài khoản"))
    role = models.CharField(_("vai trò"), max_length=32, choices=[(r.value, label) for r, label in ROLE_LABELS.items()])
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="role_grants", verbose_name=_("phạm vi"))
    valid_from = models.DateField(_("từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [models.UniqueConstraint(fields=["user", "role", "unit"], name="org_rolegrant_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {Role(self.role).value} @ {self.unit}"
