"""Demo step: on the emulation demo's round, a council session with a secret vote (CSTĐ cấp tỉnh) and
open votes, the results, award decisions (money of the decision date) and exemplars on the public page.

Wire as `congvu.emulation.demo_council.load` in CONGVU_DEMO_STEPS, after `congvu.emulation.demo.load`
(see docs/emulation-council.md, "Demo"). Idempotent: a round that already has a session is left alone.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from congvu.common.errors import DomainError
from congvu.emulation import services_council as svc
from congvu.emulation.models import Round, RoundState
from congvu.emulation.models_council import Exemplar, ExemplarKind
from congvu.emulation.rules import TITLES, default_book
from congvu.org.models import Person, RoleGrant
from congvu.org.roles import Role
from congvu.org.services import role_grant

EXTRA_MEMBERS = [  # council members beside the org demo's "hoidong" (accounts without a password)
    ("hoidong2", "Phó Chủ tịch Hội đồng"), ("hoidong3", "Ủy viên"), ("hoidong4", "Ủy viên"),
    ("hoidong5", "Ủy viên thư ký"),
]
EXEMPLARS = [
    (ExemplarKind.GOOD_DEED, "Trả lại tài sản cho người đánh rơi",
     "Nhặt được ví có giấy tờ và tiền mặt tại bộ phận một cửa, đã liên hệ trả lại cho người dân ngay trong ngày."),
    (ExemplarKind.ADVANCED, "Cả năm không có hồ sơ trễ hạn",
     "Bộ phận một cửa giải quyết 100 % hồ sơ đúng và trước hạn, hướng dẫn người dân nộp hồ sơ trực tuyến."),
]


def _say(stdout: TextIO | None, text: str) -> None:
    (stdout or sys.stdout).write(text + "\n")


def _actor() -> Any:
    user_model = get_user_model()
    return (user_model.objects.filter(username="thiduakt").first()
            or user_model.objects.filter(is_superuser=True).order_by("pk").first())


def _members(rnd: Round) -> list[dict[str, Any]]:
    user_model = get_user_model()
    seats = []
    main = user_model.objects.filter(username="hoidong").first()
    if main is not None:
        seats.append({"user": main, "name": main.get_full_name() or "hoidong", "role": "Chủ tịch Hội đồng", "chair": True})
    for username, role in EXTRA_MEMBERS:
        user, created = user_model.objects.get_or_create(username=username, defaults={"first_name": username})
        if created:
            user.set_unusable_password()
            user.save()
        if not RoleGrant.objects.filter(user=user, role=Role.COUNCIL_MEMBER, unit=rnd.unit).exists():
            role_grant(user=user, role=Role.COUNCIL_MEMBER, unit=rnd.unit)
        seats.append({"user": user, "name": f"Thành viên {username[-1]}", "role": role,
                      "secretary": role == "Ủy viên thư ký", "chair": not seats})
    return seats


def _authority(title: str, on: dt.date, issuer_kind: str) -> tuple[str, str] | None:
    """An authority of the matrix that may award `title` and whose decisions a unit of `issuer_kind` issues."""
    rs = default_book().for_date(on)
    for code, holder in rs.authority.items():
        if title in holder.titles and not holder.abolished and issuer_kind in svc.ISSUER_KINDS.get(code, ()):
            return code, "Chủ tịch" if code.startswith("chu_tich") else "Thủ trưởng"
    return None


def _submit_demo_round(stdout: TextIO | None) -> Round | None:
    """The emulation demo leaves its round open with a few nominations: add a secret-ballot title
    (CSTĐ cấp tỉnh) when a candidate qualifies, hold the public disclosure it requires (in the past,
    in December of the round's year) and submit the round to the council."""
    from congvu.emulation import services as es

    rnd = (Round.objects.filter(state=RoundState.OPEN, candidates__nominated=True).distinct()
           .order_by("-year", "-pk").first())
    if rnd is None:
        return None
    try:
        with transaction.atomic():
            return _submit(rnd, es)
    except DomainError as exc:
        _say(stdout, f"  hội đồng thi đua: chưa trình được {rnd}: {exc.message}")
        return None


def _submit(rnd: Round, es: Any) -> Round:
    _history_for_a_provincial_title(rnd)
    for cand in rnd.candidates.filter(title_code="CSTD_TINH", nominated=False).exclude(verdict="not_eligible")[:1]:
        cand = es.candidate_nominate(actor=None, candidate=cand)
        es.candidate_update(actor=None, candidate=cand, checklist={k: True for k in cand.checklist})
    if es.required_disclosure_days(rnd) > 0:
        rnd = es.round_disclose(actor=None, round=rnd, start=dt.date(rnd.year, 12, 2))
        return es.round_submit(actor=None, round=rnd, on=max(rnd.disclosure_end + dt.timedelta(days=1),
                                                             timezone.localdate()))
    return es.round_submit(actor=None, round=rnd)


def _history_for_a_provincial_title(rnd: Round) -> None:
    """Give the first CSTĐCS nominee the history a CSTĐ cấp tỉnh needs — CSTĐCS 2022–2024 (imported
    decisions; the year's own CSTĐCS decided by the district on 10/12) and a provincial initiative —
    withdraw the CSTĐCS nomination (decided already) and re-run the engine, so the council has a
    secret ballot to hold."""
    from congvu.emulation import services as es
    from congvu.emulation.models import AwardRecord

    cand = rnd.candidates.filter(title_code="CSTDCS", nominated=True, person__isnull=False).select_related(
        "person__unit").first()
    if cand is None or AwardRecord.objects.filter(person=cand.person, title_code="CSTDCS", year=rnd.year).exists():
        return
    person = cand.person
    es.candidate_withdraw(actor=None, candidate=cand)
    for year in (rnd.year - 2, rnd.year - 1, rnd.year):
        if AwardRecord.objects.filter(person=person, title_code="CSTDCS", year=year, revoked_on__isnull=True).exists():
            continue
        es.award_record_create(actor=None, person=person, title_code="CSTDCS", year=year,
                               decision_number=f"{year % 100 + 300}/QĐ-UBND", decision_date=dt.date(year, 12, 10),
                               authority="Chủ tịch UBND huyện", signer="(lịch sử)")
    es.initiative_record(actor=None, unit=person.unit, title="Số hóa hồ sơ một cửa bằng mã QR", authors=[person],
                         year=rnd.year, scope="tinh", decision_number="88/QĐ-UBND",
                         recognised_on=dt.date(rnd.year, 11, 15), recognised_by="Chủ tịch UBND tỉnh")
    es.round_prefill(actor=None, round=rnd)


def load(*, stdout: TextIO | None = None) -> dict[str, int]:
    rnd = Round.objects.filter(state=RoundState.COUNCIL).order_by("-year", "-pk").first()
    if rnd is None and not Round.objects.filter(council_sessions__isnull=False).exists():
        rnd = _submit_demo_round(stdout)
    if rnd is None:
        _say(stdout, "  hội đồng thi đua: bỏ qua (chưa có đợt bình xét được trình Hội đồng).")
        return {"sessions": 0}
    if rnd.council_sessions.exists():
        _say(stdout, f"  hội đồng thi đua: đã có phiên họp cho {rnd}.")
        return {"sessions": 0}
    actor = _actor()
    candidates = list(rnd.candidates.filter(nominated=True).select_related("person", "unit")[:8])
    if not candidates:
        _say(stdout, "  hội đồng thi đua: bỏ qua (đợt bình xét chưa có đối tượng được đề nghị).")
        return {"sessions": 0}
    held_on = min(dt.date(rnd.year, 12, 15), timezone.localdate())
    with transaction.atomic():
        session = svc.council_session_create(
            actor=actor, round=rnd, name=f"Họp Hội đồng Thi đua - Khen thưởng xét khen thưởng năm {rnd.year}",
            held_on=held_on, location=f"Hội trường {rnd.unit.name}", members=_members(rnd), candidates=candidates)
        svc.council_voting_start(actor=actor, session=session)
        members = list(session.members.select_related("user"))
        items = list(session.items.order_by("order"))
        first_open = next((x.pk for x in items if x.ballot == "open"), None)
        for i, member in enumerate(members):
            # one member votes against the first open item (4/5 > 50 %: still approved)
            choices = {it.pk: "no" if (i == 1 and it.pk == first_open) else "yes" for it in items}
            svc.council_ballot_submit(actor=member.user, session=session, choices=choices)
        svc.council_close(actor=actor, session=session)
        svc.council_publish(actor=actor, session=session, minutes_number=f"01/BB-HĐTĐKT-{rnd.year}")
        decided_on = min(dt.date(rnd.year, 12, 20), timezone.localdate())
        decisions = 0
        by_title: dict[tuple[str, bool], list[Any]] = {}
        for item in session.items.filter(approved=True).select_related("candidate"):
            by_title.setdefault((item.title_code, item.candidate.person_id is not None), []).append(item)
        batches = []  # (issuer, title, items)
        lineage = [rnd.unit]
        while lineage[-1].parent_id:
            lineage.append(lineage[-1].parent)
        for (title, _is_person), group in sorted(by_title.items()):
            upper = next((u for u in lineage if _authority(title, decided_on, u.kind)), None)
            if upper is not None:  # the round's unit or the nearest level above with the authority
                batches.append((upper, title, group))
                continue
            by_unit: dict[int, list[Any]] = {}
            for item in group:
                by_unit.setdefault(item.candidate.unit_id, []).append(item)
            batches += [(group_items[0].candidate.unit, title, group_items) for group_items in by_unit.values()]
        for n, (issuer, title, group) in enumerate(batches, start=1):
            found = _authority(title, decided_on, issuer.kind)
            if found is None:
                continue
            authority, signer_title = found
            head = Person.objects.filter(unit=issuer, is_head=True).first()
            try:
                with transaction.atomic():
                    svc.decision_create(actor=actor, session=session, items=group, number=f"{100 + n}/QĐ-TĐKT",
                                        decided_on=decided_on, authority=authority, issuer=issuer,
                                        signer_name=head.full_name if head else signer_title,
                                        signer_title=signer_title, summary="")
                decisions += 1
            except DomainError as exc:
                _say(stdout, f"  hội đồng thi đua: không ra quyết định {TITLES[title].short_vi}: {exc.message}")
        exemplars = 0
        month = timezone.localdate().replace(day=1)
        for (kind, headline, story), cand in zip(EXEMPLARS, candidates, strict=False):
            if Exemplar.objects.filter(headline=headline).exists():
                continue
            subject = cand.person.full_name if cand.person_id else cand.unit.name
            ex = svc.exemplar_propose(actor=actor, unit=cand.unit, month=month, kind=kind, subject_name=subject,
                                      headline=headline, story=story)
            svc.exemplar_review(actor=actor, exemplar=ex, approve=True)
            svc.exemplar_publish(actor=actor, exemplar=ex)
            exemplars += 1
    titles = ", ".join(sorted({TITLES[t].short_vi for t, _ in by_title}))
    _say(stdout, f"  hội đồng thi đua: 1 phiên họp (bỏ phiếu kín), {decisions} quyết định ({titles}), "
                 f"{exemplars} điển hình công bố")
    return {"sessions": 1, "decisions": decisions, "exemplars": exemplars}
