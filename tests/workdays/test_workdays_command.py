"""`congvu calendar ...` through call_command and as a real process (un-migrated database)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from workdays_cases import OWN_CASES, SPEC_CASES

from congvu.workdays.selectors import work_calendar_invalidate
from congvu.workdays.services import calendar_overrides_load_shipped


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    # The per-process cache outlives the rolled-back transaction of each test.
    work_calendar_invalidate()
    yield
    work_calendar_invalidate()


D = dt.date.fromisoformat


def run(*args: str) -> str:
    out = StringIO()
    call_command("calendar", *args, stdout=out)
    return out.getvalue().strip()


def cli_args(action: str, a: str, b: str | None) -> list[str]:
    return [action, a] + ([b] if b is not None else [])


@pytest.mark.django_db
@pytest.mark.parametrize("loaded", [False, True], ids=["yaml-fallback", "db-overrides"])
@pytest.mark.parametrize(("action", "a", "b", "expected"), SPEC_CASES + OWN_CASES)
def test_cases_through_command(loaded: bool, action: str, a: str, b: str | None, expected: str) -> None:
    if loaded:
        calendar_overrides_load_shipped()
    assert run(*cli_args(action, a, b)) == expected


@pytest.mark.django_db
def test_dd_mm_yyyy_and_shipped_flag() -> None:
    assert run("add", "07/02/2024", "1") == "2024-02-15"
    assert run("--shipped", "between", "13/02/2026", "23/02/2026") == "1"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args",
    [("add", "2024-02-30", "1"), ("add", "30/02/2024", "1"), ("between", "2024-01-01", "x"),
     ("is-working", "hôm qua"), ("add", "2024-02-07", "một"), ("show", "1800")],
)  # fmt: skip
def test_bad_input_is_a_command_error(args: tuple[str, ...]) -> None:
    with pytest.raises(CommandError) as exc:
        run(*args)
    message = str(exc.value)
    assert "không hợp lệ" in message or "ngoài phạm vi" in message
    assert "invalid" in message or "out of range" in message


@pytest.mark.django_db
def test_show_and_why() -> None:
    text = run("show", "2024")
    assert "2024-02-08" in text and "Giáp Thìn" in text
    assert "2024-05-04" in text and "LÀM BÙ" in text
    assert "2027-02-04" not in text
    assert "(chưa xác minh" in run("show", "2027")
    why = run("why", "2026-04-27")
    assert "nghỉ" in why and "Giỗ Tổ" in why


@pytest.mark.django_db
def test_load_is_idempotent() -> None:
    first = run("load")
    assert first.startswith("created=") and "created=0" not in first
    assert run("load").startswith("created=0 updated=0")


def test_selector_without_database_access_uses_shipped_yaml() -> None:
    # No django_db mark: pytest-django blocks queries, as when no database is reachable.
    from congvu.workdays.selectors import work_calendar

    assert work_calendar().add_working_days(D("2024-02-07"), 1) == D("2024-02-15")


def _process(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    # A brand-new SQLite file: the workdays table does not exist, the command must still answer.
    env.update({"CONGVU_VAR": str(tmp_path), "CONGVU_HOME": str(tmp_path)})
    return subprocess.run(
        [sys.executable, "-m", "congvu", "calendar", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_console_command_on_unmigrated_database(tmp_path: Path) -> None:
    done = _process(tmp_path, "add", "2024-02-07", "1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "2024-02-15"
    done = _process(tmp_path, "is-working", "29/04/2024")
    assert (done.returncode, done.stdout.strip()) == (0, "false")


def test_console_command_bad_date_exits_non_zero(tmp_path: Path) -> None:
    done = _process(tmp_path, "add", "2024-13-01", "1")
    assert done.returncode != 0
    assert "Ngày không hợp lệ" in done.stderr and "invalid date" in done.stderr
    done = _process(tmp_path, "load")
    assert done.returncode != 0 and "migrate" in done.stderr
