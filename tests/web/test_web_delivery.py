"""Delivery (issue 15): Vietnamese 404/500 with DEBUG off, compressed responses, hashed static files with
long cache lifetimes after collectstatic and plain names before it, `make run` with DEBUG off."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def test_unknown_url_is_a_vietnamese_page(client, settings):
    settings.DEBUG = False
    r = client.get("/khong-co-trang-nay/")
    body = r.content.decode()
    assert r.status_code == 404 and "Không tìm thấy" in body and 'name="viewport"' in body
    assert "Page not found" not in body and "URLconf" not in body


def test_server_error_is_a_vietnamese_page(settings):
    from congvu.web.views.errors import server_error

    r = server_error(None)
    body = r.content.decode()
    assert r.status_code == 500 and "Hệ thống gặp sự cố" in body and 'lang="vi"' in body


@override_settings(ROOT_URLCONF="congvu.urls")
def test_500_handler_is_wired(settings):
    import congvu.urls

    assert congvu.urls.handler500 == "congvu.web.views.errors.server_error"


def test_pages_are_compressed(client):
    r = client.get("/login/", HTTP_ACCEPT_ENCODING="gzip")
    assert r.status_code == 200 and r["Content-Encoding"] == "gzip"


def test_static_names_plain_before_collectstatic_hashed_after(settings, tmp_path):
    from whitenoise.middleware import WhiteNoiseMiddleware

    from congvu.web.storage import StaticStorage

    settings.DEBUG = False
    before = StaticStorage(location=str(tmp_path), base_url="/static/")
    assert before.url("congvu/congvu.css") == "/static/congvu/congvu.css"  # not collected: the finders serve it
    settings.STATIC_ROOT = str(tmp_path)  # resets the project's storage (setting_changed)
    call_command("collectstatic", interactive=False, verbosity=0)
    url = StaticStorage(location=str(tmp_path), base_url="/static/").url("congvu/congvu.css")
    assert url.startswith("/static/congvu/congvu.") and url.endswith(".css") and url != "/static/congvu/congvu.css"
    assert (Path(tmp_path) / (url.removeprefix("/static/") + ".gz")).exists()  # pre-compressed
    assert WhiteNoiseMiddleware(lambda request: None).immutable_file_test("", url)  # one-year immutable lifetime


def test_make_run_serves_with_debug_off_unless_asked():
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text(encoding="utf-8")
    run = makefile[makefile.index("\nrun:"):].split("\n\n")[0]
    assert "CONGVU_DEBUG=$${CONGVU_DEBUG:-0}" in run and "serve --setup" in run


def test_login_page_without_debug_renders(settings):
    settings.DEBUG = False
    r = Client().get("/login/")
    assert r.status_code == 200 and "/static/congvu/" in r.content.decode()
