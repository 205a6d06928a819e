"""Transactional outbox, delivery attempts, templates, recipient preferences and in-app notifications.

Thin: rules live in services (writes), providers (channels) and templates (text).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    IN_APP = "in_app", _("Trong ứng dụng")
    SMS = "sms", _("Tin nhắn SMS")
    ZALO = "zalo", _("Zalo")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    DELIVERED = "delivered", _("Đã đến người nhận")
    FAILED = "failed", _("Gửi thất bại")
    HELD = "held", _("Chờ gộp bản tin ngày")
    BATCHED = "batched", _("Đã gộp vào bản tin ngày")


# A message in one of these states still has to go out: later messages of its group wait for it.
UNFINISHED = (OutboxStatus.PENDING, OutboxStatus.SENDING)


class OutboxMessage(models.Model):
    """One logical notification to one recipient, written in the same transaction as its event.

    `idempotency_key` is UNIQUE: enqueuing the same key twice is a no-op, so nothing goes twice.
    `channels` is the fallback chain (e.g. zalo → sms → email) and `addresses` the recipient's
    address on each; `channel`/`recipient` are the current link of the chain. Messages sharing a
    `group_key` (e.g. `dossier:42`) are sent strictly in creation order.
    """

    channel = models.CharField(_("kênh"), max_length=20, choices=Channel.choices)
    recipient = models.CharField(_("người nhận"), max_length=255, help_text=_("Địa chỉ e-mail, số điện thoại..."))
    recipient_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+", verbose_name=_("tài khoản nhận"))
    recipient_person = models.ForeignKey("org.Person", null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+", verbose_name=_("cán bộ nhận"))
    channels = models.JSONField(_("chuỗi kênh dự phòng"), default=list, blank=True)
    addresses = models.JSONField(_("địa chỉ theo kênh"), default=dict, blank=True)
    channel_index = models.PositiveSmallIntegerField(default=0)
    group_key = models.CharField(_("nhóm thứ tự"), max_length=120, blank=True, default="", db_index=True)
    template_key = models.CharField(_("mẫu"), max_length=80)
    context = models.JSONField(_("nội dung"), default=dict, blank=True)
    idempotency_key = models.CharField(_("khóa chống gửi trùng"), max_length=255, unique=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=OutboxStatus.choices,
                              default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("số lần thử trên kênh hiện tại"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("số lần thử tối đa"), default=0,
                                                    help_text=_("0: theo cấu hình của từng kênh"))
    next_attempt_at = models.DateTimeField(_("thử lại lúc"), db_index=True)
    quiet_hours = models.CharField(_("giờ yên lặng"), max_length=11, blank=True, help_text=_("ví dụ 21:00-07:00"))
    claim_token = models.CharField(max_length=32, blank=True, default="", db_index=True, editable=False)
    provider_ref = models.CharField(_("mã tin ở nhà cung cấp"), max_length=100, blank=True, db_index=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("đến người nhận lúc"), null=True, blank=True)
    alerted_at = models.DateTimeField(_("đã báo quản trị lúc"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("thư chờ gửi")
        verbose_name_plural = _("hộp thư đi")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notif_outbox_due"),
                   models.Index(fields=["group_key", "status"], name="notif_outbox_group")]

    def __str__(self) -> str:
        return f"{self.channel} → {self.recipient}: {self.template_key}"


class AttemptStatus(models.TextChoices):
    SENT = "sent", _("Đã gửi")
    DELIVERED = "delivered", _("Đã đến người nhận")
    FAILED = "failed", _("Lỗi, sẽ thử lại")
    FELL_BACK = "fell_back", _("Chuyển kênh dự phòng")
    GAVE_UP = "gave_up", _("Thất bại cuối cùng")


class DeliveryAttempt(models.Model):
    """One try of one message on one channel (the delivery history shown in the admin)."""

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="delivery_attempts")
    channel = models.CharField(_("kênh"), max_length=20, choices=Channel.choices)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    number = models.PositiveSmallIntegerField(_("lần thử"))
    status = models.CharField(_("kết quả"), max_length=10, choices=AttemptStatus.choices)
    provider_message_id = models.CharField(max_length=100, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    at = models.DateTimeField(_("lúc"))
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["message", "id"]
        verbose_name = _("lần gửi")
        verbose_name_plural = _("lịch sử gửi")

    def __str__(self) -> str:
        return f"{self.message_id} {self.channel} #{self.number}: {self.status}"


class NotificationTemplate(models.Model):
    """Text of one event's message, editable in the admin; the version in force on a day is the one
    with the latest `effective_from` not after it. Without a row, the shipped text applies."""

    key = models.CharField(_("sự kiện"), max_length=80, db_index=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    effective_from = models.DateField(_("áp dụng từ"))
    active = models.BooleanField(_("đang dùng"), default=True)
    subject = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung (e-mail, trong ứng dụng)"))
    sms = models.CharField(_("nội dung SMS"), max_length=500, blank=True,
                           help_text=_("Để trống: rút từ tiêu đề. Gửi dạng không dấu, tối đa 160 ký tự."))
    zalo_template_id = models.CharField(_("mã mẫu ZNS"), max_length=40, blank=True,
                                        help_text=_("Để trống: lấy theo cấu hình CONGVU_NOTIFY['zalo']['templates']."))
    zalo_params = models.JSONField(_("tham số ZNS"), default=list, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key", "-effective_from", "-version"]
        constraints = [models.UniqueConstraint(fields=["key", "version"], name="notif_template_key_version")]
        verbose_name = _("mẫu thông báo")
        verbose_name_plural = _("mẫu thông báo")

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"


class RecipientPreference(models.Model):
    """Per-recipient overrides: quiet hours and (officers) the daily digest. A row names an officer
    (`person`) or, for a citizen, an address (phone number or e-mail)."""

    person = models.OneToOneField("org.Person", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="notification_preference", verbose_name=_("cán bộ"))
    address = models.CharField(_("số điện thoại / e-mail"), max_length=255, blank=True, db_index=True)
    quiet_hours = models.CharField(_("giờ yên lặng"), max_length=11, blank=True,
                                   help_text=_("ví dụ 22:00-06:30; để trống: theo mặc định; '-': không có"))
    daily_digest = models.BooleanField(_("gộp thành bản tin ngày"), default=False,
                                       help_text=_("Nhắc việc gửi qua e-mail được gộp thành một thư mỗi ngày."))
    last_digest_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("tùy chọn nhận thông báo")
        verbose_name_plural = _("tùy chọn nhận thông báo")

    def __str__(self) -> str:
        return str(self.person or self.address)


class InAppNotification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                             verbose_name=_("tài khoản"))
    title = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(_("liên kết"), max_length=500, blank=True)
    outbox = models.OneToOneField(OutboxMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("thông báo trong ứng dụng")
        verbose_name_plural = _("thông báo trong ứng dụng")

    def __str__(self) -> str:
        return self.title
