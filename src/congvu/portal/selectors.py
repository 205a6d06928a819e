"""Reads of the portal app: a dossier's sync state, a unit's backlog and rejected records, health."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Min, QuerySet
from django.utils import timezone

from congvu.onestop.models import Dossier
from congvu.portal import conf
from congvu.portal.models import IdentityCheck, SyncCursor, SyncRecord, SyncState


def dossier_sync(dossier: Dossier) -> dict[str, Any]:
    """What the panel on the dossier page shows."""
    records = list(SyncRecord.objects.filter(dossier=dossier).order_by("sequence"))
    counts = {st: 0 for st in SyncState.values}
    for r in records:
        counts[r.state] += 1
    if not records:
        summary = "none"
    elif counts[SyncState.REJECTED]:
        summary = "rejected"
    elif counts[SyncState.PENDING] or counts[SyncState.SENT]:
        summary = "pending"
    else:
        summary = "synced"
    return {"records": records, "counts": counts, "summary": summary,
            "identity": IdentityCheck.objects.filter(dossier=dossier).first()}


def records_for_units(unit_ids: list[int] | None, *, states: list[str] | None = None) -> QuerySet[SyncRecord]:
    qs = SyncRecord.objects.select_related("dossier", "unit")
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    if states:
        qs = qs.filter(state__in=states)
    return qs


def backlog_summary(unit_ids: list[int] | None) -> dict[str, Any]:
    qs = records_for_units(unit_ids)
    by_state = dict(qs.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    oldest = qs.filter(state=SyncState.PENDING).aggregate(m=Min("created_at"))["m"]
    return {"by_state": {st: by_state.get(st, 0) for st in SyncState.values},
            "pending": by_state.get(SyncState.PENDING, 0) + by_state.get(SyncState.SENT, 0),
            "rejected": by_state.get(SyncState.REJECTED, 0), "oldest_pending": oldest}


def _provider_health(kind: str) -> dict[str, Any]:
    if kind == "portal":
        from congvu.portal.providers import get_provider

        key = conf.get("CONGVU_PORTAL_PROVIDER")
    else:
        from congvu.portal.population import get_population_provider as get_provider

        key = conf.get("CONGVU_POPULATION_PROVIDER")
    if not key:
        return {"key": "", "ok": False, "message": "Chưa cấu hình"}
    try:
        provider = get_provider(key)
    except Exception as exc:  # noqa: BLE001 - a broken configuration is shown, not raised
        return {"key": key, "ok": False, "message": f"Cấu hình lỗi: {exc}"}
    h = provider.health()
    return {"key": key, "label": provider.label, "ok": h.ok, "message": h.message, "detail": h.detail}


def portal_health(*, probe: bool = True) -> dict[str, Any]:
    """Both providers' health (probing them when `probe`), the queue and the sender's cursor."""
    cursor = SyncCursor.objects.filter(provider=conf.get("CONGVU_PORTAL_PROVIDER")).first()
    out: dict[str, Any] = {
        "checked_at": timezone.now(),
        "backlog": backlog_summary(None),
        "sender": {"last_success_at": cursor.last_success_at if cursor else None,
                   "last_failure_at": cursor.last_failure_at if cursor else None,
                   "last_error": cursor.last_error if cursor else "",
                   "consecutive_failures": cursor.consecutive_failures if cursor else 0,
                   "paused_until": cursor.paused_until if cursor else None},
        "identity": dict(IdentityCheck.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n")),
    }
    if probe:
        out["portal"] = _provider_health("portal")
        out["population"] = _provider_health("population")
    return out
