"""API authentication: bearer tokens (integrations) and the Django session (the web UI, Swagger).

Session requests must carry a CSRF token on unsafe methods; token requests need none, since a
browser never adds an Authorization header by itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from congvu.api.models import ApiToken, hash_token
from congvu.audit.context import set_current_actor
from congvu.common.errors import NotAllowed

# Writing last_used on every call would turn each read into a write (and an SQLite lock).
_LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        token = token.strip()
        if not token:
            return None
        row = ApiToken.objects.select_related("user").filter(token_hash=hash_token(token)).first()
        if row is None or not row.user.is_active:
            return None
        now = timezone.now()
        if row.last_used is None or now - row.last_used > _LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=row.pk).update(last_used=now)
        request.api_token = row
        set_current_actor(row.user)  # audit entries written deep in services name the token's user
        return row.user


def _noop_view(request: HttpRequest) -> None:  # CsrfViewMiddleware needs a view to inspect
    return None


class SessionAuth(APIKeyCookie):
    """Django session. Unlike ninja's own, it checks CSRF only once a user is signed in, so an
    anonymous unsafe request gets the 401 it deserves rather than a CSRF 403."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=False)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE"):
            request.csrf_processing_done = False
            middleware = CsrfViewMiddleware(lambda r: None)  # type: ignore[arg-type]
            middleware.process_request(request)
            if middleware.process_view(request, _noop_view, (), {}) is not None:
                raise NotAllowed("csrf_failed", "Thiếu hoặc sai mã CSRF; hãy tải lại trang rồi thử lại.",
                                 message_en="CSRF check failed; send the X-CSRFToken header.")
        return user
