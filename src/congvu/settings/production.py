"""Production settings: `DJANGO_SETTINGS_MODULE=congvu.settings.production`.

Requires CONGVU_SECRET_KEY and CONGVU_ALLOWED_HOSTS; expects PostgreSQL through DATABASE_URL.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from congvu.settings.base import *  # noqa: F401,F403
from congvu.settings.base import env_bool

DEBUG = False
SECRET_KEY = os.environ.get("CONGVU_SECRET_KEY", "")
if not SECRET_KEY or SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured("CONGVU_SECRET_KEY must be set to a long random value in production.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("CONGVU_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("CONGVU_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False

# --- Hardening (issue 13; docs/deploy.md) -------------------------------------------------------------
# Start-up and `check --deploy` refuse the registry of production-forbidden settings
# (congvu.common.production: demo payment provider, demo secrets, ... — other apps add theirs).
CONGVU_PRODUCTION = True
# The demo gateway marks fees paid without money: it does not exist in production.
CONGVU_PAYMENTS_PROVIDERS = {k: v for k, v in CONGVU_PAYMENTS_PROVIDERS.items() if k != "demo"}  # noqa: F405
CONGVU_PAYMENTS_PROVIDER = os.environ.get("CONGVU_PAYMENTS_PROVIDER", "national")
CONGVU_LOG_FORMAT = os.environ.get("CONGVU_LOG_FORMAT", "json")
LOGGING["handlers"]["console"]["formatter"] = "json" if CONGVU_LOG_FORMAT == "json" else None  # noqa: F405
if LOGGING["handlers"]["console"]["formatter"] is None:  # noqa: F405
    LOGGING["handlers"]["console"].pop("formatter")  # noqa: F405
LOGGING["root"]["level"] = os.environ.get("CONGVU_LOG_LEVEL", "INFO")  # noqa: F405
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the API docs page reads it for its POSTs
