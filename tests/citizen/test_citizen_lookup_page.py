"""The lookup result page compiled once per language and shape (citizen.lookup_page) gives the same bytes
as the template rendered with the request, for every shape it covers, in Vietnamese and English, with
values that need escaping; the lookup view serves it and falls back to the template for the rare shapes."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from congvu.citizen import lookup_page
from congvu.citizen.selectors import LookupResult
from congvu.citizen.views import _chrome

NASTY = ['<b>"Hộ tịch" & \'khai sinh\'</b>', "Xã Bình Sơn", "a/b?c=d&e=f#g", "{{ r.title }} {% if %}", "\ue000x\ue001",
         "Thủ tục đăng ký kết hôn có yếu tố nước ngoài", ""]


def _result(rng: random.Random, flags: tuple) -> tuple[LookupResult, str]:
    submitted, received, due, payment, amount, pay, reason, rating, rated, pakn = flags
    at = dt.datetime(2024, 3, 4, 8, 0, tzinfo=dt.UTC)
    pick = lambda: rng.choice(NASTY)  # noqa: E731
    r = LookupResult(kind="dossier", code="H55.01-240304-0001", procedure=pick(), unit=pick(), status=pick(),
                     state="processing", submitted_at=at if submitted else None, received_at=at if received else None,
                     due_at=at if due else None,
                     timeline=[(f"08:0{i} 04/03/2024", pick()) for i in range(rng.choice([0, 1, 3, 7]))],
                     missing=[pick() for _ in range(rng.choice([0, 0, 1, 2]))], reason=pick() if reason else "",
                     rating_url=f"/citizen/danh-gia/{pick()}/" if rating else "", rated=rated,
                     payment_status=rng.choice(["awaiting_payment", "paid"]) if payment else "",
                     payment_label=pick(), amount_due="50.000" if amount else "", pay_url="/p/x?y=1&z=2" if pay else "",
                     receipt_urls=[f"/payments/receipt/{i}/{pick()}" for i in range(rng.choice([0, 1, 2, 3]))],
                     title=f"Hồ sơ {pick()}", submitted_text="08:00 04/03/2024", received_text=pick(),
                     due_text="17:00 ngày 11/03/2024")
    return r, ("WzEyLDM0XQ:1abc:x-y_z" + rng.choice(["", "&<>\"'/ é"])) if pakn else ""


def _template(r: LookupResult, pakn_ref: str, chrome: dict) -> str:
    request = RequestFactory().post("/citizen/tra-cuu/")
    request.user, request.session = AnonymousUser(), SessionStore()
    request._messages = FallbackStorage(request)
    return render_to_string(lookup_page.TEMPLATE, {"r": r, "pakn_ref": pakn_ref, "chrome": chrome}, request=request)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_compiled_page_is_the_template_byte_for_byte(lang):
    rng = random.Random(lang)
    with translation.override(lang):
        chrome = _chrome()
        for flags in itertools.product((False, True), repeat=10):
            r, ref = _result(rng, flags)
            page = lookup_page.render(r, ref, chrome)
            assert page is not None
            assert page == _template(r, ref, chrome), flags


def test_rare_shapes_are_left_to_the_template():
    r, _ = _result(random.Random(1), (True,) * 10)
    r.apology = {"issued_at": dt.datetime(2024, 3, 8, tzinfo=dt.UTC), "reason": "x", "previous_due_at": None,
                 "new_due_at": None}
    assert lookup_page.render(r, "", _chrome()) is None
    r.apology, r.reuses = None, [{"when": "x"}]
    assert lookup_page.render(r, "", _chrome()) is None
    r.reuses, r.timeline = [], [("a", "b")] * (lookup_page._MAX_ITEMS + 1)
    assert lookup_page.render(r, "", _chrome()) is None


@pytest.mark.django_db
def test_the_view_serves_the_compiled_page_in_both_languages(client, procedure, desk, monkeypatch):
    from django.utils import timezone

    from congvu.citizen import views
    from congvu.onestop import services as s

    d = s.dossier_receive(procedure=procedure, unit=desk, applicant_name="Trần Thị Lan", channel="in_person",
                          received_at=timezone.now(), applicant_phone="0905123456")
    s.dossier_transfer(dossier=d)
    calls = []
    real = views.render
    monkeypatch.setattr(views, "render", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    vi = client.post(reverse("citizen:lookup"), {"code": d.code, "phone4": "3456"})
    client.cookies["django_language"] = "en"
    en = client.post(reverse("citizen:lookup"), {"code": d.code, "phone4": "3456"})
    assert vi.status_code == en.status_code == 200 and calls == []  # no template rendered per request
    assert vi["Cache-Control"] == "no-store" and vi["Content-Type"] == "text/html; charset=utf-8"
    vi_body, en_body = vi.content.decode(), en.content.decode()
    assert "Quá trình xử lý" in vi_body and "Chuyển đến cơ quan giải quyết" in vi_body and d.code in vi_body
    assert en_body != vi_body and "Quá trình xử lý" not in en_body and d.code in en_body


@pytest.mark.django_db
def test_timeline_times_formatted_by_the_statement_are_local_time(procedure, desk):
    """On PostgreSQL the statement formats the times (AT TIME ZONE), on SQLite Python does: both give the
    local `HH:MM dd/mm/yyyy` of every event in order, also across midnight UTC → local."""
    from congvu.citizen import selectors as sel
    from congvu.onestop import services as s
    from congvu.onestop.models import DossierEvent

    at = dt.datetime(2024, 3, 4, 17, 30, tzinfo=dt.UTC)  # 00:30 on 5/3 in Việt Nam
    d = s.dossier_receive(procedure=procedure, unit=desk, applicant_name="Trần Thị Lan", channel="in_person",
                          received_at=at, applicant_phone="0905123456")
    s.dossier_transfer(dossier=d, at=at + dt.timedelta(minutes=45))
    r = sel.lookup(d.code, "3456")
    events = list(DossierEvent.objects.filter(dossier=d).order_by("at", "id"))
    assert [t for t, _ in r.timeline] == [sel._when(e.at) for e in events]
    assert r.timeline[0] == ("00:30 05/03/2024", sel.PLAIN_EVENT["receive"])
    assert r.timeline[-1] == ("01:15 05/03/2024", sel.PLAIN_EVENT["transfer"])
    assert sel.when_text(at) == "00:30 05/03/2024"


@pytest.mark.parametrize("pk", [1, 42, 10**12])
def test_pakn_ref_is_what_signing_dumps_gives(pk, monkeypatch, settings):
    import time

    from django.core import signing

    from congvu.citizen.views import _PAKN_SALT, pakn_ref_for

    monkeypatch.setattr(time, "time", lambda: 1_765_000_000.7)
    assert pakn_ref_for(pk) == signing.dumps(pk, salt=_PAKN_SALT)
    settings.SECRET_KEY = "another-secret-" * 4
    assert pakn_ref_for(pk) == signing.dumps(pk, salt=_PAKN_SALT)
    assert signing.loads(pakn_ref_for(pk), salt=_PAKN_SALT, max_age=86400) == pk


@pytest.mark.django_db(transaction=True)
def test_lookup_after_a_rollback_on_the_same_connection(procedure, desk):
    """psycopg answers a ROLLBACK by DEALLOCATE ALL once it holds prepared statements of its own (the
    receipt's, through congvu.dbwrite), which drops the lookup's too: the lookup must notice and
    prepare again, not fail with "prepared statement … does not exist" (it did, on PostgreSQL)."""
    from django.db import connection, transaction

    from congvu.citizen import selectors as sel
    from congvu.onestop import services as s

    d = s.dossier_receive(procedure=procedure, unit=desk, applicant_name="Trần Thị Lan", channel="in_person",
                          applicant_phone="0905123456")
    for _ in range(3):
        assert sel.lookup(d.code, "3456").code == d.code
        with pytest.raises(RuntimeError), transaction.atomic():
            s.dossier_receive(procedure=procedure, unit=desk, applicant_name="Lê Văn Nam", channel="online",
                              applicant_phone="0905000000")  # prepares the receipt's statements, then rolls back
            raise RuntimeError("roll back")
    assert sel.lookup(d.code, "3456").code == d.code
    if connection.vendor == "postgresql":  # the module's record of what it prepared matches the server's
        with connection.cursor() as cur:
            cur.execute("SELECT name FROM pg_prepared_statements WHERE name LIKE 'congvu_%%'")
            on_server = {r[0].encode() for r in cur.fetchall()}
        assert sel._PG_PREPARED[connection.connection] <= on_server
