"""Write side of the working-day calendar: every change is transactional and audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from congvu.audit.services import audit_record, model_snapshot
from congvu.workdays.calendar import Override, load_config, parse_date, shipped_config
from congvu.workdays.models import CalendarOverride

_EDITABLE = ("date", "kind", "name", "source", "note", "verified")
SHIPPED_NOTE = "import: workdays/data/calendar_overrides.yaml"


@dataclass(slots=True)
class LoadResult:
    created: list[dt.date] = field(default_factory=list)
    updated: list[dt.date] = field(default_factory=list)
    unchanged: list[dt.date] = field(default_factory=list)
    kept_manual: list[dt.date] = field(default_factory=list)  # edited locally: never overwritten


def _values(o: Override) -> dict[str, Any]:
    return {"kind": o.kind, "name": o.name, "source": o.source, "note": o.note, "verified": o.verified}


@transaction.atomic
def calendar_overrides_load_shipped(*, actor: Any = None, path: str | Path | None = None) -> LoadResult:
    """Import the shipped YAML overrides into the table; safe to run again and again.

    New dates are created; rows that came from an earlier import are updated to the shipped
    values; rows entered or edited by an admin (origin=manual) are left alone.
    """
    config = load_config(path) if path else shipped_config()
    existing = {row.date: row for row in CalendarOverride.objects.select_for_update()}
    result = LoadResult()
    for o in config.overrides:
        row = existing.get(o.date)
        values = _values(o)
        if row is None:
            row = CalendarOverride(date=o.date, origin=CalendarOverride.Origin.SHIPPED, **values)
            row.full_clean()
            row.save()
            audit_record(
                action="create",
                obj=row,
                before=None,
                after=model_snapshot(row),
                actor=actor,
                note=SHIPPED_NOTE,
            )
            result.created.append(o.date)
        elif row.origin != CalendarOverride.Origin.SHIPPED:
            result.kept_manual.append(o.date)
        elif any(getattr(row, k) != v for k, v in values.items()):
            before = model_snapshot(row)
            for k, v in values.items():
                setattr(row, k, v)
            row.full_clean()
            row.save()
            audit_record(
                action="update",
                obj=row,
                before=before,
                after=model_snapshot(row),
                actor=actor,
                note=SHIPPED_NOTE,
            )
            result.updated.append(o.date)
        else:
            result.unchanged.append(o.date)
    return result


def _ensure_seeded(actor: Any) -> None:
    # work_calendar() uses the table as the whole truth once it has a row, so the first manual
    # entry must not silently drop the shipped 2023-2027 schedules: import them first.
    if not CalendarOverride.objects.exists():
        calendar_overrides_load_shipped(actor=actor)


def _get(override: CalendarOverride | int | dt.date | str) -> CalendarOverride:
    if isinstance(override, CalendarOverride):
        return CalendarOverride.objects.select_for_update().get(pk=override.pk)
    if isinstance(override, int):
        return CalendarOverride.objects.select_for_update().get(pk=override)
    return CalendarOverride.objects.select_for_update().get(date=parse_date(override))


@transaction.atomic
def calendar_override_create(
    *,
    actor: Any,
    date: dt.date | str,
    kind: str,
    name: str,
    source: str = "",
    note: str = "",
    verified: bool = False,
) -> CalendarOverride:
    """Add an announced day off / make-up working day. Raises ValidationError (e.g. date taken)."""
    _ensure_seeded(actor)
    row = CalendarOverride(
        date=parse_date(date),
        kind=kind,
        name=name,
        source=source,
        note=note,
        verified=verified,
        origin=CalendarOverride.Origin.MANUAL,
    )
    row.full_clean()
    row.save()
    audit_record(action="create", obj=row, before=None, after=model_snapshot(row), actor=actor)
    return row


@transaction.atomic
def calendar_override_update(
    *, actor: Any, override: CalendarOverride | int | dt.date | str, **changes: Any
) -> CalendarOverride:
    """Change fields among date/kind/name/source/note/verified; the row becomes `manual`."""
    unknown = set(changes) - set(_EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    row = _get(override)
    before = model_snapshot(row)
    if "date" in changes:
        changes["date"] = parse_date(changes["date"])
    for k, v in changes.items():
        setattr(row, k, v)
    row.origin = CalendarOverride.Origin.MANUAL
    row.full_clean()
    row.save()
    audit_record(action="update", obj=row, before=before, after=model_snapshot(row), actor=actor)
    return row


@transaction.atomic
def calendar_override_delete(*, actor: Any, override: CalendarOverride | int | dt.date | str) -> None:
    """Remove an override: the day falls back to the computed rule (weekend / legal holiday)."""
    row = _get(override)
    pk, before = row.pk, model_snapshot(row)
    audit_record(action="delete", obj=row, object_id=pk, before=before, after=None, actor=actor)
    row.delete()
