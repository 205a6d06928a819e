"""Index assessment workflow, points within reach and projection in the API.

Mounted under /api/indices by the app's router (`congvu.indices.api` adds `router` from here).
Thin: writes go through `congvu.indices.workflow` / `remediation` (policy-checked, audited), reads
through `congvu.indices.board`. Dates are ISO; a leaf without data has `points: null`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile

from congvu.api.schemas import ERRORS_READ, ERRORS_WRITE, MAX_PAGE_SIZE, ApiValidationError, paginate
from congvu.common.errors import DomainError
from congvu.indices import board, remediation, states
from congvu.indices import workflow as wf
from congvu.indices.models import Assessment, Method
from congvu.indices.scoring.periods import PeriodInvalid, period_bounds, period_normalise
from congvu.indices.selectors import FrameworkNotFound, version_for
from congvu.org import policy
from congvu.org.models import Unit
from congvu.org.roles import Action

router = Router(tags=["indices"])


class IndexEvidenceOut(Schema):
    id: int
    kind: str
    label: str
    url: str
    record_type: str
    record_id: str
    requirement: str


class IndexRoundLeafOut(Schema):
    code: str
    name: str
    method: str
    max_points: float
    evidence_required: list[str]
    self_score: float | None
    explanation: str
    answer: str
    appraised_score: float | None
    decision: str
    reason: str
    missing_evidence: list[str]
    evidence: list[IndexEvidenceOut]


class IndexRoundOut(Schema):
    id: int
    unit: str = Field(description="Unit code")
    unit_name: str
    framework: str
    version: str
    period: str
    state: str
    state_label: str
    row_version: int = Field(description="Send back as expected_version; a stale one gives 409.")
    self_deadline: dt.date | None
    appraisal_deadline: dt.date | None
    answer_deadline: dt.date | None
    return_note: str
    points: float | None
    max_points: float
    percent: float | None
    band: str | None
    transitions: list[str] = Field(description="Transitions the caller may take now")
    leaves: list[IndexRoundLeafOut]


class IndexRoundRow(Schema):
    id: int
    unit: str
    unit_name: str
    framework: str
    period: str
    state: str
    row_version: int


class IndexRoundPage(Schema):
    items: list[IndexRoundRow]
    total: int
    page: int
    page_size: int
    pages: int


class IndexRoundOpenIn(Schema):
    framework: str = Field(description="Framework code, e.g. par-xa")
    unit: str = Field(description="Unit code")
    period: str = Field(description="2023, 2023-Q2 or 2023-06")
    version: str | None = None


class IndexSelfIn(Schema):
    score: float | None = Field(None, description="Points, 0 ≤ score ≤ the leaf's max_points")
    explanation: str = ""
    answer: str | None = Field(None, description="The unit's answer to a return, for this leaf")
    expected_version: int | None = None


class IndexAppraiseIn(Schema):
    decision: Literal["accept", "adjust"] = "adjust"
    score: float | None = None
    survey_score: float | None = None
    reason: str = Field(description="Required")
    expected_version: int | None = None


class IndexEvidenceLinkIn(Schema):
    url: str = ""
    record_type: str = Field("", description="directives.notice or directives.task")
    record_id: int | None = None
    label: str = ""
    requirement: str = ""


class IndexRoundTransitionIn(Schema):
    transition: Literal["submit", "return", "answer", "complete", "reopen", "publish"]
    note: str = ""
    expected_version: int | None = None


class IndexRoundListParams(Schema):
    state: Literal["draft", "submitted", "returned", "answered", "appraised", "published"] | None = None
    period: str | None = None
    framework: str | None = None
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


class IndexUnitParams(Schema):
    framework: str
    period: str


class IndexReachOut(Schema):
    code: str
    name: str
    group: str
    max_points: float
    points: float | None
    lost: float
    status: str
    kind: str
    metric: str
    rate: float | None
    threshold: float | None
    next_step: dict[str, Any] | None
    full_step: dict[str, Any] | None
    next_text: str
    full_text: str


class IndexRemediationItem(Schema):
    code: str
    unit: str | None = Field(None, description="Code of the responsible body (the unit or a body under it)")
    days: int | None = Field(None, ge=1, le=remediation.MAX_DAYS, description="Working days to the deadline")
    action: str = ""


class IndexRemediationIn(Schema):
    framework: str
    period: str
    items: list[IndexRemediationItem]


class IndexRemediationOut(Schema):
    notice_id: int
    tasks: list[dict[str, Any]]


class IndexProjectionLeaf(Schema):
    code: str
    name: str
    max_points: float
    points_ytd: float | None
    points_end: float | None
    rate_ytd: float | None
    rate_end: float | None
    live: bool


class IndexProjectionOut(Schema):
    months_elapsed: int
    points_ytd: float | None
    points_end: float | None
    percent_ytd: float | None
    percent_end: float | None
    band_ytd: str | None
    band_end: str | None
    next_band: str | None
    gap_up: float | None
    margin_down: float | None
    deciders_up: list[str]
    at_risk: list[str]
    leaves: list[IndexProjectionLeaf]


# -- helpers ------------------------------------------------------------------------------------------

def _period(value: str) -> str:
    try:
        return period_normalise(value)
    except PeriodInvalid as exc:
        raise ApiValidationError(str(exc), details={"field": "period"}) from None


def _version(code: str, period: str, version: str | None = None):
    try:
        return version_for(code=code, day=period_bounds(period)[1], version=version)
    except FrameworkNotFound as exc:
        raise DomainError("framework.unknown", str(exc), details={"field": "framework"}) from None


def _unit(request: HttpRequest, code: str, action: Action = Action.INDEX_VIEW) -> Unit:
    unit = get_object_or_404(Unit, code=code)
    policy.require_found(request.auth, action, unit, view_action=Action.INDEX_VIEW)
    return unit


def _round(request: HttpRequest, pk: int) -> Assessment:
    a = get_object_or_404(Assessment.objects.select_related("unit", "version__framework"), pk=pk)
    policy.require_found(request.auth, Action.INDEX_VIEW, a)
    return a


def _f(x: Any) -> float | None:
    return None if x is None else float(x)


def _out(request: HttpRequest, a: Assessment) -> dict[str, Any]:
    a = Assessment.objects.select_related("unit", "version__framework").get(pk=a.pk)
    leaves = list(a.leaves.select_related("node").prefetch_related("evidence").order_by("node__order"))
    sheet = board.sheets_for(a.version, [a.unit], a.period)[a.unit.pk]
    allowed = {act for act in (Action.INDEX_SELF_ASSESS, Action.INDEX_APPRAISE) if policy.decide(request.auth, act, a)}
    return {
        "id": a.pk, "unit": a.unit.code, "unit_name": a.unit.name, "framework": a.version.framework.code,
        "version": a.version.version, "period": a.period, "state": a.state,
        "state_label": states.STATE_LABELS[states.State(a.state)], "row_version": a.row_version,
        "self_deadline": a.self_deadline, "appraisal_deadline": a.appraisal_deadline,
        "answer_deadline": a.answer_deadline, "return_note": a.return_note,
        "points": sheet.points, "max_points": sheet.max_points, "percent": sheet.percent, "band": sheet.band,
        "transitions": [t.name for t in states.available(a.state, allowed)] if a.state != "published" else [],
        "leaves": [{
            "code": leaf.node.code, "name": leaf.node.name, "method": leaf.node.method,
            "max_points": float(leaf.node.max_points), "evidence_required": list(leaf.node.evidence_required or []),
            "self_score": _f(leaf.self_score), "explanation": leaf.explanation, "answer": leaf.answer,
            "appraised_score": _f(leaf.appraised_score), "decision": leaf.decision, "reason": leaf.reason,
            "missing_evidence": wf.missing_evidence(leaf) if leaf.node.method == Method.SELF_ASSESSMENT else [],
            "evidence": [{"id": e.pk, "kind": e.kind, "label": e.label, "url": e.url, "record_type": e.record_type,
                          "record_id": e.record_id, "requirement": e.requirement} for e in leaf.evidence.all()],
        } for leaf in leaves],
    }


# -- rounds -------------------------------------------------------------------------------------------

@router.get("/assessments", response={200: IndexRoundPage, **ERRORS_READ}, summary="Assessment rounds in scope")
def list_assessments(request: HttpRequest, params: Query[IndexRoundListParams]) -> tuple[int, dict[str, Any]]:
    policy.require(request.auth, Action.INDEX_VIEW)
    qs = Assessment.objects.filter(unit__in=policy.scoped_units(request.auth, Action.INDEX_VIEW)).select_related(
        "unit", "version__framework").order_by("-period", "unit__path", "pk")
    if params.state:
        qs = qs.filter(state=params.state)
    if params.period:
        qs = qs.filter(period=_period(params.period))
    if params.framework:
        qs = qs.filter(version__framework__code=params.framework)
    items, meta = paginate(qs, params.page, params.page_size)
    return 200, {"items": [{"id": a.pk, "unit": a.unit.code, "unit_name": a.unit.name,
                            "framework": a.version.framework.code, "period": a.period, "state": a.state,
                            "row_version": a.row_version} for a in items], **meta}


@router.post("/assessments", response={201: IndexRoundOut, **ERRORS_WRITE},
             summary="Open a self-assessment round (assessor)")
def open_assessment(request: HttpRequest, payload: IndexRoundOpenIn) -> tuple[int, dict[str, Any]]:
    period = _period(payload.period)
    unit = _unit(request, payload.unit, Action.INDEX_APPRAISE)
    version = _version(payload.framework, period, payload.version)
    a = wf.assessment_open(actor=request.auth, unit=unit, version=version, period=period)
    return 201, _out(request, a)


@router.get("/assessments/{assessment_id}", response={200: IndexRoundOut, **ERRORS_READ},
            summary="One round with its leaves, evidence and the transitions the caller may take")
def get_assessment(request: HttpRequest, assessment_id: int) -> tuple[int, dict[str, Any]]:
    return 200, _out(request, _round(request, assessment_id))


@router.put("/assessments/{assessment_id}/leaves/{code}/self", response={200: IndexRoundOut, **ERRORS_WRITE},
            summary="The unit's score and explanation for a self-assessed leaf")
def self_assess(request: HttpRequest, assessment_id: int, code: str, payload: IndexSelfIn) -> tuple[int, dict[str, Any]]:
    a = _round(request, assessment_id)
    wf.leaf_self_assess(actor=request.auth, assessment=a, code=code, score=payload.score,
                        explanation=payload.explanation, answer=payload.answer,
                        expected_version=payload.expected_version)
    return 200, _out(request, a)


@router.post("/assessments/{assessment_id}/leaves/{code}/evidence", response={201: IndexRoundOut, **ERRORS_WRITE},
             summary="Attach an evidence file (checked by the upload validator)")
def add_evidence_file(request: HttpRequest, assessment_id: int, code: str, file: File[UploadedFile],
                      label: Form[str] = "", requirement: Form[str] = "") -> tuple[int, dict[str, Any]]:
    a = _round(request, assessment_id)
    wf.evidence_add_file(actor=request.auth, assessment=a, code=code, upload=file, label=label, requirement=requirement)
    return 201, _out(request, a)


@router.post("/assessments/{assessment_id}/leaves/{code}/links", response={201: IndexRoundOut, **ERRORS_WRITE},
             summary="Cite a web address or a congvu record (notice, task) as evidence")
def add_evidence_link(request: HttpRequest, assessment_id: int, code: str, payload: IndexEvidenceLinkIn) -> tuple[int, dict[str, Any]]:
    a = _round(request, assessment_id)
    wf.evidence_add_link(actor=request.auth, assessment=a, code=code, url=payload.url, label=payload.label,
                         record_type=payload.record_type, record_id=payload.record_id, requirement=payload.requirement)
    return 201, _out(request, a)


@router.delete("/assessments/{assessment_id}/evidence/{evidence_id}", response={200: IndexRoundOut, **ERRORS_WRITE},
               summary="Remove an evidence item")
def remove_evidence(request: HttpRequest, assessment_id: int, evidence_id: int) -> tuple[int, dict[str, Any]]:
    from congvu.indices.models import Evidence

    a = _round(request, assessment_id)
    ev = get_object_or_404(Evidence, pk=evidence_id, leaf__assessment=a)
    wf.evidence_remove(actor=request.auth, evidence=ev)
    return 200, _out(request, a)


@router.put("/assessments/{assessment_id}/leaves/{code}/appraisal", response={200: IndexRoundOut, **ERRORS_WRITE},
            summary="The assessor accepts or adjusts a leaf (a reason is required)")
def appraise(request: HttpRequest, assessment_id: int, code: str, payload: IndexAppraiseIn) -> tuple[int, dict[str, Any]]:
    a = _round(request, assessment_id)
    wf.leaf_appraise(actor=request.auth, assessment=a, code=code, decision=payload.decision, reason=payload.reason,
                     score=payload.score, survey_score=payload.survey_score, expected_version=payload.expected_version)
    return 200, _out(request, a)


@router.post("/assessments/{assessment_id}/transitions", response={200: IndexRoundOut, **ERRORS_WRITE},
             summary="submit / return / answer / complete / reopen / publish")
def transition(request: HttpRequest, assessment_id: int, payload: IndexRoundTransitionIn) -> tuple[int, dict[str, Any]]:
    a = _round(request, assessment_id)
    common = {"actor": request.auth, "assessment": a, "expected_version": payload.expected_version}
    name = payload.transition
    if name == "submit":
        wf.assessment_submit(**common)
    elif name == "answer":
        wf.assessment_answer(note=payload.note, **common)
    elif name == "return":
        wf.assessment_return(note=payload.note, **common)
    elif name == "complete":
        wf.assessment_complete(**common)
    elif name == "reopen":
        wf.assessment_reopen(note=payload.note, **common)
    else:
        wf.assessment_publish(**common)
    return 200, _out(request, a)


# -- a unit: points within reach, remediation, projection ---------------------------------------------

@router.get("/units/{unit_code}/reach", response={200: list[IndexReachOut], **ERRORS_READ},
            summary="Leaves ordered by points lost, with the metric change that earns the next points")
def reach(request: HttpRequest, unit_code: str, params: Query[IndexUnitParams]) -> tuple[int, list[dict[str, Any]]]:
    unit = _unit(request, unit_code)
    period = _period(params.period)
    sheet = board.unit_sheet(_version(params.framework, period), unit, period, with_rank=False)
    return 200, board.opportunities(sheet)


@router.post("/units/{unit_code}/remediation", response={201: IndexRemediationOut, **ERRORS_WRITE},
             summary="Turn selected leaves into tasks (directives), with working-day deadlines")
def remediate(request: HttpRequest, unit_code: str, payload: IndexRemediationIn) -> tuple[int, dict[str, Any]]:
    unit = _unit(request, unit_code)
    period = _period(payload.period)
    version = _version(payload.framework, period)
    items = []
    for item in payload.items:
        body_id = None
        if item.unit:
            body = Unit.objects.filter(code=item.unit).first()
            if body is None:
                raise ApiValidationError(f"Chỉ số {item.code}: không có đơn vị mã “{item.unit}”.",
                                         details={"node": item.code})
            body_id = body.pk
        items.append({"code": item.code, "unit_id": body_id, "days": item.days, "action": item.action})
    notice = remediation.remediation_create(actor=request.auth, unit=unit, version=version, period=period, items=items)
    tasks = [{"id": t.pk, "action": t.action, "unit": t.unit.code if t.unit else None,
              "deadline": t.deadline.isoformat() if t.deadline else None} for t in notice.tasks.select_related("unit")]
    return 201, {"notice_id": notice.pk, "tasks": tasks}


@router.get("/units/{unit_code}/projection", response={200: IndexProjectionOut | None, **ERRORS_READ},
            summary="Year-to-date score (at `as_of`, default today) and the year-end score if the monthly pace holds")
def projection(request: HttpRequest, unit_code: str, framework: str, year: int,
               as_of: dt.date | None = None) -> tuple[int, dict[str, Any] | None]:
    if not 2000 <= year <= 2100:
        raise ApiValidationError("Năm phải từ 2000 đến 2100.", details={"field": "year"})
    unit = _unit(request, unit_code)
    version = _version(framework, str(year))
    pr = board.year_projection(version, unit, year, as_of=as_of)
    if pr is None:
        return 200, None
    return 200, {"months_elapsed": pr.months_elapsed, "points_ytd": pr.points_ytd, "points_end": pr.points_end,
                 "percent_ytd": pr.pct_ytd, "percent_end": pr.pct_end, "band_ytd": pr.band_ytd,
                 "band_end": pr.band_end, "next_band": pr.next_band, "gap_up": pr.gap_up,
                 "margin_down": pr.margin_down, "deciders_up": [leaf.code for leaf in pr.deciders_up],
                 "at_risk": [leaf.code for leaf in pr.at_risk],
                 "leaves": [leaf.__dict__ for leaf in pr.leaves]}
