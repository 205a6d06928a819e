"""Council, decision, awards-register and exemplar endpoints (included by `emulation/api.py`, so they
appear under /api/emulation/ in the OpenAPI document).

Secret tallies are never returned while a session is open or voting; a member sees only which items
they have voted on. Dates are ISO."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from congvu.api.schemas import ERRORS_READ, ERRORS_WRITE, MAX_PAGE_SIZE, paginate
from congvu.common.errors import DomainError
from congvu.emulation import selectors_council as sel
from congvu.emulation import services_council as svc
from congvu.emulation.documents import certificate_pdf, decision_docx, minutes_docx
from congvu.emulation.models import AwardRecord, Candidate, Round
from congvu.emulation.models_council import CouncilSession, Decision, Exemplar
from congvu.emulation.rules import TITLES
from congvu.org.models import Person, Unit
from congvu.org.policy import decide, require, require_found
from congvu.org.roles import Action

router = Router(tags=["emulation-council"])

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def file_response(blob: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(blob, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ------------------------------------------------------------------------------------------------
# Schemas
# ------------------------------------------------------------------------------------------------


class MemberIn(Schema):
    name: str
    role: str = ""
    username: str | None = None
    person_id: int | None = None
    present: bool = True
    chair: bool = False
    secretary: bool = False


class SessionIn(Schema):
    round_id: int
    name: str
    held_on: dt.date
    location: str = ""
    members: list[MemberIn]
    candidate_ids: list[int] | None = None


class MemberOut(Schema):
    id: int
    name: str
    role: str
    present: bool
    is_chair: bool
    is_secretary: bool


class ItemOut(Schema):
    id: int
    candidate_id: int
    candidate: str
    unit: str
    title_code: str
    title_name: str
    ballot: str
    approval_percent: float
    approval_strict: bool
    turnout: int
    voted_by_me: bool
    report: str = ""
    yes: int | None = None
    no: int | None = None
    abstain: int | None = None
    approved: bool | None = None
    result_text: str = ""


class SessionOut(Schema):
    id: int
    round_id: int
    name: str
    held_on: dt.date
    location: str
    state: str
    state_label: str
    rule_set: str
    quorum: str
    quorum_text: str
    members: list[MemberOut]
    items: list[ItemOut]
    i_am_member: bool
    can_manage: bool


class BallotIn(Schema):
    choices: dict[int, str]


class WrittenVoteIn(Schema):
    member_id: int
    item_id: int
    choice: str


class PresenceIn(Schema):
    member_id: int
    present: bool


class PublishIn(Schema):
    minutes_number: str = ""


class AwardDecisionIn(Schema):
    session_id: int
    item_ids: list[int]
    number: str
    decided_on: dt.date
    authority: str
    issuer_unit: str
    signer_name: str
    signer_title: str
    signer_prefix: str = ""
    summary: str = ""


class CouncilAwardOut(Schema):
    id: int
    person_id: int | None
    unit_id: int | None
    name: str
    unit: str
    title_code: str
    title_name: str
    year: int
    decision_number: str
    decision_date: dt.date | None
    authority: str
    amount: int | None
    rule_set: str
    source: str
    revoked_on: dt.date | None
    revocation_reason: str
    clawback_amount: int | None


class AwardDecisionOut(Schema):
    id: int
    number: str
    decided_on: dt.date
    unit: str
    title_code: str
    kind: str
    year: int
    authority: str
    authority_name: str
    signer_name: str
    signer_title: str
    signer_prefix: str
    summary: str
    rule_set: str
    coefficient: float
    base_salary: int
    base_salary_source: str
    amount_each: int
    awards: list[CouncilAwardOut]


class RevokeIn(Schema):
    revoked_on: dt.date
    reason: str
    clawback: int | None = None


class CouncilAwardPage(Schema):
    items: list[CouncilAwardOut]
    total: int
    page: int
    page_size: int
    pages: int


class RegisterFilter(Schema):
    q: str = ""
    unit: str | None = None
    person: int | None = None
    title: str = ""
    year: int | None = None
    lineage: bool = True
    page: int = 1
    page_size: int = 50


class ExemplarIn(Schema):
    unit: str
    month: dt.date
    kind: str
    subject_name: str
    headline: str
    story: str
    person_id: int | None = None


class ExemplarOut(Schema):
    id: int
    unit: str
    month: dt.date
    kind: str
    kind_label: str
    subject_name: str
    headline: str
    story: str
    state: str
    review_note: str
    published_at: dt.datetime | None


class ExemplarReviewIn(Schema):
    approve: bool
    note: str = ""


# ------------------------------------------------------------------------------------------------
# Helpers
# ------------------------------------------------------------------------------------------------


def _session(request: HttpRequest, session_id: int) -> CouncilSession:
    return get_object_or_404(sel.sessions_visible(user=request.auth), pk=session_id)


def session_out(session: CouncilSession, user) -> dict:
    member = sel.session_member(session, user)
    mine = sel.items_voted_by(member) if member else set()
    turnout = sel.session_turnout(session)
    show = sel.results_visible(session, user)
    members = list(session.members.all())
    items = []
    for item in session.items.select_related("candidate__person", "candidate__unit"):
        c = item.candidate
        frac = item.approval_ratio.split("/")
        pct = round(int(frac[0]) * 100 / int(frac[1]), 2) if len(frac) == 2 else float(frac[0]) * 100
        row = {"id": item.pk, "candidate_id": c.pk, "candidate": c.person.full_name if c.person_id else c.unit.name,
               "unit": c.unit.name, "title_code": item.title_code,
               "title_name": TITLES[item.title_code].name_vi if item.title_code in TITLES else item.title_code,
               "ballot": item.ballot, "approval_percent": pct, "approval_strict": item.approval_strict,
               "turnout": turnout.get(item.pk, 0), "voted_by_me": item.pk in mine, "report": c.report}
        if show:
            row.update(yes=item.yes, no=item.no, abstain=item.abstain, approved=item.approved,
                       result_text=item.result_text)
        items.append(row)
    return {
        "id": session.pk, "round_id": session.round_id, "name": session.name, "held_on": session.held_on,
        "location": session.location, "state": session.state, "state_label": session.get_state_display(),
        "rule_set": session.rule_set, "quorum": session.quorum,
        "quorum_text": svc.council_quorum(session).text if members else "",
        "members": [{"id": m.pk, "name": m.name, "role": m.role, "present": m.present, "is_chair": m.is_chair,
                     "is_secretary": m.is_secretary} for m in members],
        "items": items, "i_am_member": member is not None,
        "can_manage": decide(user, Action.EMULATION_MANAGE, session.unit).allowed,
    }


def award_out(a: AwardRecord) -> dict:
    title = TITLES.get(a.title_code)
    return {"id": a.pk, "person_id": a.person_id, "unit_id": a.unit_id,
            "name": a.person.full_name if a.person_id else a.unit.name,
            "unit": a.person.unit.name if a.person_id else a.unit.name,
            "title_code": a.title_code, "title_name": title.name_vi if title else a.title_code, "year": a.year,
            "decision_number": a.decision_number, "decision_date": a.decision_date, "authority": a.authority,
            "amount": int(a.amount) if a.amount is not None else None, "rule_set": a.rule_set, "source": a.source,
            "revoked_on": a.revoked_on, "revocation_reason": a.revocation_reason,
            "clawback_amount": int(a.clawback_amount) if a.clawback_amount is not None else None}


def decision_out(d: Decision) -> dict:
    return {"id": d.pk, "number": d.number, "decided_on": d.decided_on, "unit": d.unit.name,
            "title_code": d.title_code, "kind": d.kind, "year": d.year, "authority": d.authority,
            "authority_name": d.authority_name, "signer_name": d.signer_name, "signer_title": d.signer_title,
            "signer_prefix": d.signer_prefix, "summary": d.summary, "rule_set": d.rule_set,
            "coefficient": float(d.coefficient), "base_salary": d.base_salary,
            "base_salary_source": d.base_salary_source, "amount_each": d.amount_each,
            "awards": [award_out(line.award) for line in d.lines.select_related("award__person__unit", "award__unit")]}


def exemplar_out(e: Exemplar) -> dict:
    return {"id": e.pk, "unit": e.unit.name, "month": e.month, "kind": e.kind, "kind_label": e.get_kind_display(),
            "subject_name": e.subject_name, "headline": e.headline, "story": e.story, "state": e.state,
            "review_note": e.review_note, "published_at": e.published_at}


def award_visible(user, award: AwardRecord) -> None:
    require_found(user, Action.EMULATION_VIEW, award.unit if award.unit_id else award.person.unit)


# ------------------------------------------------------------------------------------------------
# Sessions and votes
# ------------------------------------------------------------------------------------------------


@router.get("/council/sessions", response={200: list[SessionOut], **ERRORS_READ}, summary="Phiên họp Hội đồng TĐKT")
def emulation_list_sessions(request: HttpRequest):
    return [session_out(x, request.auth) for x in sel.sessions_visible(user=request.auth)[:MAX_PAGE_SIZE]]


@router.post("/council/sessions", response={201: SessionOut, **ERRORS_WRITE}, summary="Triệu tập phiên họp hội đồng")
def emulation_create_session(request: HttpRequest, payload: SessionIn):
    rnd = get_object_or_404(Round, pk=payload.round_id)
    require_found(request.auth, Action.EMULATION_MANAGE, rnd.unit, view_action=Action.EMULATION_VIEW)
    users = get_user_model().objects
    members = []
    for i, m in enumerate(payload.members, start=1):
        user = None
        if m.username:
            user = users.filter(username=m.username).first()
            if user is None:
                raise DomainError("emulation.council.member_user", f"Thành viên thứ {i}: không có tài khoản {m.username!r}.")
        person = get_object_or_404(Person, pk=m.person_id) if m.person_id else None
        members.append({"name": m.name, "role": m.role, "user": user, "person": person, "present": m.present,
                        "chair": m.chair, "secretary": m.secretary})
    candidates = None
    if payload.candidate_ids is not None:
        candidates = list(Candidate.objects.filter(pk__in=payload.candidate_ids, round=rnd))
        if len(candidates) != len(set(payload.candidate_ids)):
            raise DomainError("emulation.council.agenda", "Có đối tượng không thuộc đợt bình xét này.")
    session = svc.council_session_create(actor=request.auth, round=rnd, name=payload.name, held_on=payload.held_on,
                                         location=payload.location, members=members, candidates=candidates)
    return 201, session_out(session, request.auth)


@router.get("/council/sessions/{session_id}", response={200: SessionOut, **ERRORS_READ})
def emulation_get_session(request: HttpRequest, session_id: int):
    return session_out(_session(request, session_id), request.auth)


@router.post("/council/sessions/{session_id}/presence", response={200: SessionOut, **ERRORS_WRITE},
             summary="Điểm danh thành viên (trước khi bỏ phiếu)")
def emulation_set_presence(request: HttpRequest, session_id: int, payload: PresenceIn):
    session = _session(request, session_id)
    member = get_object_or_404(session.members, pk=payload.member_id)
    svc.council_member_presence(actor=request.auth, member=member, present=payload.present)
    return session_out(session, request.auth)


@router.post("/council/sessions/{session_id}/start", response={200: SessionOut, **ERRORS_WRITE},
             summary="Bắt đầu bỏ phiếu (kiểm tra số thành viên có mặt)")
def emulation_start_voting(request: HttpRequest, session_id: int):
    session = svc.council_voting_start(actor=request.auth, session=_session(request, session_id))
    return session_out(session, request.auth)


@router.post("/council/sessions/{session_id}/ballot", response={200: SessionOut, **ERRORS_WRITE},
             summary="Thành viên bỏ phiếu (nội dung → đồng ý / không đồng ý / không biểu quyết)")
def emulation_cast_ballot(request: HttpRequest, session_id: int, payload: BallotIn):
    session = _session(request, session_id)
    svc.council_ballot_submit(actor=request.auth, session=session, choices=payload.choices)
    return session_out(session, request.auth)


@router.post("/council/sessions/{session_id}/written-votes", response={200: SessionOut, **ERRORS_WRITE},
             summary="Ghi phiếu bằng văn bản của thành viên vắng mặt (chỉ biểu quyết công khai)")
def emulation_record_written_vote(request: HttpRequest, session_id: int, payload: WrittenVoteIn):
    session = _session(request, session_id)
    member = get_object_or_404(session.members, pk=payload.member_id)
    item = get_object_or_404(session.items, pk=payload.item_id)
    svc.council_vote_cast(actor=request.auth, item=item, choice=payload.choice, member=member)
    return session_out(session, request.auth)


@router.post("/council/sessions/{session_id}/close", response={200: SessionOut, **ERRORS_WRITE},
             summary="Kết thúc bỏ phiếu, tính kết quả trên tổng số thành viên")
def emulation_close_session(request: HttpRequest, session_id: int):
    session = svc.council_close(actor=request.auth, session=_session(request, session_id))
    return session_out(session, request.auth)


@router.post("/council/sessions/{session_id}/publish", response={200: SessionOut, **ERRORS_WRITE},
             summary="Công bố kết quả")
def emulation_publish_session(request: HttpRequest, session_id: int, payload: PublishIn):
    session = svc.council_publish(actor=request.auth, session=_session(request, session_id),
                                  minutes_number=payload.minutes_number)
    return session_out(session, request.auth)


@router.get("/council/sessions/{session_id}/minutes.docx", response={200: None, **ERRORS_READ},
            summary="Biên bản họp hội đồng (DOCX)")
def emulation_session_minutes(request: HttpRequest, session_id: int):
    session = _session(request, session_id)
    return file_response(minutes_docx(svc.council_minutes_data(session)), DOCX, f"bien-ban-hoi-dong-{session.pk}.docx")


# ------------------------------------------------------------------------------------------------
# Decisions and the awards register
# ------------------------------------------------------------------------------------------------


@router.post("/decisions", response={201: AwardDecisionOut, **ERRORS_WRITE},
             summary="Quyết định khen thưởng (kiểm tra thẩm quyền, tính tiền thưởng, ghi sổ khen thưởng)")
def emulation_create_decision(request: HttpRequest, payload: AwardDecisionIn):
    session = _session(request, payload.session_id)
    items = list(session.items.filter(pk__in=payload.item_ids))
    if len(items) != len(set(payload.item_ids)):
        raise DomainError("emulation.decision.items", "Có nội dung không thuộc phiên họp này.")
    issuer = get_object_or_404(Unit, code=payload.issuer_unit)
    decision = svc.decision_create(
        actor=request.auth, session=session, items=items, number=payload.number, decided_on=payload.decided_on,
        authority=payload.authority, issuer=issuer, signer_name=payload.signer_name, signer_title=payload.signer_title,
        signer_prefix=payload.signer_prefix, summary=payload.summary)
    return 201, decision_out(decision)


def _decision(request: HttpRequest, decision_id: int) -> Decision:
    decision = get_object_or_404(Decision.objects.select_related("unit", "session"), pk=decision_id)
    require_found(request.auth, Action.EMULATION_VIEW, decision.session.unit if decision.session else decision.unit)
    return decision


@router.get("/decisions/{decision_id}", response={200: AwardDecisionOut, **ERRORS_READ})
def emulation_get_decision(request: HttpRequest, decision_id: int):
    return decision_out(_decision(request, decision_id))


@router.get("/decisions/{decision_id}/decision.docx", response={200: None, **ERRORS_READ},
            summary="Quyết định khen thưởng (DOCX, thể thức NĐ 30/2020)")
def emulation_decision_file(request: HttpRequest, decision_id: int):
    decision = _decision(request, decision_id)
    return file_response(decision_docx(svc.decision_data(decision)), DOCX, f"quyet-dinh-{decision.pk}.docx")


@router.get("/awards/register", response={200: CouncilAwardPage, **ERRORS_READ},
            summary="Sổ khen thưởng theo đơn vị qua các lần sáp nhập (kể cả đơn vị trực thuộc, đơn vị tiền thân), "
                    "tìm không dấu nhiều từ")
def emulation_award_register(request: HttpRequest, filters: Query[RegisterFilter]):
    require(request.auth, Action.EMULATION_VIEW)
    unit = get_object_or_404(Unit, code=filters.unit) if filters.unit else None
    if unit is not None:
        require_found(request.auth, Action.EMULATION_VIEW, unit)
    qs = sel.awards_register(query=filters.q, unit=unit, person_id=filters.person, title_code=filters.title,
                             year=filters.year, lineage=filters.lineage, user=request.auth)
    items, meta = paginate(qs, max(1, filters.page), min(MAX_PAGE_SIZE, max(1, filters.page_size)))
    return {"items": [award_out(a) for a in items], **meta}


@router.get("/awards/{award_id}/certificate.pdf", response={200: None, **ERRORS_READ},
            summary="Bằng, giấy chứng nhận (PDF)")
def emulation_award_certificate(request: HttpRequest, award_id: int):
    award = get_object_or_404(AwardRecord.objects.select_related("person__unit", "unit"), pk=award_id)
    award_visible(request.auth, award)
    if award.revoked_on:
        raise DomainError("emulation.award.revoked", "Khen thưởng đã bị hủy bỏ: không cấp bằng, giấy chứng nhận.")
    return file_response(certificate_pdf(svc.certificate_data(award)), "application/pdf", f"chung-nhan-{award.pk}.pdf")


@router.post("/awards/{award_id}/revoke", response={200: CouncilAwardOut, **ERRORS_WRITE},
             summary="Hủy bỏ khen thưởng và thu hồi tiền thưởng")
def emulation_revoke_award(request: HttpRequest, award_id: int, payload: RevokeIn):
    award = get_object_or_404(AwardRecord.objects.select_related("person__unit", "unit"), pk=award_id)
    award_visible(request.auth, award)
    award = svc.award_revoke(actor=request.auth, award=award, revoked_on=payload.revoked_on, reason=payload.reason,
                             clawback=payload.clawback)
    return award_out(award)


# ------------------------------------------------------------------------------------------------
# Exemplars
# ------------------------------------------------------------------------------------------------


@router.get("/exemplars/public", auth=None, response={200: list[ExemplarOut]},
            summary="Điển hình tiên tiến, gương người tốt việc tốt đã công bố (công khai, không cần đăng nhập)")
def emulation_public_exemplars(request: HttpRequest, q: str = ""):
    return [exemplar_out(e) for e in sel.exemplars_public(query=q)[:MAX_PAGE_SIZE]]


@router.get("/exemplars", response={200: list[ExemplarOut], **ERRORS_READ}, summary="Đề xuất điển hình chờ duyệt")
def emulation_list_exemplars(request: HttpRequest):
    require(request.auth, Action.EMULATION_MANAGE)
    return [exemplar_out(e) for e in sel.exemplars_for_review(user=request.auth)[:MAX_PAGE_SIZE]]


@router.post("/exemplars", response={201: ExemplarOut, **ERRORS_WRITE}, summary="Đơn vị đề xuất điển hình trong tháng")
def emulation_propose_exemplar(request: HttpRequest, payload: ExemplarIn):
    unit = get_object_or_404(Unit, code=payload.unit)
    person = get_object_or_404(Person, pk=payload.person_id) if payload.person_id else None
    ex = svc.exemplar_propose(actor=request.auth, unit=unit, month=payload.month, kind=payload.kind,
                              subject_name=payload.subject_name, headline=payload.headline, story=payload.story,
                              person=person)
    return 201, exemplar_out(ex)


@router.post("/exemplars/{exemplar_id}/review", response={200: ExemplarOut, **ERRORS_WRITE})
def emulation_review_exemplar(request: HttpRequest, exemplar_id: int, payload: ExemplarReviewIn):
    ex = get_object_or_404(Exemplar, pk=exemplar_id)
    return exemplar_out(svc.exemplar_review(actor=request.auth, exemplar=ex, approve=payload.approve, note=payload.note))


@router.post("/exemplars/{exemplar_id}/publish", response={200: ExemplarOut, **ERRORS_WRITE})
def emulation_publish_exemplar(request: HttpRequest, exemplar_id: int):
    ex = get_object_or_404(Exemplar, pk=exemplar_id)
    return exemplar_out(svc.exemplar_publish(actor=request.auth, exemplar=ex))
