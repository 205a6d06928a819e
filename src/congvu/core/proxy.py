"""Trusted reverse proxies (issue 13): the one place that believes or drops `X-Forwarded-*`.

`CONGVU_TRUSTED_PROXIES` lists the proxies' addresses or networks. For a request whose socket peer is
one of them, `REMOTE_ADDR` becomes the real client (rightmost untrusted hop of X-Forwarded-For, see
`congvu.common.net`) and `X-Forwarded-Proto` is kept (Django's SECURE_PROXY_SSL_HEADER reads it: HTTPS,
HSTS, secure cookies, CSRF origin checks). For any other peer the X-Forwarded-* headers are removed,
so a client talking to the WSGI server directly cannot claim HTTPS or another address. The original
peer stays in `request.META["CONGVU_PEER_ADDR"]`.

It works the same under waitress (run with `clear_untrusted_proxy_headers=False`, see `congvu serve`),
gunicorn or the test client: the WSGI server does not decide, this middleware does.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from congvu.common.net import client_address, is_trusted, parse_networks

_FORWARDED = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT",
              "HTTP_X_REAL_IP", "HTTP_FORWARDED")


def trusted_networks() -> tuple:
    spec = getattr(settings, "CONGVU_TRUSTED_PROXIES", "")
    if isinstance(spec, list | tuple):
        spec = ",".join(spec)
    return parse_networks(spec or "")


def apply_proxy_headers(meta: dict) -> None:
    peer = meta.get("REMOTE_ADDR", "") or ""
    meta.setdefault("CONGVU_PEER_ADDR", peer)
    trusted = trusted_networks()
    if trusted and is_trusted(peer, trusted):
        meta["REMOTE_ADDR"] = client_address(peer, meta.get("HTTP_X_FORWARDED_FOR", ""), trusted)
        proto = (meta.get("HTTP_X_FORWARDED_PROTO") or "").split(",")[-1].strip().lower()
        if proto:
            meta["HTTP_X_FORWARDED_PROTO"] = proto
        return
    for key in _FORWARDED:
        meta.pop(key, None)


class TrustedProxyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        apply_proxy_headers(request.META)
        return self.get_response(request)
