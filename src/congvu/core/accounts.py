"""Accounts (issue 13): login throttling per account and per client, failed logins audited, an idle
timeout. Counters live in Django's cache (Redis in production: CONGVU_CACHE_URL), so every web process
shares them.

- `ThrottledModelBackend` (AUTHENTICATION_BACKENDS) refuses *any* password — the right one too — for an
  account with `CONGVU_LOGIN_ACCOUNT_LIMIT` failures in the last `CONGVU_LOGIN_WINDOW` seconds, and for a
  client (address after the trusted proxies) with `CONGVU_LOGIN_CLIENT_LIMIT` failures. It covers the
  login page, the admin login and anything else that calls `authenticate()`.
- Every failure is audited (`security:login_failed`, the username and the client) up to the limit; past
  it, one `security:login_locked` entry per window, so a flood cannot flood the trail.
- `IdleTimeoutMiddleware` logs a session out after `CONGVU_SESSION_IDLE_SECONDS` without a request.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

security_log = logging.getLogger("congvu.security")


def _conf(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def client_of(request: HttpRequest | None) -> str:
    if request is None:
        return "unknown"
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(kind: str, value: str) -> str:
    window = _conf("CONGVU_LOGIN_WINDOW", 900)
    slot = int(time.time() // window)
    return "login:" + hashlib.sha256(f"{kind}:{value}:{slot}".encode()).hexdigest()[:32]


def _count(kind: str, value: str) -> int:
    return int(cache.get(_key(kind, value)) or 0)


def _bump(kind: str, value: str) -> int:
    key, timeout = _key(kind, value), _conf("CONGVU_LOGIN_WINDOW", 900) + 5
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=timeout)
        return 1


def _account(username: Any) -> str:
    return str(username or "").strip().lower()[:150]


def login_locked(username: Any, request: HttpRequest | None) -> str:
    """"account" / "client" when that counter is over its limit, else ""."""
    if _count("account", _account(username)) >= _conf("CONGVU_LOGIN_ACCOUNT_LIMIT", 10):
        return "account"
    if _count("client", client_of(request)) >= _conf("CONGVU_LOGIN_CLIENT_LIMIT", 30):
        return "client"
    return ""


LOCKED_MESSAGE = ("Đăng nhập sai quá nhiều lần; tạm khoá trong {minutes} phút. Hãy thử lại sau hoặc dùng "
                  "“Quên mật khẩu”.")


def locked_message() -> str:
    return LOCKED_MESSAGE.format(minutes=max(1, _conf("CONGVU_LOGIN_WINDOW", 900) // 60))


class ThrottledModelBackend(ModelBackend):
    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     **kwargs: Any) -> Any:
        if username is None:
            username = kwargs.get(self._username_field(), "")
        if login_locked(username, request):
            # PermissionDenied stops authenticate() at once (no other backend is asked) and still sends
            # user_login_failed, so the attempt is counted and audited.
            raise PermissionDenied(locked_message())
        return super().authenticate(request, username=username, password=password, **kwargs)

    @staticmethod
    def _username_field() -> str:
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD


def on_login_failed(sender: Any, credentials: dict, request: HttpRequest | None = None, **kwargs: Any) -> None:
    from congvu.audit.services import audit_record

    username = _account(credentials.get("username") or credentials.get("email") or "")
    client = client_of(request)
    n_account, n_client = _bump("account", username), _bump("client", client)
    limit_account, limit_client = _conf("CONGVU_LOGIN_ACCOUNT_LIMIT", 10), _conf("CONGVU_LOGIN_CLIENT_LIMIT", 30)
    path = getattr(request, "path", "")
    if n_account <= limit_account and n_client <= limit_client:
        audit_record(action="security:login_failed", object_type="auth.user", object_id=username[:64],
                     after={"client": client, "path": path, "failures": n_account},
                     note=f"Đăng nhập sai từ {client}")
    elif n_account == limit_account + 1 or n_client == limit_client + 1:
        security_log.warning("login locked: account=%s client=%s", username, client)
        audit_record(action="security:login_locked", object_type="auth.user", object_id=username[:64],
                     after={"client": client, "path": path, "account_failures": n_account,
                            "client_failures": n_client},
                     note="Tạm khoá đăng nhập: sai quá số lần cho phép")


class IdleTimeoutMiddleware:
    """Log out a session idle for longer than CONGVU_SESSION_IDLE_SECONDS (0 = off). The last-seen time is
    written at most once a minute, so an active session does not write on every request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        idle = _conf("CONGVU_SESSION_IDLE_SECONDS", 1800)
        user = getattr(request, "user", None)
        if idle and user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last = int(request.session.get("congvu_seen", now))
            if now - last > idle:
                logout(request)
                if request.path.startswith("/api/"):
                    from django.http import JsonResponse

                    return JsonResponse({"code": "session_expired", "message": "Phiên làm việc đã hết hạn; hãy "
                                         "đăng nhập lại.", "message_en": "Session expired.", "details": {}},
                                        status=401)
                messages.info(request, "Phiên làm việc đã hết hạn do lâu không thao tác; hãy đăng nhập lại.",
                              fail_silently=True)
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if now - last >= 60 or "congvu_seen" not in request.session:
                request.session["congvu_seen"] = now
        return self.get_response(request)


def throttled_login_form() -> type:
    """The login form: the same as Django's, with the lock explained instead of "wrong password"."""
    from django import forms as django_forms
    from django.contrib.auth.forms import AuthenticationForm

    class ThrottledAuthenticationForm(AuthenticationForm):
        def clean(self) -> dict:
            try:
                return super().clean()
            except django_forms.ValidationError:
                if login_locked(self.cleaned_data.get("username"), self.request):
                    raise django_forms.ValidationError(locked_message(), code="locked") from None
                raise

    return ThrottledAuthenticationForm

