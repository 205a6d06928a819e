"""Portal settings, each overridable in Django settings (tests) or by environment variable.

    CONGVU_PORTAL_PROVIDER     "local" (the `congvu fakeportal` stand-in), "national", or "" (keep
                               records, send nothing)
    CONGVU_PORTAL_PROVIDERS    {key: {"class": dotted path, **options}}
    CONGVU_PORTAL_SOURCE       this installation's id in idempotency keys ("congvu")
    CONGVU_PORTAL_BATCH        records per request (200)
    CONGVU_PORTAL_TIMEOUT      seconds per request (10)
    CONGVU_PORTAL_BACKOFF_BASE / _MAX   seconds between retries after a failure (5 → doubling → 900)
    CONGVU_POPULATION_PROVIDER / CONGVU_POPULATION_PROVIDERS   the population-data provider
    CONGVU_POPULATION_TIMEOUT  seconds per lookup (3)
    CONGVU_POPULATION_LOOKUP_TTL  seconds a lookup answer may mark a receipt verified (86400)
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings

DEMO_PORTAL_TOKEN = "demo-only-portal-token"
DEMO_POPULATION_SECRET = "demo-only-population-secret"
LOCAL_PORTAL_CLASS = "congvu.portal.providers.local.LocalPortalProvider"
LOCAL_POPULATION_CLASS = "congvu.portal.population.local.LocalPopulationProvider"


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def _default_portal_providers() -> dict[str, dict[str, Any]]:
    return {
        "local": {"class": LOCAL_PORTAL_CLASS,
                  "endpoint": _env("CONGVU_PORTAL_LOCAL_ENDPOINT", "http://127.0.0.1:8765"),
                  "token": _env("CONGVU_PORTAL_LOCAL_TOKEN", DEMO_PORTAL_TOKEN)},
        "national": {"class": "congvu.portal.providers.national.NationalPortalProvider",
                     "endpoint": _env("CONGVU_PORTAL_NATIONAL_ENDPOINT", ""),
                     "client_id": _env("CONGVU_PORTAL_NATIONAL_CLIENT_ID", ""),
                     "secret": _env("CONGVU_PORTAL_NATIONAL_SECRET", "")},
    }


def _default_population_providers() -> dict[str, dict[str, Any]]:
    return {
        "local": {"class": LOCAL_POPULATION_CLASS, "size": int(_env("CONGVU_POPULATION_LOCAL_SIZE", "5000")),
                  "seed": _env("CONGVU_POPULATION_LOCAL_SEED", "congvu-population-demo")},
        "national": {"class": "congvu.portal.population.national.NationalPopulationProvider",
                     "endpoint": _env("CONGVU_POPULATION_NATIONAL_ENDPOINT", ""),
                     "client_id": _env("CONGVU_POPULATION_NATIONAL_CLIENT_ID", ""),
                     "secret": _env("CONGVU_POPULATION_NATIONAL_SECRET", "")},
    }


def get(name: str, s: Any = None) -> Any:
    s = s if s is not None else settings
    defaults: dict[str, Any] = {
        "CONGVU_PORTAL_PROVIDER": lambda: _env("CONGVU_PORTAL_PROVIDER", "local"),
        "CONGVU_PORTAL_PROVIDERS": _default_portal_providers,
        "CONGVU_PORTAL_SOURCE": lambda: _env("CONGVU_PORTAL_SOURCE", "congvu"),
        "CONGVU_PORTAL_BATCH": lambda: int(_env("CONGVU_PORTAL_BATCH", "200")),
        "CONGVU_PORTAL_TIMEOUT": lambda: float(_env("CONGVU_PORTAL_TIMEOUT", "10")),
        "CONGVU_PORTAL_BACKOFF_BASE": lambda: float(_env("CONGVU_PORTAL_BACKOFF_BASE", "5")),
        "CONGVU_PORTAL_BACKOFF_MAX": lambda: float(_env("CONGVU_PORTAL_BACKOFF_MAX", "900")),
        "CONGVU_POPULATION_PROVIDER": lambda: _env("CONGVU_POPULATION_PROVIDER", "local"),
        "CONGVU_POPULATION_PROVIDERS": _default_population_providers,
        "CONGVU_POPULATION_TIMEOUT": lambda: float(_env("CONGVU_POPULATION_TIMEOUT", "3")),
        "CONGVU_POPULATION_LOOKUP_TTL": lambda: int(_env("CONGVU_POPULATION_LOOKUP_TTL", "86400")),
    }
    if hasattr(s, name):
        return getattr(s, name)
    return defaults[name]()
