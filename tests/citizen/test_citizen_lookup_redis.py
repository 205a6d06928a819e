"""The lookup's rate limit and code lock on Redis (production's cache) take ONE command
(ratelimit.lookup_gate_start: a Lua script on the thread's own connection, overlapped with the
statement) and decide exactly as on any other cache: flood after the limit (logged once), code locked
after the wrong second factors; the script is loaded again when the server lost it, and a dropped
connection is opened again. Needs a Redis at CONGVU_TEST_REDIS_URL (default
redis://127.0.0.1:6379/13); skipped when none answers."""

from __future__ import annotations

import hashlib
import os
import socket
import threading
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from congvu.audit.models import AuditEntry
from congvu.citizen import ratelimit
from congvu.onestop import services as s

REDIS_URL = os.environ.get("CONGVU_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def _redis_answers() -> bool:
    parts = urlsplit(REDIS_URL)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=0.5):
            return True
    except OSError:
        return False


pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not _redis_answers(), reason=f"no Redis at {REDIS_URL}")]


@pytest.fixture
def redis_cache(settings, monkeypatch):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                                   "KEY_PREFIX": "congvu-test-lookup"}}
    from django.core.cache import cache

    cache.clear()
    monkeypatch.setattr(ratelimit, "_LOCAL", threading.local())  # a connection to this test's Redis
    sent: list[bytes] = []  # the command name of every command the gate sends (not the connection's handshake)
    real = ratelimit._gate_connection

    def recording(pool):
        conn = real(pool)
        if not getattr(conn, "_recording", False):
            send = conn.send_packed_command
            def send_recorded(packed, *a, **k):
                name = (packed if isinstance(packed, bytes) else b"".join(packed)).split(b"\r\n")[2]
                if name not in (b"SELECT", b"CLIENT", b"HELLO", b"AUTH"):
                    sent.append(name)
                return send(packed, *a, **k)

            conn.send_packed_command = send_recorded
            conn._recording = True
        return conn

    monkeypatch.setattr(ratelimit, "_gate_connection", recording)
    yield sent
    cache.clear()


def _dossier(procedure, desk):
    return s.dossier_receive(procedure=procedure, unit=desk, applicant_name="Trần Thị Lan", channel="in_person",
                             received_at=timezone.now(), applicant_phone="0905123456")


def test_flood_on_redis_in_one_command(client, procedure, desk, settings, redis_cache):
    sent = redis_cache
    settings.CONGVU_CITIZEN_LOOKUP_LIMIT = 3
    d = _dossier(procedure, desk)
    answers = [client.post(reverse("citizen:lookup"), {"code": d.code, "phone4": "3456"}) for _ in range(5)]
    assert [r.status_code for r in answers] == [200, 200, 200, 429, 429]
    assert d.code in answers[0].content.decode() and "Retry-After" in answers[3]
    # One command per lookup. A server that does not hold the script yet (a fresh Redis) answers the first
    # EVALSHA with NOSCRIPT: the gate loads it once and sends that EVALSHA again.
    reloads = sent.count(b"SCRIPT")
    assert reloads <= 1
    assert [c for c in sent if c != b"SCRIPT"] == [b"EVALSHA"] * (5 + reloads)
    assert AuditEntry.objects.filter(action="security:lookup_flood").count() == 1  # first refusal only
    other = client.post(reverse("citizen:lookup"), {"code": d.code, "phone4": "3456"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_gate_window_expires(client, procedure, desk, settings, redis_cache):
    """The client's counter gets the window's TTL on its first attempt (not on later ones)."""
    from django.core.cache import cache

    settings.CONGVU_CITIZEN_LOOKUP_WINDOW = 120
    d = _dossier(procedure, desk)
    assert client.post(reverse("citizen:lookup"), {"code": d.code, "phone4": "3456"}).status_code == 200
    key = cache.make_key(ratelimit._hit_key("lookup", "127.0.0.1", 120))
    redis = cache._cache.get_client(write=True)
    assert int(redis.get(key)) == 1 and 120 < redis.ttl(key) <= 125
    redis.expire(key, 1000)
    assert client.post(reverse("citizen:lookup"), {"code": d.code, "phone4": "3456"}).status_code == 200
    assert int(redis.get(key)) == 2 and redis.ttl(key) > 125  # the second attempt kept the window's TTL


def test_gate_reloads_script_and_reconnects(client, procedure, desk, settings, redis_cache, monkeypatch):
    sent = redis_cache
    settings.CONGVU_CITIZEN_LOOKUP_LIMIT = 2
    lua = ratelimit._GATE_LUA + " -- " + threading.current_thread().name + str(os.getpid())  # never loaded yet
    monkeypatch.setattr(ratelimit, "_GATE_LUA", lua)
    monkeypatch.setattr(ratelimit, "_GATE_SHA", hashlib.sha1(lua.encode()).hexdigest())
    d = _dossier(procedure, desk)
    first = client.post(reverse("citizen:lookup"), {"code": d.code, "phone4": "3456"})
    assert first.status_code == 200 and sent == [b"EVALSHA", b"SCRIPT", b"EVALSHA"]
    ratelimit._LOCAL.conn.disconnect()  # Redis restarted, or the connection dropped
    assert client.post(reverse("citizen:lookup"), {"code": d.code, "phone4": "3456"}).status_code == 200
    assert client.post(reverse("citizen:lookup"), {"code": d.code, "phone4": "3456"}).status_code == 429


def test_code_lock_on_redis(client, procedure, desk, settings, redis_cache):
    settings.CONGVU_CITIZEN_LOOKUP_LIMIT = 100
    d = _dossier(procedure, desk)
    answers = [client.post(reverse("citizen:lookup"), {"code": d.code, "phone4": f"{i:04d}"},
                           REMOTE_ADDR=f"203.0.113.{i % 3 + 1}").status_code for i in range(7)]
    right = client.post(reverse("citizen:lookup"), {"code": d.code, "phone4": "3456"})
    assert answers == [404] * 5 + [429] * 2 and right.status_code == 429
    assert "Retry-After" in right
    assert AuditEntry.objects.filter(action="security:lookup_code_locked", object_id=d.code).count() == 1


def test_refused_lookup_shows_nothing_of_the_dossier(client, procedure, desk, settings, redis_cache):
    """The statement runs while the gate's answer is on its way; a refused lookup still shows nothing."""
    settings.CONGVU_CITIZEN_LOOKUP_LIMIT = 1
    d = _dossier(procedure, desk)
    assert client.post(reverse("citizen:lookup"), {"code": d.code, "phone4": "3456"}).status_code == 200
    refused = client.post(reverse("citizen:lookup"), {"code": d.code, "phone4": "3456"})
    unknown = client.post(reverse("citizen:lookup"), {"code": "H99.99-990101-9999", "phone4": "3456"})
    assert refused.status_code == unknown.status_code == 429
    body = refused.content.decode()
    assert d.code not in body and procedure.name not in body and desk.name not in body


def test_statement_error_leaves_the_gate_connection_in_step(client, procedure, desk, settings, redis_cache,
                                                            monkeypatch):
    """When the statement fails after the gate's command was sent, its answer is still read: the
    thread's connection stays in step and the next lookup gets its own answer."""
    from django.db import DatabaseError

    from congvu.citizen import selectors

    settings.CONGVU_CITIZEN_LOOKUP_LIMIT = 3
    d = _dossier(procedure, desk)
    real = selectors.lookup
    monkeypatch.setattr(selectors, "lookup", lambda *a: (_ for _ in ()).throw(DatabaseError("server closed")))
    client.raise_request_exception = False
    assert client.post(reverse("citizen:lookup"), {"code": d.code, "phone4": "3456"}).status_code == 500
    assert ratelimit._LOCAL.pending is False
    monkeypatch.setattr(selectors, "lookup", real)
    ok = client.post(reverse("citizen:lookup"), {"code": d.code, "phone4": "3456"})
    assert ok.status_code == 200 and d.code in ok.content.decode()
    assert client.post(reverse("citizen:lookup"), {"code": d.code, "phone4": "3456"}).status_code == 200
    assert client.post(reverse("citizen:lookup"), {"code": d.code, "phone4": "3456"}).status_code == 429  # 4th
