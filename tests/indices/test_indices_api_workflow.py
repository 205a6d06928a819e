"""The assessment workflow over the API (token auth): open, self-assess, evidence, submit, appraise,
publish; refusals name the node code; points within reach → tasks; everything in the OpenAPI document."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from wf_fixtures import FRAMEWORK

from congvu.api.models import ApiToken
from congvu.common.uploads import docx_bytes
from congvu.directives.models import Task


def bearer(user) -> dict[str, str]:
    _, token = ApiToken.issue(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def world(district, commune, settings, tmp_path):
    from congvu.indices.services import framework_load_text
    from factories import make_user_with_role

    settings.MEDIA_ROOT = tmp_path / "media"
    framework_load_text(text=FRAMEWORK)
    return {"assessor": bearer(make_user_with_role("home_affairs_assessor", district)),
            "clerk": bearer(make_user_with_role("specialist", commune)),
            "leader": bearer(make_user_with_role("unit_leader", commune)), "commune": commune}


def _j(client, method, url, headers, payload=None):
    fn = getattr(client, method)
    if payload is None:
        return fn(url, **headers)
    return fn(url, data=json.dumps(payload), content_type="application/json", **headers)


def test_api_cycle(world):
    c = Client()
    r = _j(c, "post", "/api/indices/assessments", world["assessor"],
           {"framework": "par-test", "unit": world["commune"].code, "period": "2023"})
    assert r.status_code == 201, r.content
    a = r.json()
    aid = a["id"]
    assert a["state"] == "draft" and [leaf["code"] for leaf in a["leaves"]] == ["1.1", "1.2", "2.1", "2.2"]
    r = _j(c, "put", f"/api/indices/assessments/{aid}/leaves/1.1/self", world["clerk"], {"score": 5})
    assert r.status_code == 400 and r.json()["details"]["node"] == "1.1"
    assert _j(c, "put", f"/api/indices/assessments/{aid}/leaves/1.1/self", world["clerk"],
              {"score": 4, "explanation": "Đúng hạn"}).status_code == 200
    assert _j(c, "put", f"/api/indices/assessments/{aid}/leaves/1.2/self", world["clerk"], {"score": 6}).status_code == 200
    r = _j(c, "post", f"/api/indices/assessments/{aid}/transitions", world["clerk"], {"transition": "submit"})
    assert r.status_code == 400 and "1.1" in r.json()["message"]
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = c.post(f"/api/indices/assessments/{aid}/leaves/1.1/evidence",
               {"file": SimpleUploadedFile("kh.docx", docx_bytes("Kế hoạch"))}, **world["clerk"])
    assert r.status_code == 201, r.content
    r = _j(c, "post", f"/api/indices/assessments/{aid}/transitions", world["clerk"], {"transition": "submit"})
    assert r.status_code == 200 and r.json()["state"] == "submitted"
    assert r.json()["transitions"] == []  # the clerk has nothing more to do
    r = _j(c, "put", f"/api/indices/assessments/{aid}/leaves/1.1/appraisal", world["assessor"],
           {"decision": "accept", "reason": ""})
    assert r.status_code == 400 and r.json()["code"] == "appraisal.reason_required"
    for code, body in (("1.1", {"decision": "accept"}), ("1.2", {"decision": "adjust", "score": 5}),
                       ("2.1", {"score": 4}), ("2.2", {"survey_score": 4.5})):
        r = _j(c, "put", f"/api/indices/assessments/{aid}/leaves/{code}/appraisal", world["assessor"],
               {"reason": "Kiểm tra hồ sơ", **body})
        assert r.status_code == 200, r.content
    for name in ("complete", "publish"):
        r = _j(c, "post", f"/api/indices/assessments/{aid}/transitions", world["assessor"], {"transition": name})
        assert r.status_code == 200, r.content
    assert r.json()["state"] == "published" and r.json()["points"] == 17.5
    r = _j(c, "put", f"/api/indices/assessments/{aid}/leaves/2.1/appraisal", world["assessor"],
           {"score": 5, "reason": "sửa"})
    assert r.status_code == 400 and r.json()["code"] == "assessment.published"
    listing = _j(c, "get", "/api/indices/assessments?state=published", world["clerk"]).json()
    assert listing["total"] == 1


def test_api_reach_and_remediation(world):
    c = Client()
    aid = _j(c, "post", "/api/indices/assessments", world["assessor"],
             {"framework": "par-test", "unit": world["commune"].code, "period": "2023"}).json()["id"]
    _j(c, "put", f"/api/indices/assessments/{aid}/leaves/1.2/self", world["clerk"], {"score": 1})
    code = world["commune"].code
    r = _j(c, "get", f"/api/indices/units/{code}/reach?framework=par-test&period=2023", world["clerk"])
    assert r.status_code == 200 and r.json()[0]["code"] == "1.2" and r.json()[0]["lost"] == 6  # a draft self-score does not count yet
    r = _j(c, "post", f"/api/indices/units/{code}/remediation", world["clerk"],
           {"framework": "par-test", "period": "2023", "items": [{"code": "1.2"}]})
    assert r.status_code == 403  # a specialist does not manage directives
    r = _j(c, "post", f"/api/indices/units/{code}/remediation", world["leader"],
           {"framework": "par-test", "period": "2023", "items": [{"code": "1.2", "days": 10}]})
    assert r.status_code == 201, r.content
    assert Task.objects.get(pk=r.json()["tasks"][0]["id"]).unit == world["commune"]


def test_openapi_lists_the_workflow(client, db):
    doc = client.get("/api/openapi.json").json()
    for path in ("/api/indices/assessments", "/api/indices/assessments/{assessment_id}/transitions",
                 "/api/indices/units/{unit_code}/reach", "/api/indices/units/{unit_code}/remediation",
                 "/api/indices/units/{unit_code}/projection"):
        assert path in doc["paths"], path
