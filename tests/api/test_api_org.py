"""JSON API: auth (token, session+CSRF), scope, filters, pagination, error shapes, OpenAPI/docs."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client

from congvu.api.models import ApiToken
from congvu.audit.models import AuditEntry
from congvu.org.models import Unit
from congvu.org.services import unit_update

pytestmark = pytest.mark.django_db

ERROR_KEYS = {"code", "message", "message_en", "details"}


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def bearer(user, name: str = "test") -> dict[str, str]:
    _, token = ApiToken.issue(user=user, name=name)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == ERROR_KEYS, body
    assert body["code"] == code, body
    assert body["message"] and body["message_en"]
    return body


def codes(response) -> list[str]:
    return [u["code"] for u in response.json()["items"]]


# --- authentication --------------------------------------------------------------------------------

def test_anonymous_gets_401_json(client, org):
    body = assert_error(client.get("/api/units"), 401, "unauthenticated")
    assert "đăng nhập" in body["message"]
    assert client.get("/api/me")["WWW-Authenticate"] == "Bearer"


def test_bad_token_is_401(client, org):
    assert_error(client.get("/api/me", HTTP_AUTHORIZATION="Bearer cv_nope"), 401, "unauthenticated")


def test_token_created_by_command_authenticates_and_records_use(client, org):
    out = io.StringIO()
    call_command("api_token", "create", "lanhdao", "--name", "báo cáo", stdout=out, stderr=io.StringIO())
    token = out.getvalue().strip()
    assert token.startswith("cv_")
    row = ApiToken.objects.get(user=org.leader)
    assert row.token_hash != token and row.last_used is None  # only the hash is stored
    me = client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.status_code == 200 and me.json()["username"] == "lanhdao"
    row.refresh_from_db()
    assert row.last_used is not None

    listing = io.StringIO()
    call_command("api_token", "list", stdout=listing)
    assert "báo cáo" in listing.getvalue() and token not in listing.getvalue()
    call_command("api_token", "revoke", str(row.pk), stdout=io.StringIO())
    assert_error(client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {token}"), 401, "unauthenticated")


def test_token_of_inactive_user_is_refused(client, org):
    headers = bearer(org.leader)
    org.leader.is_active = False
    org.leader.save()
    assert_error(client.get("/api/me", **headers), 401, "unauthenticated")


def test_token_write_needs_no_csrf_and_audits_the_token_user(org):
    client = Client(enforce_csrf_checks=True)
    response = client.patch(f"/api/units/{org.agencies[0].code}", {"expected_version": 1, "short_name": "P0"},
                            content_type="application/json", **bearer(org.assessor))
    assert response.status_code == 200, response.content
    entry = AuditEntry.objects.filter(object_type="org.unit", action="update").order_by("-seq").first()
    assert entry.actor_label == "noivu"


def test_session_auth_reads_and_needs_csrf_to_write(org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.assessor)
    assert client.get("/api/me").json()["username"] == "noivu"
    url = f"/api/units/{org.agencies[1].code}"
    refused = client.patch(url, {"expected_version": 1, "short_name": "P1"}, content_type="application/json")
    assert_error(refused, 403, "csrf_failed")
    client.get("/")  # any page with a form sets the csrftoken cookie, as the web UI does
    token = client.cookies["csrftoken"].value
    ok = client.patch(url, {"expected_version": 1, "short_name": "P1"}, content_type="application/json",
                      HTTP_X_CSRFTOKEN=token)
    assert ok.status_code == 200 and ok.json()["short_name"] == "P1"


def test_anonymous_unsafe_request_is_401_not_csrf(org):
    response = Client(enforce_csrf_checks=True).patch(f"/api/units/{org.province.code}", {"expected_version": 1},
                                                       content_type="application/json")
    assert_error(response, 401, "unauthenticated")


# --- units -----------------------------------------------------------------------------------------

def test_units_pagination_with_total(org):
    client = as_user(org.leader)
    first = client.get("/api/units", {"page_size": 3}).json()
    everything = client.get("/api/units", {"page_size": 200}).json()
    assert first["total"] == everything["total"] == len(everything["items"])
    assert len(first["items"]) == 3 and first["pages"] == -(-first["total"] // 3)
    second = client.get("/api/units", {"page_size": 3, "page": 2}).json()
    assert not {u["code"] for u in first["items"]} & {u["code"] for u in second["items"]}
    assert client.get("/api/units", {"page": 99}).json()["items"] == []


def test_units_are_filtered_to_scope(org):
    leader_codes = codes(as_user(org.leader).get("/api/units", {"page_size": 200}))
    assert org.province.code in leader_codes and org.other.code not in leader_codes
    assert org.other_commune.code not in leader_codes
    # The merged commune's scope covers, through lineage, the commune it took over (its 2023-2024 records).
    assert sorted(codes(as_user(org.specialist).get("/api/units"))) == sorted([org.merged.code, org.commune.code])


def test_units_search_without_diacritics(org):
    client = as_user(org.leader)
    assert codes(client.get("/api/units", {"q": "ba bich"})) == [org.merged.code]
    assert codes(client.get("/api/units", {"q": "BINH SON"})) == [org.district.code]
    assert codes(client.get("/api/units", {"q": "ia grai"})) == []  # exists, but outside the scope


def test_units_filters_kind_parent_as_of(org):
    client = as_user(org.leader)
    assert set(codes(client.get("/api/units", {"kind": "commune"}))) == {org.commune.code, org.merged.code}
    children_now = codes(client.get("/api/units", {"parent": org.province.code, "as_of": "2025-12-31",
                                                   "page_size": 200}))
    assert org.merged.code in children_now and org.district.code not in children_now
    children_then = codes(client.get("/api/units", {"parent": org.province.code, "as_of": "2024-01-01",
                                                    "page_size": 200}))
    assert org.district.code in children_then and org.merged.code not in children_then
    assert_error(client.get("/api/units", {"parent": org.other.code}), 403, "forbidden")


def test_unit_detail_iso_dates_and_children(org):
    body = as_user(org.leader).get(f"/api/units/{org.district.code}").json()
    assert body["valid_to"] == "2025-06-30"
    assert body["parent"]["code"] == org.province.code
    assert [c["code"] for c in body["children"]] == [org.commune.code]
    assert body["kind_label"] and body["version"] >= 1


def test_unit_lineage(org):
    body = as_user(org.leader).get(f"/api/units/{org.merged.code}/lineage").json()
    assert body["predecessors"][0]["unit"]["code"] == org.commune.code
    assert body["predecessors"][0]["effective_on"] == "2025-07-01"
    assert [u["code"] for u in body["all_predecessors"]] == [org.commune.code]
    back = as_user(org.leader).get(f"/api/units/{org.commune.code}/lineage").json()
    assert back["successors"][0]["unit"]["code"] == org.merged.code


def test_unit_out_of_scope_is_403_and_unknown_is_404(org):
    client = as_user(org.leader)
    body = assert_error(client.get(f"/api/units/{org.other.code}"), 403, "forbidden")
    assert "ngoài phạm vi" in body["message"]
    assert_error(client.get("/api/units/KHONG-CO"), 404, "not_found")
    assert_error(client.get("/api/khong-co-duong-dan"), 404, "not_found")


def test_patch_unit_updates_and_bumps_version(org):
    client = as_user(org.assessor)
    unit = org.agencies[2]
    response = client.patch(f"/api/units/{unit.code}", {"expected_version": unit.version, "name": "Phòng Tư pháp",
                                                        "valid_from": "2020-01-01", "aliases": ["PTP"]},
                            content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["name"] == "Phòng Tư pháp" and body["version"] == unit.version + 1
    assert body["valid_from"] == "2020-01-01" and body["aliases"] == ["PTP"]


def test_patch_stale_version_is_409(org):
    unit = org.agencies[3]
    unit_update(unit=unit, name="Sửa trước")
    response = as_user(org.assessor).patch(f"/api/units/{unit.code}", {"expected_version": 1, "name": "Sửa sau"},
                                           content_type="application/json")
    body = assert_error(response, 409, "unit.stale")
    assert body["message_en"].startswith("The unit was changed")
    assert Unit.objects.get(pk=unit.pk).name == "Sửa trước"


def test_patch_domain_error_is_400(org):
    unit = org.agencies[4]
    response = as_user(org.assessor).patch(
        f"/api/units/{unit.code}",
        {"expected_version": unit.version, "valid_from": "2021-01-01", "valid_to": "2020-01-01"},
        content_type="application/json")
    assert_error(response, 400, "unit.validity_inverted")


def test_patch_needs_edit_right_in_scope(org):
    # A specialist may view but not edit; a leader of another province may not even see.
    response = as_user(org.specialist).patch(f"/api/units/{org.merged.code}", {"expected_version": 1, "name": "X"},
                                             content_type="application/json")
    body = assert_error(response, 403, "forbidden")
    assert "không được phép sửa đơn vị" in body["message"]


def test_patch_move_needs_edit_right_on_new_parent(org):
    client = as_user(org.assessor)
    unit = org.agencies[0]
    response = client.patch(f"/api/units/{unit.code}", {"expected_version": unit.version, "parent": org.other.code},
                            content_type="application/json")
    assert_error(response, 403, "forbidden")
    response = client.patch(f"/api/units/{unit.code}", {"expected_version": unit.version, "parent": "NOPE"},
                            content_type="application/json")
    assert_error(response, 422, "validation_error")


def test_validation_errors_are_422(org):
    client = as_user(org.assessor)
    body = assert_error(client.get("/api/units", {"page": 0}), 422, "validation_error")
    assert body["details"]["errors"]
    assert_error(client.get("/api/units", {"as_of": "31/12/2024"}), 422, "validation_error")
    assert_error(client.get("/api/units", {"kind": "village"}), 422, "validation_error")
    url = f"/api/units/{org.province.code}"
    assert_error(client.patch(url, {"name": "X"}, content_type="application/json"), 422, "validation_error")
    assert_error(client.patch(url, {"expected_version": 1, "nmae": "X"}, content_type="application/json"),
                 422, "validation_error")
    assert_error(client.patch(url, {"expected_version": 1, "name": None}, content_type="application/json"),
                 422, "validation_error")


# --- people and me ---------------------------------------------------------------------------------

def test_people_filters_scope_and_pagination(org):
    client = as_user(org.leader)
    everyone = client.get("/api/people").json()
    names = {p["full_name"] for p in everyone["items"]}
    assert names == {"Phạm Thị Hoà", "Võ Văn Nam"}  # not the other province's official
    assert everyone["total"] == 2
    assert [p["full_name"] for p in client.get("/api/people", {"q": "pham thi hoa"}).json()["items"]] == ["Phạm Thị Hoà"]
    assert client.get("/api/people", {"unit": org.merged.code}).json()["total"] == 1
    assert client.get("/api/people", {"category": "can_bo"}).json()["items"][0]["category_label"] == "Cán bộ"
    assert client.get("/api/people", {"page_size": 1, "page": 2}).json()["items"][0]["full_name"]
    assert_error(client.get("/api/people", {"unit": org.other.code}), 403, "forbidden")
    assert as_user(org.specialist).get("/api/people").json()["total"] == 1


def test_person_detail_with_positions(org):
    client = as_user(org.leader)
    body = client.get(f"/api/people/{org.hoa.uid}").json()
    assert body["unit"]["code"] == org.merged.code and body["positions"][0]["position"] == "Chủ tịch"
    assert_error(client.get(f"/api/people/{org.outsider_person.uid}"), 403, "forbidden")
    assert_error(client.get("/api/people/00000000-0000-0000-0000-000000000000"), 404, "not_found")
    assert_error(client.get("/api/people/not-a-uuid"), 422, "validation_error")


def test_me_lists_roles_scope_and_actions(org):
    body = as_user(org.assessor).get("/api/me").json()
    assert body["roles"][0]["role"] == "home_affairs_assessor"
    assert body["roles"][0]["unit"]["code"] == org.province.code
    assert [u["code"] for u in body["scope"]] == [org.province.code]
    assert "unit.edit" in body["actions"] and "audit.view" not in body["actions"]


# --- OpenAPI and docs ------------------------------------------------------------------------------

def test_openapi_lists_the_endpoints(client, org):
    spec = client.get("/api/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    for path in ("/api/units", "/api/units/{code}", "/api/units/{code}/lineage", "/api/people",
                 "/api/people/{uid}", "/api/me"):
        assert path in spec["paths"], path
    assert "patch" in spec["paths"]["/api/units/{code}"]
    assert spec["paths"]["/api/units"]["get"]["operationId"] == "list_units"
    assert "409" in spec["paths"]["/api/units/{code}"]["patch"]["responses"]


def test_docs_page_loads_no_external_url(client, org):
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert not re.search(r"https?://", html)
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/") for a in assets)
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
    settings = re.search(r'id="swagger-settings">(.*?)</script>', html, re.S).group(1)
    assert '"validatorUrl": null' in settings
