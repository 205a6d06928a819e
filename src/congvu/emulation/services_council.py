"""Council sessions and votes, award decisions and revocation, exemplars.

Writes are `<entity>_<verb>(*, actor, …)`: keyword-only, transactional, policy-checked
(`Action.EMULATION_MANAGE` for the officer, `Action.COUNCIL_VOTE` for members) and audited. A refused
input raises `DomainError` with the reason and changes nothing.

Secret ballots: `council_vote_cast` writes a participation row (member, item, written) and bumps
the item's anonymous counters with an UPDATE … SET n = n + 1; the audit entry names the member
and the item, never the choice, and never snapshots the counters (see `models_council`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from congvu.audit.services import audit_record, model_snapshot
from congvu.common.bounds import date_in_range, text_ok
from congvu.common.errors import Conflict, DomainError, NotAllowed
from congvu.common.text import clean, search_key
from congvu.emulation import council as arith
from congvu.emulation.models import AwardRecord, AwardSource, Candidate, Round, RoundState
from congvu.emulation.models_council import (
    Ballot,
    BallotParticipation,
    CouncilItem,
    CouncilMember,
    CouncilSession,
    Decision,
    DecisionLine,
    Exemplar,
    ExemplarKind,
    ExemplarState,
    OpenVote,
    SessionState,
)
from congvu.emulation.rules import TITLES, RulesError, default_book, may_award, reward
from congvu.emulation.services.records import award_record_create
from congvu.org.models import Person, Unit
from congvu.org.policy import decide, require
from congvu.org.roles import Action

ITEM_PUBLIC_FIELDS = ("id", "session_id", "candidate_id", "title_code", "order", "ballot", "approval_ratio",
                      "approval_strict", "yes", "no", "abstain", "approved", "result_text")
SIGNER_PREFIXES = ("", "TM.", "KT.", "TL.", "TUQ.", "Q.")
# Which kind of unit issues the decisions of an authority of the rule engine's matrix (an authority
# code not listed here is not checked: enterprises, the Prime Minister).
ISSUER_KINDS = {
    "chu_tich_ubnd_tinh": {"province"},
    "chu_tich_ubnd_huyen": {"district"},
    "chu_tich_ubnd_xa": {"commune", "ward", "township", "special_zone"},
    "thu_truong_co_quan": {"agency"},
}


def _err(code: str, message: str, **details: Any) -> DomainError:
    return DomainError(f"emulation.{code}", message, details=details or None)


def _fraction(text: str) -> Fraction:
    return Fraction(text)


def _item_snapshot(item: CouncilItem) -> dict[str, Any]:
    """An item for the audit log: never the secret counters."""
    snap = model_snapshot(item)
    return {k: v for k, v in snap.items() if k in ITEM_PUBLIC_FIELDS}


def _lock_session(session: CouncilSession) -> CouncilSession:
    return CouncilSession.objects.select_for_update().get(pk=session.pk)


def _candidate_label(c: Candidate) -> str:
    return c.person.full_name if c.person_id else c.unit.name


# ------------------------------------------------------------------------------------------------
# Sessions
# ------------------------------------------------------------------------------------------------


def council_session_create(*, actor: Any, round: Round, name: str, held_on: dt.date,  # noqa: A002 - the model's name
                           members: Sequence[Mapping[str, Any]], candidates: Iterable[Candidate] | None = None,
                           location: str = "") -> CouncilSession:
    """Convene a session for `round`: its members (`{"name", "role", "user", "person", "chair", "secretary"}`)
    and the agenda (the round's nominated candidates unless `candidates` is given). The ballot form and
    the approval threshold of each title, and the quorum, are frozen from the round's rule set."""
    require(actor, Action.EMULATION_MANAGE, round.unit)
    name = clean(name or "")
    if not name:
        raise _err("council.name", "Chưa nhập tên phiên họp.")
    text_ok(name, "Tên phiên họp", 300)
    text_ok(location, "Địa điểm", 300)
    date_in_range(held_on, "Ngày họp")
    for i, m in enumerate(members, start=1):
        text_ok(m.get("name"), f"Thành viên thứ {i}: họ và tên", 150)
        text_ok(m.get("role"), f"Thành viên thứ {i}: chức danh", 150)
    if not members:
        raise _err("council.members", "Hội đồng phải có ít nhất một thành viên.")
    if round.state != RoundState.COUNCIL:
        raise _err("council.round_state", f"Đợt bình xét đang ở trạng thái '{round.get_state_display()}': "
                                          "chỉ triệu tập hội đồng khi đợt đã được trình Hội đồng (sau thời gian công khai nếu có).")
    book = default_book()
    try:
        rs = book.get(round.rule_set)
    except RulesError:
        rs = book.for_year(round.year)
    chosen = list(candidates) if candidates is not None else list(
        round.candidates.filter(nominated=True).select_related("person", "unit"))
    if not chosen:
        raise _err("council.agenda", "Chưa có đối tượng nào được đề nghị trong đợt bình xét này.")
    for c in chosen:
        if c.round_id != round.pk:
            raise _err("council.agenda", f"{_candidate_label(c)} không thuộc đợt bình xét này.")
        if not c.nominated:
            raise _err("council.agenda", f"{_candidate_label(c)} chưa được đơn vị đề nghị.")
    seen_users: set[int] = set()
    for i, m in enumerate(members, start=1):
        if not clean(str(m.get("name") or "")):
            raise _err("council.member_name", f"Thành viên thứ {i}: chưa nhập họ và tên.")
        user = m.get("user")
        if user is not None:
            if user.pk in seen_users:
                raise _err("council.member_twice", f"Thành viên thứ {i}: tài khoản {user.get_username()} đã có trong hội đồng.")
            seen_users.add(user.pk)
    with transaction.atomic():
        session = CouncilSession.objects.create(
            round=round, unit=round.unit, name=name, held_on=held_on, location=clean(location or ""),
            rule_set=rs.id, quorum=str(rs.quorum), created_by=actor if getattr(actor, "pk", None) else None)
        for i, m in enumerate(members):
            CouncilMember.objects.create(session=session, user=m.get("user"), person=m.get("person"),
                                         name=clean(str(m["name"])), role=clean(str(m.get("role") or "")), order=i,
                                         present=bool(m.get("present", True)), is_chair=bool(m.get("chair")),
                                         is_secretary=bool(m.get("secretary")))
        for i, c in enumerate(chosen):
            rules = rs.title_rules(c.title_code)
            CouncilItem.objects.create(session=session, candidate=c, title_code=c.title_code, order=i,
                                       ballot=rules.ballot, approval_ratio=str(rules.approval_ratio),
                                       approval_strict=rules.approval_strict)
        audit_record(action="create", obj=session, after=model_snapshot(session), actor=actor,
                     note=f"{len(members)} thành viên, {len(chosen)} nội dung")
    return session


def council_member_presence(*, actor: Any, member: CouncilMember, present: bool) -> CouncilMember:
    """Mark a member present or absent (before voting starts)."""
    require(actor, Action.EMULATION_MANAGE, member.session.unit)
    with transaction.atomic():
        session = _lock_session(member.session)
        if session.state != SessionState.OPEN:
            raise _err("council.presence_locked", "Chỉ điểm danh trước khi bắt đầu bỏ phiếu.")
        before = model_snapshot(member)
        member.present = bool(present)
        member.save(update_fields=["present"])
        audit_record(action="update", obj=member, before=before, after=model_snapshot(member), actor=actor)
    return member


def council_quorum(session: CouncilSession) -> arith.Quorum:
    members = list(session.members.all())
    rs = default_book().get(session.rule_set)
    return arith.quorum_check(rs, members=len(members), present=sum(1 for m in members if m.present))


def council_voting_start(*, actor: Any, session: CouncilSession) -> CouncilSession:
    require(actor, Action.EMULATION_MANAGE, session.unit)
    with transaction.atomic():
        session = _lock_session(session)
        if session.state != SessionState.OPEN:
            raise _err("council.state", f"Phiên họp đang ở trạng thái '{session.get_state_display()}': không thể bắt đầu bỏ phiếu.")
        members = list(session.members.all())
        ratio = _fraction(session.quorum)
        present = sum(1 for m in members if m.present)
        if not members or present * ratio.denominator < ratio.numerator * len(members):
            need = arith.quorum_required(ratio, len(members))
            raise _err("council.quorum", f"Có mặt {present}/{len(members)} thành viên: chưa đủ điều kiện họp "
                                         f"(cần tối thiểu {need}).", present=present, members=len(members))
        before = model_snapshot(session)
        session.state, session.voting_started_at = SessionState.VOTING, timezone.now()
        session.save(update_fields=["state", "voting_started_at"])
        audit_record(action="transition:voting", obj=session, before=before, after=model_snapshot(session), actor=actor)
    return session


def council_member_for(session: CouncilSession, user: Any) -> CouncilMember | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return session.members.filter(user=user).first()


def council_vote_cast(*, actor: Any, item: CouncilItem, choice: str, member: CouncilMember | None = None) -> None:
    """One member's vote on one item. `member` defaults to the actor's own seat; an officer may record
    the written vote of an absent member for an OPEN ballot only (a secret written ballot is cast by
    the member from their own account). Refused: outside voting, not a member, a second vote."""
    choice = _choice(choice)
    session = item.session
    own = council_member_for(session, actor)
    if member is None or (own is not None and member.pk == own.pk):
        require(actor, Action.COUNCIL_VOTE, session.unit)
        member = own
        on_behalf = False
    else:
        require(actor, Action.EMULATION_MANAGE, session.unit)
        on_behalf = True
        if member.session_id != session.pk:
            raise _err("council.not_member", "Người này không phải thành viên của phiên họp.")
    with transaction.atomic():
        session = _lock_session(session)
        if member is None:
            try:
                arith.check_can_vote(state=session.state, is_member=False, present=False, written=False, already_voted=False)
            except arith.CouncilError as exc:
                raise _err("council.not_member", str(exc)) from None
        item = CouncilItem.objects.select_for_update().get(pk=item.pk)
        member = CouncilMember.objects.get(pk=member.pk)
        written = not member.present
        if on_behalf and item.ballot == Ballot.SECRET:
            raise _err("council.secret_on_behalf", "Phiếu kín chỉ do chính thành viên bỏ; cán bộ không nhập thay.")
        if on_behalf and member.present:
            raise _err("council.on_behalf_present", f"{member.name} có mặt: tự biểu quyết.")
        already = BallotParticipation.objects.filter(item=item, member=member).exists()
        try:
            arith.check_can_vote(state=session.state, is_member=True, present=member.present, written=written,
                                 already_voted=already, member_name=member.name)
        except arith.CouncilError as exc:
            code = "council.closed" if session.state != SessionState.VOTING else (
                "council.second_vote" if already else "council.vote")
            raise _err(code, str(exc)) from None
        try:
            with transaction.atomic():
                BallotParticipation.objects.create(item=item, member=member, written=written)
        except IntegrityError:
            raise _err("council.second_vote", f"{member.name} đã bỏ phiếu cho nội dung này.") from None
        if item.ballot == Ballot.SECRET:
            field = {"yes": "secret_yes", "no": "secret_no", "abstain": "secret_abstain"}[choice]
            CouncilItem.objects.filter(pk=item.pk).update(**{field: F(field) + 1})
            after = {"member": member.name, "item": item.pk, "written": written, "ballot": "secret"}
        else:
            OpenVote.objects.create(item=item, member=member, choice=choice, written=written)
            after = {"member": member.name, "item": item.pk, "written": written, "ballot": "open", "choice": choice}
        audit_record(action="transition:vote", object_type="emulation.councilitem", object_id=item.pk,
                     after=after, actor=actor, note="phiếu kín: chỉ ghi nhận đã bỏ phiếu" if item.ballot == Ballot.SECRET else "")


def _choice(value: str) -> str:
    try:
        return arith.choice_code(value)
    except arith.CouncilError as exc:
        raise _err("council.choice", str(exc)) from None


def council_ballot_submit(*, actor: Any, session: CouncilSession, choices: Mapping[int, str]) -> int:
    """A member's whole ballot paper (item id → choice) in one transaction: all or nothing."""
    if not choices:
        raise _err("council.empty_ballot", "Chưa chọn nội dung nào.")
    items = {i.pk: i for i in session.items.all()}
    with transaction.atomic():
        for item_id, choice in choices.items():
            item = items.get(int(item_id))
            if item is None:
                raise _err("council.item", f"Nội dung {item_id} không thuộc phiên họp này.")
            council_vote_cast(actor=actor, item=item, choice=choice)
    return len(choices)


def _tally(item: CouncilItem) -> arith.Tally:
    if item.ballot == Ballot.SECRET:
        return arith.Tally(item.secret_yes, item.secret_no, item.secret_abstain)
    return arith.Tally.of(item.open_votes.values_list("choice", flat=True))


def council_close(*, actor: Any, session: CouncilSession) -> CouncilSession:
    """End the vote and write each item's result (approval counted on ALL members)."""
    require(actor, Action.EMULATION_MANAGE, session.unit)
    with transaction.atomic():
        session = _lock_session(session)
        if session.state != SessionState.VOTING:
            raise _err("council.state", f"Phiên họp đang ở trạng thái '{session.get_state_display()}': không thể kết thúc bỏ phiếu.")
        members = session.members.count()
        rs = default_book().get(session.rule_set)
        for item in session.items.select_for_update():
            rules = rs.title_rules(item.title_code)
            frozen = _Frozen(rules.ballot, _fraction(item.approval_ratio), item.approval_strict)
            result = arith.outcome(frozen, _tally(item), members=members)
            item.yes, item.no, item.abstain = result.tally.yes, result.tally.no, result.tally.abstain
            item.approved, item.result_text = result.approved, result.text[:400]
            item.save(update_fields=["yes", "no", "abstain", "approved", "result_text"])
        before = model_snapshot(session)
        session.state, session.closed_at = SessionState.CLOSED, timezone.now()
        session.save(update_fields=["state", "closed_at"])
        audit_record(action="transition:close", obj=session, before=before, after={
            **model_snapshot(session),
            "results": [_item_snapshot(i) for i in session.items.all()]}, actor=actor)
    return session


class _Frozen:
    """The procedure frozen on the item when the session was convened (a later rule change does not
    move the threshold of a vote already held)."""

    def __init__(self, ballot: str, ratio: Fraction, strict: bool) -> None:
        self.ballot, self.approval_ratio, self.approval_strict = ballot, ratio, strict

    def approved(self, yes: int, members: int) -> bool:
        num, den = self.approval_ratio.numerator, self.approval_ratio.denominator
        return yes * den > num * members if self.approval_strict else yes * den >= num * members


def council_publish(*, actor: Any, session: CouncilSession, minutes_number: str = "") -> CouncilSession:
    require(actor, Action.EMULATION_MANAGE, session.unit)
    with transaction.atomic():
        session = _lock_session(session)
        if session.state != SessionState.CLOSED:
            raise _err("council.state", "Chỉ công bố kết quả sau khi kết thúc bỏ phiếu.")
        before = model_snapshot(session)
        text_ok(minutes_number, "Số biên bản", 60)
        session.state, session.published_at = SessionState.PUBLISHED, timezone.now()
        if minutes_number:
            session.minutes_number = clean(minutes_number)
        session.save(update_fields=["state", "published_at", "minutes_number"])
        audit_record(action="transition:publish", obj=session, before=before, after=model_snapshot(session), actor=actor)
    return session


def council_minutes_data(session: CouncilSession) -> dict[str, Any]:
    """The plain mapping `documents.minutes_docx` prints (results only after closing)."""
    members = list(session.members.all())
    chair = next((m for m in members if m.is_chair), None)
    secretary = next((m for m in members if m.is_secretary), None)
    rs = default_book().get(session.rule_set)
    quorum = arith.quorum_check(rs, members=len(members), present=sum(1 for m in members if m.present)) if members else None
    written_ids = set(BallotParticipation.objects.filter(item__session=session, written=True)
                      .values_list("member_id", flat=True))
    closed = session.state in (SessionState.CLOSED, SessionState.PUBLISHED)
    results, open_votes = [], []
    for item in session.items.select_related("candidate__person", "candidate__unit"):
        label = _candidate_label(item.candidate)
        title = TITLES[item.title_code].name_vi if item.title_code in TITLES else item.title_code
        if closed:
            results.append({"candidate": label, "title": title, "ballot": item.ballot, "yes": item.yes, "no": item.no,
                            "abstain": item.abstain, "approved": item.approved,
                            "percent": round((item.yes or 0) * 100 / len(members), 2) if members else 0,
                            "text": item.result_text})
            if item.ballot == Ballot.OPEN:
                open_votes.append({"candidate": label, "title": title, "votes": [
                    (v.member.name, v.get_choice_display()) for v in item.open_votes.select_related("member")]})
    round_ = session.round
    return {
        "issuer": {"parent": f"Ủy ban nhân dân {session.unit.name}" if session.unit.kind != "agency" else "",
                   "name": "Hội đồng Thi đua - Khen thưởng", "place": session.unit.short_name or session.unit.name},
        "number": session.minutes_number or None, "subject": f"Họp {session.name}".replace("Họp Họp", "Họp"),
        "held_on": session.held_on, "location": session.location,
        "chair": f"{chair.name} - {chair.role}" if chair else "", "secretary": f"{secretary.name} - {secretary.role}" if secretary else "",
        "chair_name": chair.name if chair else "", "secretary_name": secretary.name if secretary else "",
        "members": [{"name": m.name, "role": m.role, "present": m.present, "written": m.pk in written_ids} for m in members],
        "quorum_text": quorum.text if quorum else "", "results": results, "open_votes": open_votes,
        "round": str(round_),
    }


# ------------------------------------------------------------------------------------------------
# Decisions, awards, revocation
# ------------------------------------------------------------------------------------------------


def _existing_award(c: Candidate) -> AwardRecord | None:
    qs = AwardRecord.objects.filter(title_code=c.title_code, year=c.round.year, revoked_on__isnull=True)
    qs = qs.filter(person=c.person) if c.person_id else qs.filter(unit=c.unit, person__isnull=True)
    return qs.first()


def decision_create(*, actor: Any, session: CouncilSession, items: Sequence[CouncilItem], number: str,
                    decided_on: dt.date, authority: str, issuer: Unit, signer_name: str, signer_title: str,
                    signer_prefix: str = "", summary: str = "") -> Decision:
    """Issue an award decision for approved council items of ONE title. The signer's authority is
    checked against the rule engine's authority matrix on `decided_on`; the money is
    `rules.reward(title, decided_on, kind)` (coefficient × base salary in force, rounded up), recorded
    with the rule set and the base-salary source. Creates one AwardRecord per awardee."""
    require(actor, Action.EMULATION_MANAGE, session.unit)
    number = clean(number or "")
    if not number:
        raise _err("decision.number", "Chưa nhập số, ký hiệu quyết định.")
    if not items:
        raise _err("decision.items", "Chưa chọn đối tượng khen thưởng.")
    date_in_range(decided_on, "Ngày ký quyết định")
    for label, value, limit in (("Số, ký hiệu", number, 60), ("Người ký", signer_name, 150),
                                ("Chức vụ người ký", signer_title, 150), ("Trích yếu", summary, 400)):
        text_ok(value, label, limit)
    if signer_prefix not in SIGNER_PREFIXES:
        raise _err("decision.signer_prefix", f"Quyền hạn ký không hợp lệ: {signer_prefix!r} (dùng TM., KT., TL., TUQ., Q.).")
    if not clean(signer_name or "") or not clean(signer_title or ""):
        raise _err("decision.signer", "Chưa nhập họ tên và chức vụ người ký.")
    if decided_on > timezone.localdate():
        raise _err("decision.future", "Ngày ký quyết định không được sau ngày hôm nay.")
    titles = {i.title_code for i in items}
    if len(titles) != 1:
        raise _err("decision.titles", "Mỗi quyết định chỉ cho một danh hiệu, hình thức khen thưởng.")
    title = titles.pop()
    try:
        allowed, reason = may_award(authority, title, decided_on)
    except RulesError as exc:
        raise _err("decision.authority", str(exc)) from None
    if not allowed:
        raise _err("decision.authority", reason, authority=authority, title=title)
    kinds = ISSUER_KINDS.get(authority)
    if kinds and issuer.kind not in kinds:
        raise _err("decision.issuer", f"{issuer.name} không phải cơ quan ban hành quyết định của thẩm quyền đã chọn "
                                      f"({authority}).", authority=authority, issuer=issuer.code)
    book = default_book()
    rs = book.for_date(decided_on)
    with transaction.atomic():
        session = _lock_session(session)
        if session.state not in (SessionState.CLOSED, SessionState.PUBLISHED):
            raise _err("decision.session_open", "Hội đồng chưa kết thúc bỏ phiếu: chưa thể ra quyết định.")
        locked = list(CouncilItem.objects.select_for_update(of=("self",)).filter(pk__in=[i.pk for i in items])
                      .select_related("candidate__person", "candidate__unit", "candidate__round"))
        if len(locked) != len(items):
            raise _err("decision.items", "Có nội dung không tồn tại.")
        kinds = set()
        for item in locked:
            label = _candidate_label(item.candidate)
            if item.session_id != session.pk:
                raise _err("decision.items", f"{label} không thuộc phiên họp này.")
            if not item.approved:
                raise _err("decision.not_approved", f"{label} không đạt tỷ lệ phiếu đồng ý của Hội đồng.")
            existing = _existing_award(item.candidate)
            if existing is not None:
                ref = f" theo Quyết định số {existing.decision_number}" if existing.decision_number else ""
                raise _err("decision.already_awarded",
                           f"{label} đã được khen thưởng {TITLES.get(title).name_vi if title in TITLES else title} "
                           f"năm {existing.year}{ref}: một thành tích chỉ khen thưởng một lần.",
                           award=existing.pk)
            kinds.add("person" if item.candidate.person_id else "collective")
        if len(kinds) != 1:
            raise _err("decision.kinds", "Một quyết định không gộp cá nhân và tập thể.")
        kind = kinds.pop()
        try:
            money = reward(title, decided_on, kind=kind)
        except RulesError as exc:
            raise _err("decision.money", str(exc)) from None
        holder = rs.authority[authority]
        if Decision.objects.filter(unit=issuer, number=number).exists():
            raise _err("decision.number_taken", f"Số quyết định {number} đã được dùng tại {issuer.name}.")
        name = TITLES[title].name_vi
        year = locked[0].candidate.round.year
        decision = Decision.objects.create(
            session=session, unit=issuer, number=number, decided_on=decided_on, title_code=title, kind=kind, year=year,
            authority=authority, authority_name=holder.name, signer_name=clean(signer_name),
            signer_title=clean(signer_title), signer_prefix=signer_prefix,
            summary=clean(summary) or f"Về việc tặng {'danh hiệu ' if TITLES[title].category == 'title' else ''}{name} năm {year}",
            rule_set=money.rule_set, coefficient=money.coefficient, base_salary=money.base_salary,
            base_salary_source=money.base_salary_source, amount_each=money.amount,
            created_by=actor if getattr(actor, "pk", None) else None)
        for i, item in enumerate(sorted(locked, key=lambda x: x.order)):
            c = item.candidate
            award = award_record_create(
                actor=actor, person=c.person if c.person_id else None, unit=None if c.person_id else c.unit,
                title_code=title, year=year, decision_number=number, decision_date=decided_on,
                authority=holder.name, signer=clean(signer_name), amount=Decimal(money.amount),
                rule_set=money.rule_set, source=AwardSource.DECISION,
                note=f"Mức lương cơ sở {money.base_salary:,} đ ({money.base_salary_source})".replace(",", ".")[:500])
            DecisionLine.objects.create(decision=decision, candidate=c, item=item, award=award, order=i)
        audit_record(action="create", obj=decision, after=model_snapshot(decision), actor=actor,
                     note=f"{len(locked)} trường hợp, {money.amount} đ/trường hợp")
    return decision


def decision_data(decision: Decision) -> dict[str, Any]:
    """The plain mapping `documents.decision_docx` prints."""
    lines = list(decision.lines.select_related("candidate__person", "candidate__unit", "award"))
    prefix = decision.signer_prefix
    authority_word = "Chủ tịch" if decision.authority.startswith("chu_tich") else decision.signer_title
    unit = decision.unit
    awardees = []
    for line in lines:
        c = line.candidate
        awardees.append({
            "name": _candidate_label(c), "kind": "person" if c.person_id else "collective",
            "position": c.person.position if c.person_id else "", "unit": c.unit.name,
            "amount": int(line.award.amount or 0)})
    return {
        "issuer": {"parent": "", "name": f"Ủy ban nhân dân {unit.name}" if unit.kind != "agency" else unit.name,
                   "place": unit.short_name or unit.name},
        "number": decision.number, "decided_on": decision.decided_on, "summary": decision.summary,
        "authority_line": f"{decision.authority_name} {unit.name}" if decision.authority.startswith("chu_tich")
        else decision.authority_name,
        "authority_short": decision.authority_name,
        "bases": ["Luật Tổ chức chính quyền địa phương", "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
                  f"bộ quy tắc {decision.rule_set} (căn cứ pháp lý của danh hiệu, hình thức khen thưởng)"],
        "proposal": f"Theo đề nghị của Hội đồng Thi đua - Khen thưởng tại phiên họp {decision.session.name}"
        if decision.session else "",
        "title_name": TITLES[decision.title_code].name_vi, "year": decision.year,
        "form": "danh hiệu" if TITLES[decision.title_code].category == "title" else "hình thức",
        "awardees": awardees,
        "money": {"coefficient": f"{decision.coefficient.normalize():f}".replace(".", ","),
                  "base_salary": decision.base_salary, "base_salary_source": decision.base_salary_source,
                  "article": "Nghị định số 98/2023/NĐ-CP, Điều 54"},
        "recipients": ["Như Điều 3", "Ban Thi đua - Khen thưởng", "Lưu: VT"],
        "signer": {"prefix": prefix, "authority": authority_word if prefix else "", "title": decision.signer_title,
                   "name": decision.signer_name},
    }


def certificate_data(award: AwardRecord) -> dict[str, Any]:
    """The plain mapping `documents.certificate_pdf` prints for one award of a congvu decision."""
    line = getattr(award, "decision_line", None)
    decision = line.decision if line else None
    title = TITLES.get(award.title_code)
    category = title.category if title else "title"
    kind_label = (title.name_vi.split(" của ")[0] if category == "commendation" and title else "Bằng chứng nhận")
    if award.title_code in ("LDTT", "TTLDTT"):
        kind_label = "Giấy chứng nhận"
    subject = award.person.full_name if award.person_id else award.unit.name
    unit = award.person.unit.name if award.person_id else ""
    return {
        "kind_label": kind_label, "verb": "Tặng" if category == "commendation" else "Chứng nhận",
        "authority": award.authority + (f" {decision.unit.name}" if decision and decision.authority.startswith("chu_tich") else ""),
        "title_name": title.name_vi if title and category == "title" else "", "year": award.year,
        "name": subject, "position": award.person.position if award.person_id else "", "unit": unit,
        "reason": "Đã có thành tích xuất sắc trong phong trào thi đua năm " + str(award.year),
        "decision_number": award.decision_number, "decided_on": award.decision_date,
        "place": (decision.unit.short_name or decision.unit.name) if decision else "",
        "signer": {"prefix": decision.signer_prefix if decision else "",
                   "authority": "Chủ tịch" if decision and decision.signer_prefix else "",
                   "title": decision.signer_title if decision else "", "name": award.signer},
        "serial": f"Số vào sổ: {award.pk}",
    }


def award_revoke(*, actor: Any, award: AwardRecord, revoked_on: dt.date, reason: str,
                 clawback: int | None = None) -> AwardRecord:
    """Cancel an award (Luật 2022 Chương VII) and record the money to claw back (default: all of it)."""
    unit = award.unit if award.unit_id else award.person.unit
    require(actor, Action.EMULATION_MANAGE, unit)
    date_in_range(revoked_on, "Ngày hủy bỏ")
    reason = clean(reason or "")
    if not reason:
        raise _err("award.reason", "Phải nêu lý do hủy bỏ (khai man thành tích, hồ sơ giả mạo, …).")
    amount = int(award.amount or 0)
    clawback = amount if clawback is None else int(clawback)
    if clawback < 0 or clawback > amount:
        raise _err("award.clawback", f"Số tiền thu hồi phải từ 0 đến {amount:,} đồng.".replace(",", "."))
    with transaction.atomic():
        award = AwardRecord.objects.select_for_update().get(pk=award.pk)
        if award.revoked_on is not None:
            raise Conflict("emulation.award.revoked", f"Khen thưởng đã bị hủy bỏ ngày {award.revoked_on:%d/%m/%Y}.")
        if award.decision_date and revoked_on < award.decision_date:
            raise _err("award.revoked_before", "Ngày hủy bỏ không được trước ngày quyết định khen thưởng.")
        before = model_snapshot(award)
        award.revoked_on, award.revocation_reason, award.clawback_amount = revoked_on, reason, Decimal(clawback)
        award.save(update_fields=["revoked_on", "revocation_reason", "clawback_amount"])
        audit_record(action="transition:revoke", obj=award, before=before, after=model_snapshot(award), actor=actor)
    return award


# ------------------------------------------------------------------------------------------------
# Exemplars
# ------------------------------------------------------------------------------------------------


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def exemplar_propose(*, actor: Any, unit: Unit, month: dt.date, kind: str, subject_name: str, headline: str,
                     story: str, person: Person | None = None) -> Exemplar:
    """A unit proposes an exemplar for a month (seed 001: at least one a month)."""
    if not (decide(actor, Action.EMULATION_MANAGE, unit) or decide(actor, Action.EMULATION_NOMINATE, unit)):
        raise NotAllowed("forbidden", f"Bạn không được đề xuất điển hình cho {unit.name}.")
    if kind not in ExemplarKind.values:
        raise _err("exemplar.kind", f"Loại không hợp lệ: {kind!r} (dùng advanced hoặc good_deed).")
    subject_name, headline, story = clean(subject_name or ""), clean(headline or ""), (story or "").strip()
    date_in_range(month, "Tháng")
    for label, value, limit in (("Cá nhân, tập thể", subject_name, 200), ("Tiêu đề", headline, 300),
                                ("Nội dung", story, 20000)):
        text_ok(value, label, limit)
    for field, value, label in (("subject_name", subject_name, "cá nhân, tập thể"), ("headline", headline, "tiêu đề"),
                                ("story", story, "nội dung")):
        if not value:
            raise _err(f"exemplar.{field}", f"Chưa nhập {label}.")
    if person is not None and not person.unit.path.startswith(unit.path):
        raise _err("exemplar.person", f"{person.full_name} không thuộc {unit.name}.")
    month = _month(month)
    if month > _month(timezone.localdate()):
        raise _err("exemplar.month", "Không đề xuất cho tháng chưa đến.")
    with transaction.atomic():
        ex = Exemplar.objects.create(unit=unit, month=month, kind=kind, person=person, subject_name=subject_name,
                                     headline=headline, story=story,
                                     search_key=search_key(f"{subject_name} {headline} {unit.name}")[:700],
                                     proposed_by=actor if getattr(actor, "pk", None) else None)
        audit_record(action="create", obj=ex, after=model_snapshot(ex), actor=actor)
    return ex


def exemplar_review(*, actor: Any, exemplar: Exemplar, approve: bool, note: str = "") -> Exemplar:
    require(actor, Action.EMULATION_MANAGE, exemplar.unit)
    with transaction.atomic():
        ex = Exemplar.objects.select_for_update().get(pk=exemplar.pk)
        if ex.state != ExemplarState.PROPOSED:
            raise _err("exemplar.state", f"Đề xuất đã ở trạng thái '{ex.get_state_display()}'.")
        text_ok(note, "Ý kiến duyệt", 500)
        if not approve and not clean(note or ""):
            raise _err("exemplar.note", "Khi không duyệt phải nêu lý do.")
        before = model_snapshot(ex)
        ex.state = ExemplarState.APPROVED if approve else ExemplarState.REJECTED
        ex.review_note, ex.reviewed_at = clean(note or ""), timezone.now()
        ex.save(update_fields=["state", "review_note", "reviewed_at"])
        audit_record(action=f"transition:{ex.state}", obj=ex, before=before, after=model_snapshot(ex), actor=actor)
    return ex


def exemplar_publish(*, actor: Any, exemplar: Exemplar) -> Exemplar:
    require(actor, Action.EMULATION_MANAGE, exemplar.unit)
    with transaction.atomic():
        ex = Exemplar.objects.select_for_update().get(pk=exemplar.pk)
        if ex.state != ExemplarState.APPROVED:
            raise _err("exemplar.state", "Chỉ công bố điển hình đã được duyệt.")
        before = model_snapshot(ex)
        ex.state, ex.published_at = ExemplarState.PUBLISHED, timezone.now()
        ex.save(update_fields=["state", "published_at"])
        audit_record(action="transition:publish", obj=ex, before=before, after=model_snapshot(ex), actor=actor)
    return ex
