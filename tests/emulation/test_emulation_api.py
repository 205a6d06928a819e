"""Emulation API: movements → pledges → rounds → nominations, scope, errors, OpenAPI."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from emu_factories import leader, make_tree, officer, staffed_person
from openpyxl import Workbook

from congvu.api.models import ApiToken

pytestmark = pytest.mark.django_db


def api(user) -> tuple[Client, dict[str, str]]:
    _, token = ApiToken.issue(user=user, name="emu")
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_movement_pledge_round_nominate_over_the_api():
    root, a, b = make_tree()
    staffed_person(a, name="Lê Thị Sao", ratings={2023: "excellent", 2024: "excellent"})
    c, h = api(officer(root))
    r = c.post("/api/emulation/movements", {"unit_code": root.code, "name": "Thi đua CCHC 2024", "year": 2024,
                                            "period_start": "2024-01-01", "period_end": "2024-12-31",
                                            "kind": "thematic", "theme": "Cải cách hành chính",
                                            "pledge_titles": ["TTLDTT", "TTLDXS"]}, **h)
    assert r.status_code == 201, r.content
    mid = r.json()["id"]
    r = c.post(f"/api/emulation/movements/{mid}/launch", {}, content_type="application/json", **h)
    assert r.status_code == 400 and r.json()["code"] == "movement.no_criteria"
    r = c.post(f"/api/emulation/movements/{mid}/criteria", {"name": "PAR INDEX", "weight": 50,
                                                            "measure": "index_result",
                                                            "parameters": {"framework": "par"}},
               content_type="application/json", **h)
    assert r.json()["metric_name"] == "index.par.percent"
    assert c.post(f"/api/emulation/movements/{mid}/launch", {}, content_type="application/json",
                  **h).json()["state"] == "launched"
    lc, lh = api(leader(a))
    r = lc.post(f"/api/emulation/movements/{mid}/pledges", {"unit_code": a.code, "titles": ["TTLDXS"]},
                content_type="application/json", **lh)
    assert r.status_code == 201, r.content
    r = lc.post(f"/api/emulation/pledges/{r.json()['id']}/sign", {"signed_by": "Trưởng phòng"},
                content_type="application/json", **lh)
    assert r.json()["signed_at"]
    reg = c.get(f"/api/emulation/movements/{mid}/registration", **h).json()
    assert [u["code"] for u in reg["missing"]] == [b.code] and reg["signed"] == 1
    scores = c.get(f"/api/emulation/movements/{mid}/scores", **h).json()
    assert scores[0]["total"] is None and scores[0]["criteria"][0]["source"] == "chưa có nguồn số liệu"

    r = c.post("/api/emulation/rounds", {"unit_code": root.code, "year": 2024, "titles": ["LDTT", "CSTDCS"]},
               content_type="application/json", **h)
    assert r.status_code == 201, r.content
    rid = r.json()["id"]
    page = lc.get(f"/api/emulation/rounds/{rid}/candidates?title=CSTDCS&kind=person", **lh).json()
    assert [x["person_name"] for x in page["items"]] == ["Lê Thị Sao"]
    cand = page["items"][0]
    assert cand["verdict"] == "eligible" and cand["conditions"]
    r = lc.post(f"/api/emulation/candidates/{cand['id']}/nominate", {}, content_type="application/json", **lh)
    assert r.status_code == 200 and "BÁO CÁO THÀNH TÍCH" in r.json()["report"]
    r = lc.patch(f"/api/emulation/candidates/{cand['id']}", {"checklist": {"to_trinh": True}},
                 content_type="application/json", **lh)
    assert r.json()["checklist"]["to_trinh"]["done"] is True
    # the other department's leader does not see this candidate
    oc, oh = api(leader(b))
    assert oc.post(f"/api/emulation/candidates/{cand['id']}/nominate", {}, content_type="application/json",
                   **oh).status_code == 404
    r = c.post(f"/api/emulation/rounds/{rid}/submit", {}, content_type="application/json", **h)
    assert r.json()["state"] == "council"


def test_records_and_refusals_over_the_api():
    root, a, b = make_tree()
    p = staffed_person(a, recruited=dt.date(2022, 5, 1))
    c, h = api(officer(root))
    r = c.put(f"/api/emulation/people/{p.pk}/records/2021", {"rating": "good"}, content_type="application/json", **h)
    assert r.status_code == 400 and r.json()["code"] == "record.outside_employment"
    r = c.put(f"/api/emulation/people/{p.pk}/records/2023", {"rating": "excellent"}, content_type="application/json",
              **h)
    assert r.status_code == 200
    facts = c.get(f"/api/emulation/people/{p.pk}/records?year=2024", **h).json()["facts"]
    assert facts["ratings"] == {"2023": "excellent"} and facts["recruited"] == "2022-05-01"
    assert c.get(f"/api/emulation/units/{a.code}/head-evidence?year=2024", **h).json()["binding"] is False
    wb = Workbook()
    ws = wb.active
    ws.title = "Khen thưởng"
    ws.append(["Mã đơn vị", "Danh hiệu", "Năm", "Số quyết định"])
    ws.append([a.code, "Tập thể lao động tiên tiến", 2023, "5/QĐ"])
    ws.append(["KHONG-CO", "TTLDTT", 2023, "6/QĐ"])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "kt.xlsx"
    r = c.post("/api/emulation/imports", {"file": buf}, **h)
    body = r.json()
    assert body["applied"] is False and body["errors"][0]["row"] == 3
    awards = c.get("/api/emulation/awards", **h).json()
    assert awards["total"] == 0


def test_openapi_lists_the_emulation_endpoints(client):
    doc = client.get("/api/openapi.json").json()
    paths = [p for p in doc["paths"] if p.startswith("/api/emulation/")]
    for wanted in ("/api/emulation/movements", "/api/emulation/movements/{movement_id}/pledges",
                   "/api/emulation/rounds/{round_id}/candidates", "/api/emulation/awards", "/api/emulation/imports"):
        assert wanted in paths


def test_both_register_endpoints_read_the_one_register():
    from congvu.emulation import services as es
    from factories import make_unit

    root, a, b = make_tree()
    team = make_unit("Tổ Cải cách", parent=a)
    es.award_record_create(actor=None, person=staffed_person(team), title_code="LDTT", year=2023, decision_number="8/QĐ")
    es.award_record_create(actor=None, unit=a, title_code="TTLDTT", year=2023, decision_number="7/QĐ")
    es.award_record_create(actor=None, unit=b, title_code="TTLDTT", year=2023, decision_number="9/QĐ")
    c, h = api(officer(root))
    plain = c.get(f"/api/emulation/awards?unit_code={a.code}&title=ldtt", **h).json()
    council = c.get(f"/api/emulation/awards/register?unit={a.code}&title=LDTT", **h).json()
    assert [x["decision_number"] for x in plain["items"]] == ["8/QĐ"]  # the sub-unit's award, by title
    assert [x["id"] for x in plain["items"]] == [x["id"] for x in council["items"]]
    assert c.get(f"/api/emulation/awards?unit_code={a.code}", **h).json()["total"] == 2
    lead_c, lead_h = api(leader(a))
    assert lead_c.get("/api/emulation/awards", **lead_h).json()["total"] == 2  # b's award is out of scope
    assert lead_c.get("/api/emulation/awards/register", **lead_h).json()["total"] == 2
    assert lead_c.get(f"/api/emulation/awards?unit_code={b.code}", **lead_h).status_code == 404
