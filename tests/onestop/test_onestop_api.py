"""JSON API of the one-stop app: receive, transition with optimistic locking, refusals, stats."""


import pytest

from congvu.api.models import ApiToken
from congvu.onestop import services as s
from factories import make_unit, make_user_with_role


def auth(user):
    _, token = ApiToken.issue(user=user, name="onestop")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def setup(commune):
    desk = make_unit("Bộ phận một cửa", kind="onestop_desk", parent=commune, code="H55.01.12")
    field = s.field_get_or_create(code="HT", name="Hộ tịch")
    s.procedure_create(code="1.004873", name="Cấp Giấy xác nhận tình trạng hôn nhân", field=field,
                       level="commune", processing_time=3)
    return desk, make_user_with_role("onestop_officer", desk)


def test_receive_transition_and_stats(client, setup):
    desk, officer = setup
    h = auth(officer)
    r = client.post("/api/onestop/dossiers", {
        "procedure": "1.004873", "unit": "H55.01.12", "applicant_name": "Đinh Văn Nam", "channel": "online",
        "received_at": "2024-02-07T10:00:00+07:00"}, content_type="application/json", **h)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["code"] == "H55.01.12-240207-0001" and body["sync_channel"] == 2
    assert body["due_at"].startswith("2024-02-19T17:00")  # 3 working days across Tết 2024
    url = f"/api/onestop/dossiers/{body['code']}/transitions"
    r = client.post(url, {"transition": "transfer", "expected_version": 1, "at": "2024-02-07T11:00:00+07:00"},
                    content_type="application/json", **h)
    assert r.status_code == 200 and r.json()["state"] == "transferred"
    r = client.post(url, {"transition": "withdraw", "expected_version": 1}, content_type="application/json", **h)
    assert r.status_code == 409 and r.json()["code"] == "dossier.stale"
    r = client.post(url, {"transition": "return_result", "expected_version": 2}, content_type="application/json",
                    **h)
    assert r.status_code == 400 and "chưa có kết quả" in r.json()["message"]
    r = client.post(url, {"transition": "record_result", "expected_version": 2,
                          "at": "2024-02-15T09:00:00+07:00"}, content_type="application/json", **h)
    assert r.json()["verdict"] == "early"
    r = client.get("/api/onestop/stats", {"unit": "H55.01.12", "from": "2024-02-01", "to": "2024-02-29"}, **h)
    assert r.status_code == 200 and r.json()["received"] == 1 and r.json()["early"] == 1
    outsider = make_user_with_role("onestop_officer", make_unit("Xã khác", kind="commune"))
    r = client.get(f"/api/onestop/dossiers/{body['code']}", **auth(outsider))
    missing = client.get("/api/onestop/dossiers/H55.01.12-240207-9999", **auth(outsider))
    assert r.status_code == missing.status_code == 404 and r.content == missing.content  # reads like not found
