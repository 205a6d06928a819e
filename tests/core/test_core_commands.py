"""The `congvu` console command: Django commands, DATABASE_URL, production checks, serving."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CONGVU = [sys.executable, "-m", "congvu"]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({"CONGVU_VAR": str(tmp_path / "var")}, **extra)
    return env


def test_database_url_is_honoured_by_django_commands(tmp_path):
    db = tmp_path / "other.sqlite3"
    out = subprocess.run([*CONGVU, "migrate", "--noinput"], env=_env(tmp_path, DATABASE_URL=f"sqlite:///{db}"),
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert db.exists() and db.stat().st_size > 0
    assert not (tmp_path / "var" / "congvu.sqlite3").exists()


def test_default_database_is_sqlite_under_var_in_wal_mode(tmp_path):
    out = subprocess.run([*CONGVU, "migrate", "--noinput"], env=_env(tmp_path), capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    db = tmp_path / "var" / "congvu.sqlite3"
    assert db.exists()
    import sqlite3

    assert sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


PROD = {"DJANGO_SETTINGS_MODULE": "congvu.settings.production", "CONGVU_ALLOWED_HOSTS": "congvu.example.vn",
        "CONGVU_SECRET_KEY": "x" * 30 + "-prod-secret-" + "y" * 30,
        "CONGVU_PAYMENTS_NATIONAL_SECRET": "a-real-merchant-secret-from-the-platform",
        # The national portal and population database, never the local stand-ins (issue 16).
        "CONGVU_PORTAL_PROVIDER": "national", "CONGVU_PORTAL_NATIONAL_ENDPOINT": "https://dichvucong.example.vn/api",
        "CONGVU_PORTAL_NATIONAL_CLIENT_ID": "congvu-qng", "CONGVU_PORTAL_NATIONAL_SECRET": "a-real-portal-secret-0123",
        "CONGVU_POPULATION_PROVIDER": "national", "CONGVU_POPULATION_NATIONAL_ENDPOINT": "https://dancu.example.vn/api",
        "CONGVU_POPULATION_NATIONAL_CLIENT_ID": "congvu-qng",
        "CONGVU_POPULATION_NATIONAL_SECRET": "a-real-population-secret-0123"}


def test_production_settings_pass_check_deploy(tmp_path):
    env = _env(tmp_path, **PROD)
    out = subprocess.run([*CONGVU, "check", "--deploy", "--fail-level", "WARNING"], env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr


def test_production_refuses_demo_payment_provider_and_demo_secrets(tmp_path):
    """Issue 13: free payments in production. `check --deploy` and start-up both refuse."""
    env = _env(tmp_path, **PROD, CONGVU_PAYMENTS_PROVIDER="demo")
    out = subprocess.run([*CONGVU, "check", "--deploy"], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode != 0 and "CONGVU_PAYMENTS_PROVIDER" in out.stderr, out.stdout + out.stderr
    env = _env(tmp_path, **{**PROD, "CONGVU_PAYMENTS_NATIONAL_SECRET": "demo-only-payment-secret"})
    out = subprocess.run([*CONGVU, "check"], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode != 0 and "demo" in out.stderr
    code = "from congvu.wsgi import application"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode != 0 and "ImproperlyConfigured" in out.stderr and "demo" in out.stderr
    out = subprocess.run([*CONGVU, "serve", "--port", "0"], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode != 0 and "demo" in (out.stdout + out.stderr)
    # A development checkout is told by check --deploy too (it would deploy the demo gateway).
    out = subprocess.run([*CONGVU, "check", "--deploy"], env=_env(tmp_path), capture_output=True, text=True,
                         timeout=120)
    assert out.returncode != 0 and "payments.demo_provider" in out.stderr


def test_production_settings_refuse_missing_secret(tmp_path):
    env = _env(tmp_path, DJANGO_SETTINGS_MODULE="congvu.settings.production")
    env.pop("CONGVU_SECRET_KEY", None)
    out = subprocess.run([*CONGVU, "check"], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode != 0 and "CONGVU_SECRET_KEY" in out.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_http(tmp_path):
    env = _env(tmp_path)
    subprocess.run([*CONGVU, "migrate", "--noinput"], env=env, check=True, capture_output=True, timeout=300)
    port = _free_port()
    proc = subprocess.Popen([*CONGVU, "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as resp:
                    body = resp.read().decode()
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.5)
        assert resp.status == 200
        assert "congvu" in body.lower()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_without_a_database_the_cli_says_what_to_do(tmp_path):
    """Issue 13: no migrations / no reachable database → a sentence, not a traceback."""
    out = subprocess.run([*CONGVU, "onestop", "stats", "--unit", "X", "--from", "2024-01-01", "--to", "2024-12-31"],
                         env=_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and "congvu migrate" in out.stderr and "Traceback" not in out.stderr
    env = _env(tmp_path, DATABASE_URL=f"postgres://nobody@127.0.0.1:{_free_port()}/none")
    out = subprocess.run([*CONGVU, "audit", "verify"], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and "DATABASE_URL" in out.stderr and "Traceback" not in out.stderr


def test_serve_stops_its_worker_on_sigterm(tmp_path):
    """Issue 13: SIGTERM to `congvu serve --with-worker` stops the worker child too."""
    import signal

    env = _env(tmp_path)
    subprocess.run([*CONGVU, "migrate", "--noinput"], env=env, check=True, capture_output=True, timeout=300)
    port = _free_port()
    proc = subprocess.Popen([*CONGVU, "serve", "--port", str(port), "--with-worker"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 60
        children: list[int] = []
        while time.time() < deadline and not children:
            out = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True)
            children = [int(p) for p in out.stdout.split()]
            time.sleep(0.3)
        assert children, "the worker child did not start"
        time.sleep(1.5)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        for pid in children:
            gone_by = time.time() + 20
            while time.time() < gone_by and Path(f"/proc/{pid}").exists() and \
                    "zombie" not in Path(f"/proc/{pid}/status").read_text().lower():
                time.sleep(0.2)
            assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_tests_write_to_a_temporary_media_root(settings):
    assert "congvu-test-media-" in str(settings.MEDIA_ROOT) and "/var/" not in str(settings.MEDIA_ROOT)
