"""Fees of a dossier, payments (online through a provider, or cash at the desk), electronic
receipts (biên lai điện tử) with gapless numbers, refunds, and the log of gateway callbacks.

Amounts are whole đồng (VND has no minor unit), stored as integers. Writes go through
`congvu.payments.services`; rows edited by people carry `version` (optimistic locking).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

User = settings.AUTH_USER_MODEL


class FeeState(models.TextChoices):
    DUE = "due", _("Chưa nộp")
    PAID = "paid", _("Đã nộp")
    REFUNDED = "refunded", _("Đã hoàn trả")
    WAIVED = "waived", _("Được miễn")


class Method(models.TextChoices):
    ONLINE = "online", _("Trực tuyến")
    CASH = "cash", _("Tiền mặt tại bộ phận một cửa")


class PaymentState(models.TextChoices):
    PENDING = "pending", _("Đang chờ thanh toán")
    SUCCEEDED = "succeeded", _("Thành công")
    FAILED = "failed", _("Không thành công")
    REFUNDED = "refunded", _("Đã hoàn trả toàn bộ")


class FeePolicy(models.Model):
    """Payments-side attribute of a procedure: must fees be paid before the dossier is processed?"""

    procedure = models.OneToOneField("onestop.Procedure", on_delete=models.CASCADE, related_name="fee_policy")
    pay_before_processing = models.BooleanField(_("nộp phí trước khi giải quyết"), default=False)

    class Meta:
        verbose_name = _("quy định nộp phí của thủ tục")
        verbose_name_plural = _("quy định nộp phí của thủ tục")

    def __str__(self) -> str:
        return f"{self.procedure_id}: {'trước' if self.pay_before_processing else 'không bắt buộc trước'}"


class Fee(models.Model):
    """One fee item owed for a dossier; the amount is the catalogue's at receipt (`Dossier.fee_amount`)."""

    dossier = models.ForeignKey("onestop.Dossier", on_delete=models.CASCADE, related_name="fees")
    code = models.CharField(_("mã khoản thu"), max_length=40, default="catalogue")
    item = models.CharField(_("khoản phí, lệ phí"), max_length=500)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    state = models.CharField(_("trạng thái"), max_length=10, choices=FeeState.choices, default=FeeState.DUE)
    paid_at = models.DateTimeField(null=True, blank=True)
    waiver_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dossier", "id"]
        constraints = [models.UniqueConstraint(fields=["dossier", "code"], name="payments_fee_dossier_code")]
        verbose_name = _("khoản phí, lệ phí")
        verbose_name_plural = _("khoản phí, lệ phí")

    def __str__(self) -> str:
        return f"{self.item}: {self.amount:,} đ"


class Payment(models.Model):
    dossier = models.ForeignKey("onestop.Dossier", on_delete=models.PROTECT, related_name="payments")
    fees = models.ManyToManyField(Fee, related_name="payments")
    method = models.CharField(_("hình thức"), max_length=10, choices=Method.choices)
    provider = models.CharField(_("cổng thanh toán"), max_length=40, blank=True)
    transaction_id = models.CharField(_("mã giao dịch"), max_length=64, unique=True)
    provider_ref = models.CharField(_("mã giao dịch của cổng"), max_length=128, blank=True)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    refunded_amount = models.PositiveBigIntegerField(_("đã hoàn trả (đồng)"), default=0)
    state = models.CharField(_("trạng thái"), max_length=10, choices=PaymentState.choices,
                             default=PaymentState.PENDING, db_index=True)
    payer_name = models.CharField(_("người nộp tiền"), max_length=255)
    created_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)
    raw_callback = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("giao dịch thanh toán")
        verbose_name_plural = _("giao dịch thanh toán")

    def __str__(self) -> str:
        return f"{self.transaction_id} ({self.amount:,} đ, {self.state})"

    @property
    def refundable(self) -> int:
        return self.amount - self.refunded_amount if self.state == PaymentState.SUCCEEDED else 0


class ReceiptCounter(models.Model):
    """Last number issued per receipt series (the series carries the year, e.g. BL-2026)."""

    series = models.CharField(max_length=40, unique=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.series}: {self.last_number}"


class EReceipt(models.Model):
    """Biên lai điện tử thu phí, lệ phí: one per successful payment."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="receipt")
    series = models.CharField(_("ký hiệu"), max_length=40)
    number = models.PositiveIntegerField(_("số"))
    template_code = models.CharField(_("mẫu số"), max_length=40, blank=True)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    payer_name = models.CharField(_("người nộp"), max_length=255)
    fee_item = models.CharField(_("khoản thu"), max_length=1000)
    method = models.CharField(_("hình thức thanh toán"), max_length=10, choices=Method.choices)
    issuer = models.CharField(_("đơn vị thu"), max_length=255)
    issued_at = models.DateTimeField(_("ngày lập"))

    class Meta:
        ordering = ["series", "number"]
        constraints = [models.UniqueConstraint(fields=["series", "number"], name="payments_receipt_series_number")]
        verbose_name = _("biên lai điện tử")
        verbose_name_plural = _("biên lai điện tử")

    def __str__(self) -> str:
        return f"{self.series} số {self.number_display}"

    @property
    def number_display(self) -> str:
        return f"{self.number:07d}"


class Refund(models.Model):
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = models.PositiveBigIntegerField(_("số tiền hoàn (đồng)"))
    reason = models.TextField(_("lý do"))
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()
    provider_ref = models.CharField(max_length=128, blank=True)

    class Meta:
        ordering = ["payment", "at", "id"]
        verbose_name = _("hoàn trả")
        verbose_name_plural = _("hoàn trả")

    def __str__(self) -> str:
        return f"Hoàn {self.amount:,} đ ({self.payment_id})"


class CallbackOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("Đã ghi nhận")
    DUPLICATE = "duplicate", _("Trùng lặp, không ghi nhận lại")
    REFUSED = "refused", _("Từ chối")


class CallbackLog(models.Model):
    """Every callback a gateway (or anyone) posted, with what was decided."""

    provider = models.CharField(max_length=40)
    transaction_id = models.CharField(max_length=64, blank=True, db_index=True)
    nonce = models.CharField(max_length=80, blank=True)
    outcome = models.CharField(max_length=10, choices=CallbackOutcome.choices)
    reason = models.CharField(max_length=255, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    remote_addr = models.CharField(max_length=64, blank=True)
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("nhật ký phản hồi cổng thanh toán")
        verbose_name_plural = _("nhật ký phản hồi cổng thanh toán")

    def __str__(self) -> str:
        return f"{self.provider} {self.transaction_id} {self.outcome}"


class CallbackNonce(models.Model):
    """Nonces of accepted callbacks: a nonce is accepted once per provider (replay protection)."""

    provider = models.CharField(max_length=40)
    nonce = models.CharField(max_length=80)
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "nonce"], name="payments_nonce_unique")]

    def __str__(self) -> str:
        return f"{self.provider}:{self.nonce}"
