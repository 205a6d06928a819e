"""API tokens. Only a SHA-256 of the token is stored: the token itself is shown once at creation.

SHA-256 (not a slow password hash) is enough because tokens are 256-bit random values, and it
lets authentication look a token up by its hash in one indexed query.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "cv_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("tài khoản"))
    name = models.CharField(_("tên"), max_length=100, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    last_used = models.DateTimeField(_("lần dùng cuối"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")

    def __str__(self) -> str:
        return f"{self.user} — {self.name or self.pk}"

    @classmethod
    def issue(cls, *, user: object, name: str = "") -> tuple[ApiToken, str]:
        """Create a token; returns (row, plaintext). The plaintext is not recoverable later."""
        plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, token_hash=hash_token(plaintext)), plaintext
