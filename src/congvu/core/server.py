"""The WSGI server `congvu serve` runs: waitress, configured for running behind a TLS proxy.

Why waitress (and not gunicorn): pure Python, already a dependency, no compiler, runs the same on a
province's Linux server and an officer's Windows laptop, threads are enough for this load (the work is
in the database). Its own trusted-proxy handling takes one peer address and a hop count; we need a
*list* of proxy networks with the rightmost-untrusted rule, applied identically under any server and
in tests, so waitress passes X-Forwarded-* through untouched (`clear_untrusted_proxy_headers=False`) and
`congvu.core.proxy.TrustedProxyMiddleware` decides (and drops them from untrusted peers).
"""

from __future__ import annotations

from typing import Any


def make_server(app: Any, *, host: str = "127.0.0.1", port: int = 8000, threads: int = 8, **extra: Any) -> Any:
    from waitress.server import create_server

    options: dict[str, Any] = {
        "host": host, "port": port, "threads": threads, "ident": "congvu",
        "clear_untrusted_proxy_headers": False,  # congvu.core.proxy decides, from CONGVU_TRUSTED_PROXIES
        "max_request_body_size": 1024 * 1024 * 1024,  # the app answers 413 from its own limit first
        "channel_timeout": 120,
    }
    options.update(extra)
    if options.get("sockets"):  # pre-opened listening sockets (several processes sharing one): no host/port
        options.pop("host")
        options.pop("port")
    return create_server(app, **options)
