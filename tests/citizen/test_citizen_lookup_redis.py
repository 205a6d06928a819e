"""The lookup's rate limit and code lock on Redis (production's cache) take one round trip
(ratelimit.lookup_gate) and decide exactly as on any other cache: flood after the limit (logged once),
code locked after the wrong second factors. Needs a Redis at CONGVU_TEST_REDIS_URL (default
redis://127.0.0.1:6379/13); skipped when none answers."""

from __future__ import annotations

import os
import socket
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
def redis_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                                   "KEY_PREFIX": "congvu-test-lookup"}}
    from django.core.cache import cache

    cache.clear()
    client, serializer = ratelimit._redis()
    commands = []
    real = client.pipeline

    def counting_pipeline(*a, **k):
        pipe = real(*a, **k)
        execute = pipe.execute
        pipe.execute = lambda *ea, **ek: commands.append(len(pipe.command_stack)) or execute(*ea, **ek)
        return pipe

    yield commands, counting_pipeline, client, serializer
    cache.clear()


def _dossier(procedure, desk):
    return s.dossier_receive(procedure=procedure, unit=desk, applicant_name="Trần Thị Lan", channel="in_person",
                             received_at=timezone.now(), applicant_phone="0905123456")


def test_flood_on_redis_in_one_round_trip(client, procedure, desk, settings, redis_cache, monkeypatch):
    commands, counting_pipeline, redis_client, serializer = redis_cache
    monkeypatch.setattr(ratelimit, "_redis", lambda: (redis_client, serializer))
    monkeypatch.setattr(redis_client, "pipeline", counting_pipeline)
    settings.CONGVU_CITIZEN_LOOKUP_LIMIT = 3
    d = _dossier(procedure, desk)
    codes = [client.post(reverse("citizen:lookup"), {"code": d.code, "phone4": "3456"}).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert commands == [3] * 5  # SET NX EX + INCR + GET, one pipeline per lookup
    assert AuditEntry.objects.filter(action="security:lookup_flood").count() == 1  # first refusal only
    other = client.post(reverse("citizen:lookup"), {"code": d.code, "phone4": "3456"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_code_lock_on_redis(client, procedure, desk, settings, redis_cache):
    settings.CONGVU_CITIZEN_LOOKUP_LIMIT = 100
    d = _dossier(procedure, desk)
    answers = [client.post(reverse("citizen:lookup"), {"code": d.code, "phone4": f"{i:04d}"},
                           REMOTE_ADDR=f"203.0.113.{i % 3 + 1}").status_code for i in range(7)]
    right = client.post(reverse("citizen:lookup"), {"code": d.code, "phone4": "3456"})
    assert answers == [404] * 5 + [429] * 2 and right.status_code == 429
    assert "Retry-After" in right
    assert AuditEntry.objects.filter(action="security:lookup_code_locked", object_id=d.code).count() == 1
