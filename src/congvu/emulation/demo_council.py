"""Demo step: on the demo round submitted to the council, a council session with a secret vote, the
results, award decisions (money of the decision date) and exemplars on the public page.

Wire as `congvu.emulation.demo_council.load` in CONGVU_DEMO_STEPS, after the emulation demo step that
opens the round. Idempotent: a round that already has a session is left alone.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

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


def load(*, stdout: TextIO | None = None) -> dict[str, int]:
    rnd = Round.objects.filter(state=RoundState.COUNCIL).order_by("-year", "-pk").first()
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
        first_secret = next((x.pk for x in items if x.ballot == "secret"), None)
        for i, member in enumerate(members):
            # one member votes against the first secret item: ≥ 90 % of all members fails with 4/5
            choices = {it.pk: "no" if (i == 1 and it.pk == first_secret) else "yes" for it in items}
            svc.council_ballot_submit(actor=member.user, session=session, choices=choices)
        svc.council_close(actor=actor, session=session)
        svc.council_publish(actor=actor, session=session, minutes_number=f"01/BB-HĐTĐKT-{rnd.year}")
        decided_on = min(dt.date(rnd.year, 12, 20), timezone.localdate())
        decisions = 0
        by_title: dict[tuple[str, bool], list[Any]] = {}
        for item in session.items.filter(approved=True).select_related("candidate"):
            by_title.setdefault((item.title_code, item.candidate.person_id is not None), []).append(item)
        batches = []  # (issuer, title, items): the round's unit when it has the authority, else each agency
        for (title, _is_person), group in sorted(by_title.items()):
            if _authority(title, decided_on, rnd.unit.kind):
                batches.append((rnd.unit, title, group))
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
            svc.decision_create(actor=actor, session=session, items=group, number=f"{100 + n}/QĐ-TĐKT",
                                decided_on=decided_on, authority=authority, issuer=issuer,
                                signer_name=head.full_name if head else signer_title, signer_title=signer_title,
                                summary="")
            decisions += 1
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
