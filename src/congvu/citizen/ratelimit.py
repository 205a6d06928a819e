"""Fixed-window rate limit per client IP on Django's configured cache (Redis in production:
CONGVU_CACHE_URL; LocMem per process otherwise). The first refusal of a window is written to the
security log and the audit chain; the following ones only count, so a flood cannot flood the log."""

from __future__ import annotations

import hashlib
import logging
import time
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest

from congvu.citizen import conf

security_log = logging.getLogger("congvu.security")


def client_ip(request: HttpRequest) -> str:
    """The real client: `congvu.core.proxy.TrustedProxyMiddleware` has already replaced REMOTE_ADDR with
    the rightmost untrusted hop of X-Forwarded-For when the peer is a trusted proxy (never the leftmost,
    spoofable entry)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _hit_key(bucket: str, ip: str, window: int) -> str:
    slot = int(time.time() // window)
    return "citizen:rl:" + hashlib.sha256(f"{bucket}:{ip}:{slot}".encode()).hexdigest()[:32]


def hit(request: HttpRequest, bucket: str, *, limit: int, window: int) -> bool:
    """Count one attempt; False when the client is over the limit (the request must be refused)."""
    if not conf.get("CONGVU_CITIZEN_RATELIMIT"):
        return True
    ip = client_ip(request)
    key = _hit_key(bucket, ip, window)
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    if count <= limit:
        return True
    if count == limit + 1:
        _log_flood(bucket, ip, limit, window, request.path)
    return False


def _redis() -> tuple[Any, Any] | None:
    """(redis client, serializer) when Django's cache is the Redis backend, else None."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    return backend._cache.get_client(write=True), backend._cache._serializer


def lookup_gate(request: HttpRequest, code: str) -> str:
    """The checks of one lookup, in the order `hit(...)` then `code_locked(code)` make them: "" to go on,
    "flood" when the client is over CONGVU_CITIZEN_LOOKUP_LIMIT in the window (counted), "locked" when
    the code is locked. On Redis ONE round trip (SET NX EX, INCR and GET pipelined) instead of four
    (add; exists + incr; get); on any other cache the same calls as before."""
    if not conf.get("CONGVU_CITIZEN_RATELIMIT"):
        return ""
    limit, window = int(conf.get("CONGVU_CITIZEN_LOOKUP_LIMIT")), int(conf.get("CONGVU_CITIZEN_LOOKUP_WINDOW"))
    redis = _redis()
    if redis is None:
        if not hit(request, "lookup", limit=limit, window=window):
            return "flood"
        return "locked" if code_locked(code) else ""
    client, serializer = redis
    ip = client_ip(request)
    hit_key = cache.make_and_validate_key(_hit_key("lookup", ip, window))
    code_key = cache.make_and_validate_key(_code_key(code))
    with client.pipeline(transaction=False) as pipe:
        pipe.set(hit_key, serializer.dumps(0), ex=window + 5, nx=True)
        pipe.incr(hit_key)
        pipe.get(code_key)
        _, count, failures = pipe.execute()
    if count > limit:
        if count == limit + 1:
            _log_flood("lookup", ip, limit, window, request.path)
        return "flood"
    failures = int(serializer.loads(failures)) if failures is not None else 0
    return "locked" if failures >= int(conf.get("CONGVU_CITIZEN_LOOKUP_CODE_FAILURES")) else ""


def _log_flood(bucket: str, ip: str, limit: int, window: int, path: str) -> None:
    from congvu.audit.services import audit_record

    security_log.warning("citizen %s flood from %s: more than %s requests in %s s (%s)", bucket, ip, limit,
                         window, path)
    audit_record(action=f"security:{bucket}_flood", object_type="citizen.client", object_id=ip[:64],
                 note=f"Quá {limit} lượt trong {window} giây tại {path}; các yêu cầu tiếp theo bị từ chối (429).")


# -- per dossier code (issue 13): the 4-digit second factor cannot be guessed from many addresses ----------

def _code_key(code: str) -> str:
    window = int(conf.get("CONGVU_CITIZEN_LOOKUP_CODE_WINDOW"))
    slot = int(time.time() // window)
    return "citizen:code:" + hashlib.sha256(f"{code.strip().upper()}:{slot}".encode()).hexdigest()[:32]


def code_locked(code: str) -> bool:
    """True when this code had CONGVU_CITIZEN_LOOKUP_CODE_FAILURES wrong second factors in the window,
    from any number of addresses (known codes and unknown ones alike, so a lock reveals nothing)."""
    if not conf.get("CONGVU_CITIZEN_RATELIMIT"):
        return False
    return int(cache.get(_code_key(code)) or 0) >= int(conf.get("CONGVU_CITIZEN_LOOKUP_CODE_FAILURES"))


def code_failed(code: str, request: HttpRequest) -> None:
    if not conf.get("CONGVU_CITIZEN_RATELIMIT") or not code.strip():
        return
    key, window = _code_key(code), int(conf.get("CONGVU_CITIZEN_LOOKUP_CODE_WINDOW"))
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window + 5)
        count = 1
    if count == int(conf.get("CONGVU_CITIZEN_LOOKUP_CODE_FAILURES")):
        from congvu.audit.services import audit_record

        security_log.warning("citizen lookup: code %s locked after %s wrong second factors (last from %s)",
                             code[:40], count, client_ip(request))
        audit_record(action="security:lookup_code_locked", object_type="citizen.lookup", object_id=code[:64],
                     after={"client": client_ip(request), "failures": count},
                     note=f"Tạm khoá tra cứu mã này sau {count} lần nhập sai 4 số cuối điện thoại.")
