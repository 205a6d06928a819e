"""The desk's actions are in the JSON API too: queue tabs and search, my steps, bulk return, monthly
figures, procedure picker."""

import datetime as dt

import pytest
from django.utils import timezone

from congvu.api.models import ApiToken
from congvu.onestop import services as s
from factories import make_unit, make_user_with_role


def auth(user):
    _, token = ApiToken.issue(user=user, name="desk")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def setup(commune):
    desk = make_unit("Bộ phận một cửa", kind="onestop_desk", parent=commune, code="H55.01.12")
    field = s.field_get_or_create(code="HT", name="Hộ tịch")
    proc = s.procedure_create(code="1.004873", name="Cấp Giấy xác nhận tình trạng hôn nhân", field=field,
                              level="commune", processing_time=3,
                              components=[{"name": "Tờ khai", "originals": 1}],
                              steps=[{"name": "Thẩm định", "share": "1", "unit": desk}])
    return desk, proc, make_user_with_role("onestop_officer", desk)


def test_queue_search_my_steps_bulk_return_and_monthly(client, setup):
    desk, proc, officer = setup
    h = auth(officer)
    past = timezone.now() - dt.timedelta(days=40)
    late = s.dossier_receive(procedure=proc, unit=desk, applicant_name="Đặng Thị Lành", channel="in_person",
                             applicant_phone="0905111222", received_at=past)
    ready = s.dossier_receive(procedure=proc, unit=desk, applicant_name="Lý Văn Xong", channel="online")
    s.dossier_transfer(dossier=ready)
    s.dossier_record_result(dossier=ready)
    other = s.dossier_receive(procedure=proc, unit=make_unit("Một cửa khác", kind="onestop_desk"),
                              applicant_name="Đặng Thị Lành", channel="in_person")

    r = client.get("/api/onestop/dossiers", {"tab": "overdue"}, **h)
    assert r.status_code == 200, r.content
    assert [i["code"] for i in r.json()["items"]] == [late.code] and r.json()["items"][0]["timeliness"] == "overdue"
    r = client.get("/api/onestop/dossiers", {"q": "dang thi lanh"}, **h)
    assert [i["code"] for i in r.json()["items"]] == [late.code]  # the other desk is out of scope
    r = client.get("/api/onestop/dossiers", {"q": "0905111"}, **h)
    assert r.json()["total"] == 1
    r = client.get("/api/onestop/dossiers", {"tab": "to_return", "unit": "H55.01.12"}, **h)
    assert [i["code"] for i in r.json()["items"]] == [ready.code]
    r = client.get("/api/onestop/dossiers", {"unit": other.unit.code}, **h)
    assert r.status_code == 403

    s.dossier_transfer(dossier=late)
    r = client.get("/api/onestop/my-steps", **h)
    assert [i["code"] for i in r.json()["items"]] == [late.code] and r.json()["items"][0]["current_step"] == "Thẩm định"

    r = client.post("/api/onestop/bulk-return", {"items": [
        {"code": ready.code, "expected_version": ready.version},
        {"code": late.code, "expected_version": late.version},
        {"code": other.code, "expected_version": other.version}]}, content_type="application/json", **h)
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["ok"] == 1 and body["failed"] == 2
    by_code = {x["code"]: x for x in body["results"]}
    assert by_code[ready.code]["ok"]
    assert "chưa có kết quả" in by_code[late.code]["message"]
    assert "ngoài phạm vi" in by_code[other.code]["message"]

    today = timezone.localdate()
    r = client.get("/api/onestop/stats/monthly", {"unit": "H55.01.12", "from": f"{today.year - 1}-01-01",
                                                  "to": today.isoformat()}, **h)
    assert r.status_code == 200
    months = r.json()
    assert len(months) == 12 + today.month and sum(m["received"] for m in months) == 2
    assert sum(m["online"] for m in months) == 1

    r = client.get("/api/onestop/procedures", {"q": "tinh trang hon nhan"}, **h)
    assert r.status_code == 200 and r.json()[0]["code"] == "1.004873" and r.json()[0]["components"][0]["name"] == "Tờ khai"

    r = client.post(f"/api/onestop/dossiers/{late.code}/transitions",
                    {"transition": "step_complete", "expected_version": late.version},
                    content_type="application/json", **h)
    assert r.status_code == 200 and r.json()["state"] == "processing"
