"""Transactional outbox and in-app notifications. Thin: rules live in services."""

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
    FAILED = "failed", _("Gửi thất bại")


class OutboxMessage(models.Model):
    """One message to one recipient on one channel, written in the same transaction as its event.

    `idempotency_key` is UNIQUE: enqueuing the same key twice is a no-op, so a reminder never goes twice.
    """

    channel = models.CharField(_("kênh"), max_length=20, choices=Channel.choices)
    recipient = models.CharField(_("người nhận"), max_length=255, help_text=_("Địa chỉ e-mail, số điện thoại..."))
    recipient_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+", verbose_name=_("tài khoản nhận"))
    template_key = models.CharField(_("mẫu"), max_length=80)
    context = models.JSONField(_("nội dung"), default=dict, blank=True)
    idempotency_key = models.CharField(_("khóa chống gửi trùng"), max_length=255, unique=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=OutboxStatus.choices,
                              default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("số lần thử tối đa"), default=5)
    next_attempt_at = models.DateTimeField(_("thử lại lúc"), db_index=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("thư chờ gửi")
        verbose_name_plural = _("hộp thư đi")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notif_outbox_due")]

    def __str__(self) -> str:
        return f"{self.channel} → {self.recipient}: {self.template_key}"


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
