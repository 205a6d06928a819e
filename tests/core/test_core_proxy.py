"""Issue 13: behind a TLS reverse proxy. The client address comes from trusted hops only (rightmost
untrusted); X-Forwarded-* from anyone else are dropped; and — with Debian's nginx terminating TLS in
front of the waitress server `congvu serve` runs — logins work over X-Forwarded-Proto: https, HSTS is
sent, and rate limits count per real client whatever X-Forwarded-For a client makes up."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from congvu.common.net import client_address, parse_networks

TRUSTED = parse_networks("10.0.0.0/8, 127.0.0.2, ::1")


def test_rightmost_untrusted_hop_is_the_client():
    assert client_address("10.0.0.5", "6.6.6.6, 203.0.113.7", TRUSTED) == "203.0.113.7"
    assert client_address("10.0.0.5", "203.0.113.7, 10.1.1.1", TRUSTED) == "203.0.113.7"
    assert client_address("198.51.100.1", "10.0.0.1, 1.1.1.1", TRUSTED) == "198.51.100.1"  # peer not a proxy
    assert client_address("10.0.0.5", "", TRUSTED) == "10.0.0.5"
    assert client_address("10.0.0.5", "garbage, 203.0.113.9", TRUSTED) == "203.0.113.9"
    assert client_address("10.0.0.5", "203.0.113.9, garbage", TRUSTED) == "10.0.0.5"
    assert client_address("::1", "[2001:db8::1]:443", TRUSTED) == "2001:db8::1"


@given(spoofed=st.lists(st.ip_addresses(v=4).map(str), max_size=5))
def test_a_client_cannot_choose_its_address(spoofed):
    real = "203.0.113.50"
    header = ", ".join([*spoofed, real])  # what the trusted proxy forwards: the client's lies, then the peer
    assert client_address("127.0.0.2", header, TRUSTED) == real


@pytest.mark.django_db
def test_untrusted_peer_cannot_claim_https_or_an_address(client, settings):
    settings.CONGVU_TRUSTED_PROXIES = "127.0.0.2"
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 3600
    r = client.get("/login/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="198.51.100.9")
    assert r.status_code == 301 and r["Location"].startswith("https://")  # not believed: still plain HTTP
    r = client.get("/login/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="127.0.0.2")
    assert r.status_code == 200 and "Strict-Transport-Security" in r


# -- the real thing: nginx (TLS) → waitress → Django ---------------------------------------------------

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def waitress_server(transactional_db):
    from django.core.handlers.wsgi import WSGIHandler

    from congvu.core.server import make_server

    handler: list = []

    def app(environ, start_response):  # built at the first request: middleware reads the test's settings
        if not handler:
            handler.append(WSGIHandler())
        return handler[0](environ, start_response)

    server = make_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield server.effective_port
    server.close()
    thread.join(timeout=5)


@pytest.fixture
def nginx_tls(tmp_path, waitress_server):
    if not Path(NGINX).exists():
        if os.environ.get("CI"):
            pytest.fail("nginx is missing; `make system-deps` installs it.")
        pytest.skip("nginx is not installed (make system-deps)")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
                   check=True, capture_output=True, timeout=60)
    port = _free_port()
    user = "user root;" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(f"""
{user}
worker_processes 1;
daemon off;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy; fastcgi_temp_path {tmp_path}/fcgi;
  uwsgi_temp_path {tmp_path}/uwsgi; scgi_temp_path {tmp_path}/scgi;
  server {{
    listen 127.0.0.1:{port} ssl;
    ssl_certificate {tmp_path}/cert.pem;
    ssl_certificate_key {tmp_path}/key.pem;
    location / {{
      proxy_pass http://127.0.0.1:{waitress_server};
      proxy_bind 127.0.0.2;  # the proxy's address, the only one trusted
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }}
  }}
}}
""")
    proc = subprocess.Popen([NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e",
                             str(tmp_path / "error.log")], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.time() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                out = proc.stdout.read().decode() if proc.stdout else ""
                pytest.fail(f"nginx did not start: {out} {(tmp_path / 'error.log').read_text()}")
            time.sleep(0.1)
    yield port
    proc.terminate()
    proc.wait(timeout=10)


class Browserish:
    """HTTPS client with a cookie jar and a chosen source address (a different 'real client')."""

    def __init__(self, port: int, source: str = "127.0.0.1"):
        self.port, self.source, self.cookies = port, source, {}
        self.context = ssl.create_default_context()
        self.context.check_hostname = False
        self.context.verify_mode = ssl.CERT_NONE

    def request(self, method: str, path: str, body: str = "", headers: dict | None = None):
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context, timeout=30,
                                           source_address=(self.source, 0))
        all_headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **(headers or {})}
        if body:
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body.encode(), headers=all_headers)
        response = conn.getresponse()
        data = response.read().decode("utf-8", "replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, val = value.split(";", 1)[0].split("=", 1)
                self.cookies[key.strip()] = val.strip()
        conn.close()
        return response, data


def test_login_hsts_and_per_client_limits_behind_nginx(nginx_tls, settings):
    from django.core.cache import cache

    from congvu.audit.models import AuditEntry
    from factories import UserFactory

    settings.CONGVU_TRUSTED_PROXIES = "127.0.0.2"
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    settings.CONGVU_CITIZEN_RATELIMIT = True
    settings.CONGVU_CITIZEN_LOOKUP_LIMIT = 3
    cache.clear()
    UserFactory(username="vanthu")
    origin = f"https://127.0.0.1:{nginx_tls}"

    alice = Browserish(nginx_tls)
    response, page = alice.request("GET", "/login/")
    assert response.status == 200, page  # no redirect loop: the proxy's https was believed
    assert "max-age=31536000" in response.getheader("Strict-Transport-Security", "")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response, page = alice.request("POST", "/login/", f"csrfmiddlewaretoken={token}&username=vanthu"
                                   "&password=secret-pass-123", headers={"Origin": origin, "Referer": origin + "/login/"})
    assert response.status == 302, page  # no "Origin checking failed"
    assert "sessionid" in alice.cookies

    # Rate limit per real client: alice (127.0.0.1) makes up a new X-Forwarded-For each time.
    answers = [alice.request("POST", "/citizen/tra-cuu/",
                             "code=KHONG-CO&phone4=1234", headers={"X-Forwarded-For": f"10.9.8.{i}"})[0].status
               for i in range(5)]
    assert answers[:3] == [404, 404, 404] and answers[3:] == [429, 429], answers
    bob = Browserish(nginx_tls, source="127.0.0.3")  # another citizen, not locked out by alice
    assert bob.request("POST", "/citizen/tra-cuu/", "code=KHONG-CO&phone4=1234")[0].status == 404
    flood = AuditEntry.objects.filter(action="security:lookup_flood").get()
    assert flood.object_id == "127.0.0.1"  # the real client, never the spoofed 10.9.8.x
