"""Daily roll-ups (`DailyRollup`): what each dossier contributes, the delta writer used in the
dossier's own transaction, counters other apps add, and the rebuild from rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from congvu.onestop import hooks
from congvu.onestop.models import DailyRollup, Dossier, Procedure
from congvu.onestop.workflow import State


def _local_date(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()


# ------------------------------------------------------------------------------------------------
# Roll-ups
# ------------------------------------------------------------------------------------------------

Contribution = dict[tuple[dt.date, str], int | Decimal]


def dossier_contributions(d: Dossier, requires_written_result: bool | None = None) -> Contribution:
    """What one dossier adds to the daily roll-up of its receiving unit (pure given the row)."""
    out: Contribution = defaultdict(int)
    if d.state == State.GUIDANCE or d.receipt_refused:  # never received: not in the figures
        return out
    if requires_written_result is None:
        requires_written_result = d.procedure.requires_written_result
    rd = _local_date(d.received_at)
    out[(rd, "received")] += 1
    out[(rd, f"received_{d.channel}")] += 1
    if d.digitized_components and (d.digitized_result or not requires_written_result):
        out[(rd, "digitized")] += 1
    if d.reused_data:
        out[(rd, "reuse")] += 1
    if d.finished_at is not None:
        fd = _local_date(d.finished_at)
        out[(fd, "finished")] += 1
        if d.verdict in ("early", "on_time", "late"):
            out[(fd, d.verdict)] += 1
        if d.state in (State.STOPPED, State.WITHDRAWN, State.REFUSED):
            out[(fd, d.state)] += 1
        if d.e_result:
            out[(fd, "e_results")] += 1
        out[(fd, "processing_seconds")] += d.processing_seconds or 0
    return out


def _apply_rollup(unit_id: int, before: Contribution, after: Contribution) -> None:
    delta: dict[dt.date, dict[str, Any]] = defaultdict(dict)
    for key in set(before) | set(after):
        change = after.get(key, 0) - before.get(key, 0)
        if change:
            delta[key[0]][key[1]] = change
    if not delta:
        return
    DailyRollup.objects.bulk_create([DailyRollup(unit_id=unit_id, day=day) for day in delta], ignore_conflicts=True)
    for day, changes in delta.items():
        DailyRollup.objects.filter(unit_id=unit_id, day=day).update(
            **{name: F(name) + value for name, value in changes.items()}
        )


def rollup_add(*, unit_id: int, day: dt.date, **changes: int | Decimal) -> None:
    """Add to counters of one unit and day outside dossier changes (payments: `payment_count`,
    `payment_amount`), in the caller's transaction."""
    _apply_rollup(unit_id, {}, {(day, name): value for name, value in changes.items() if value})


def onestop_rollups_rebuild(*, unit_ids: Iterable[int] | None = None, batch_size: int = 5000) -> int:
    """Recompute the daily roll-ups from the dossier rows (after bulk loads or repairs). Returns rows written."""
    with transaction.atomic():
        rollups = DailyRollup.objects.all()
        dossiers = Dossier.objects.all()
        if unit_ids is not None:
            unit_ids = list(unit_ids)
            rollups, dossiers = rollups.filter(unit_id__in=unit_ids), dossiers.filter(unit_id__in=unit_ids)
        rollups.delete()
        needs_result = dict(Procedure.objects.values_list("pk", "requires_written_result"))
        table: dict[tuple[int, dt.date], dict[str, Any]] = defaultdict(lambda: defaultdict(int))
        for d in dossiers.only(
            "unit_id", "procedure_id", "state", "channel", "received_at", "finished_at", "verdict", "e_result",
            "digitized_components", "digitized_result", "reused_data", "processing_seconds", "receipt_refused",
        ).iterator(chunk_size=batch_size):
            for (day, name), value in dossier_contributions(d, needs_result[d.procedure_id]).items():
                table[(d.unit_id, day)][name] += value
        # Counters owned by other apps (payments, ratings) come from their own rows.
        for contributions in hooks.rollup_contributors():
            for key, counters in contributions(unit_ids=unit_ids).items():
                for name, value in counters.items():
                    table[key][name] += value
        rows = [DailyRollup(unit_id=u, day=day, **counters) for (u, day), counters in table.items()]
        DailyRollup.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)
