"""Issue 13, accounts: 120 wrong passwords then the right one is refused; per-client limit; failures
audited; password reset by e-mail; idle timeout."""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from congvu.audit.models import AuditEntry
from factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def login(client, username, password, ip="203.0.113.5"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_120_wrong_passwords_then_the_right_one_is_refused(client):
    UserFactory(username="lanhdao")
    answers = [login(client, "lanhdao", f"wrong-{i}", ip=f"198.51.100.{i % 50}").status_code for i in range(120)]
    assert set(answers) == {200}  # the form again, never a session
    r = login(client, "lanhdao", "secret-pass-123", ip="192.0.2.77")  # right password, fresh address
    assert r.status_code == 200 and "_auth_user_id" not in client.session
    assert "quá nhiều lần" in r.content.decode()
    failed = AuditEntry.objects.filter(action="security:login_failed", object_id="lanhdao")
    assert failed.count() == 10  # every failure up to the limit...
    assert AuditEntry.objects.filter(action="security:login_locked").count() >= 1  # ...then one lock entry
    assert failed.first().after["client"].startswith("198.51.100.")


def test_per_client_limit_spares_other_clients(settings, client):
    settings.CONGVU_LOGIN_CLIENT_LIMIT = 5
    UserFactory(username="motcua")
    for i in range(6):
        login(client, f"khong-co-{i}", "x", ip="203.0.113.9")  # spraying many accounts from one client
    assert "_auth_user_id" not in client.session
    assert login(client, "motcua", "secret-pass-123", ip="203.0.113.9").status_code == 200  # that client: locked
    other = Client()
    assert login(other, "motcua", "secret-pass-123", ip="203.0.113.10").status_code == 302  # others are not


def test_admin_login_is_throttled_too(client):
    UserFactory(username="quantri", is_staff=True, is_superuser=True)
    for i in range(11):
        client.post("/admin/login/", {"username": "quantri", "password": f"bad{i}"})
    client.post("/admin/login/", {"username": "quantri", "password": "secret-pass-123"})
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email(client):
    UserFactory(username="thamdinh", email="thamdinh@example.vn")
    page = client.get("/password-reset/")
    assert page.status_code == 200 and "Quên mật khẩu" in page.content.decode()
    r = client.post("/password-reset/", {"email": "thamdinh@example.vn"})
    assert r.status_code == 302 and len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "đặt lại mật khẩu" in body.lower() or "Đặt lại" in mail.outbox[0].subject
    link = re.search(r"https?://[^/]+(/password-reset/[^\s]+/)", body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200 and "Mật khẩu mới" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0] if form.redirect_chain else link,
                       {"new_password1": "Mat-khau-moi-2025!", "new_password2": "Mat-khau-moi-2025!"})
    assert done.status_code == 302
    assert Client().post("/login/", {"username": "thamdinh", "password": "Mat-khau-moi-2025!"}).status_code == 302
    # unknown address: same answer, no mail (does not reveal who has an account)
    assert client.post("/password-reset/", {"email": "ai-do@example.vn"}).status_code == 302 and len(mail.outbox) == 1


def test_idle_timeout_logs_out(settings, client, monkeypatch):
    settings.CONGVU_SESSION_IDLE_SECONDS = 600
    UserFactory(username="chuyenvien")
    assert login(client, "chuyenvien", "secret-pass-123").status_code == 302
    assert client.get("/").status_code == 200
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 601)
    r = client.get("/units/")
    assert r.status_code == 302 and "/login/" in r["Location"]
    assert "_auth_user_id" not in client.session
