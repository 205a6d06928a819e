"""The notification settings: `settings.CONGVU_NOTIFY` merged over the defaults below.

    CONGVU_NOTIFY = {
        "sms":   {"endpoint": ..., "api_key": ..., "sender": ..., "timeout": 10, "max_attempts": 8},
        "zalo":  {"endpoint": ..., "access_token": ..., "oa_id": ..., "templates": {"dossier_received": "123"},
                  "timeout": 10, "max_attempts": 3, "no_zalo_codes": [-118], "retryable_codes": [...]},
        "email": {"max_attempts": 5},
        "fallback": ["zalo", "sms", "email"],
        "quiet_hours": "21:00-07:00", "quiet_channels": ["sms", "zalo"],
        "workers": 16, "admin_emails": [...], "callback_token": "...",
    }

Re-read whenever the setting is replaced, so tests and `override_settings` take effect at once;
treat the returned dict as read-only.
"""

from __future__ import annotations

import copy
from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    "sms": {"endpoint": "", "api_key": "", "sender": "CONGVU", "timeout": 10.0, "max_attempts": 8,
            "unicode": False, "max_chars": 160},
    "zalo": {"endpoint": "", "access_token": "", "oa_id": "", "templates": {}, "timeout": 10.0, "max_attempts": 3,
             # ZNS answers HTTP 200 with {"error": <code>}; these codes mean "no Zalo account on this number".
             "no_zalo_codes": [-118, -119], "retryable_codes": [-32, -1]},
    "email": {"max_attempts": None},
    "in_app": {"max_attempts": None},
    "fallback": ["zalo", "sms", "email"],
    "quiet_hours": "21:00-07:00",
    "quiet_channels": ["sms", "zalo"],
    "workers": 16,
    "admin_emails": [],
    "callback_token": "",
    "message_id_prefix": "cv",
}


_cache: tuple[Any, dict[str, Any]] | None = None


def notify_config() -> dict[str, Any]:
    """The merged settings. Cached while `settings.CONGVU_NOTIFY` is the same object (tests and
    `override_settings` replace it; the cache keeps a reference, so the identity cannot be reused)."""
    global _cache
    raw = getattr(settings, "CONGVU_NOTIFY", None) or {}
    cached = _cache
    if cached is not None and cached[0] is raw:
        return cached[1]
    conf = copy.deepcopy(DEFAULTS)
    for key, value in raw.items():
        if isinstance(value, dict) and isinstance(conf.get(key), dict):
            conf[key].update(copy.deepcopy(value))
        else:
            conf[key] = copy.deepcopy(value)
    _cache = (raw, conf)
    return conf


def channel_configured(channel: str, conf: dict[str, Any] | None = None) -> bool:
    """E-mail and in-app always work; SMS and Zalo need an endpoint."""
    conf = conf or notify_config()
    if channel in ("sms", "zalo"):
        return bool(conf[channel].get("endpoint"))
    return True


def max_attempts_for(channel: str, conf: dict[str, Any] | None = None) -> int:
    conf = conf or notify_config()
    value = (conf.get(channel) or {}).get("max_attempts")
    return int(value or getattr(settings, "CONGVU_NOTIFY_MAX_ATTEMPTS", 5))
