"""Citizen settings with their defaults (see docs/citizen.md); read at call time so tests can override."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    "CONGVU_CITIZEN_UPLOAD_MAX_BYTES": 10 * 1024 * 1024,
    "CONGVU_CITIZEN_UPLOAD_TYPES": ("pdf", "jpg", "png", "docx"),
    "CONGVU_CITIZEN_RATELIMIT": True,
    "CONGVU_CITIZEN_LOOKUP_LIMIT": 20,  # lookups per client IP and window
    "CONGVU_CITIZEN_LOOKUP_WINDOW": 600,  # seconds
    "CONGVU_CITIZEN_FORM_LIMIT": 10,  # filings / complaints / ratings per client IP and window
    "CONGVU_CITIZEN_TRUST_X_FORWARDED_FOR": False,
    "CONGVU_CITIZEN_LOOKUP_CODE_FAILURES": 5,  # wrong second factors per dossier code and window → locked
    "CONGVU_CITIZEN_LOOKUP_CODE_WINDOW": 3600,  # seconds
    "CONGVU_CITIZEN_RATING_TTL_DAYS": 30,
    "CONGVU_CITIZEN_PAKN_ANSWER_DAYS": 15,  # working days (766 indicator 5.2)
    "CONGVU_CITIZEN_PAKN_REFUSE_DAYS": 2,
    "CONGVU_CITIZEN_BENCH": False,  # exposes /citizen/_bench/ping
}


def get(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])
