"""Issue 13: no 500 from input on the pages. Every page is asked with hostile query strings and every
public/officer form is posted hostile values: NUL bytes, 100k-character fields, huge page numbers,
dates outside 1900–2100, non-numeric numbers, multipart without a boundary, a body over the limit.
Each answer must be < 500 (400/404/413/422 or the form again with a message)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from congvu.onestop import services as s
from factories import make_unit, make_user_with_role

pytestmark = pytest.mark.django_db

PAGES = ["/", "/units/", "/units/search/", "/people/", "/audit/", "/directives/", "/directives/stats/",
         "/directives/import/", "/onestop/", "/onestop/my-steps/", "/onestop/receive/", "/onestop/procedures/",
         "/onestop/stats/", "/notifications/", "/citizen/", "/citizen/tra-cuu/", "/citizen/phan-anh-kien-nghi/",
         "/citizen/desk/", "/citizen/desk/pakn/", "/login/", "/password-reset/", "/healthz"]
PARAMS = ["q", "page", "people_page", "page_size", "unit", "as_of", "start", "end", "from", "to", "view", "tab",
          "code", "category", "days", "proc_q", "kind", "state", "next"]
HOSTILE = ["\x00", "a\x00b", "x" * 100_000, "99999999999999999999999", "-1", "0", "abc", "31/12/2101", "2101-01-01",
           "01/01/1899", "1899-12-31", "'\"<script>", "%", "١٢٣", "9" * 400]


@pytest.fixture
def world(commune):
    cache.clear()
    desk = make_unit("Bộ phận một cửa", kind="onestop_desk", parent=commune, code="H55.01.12")
    field = s.field_get_or_create(code="HT", name="Hộ tịch")
    s.procedure_create(code="1.004873", name="Cấp Giấy xác nhận tình trạng hôn nhân", field=field, level="commune",
                       processing_time=3, online_level="full")
    admin = make_user_with_role("system_admin", commune.parent.parent, username="quantri")
    officer = make_user_with_role("onestop_officer", desk, username="motcua")
    return {"admin": admin, "officer": officer, "desk": desk}


def _clients(world):
    out = {"anonymous": Client()}
    for name in ("admin", "officer"):
        c = Client()
        c.force_login(world[name])
        out[name] = c
    return out


def test_every_page_survives_hostile_query_strings(world, settings):
    settings.CONGVU_CITIZEN_RATELIMIT = False
    bad = []
    for who, client in _clients(world).items():
        for page in PAGES:
            for value in HOSTILE:
                r = client.get(page, {param: value for param in PARAMS})
                if r.status_code >= 500:
                    bad.append(f"{who} GET {page}?*={value[:20]!r} → {r.status_code}")
            for param in PARAMS:  # each alone too, with the values most likely to slip through
                for value in ("99999999999999999999999", "abc", "2101-01-01", "x" * 900):
                    r = client.get(page, {param: value})
                    if r.status_code >= 500:
                        bad.append(f"{who} GET {page}?{param}={value[:20]!r} → {r.status_code}")
    assert not bad, "\n".join(bad[:40])


FORMS = {
    "/citizen/tra-cuu/": ["code", "phone4"],
    "/citizen/phan-anh-kien-nghi/": ["kind", "name", "phone", "email", "content", "subject", "unit", "ref",
                                     "address"],
    "/citizen/thu-tuc/1.004873/nop-truc-tuyen/": ["applicant_name", "applicant_phone", "applicant_id_number",
                                                   "applicant_email", "applicant_address", "unit", "form_token"],
    "/onestop/receive/": ["procedure", "applicant_name", "applicant_phone", "applicant_id_number", "received_at",
                          "channel", "intent", "unit", "applicant_address"],
    "/units/search/": ["q"],
    "/login/": ["username", "password"],
    "/password-reset/": ["email"],
}


def test_every_form_survives_hostile_posts(world, settings):
    settings.CONGVU_CITIZEN_RATELIMIT = False
    settings.CONGVU_LOGIN_ACCOUNT_LIMIT = settings.CONGVU_LOGIN_CLIENT_LIMIT = 10**6
    bad = []
    for who, client in _clients(world).items():
        for url, fields in FORMS.items():
            for value in HOSTILE:
                r = client.post(url, {f: value for f in fields})
                if r.status_code >= 500:
                    bad.append(f"{who} POST {url} all={value[:20]!r} → {r.status_code}")
    assert not bad, "\n".join(bad[:40])


def test_multipart_without_boundary_and_oversized_bodies(world, settings):
    client = Client()
    client.force_login(world["admin"])
    r = client.generic("POST", "/citizen/tra-cuu/", b"code=1", content_type="multipart/form-data")
    assert r.status_code == 400 and "boundary" in r.content.decode()
    r = client.generic("POST", "/api/onestop/dossiers", b"x", content_type="multipart/form-data")
    assert r.status_code == 400 and r.json()["code"] == "request.malformed"
    big = b"a=" + b"x" * (3 * 1024 * 1024)
    r = client.generic("POST", "/citizen/tra-cuu/", big, content_type="application/x-www-form-urlencoded")
    assert r.status_code == 413 and "quá lớn" in r.content.decode()
    r = client.generic("POST", "/api/onestop/dossiers", b"{" + b" " * (3 * 1024 * 1024) + b"}",
                       content_type="application/json")
    assert r.status_code == 413 and r.json()["code"] == "request.too_large"
    r = client.get("/units/search/", {"q": "a\x00b"})
    assert r.status_code == 400 and "NUL" in r.content.decode()
    r = client.post("/api/directives/tasks/1/comments", '{"text": "a\\u0000b"}', content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "request.nul_byte"
