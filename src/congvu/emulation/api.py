"""Emulation endpoints (mounted at /api/emulation): movements, criteria, pledges, yearly records,
initiatives, the awards register, rounds and candidates, reform evidence, XLSX import.

Reads are narrowed to the user's scope (`congvu.org.policy.scoped_units`); writes go through
`congvu.emulation.services` (policy-checked, audited). Dates are ISO."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile

from congvu.api.schemas import ERRORS_READ, ERRORS_WRITE, MAX_PAGE_SIZE, paginate
from congvu.emulation import selectors
from congvu.emulation import services as es
from congvu.emulation.models import (
    AwardRecord,
    Candidate,
    Initiative,
    Movement,
    Pledge,
    Round,
)
from congvu.emulation.scoring import head_rating_evidence, movement_scores
from congvu.org.models import EmulationGroup, Person, Unit
from congvu.org.policy import require, require_found, scoped_units
from congvu.org.roles import Action

router = Router(tags=["emulation"])


def _units(request: HttpRequest):
    return scoped_units(request.auth, Action.EMULATION_VIEW)


class EmuUnitRef(Schema):
    id: int
    code: str
    name: str


def _ref(u: Unit | None) -> dict | None:
    return None if u is None else {"id": u.pk, "code": u.code, "name": u.name}


# -- movements ---------------------------------------------------------------------------------------


class CriterionOut(Schema):
    id: int
    order: int
    name: str
    weight: float
    measure: str
    metric_name: str
    parameters: dict[str, Any]
    max_score: float


class MovementOut(Schema):
    id: int
    unit: EmuUnitRef
    name: str
    kind: str
    theme: str
    year: int
    period_start: dt.date
    period_end: dt.date
    scope: str
    scope_block_id: int | None
    scope_unit_ids: list[int]
    pledge_titles: list[str]
    pledge_deadline: dt.date | None
    document_number: str
    document_date: dt.date | None
    has_launch_document: bool
    state: str
    launched_on: dt.date | None
    criteria: list[CriterionOut]


def _movement_out(m: Movement) -> dict:
    return {"id": m.pk, "unit": _ref(m.unit), "name": m.name, "kind": m.kind, "theme": m.theme, "year": m.year,
            "period_start": m.period_start, "period_end": m.period_end, "scope": m.scope,
            "scope_block_id": m.scope_block_id, "scope_unit_ids": [u.pk for u in m.scope_units.all()],
            "pledge_titles": m.pledge_titles, "pledge_deadline": m.pledge_deadline,
            "document_number": m.document_number, "document_date": m.document_date,
            "has_launch_document": bool(m.launch_document), "state": m.state, "launched_on": m.launched_on,
            "criteria": [{"id": c.pk, "order": c.order, "name": c.name, "weight": float(c.weight),
                          "measure": c.measure, "metric_name": c.metric_name, "parameters": c.parameters,
                          "max_score": float(c.max_score)} for c in m.criteria.all()]}


def _movement(request: HttpRequest, movement_id: int) -> Movement:
    m = get_object_or_404(selectors.movements_visible(units=_units(request)), pk=movement_id)
    return m


@router.get("/movements", response={200: list[MovementOut], **ERRORS_READ}, summary="Phong trào thi đua")
def list_movements(request: HttpRequest, year: int | None = None):
    require(request.auth, Action.EMULATION_VIEW)
    qs = selectors.movements_visible(units=_units(request)).prefetch_related("criteria", "scope_units")
    if year:
        qs = qs.filter(year=year)
    return [_movement_out(m) for m in qs[:MAX_PAGE_SIZE]]


class MovementIn(Schema):
    unit_code: str
    name: str
    year: int
    period_start: dt.date
    period_end: dt.date
    kind: str = "regular"
    theme: str = ""
    scope: str = "subtree"
    scope_unit_codes: list[str] = []
    scope_block_id: int | None = None
    pledge_titles: list[str] = []
    pledge_deadline: dt.date | None = None
    document_number: str = ""
    document_date: dt.date | None = None


@router.post("/movements", response={201: MovementOut, **ERRORS_WRITE}, summary="Tạo phong trào (dự thảo)")
def create_movement(request: HttpRequest, payload: Form[MovementIn], launch_document: File[UploadedFile] = None):
    unit = get_object_or_404(Unit, code=payload.unit_code)
    units = [get_object_or_404(Unit, code=c) for c in payload.scope_unit_codes]
    block = get_object_or_404(EmulationGroup, pk=payload.scope_block_id) if payload.scope_block_id else None
    m = es.movement_create(actor=request.auth, unit=unit, name=payload.name, year=payload.year,
                           period_start=payload.period_start, period_end=payload.period_end, kind=payload.kind,
                           theme=payload.theme, scope=payload.scope, scope_units=units, scope_block=block,
                           pledge_titles=payload.pledge_titles, pledge_deadline=payload.pledge_deadline,
                           document_number=payload.document_number, document_date=payload.document_date,
                           launch_document=launch_document)
    return 201, _movement_out(m)


@router.get("/movements/{movement_id}", response={200: MovementOut, **ERRORS_READ})
def get_movement(request: HttpRequest, movement_id: int):
    return _movement_out(_movement(request, movement_id))


class CriterionIn(Schema):
    name: str
    weight: float
    measure: str = "manual"
    metric_name: str = ""
    parameters: dict[str, Any] = {}
    max_score: float = 100


@router.post("/movements/{movement_id}/criteria", response={201: CriterionOut, **ERRORS_WRITE},
             summary="Thêm tiêu chí (manual | index_result | task_completion | onestop_figure | satisfaction)")
def add_criterion(request: HttpRequest, movement_id: int, payload: CriterionIn):
    m = _movement(request, movement_id)
    c = es.criterion_add(actor=request.auth, movement=m, name=payload.name, weight=payload.weight,
                         measure=payload.measure, metric_name=payload.metric_name, parameters=payload.parameters,
                         max_score=payload.max_score)
    return 201, {"id": c.pk, "order": c.order, "name": c.name, "weight": float(c.weight), "measure": c.measure,
                 "metric_name": c.metric_name, "parameters": c.parameters, "max_score": float(c.max_score)}


class LaunchIn(Schema):
    launched_on: dt.date | None = None


@router.post("/movements/{movement_id}/launch", response={200: MovementOut, **ERRORS_WRITE}, summary="Phát động")
def launch_movement(request: HttpRequest, movement_id: int, payload: LaunchIn):
    m = es.movement_launch(actor=request.auth, movement=_movement(request, movement_id),
                           launched_on=payload.launched_on)
    return _movement_out(m)


class PledgeOut(Schema):
    id: int
    movement_id: int
    subject: str
    unit: EmuUnitRef | None
    block_id: int | None
    person_id: int | None
    subject_label: str
    titles: list[str]
    targets: str
    registered_at: dt.datetime
    signed_at: dt.datetime | None
    signed_by: str


def _pledge_out(p: Pledge) -> dict:
    return {"id": p.pk, "movement_id": p.movement_id, "subject": p.subject, "unit": _ref(p.unit),
            "block_id": p.block_id, "person_id": p.person_id, "subject_label": p.subject_label, "titles": p.titles,
            "targets": p.targets, "registered_at": p.registered_at, "signed_at": p.signed_at,
            "signed_by": p.signed_by}


class RegistrationOut(Schema):
    registered: list[PledgeOut]
    missing: list[EmuUnitRef]
    blocks: list[PledgeOut]
    people: list[PledgeOut]
    signed: int
    unsigned: int


@router.get("/movements/{movement_id}/registration", response={200: RegistrationOut, **ERRORS_READ},
            summary="Đơn vị đã / chưa đăng ký thi đua")
def movement_registration(request: HttpRequest, movement_id: int):
    status = selectors.movement_registration(movement=_movement(request, movement_id))
    return {"registered": [_pledge_out(p) for _, p in status.registered], "missing": [_ref(u) for u in status.missing],
            "blocks": [_pledge_out(p) for p in status.blocks], "people": [_pledge_out(p) for p in status.people],
            "signed": len(status.signed), "unsigned": len(status.unsigned)}


@router.get("/movements/{movement_id}/scores", response={200: list[dict[str, Any]], **ERRORS_READ},
            summary="Điểm thi đua của các đơn vị (tiêu chí có trọng số; chỉ số, nhiệm vụ, hài lòng)")
def movement_score_list(request: HttpRequest, movement_id: int):
    return [s.as_dict() for s in movement_scores(movement=_movement(request, movement_id))]


class PledgeIn(Schema):
    subject: str = "unit"
    unit_code: str | None = None
    block_id: int | None = None
    person_id: int | None = None
    titles: list[str]
    targets: str = ""


@router.post("/movements/{movement_id}/pledges", response={201: PledgeOut, **ERRORS_WRITE},
             summary="Đăng ký thi đua (đơn vị, khối/cụm, cá nhân)")
def register_pledge(request: HttpRequest, movement_id: int, payload: PledgeIn):
    m = _movement(request, movement_id)
    unit = get_object_or_404(Unit, code=payload.unit_code) if payload.unit_code else None
    block = get_object_or_404(EmulationGroup, pk=payload.block_id) if payload.block_id else None
    person = get_object_or_404(Person, pk=payload.person_id) if payload.person_id else None
    p = es.pledge_register(actor=request.auth, movement=m, subject=payload.subject, unit=unit, block=block,
                           person=person, titles=payload.titles, targets=payload.targets)
    return 201, _pledge_out(p)


class SignIn(Schema):
    signed_by: str


@router.post("/pledges/{pledge_id}/sign", response={200: PledgeOut, **ERRORS_WRITE}, summary="Ký giao ước thi đua")
def sign_pledge(request: HttpRequest, pledge_id: int, payload: SignIn):
    pledge = get_object_or_404(Pledge.objects.filter(movement__in=selectors.movements_visible(units=_units(request))),
                               pk=pledge_id)
    return _pledge_out(es.pledge_sign(actor=request.auth, pledge=pledge, signed_by=payload.signed_by))


# -- records -------------------------------------------------------------------------------------------


class YearRecordIn(Schema):
    rating: str = ""
    discipline: str = ""
    discipline_decision: str = ""
    leave_from: dt.date | None = None
    leave_to: dt.date | None = None
    leave_counts: bool = True
    note: str = ""


class YearRecordOut(YearRecordIn):
    person_id: int
    year: int
    source: str


class PersonRecordsOut(Schema):
    person_id: int
    full_name: str
    unit: EmuUnitRef
    recruited_on: dt.date | None
    employment_end: dt.date | None
    years: list[YearRecordOut]
    facts: dict[str, Any]


def _person(request: HttpRequest, person_id: int) -> Person:
    person = get_object_or_404(Person.objects.select_related("unit"), pk=person_id)
    require_found(request.auth, Action.EMULATION_VIEW, person.unit)
    return person


def _record_out(r: Any) -> dict:
    return {"person_id": r.person_id, "year": r.year, "rating": r.rating, "discipline": r.discipline,
            "discipline_decision": r.discipline_decision, "leave_from": r.leave_from, "leave_to": r.leave_to,
            "leave_counts": r.leave_counts, "note": r.note, "source": r.source}


@router.get("/people/{person_id}/records", response={200: PersonRecordsOut, **ERRORS_READ},
            summary="Hồ sơ thi đua của cá nhân và dữ kiện cho bộ quy tắc")
def person_records(request: HttpRequest, person_id: int, year: int | None = None):
    person = _person(request, person_id)
    profile = getattr(person, "emulation_profile", None)
    year = year or dt.date.today().year
    return {"person_id": person.pk, "full_name": person.full_name, "unit": _ref(person.unit),
            "recruited_on": profile.recruited_on if profile else None,
            "employment_end": profile.employment_end if profile else None,
            "years": [_record_out(r) for r in person.emulation_years.all()],
            "facts": selectors.person_facts_many([person], year)[person.pk]}


@router.put("/people/{person_id}/records/{year}", response={200: YearRecordOut, **ERRORS_WRITE},
            summary="Xếp loại, kỷ luật, thời gian nghỉ của một năm")
def put_person_record(request: HttpRequest, person_id: int, year: int, payload: YearRecordIn):
    person = _person(request, person_id)
    r = es.person_year_record_set(actor=request.auth, person=person, year=year, **payload.dict())
    return _record_out(r)


class ProfileIn(Schema):
    recruited_on: dt.date | None
    employment_end: dt.date | None = None


@router.put("/people/{person_id}/profile", response={200: ProfileIn, **ERRORS_WRITE}, summary="Ngày tuyển dụng")
def put_profile(request: HttpRequest, person_id: int, payload: ProfileIn):
    p = es.profile_set(actor=request.auth, person=_person(request, person_id), recruited_on=payload.recruited_on,
                       employment_end=payload.employment_end)
    return {"recruited_on": p.recruited_on, "employment_end": p.employment_end}


# -- initiatives -----------------------------------------------------------------------------------------


class InitiativeOut(Schema):
    id: int
    ref: str
    title: str
    unit: EmuUnitRef
    author_ids: list[int]
    year: int
    scope: str
    status: str
    reviewed_on: dt.date | None
    review_recommends: bool | None
    review_score: float | None
    decision_number: str
    recognised_on: dt.date | None
    applied_effectively: bool | None


def _initiative_out(i: Initiative) -> dict:
    return {"id": i.pk, "ref": i.ref, "title": i.title, "unit": _ref(i.unit),
            "author_ids": [a.pk for a in i.authors.all()], "year": i.year, "scope": i.scope, "status": i.status,
            "reviewed_on": i.reviewed_on, "review_recommends": i.review_recommends,
            "review_score": float(i.review_score) if i.review_score is not None else None,
            "decision_number": i.decision_number, "recognised_on": i.recognised_on,
            "applied_effectively": i.applied_effectively}


def _initiatives(request: HttpRequest):
    return Initiative.objects.filter(unit__in=_units(request)).select_related("unit").prefetch_related("authors")


@router.get("/initiatives", response={200: list[InitiativeOut], **ERRORS_READ}, summary="Sáng kiến")
def list_initiatives(request: HttpRequest, year: int | None = None, status: str | None = None):
    qs = _initiatives(request)
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return [_initiative_out(i) for i in qs[:MAX_PAGE_SIZE]]


class InitiativeIn(Schema):
    unit_code: str
    title: str
    author_ids: list[int]
    year: int
    summary: str = ""
    scope: str = "co_so"
    applied_on: dt.date | None = None


@router.post("/initiatives", response={201: InitiativeOut, **ERRORS_WRITE}, summary="Đề nghị công nhận sáng kiến")
def propose_initiative(request: HttpRequest, payload: InitiativeIn):
    unit = get_object_or_404(Unit, code=payload.unit_code)
    authors = list(Person.objects.filter(pk__in=payload.author_ids))
    i = es.initiative_propose(actor=request.auth, unit=unit, title=payload.title, authors=authors, year=payload.year,
                              summary=payload.summary, scope=payload.scope, applied_on=payload.applied_on)
    return 201, _initiative_out(i)


class ReviewIn(Schema):
    recommends: bool
    score: float | None = None
    note: str = ""
    reviewed_on: dt.date | None = None


@router.post("/initiatives/{initiative_id}/review", response={200: InitiativeOut, **ERRORS_WRITE},
             summary="Hội đồng sáng kiến xét")
def review_initiative(request: HttpRequest, initiative_id: int, payload: ReviewIn):
    i = get_object_or_404(_initiatives(request), pk=initiative_id)
    return _initiative_out(es.initiative_review(actor=request.auth, initiative=i, **payload.dict()))


class RecogniseIn(Schema):
    decision_number: str
    recognised_on: dt.date
    recognised_by: str = ""
    scope: str | None = None
    applied_effectively: bool | None = True
    replicable: bool | None = None


@router.post("/initiatives/{initiative_id}/recognise", response={200: InitiativeOut, **ERRORS_WRITE},
             summary="Quyết định công nhận sáng kiến")
def recognise_initiative(request: HttpRequest, initiative_id: int, payload: RecogniseIn):
    i = get_object_or_404(_initiatives(request), pk=initiative_id)
    return _initiative_out(es.initiative_recognise(actor=request.auth, initiative=i, **payload.dict()))


# -- awards register ---------------------------------------------------------------------------------------


class AwardOut(Schema):
    id: int
    person_id: int | None
    person_name: str | None
    unit: EmuUnitRef | None
    title_code: str
    year: int
    decision_number: str
    decision_date: dt.date | None
    authority: str
    signer: str
    amount: int | None
    achievement_ref: str
    source: str
    revoked_on: dt.date | None
    revocation_reason: str
    clawback_amount: int | None


class AwardPage(Schema):
    items: list[AwardOut]
    total: int
    page: int
    page_size: int
    pages: int


def _award_out(a: AwardRecord) -> dict:
    return {"id": a.pk, "person_id": a.person_id, "person_name": a.person.full_name if a.person_id else None,
            "unit": _ref(a.unit), "title_code": a.title_code, "year": a.year, "decision_number": a.decision_number,
            "decision_date": a.decision_date, "authority": a.authority, "signer": a.signer,
            "amount": int(a.amount) if a.amount is not None else None, "achievement_ref": a.achievement_ref,
            "source": a.source, "revoked_on": a.revoked_on, "revocation_reason": a.revocation_reason,
            "clawback_amount": int(a.clawback_amount) if a.clawback_amount is not None else None}


class AwardFilter(Schema):
    q: str | None = Field(None, max_length=200)
    person_id: int | None = Field(None, ge=1, le=2_147_483_647)
    unit_code: str | None = Field(None, max_length=40)
    title: str | None = Field(None, max_length=30)
    year: int | None = Field(None, ge=1900, le=2100)
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


@router.get("/awards", response={200: AwardPage, **ERRORS_READ},
            summary="Sổ khen thưởng (cá nhân, tập thể; đơn vị gồm đơn vị trực thuộc và đơn vị tiền thân)")
def list_awards(request: HttpRequest, filters: Query[AwardFilter]):
    from congvu.emulation.selectors_council import awards_register

    require(request.auth, Action.EMULATION_VIEW)
    unit = None
    if filters.unit_code:
        unit = get_object_or_404(Unit, code=filters.unit_code)
        require_found(request.auth, Action.EMULATION_VIEW, unit)
    qs = awards_register(query=filters.q or "", unit=unit, person_id=filters.person_id, title_code=filters.title or "",
                         year=filters.year, user=request.auth)
    items, meta = paginate(qs, max(filters.page, 1), min(max(filters.page_size, 1), MAX_PAGE_SIZE))
    return {"items": [_award_out(a) for a in items], **meta}


class ResearchIn(Schema):
    unit_code: str
    title: str
    author_ids: list[int]
    year: int
    scope: str = "co_so"
    accepted_on: dt.date | None = None
    decision_number: str = ""
    applied_effectively: bool | None = None


class ResearchOut(Schema):
    id: int
    ref: str
    title: str
    year: int
    scope: str
    accepted_on: dt.date | None
    applied_effectively: bool | None


@router.post("/research", response={201: ResearchOut, **ERRORS_WRITE}, summary="Đề tài, đề án khoa học đã nghiệm thu")
def create_research(request: HttpRequest, payload: ResearchIn):
    unit = get_object_or_404(Unit, code=payload.unit_code)
    authors = list(Person.objects.filter(pk__in=payload.author_ids))
    r = es.research_record(actor=request.auth, unit=unit, title=payload.title, year=payload.year, authors=authors,
                           scope=payload.scope, accepted_on=payload.accepted_on,
                           decision_number=payload.decision_number, applied_effectively=payload.applied_effectively)
    return 201, {"id": r.pk, "ref": r.ref, "title": r.title, "year": r.year, "scope": r.scope,
                 "accepted_on": r.accepted_on, "applied_effectively": r.applied_effectively}


# -- rounds and candidates ------------------------------------------------------------------------------------


class RoundOut(Schema):
    id: int
    year: int
    unit: EmuUnitRef
    name: str
    state: str
    rule_set: str
    titles: list[str]
    nomination_deadline: dt.date | None
    disclosure_working_days: int
    disclosure_start: dt.date | None
    disclosure_end: dt.date | None
    candidates: int
    nominated: int


def _round_out(r: Round) -> dict:
    return {"id": r.pk, "year": r.year, "unit": _ref(r.unit), "name": r.name, "state": r.state,
            "rule_set": r.rule_set, "titles": r.titles, "nomination_deadline": r.nomination_deadline,
            "disclosure_working_days": r.disclosure_working_days, "disclosure_start": r.disclosure_start,
            "disclosure_end": r.disclosure_end, "candidates": r.candidates.count(),
            "nominated": r.candidates.filter(nominated=True).count()}


def _round(request: HttpRequest, round_id: int) -> Round:
    return get_object_or_404(selectors.rounds_visible(user=request.auth), pk=round_id)


@router.get("/rounds", response={200: list[RoundOut], **ERRORS_READ}, summary="Đợt bình xét")
def list_rounds(request: HttpRequest, year: int | None = None):
    require(request.auth, Action.EMULATION_VIEW)
    qs = selectors.rounds_visible(user=request.auth).order_by("-year", "-opened_at")
    if year:
        qs = qs.filter(year=year)
    return [_round_out(r) for r in qs[:MAX_PAGE_SIZE]]


class RoundIn(Schema):
    unit_code: str
    year: int
    titles: list[str] = []
    name: str = ""
    nomination_deadline: dt.date | None = None


@router.post("/rounds", response={201: RoundOut, **ERRORS_WRITE},
             summary="Mở đợt bình xét; bộ quy tắc xét sẵn mọi cá nhân, tập thể trong phạm vi")
def open_round(request: HttpRequest, payload: RoundIn):
    unit = get_object_or_404(Unit, code=payload.unit_code)
    r = es.round_open(actor=request.auth, unit=unit, year=payload.year, titles=payload.titles or None,
                      name=payload.name, nomination_deadline=payload.nomination_deadline)
    return 201, _round_out(r)


@router.get("/rounds/{round_id}", response={200: RoundOut, **ERRORS_READ})
def get_round(request: HttpRequest, round_id: int):
    return _round_out(_round(request, round_id))


@router.post("/rounds/{round_id}/prefill", response={200: dict[str, int], **ERRORS_WRITE},
             summary="Xét lại điều kiện theo dữ liệu mới")
def prefill_round(request: HttpRequest, round_id: int):
    return es.round_prefill(actor=request.auth, round=_round(request, round_id))


class DiscloseIn(Schema):
    start: dt.date | None = None


@router.post("/rounds/{round_id}/disclose", response={200: RoundOut, **ERRORS_WRITE},
             summary="Công khai danh sách đề nghị (ngày làm việc)")
def disclose_round(request: HttpRequest, round_id: int, payload: DiscloseIn):
    return _round_out(es.round_disclose(actor=request.auth, round=_round(request, round_id), start=payload.start))


class SubmitIn(Schema):
    on: dt.date | None = None


@router.post("/rounds/{round_id}/submit", response={200: RoundOut, **ERRORS_WRITE}, summary="Trình Hội đồng TĐKT")
def submit_round(request: HttpRequest, round_id: int, payload: SubmitIn):
    return _round_out(es.round_submit(actor=request.auth, round=_round(request, round_id), on=payload.on))


class CandidateOut(Schema):
    id: int
    round_id: int
    person_id: int | None
    person_name: str | None
    unit: EmuUnitRef
    title_code: str
    verdict: str
    rule_set: str
    conditions: list[dict[str, Any]]
    nominated: bool
    nominated_at: dt.datetime | None
    report: str
    checklist: dict[str, Any]


class CandidatePage(Schema):
    items: list[CandidateOut]
    total: int
    page: int
    page_size: int
    pages: int


def candidate_out(c: Candidate) -> dict:
    return {"id": c.pk, "round_id": c.round_id, "person_id": c.person_id,
            "person_name": c.person.full_name if c.person_id else None, "unit": _ref(c.unit),
            "title_code": c.title_code, "verdict": c.verdict, "rule_set": c.rule_set,
            "conditions": c.verdict_detail.get("conditions", []), "nominated": c.nominated,
            "nominated_at": c.nominated_at, "report": c.report, "checklist": c.checklist}


class CandidateFilter(Schema):
    unit_code: str | None = Field(None, max_length=40)
    title: str | None = Field(None, max_length=30)
    verdict: str | None = Field(None, max_length=20)
    nominated: bool | None = None
    kind: str | None = Field(None, max_length=20)
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


@router.get("/rounds/{round_id}/candidates", response={200: CandidatePage, **ERRORS_READ},
            summary="Đối tượng bình xét với kết quả xét điều kiện")
def list_candidates(request: HttpRequest, round_id: int, filters: Query[CandidateFilter]):
    rnd = _round(request, round_id)
    qs = rnd.candidates.filter(unit__in=_units(request)).select_related("person", "unit")
    if filters.unit_code:
        qs = qs.filter(unit__code=filters.unit_code)
    if filters.title:
        qs = qs.filter(title_code=filters.title.upper())
    if filters.verdict:
        qs = qs.filter(verdict=filters.verdict)
    if filters.nominated is not None:
        qs = qs.filter(nominated=filters.nominated)
    if filters.kind == "person":
        qs = qs.filter(person__isnull=False)
    elif filters.kind == "collective":
        qs = qs.filter(person__isnull=True)
    items, meta = paginate(qs, max(filters.page, 1), min(max(filters.page_size, 1), MAX_PAGE_SIZE))
    return {"items": [candidate_out(c) for c in items], **meta}


def _candidate(request: HttpRequest, candidate_id: int) -> Candidate:
    c = get_object_or_404(Candidate.objects.select_related("round", "round__unit", "person", "unit"), pk=candidate_id)
    require_found(request.auth, Action.EMULATION_VIEW, c.unit)
    return c


class NominateIn(Schema):
    report: str | None = None


@router.post("/candidates/{candidate_id}/nominate", response={200: CandidateOut, **ERRORS_WRITE},
             summary="Đơn vị đề nghị (báo cáo thành tích dự thảo từ dữ liệu nếu để trống)")
def nominate(request: HttpRequest, candidate_id: int, payload: NominateIn):
    c = es.candidate_nominate(actor=request.auth, candidate=_candidate(request, candidate_id), report=payload.report)
    return candidate_out(c)


@router.post("/candidates/{candidate_id}/withdraw", response={200: CandidateOut, **ERRORS_WRITE})
def withdraw(request: HttpRequest, candidate_id: int):
    return candidate_out(es.candidate_withdraw(actor=request.auth, candidate=_candidate(request, candidate_id)))


class CandidatePatch(Schema):
    report: str | None = None
    checklist: dict[str, bool] | None = None


@router.patch("/candidates/{candidate_id}", response={200: CandidateOut, **ERRORS_WRITE},
              summary="Sửa báo cáo thành tích, đánh dấu thành phần hồ sơ")
def patch_candidate(request: HttpRequest, candidate_id: int, payload: CandidatePatch):
    c = es.candidate_update(actor=request.auth, candidate=_candidate(request, candidate_id), report=payload.report,
                            checklist=payload.checklist)
    return candidate_out(c)


@router.get("/units/{code}/head-evidence", response={200: dict[str, Any], **ERRORS_READ},
            summary="Số liệu CCHC, nhiệm vụ, hài lòng đề xuất làm căn cứ đánh giá người đứng đầu (không bắt buộc)")
def head_evidence(request: HttpRequest, code: str, year: int):
    unit = get_object_or_404(Unit, code=code)
    require_found(request.auth, Action.EMULATION_VIEW, unit)
    return head_rating_evidence(unit=unit, year=year).as_dict()


class EmuImportOut(Schema):
    rows: int
    imported: dict[str, int]
    unchanged: int
    applied: bool
    errors: list[dict[str, Any]]


@router.post("/imports", response={200: EmuImportOut, **ERRORS_WRITE},
             summary="Nhập Excel: xếp loại, sáng kiến, khen thưởng đã có (không nhập gì nếu có dòng lỗi)")
def import_xlsx(request: HttpRequest, file: File[UploadedFile], skip_bad_rows: Form[bool] = False,
                dry_run: Form[bool] = False):
    from congvu.emulation.importing import import_workbook

    require(request.auth, Action.EMULATION_MANAGE)
    return import_workbook(actor=request.auth, stream=file, skip_bad_rows=skip_bad_rows, dry_run=dry_run).as_dict()


# -- council, decisions, register across mergers, certificates, exemplars (module api_council) -------------

from congvu.emulation.api_council import router as council_router  # noqa: E402

router.add_router("", council_router)
