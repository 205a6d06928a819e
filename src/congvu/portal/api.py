"""National-connection endpoints (mounted at /api/portal by `congvu.api.core.autodiscover`).

- `GET  /dossiers/{code}/sync`             a dossier's sync records and identity check (dossier.view)
- `GET  /backlog?unit=CODE`                queue summary of the units in scope (dossier.view)
- `GET  /records?state=rejected&unit=CODE` records of the units in scope by state (dossier.view)
- `POST /records/{id}/resend`              correct (national field names) and/or rebuild, then resend (dossier.process)
- `GET  /health`                           portal and population-provider health, sender state (admin.site)
- `GET  /identity/{id_number}`             population lookup for the desk (dossier.process somewhere)
- `POST /dossiers/{code}/identity-check`   check the applicant's identity again (dossier.process)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from congvu.api.schemas import ERRORS_READ, ERRORS_WRITE
from congvu.onestop.models import Dossier
from congvu.org import policy
from congvu.org.models import Unit
from congvu.org.roles import Action
from congvu.portal import selectors
from congvu.portal.models import SyncRecord, SyncState
from congvu.portal.services import sync_record_resend
from congvu.portal.services.identity import identity_check_dossier, population_lookup

router = Router(tags=["portal"])


class RecordOut(Schema):
    id: int
    key: str
    dossier: str
    sequence: int
    kind: str
    at: dt.datetime
    state: str = Field(description="pending | sent | acknowledged | rejected | cancelled")
    attempts: int
    reject_reason: str
    last_error: str
    payload: dict[str, Any] = Field(description="The record in the national field names (DVCQG)")
    spec_version: str
    acknowledged_at: dt.datetime | None


class IdentityOut(Schema):
    state: str = Field(description="verified | mismatch | unknown | invalid | unverified | not_provided")
    message: str
    full_name: str
    birth_date: dt.date | None
    permanent_address: str
    checked_at: dt.datetime | None


class DossierSyncOut(Schema):
    dossier: str
    summary: str = Field(description="synced | pending | rejected | none")
    records: list[RecordOut]
    identity: IdentityOut | None


class BacklogOut(Schema):
    by_state: dict[str, int]
    pending: int
    rejected: int
    oldest_pending: dt.datetime | None


class ResendIn(Schema):
    changes: dict[str, Any] = Field(default_factory=dict, description="National field name → corrected value")
    rebuild: bool = Field(False, description="Rebuild the payload from the dossier as it is now")
    note: str = ""


class LookupOut(Schema):
    status: str = Field(description="found | unknown | invalid | unavailable")
    id_number: str
    message: str
    full_name: str | None = None
    birth_date: dt.date | None = None
    permanent_address: str | None = None


class HealthOut(Schema):
    checked_at: dt.datetime
    portal: dict[str, Any]
    population: dict[str, Any]
    backlog: BacklogOut
    sender: dict[str, Any]
    identity: dict[str, int]


def _record(r: SyncRecord) -> dict[str, Any]:
    return {"id": r.pk, "key": r.key, "dossier": r.dossier.code, "sequence": r.sequence, "kind": r.kind, "at": r.at,
            "state": r.state, "attempts": r.attempts, "reject_reason": r.reject_reason, "last_error": r.last_error,
            "payload": r.payload, "spec_version": r.spec_version, "acknowledged_at": r.acknowledged_at}


def _dossier(request: HttpRequest, code: str, action: Action = Action.DOSSIER_VIEW) -> Dossier:
    d = Dossier.objects.select_related("unit").filter(code=code).first()
    if d is None:
        raise Http404
    policy.require_found(request.auth, action, d, view_action=Action.DOSSIER_VIEW)
    return d


def _unit_ids(request: HttpRequest, unit: str | None) -> list[int]:
    scoped = policy.scoped_units(request.auth, Action.DOSSIER_VIEW)
    if unit:
        u = Unit.objects.filter(code=unit).first()
        if u is None or not scoped.filter(pk=u.pk).exists():
            raise Http404
        scoped = scoped.filter(path__startswith=u.path)
    return list(scoped.values_list("pk", flat=True))


@router.get("/dossiers/{code}/sync", response={200: DossierSyncOut, **ERRORS_READ}, summary="Sync state of a dossier")
def dossier_sync(request: HttpRequest, code: str):
    d = _dossier(request, code)
    info = selectors.dossier_sync(d)
    c = info["identity"]
    identity = None if c is None else {"state": c.state, "message": c.message, "full_name": c.full_name,
                                       "birth_date": c.birth_date, "permanent_address": c.permanent_address,
                                       "checked_at": c.checked_at}
    for r in info["records"]:
        r.dossier = d
    return {"dossier": d.code, "summary": info["summary"], "records": [_record(r) for r in info["records"]],
                 "identity": identity}


@router.get("/backlog", response={200: BacklogOut, **ERRORS_READ}, summary="Sync queue of the units in scope")
def backlog(request: HttpRequest, unit: str | None = None):
    return selectors.backlog_summary(_unit_ids(request, unit))


class RecordsQuery(Schema):
    state: str = Field("rejected", description="pending | sent | acknowledged | rejected | cancelled")
    unit: str | None = None
    limit: int = Field(100, ge=1, le=500)


@router.get("/records", response={200: list[RecordOut], **ERRORS_READ}, summary="Sync records by state")
def records(request: HttpRequest, q: Query[RecordsQuery]):
    if q.state not in SyncState.values:
        from congvu.api.schemas import ApiValidationError

        raise ApiValidationError(f"Trạng thái không hợp lệ: {q.state}.", details={"field": "state"})
    rows = selectors.records_for_units(_unit_ids(request, q.unit), states=[q.state]).order_by("id")[: q.limit]
    return [_record(r) for r in rows]


@router.post("/records/{record_id}/resend", response={200: RecordOut, **ERRORS_WRITE},
             summary="Correct and resend a rejected record")
def resend(request: HttpRequest, record_id: int, body: ResendIn):
    r = SyncRecord.objects.select_related("dossier").filter(pk=record_id).first()
    if r is None:
        raise Http404
    policy.require_found(request.auth, Action.DOSSIER_PROCESS, r.dossier, view_action=Action.DOSSIER_VIEW)
    sync_record_resend(actor=request.auth, record=r, changes=body.changes, rebuild=body.rebuild, note=body.note)
    return _record(SyncRecord.objects.select_related("dossier").get(pk=r.pk))


@router.get("/health", response={200: HealthOut, **ERRORS_READ}, summary="Portal and population-database health")
def health(request: HttpRequest):
    policy.require(request.auth, Action.ADMIN_SITE)
    return selectors.portal_health()


@router.get("/identity/{id_number}", response={200: LookupOut, **ERRORS_READ},
            summary="Look a citizen ID number up in the population database")
def identity(request: HttpRequest, id_number: str):
    if not policy.scoped_units(request.auth, Action.DOSSIER_PROCESS).exists():
        from congvu.common.errors import NotAllowed

        raise NotAllowed("portal.lookup_forbidden", "Không có quyền tra cứu CSDL dân cư.")
    out = population_lookup(id_number=id_number, actor=request.auth, channel="api")
    return out.as_dict()


@router.post("/dossiers/{code}/identity-check", response={200: IdentityOut, **ERRORS_WRITE},
             summary="Check a dossier's applicant against the population database again")
def identity_check(request: HttpRequest, code: str):
    d = _dossier(request, code, Action.DOSSIER_PROCESS)
    c = identity_check_dossier(actor=request.auth, dossier=d)
    return {"state": c.state, "message": c.message, "full_name": c.full_name, "birth_date": c.birth_date,
                 "permanent_address": c.permanent_address, "checked_at": c.checked_at}
