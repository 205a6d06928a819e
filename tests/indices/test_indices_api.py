"""API: frameworks, a version's tree, a unit's score sheet, the ranking — all in the OpenAPI
document, scoped by the policy (a unit out of scope reads as not found)."""

import pytest
from django.test import Client

from congvu.org.roles import Role
from factories import make_unit, make_user_with_role

pytestmark = pytest.mark.django_db


def as_user(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_indices_api_scores_and_ranking(world, province):
    leader = make_user_with_role(Role.UNIT_LEADER, province, "lanhdao_idx")
    c = as_user(leader)
    got = c.get("/api/indices/frameworks").json()
    assert [f["code"] for f in got] == ["thu"] and got[0]["versions"][0]["max_points"] == 20
    tree = c.get("/api/indices/frameworks/thu/versions/1").json()
    assert tree["document"]["nodes"][0]["code"] == "A"
    a = world["a"]
    r = c.get(f"/api/indices/frameworks/thu/scores/{a.code}", {"period": "2024"})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["rank"] == "2/2" and body["nodes"][0]["children"][0]["points"] == 8.0
    assert body["nodes"][0]["children"][1]["points"] is None and body["nodes"][0]["children"][1]["status"] == "no_data"
    detail = c.get(f"/api/indices/frameworks/thu/scores/{a.code}", {"period": "2024", "detail": "true"}).json()
    assert detail["nodes"][0]["children"][0]["metric"] == "onestop.on_time_rate"
    assert detail["within_reach"][0]["code"] == "A.1" and detail["previous"]["period"] == "2023"
    rank = c.get("/api/indices/frameworks/thu/ranking", {"level": "commune", "period": "2024"}).json()
    assert [row["rank_label"] for row in rank["ranking"]] == ["1/2", "2/2"]
    # bad input: period, level, framework, unit
    assert c.get(f"/api/indices/frameworks/thu/scores/{a.code}", {"period": "2024-13"}).status_code == 422
    assert c.get("/api/indices/frameworks/thu/ranking", {"level": "x", "period": "2024"}).status_code == 422
    assert c.get(f"/api/indices/frameworks/nope/scores/{a.code}", {"period": "2024"}).status_code == 404
    assert c.get("/api/indices/frameworks/thu/scores/NOPE", {"period": "2024"}).status_code == 404


def test_indices_api_scope_and_openapi(world, province, client):
    other = make_unit("Tỉnh Gia Lai", kind="province", code="64")
    outsider = make_user_with_role(Role.UNIT_LEADER, other, "ngoai_idx")
    c = as_user(outsider)
    assert c.get(f"/api/indices/frameworks/thu/scores/{world['a'].code}", {"period": "2024"}).status_code == 404
    assert client.get("/api/indices/frameworks").status_code == 401
    doc = as_user(make_user_with_role(Role.UNIT_LEADER, province, "lanhdao_doc")).get("/api/openapi.json").json()
    paths = [p for p in doc["paths"] if p.startswith("/api/indices/")]
    assert {"/api/indices/frameworks", "/api/indices/frameworks/{code}/versions/{version}",
            "/api/indices/frameworks/{code}/scores/{unit_code}", "/api/indices/frameworks/{code}/ranking"} <= set(paths)
