"""Outbound sync records to the national public-service portal, the per-dossier sync cursor, and
identity checks against the population database. Thin: rules live in services / selectors."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

User = settings.AUTH_USER_MODEL


class SyncState(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENT = "sent", _("Đã gửi, chờ xác nhận")
    ACKNOWLEDGED = "acknowledged", _("Cổng quốc gia đã xác nhận")
    REJECTED = "rejected", _("Bị từ chối")
    CANCELLED = "cancelled", _("Đã hủy")


UNSENT_STATES = (SyncState.PENDING, SyncState.REJECTED)


class SyncDossier(models.Model):
    """Per dossier: the last sequence handed out (locked while a record is added, so sequences are
    gapless and follow the dossier's changes) and facts carried from one record to the next."""

    dossier = models.OneToOneField("onestop.Dossier", on_delete=models.CASCADE, related_name="portal_sync")
    last_sequence = models.PositiveIntegerField(default=0)
    paid_online = models.BooleanField(default=False)
    population_verified = models.BooleanField(default=False)  # mirrors IdentityCheck.state == verified
    # First time the portal acknowledged the receipt record (766 1.4) / a record sharing to the citizen's
    # store (4.4). Set once, never cleared: the counters `portal_synced` / `portal_shared` follow them.
    synced_at = models.DateTimeField(null=True, blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("đồng bộ hồ sơ")
        verbose_name_plural = _("đồng bộ hồ sơ")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.last_sequence}"


class SyncRecord(models.Model):
    """One dossier change in the national field names, written in the change's transaction and sent
    once, in `sequence` order per dossier. `key` is the idempotency key the portal checks."""

    dossier = models.ForeignKey("onestop.Dossier", on_delete=models.CASCADE, related_name="portal_records")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    unit_code = models.CharField(_("mã đơn vị"), max_length=60)  # as the portal knows the unit
    sequence = models.PositiveIntegerField()
    kind = models.CharField(_("sự kiện"), max_length=32)
    at = models.DateTimeField(_("thời điểm"))
    day = models.DateField(_("ngày"))  # local day of `at`, for reconciliation per unit × day
    key = models.CharField(_("khóa chống gửi trùng"), max_length=80, unique=True)
    spec_version = models.CharField(max_length=40)
    payload = models.JSONField(default=dict)
    shares_to_store = models.BooleanField(default=False)  # 766 4.4: e-result link / data from the citizen's store
    state = models.CharField(_("trạng thái"), max_length=16, choices=SyncState.choices, default=SyncState.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.CharField(max_length=500, blank=True)
    reject_reason = models.TextField(_("lý do từ chối"), blank=True)
    reject_code = models.CharField(max_length=60, blank=True)
    portal_ref = models.CharField(max_length=120, blank=True)
    corrected = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    rejected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["dossier", "sequence"]
        constraints = [models.UniqueConstraint(fields=["dossier", "sequence"], name="portal_record_dossier_seq")]
        indexes = [
            models.Index(fields=["state", "next_attempt_at", "id"], name="portal_record_queue_idx"),
            models.Index(fields=["dossier", "state", "sequence"], name="portal_record_head_idx"),
            models.Index(fields=["unit", "day"], name="portal_record_unit_day_idx"),
        ]
        verbose_name = _("bản ghi đồng bộ Cổng DVCQG")
        verbose_name_plural = _("bản ghi đồng bộ Cổng DVCQG")

    def __str__(self) -> str:
        return self.key


class SyncCursor(models.Model):
    """Where the sender is in the portal's acknowledgement feed (one row per provider)."""

    provider = models.CharField(max_length=40, unique=True)
    ack_cursor = models.CharField(max_length=80, blank=True, default="")
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    paused_until = models.DateTimeField(null=True, blank=True)
    lease_owner = models.CharField(max_length=80, blank=True)  # one sender at a time (a lease, not a lock)
    lease_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.provider


class IdentityState(models.TextChoices):
    VERIFIED = "verified", _("Đã xác thực với CSDL dân cư")
    MISMATCH = "mismatch", _("Không khớp CSDL dân cư")
    UNKNOWN = "unknown", _("Không có trong CSDL dân cư")
    INVALID = "invalid", _("Số định danh không hợp lệ")
    UNVERIFIED = "unverified", _("Chưa xác thực (chờ kiểm tra lại)")
    NOT_PROVIDED = "not_provided", _("Không có số định danh")


class PopulationLookup(models.Model):
    """The last answer of the population-data provider for an ID number (kept a short while), so a
    receipt can be marked verified without calling the network inside the receipt's transaction."""

    id_number = models.CharField(max_length=12, unique=True)
    provider = models.CharField(max_length=40)
    found = models.BooleanField(default=False)
    full_name = models.CharField(max_length=255, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    permanent_address = models.CharField(max_length=500, blank=True)
    looked_up_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.id_number


class IdentityCheck(models.Model):
    """Identity of a dossier's applicant against the population database (766 leaf 4.5)."""

    dossier = models.OneToOneField("onestop.Dossier", on_delete=models.CASCADE, related_name="identity_check")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    received_day = models.DateField()
    id_number = models.CharField(_("số định danh"), max_length=20, blank=True)
    state = models.CharField(_("xác thực"), max_length=16, choices=IdentityState.choices)
    provider = models.CharField(max_length=40, blank=True)
    full_name = models.CharField(_("họ tên theo CSDL"), max_length=255, blank=True)
    birth_date = models.DateField(_("ngày sinh theo CSDL"), null=True, blank=True)
    permanent_address = models.CharField(_("nơi thường trú theo CSDL"), max_length=500, blank=True)
    differences = models.JSONField(default=list, blank=True)
    message = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    checked_at = models.DateTimeField(null=True, blank=True)
    # First time the applicant was verified (766 4.5): set once, never cleared; counter `portal_verified`.
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["unit", "received_day", "state"], name="portal_identity_unit_day_idx"),
                   models.Index(fields=["state"], name="portal_identity_state_idx")]
        verbose_name = _("xác thực danh tính")
        verbose_name_plural = _("xác thực danh tính")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.state}"
