"""Pages for council members and the emulation officer: sessions (convene, roll call, vote, close,
publish, minutes), decisions (DOCX, certificates), the awards register, exemplars, and the PUBLIC
exemplar page (no login). Thin: every write goes through `services_council`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congvu.common.errors import DomainError
from congvu.emulation import selectors_council as sel
from congvu.emulation import services_council as svc
from congvu.emulation.api_council import DOCX, file_response, session_out
from congvu.emulation.documents import certificate_pdf, decision_docx, minutes_docx
from congvu.emulation.models import AwardRecord, Round, RoundState
from congvu.emulation.models_council import Decision, Exemplar, ExemplarKind, SessionState
from congvu.emulation.rules import TITLES, default_book
from congvu.org.models import RoleGrant, Unit
from congvu.org.policy import decide, require, require_found, scoped_units
from congvu.org.roles import Action, Role
from congvu.web.scope import parse_date


def _fail(request: HttpRequest, exc: DomainError) -> None:
    messages.error(request, exc.message)


def _date(value: str | None, default: dt.date | None = None) -> dt.date | None:
    try:
        return parse_date(value) or default
    except Exception:  # noqa: BLE001 - a bad date reads as missing; the service names the field
        return default


# ------------------------------------------------------------------------------------------------
# Sessions
# ------------------------------------------------------------------------------------------------


@login_required
def council_index(request: HttpRequest) -> HttpResponse:
    if not (decide(request.user, Action.EMULATION_MANAGE) or decide(request.user, Action.COUNCIL_VOTE)):
        require(request.user, Action.EMULATION_MANAGE)
    sessions = list(sel.sessions_visible(user=request.user)[:100])
    can_manage = decide(request.user, Action.EMULATION_MANAGE).allowed
    rounds = []
    if can_manage:
        scope = scoped_units(request.user, Action.EMULATION_MANAGE).values("pk")
        rounds = list(Round.objects.filter(unit__in=scope, state=RoundState.COUNCIL)
                      .exclude(council_sessions__isnull=False).select_related("unit")[:50])
    return render(request, "emulation/council/index.html",
                  {"sessions": sessions, "rounds": rounds, "can_manage": can_manage})


@login_required
def council_new(request: HttpRequest) -> HttpResponse:
    rnd = get_object_or_404(Round.objects.select_related("unit"), pk=request.GET.get("round") or request.POST.get("round") or 0)
    require_found(request.user, Action.EMULATION_MANAGE, rnd.unit, view_action=Action.EMULATION_VIEW)
    user_model = get_user_model()
    member_ids = (RoleGrant.objects.filter(role=Role.COUNCIL_MEMBER, unit__path__in=_ancestor_paths(rnd.unit))
                  .values_list("user_id", flat=True))
    eligible = list(user_model.objects.filter(pk__in=member_ids, is_active=True).order_by("username"))
    nominated = list(rnd.candidates.filter(nominated=True).select_related("person", "unit"))
    if request.method == "POST":
        chosen = [u for u in eligible if str(u.pk) in request.POST.getlist("members")]
        chair = request.POST.get("chair")
        secretary = request.POST.get("secretary")
        members = [{"name": u.get_full_name() or u.get_username(), "user": u,
                    "role": request.POST.get(f"role_{u.pk}", "") or "Ủy viên",
                    "chair": str(u.pk) == chair, "secretary": str(u.pk) == secretary} for u in chosen]
        picked = [c for c in nominated if str(c.pk) in request.POST.getlist("candidates")]
        try:
            session = svc.council_session_create(
                actor=request.user, round=rnd, name=request.POST.get("name", ""),
                held_on=_date(request.POST.get("held_on"), timezone.localdate()),
                location=request.POST.get("location", ""), members=members, candidates=picked or None)
        except DomainError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Đã triệu tập phiên họp hội đồng."))
            return redirect("emulation:council_session", session.pk)
    return render(request, "emulation/council/new.html", {
        "round": rnd, "eligible": eligible, "nominated": nominated, "today": timezone.localdate(),
        "default_name": f"Họp Hội đồng Thi đua - Khen thưởng xét khen thưởng năm {rnd.year}"})


def _ancestor_paths(unit: Unit) -> list[str]:
    parts = [p for p in unit.path.split("/") if p]
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


@login_required
def council_session(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(sel.sessions_visible(user=request.user), pk=pk)
    data = session_out(session, request.user)
    can_manage = data["can_manage"]
    decisions = list(session.decisions.all())
    approved = list(sel.approved_items(session)) if can_manage and session.state in (
        SessionState.CLOSED, SessionState.PUBLISHED) else []
    by_title: dict[str, list[Any]] = {}
    for item in approved:
        by_title.setdefault(item.title_code, []).append(item)
    rs = default_book().for_date(timezone.localdate())
    authorities = [(code, a.name) for code, a in rs.authority.items() if not a.abolished]
    issuers = list(scoped_units(request.user, Action.EMULATION_MANAGE).order_by("path")[:200]) if can_manage else []
    return render(request, "emulation/council/session.html", {
        "session": session, "data": data, "can_manage": can_manage, "decisions": decisions,
        "approved_by_title": [(code, TITLES[code].name_vi if code in TITLES else code, items)
                              for code, items in by_title.items()],
        "authorities": authorities, "issuers": issuers, "today": timezone.localdate(),
        "absent_members": [m for m in session.members.all() if not m.present],
        "choices": [("yes", "Đồng ý"), ("no", "Không đồng ý"), ("abstain", "Không biểu quyết")],
    })


@login_required
@require_POST
def council_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    session = get_object_or_404(sel.sessions_visible(user=request.user), pk=pk)
    try:
        if action == "presence":
            member = get_object_or_404(session.members, pk=request.POST.get("member") or 0)
            svc.council_member_presence(actor=request.user, member=member, present=request.POST.get("present") == "1")
        elif action == "start":
            svc.council_voting_start(actor=request.user, session=session)
            messages.success(request, _("Đã bắt đầu bỏ phiếu."))
        elif action == "ballot":
            choices = {int(k[5:]): v for k, v in request.POST.items() if k.startswith("item_") and k[5:].isdigit() and v}
            svc.council_ballot_submit(actor=request.user, session=session, choices=choices)
            messages.success(request, _("Đã ghi nhận phiếu của bạn."))
        elif action == "written":
            member = get_object_or_404(session.members, pk=request.POST.get("member") or 0)
            item = get_object_or_404(session.items, pk=request.POST.get("item") or 0)
            svc.council_vote_cast(actor=request.user, item=item, choice=request.POST.get("choice", ""), member=member)
            messages.success(request, _("Đã ghi phiếu bằng văn bản của %(name)s.") % {"name": member.name})
        elif action == "close":
            svc.council_close(actor=request.user, session=session)
            messages.success(request, _("Đã kết thúc bỏ phiếu."))
        elif action == "publish":
            svc.council_publish(actor=request.user, session=session, minutes_number=request.POST.get("minutes_number", ""))
            messages.success(request, _("Đã công bố kết quả."))
        elif action == "decide":
            items = list(session.items.filter(pk__in=[int(x) for x in request.POST.getlist("items") if x.isdigit()]))
            issuer = get_object_or_404(Unit, pk=request.POST.get("issuer") or 0)
            decision = svc.decision_create(
                actor=request.user, session=session, items=items, number=request.POST.get("number", ""),
                decided_on=_date(request.POST.get("decided_on"), timezone.localdate()),
                authority=request.POST.get("authority", ""), issuer=issuer,
                signer_name=request.POST.get("signer_name", ""), signer_title=request.POST.get("signer_title", ""),
                signer_prefix=request.POST.get("signer_prefix", ""), summary=request.POST.get("summary", ""))
            messages.success(request, _("Đã ban hành Quyết định số %(number)s.") % {"number": decision.number})
            return redirect("emulation:decision_detail", decision.pk)
        else:
            raise Http404
    except DomainError as exc:
        _fail(request, exc)
    return redirect("emulation:council_session", session.pk)


@login_required
def council_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(sel.sessions_visible(user=request.user), pk=pk)
    return file_response(minutes_docx(svc.council_minutes_data(session)), DOCX, f"bien-ban-hoi-dong-{session.pk}.docx")


# ------------------------------------------------------------------------------------------------
# Decisions and the register
# ------------------------------------------------------------------------------------------------


def _decision(request: HttpRequest, pk: int) -> Decision:
    decision = get_object_or_404(Decision.objects.select_related("unit", "session__unit"), pk=pk)
    require_found(request.user, Action.EMULATION_VIEW, decision.session.unit if decision.session else decision.unit)
    return decision


@login_required
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk)
    lines = list(decision.lines.select_related("award__person__unit", "award__unit", "candidate"))
    return render(request, "emulation/council/decision.html", {
        "decision": decision, "lines": lines, "title_name": TITLES[decision.title_code].name_vi,
        "can_manage": decide(request.user, Action.EMULATION_MANAGE, decision.unit).allowed})


@login_required
def decision_file(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk)
    return file_response(decision_docx(svc.decision_data(decision)), DOCX, f"quyet-dinh-{decision.pk}.docx")


def _award(request: HttpRequest, pk: int) -> AwardRecord:
    award = get_object_or_404(AwardRecord.objects.select_related("person__unit", "unit"), pk=pk)
    require_found(request.user, Action.EMULATION_VIEW, award.unit if award.unit_id else award.person.unit)
    return award


@login_required
def award_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    award = _award(request, pk)
    if award.revoked_on:
        messages.error(request, _("Khen thưởng đã bị hủy bỏ: không cấp bằng, giấy chứng nhận."))
        return redirect("emulation:awards")
    return file_response(certificate_pdf(svc.certificate_data(award)), "application/pdf", f"chung-nhan-{award.pk}.pdf")


@login_required
@require_POST
def award_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    award = _award(request, pk)
    raw = (request.POST.get("clawback") or "").replace(".", "").replace(",", "").strip()
    try:
        svc.award_revoke(actor=request.user, award=award, revoked_on=_date(request.POST.get("revoked_on"), timezone.localdate()),
                         reason=request.POST.get("reason", ""), clawback=int(raw) if raw.isdigit() else None)
        messages.success(request, _("Đã hủy bỏ khen thưởng và ghi số tiền thu hồi."))
    except DomainError as exc:
        _fail(request, exc)
    nxt = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        nxt = ""
    return redirect(nxt or "emulation:awards")


# ------------------------------------------------------------------------------------------------
# Exemplars
# ------------------------------------------------------------------------------------------------


@login_required
def exemplars(request: HttpRequest) -> HttpResponse:
    can_manage = decide(request.user, Action.EMULATION_MANAGE).allowed
    can_propose = can_manage or decide(request.user, Action.EMULATION_NOMINATE).allowed
    if not can_propose:
        require(request.user, Action.EMULATION_NOMINATE)
    units = list(scoped_units(request.user, Action.EMULATION_MANAGE if can_manage else Action.EMULATION_NOMINATE)
                 .order_by("path")[:300])
    if request.method == "POST":
        action = request.POST.get("action", "propose")
        try:
            if action == "propose":
                unit = get_object_or_404(Unit, pk=request.POST.get("unit") or 0)
                month = _date(request.POST.get("month"), timezone.localdate()) or timezone.localdate()
                svc.exemplar_propose(actor=request.user, unit=unit, month=month, kind=request.POST.get("kind", ""),
                                     subject_name=request.POST.get("subject_name", ""),
                                     headline=request.POST.get("headline", ""), story=request.POST.get("story", ""))
                messages.success(request, _("Đã gửi đề xuất."))
            else:
                ex = get_object_or_404(Exemplar, pk=request.POST.get("exemplar") or 0)
                if action in ("approve", "reject"):
                    svc.exemplar_review(actor=request.user, exemplar=ex, approve=action == "approve",
                                        note=request.POST.get("note", ""))
                elif action == "publish":
                    svc.exemplar_publish(actor=request.user, exemplar=ex)
                    messages.success(request, _("Đã công bố trên trang công khai."))
                else:
                    raise Http404
        except DomainError as exc:
            _fail(request, exc)
        return redirect("emulation:exemplars")
    today = timezone.localdate()
    review = list(sel.exemplars_for_review(user=request.user)[:200]) if can_manage else []
    missing = []
    if can_manage and units:
        missing = sel.units_without_exemplar(within=units[0], month=today)
    return render(request, "emulation/council/exemplars.html", {
        "units": units, "review": review, "kinds": ExemplarKind.choices, "month": today.replace(day=1),
        "can_manage": can_manage, "missing": missing})


def exemplars_public(request: HttpRequest) -> HttpResponse:
    """The public page: published exemplars, searchable without accents, no login."""
    q = request.GET.get("q", "")
    rows = list(sel.exemplars_public(query=q)[:200])
    return render(request, "emulation/council/exemplars_public.html", {"rows": rows, "q": q})
