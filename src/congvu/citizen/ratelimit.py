"""Fixed-window rate limit per client IP on Django's configured cache (Redis in production:
CONGVU_CACHE_URL; LocMem per process otherwise). The first refusal of a window is written to the
security log and the audit chain; the following ones only count, so a flood cannot flood the log."""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
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


# The lookup's checks as ONE Redis command: count the client's attempt (the window's TTL set by the
# first), and read the code's failure count, atomically.
_GATE_LUA = ("local n = redis.call('INCR', KEYS[1]) "
             "if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end "
             "return {n, redis.call('GET', KEYS[2])}")
_GATE_SHA = hashlib.sha1(_GATE_LUA.encode()).hexdigest()
_LOCAL = threading.local()  # conn, pool, pending (an answer not read yet)


def _gate_connection(pool: Any) -> Any:
    """This thread's own connection to the cache's Redis (same URL and options as the cache's pool),
    kept for the thread's life: the lookup then pays neither the pool's lock nor a client object. A
    connection with an answer never read (the thread died between send and read) is dropped."""
    conn = getattr(_LOCAL, "conn", None)
    if conn is None or _LOCAL.pool is not pool:
        conn = _LOCAL.conn = pool.make_connection()
        _LOCAL.pool = pool
    elif _LOCAL.pending:
        conn.disconnect()
    _LOCAL.pending = False
    return conn


def _resp(parts: tuple) -> bytes:
    """One command in Redis's wire format (what redis-py's `pack_command` makes, without its encoders)."""
    items = [p if isinstance(p, bytes) else str(p).encode() for p in parts]
    return b"*%d\r\n" % len(items) + b"".join(b"$%d\r\n%s\r\n" % (len(p), p) for p in items)


def _gate_send(pool: Any, command: tuple) -> Any:
    conn = _gate_connection(pool)
    conn.send_packed_command([_resp(command)])  # a list of chunks, as redis-py sends them
    _LOCAL.pending = True
    return conn


def _gate_read(pool: Any, conn: Any, command: tuple) -> tuple[int, Any]:
    """The answer to `command` (EVALSHA of `_GATE_LUA`) sent on `conn`: (attempts in the window, code
    failures as stored). Loads the script when the server lost it (restart, SCRIPT FLUSH) and sends
    again; on a dropped connection, connects and sends again (twice at most)."""
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import NoScriptError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    for attempt in (1, 2, 3):
        try:
            if conn is None:
                conn = _gate_send(pool, command)
            count, failures = conn.read_response()
            _LOCAL.pending = False
            return int(count), failures
        except NoScriptError:
            _LOCAL.pending = False
            conn.send_packed_command(conn.pack_command("SCRIPT", "LOAD", _GATE_LUA))
            conn.read_response()
        except (RedisConnectionError, RedisTimeoutError):
            _LOCAL.pending = False
            conn.disconnect()
            if attempt == 3:
                raise
        conn = None
    raise RuntimeError("citizen lookup gate: Redis did not answer the gate script")


def lookup_gate_start(request: HttpRequest, code: str) -> Callable[[], str]:
    """The checks of one lookup, in the order `hit(...)` then `code_locked(code)` make them, answered by
    the function returned: "" to go on, "flood" when the client is over CONGVU_CITIZEN_LOOKUP_LIMIT in
    the window (counted), "locked" when the code is locked. On Redis ONE command (a Lua script: INCR,
    EXPIRE on the first, GET) on the thread's own connection, sent here and read by the answer: the
    lookup runs its statement in between, so the two round trips overlap and the thread waits once.
    On any other cache the same calls as before, made here. The keys and values are the ones `hit`
    and `code_failed` use."""
    if not conf.get("CONGVU_CITIZEN_RATELIMIT"):
        return _GO_ON
    limit, window = int(conf.get("CONGVU_CITIZEN_LOOKUP_LIMIT")), int(conf.get("CONGVU_CITIZEN_LOOKUP_WINDOW"))
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        answer = "flood" if not hit(request, "lookup", limit=limit, window=window) else (
            "locked" if code_locked(code) else "")
        return lambda: answer
    ip = client_ip(request)
    pool = backend._cache._get_connection_pool(True)
    # make_key without validate_key: both keys are fixed-length hex digests behind our own prefix.
    command = ("EVALSHA", _GATE_SHA, 2, backend.make_key(_hit_key("lookup", ip, window)),
               backend.make_key(_code_key(code)), window + 5)
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    try:
        conn = _gate_send(pool, command)
    except (RedisConnectionError, RedisTimeoutError):
        conn = None  # the answer connects and sends again

    def answer() -> str:
        count, failures = _gate_read(pool, conn, command)
        if count > limit:
            if count == limit + 1:
                _log_flood("lookup", ip, limit, window, request.path)
            return "flood"
        failures = int(backend._cache._serializer.loads(failures)) if failures is not None else 0
        return "locked" if failures >= int(conf.get("CONGVU_CITIZEN_LOOKUP_CODE_FAILURES")) else ""

    return answer


def _go_on() -> str:
    return ""


_GO_ON = _go_on


def lookup_gate(request: HttpRequest, code: str) -> str:
    """`lookup_gate_start(request, code)()`: the checks of one lookup, answered at once."""
    return lookup_gate_start(request, code)()


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
