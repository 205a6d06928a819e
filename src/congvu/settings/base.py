"""Settings read from the environment.

DATABASE_URL selects the database: unset means the embedded SQLite file under var/ (WAL mode);
postgres://... selects PostgreSQL through psycopg 3.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(os.environ.get("CONGVU_HOME", Path.cwd())).resolve()
VAR_DIR = Path(os.environ.get("CONGVU_VAR", BASE_DIR / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("CONGVU_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("CONGVU_DEBUG", True)
ALLOWED_HOSTS = [h for h in os.environ.get("CONGVU_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "congvu.core",
    "congvu.audit",
    "congvu.org",
    "congvu.workdays",
    "congvu.metrics",
    "congvu.web",
    "congvu.api",
    "congvu.onestop",
    "congvu.notifications",
    "congvu.directives",
    "congvu.reports",
    "congvu.payments",
    "congvu.citizen",
    "congvu.portal",
    "congvu.indices",
    "congvu.emulation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compressed pages (static files are pre-compressed by the storage below and served by WhiteNoise).
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "congvu.web.middleware.DefaultLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "congvu.audit.middleware.AuditActorMiddleware",
    "congvu.web.middleware.PermissionDeniedMiddleware",
]

ROOT_URLCONF = "congvu.urls"
WSGI_APPLICATION = "congvu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "congvu.web.context_processors.shell",
            ],
        },
    },
]


def database_from_env() -> dict:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        config = dj_database_url.parse(url, conn_max_age=int(os.environ.get("CONGVU_DB_CONN_MAX_AGE", "0")))
    else:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(VAR_DIR / "congvu.sqlite3")}
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers go on while one writer commits; IMMEDIATE avoids upgrade deadlocks.
        config.setdefault("OPTIONS", {}).update(
            {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "transaction_mode": "IMMEDIATE"}
        )
    if config["ENGINE"] == "django.db.backends.postgresql" and not env_bool("CONGVU_PG_JIT", False):
        # OLTP: PostgreSQL's JIT compiles a plan whose cost estimate is high (fresh or tiny tables, many
        # sub-plans) in ~250 ms to save microseconds; the public lookup paid that on every request.
        options = config.setdefault("OPTIONS", {})
        options["options"] = (options.get("options", "") + " -c jit=off").strip()
    config.setdefault("TEST", {})
    return config


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request without it
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, pre-compressed files after `collectstatic` (served for a year, immutable); before it (tests,
    # a plain `congvu serve`) the plain names, found by WhiteNoise's finders (issue 15).
    "staticfiles": {"BACKEND": "congvu.web.storage.StaticStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_MAX_AGE = int(os.environ.get("CONGVU_STATIC_MAX_AGE", "3600"))  # unhashed names only

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

# Demo steps run by `congvu demo` after the demo province (each `fn(stdout=...)`), in order.
CONGVU_DEMO_STEPS = [
    "congvu.workdays.demo.load",
    "congvu.directives.demo.load",
    "congvu.onestop.demo.load",
    "congvu.payments.demo.load",
    "congvu.citizen.demo.load",
    "congvu.citizen.demo_today.load",  # live work at today's desk, relative to today (issue 15)
    "congvu.portal.demo.load",
    "congvu.indices.demo.load",
    "congvu.indices.demo_rounds.load",
    "congvu.emulation.demo.load",
    "congvu.emulation.demo_council.load",  # after the emulation demo step that submits a round to the council
]

# Jobs the worker runs once per day (each `fn(today=date)`); they are idempotent, so a restart
# that runs them again on the same day sends nothing twice.
CONGVU_DAILY_JOBS = [
    "congvu.directives.services.tasks_overdue_sweep",
    "congvu.directives.services.reminders_schedule",
    "congvu.portal.services.identity.population_lookups_purge",
    "congvu.indices.workflow.assessment_reminders",
]

# Called by the worker on every round (each `fn()`, quick and idempotent): the national-portal sender
# (a few batches, then the portal's acknowledgements; paused while the portal is down).
CONGVU_WORKER_TICKS = ["congvu.portal.services.sender.portal_tick"]

# Where the shipped, versioned rule data lives (holiday overrides, demo province...).
CONGVU_DATA_DIR = PACKAGE_DIR / "data"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CONGVU_LOG_LEVEL", "WARNING")},
}


# --- Directives, notifications (issue: directives import and tracking) ---------------------------
# Largest accepted upload for a notice or a progress-report attachment (bytes); see docs/directives.md.
CONGVU_UPLOAD_MAX_BYTES = int(os.environ.get("CONGVU_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
# Reminders: N working days before the deadline, on the day, and M working days after (to the head).
CONGVU_REMINDER_BEFORE_DAYS = [int(x) for x in os.environ.get("CONGVU_REMINDER_BEFORE_DAYS", "3,1").split(",") if x]
CONGVU_REMINDER_AFTER_DAYS = [int(x) for x in os.environ.get("CONGVU_REMINDER_AFTER_DAYS", "1,5").split(",") if x]
CONGVU_DUE_SOON_WORKING_DAYS = int(os.environ.get("CONGVU_DUE_SOON_WORKING_DAYS", "5"))
CONGVU_SITE_URL = os.environ.get("CONGVU_SITE_URL", "http://127.0.0.1:8000")
CONGVU_NOTIFY_MAX_ATTEMPTS = int(os.environ.get("CONGVU_NOTIFY_MAX_ATTEMPTS", "5"))
CONGVU_NOTIFY_RETRY_BASE_SECONDS = int(os.environ.get("CONGVU_NOTIFY_RETRY_BASE_SECONDS", "60"))

EMAIL_BACKEND = os.environ.get(
    "CONGVU_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if os.environ.get("CONGVU_EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("CONGVU_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("CONGVU_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("CONGVU_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CONGVU_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("CONGVU_EMAIL_TLS", False)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("CONGVU_EMAIL_FROM", "congvu <no-reply@congvu.local>")


# --- Payments (issue 5: fees, online payment, e-receipts, refunds; docs/payments.md) ------------
# The provider offered to citizens, and every provider's class and options (see
# congvu.payments.providers). "demo" is a local fake gateway: never offer it in production.
CONGVU_PAYMENTS_PROVIDER = os.environ.get("CONGVU_PAYMENTS_PROVIDER", "demo")
CONGVU_PAYMENTS_PROVIDERS = {
    "demo": {
        "class": "congvu.payments.providers.demo.DemoProvider",
        "secret": os.environ.get("CONGVU_PAYMENTS_DEMO_SECRET", "demo-only-payment-secret"),
    },
    "national": {  # field names, codes and formats of the real platform must be confirmed
        "class": "congvu.payments.providers.national.NationalPlatformProvider",
        "endpoint": os.environ.get("CONGVU_PAYMENTS_NATIONAL_ENDPOINT", ""),
        "refund_endpoint": os.environ.get("CONGVU_PAYMENTS_NATIONAL_REFUND_ENDPOINT", ""),
        "merchant_code": os.environ.get("CONGVU_PAYMENTS_NATIONAL_MERCHANT", ""),
        "secret": os.environ.get("CONGVU_PAYMENTS_NATIONAL_SECRET", ""),
        "algorithm": os.environ.get("CONGVU_PAYMENTS_NATIONAL_ALGORITHM", "sha256"),
    },
}
# A callback whose timestamp is further than this from now (seconds) is refused.
CONGVU_PAYMENTS_CALLBACK_MAX_AGE = int(os.environ.get("CONGVU_PAYMENTS_CALLBACK_MAX_AGE", "600"))
# E-receipt series "<prefix>-<year>" (numbers gapless per series) and the receipt template code.
CONGVU_PAYMENTS_RECEIPT_SERIES_PREFIX = os.environ.get("CONGVU_PAYMENTS_RECEIPT_SERIES_PREFIX", "BL")
CONGVU_PAYMENTS_RECEIPT_TEMPLATE_CODE = os.environ.get("CONGVU_PAYMENTS_RECEIPT_TEMPLATE_CODE", "")
# Procedures without a FeePolicy row: must fees be paid before processing?
CONGVU_PAYMENTS_PAY_BEFORE_PROCESSING_DEFAULT = env_bool("CONGVU_PAYMENTS_PAY_BEFORE_PROCESSING_DEFAULT", False)


# --- Citizen public site: online filing, lookup, ratings, PAKN (docs/citizen.md) -----------------
# The lookup rate limit counts in Django's cache. Default: per-process LocMem (dev, tests). With
# several web processes use Redis so the limit is shared: CONGVU_CACHE_URL=redis://127.0.0.1:6379/1
# (needs the `redis` Python package).
CONGVU_CACHE_URL = os.environ.get("CONGVU_CACHE_URL", "").strip()
if CONGVU_CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CONGVU_CACHE_URL}}
CONGVU_CITIZEN_UPLOAD_MAX_BYTES = int(os.environ.get("CONGVU_CITIZEN_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
CONGVU_CITIZEN_UPLOAD_TYPES = ("pdf", "jpg", "png", "docx")
CONGVU_CITIZEN_RATELIMIT = env_bool("CONGVU_CITIZEN_RATELIMIT", True)
CONGVU_CITIZEN_LOOKUP_LIMIT = int(os.environ.get("CONGVU_CITIZEN_LOOKUP_LIMIT", "20"))  # per client IP and window
CONGVU_CITIZEN_LOOKUP_WINDOW = int(os.environ.get("CONGVU_CITIZEN_LOOKUP_WINDOW", "600"))  # seconds
CONGVU_CITIZEN_FORM_LIMIT = int(os.environ.get("CONGVU_CITIZEN_FORM_LIMIT", "10"))  # filings/ratings/PAKN per window
CONGVU_CITIZEN_TRUST_X_FORWARDED_FOR = env_bool("CONGVU_CITIZEN_TRUST_X_FORWARDED_FOR", False)  # → CONGVU_TRUSTED_PROXIES
CONGVU_CITIZEN_LOOKUP_CODE_FAILURES = int(os.environ.get("CONGVU_CITIZEN_LOOKUP_CODE_FAILURES", "5"))
CONGVU_CITIZEN_LOOKUP_CODE_WINDOW = int(os.environ.get("CONGVU_CITIZEN_LOOKUP_CODE_WINDOW", "3600"))
CONGVU_CITIZEN_RATING_TTL_DAYS = int(os.environ.get("CONGVU_CITIZEN_RATING_TTL_DAYS", "30"))
CONGVU_CITIZEN_PAKN_ANSWER_DAYS = 15  # working days, QĐ 766 indicator 5.2
CONGVU_CITIZEN_PAKN_REFUSE_DAYS = 2
CONGVU_CITIZEN_BENCH = env_bool("CONGVU_CITIZEN_BENCH", False)  # exposes /citizen/_bench/ping


# --- Notifications: SMS / Zalo ZNS / e-mail channels, fallback, quiet hours (docs/notifications.md) -----
def _env_list(name: str, default: str) -> list[str]:
    return [x.strip() for x in os.environ.get(name, default).split(",") if x.strip()]


CONGVU_NOTIFY = {
    "sms": {
        "endpoint": os.environ.get("CONGVU_SMS_ENDPOINT", ""),  # e.g. http://127.0.0.1:8025/sms (congvu fakegateway)
        "api_key": os.environ.get("CONGVU_SMS_API_KEY", ""),
        "sender": os.environ.get("CONGVU_SMS_SENDER", "CONGVU"),  # brandname
        "timeout": float(os.environ.get("CONGVU_SMS_TIMEOUT", "10")),
        "max_attempts": int(os.environ.get("CONGVU_SMS_MAX_ATTEMPTS", "8")),
    },
    "zalo": {
        "endpoint": os.environ.get("CONGVU_ZALO_ENDPOINT", ""),  # ZNS: https://business.openapi.zalo.me/message/template
        "access_token": os.environ.get("CONGVU_ZALO_ACCESS_TOKEN", ""),
        "oa_id": os.environ.get("CONGVU_ZALO_OA_ID", ""),
        # approved ZNS template ids per event: "dossier_received=123456,ready=123457"
        "templates": dict(x.split("=", 1) for x in _env_list("CONGVU_ZALO_TEMPLATES", "") if "=" in x),
        "timeout": float(os.environ.get("CONGVU_ZALO_TIMEOUT", "10")),
        "max_attempts": int(os.environ.get("CONGVU_ZALO_MAX_ATTEMPTS", "3")),
    },
    "email": {},
    "fallback": _env_list("CONGVU_NOTIFY_FALLBACK", "zalo,sms,email"),
    "quiet_hours": os.environ.get("CONGVU_NOTIFY_QUIET_HOURS", "21:00-07:00"),
    "quiet_channels": _env_list("CONGVU_NOTIFY_QUIET_CHANNELS", "sms,zalo"),
    "workers": int(os.environ.get("CONGVU_NOTIFY_WORKERS", "16")),
    "admin_emails": _env_list("CONGVU_NOTIFY_ADMIN_EMAILS", ""),
    "callback_token": os.environ.get("CONGVU_NOTIFY_CALLBACK_TOKEN", ""),
}
CONGVU_NOTIFY_RETRY_MAX_SECONDS = int(os.environ.get("CONGVU_NOTIFY_RETRY_MAX_SECONDS", str(6 * 3600)))
CONGVU_DAILY_JOBS = [*CONGVU_DAILY_JOBS, "congvu.notifications.services.notifications_daily_digest"]


# --- Hardening: proxies, input bounds, uploads, health, logs, accounts (issue 13; docs/deploy.md) ---------
# Reverse proxies whose X-Forwarded-For / -Proto are believed (addresses or networks, comma-separated).
# Empty: no proxy; X-Forwarded-* from anyone are dropped (congvu.core.proxy).
CONGVU_TRUSTED_PROXIES = os.environ.get(
    "CONGVU_TRUSTED_PROXIES", "127.0.0.1,::1" if env_bool("CONGVU_CITIZEN_TRUST_X_FORWARDED_FOR", False) else "")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # safe: untrusted peers' header is dropped
CSRF_TRUSTED_ORIGINS = _env_list("CONGVU_CSRF_TRUSTED_ORIGINS", "")
MIDDLEWARE = ["congvu.core.proxy.TrustedProxyMiddleware", "congvu.core.guard.InputGuardMiddleware",
              "congvu.core.idempotency.IdempotencyMiddleware", *MIDDLEWARE]
CONGVU_IDEMPOTENCY_TTL = int(os.environ.get("CONGVU_IDEMPOTENCY_TTL", "86400"))  # seconds an answer is replayed
# Largest multipart body (uploads); other bodies are bounded by DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB). → 413
CONGVU_MAX_BODY_BYTES = int(os.environ.get("CONGVU_MAX_BODY_BYTES", "0"))  # 0: 3 × CONGVU_UPLOAD_MAX_BYTES + 1 MB
# The one upload validator's limits (congvu.common.uploads.Limits): zip-bomb caps, PDF pages, macros.
CONGVU_UPLOAD_LIMITS = {
    "max_uncompressed": int(os.environ.get("CONGVU_UPLOAD_MAX_UNCOMPRESSED", str(100 * 1024 * 1024))),
    "max_ratio": int(os.environ.get("CONGVU_UPLOAD_MAX_RATIO", "100")),
    "max_pdf_pages": int(os.environ.get("CONGVU_UPLOAD_MAX_PDF_PAGES", "500")),
    "allow_active": env_bool("CONGVU_UPLOAD_ALLOW_ACTIVE", False),
}
CONGVU_HEALTH_OUTBOX_MAX_BACKLOG = int(os.environ.get("CONGVU_HEALTH_OUTBOX_MAX_BACKLOG", "1000"))
CONGVU_HEALTH_OUTBOX_MAX_AGE = int(os.environ.get("CONGVU_HEALTH_OUTBOX_MAX_AGE", "900"))
# Logs: "text" (default) or "json" (one object per line; the production default).
CONGVU_LOG_FORMAT = os.environ.get("CONGVU_LOG_FORMAT", "text")
LOGGING["formatters"] = {"json": {"()": "congvu.core.logging.JsonFormatter"}}
if CONGVU_LOG_FORMAT == "json":
    LOGGING["handlers"]["console"]["formatter"] = "json"
LOGGING.setdefault("loggers", {})["congvu.security"] = {"level": "INFO"}
# Accounts: login throttling (per account and per client, in the cache), idle timeout, CSP.
AUTHENTICATION_BACKENDS = ["congvu.core.accounts.ThrottledModelBackend"]
CONGVU_LOGIN_ACCOUNT_LIMIT = int(os.environ.get("CONGVU_LOGIN_ACCOUNT_LIMIT", "10"))  # failures per window
CONGVU_LOGIN_CLIENT_LIMIT = int(os.environ.get("CONGVU_LOGIN_CLIENT_LIMIT", "30"))
CONGVU_LOGIN_WINDOW = int(os.environ.get("CONGVU_LOGIN_WINDOW", "900"))  # seconds
CONGVU_SESSION_IDLE_SECONDS = int(os.environ.get("CONGVU_SESSION_IDLE_SECONDS", "1800"))  # 0 = no idle timeout
SESSION_COOKIE_AGE = int(os.environ.get("CONGVU_SESSION_MAX_AGE", str(12 * 3600)))
PASSWORD_RESET_TIMEOUT = int(os.environ.get("CONGVU_PASSWORD_RESET_TIMEOUT", str(3600)))
CONGVU_CSP_FORM_ACTION = _env_list("CONGVU_CSP_FORM_ACTION", "")  # extra origins forms may post to
CONGVU_CSP_REPORT_ONLY = env_bool("CONGVU_CSP_REPORT_ONLY", False)
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "congvu.core.security.ContentSecurityPolicyMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
                  "congvu.core.accounts.IdleTimeoutMiddleware")
