"""Content-Security-Policy (issue 13). No inline script, no inline style, nothing from elsewhere: the
templates load every script and stylesheet from /static/ (see web/static/congvu/behaviours.js for the
small behaviours that used to be inline handlers). Payment gateways the payer's browser is sent to are
added to form-action from `CONGVU_CSP_FORM_ACTION` (production adds the national platform's origin).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def csp_header() -> str:
    form_action = ["'self'", *[o for o in (getattr(settings, "CONGVU_CSP_FORM_ACTION", None) or []) if o]]
    for conf in (getattr(settings, "CONGVU_PAYMENTS_PROVIDERS", {}) or {}).values():
        origin = _origin(str(conf.get("endpoint", "") or ""))
        if origin and origin not in form_action:
            form_action.append(origin)
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": form_action,
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = "Content-Security-Policy-Report-Only" if getattr(settings, "CONGVU_CSP_REPORT_ONLY", False) \
            else "Content-Security-Policy"

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header not in response:
            response[self.header] = csp_header()
        return response
