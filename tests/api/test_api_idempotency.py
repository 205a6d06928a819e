"""Issue 13: API writes with an Idempotency-Key are performed once; repeats replay the first answer."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from congvu.api.models import ApiToken
from congvu.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def bearer(user):
    _, token = ApiToken.issue(user=user, name="idem")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_same_key_twice_is_one_write_and_the_same_answer(org):
    client = Client()
    headers = bearer(org.assessor)
    unit = org.agencies[1]
    body = json.dumps({"expected_version": unit.version, "short_name": "P1"})
    first = client.patch(f"/api/units/{unit.code}", body, content_type="application/json",
                         HTTP_IDEMPOTENCY_KEY="k-1", **headers)
    again = client.patch(f"/api/units/{unit.code}", body, content_type="application/json",
                         HTTP_IDEMPOTENCY_KEY="k-1", **headers)
    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert AuditEntry.objects.filter(object_type="org.unit", action="update", object_id=str(unit.pk)).count() == 1
    other = client.patch(f"/api/units/{unit.code}", json.dumps({"expected_version": 99}),
                         content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1", **headers)
    assert other.status_code == 422 and other.json()["code"] == "idempotency.key_reused"
