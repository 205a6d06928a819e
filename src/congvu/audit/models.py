from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One append-only, hash-chained record of a change to a domain record.

    `entry_hash` = SHA-256 over the canonical JSON of this entry's fields and `prev_hash`, so that
    editing or deleting any row breaks the chain from that row on (`congvu audit verify`).

    Every receipt writes entries, so every index costs on the desk's hot path: only the indexes a reader
    uses are kept (docs/speed.md §2). `seq` unique (the chain's order: verification, the newest entry, the
    log page newest first); `(object_type, object_id, seq)` (one record's trail, the scoped log);
    `(action, seq)` and `at` (the log's filters); `actor` (a user's deletion is checked against the trail,
    `PROTECT`). `entry_hash` is not unique-indexed: no query reads by it, and two entries cannot share it
    while `seq` is unique (the hash covers `seq` and the previous hash).
    """

    seq = models.BigIntegerField(_("số thứ tự"), unique=True)
    at = models.DateTimeField(_("thời điểm"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("người thực hiện"),
    )
    actor_label = models.CharField(_("tên người thực hiện"), max_length=150, blank=True)
    action = models.CharField(_("hành động"), max_length=64)
    object_type = models.CharField(_("loại đối tượng"), max_length=100)
    object_id = models.CharField(_("mã đối tượng"), max_length=64)
    object_repr = models.CharField(_("đối tượng"), max_length=255, blank=True)
    before = models.JSONField(_("trước"), null=True, blank=True)
    after = models.JSONField(_("sau"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("mục nhật ký")
        verbose_name_plural = _("nhật ký kiểm toán")
        indexes = [models.Index(fields=["object_type", "object_id", "seq"]),
                   models.Index(fields=["action", "seq"], name="audit_entry_action_seq_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """A single row locked (SELECT ... FOR UPDATE) while appending, so that concurrent writers
    on PostgreSQL serialise and the chain stays linear."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"head #{self.last_seq}"
