"""Start-up refusals: production never starts with a forbidden setting (demo provider, demo secret)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from congvu.common import production


def production_refusals(*, raise_error: bool = False) -> list[tuple[str, str]]:
    """The refusals that apply now; with `raise_error`, an ImproperlyConfigured in production."""
    if not getattr(settings, "CONGVU_PRODUCTION", False):
        return []
    found = production.refusals(settings)
    if found and raise_error:
        lines = "\n".join(f"- [{rule}] {message}" for rule, message in found)
        raise ImproperlyConfigured(f"Cấu hình không được phép khi chạy thật (production):\n{lines}\n"
                                   "Xem docs/deploy.md.")
    return found
