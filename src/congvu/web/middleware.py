"""Turn refusals raised by services and the policy into pages a person can act on.

Views call `policy.require(...)` and the services raise `DomainError`s; instead of try/except in
every view, this middleware renders them: NotAllowed / PermissionDenied → 403 with the policy's
reason, NotFound → 404, Conflict → 409, any other DomainError → 400 with its message. The JSON API
handles its own errors (see `congvu.api.core`), so its requests are left alone.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from congvu.common.errors import Conflict, DomainError, NotAllowed, NotFound
from congvu.web.views.errors import render_error


class PermissionDeniedMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        match = getattr(request, "resolver_match", None)
        if match is not None and "api" in match.namespaces:
            return None
        if isinstance(exception, NotAllowed | PermissionDenied):
            user = getattr(request, "user", None)
            if user is None or not user.is_authenticated:
                # Anonymous: the useful answer is the login page, not "you may not".
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            return render_error(request, 403, exception)
        if isinstance(exception, NotFound):
            return render_error(request, 404, exception)
        if isinstance(exception, Conflict):
            return render_error(request, 409, exception)
        if isinstance(exception, DomainError):
            return render_error(request, 400, exception)
        return None


class DefaultLanguageMiddleware:
    """Optional: keep the UI Vietnamese unless the user picked a language with the switcher.

    Without it, LocaleMiddleware follows the browser's Accept-Language, so an official on an
    English Windows gets the English UI. To use it, put
    "congvu.web.middleware.DefaultLanguageMiddleware" just before LocaleMiddleware in MIDDLEWARE.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
