"""PostgreSQL COPY text format for the benches that seed by COPY (not a bench: `make bench` runs bench_*.py)."""

from __future__ import annotations

import datetime as dt
import json


def copy_text(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if hasattr(value, "obj"):  # psycopg's Jsonb wrapper of a JSONField value
        value = json.dumps(value.obj)
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
