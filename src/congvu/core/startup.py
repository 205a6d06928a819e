"""Start-up refusals: production never starts with a forbidden setting (demo provider, demo secret)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from congvu.common import production


def production_refusals(*, raise_error: bool = False) -> list[tuple[str, str]]:
    """The refusals that apply now; with `raise_error`, an ImproperlyConfigured in production."""
    if not getattr(settings, "CONGVU_PRODUCTION", False):
        return []
    if raise_error:
        try:
            production.enforce(settings)
        except production.ProductionRefused as exc:
            raise ImproperlyConfigured(str(exc)) from None
    return production.refusals(settings)
