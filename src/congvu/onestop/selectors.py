"""Reads of the one-stop app: live figures from the daily roll-ups, and the same figures recomputed
from dossier rows (to check the roll-ups, and for the bench)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from congvu.common.text import search_key
from congvu.onestop import hooks
from congvu.onestop.models import ROLLUP_COUNTERS, DailyCounter, DailyRollup, Dossier, ProcedureCounter
from congvu.onestop.workflow import OPEN_STATES, State
from congvu.org.models import Unit
from congvu.org.selectors import unit_rollup_ids

_OPEN = [s.value for s in OPEN_STATES]
_COLUMN_SET = frozenset(ROLLUP_COUNTERS)


def _pct(num: int | float, den: int | float) -> float:
    """Percentage rounded to 2 decimals; 0 when the denominator is 0 (766 display convention)."""
    return round(100.0 * num / den, 2) if den else 0.0


def _period_end(date_to: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time()))


def rollup_sums(*, unit_ids: Iterable[int], date_from: dt.date, date_to: dt.date, names: Iterable[str],
                by_unit: bool = False) -> dict[Any, dict[str, Any]]:
    """Sums of counters over the days of the period: `{unit id: {name: value}}` with `by_unit`, else
    `{None: {name: value}}`; `DailyRollup` columns and `DailyCounter` names alike (one grouped query
    each), missing ones are 0. What other apps' figures read instead of scanning rows."""
    unit_ids, names = list(unit_ids), list(names)
    cols = [n for n in names if n in _COLUMN_SET]
    other = [n for n in names if n not in _COLUMN_SET]
    out: dict[Any, dict[str, Any]] = defaultdict(lambda: dict.fromkeys(names, 0))
    if cols:
        qs = DailyRollup.objects.filter(unit_id__in=unit_ids, day__gte=date_from, day__lte=date_to)
        if by_unit:
            for row in qs.values("unit_id").annotate(**{n: Sum(n) for n in cols}):
                out[row["unit_id"]].update({n: row[n] or 0 for n in cols})
        else:
            out[None].update({n: v or 0 for n, v in qs.aggregate(**{n: Sum(n) for n in cols}).items()})
    if other:
        qs = (DailyCounter.objects.filter(unit_id__in=unit_ids, day__gte=date_from, day__lte=date_to, name__in=other)
              .values("unit_id" if by_unit else "name", "name").annotate(total=Sum("value")))
        for row in qs:
            out[row["unit_id"] if by_unit else None][row["name"]] = row["total"] or 0
    if not by_unit:
        out[None]  # noqa: B018 - the totals exist even when nothing was counted
    return dict(out)


def period_buckets(date_from: dt.date, date_to: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """The fewest `ProcedureCounter` buckets that cover [date_from, date_to] exactly: whole years, then
    whole months, then single days, as `(span, first bucket start, last bucket start)` runs."""
    out: list[tuple[str, dt.date, dt.date]] = []

    def add(span: str, start: dt.date) -> None:
        if out and out[-1][0] == span and _next(span, out[-1][2]) == start:
            out[-1] = (span, out[-1][1], start)
        else:
            out.append((span, start, start))

    d = date_from
    while d <= date_to:
        if d.month == 1 and d.day == 1 and dt.date(d.year, 12, 31) <= date_to:
            add("y", d)
        elif d.day == 1 and _next("m", d) - dt.timedelta(days=1) <= date_to:
            add("m", d)
        else:
            add("d", d)
        d = _next(out[-1][0], d)
    return out


def _next(span: str, start: dt.date) -> dt.date:
    if span == "y":
        return start.replace(year=start.year + 1)
    if span == "m":
        return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return start + dt.timedelta(days=1)


def procedure_sets(*, unit_ids: Iterable[int], date_from: dt.date, date_to: dt.date, names: Iterable[str],
                   citizen_facing: bool | None = None) -> dict[int, dict[str, set[int]]]:
    """`{unit id: {name: {procedure ids whose counter is > 0 over the period}}}` from `ProcedureCounter`
    (the distinct-procedure figures: 766 3.5 and 4.5). A year reads one row per unit × procedure ×
    name (whole years, months and days are read from their own buckets). `citizen_facing` filters on the
    procedure as it is now."""
    unit_ids, names = list(unit_ids), list(names)
    cover = Q()
    for span, first, last in period_buckets(date_from, date_to):
        cover |= Q(span=span, day__gte=first, day__lte=last)
    qs = ProcedureCounter.objects.filter(cover, unit_id__in=unit_ids, name__in=names)
    if citizen_facing is not None:
        qs = qs.filter(procedure__citizen_facing=citizen_facing)
    out: dict[int, dict[str, set[int]]] = defaultdict(lambda: {n: set() for n in names})
    rows = qs.values("unit_id", "name", "procedure_id").annotate(total=Sum("value")).filter(total__gt=0).order_by()
    for row in rows.values_list("unit_id", "name", "procedure_id"):
        out[row[0]][row[1]].add(row[2])
    return dict(out)


def procedure_share(sets: Mapping[int, Mapping[str, set[int]]], unit_ids: Iterable[int], *, base: str,
                    part: str) -> tuple[int, int]:
    """(procedures counted in `part` and in `base`, procedures in `base`) over a group of units, from
    `procedure_sets`: distinct procedures, so a procedure of two units counts once."""
    whole: set[int] = set()
    some: set[int] = set()
    for uid in unit_ids:
        if uid in sets:
            whole |= sets[uid][base]
            some |= sets[uid][part]
    return len(some & whole), len(whole)


def open_counts(*, unit_ids: Iterable[int], received_before: dt.datetime, as_of: dt.datetime,
                received_from: dt.datetime | None = None, by_unit: bool = False) -> dict[Any, dict[str, int]]:
    """`{unit id or None: {"in_progress", "overdue"}}` among the dossiers open now, received before
    `received_before` (and from `received_from`), overdue = past the promised date at `as_of`, a dossier
    waiting for its supplement being paused (§1.3). Answered from the partial index
    onestop_dossier_open_part_idx (open dossiers only: unit, state, due date, receipt date) without
    reading the table."""
    qs = Dossier.objects.filter(unit_id__in=list(unit_ids), state__in=_OPEN, received_at__lt=received_before)
    if received_from is not None:
        qs = qs.filter(received_at__gte=received_from)
    # COUNT(unit_id) (never null), not COUNT(id): the id is not in the index, and naming it forces a heap
    # read per row (Django refuses COUNT(*) with a FILTER clause).
    counts = {"in_progress": Count("unit"),
              "overdue": Count("unit", filter=Q(due_at__lt=as_of) & ~Q(state=State.SUPPLEMENT_REQUESTED))}
    if not by_unit:
        return {None: qs.aggregate(**counts)}
    return {r["unit_id"]: {"in_progress": r["in_progress"], "overdue": r["overdue"]}
            for r in qs.values("unit_id").annotate(**counts)}


def _open_figures(ids: set[int], date_to: dt.date, now: dt.datetime | None) -> tuple[int, int]:
    """(in_progress, overdue) among dossiers open now and received up to `date_to`.

    Overdue = open after the promised return, judged at min(now, end of the period); a dossier
    waiting for its supplement is paused, so it is never overdue (§1.3)."""
    end = _period_end(date_to)
    agg = open_counts(unit_ids=ids, received_before=end, as_of=min(now or timezone.now(), end))[None]
    return agg["in_progress"], agg["overdue"]


def _figures(unit: Unit, date_from: dt.date, date_to: dt.date, c: dict[str, Any], in_progress: int,
             overdue: int) -> dict[str, Any]:
    received = c["received"]
    online = c["received_online"] + c["received_phone"]  # KenhThucHien = 2
    judged = c["early"] + c["on_time"] + c["late"] + in_progress
    in_time = c["early"] + c["on_time"] + in_progress - overdue
    return {
        "unit": unit.name,
        "unit_code": unit.code,
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
        "received": received,
        "in_person": c["received_in_person"],
        "online": online,
        "online_rate": _pct(online, received),
        "postal": c["received_postal"],
        "phone": c["received_phone"],
        "finished": c["finished"],
        "early": c["early"],
        "on_time": c["on_time"],
        "on_time_rate": _pct(in_time, judged),
        "late": c["late"],
        "late_rate": _pct(c["late"], received),
        "in_progress": in_progress,
        "overdue": overdue,
        "overdue_rate": _pct(overdue, received),
        "stopped": c["stopped"],
        "withdrawn": c["withdrawn"],
        "refused": c["refused"],
        "digitized": c["digitized"],
        "digitized_rate": _pct(c["digitized"], received),
        "e_results": c["e_results"],
        "e_result_rate": _pct(c["e_results"], c["finished"]),
        "reuse": c["reuse"],
        "reuse_rate": _pct(c["reuse"], received),
        "avg_processing_hours": round(c["processing_seconds"] / c["finished"] / 3600, 2) if c["finished"] else 0.0,
        "payment_count": c["payment_count"],
        "payment_amount": int(c["payment_amount"] or 0),
        "rating_count": c["rating_count"],
        "rating_satisfied": c["rating_satisfied"],
        "rating_dissatisfied": c["rating_dissatisfied"],
    }


def onestop_stats(*, unit: Unit, date_from: dt.date, date_to: dt.date, now: dt.datetime | None = None) -> dict[str, Any]:
    """Live figures of `unit` (its subtree and, through lineage, its predecessors) from the roll-ups."""
    ids = unit_rollup_ids(unit=unit)
    agg = DailyRollup.objects.filter(unit_id__in=ids, day__gte=date_from, day__lte=date_to).aggregate(
        **{name: Sum(name) for name in ROLLUP_COUNTERS}
    )
    counters = {k: (v or 0) for k, v in agg.items()}
    figures = _figures(unit, date_from, date_to, counters, *_open_figures(ids, date_to, now))
    return _with_extensions(figures, ids, date_from, date_to, now)


def _with_extensions(figures: dict[str, Any], ids, date_from: dt.date, date_to: dt.date,
                     now: dt.datetime | None, from_rows: bool = False) -> dict[str, Any]:
    """Merge the figures other apps compute (satisfaction, PAKN), registered in `onestop.hooks`."""
    for extension in hooks.stats_extensions(from_rows=from_rows):
        extra = extension(ids, date_from, date_to, now=now)
        figures.update({k: v for k, v in extra.items() if k not in figures})
    return figures


def onestop_stats_from_rows(*, unit: Unit, date_from: dt.date, date_to: dt.date,
                            now: dt.datetime | None = None) -> dict[str, Any]:
    """The same figures computed directly from dossier rows (independent of the roll-ups)."""
    ids = unit_rollup_ids(unit=unit)
    base = Dossier.objects.filter(unit_id__in=ids, receipt_refused=False).exclude(state=State.GUIDANCE)
    rec = base.filter(received_at__date__gte=date_from, received_at__date__lte=date_to).aggregate(
        received=Count("id"),
        **{f"received_{ch}": Count("id", filter=Q(channel=ch)) for ch in ("in_person", "online", "postal", "phone")},
        digitized=Count("id", filter=Q(digitized_components=True)
                        & (Q(digitized_result=True) | Q(procedure__requires_written_result=False))),
        reuse=Count("id", filter=Q(reused_data=True)),
    )
    fin = base.filter(finished_at__date__gte=date_from, finished_at__date__lte=date_to).aggregate(
        finished=Count("id"),
        early=Count("id", filter=Q(verdict="early")),
        on_time=Count("id", filter=Q(verdict="on_time")),
        late=Count("id", filter=Q(verdict="late")),
        stopped=Count("id", filter=Q(state=State.STOPPED)),
        withdrawn=Count("id", filter=Q(state=State.WITHDRAWN)),
        refused=Count("id", filter=Q(state=State.REFUSED)),
        e_results=Count("id", filter=Q(e_result=True)),
        processing_seconds=Sum("processing_seconds"),
    )
    counters = {**rec, **fin}
    counters["processing_seconds"] = counters["processing_seconds"] or 0
    for name in ("payment_count", "rating_count", "rating_satisfied", "rating_dissatisfied"):
        counters[name] = 0
    counters["payment_amount"] = Decimal(0)
    # Counters other apps own (payments, ratings), from their own rows (onestop.hooks).
    for contributions in hooks.rollup_contributors():
        for (_unit, day), values in contributions(unit_ids=ids).items():
            if date_from <= day <= date_to:
                for name, value in values.items():
                    counters[name] = counters.get(name, 0) + value
    figures = _figures(unit, date_from, date_to, counters, *_open_figures(ids, date_to, now))
    return _with_extensions(figures, ids, date_from, date_to, now, from_rows=True)


def unit_find(query: str) -> Unit:
    """Kept for callers not yet moved: `congvu.org.selectors.unit_resolve` (code, name, alias, name
    without "Xã/Huyện…", unique partial name; candidates listed otherwise)."""
    from congvu.org.selectors import unit_resolve

    return unit_resolve(query)


def dossier_search(*, query: str, unit_ids: set[int] | None = None, limit: int = 50):
    qs = Dossier.objects.select_related("procedure", "unit")
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    q = query.strip()
    if q and Dossier.objects.filter(code=q).exists():
        return qs.filter(code=q)
    for word in search_key(q).split():
        qs = qs.filter(search_key__contains=word)
    return qs[:limit]


# ------------------------------------------------------------------------------------------------
# Desk screens: queue tabs, search, "my steps", timeliness badge, monthly figures
# ------------------------------------------------------------------------------------------------

QUEUE_TABS = ("to_receive", "in_process", "supplement", "to_return", "due_soon", "overdue", "finished")
_ACTIVE_NOT_PAUSED = [State.RECEIVED.value, State.TRANSFERRED.value, State.PROCESSING.value]


def _due_soon_until(now: dt.datetime, working_days: int) -> dt.datetime:
    """End (exclusive) of the `working_days`-th working day from today, local time."""
    from congvu.workdays.selectors import work_calendar

    today = timezone.localtime(now).date()
    last = work_calendar().add_working_days(today, working_days) if working_days > 0 else today
    return _period_end(last)


def dossier_queue(*, qs, tab: str, now: dt.datetime | None = None, due_soon_days: int | None = None):
    """One tab of the desk queue over `qs` (already scoped).

    A dossier waiting for its supplement is paused: it is neither due soon nor overdue (§1.3)."""
    from django.conf import settings

    now = now or timezone.now()
    days = settings.CONGVU_DUE_SOON_WORKING_DAYS if due_soon_days is None else due_soon_days
    if tab == "to_receive":
        return qs.filter(state=State.GUIDANCE).order_by("submitted_at", "received_at", "id")
    if tab == "in_process":
        return qs.filter(state__in=_OPEN).order_by("due_at", "id")
    if tab == "supplement":
        return qs.filter(state=State.SUPPLEMENT_REQUESTED).order_by("due_at", "id")
    if tab == "to_return":
        return qs.filter(state=State.RESULT_READY).order_by("finished_at", "id")
    if tab == "due_soon":
        return qs.filter(state__in=_ACTIVE_NOT_PAUSED, due_at__gte=now,
                         due_at__lt=_due_soon_until(now, days)).order_by("due_at", "id")
    if tab == "overdue":
        return qs.filter(state__in=_ACTIVE_NOT_PAUSED, due_at__lt=now).order_by("due_at", "id")
    if tab == "finished":
        return qs.exclude(state__in=[*_OPEN, State.GUIDANCE.value, State.RESULT_READY.value]).order_by(
            "-finished_at", "-id")
    raise ValueError(tab)


def dossier_queue_counts(*, qs, now: dt.datetime | None = None, due_soon_days: int | None = None) -> dict[str, int]:
    return {tab: dossier_queue(qs=qs, tab=tab, now=now, due_soon_days=due_soon_days).count()
            for tab in QUEUE_TABS if tab != "finished"}


def dossier_find(*, qs, query: str):
    """Search by code (or part of it), applicant name (accent-insensitive), phone or ID number."""
    q = query.strip()
    if not q:
        return qs
    words = search_key(q).split()
    cond = Q(code__icontains=q)
    if words:
        by_key = Q()
        for word in words:
            by_key &= Q(search_key__contains=word)
        cond |= by_key
    return qs.filter(cond)


def dossiers_at_my_steps(*, qs, unit_ids):
    """Open dossiers whose current step is the responsibility of one of `unit_ids`."""
    return (qs.filter(state__in=[State.TRANSFERRED, State.PROCESSING], current_step__responsible_unit_id__in=unit_ids)
            .select_related("current_step", "current_step__responsible_unit").order_by("due_at", "id"))


TIMELINESS_LABELS = {
    "early": "Trước hạn", "on_time": "Đúng hạn", "late": "Trễ hạn", "overdue": "Quá hạn", "paused": "Tạm dừng",
    "pending": "Trong hạn", "none": "—",
}


def dossier_timeliness(d: Dossier, now: dt.datetime | None = None) -> str:
    """Badge key: the stored verdict once finished, else overdue / paused / pending as of `now`."""
    if d.verdict:
        return d.verdict
    if d.state == State.SUPPLEMENT_REQUESTED:
        return "paused"
    if d.state in _ACTIVE_NOT_PAUSED:
        return "overdue" if d.due_at < (now or timezone.now()) else "pending"
    return "none"


def onestop_monthly(*, unit: Unit, date_from: dt.date, date_to: dt.date) -> list[dict[str, Any]]:
    """Received / finished / late per calendar month from the roll-ups (every month of the period)."""
    ids = unit_rollup_ids(unit=unit)
    totals: dict[tuple[int, int], dict[str, int]] = {}
    rows = (DailyRollup.objects.filter(unit_id__in=ids, day__gte=date_from, day__lte=date_to)
            .values_list("day", "received", "received_online", "received_phone", "finished", "late"))
    for day, received, online, phone, finished, late in rows:
        t = totals.setdefault((day.year, day.month), {"received": 0, "online": 0, "finished": 0, "late": 0})
        t["received"] += received
        t["online"] += online + phone
        t["finished"] += finished
        t["late"] += late
    out = []
    year, month = date_from.year, date_from.month
    while (year, month) <= (date_to.year, date_to.month):
        t = totals.get((year, month), {"received": 0, "online": 0, "finished": 0, "late": 0})
        out.append({"month": f"{month:02d}/{year}", **t})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def procedures_for_desk(*, query: str = "", day: dt.date | None = None, limit: int = 200):
    """Procedures in force on `day` (default today), filtered by code or name without accents."""
    from congvu.onestop.models import Procedure

    day = day or timezone.localdate()
    qs = Procedure.objects.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day)).order_by("code")
    q = query.strip()
    if q:
        cond = Q()
        for word in search_key(q).split():
            cond &= Q(search_key__contains=word)
        qs = qs.filter(cond | Q(code__istartswith=q))
    return qs[:limit]


# ------------------------------------------------------------------------------------------------
# Reuse of digitised data
# ------------------------------------------------------------------------------------------------


def _digits(value: str | None) -> str:
    return "".join(ch for ch in (value or "") if ch.isdigit())


def same_citizen_dossiers(*, id_number: str = "", name: str = "", phone: str = ""):
    """Received dossiers of the same citizen: by ID number when it matches any dossier, else by the
    exact accent-insensitive name and the same phone (dossiers with another ID number excluded)."""
    base = Dossier.objects.exclude(state=State.GUIDANCE).exclude(receipt_refused=True)
    id_number = "".join((id_number or "").split())
    if id_number:
        by_id = base.filter(applicant_id_number=id_number)
        if by_id.exists():
            return by_id
    key, digits = search_key(name), _digits(phone)
    if not key or not digits:
        return base.none()
    candidates = base.filter(search_key__startswith=key)
    if id_number:
        candidates = candidates.filter(Q(applicant_id_number="") | Q(applicant_id_number=id_number))
    ids = [pk for pk, n, p in candidates.values_list("pk", "applicant_name", "applicant_phone")
           if search_key(n) == key and _digits(p) == digits]
    return base.filter(pk__in=ids)


def reusable_results_for(*, id_number: str = "", name: str = "", phone: str = "",
                         exclude_dossier: Dossier | None = None) -> list[dict[str, Any]]:
    """Earlier digitised components and result files of the same citizen (`same_citizen_dossiers`),
    newest first. `key` is what a form posts: `c:<component row id>` or `r:<dossier id>`."""
    from congvu.onestop.models import DossierComponent, DossierResultFile

    same = same_citizen_dossiers(id_number=id_number, name=name, phone=phone)
    if exclude_dossier is not None:
        same = same.exclude(pk=exclude_dossier.pk)
    out: list[dict[str, Any]] = []
    for r in DossierResultFile.objects.filter(dossier__in=same, digitized=True).select_related(
            "dossier__procedure").order_by("-uploaded_at"):
        out.append({"key": f"r:{r.dossier_id}", "type": "result", "id": r.dossier_id, "dossier": r.dossier.code,
                    "procedure": r.dossier.procedure.name, "name": f"Kết quả: {r.dossier.procedure.name}"
                    + (f" (số {r.dossier.result_code})" if r.dossier.result_code else ""),
                    "file_kind": r.file_kind, "at": r.uploaded_at})
    for c in DossierComponent.objects.filter(dossier__in=same, digitized=True).exclude(file="").select_related(
            "dossier__procedure").order_by("-dossier__received_at", "order"):
        out.append({"key": f"c:{c.pk}", "type": "component", "id": c.pk, "dossier": c.dossier.code,
                    "procedure": c.dossier.procedure.name, "name": c.name, "file_kind": c.file_kind,
                    "at": c.dossier.received_at})
    return out
