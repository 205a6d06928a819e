"""Daily roll-ups (`DailyRollup`, `DailyCounter`): what each dossier contributes, the delta writer used
in the dossier's own transaction (one upsert statement), counters other apps add, and the rebuild
from rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from congvu import dbwrite
from congvu.onestop import hooks
from congvu.onestop.models import ROLLUP_COUNTERS, DailyCounter, DailyRollup, Dossier, ProcedureCounter
from congvu.onestop.workflow import State


def _local_date(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()


# ------------------------------------------------------------------------------------------------
# Roll-ups
# ------------------------------------------------------------------------------------------------

Contribution = dict[tuple[dt.date, str], int | Decimal]
_ONLINE_CHANNELS = ("online", "phone")  # KenhThucHien = 2
PROCEDURE_SEP = "@"


def procedure_counter(name: str, procedure_id: int) -> str:
    """The counter name that goes to `ProcedureCounter` (unit × procedure × day/month/year) rather
    than to the unit × day tables: `paid_online@42`."""
    return f"{name}{PROCEDURE_SEP}{procedure_id}"


def counter_buckets(day: dt.date) -> tuple[tuple[str, dt.date], ...]:
    """The three `ProcedureCounter` buckets a day belongs to: itself, its month, its year."""
    return (("d", day), ("m", day.replace(day=1)), ("y", day.replace(month=1, day=1)))


def dossier_counts(d: Dossier) -> bool:
    """Is the dossier in the figures? A guided dossier not yet received, or one refused at the desk
    check (Mẫu 03), never is."""
    return not (d.state == State.GUIDANCE or d.receipt_refused)


def dossier_contributions(d: Dossier, requires_written_result: bool | None = None,
                          online_level: str | None = None) -> Contribution:
    """What one dossier adds to the daily roll-up of its receiving unit (pure given the row and its
    procedure's `requires_written_result` / `online_level`)."""
    out: Contribution = defaultdict(int)
    if not dossier_counts(d):  # never received: not in the figures
        return out
    if requires_written_result is None:
        requires_written_result = d.procedure.requires_written_result
    if online_level is None:
        online_level = d.procedure.online_level
    rd = _local_date(d.received_at)
    out[(rd, "received")] += 1
    out[(rd, f"received_{d.channel}")] += 1
    # distinct procedures with dossiers (766 3.5, 4.5): per unit × procedure
    out[(rd, procedure_counter("received", d.procedure_id))] += 1
    if d.digitized_components and (d.digitized_result or not requires_written_result):
        out[(rd, "digitized")] += 1
    if d.reused_data:
        out[(rd, "reuse")] += 1
    if d.fee_amount and d.fee_amount > 0:
        out[(rd, "fee_bearing")] += 1
        out[(rd, procedure_counter("fee_bearing", d.procedure_id))] += 1
    if online_level == "full":
        out[(rd, "full_online_eligible")] += 1
        if d.channel in _ONLINE_CHANNELS:
            out[(rd, "full_online_online")] += 1
    if d.verdict == "late":
        out[(rd, "late_received")] += 1
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


_COLUMNS = frozenset(ROLLUP_COUNTERS)


_UPSERTS: dict[tuple[str, tuple[str, ...], int], str] = {}


def _upsert_sql(vendor: str, names: tuple[str, ...], rows: int) -> str:
    """`INSERT INTO onestop_dailyrollup … ON CONFLICT (unit_id, day) DO UPDATE SET <names> += …` for
    `rows` rows, built once per shape."""
    key = (vendor, names, rows)
    sql = _UPSERTS.get(key)
    if sql is None:
        qn = connection.ops.quote_name
        table_name = qn(DailyRollup._meta.db_table)
        insert_cols = ["unit_id", "day", *ROLLUP_COUNTERS]
        row_sql = "(" + ", ".join(["%s"] * len(insert_cols)) + ")"
        sets = ", ".join(f"{qn(n)} = {table_name}.{qn(n)} + excluded.{qn(n)}" for n in names)
        sql = (f"INSERT INTO {table_name} ({', '.join(qn(c) for c in insert_cols)}) VALUES "
               f"{', '.join([row_sql] * rows)} ON CONFLICT (unit_id, day) DO UPDATE SET {sets}")
        if rows == 1:  # the shapes of single rows are few; batches are one-offs
            _UPSERTS[key] = sql
    return sql


def rollups_apply(table: Mapping[tuple[int, dt.date], Mapping[str, int | Decimal]], *, batch: int = 500) -> None:
    """Add `{(unit id, day): {counter: change}}` to the counters, in the caller's transaction.

    One `INSERT … ON CONFLICT DO UPDATE SET c = c + excluded.c` statement per batch of rows (PostgreSQL
    and SQLite alike): no read, no savepoint, no lost update under concurrency. Names that are
    `DailyRollup` columns go there; `<name>@<procedure id>` to `ProcedureCounter` (day, month and year
    buckets, one statement); any other name to `DailyCounter`."""
    wide: list[tuple[int, dt.date, dict[str, Any]]] = []
    narrow: list[tuple[int, dt.date, str, Any]] = []
    per_proc: dict[tuple[int, int, str, dt.date, str], Any] = defaultdict(int)
    for (unit_id, day), changes in table.items():
        cols = {}
        for name, value in changes.items():
            if not value:
                continue
            if name in _COLUMNS:
                cols[name] = value
            elif PROCEDURE_SEP in name:
                base, pid = name.rsplit(PROCEDURE_SEP, 1)
                for span, start in counter_buckets(day):
                    per_proc[(unit_id, int(pid), span, start, base)] += value
            else:
                narrow.append((unit_id, day, name, value))
        if cols:
            wide.append((unit_id, day, cols))
    qn = connection.ops.quote_name
    adapt_day = connection.ops.adapt_datefield_value
    # A decrement (a reuse taken back, a result re-recorded) cannot go through the INSERT: the
    # candidate row would break the counters' CHECK (>= 0) before the conflict is seen. Its row
    # exists (the increment made it), so it is a plain UPDATE.
    table_name = qn(DailyRollup._meta.db_table)
    for unit_id, day, cols in [w for w in wide if any(v < 0 for n, v in w[2].items() if n != "payment_amount")]:
        sets = ", ".join(f"{qn(n)} = {qn(n)} + %s" for n in cols)
        dbwrite.execute(f"UPDATE {table_name} SET {sets} WHERE unit_id = %s AND day = %s",
                        [*cols.values(), unit_id, adapt_day(day)])
    wide = [w for w in wide if not any(v < 0 for n, v in w[2].items() if n != "payment_amount")]
    for i in range(0, len(wide), batch):
        chunk = wide[i:i + batch]
        names = tuple(sorted({n for _u, _d, cols in chunk for n in cols}))
        params: list[Any] = []
        for unit_id, day, cols in chunk:
            params += [unit_id, adapt_day(day), *(cols.get(n, 0) for n in ROLLUP_COUNTERS)]
        dbwrite.execute(_upsert_sql(connection.vendor, names, len(chunk)), params,
                        prepare=len(chunk) == 1)  # one dossier's change: the same few statements again and again
    for i in range(0, len(narrow), batch):
        chunk = narrow[i:i + batch]
        table_name = qn(DailyCounter._meta.db_table)
        params = [p for unit_id, day, name, value in chunk for p in (unit_id, adapt_day(day), name, value)]
        dbwrite.execute(f"INSERT INTO {table_name} (unit_id, day, name, value) VALUES "
                        f"{', '.join(['(%s, %s, %s, %s)'] * len(chunk))} ON CONFLICT (unit_id, day, name) "
                        f"DO UPDATE SET value = {table_name}.value + excluded.value", params, prepare=len(chunk) == 1)
    procs = [(k, v) for k, v in per_proc.items() if v]
    for i in range(0, len(procs), batch):
        chunk = procs[i:i + batch]
        table_name = qn(ProcedureCounter._meta.db_table)
        params = [p for (unit_id, pid, span, start, name), value in chunk
                  for p in (unit_id, pid, span, adapt_day(start), name, value)]
        dbwrite.execute(f"INSERT INTO {table_name} (unit_id, procedure_id, span, day, name, value) VALUES "
                        f"{', '.join(['(%s, %s, %s, %s, %s, %s)'] * len(chunk))} "
                        f"ON CONFLICT (unit_id, span, day, name, procedure_id) "
                        f"DO UPDATE SET value = {table_name}.value + excluded.value", params, prepare=len(chunk) == 1)


def _apply_rollup(unit_id: int, before: Contribution, after: Contribution) -> None:
    delta: dict[tuple[int, dt.date], dict[str, Any]] = defaultdict(dict)
    for key in set(before) | set(after):
        change = after.get(key, 0) - before.get(key, 0)
        if change:
            delta[(unit_id, key[0])][key[1]] = change
    if delta:
        rollups_apply(delta)


def rollup_add(*, unit_id: int, day: dt.date, **changes: int | Decimal) -> None:
    """Add to counters of one unit and day outside dossier changes (payments: `payment_count`,
    `payment_amount`, `paid_online`; citizen: ratings, `flagged`, PAKN; portal: `portal_synced`,
    `portal_shared`, `portal_verified`), in the caller's transaction. A name built with
    `procedure_counter(name, procedure id)` goes to the unit × procedure counters."""
    rollups_apply({(unit_id, day): changes})


def dossier_contributions_sql(dossiers) -> dict[tuple[int, dt.date], dict[str, Any]]:
    """`dossier_contributions` summed over a queryset of dossiers by the database: two grouped queries
    (day of receipt, day of finish in local time) instead of reading every row into Python. The
    hypothesis test holds it equal to the live counters."""
    counted = dossiers.exclude(state=State.GUIDANCE).filter(receipt_refused=False)
    on = Q(channel__in=_ONLINE_CHANNELS)
    received = {
        "received": Count("id"),
        **{f"received_{ch}": Count("id", filter=Q(channel=ch)) for ch in ("in_person", "online", "postal", "phone")},
        "digitized": Count("id", filter=Q(digitized_components=True)
                           & (Q(digitized_result=True) | Q(procedure__requires_written_result=False))),
        "reuse": Count("id", filter=Q(reused_data=True)),
        "fee_bearing": Count("id", filter=Q(fee_amount__gt=0)),
        "full_online_eligible": Count("id", filter=Q(procedure__online_level="full")),
        "full_online_online": Count("id", filter=Q(procedure__online_level="full") & on),
        "late_received": Count("id", filter=Q(verdict="late")),
    }
    finished = {
        "finished": Count("id"),
        **{v: Count("id", filter=Q(verdict=v)) for v in ("early", "on_time", "late")},
        **{str(st): Count("id", filter=Q(state=st)) for st in (State.STOPPED, State.WITHDRAWN, State.REFUSED)},
        "e_results": Count("id", filter=Q(e_result=True)),
        "processing_seconds": Coalesce(Sum("processing_seconds"), 0),
    }
    out: dict[tuple[int, dt.date], dict[str, Any]] = defaultdict(dict)
    for field, qs, counters in (("received_at", counted, received),
                                ("finished_at", counted.filter(finished_at__isnull=False), finished)):
        rows = qs.annotate(day=TruncDate(field)).values("unit_id", "day").annotate(**counters).order_by()
        for row in rows:
            values = out[(row["unit_id"], row["day"])]
            for name in counters:
                if row[name]:
                    values[name] = values.get(name, 0) + row[name]
    # per unit × procedure × day of receipt (distinct-procedure figures)
    per_proc = {"received": Count("id"), "fee_bearing": Count("id", filter=Q(fee_amount__gt=0))}
    rows = (counted.annotate(day=TruncDate("received_at")).values("unit_id", "procedure_id", "day")
            .annotate(**per_proc).order_by())
    for row in rows:
        values = out[(row["unit_id"], row["day"])]
        for name in per_proc:
            if row[name]:
                key = procedure_counter(name, row["procedure_id"])
                values[key] = values.get(key, 0) + row[name]
    return dict(out)


def onestop_rollups_rebuild(*, unit_ids: Iterable[int] | None = None, batch_size: int = 5000) -> int:
    """Recompute every counter (`DailyRollup`, `DailyCounter`, `ProcedureCounter`) from the rows: the
    dossiers, and what the roll-up contributors of other apps (payments, citizen, portal) compute from
    theirs. Returns rows written."""
    with transaction.atomic():
        rollups, counters, dossiers = DailyRollup.objects.all(), DailyCounter.objects.all(), Dossier.objects.all()
        procs = ProcedureCounter.objects.all()
        if unit_ids is not None:
            unit_ids = list(unit_ids)
            rollups, counters = rollups.filter(unit_id__in=unit_ids), counters.filter(unit_id__in=unit_ids)
            procs = procs.filter(unit_id__in=unit_ids)
            dossiers = dossiers.filter(unit_id__in=unit_ids)
        rollups.delete()
        counters.delete()
        procs.delete()
        table: dict[tuple[int, dt.date], dict[str, Any]] = defaultdict(lambda: defaultdict(int))
        for key, values in dossier_contributions_sql(dossiers).items():
            for name, value in values.items():
                table[key][name] += value
        # Counters owned by other apps (payments, ratings, PAKN) come from their own rows.
        for contributions in hooks.rollup_contributors():
            for key, values in contributions(unit_ids=unit_ids).items():
                for name, value in values.items():
                    table[key][name] += value
        rows = [DailyRollup(unit_id=u, day=day, **{n: v for n, v in values.items() if n in _COLUMNS})
                for (u, day), values in table.items() if any(values.get(n) for n in _COLUMNS)]
        DailyRollup.objects.bulk_create(rows, batch_size=batch_size)
        extra = [DailyCounter(unit_id=u, day=day, name=n, value=v)
                 for (u, day), values in table.items() for n, v in values.items()
                 if n not in _COLUMNS and PROCEDURE_SEP not in n and v]
        DailyCounter.objects.bulk_create(extra, batch_size=batch_size)
        buckets: dict[tuple[int, int, str, dt.date, str], Any] = defaultdict(int)
        for (u, day), values in table.items():
            for n, v in values.items():
                if PROCEDURE_SEP in n and v:
                    base, pid = n.rsplit(PROCEDURE_SEP, 1)
                    for span, start in counter_buckets(day):
                        buckets[(u, int(pid), span, start, base)] += v
        per_proc = [ProcedureCounter(unit_id=u, procedure_id=pid, span=span, day=start, name=n, value=v)
                    for (u, pid, span, start, n), v in buckets.items() if v]
        ProcedureCounter.objects.bulk_create(per_proc, batch_size=batch_size)
    return len(rows) + len(extra) + len(per_proc)


def counters_snapshot(*, unit_ids: Iterable[int] | None = None) -> dict[tuple[int, dt.date, str], int | Decimal]:
    """Every non-zero counter as {(unit id, day, name): value}: what rebuild must reproduce."""
    rollups, counters = DailyRollup.objects.all(), DailyCounter.objects.all()
    if unit_ids is not None:
        unit_ids = list(unit_ids)
        rollups, counters = rollups.filter(unit_id__in=unit_ids), counters.filter(unit_id__in=unit_ids)
    out: dict[tuple[int, dt.date, str], int | Decimal] = {}
    for row in rollups.values("unit_id", "day", *ROLLUP_COUNTERS):
        for name in ROLLUP_COUNTERS:
            if row[name]:
                out[(row["unit_id"], row["day"], name)] = row[name]
    for unit_id, day, name, value in counters.values_list("unit_id", "day", "name", "value"):
        if value:
            out[(unit_id, day, name)] = value
    procs = ProcedureCounter.objects.all()
    if unit_ids is not None:
        procs = procs.filter(unit_id__in=unit_ids)
    for unit_id, pid, span, day, name, value in procs.values_list("unit_id", "procedure_id", "span", "day", "name",
                                                                  "value"):
        if value:  # "paid_online@42/m" on the month's first day
            out[(unit_id, day, f"{procedure_counter(name, pid)}/{span}")] = value
    return out
