"""The portal's counters (766 leaves 1.4, 4.4, 4.5), kept in the transaction of the change that first
makes each fact true, through onestop's counter API (`rollup_add` / `rollups_apply`):

| counter (unit × day of receipt) | bumped once per dossier when |
|---|---|
| `portal_synced` | the portal first acknowledges the dossier's receipt record (`SyncDossier.synced_at`) |
| `portal_shared` | the portal first acknowledges a record carrying the e-result link (`SyncDossier.shared_at`) |
| `portal_verified`, `portal_verified@<procedure>` | the applicant is first verified (`IdentityCheck.verified_at`) |

The markers are set by a conditional UPDATE (`… WHERE synced_at IS NULL RETURNING dossier_id`): of two
transactions acknowledging the same dossier, only the one that sets the marker bumps the counter.
A marker is never cleared (a record requeued by reconciliation had been acknowledged; a later failed
recheck does not undo a verification), so the rebuild counts the markers
(`portal_rollup_contributions`, registered as a onestop roll-up contributor)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from congvu.onestop.models import Dossier
from congvu.onestop.services import dossier_counts, procedure_counter, rollup_add, rollups_apply
from congvu.portal.models import IdentityCheck, IdentityState, SyncDossier, SyncState


def _day(at: dt.datetime) -> dt.date:
    return timezone.localtime(at).date() if timezone.is_aware(at) else at.date()


def _mark_first(field: str, dossier_ids: Iterable[int], at: dt.datetime) -> list[int]:
    """Set `SyncDossier.<field>` where it is still empty; the dossiers whose marker this statement set."""
    ids = sorted(set(dossier_ids))
    if not ids:
        return []
    qn = connection.ops.quote_name
    table = qn(SyncDossier._meta.db_table)
    done: list[int] = []
    with connection.cursor() as cur:
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            cur.execute(f"UPDATE {table} SET {qn(field)} = %s WHERE {qn(field)} IS NULL AND dossier_id IN "
                        f"({', '.join(['%s'] * len(chunk))}) RETURNING dossier_id",
                        [connection.ops.adapt_datetimefield_value(at), *chunk])
            done += [r[0] for r in cur.fetchall()]
    return done


def sync_acknowledged_count(records, at: dt.datetime) -> dict[str, int]:
    """After records were marked acknowledged (in the same transaction): the dossiers whose receipt
    record, or a record sharing to the citizen's store, is acknowledged for the first time add 1 to
    `portal_synced` / `portal_shared` on their unit and day of receipt. `records`: a SyncRecord queryset
    (the ones just updated; already-acknowledged ones are harmless)."""
    rows = list(records.filter(state=SyncState.ACKNOWLEDGED).filter(Q(kind="receive") | Q(shares_to_store=True))
                .values_list("dossier_id", "kind", "shares_to_store"))
    synced = _mark_first("synced_at", [d for d, kind, _s in rows if kind == "receive"], at)
    shared = _mark_first("shared_at", [d for d, _k, share in rows if share], at)
    if not synced and not shared:
        return {"synced": 0, "shared": 0}
    table: dict[tuple[int, dt.date], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    new_synced, new_shared = set(synced), set(shared)
    for d in Dossier.objects.filter(pk__in=new_synced | new_shared).only("id", "unit_id", "received_at", "state",
                                                                          "receipt_refused"):
        if not dossier_counts(d):
            continue
        key = (d.unit_id, _day(d.received_at))
        if d.pk in new_synced:
            table[key]["portal_synced"] += 1
        if d.pk in new_shared:
            table[key]["portal_shared"] += 1
    rollups_apply(table)
    return {"synced": len(synced), "shared": len(shared)}


def identity_verified_count(row: IdentityCheck, d: Dossier, at: dt.datetime | None = None) -> bool:
    """Call with `row` locked (or new) and about to be saved: the first verification of the dossier's
    applicant sets `verified_at` and adds 1 to `portal_verified` (and per procedure) on the dossier's
    unit and day of receipt. True when it counted."""
    if row.state != IdentityState.VERIFIED or row.verified_at is not None:
        return False
    row.verified_at = at or timezone.now()
    if not dossier_counts(d):
        return False
    rollup_add(unit_id=d.unit_id, day=_day(d.received_at), portal_verified=1,
               **{procedure_counter("portal_verified", d.procedure_id): 1})
    return True


def portal_rollup_contributions(*, unit_ids: Iterable[int] | None = None) -> dict[tuple[int, dt.date], dict[str, Any]]:
    """The portal's counters recomputed from the markers (for `congvu onestop rebuild-rollups`):
    grouped by the dossier's unit and local day of receipt, received dossiers only."""
    out: dict[tuple[int, dt.date], dict[str, Any]] = defaultdict(dict)
    counted = Q(dossier__receipt_refused=False) & ~Q(dossier__state="guidance")
    syncs = SyncDossier.objects.filter(counted).filter(Q(synced_at__isnull=False) | Q(shared_at__isnull=False))
    checks = IdentityCheck.objects.filter(counted, verified_at__isnull=False)
    if unit_ids is not None:
        unit_ids = list(unit_ids)
        syncs, checks = syncs.filter(dossier__unit_id__in=unit_ids), checks.filter(dossier__unit_id__in=unit_ids)
    rows = (syncs.annotate(day=TruncDate("dossier__received_at")).values("dossier__unit_id", "day")
            .annotate(synced=Count("id", filter=Q(synced_at__isnull=False)),
                      shared=Count("id", filter=Q(shared_at__isnull=False))).order_by())
    for r in rows:
        values = out[(r["dossier__unit_id"], r["day"])]
        for name, n in (("portal_synced", r["synced"]), ("portal_shared", r["shared"])):
            if n:
                values[name] = values.get(name, 0) + n
    rows = (checks.annotate(day=TruncDate("dossier__received_at"))
            .values("dossier__unit_id", "day", "dossier__procedure_id").annotate(n=Count("id")).order_by())
    for r in rows:
        values = out[(r["dossier__unit_id"], r["day"])]
        values["portal_verified"] = values.get("portal_verified", 0) + r["n"]
        key = procedure_counter("portal_verified", r["dossier__procedure_id"])
        values[key] = values.get(key, 0) + r["n"]
    return dict(out)


__all__ = ["identity_verified_count", "portal_rollup_contributions", "sync_acknowledged_count"]
