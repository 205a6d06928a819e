"""Screens and API of the portal app: dossier panel, desk backlog and resend, admin health, identity
lookups for the desk and the online form, OpenAPI."""

import pytest

from congvu.api.models import ApiToken
from congvu.portal.models import SyncRecord, SyncState
from congvu.portal.population import get_population_provider
from congvu.portal.services import portal_send
from factories import make_user_with_role

pytestmark = pytest.mark.django_db
LOCAL = "congvu.portal.population.local.LocalPopulationProvider"


@pytest.fixture(autouse=True)
def population(settings):
    settings.CONGVU_POPULATION_PROVIDER = "local"
    settings.CONGVU_POPULATION_PROVIDERS = {"local": {"class": LOCAL, "size": 300, "seed": "web"}}


@pytest.fixture
def citizen():
    return next(iter(get_population_provider().citizens().values()))


def auth(user):
    _, token = ApiToken.issue(user=user, name="portal")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_dossier_page_panel_desk_and_resend(client, fakeportal, receive, officer):
    d = receive()
    fakeportal.control(reject_next=1, reject_reason="Thiếu mã đơn vị")
    portal_send()
    client.force_login(officer)
    page = client.get(f"/onestop/d/{d.code}/").content.decode()
    assert 'id="portal-sync"' in page and "Thiếu mã đơn vị" in page and 'data-state="rejected"' in page
    desk = client.get("/portal/").content.decode()
    assert d.code in desk and "Thiếu mã đơn vị" in desk
    rec = SyncRecord.objects.get(dossier=d)
    r = client.post(f"/portal/r/{rec.pk}/resend/", {"f_MaDonVi": "H55.01.99", "f_MaHoSo": d.code})
    assert r.status_code == 302
    rec.refresh_from_db()
    assert rec.state == SyncState.PENDING and rec.payload["MaDonVi"] == "H55.01.99" and rec.corrected == 1
    portal_send()
    assert 'data-state="acknowledged"' in client.get(f"/onestop/d/{d.code}/").content.decode()


def test_other_units_records_are_not_found(client, receive, officer, province):
    from factories import make_unit

    d = receive()
    rec = SyncRecord.objects.get(dossier=d)
    SyncRecord.objects.filter(pk=rec.pk).update(state=SyncState.REJECTED, reject_reason="x")
    other = make_user_with_role("onestop_officer", make_unit("Xã khác", kind="commune", parent=province))
    client.force_login(other)
    assert client.post(f"/portal/r/{rec.pk}/resend/", {}).status_code == 404
    assert d.code not in client.get("/portal/").content.decode()


def test_health_page_for_admin_only(client, fakeportal, officer, province):
    client.force_login(officer)
    assert client.get("/portal/health/").status_code == 403
    admin = make_user_with_role("system_admin", province)
    client.force_login(admin)
    page = client.get("/portal/health/").content.decode()
    assert 'id="health-portal"' in page and "Hoạt động" in page and 'id="health-population"' in page
    fakeportal.stop()
    assert "Không kết nối được" in client.get("/portal/health/").content.decode()


def test_desk_identity_lookup_json_and_receipt_form_script(client, officer, citizen):
    client.force_login(officer)
    r = client.get("/portal/identity/lookup/", {"id": citizen["id_number"]}).json()
    assert r["status"] == "found" and r["full_name"] == citizen["full_name"] and r["permanent_address"]
    assert client.get("/portal/identity/lookup/", {"id": "123"}).json()["status"] == "invalid"
    assert "portal/identity.js" in client.get("/onestop/receive/").content.decode()


def test_public_lookup_needs_the_name_and_is_rate_limited(client, citizen):
    r = client.post("/portal/identity/public/", {"id": citizen["id_number"], "name": "Ai Đó"}).json()
    assert r["status"] == "mismatch" and "permanent_address" not in r
    r = client.post("/portal/identity/public/", {"id": citizen["id_number"], "name": citizen["full_name"]}).json()
    assert r["status"] == "verified" and r["permanent_address"] == citizen["permanent_address"]
    for _ in range(10):
        last = client.post("/portal/identity/public/", {"id": "051090000000", "name": "X"})
    assert last.status_code == 429


def test_api_sync_backlog_resend_identity_and_openapi(client, fakeportal, receive, officer, citizen, province):
    d = receive(applicant_name=citizen["full_name"], applicant_id_number=citizen["id_number"])
    fakeportal.control(reject_next=1)
    portal_send()
    h = auth(officer)
    body = client.get(f"/api/portal/dossiers/{d.code}/sync", **h).json()
    assert body["summary"] == "rejected" and body["records"][0]["payload"]["MaHoSo"] == d.code
    assert body["identity"]["state"] == "unverified"
    assert client.get("/api/portal/backlog", **h).json()["rejected"] == 1
    [rec] = client.get("/api/portal/records?state=rejected", **h).json()
    r = client.post(f"/api/portal/records/{rec['id']}/resend", {"changes": {"Nope": 1}},
                    content_type="application/json", **h)
    assert r.status_code == 400 and "Nope" in r.json()["message"]
    r = client.post(f"/api/portal/records/{rec['id']}/resend", {"rebuild": True}, content_type="application/json", **h)
    assert r.status_code == 200 and r.json()["state"] == "pending"
    r = client.post(f"/api/portal/dossiers/{d.code}/identity-check", **h)
    assert r.json()["state"] == "verified"
    assert client.get(f"/api/portal/identity/{citizen['id_number']}", **h).json()["status"] == "found"
    assert client.get("/api/portal/health", **h).status_code == 403
    assert client.get("/api/portal/health", **auth(make_user_with_role("system_admin", province))).json()["portal"]["ok"]
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/portal/dossiers/{code}/sync" in paths and "/api/portal/records/{record_id}/resend" in paths


def test_online_filing_form_loads_the_identity_script(client, procedure, desk):
    from django.urls import reverse

    page = client.get(reverse("citizen:file", args=[procedure.code]))
    assert page.status_code == 200 and "portal/identity.js" in page.content.decode()
