"""Quiet hours: "HH:MM-HH:MM" in local time, possibly across midnight. Pure."""

from __future__ import annotations

import datetime as dt


def parse(spec: str | None) -> tuple[dt.time, dt.time] | None:
    """"21:00-07:00" → (21:00, 07:00); "", "-" or None → no quiet hours. Raises ValueError when malformed."""
    spec = (spec or "").strip()
    if spec in ("", "-"):
        return None
    start, end = (dt.time.fromisoformat(part.strip()) for part in spec.split("-", 1))
    return None if start == end else (start, end)


def quiet_until(spec: str | None, local_now: dt.datetime) -> dt.datetime | None:
    """When `local_now` (aware, local) falls inside the window: the end of the window; else None."""
    window = parse(spec)
    if window is None:
        return None
    start, end = window
    t = local_now.timetz().replace(tzinfo=None)
    day = local_now.date()
    if start < end:  # same-day window, e.g. 12:00-13:30
        inside, end_day = start <= t < end, day
    else:  # across midnight, e.g. 21:00-07:00
        inside = t >= start or t < end
        end_day = day + dt.timedelta(days=1) if t >= start else day
    if not inside:
        return None
    return local_now.replace(year=end_day.year, month=end_day.month, day=end_day.day, hour=end.hour,
                             minute=end.minute, second=0, microsecond=0)
