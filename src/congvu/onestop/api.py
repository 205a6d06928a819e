"""One-stop endpoints (mounted at /api/onestop by `congvu.api.core.autodiscover`): receive a
dossier, read it, apply a transition, live figures. Thin: writes go through the services, which
check `Action.DOSSIER_PROCESS` on the dossier's receiving unit."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile

from congvu.api.schemas import ERRORS_READ, ERRORS_WRITE, MAX_PAGE_SIZE, ApiValidationError, paginate
from congvu.onestop import selectors, services
from congvu.onestop.models import Channel, Dossier, Procedure
from congvu.onestop.selectors import onestop_stats
from congvu.onestop.workflow import STATE_LABELS, State, available
from congvu.org import policy
from congvu.org.models import Unit
from congvu.org.roles import Action
from congvu.web.scope import scope_is_global

router = Router(tags=["onestop"])


class ReceiveIn(Schema):
    procedure: str = Field(description="Mã thủ tục, e.g. 1.001193")
    unit: str = Field(description="Code of the receiving unit")
    applicant_name: str
    channel: Channel
    applicant_phone: str = ""
    applicant_id_number: str = ""
    applicant_address: str = ""
    received_at: dt.datetime | None = None
    digitized_components: bool = False


class TransitionIn(Schema):
    transition: Literal["transfer", "step_complete", "request_supplement", "supplement_received", "apologise",
                        "record_result", "return_result", "close", "stop", "withdraw", "refuse"]
    expected_version: int = Field(description="The dossier's `version` as read; a stale one gives 409.")
    at: dt.datetime | None = None
    items: str = ""
    reason: str = ""
    legal_basis: str = ""
    new_due_at: dt.datetime | None = None
    result_code: str = ""
    e_result: bool = False
    return_method: Literal["desk", "post", "electronic"] = "desk"


class EventOut(Schema):
    at: dt.datetime
    transition: str
    from_state: str
    to_state: str
    step_verdict: str
    note: str


class DossierOut(Schema):
    code: str
    procedure: str
    procedure_name: str
    unit: str
    applicant_name: str
    channel: str
    sync_channel: int
    received_at: dt.datetime
    due_at: dt.datetime
    rule_version: str
    state: str
    state_label: str
    finished_at: dt.datetime | None
    verdict: str
    version: int
    transitions: list[str]
    events: list[EventOut]


class StatsParams(Schema):
    unit: str
    date_from: dt.date = Field(alias="from")
    date_to: dt.date = Field(alias="to")


def _out(d: Dossier) -> dict[str, Any]:
    return {
        "code": d.code, "procedure": d.procedure.code, "procedure_name": d.procedure.name, "unit": d.unit.code,
        "applicant_name": d.applicant_name, "channel": d.channel, "sync_channel": d.sync_channel,
        "received_at": d.received_at, "due_at": d.due_at, "rule_version": d.rule_version, "state": d.state,
        "state_label": STATE_LABELS[State(d.state)], "finished_at": d.finished_at, "verdict": d.verdict,
        "version": d.version, "transitions": [t.value for t in available(d.state)],
        "events": [
            {"at": e.at, "transition": e.transition, "from_state": e.from_state, "to_state": e.to_state,
             "step_verdict": e.step_verdict, "note": e.note} for e in d.events.all()
        ],
    }


def _dossier(request: HttpRequest, code: str, action: Action = Action.DOSSIER_VIEW) -> Dossier:
    d = get_object_or_404(Dossier.objects.select_related("procedure", "unit"), code=code)
    policy.require_found(request.auth, action, d, view_action=Action.DOSSIER_VIEW)  # out of scope = not found
    return d


@router.post("/dossiers", response={201: DossierOut, **ERRORS_WRITE}, summary="Receive a dossier (Mẫu 01)")
def receive(request: HttpRequest, payload: ReceiveIn) -> tuple[int, dict[str, Any]]:
    unit = get_object_or_404(Unit, code=payload.unit)
    procedure = get_object_or_404(Procedure, code=payload.procedure)
    d = services.dossier_receive(
        actor=request.auth, procedure=procedure, unit=unit, applicant_name=payload.applicant_name,
        channel=payload.channel, applicant_phone=payload.applicant_phone,
        applicant_id_number=payload.applicant_id_number, applicant_address=payload.applicant_address,
        received_at=payload.received_at, digitized_components=payload.digitized_components,
    )
    return 201, _out(d)


@router.get("/dossiers/{code}", response={200: DossierOut, **ERRORS_READ}, summary="One dossier and its timeline")
def get_dossier(request: HttpRequest, code: str) -> tuple[int, dict[str, Any]]:
    return 200, _out(_dossier(request, code))


@router.post("/dossiers/{code}/transitions", response={200: DossierOut, **ERRORS_WRITE},
             summary="Apply a transition of the dossier workflow")
def transition(request: HttpRequest, code: str, payload: TransitionIn) -> tuple[int, dict[str, Any]]:
    d = _dossier(request, code, Action.DOSSIER_PROCESS)
    common = {"actor": request.auth, "dossier": d, "at": payload.at, "expected_version": payload.expected_version}
    name = payload.transition
    if name == "request_supplement":
        d = services.dossier_request_supplement(items=payload.items, reason=payload.reason, **common)
    elif name == "apologise":
        if payload.new_due_at is None:
            raise ApiValidationError("Cần ngày hẹn trả mới (new_due_at).", message_en="new_due_at is required.")
        d = services.dossier_apologise(reason=payload.reason, new_due_at=payload.new_due_at, **common)
    elif name == "record_result":
        d = services.dossier_record_result(result_code=payload.result_code, e_result=payload.e_result, **common)
    elif name in ("stop", "withdraw"):
        fn = services.dossier_stop if name == "stop" else services.dossier_withdraw
        d = fn(reason=payload.reason, **common)
    elif name == "refuse":
        d = services.dossier_refuse(reason=payload.reason, legal_basis=payload.legal_basis, **common)
    else:
        fn = {"transfer": services.dossier_transfer, "step_complete": services.dossier_step_complete,
              "supplement_received": services.dossier_supplement_received, "close": services.dossier_close}.get(name)
        d = fn(**common) if fn else services.dossier_return(method=payload.return_method, **common)
    return 200, _out(Dossier.objects.select_related("procedure", "unit").get(pk=d.pk))


@router.get("/stats", response={200: dict[str, Any], **ERRORS_READ}, summary="Live figures of a unit (roll-ups)")
def stats(request: HttpRequest, params: Query[StatsParams]) -> tuple[int, dict[str, Any]]:
    unit = get_object_or_404(Unit, code=params.unit)
    policy.require(request.auth, Action.DOSSIER_VIEW, unit)
    return 200, onestop_stats(unit=unit, date_from=params.date_from, date_to=params.date_to)


# ------------------------------------------------------------------------------------------------
# Desk screens in the API: queue tabs and search, "my steps", bulk return, monthly figures,
# procedure picker. Same selectors and services as the pages (`congvu.onestop.views`).
# ------------------------------------------------------------------------------------------------

class QueueParams(Schema):
    unit: str | None = Field(None, description="Code of a unit: its desk and everything below; default: the whole "
                                               "scope.")
    tab: Literal["to_receive", "in_process", "supplement", "to_return", "due_soon", "overdue", "finished"] | None = None
    q: str = Field("", description="Code, applicant name (accent-insensitive), phone or ID number.")
    due_soon_days: int | None = Field(None, ge=0, le=60, description="Working days for the due_soon tab.")
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


class DossierRowOut(Schema):
    code: str
    procedure: str
    procedure_name: str
    unit: str
    applicant_name: str
    applicant_phone: str
    channel: str
    received_at: dt.datetime
    due_at: dt.datetime
    state: str
    state_label: str
    verdict: str
    timeliness: str
    current_step: str | None
    version: int


class DossierPage(Schema):
    items: list[DossierRowOut]
    total: int
    page: int
    page_size: int
    pages: int


class BulkItem(Schema):
    code: str
    expected_version: int


class BulkReturnIn(Schema):
    items: list[BulkItem] = Field(min_length=1, max_length=500)
    method: Literal["desk", "post", "electronic"] = "desk"


class BulkOutcomeOut(Schema):
    code: str
    ok: bool
    message: str


class BulkReturnOut(Schema):
    ok: int
    failed: int
    results: list[BulkOutcomeOut]


class MonthOut(Schema):
    month: str
    received: int
    online: int
    finished: int
    late: int


class ComponentOut(Schema):
    name: str
    originals: int
    copies: int
    must_digitize: bool


class ProcedureOut(Schema):
    code: str
    name: str
    processing_time: float
    time_unit: str
    online_level: str
    fee_amount: int
    components: list[ComponentOut]


def _in_scope(user: Any):
    qs = Dossier.objects.select_related("procedure", "unit", "current_step")
    if scope_is_global(user, Action.DOSSIER_VIEW):
        return qs
    return qs.filter(unit__in=policy.scoped_units(user, Action.DOSSIER_VIEW))


def _row(d: Dossier) -> dict[str, Any]:
    return {
        "code": d.code, "procedure": d.procedure.code, "procedure_name": d.procedure.name, "unit": d.unit.code,
        "applicant_name": d.applicant_name, "applicant_phone": d.applicant_phone, "channel": d.channel,
        "received_at": d.received_at, "due_at": d.due_at, "state": d.state, "state_label": STATE_LABELS[State(d.state)],
        "verdict": d.verdict, "timeliness": selectors.dossier_timeliness(d),
        "current_step": d.current_step.name if d.current_step_id else None, "version": d.version,
    }


@router.get("/dossiers", response={200: DossierPage, **ERRORS_READ},
            summary="Desk queue: dossiers in scope by tab, or searched by code, name or phone")
def list_dossiers(request: HttpRequest, params: Query[QueueParams]) -> tuple[int, dict[str, Any]]:
    policy.require(request.auth, Action.DOSSIER_VIEW)
    qs = _in_scope(request.auth)
    if params.unit:
        unit = get_object_or_404(Unit, code=params.unit)
        policy.require(request.auth, Action.DOSSIER_VIEW, unit)
        qs = qs.filter(unit__path__startswith=unit.path)
    if params.tab:
        qs = selectors.dossier_queue(qs=qs, tab=params.tab, due_soon_days=params.due_soon_days)
    else:
        qs = qs.order_by("-received_at", "-id")
    if params.q.strip():
        qs = selectors.dossier_find(qs=qs, query=params.q)
    items, meta = paginate(qs, params.page, params.page_size)
    return 200, {"items": [_row(d) for d in items], **meta}


@router.get("/my-steps", response={200: DossierPage, **ERRORS_READ},
            summary="Dossiers at a step whose responsible unit is in the caller's processing scope")
def my_steps(request: HttpRequest, page: int = 1, page_size: int = 50) -> tuple[int, dict[str, Any]]:
    policy.require(request.auth, Action.DOSSIER_PROCESS)
    units = policy.scoped_units(request.auth, Action.DOSSIER_PROCESS)
    qs = selectors.dossiers_at_my_steps(qs=_in_scope(request.auth), unit_ids=units.values("pk"))
    items, meta = paginate(qs, max(page, 1), min(max(page_size, 1), MAX_PAGE_SIZE))
    return 200, {"items": [_row(d) for d in items], **meta}


@router.post("/bulk-return", response={200: BulkReturnOut, **ERRORS_WRITE},
             summary="Return several result-ready dossiers (one transaction each; partial success is reported)")
def bulk_return(request: HttpRequest, payload: BulkReturnIn) -> tuple[int, dict[str, Any]]:
    policy.require(request.auth, Action.DOSSIER_PROCESS)
    outcomes = services.dossiers_return_many(actor=request.auth, items=[(i.code, i.expected_version) for i in payload.items],
                                             method=payload.method)
    return 200, {"ok": sum(o.ok for o in outcomes), "failed": sum(not o.ok for o in outcomes),
                 "results": [{"code": o.code, "ok": o.ok, "message": o.message} for o in outcomes]}


@router.get("/stats/monthly", response={200: list[MonthOut], **ERRORS_READ},
            summary="Received / online / finished / late per month (roll-ups)")
def stats_monthly(request: HttpRequest, params: Query[StatsParams]) -> tuple[int, list[dict[str, Any]]]:
    unit = get_object_or_404(Unit, code=params.unit)
    policy.require(request.auth, Action.DOSSIER_VIEW, unit)
    return 200, selectors.onestop_monthly(unit=unit, date_from=params.date_from, date_to=params.date_to)


@router.get("/procedures", response={200: list[ProcedureOut], **ERRORS_READ},
            summary="Procedures in force, by code or name (accent-insensitive), with their components")
def list_procedures(request: HttpRequest, q: str = "") -> tuple[int, list[dict[str, Any]]]:
    policy.require(request.auth, Action.DOSSIER_VIEW)
    return 200, [
        {"code": p.code, "name": p.name, "processing_time": float(p.processing_time), "time_unit": p.time_unit,
         "online_level": p.online_level, "fee_amount": int(p.fee_amount),
         "components": [{"name": c.name, "originals": c.originals, "copies": c.copies,
                         "must_digitize": c.must_digitize} for c in p.components.all()]}
        for p in selectors.procedures_for_desk(query=q).prefetch_related("components")
    ]


# ------------------------------------------------------------------------------------------------
# Components, result files and reuse of digitised data
# ------------------------------------------------------------------------------------------------


class DossierComponentOut(Schema):
    id: int
    component_id: int | None
    name: str
    kind: str
    received: bool
    digitized: bool
    file_kind: str
    reused_from: int | None
    reused_result_of: str | None
    url: str | None


def _component_out(d: Dossier, r) -> dict[str, Any]:
    from django.urls import reverse

    return {"id": r.pk, "component_id": r.component_id, "name": r.name, "kind": r.kind, "received": r.received,
            "digitized": r.digitized, "file_kind": r.file_kind, "reused_from": r.reused_from_id,
            "reused_result_of": r.reused_result_of.code if r.reused_result_of_id else None,
            "url": reverse("onestop:component_file", args=[d.code, r.pk]) if r.file else None}


@router.post("/dossiers/{code}/components", response={200: list[DossierComponentOut], **ERRORS_WRITE},
             summary="Record one component: ticks, a file (PDF/JPG/PNG) or the reuse of an earlier item")
def record_component(request: HttpRequest, code: str, component_id: Form[int | None] = None,
                     name: Form[str] = "", received: Form[bool] = True, digitized: Form[bool] = False,
                     reuse_from_id: Form[int | None] = None, reuse_result_id: Form[int | None] = None,
                     file: File[UploadedFile | None] = None) -> tuple[int, list[dict[str, Any]]]:
    d = _dossier(request, code, Action.DOSSIER_PROCESS)
    item: dict[str, Any] = {"component_id": component_id, "name": name, "received": received,
                            "digitized": digitized, "file": file, "reuse_from_id": reuse_from_id,
                            "reuse_result_id": reuse_result_id}
    services.dossier_components_record(actor=request.auth, dossier=d, items=[item])
    return 200, [_component_out(d, r) for r in d.component_rows.select_related("reused_result_of")]


@router.post("/dossiers/{code}/result-file", response={201: dict[str, Any], **ERRORS_WRITE},
             summary="Attach the digitised result document (PDF/JPG/PNG)")
def attach_result_file(request: HttpRequest, code: str, file: File[UploadedFile]) -> tuple[int, dict[str, Any]]:
    d = _dossier(request, code, Action.DOSSIER_PROCESS)
    row = services.dossier_result_file_attach(actor=request.auth, dossier=d, file=file)
    return 201, {"code": d.code, "file_kind": row.file_kind, "size": row.size, "digitized_result": d.digitized_result}


class ReusableOut(Schema):
    key: str
    type: str
    id: int
    dossier: str
    procedure: str
    name: str
    file_kind: str
    at: dt.datetime


@router.get("/reusable", response={200: list[ReusableOut], **ERRORS_READ},
            summary="Earlier digitised components and results of a citizen (ID number, else name + phone)")
def reusable(request: HttpRequest, id_number: str = "", name: str = "", phone: str = "") -> tuple[int, list]:
    policy.require(request.auth, Action.DOSSIER_PROCESS)
    items = selectors.reusable_results_for(id_number=id_number, name=name, phone=phone)
    from congvu.onestop.reuse import reuse_search_audit

    reuse_search_audit(actor=request.auth, items=items, id_number=id_number, name=name)
    return 200, items
