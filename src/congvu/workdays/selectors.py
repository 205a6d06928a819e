"""Read side of the working-day calendar. `work_calendar()` is THE entry point for other apps:

from congvu.workdays.selectors import work_calendar
due = work_calendar().add_working_days(received_on, 5)
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Count, Max

from congvu.workdays.calendar import DayInfo, WorkCalendar, shipped_config
from congvu.workdays.models import CalendarOverride

logger = logging.getLogger(__name__)

# Signals invalidate this process at once; other processes (another web worker, a management
# command) are caught by re-reading a cheap fingerprint of the table at most this often.
DEFAULT_RECHECK_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class _Cached:
    version: int
    key: tuple[Any, ...]
    calendar: WorkCalendar
    checked_at: float


_lock = threading.Lock()
_version = 0
_cached: _Cached | None = None
_table_exists = False


def work_calendar_invalidate() -> None:
    """Drop the cached calendar of this process (called on every override save/delete)."""
    global _version
    with _lock:
        _version += 1


def _rule_switches() -> dict[str, bool]:
    # e.g. CONGVU_CALENDAR_RULES = {"ngay-van-hoa-viet-nam-2411": True} once the law is confirmed.
    return dict(getattr(settings, "CONGVU_CALENDAR_RULES", {}) or {})


def calendar_table_ready() -> bool:
    """True once the overrides table exists (an un-migrated database falls back to the YAML)."""
    global _table_exists
    if not _table_exists:
        _table_exists = CalendarOverride._meta.db_table in connection.introspection.table_names()
    return _table_exists


def _fingerprint() -> tuple[Any, ...] | None:
    """(rows, newest update, highest id) of the table; None when there is no usable table."""
    try:
        if not calendar_table_ready():
            return None
        agg = CalendarOverride.objects.aggregate(n=Count("id"), last=Max("updated_at"), top=Max("id"))
    except (DatabaseError, RuntimeError) as exc:
        # RuntimeError: no database at all here (e.g. pytest-django's blocker in a pure unit test
        # of another app). Deadlines must still be computable: use the shipped data. One line, no
        # traceback: "no database yet" is a state, not a crash (run `congvu migrate` / set DATABASE_URL).
        logger.warning("workdays: overrides table unreadable (%s), using the shipped calendar data",
                       str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)
        return None
    if not agg["n"]:
        return None
    return (agg["n"], agg["last"], agg["top"])


def _build(fingerprint: tuple[Any, ...] | None, switches: dict[str, bool]) -> WorkCalendar:
    config = shipped_config()
    if fingerprint is not None:
        config = config.with_overrides(o.to_override() for o in CalendarOverride.objects.order_by("date"))
    if switches:
        config = config.with_rule_switches(switches)
    return WorkCalendar(config)


def work_calendar(*, shipped_only: bool = False) -> WorkCalendar:
    """The working-day calendar: rules + the overrides in the database, or the shipped YAML
    overrides when the table is empty or missing. Cached per process; rebuilt after edits."""
    global _cached
    switches = _rule_switches()
    if shipped_only:
        return _build(None, switches)
    now = time.monotonic()
    recheck = float(getattr(settings, "CONGVU_CALENDAR_RECHECK_SECONDS", DEFAULT_RECHECK_SECONDS))
    cached, version = _cached, _version
    if cached is not None and cached.version == version and now - cached.checked_at < recheck:
        return cached.calendar
    fingerprint = _fingerprint()
    key = (fingerprint, tuple(sorted(switches.items())))
    if cached is not None and cached.version == version and cached.key == key:
        _cached = _Cached(version, key, cached.calendar, now)
        return cached.calendar
    calendar = _build(fingerprint, switches)
    _cached = _Cached(version, key, calendar, now)
    return calendar


def day_info(d: dt.date) -> DayInfo:
    """Shortcut for display: whether `d` is a working day and why."""
    return work_calendar().day_info(d)


def calendar_overrides_for_year(year: int) -> list[CalendarOverride]:
    return list(CalendarOverride.objects.filter(date__year=year).order_by("date"))
