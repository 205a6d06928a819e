"""Pages of the emulation module (thi đua, khen thưởng) for the emulation officer and the units:
movements, pledges, initiatives, the awards register, rounds and nominations, import, evidence."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.common.errors import DomainError
from congvu.common.text import search_key
from congvu.emulation import selectors
from congvu.emulation import services as es
from congvu.emulation.models import (
    AwardRecord,
    Candidate,
    Initiative,
    InitiativeStatus,
    Measure,
    Movement,
    MovementKind,
    MovementScope,
    MovementState,
    Pledge,
    PledgeSubject,
    Round,
    RoundState,
    Scope,
    Verdict,
)
from congvu.emulation.rules import TITLES
from congvu.emulation.scoring import head_rating_evidence, movement_scores
from congvu.org.models import EmulationGroup, Person, Unit
from congvu.org.policy import decide, require, require_found, scoped_units
from congvu.org.roles import Action
from congvu.web.scope import parse_date, selected_unit


def _fail(request: HttpRequest, exc: DomainError) -> None:
    messages.error(request, exc.message)


def _year(value: Any, default: int) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    return year if 1990 <= year <= 2100 else default


def _units(request: HttpRequest, action: Action = Action.EMULATION_VIEW):
    return scoped_units(request.user, action)


def _titles(kind: str | None = None) -> list[tuple[str, str]]:
    return [(c, t.name_vi) for c, t in TITLES.items() if kind is None or t.accepts(kind)]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.EMULATION_VIEW)
    units = _units(request)
    context = {
        "movements": selectors.movements_visible(units=units)[:50],
        "rounds": selectors.rounds_visible(user=request.user).order_by("-year", "-opened_at")[:20],
        "initiatives_pending": Initiative.objects.filter(unit__in=units, status__in=(
            InitiativeStatus.PROPOSED, InitiativeStatus.REVIEWED)).count(),
        "can_manage": decide(request.user, Action.EMULATION_MANAGE).allowed,
        "manage_units": _units(request, Action.EMULATION_MANAGE).order_by("path")[:300],
        "year": timezone.localdate().year,
        "unit": selected_unit(request),
    }
    return render(request, "emulation/index.html", context)


@login_required
def movement_new(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.EMULATION_MANAGE)
    units = _units(request, Action.EMULATION_MANAGE).order_by("path")[:500]
    year = timezone.localdate().year
    if request.method == "POST":
        p = request.POST
        try:
            unit = get_object_or_404(units.model, pk=p.get("unit") or 0)
            scope_units = list(Unit.objects.filter(pk__in=p.getlist("scope_units")))
            block = EmulationGroup.objects.filter(pk=p.get("scope_block") or 0).first()
            m = es.movement_create(
                actor=request.user, unit=unit, name=p.get("name", ""), year=_year(p.get("year"), year),
                kind=p.get("kind", MovementKind.REGULAR), theme=p.get("theme", ""),
                period_start=parse_date(p.get("period_start")) or dt.date(year, 1, 1),
                period_end=parse_date(p.get("period_end")) or dt.date(year, 12, 31),
                scope=p.get("scope", MovementScope.SUBTREE), scope_units=scope_units, scope_block=block,
                pledge_titles=p.getlist("pledge_titles"), pledge_deadline=parse_date(p.get("pledge_deadline")),
                document_number=p.get("document_number", ""), document_date=parse_date(p.get("document_date")),
                launch_document=request.FILES.get("launch_document"))
            messages.success(request, _("Đã tạo phong trào (dự thảo). Thêm tiêu chí rồi phát động."))
            return redirect("emulation:movement_detail", m.pk)
        except DomainError as exc:
            _fail(request, exc)
    context = {"units": units, "year": year, "titles": _titles(), "kinds": MovementKind.choices,
               "scopes": MovementScope.choices,
               "blocks": EmulationGroup.objects.filter(owner__in=units).order_by("-year", "name")[:200],
               "children": Unit.objects.filter(parent__in=units).order_by("path")[:500]}
    return render(request, "emulation/movement_new.html", context)


def _movement(request: HttpRequest, pk: int) -> Movement:
    return get_object_or_404(selectors.movements_visible(units=_units(request)), pk=pk)


@login_required
def movement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Action.EMULATION_VIEW)
    movement = _movement(request, pk)
    can_manage = decide(request.user, Action.EMULATION_MANAGE, movement.unit).allowed
    if request.method == "POST":
        op = request.POST.get("op", "")
        p = request.POST
        try:
            if op == "criterion":
                es.criterion_add(actor=request.user, movement=movement, name=p.get("name", ""),
                                 weight=p.get("weight") or "0", measure=p.get("measure", Measure.MANUAL),
                                 metric_name=p.get("metric_name", ""),
                                 parameters={"framework": p["framework"]} if p.get("framework") else {},
                                 max_score=p.get("max_score") or 100)
                messages.success(request, _("Đã thêm tiêu chí."))
            elif op == "launch":
                es.movement_launch(actor=request.user, movement=movement)
                messages.success(request, _("Đã phát động phong trào."))
            elif op == "close":
                es.movement_close(actor=request.user, movement=movement)
            elif op == "pledge":
                subject = p.get("subject", PledgeSubject.UNIT)
                unit = Unit.objects.filter(pk=p.get("unit") or 0).first()
                person = Person.objects.filter(pk=p.get("person") or 0).first()
                block = EmulationGroup.objects.filter(pk=p.get("block") or 0).first()
                es.pledge_register(actor=request.user, movement=movement, subject=subject, unit=unit, block=block,
                                   person=person, titles=p.getlist("titles"), targets=p.get("targets", ""))
                messages.success(request, _("Đã đăng ký thi đua."))
            elif op == "sign":
                pledge = get_object_or_404(Pledge, pk=p.get("pledge") or 0, movement=movement)
                es.pledge_sign(actor=request.user, pledge=pledge, signed_by=p.get("signed_by", ""))
                messages.success(request, _("Đã ký giao ước thi đua."))
            elif op == "score":
                crit = get_object_or_404(movement.criteria, pk=p.get("criterion") or 0)
                unit = get_object_or_404(Unit, pk=p.get("unit") or 0)
                es.criterion_score_set(actor=request.user, criterion=crit, unit=unit, score=p.get("score", ""))
                messages.success(request, _("Đã ghi điểm."))
            return redirect("emulation:movement_detail", movement.pk)
        except DomainError as exc:
            _fail(request, exc)
    status = selectors.movement_registration(movement=movement)
    nominate_units = [u for u in status.missing if decide(request.user, Action.EMULATION_NOMINATE, u)]
    sign_pledges = [p for _, p in status.registered if not p.signed_at
                    and decide(request.user, Action.EMULATION_NOMINATE, p.unit)]
    pledged_people = {p.person_id for p in status.people}
    nominate_scope = _units(request, Action.EMULATION_NOMINATE)
    pledge_people = [p for p in Person.objects.filter(unit__in=nominate_scope, active=True,
                                                      unit__path__startswith=movement.unit.path)
                     .select_related("unit").order_by("unit__path", "full_name")[:300] if p.pk not in pledged_people]
    pledged_blocks = {p.block_id for p in status.blocks}
    pledge_blocks = [g for g in EmulationGroup.objects.filter(year=movement.year).select_related("leader_unit", "owner")
                     if g.pk not in pledged_blocks and (movement.scope_block_id in (None, g.pk))
                     and decide(request.user, Action.EMULATION_NOMINATE, g.leader_unit or g.owner)][:50]
    context = {
        "movement": movement, "criteria": movement.criteria.all(), "status": status, "can_manage": can_manage,
        "nominate_units": nominate_units, "sign_pledges": sign_pledges, "pledge_people": pledge_people,
        "pledge_blocks": pledge_blocks,
        "person_titles": [(c, TITLES[c].name_vi) for c in (movement.pledge_titles or list(TITLES))
                          if c in TITLES and TITLES[c].accepts("person")],
        "pledge_titles": [(c, TITLES[c].name_vi) for c in (movement.pledge_titles or list(TITLES))
                          if c in TITLES and TITLES[c].accepts("collective")],
        "measures": Measure.choices, "scores": movement_scores(movement=movement)
        if movement.state != MovementState.DRAFT else [],
    }
    return render(request, "emulation/movement_detail.html", context)


@login_required
def round_new(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.EMULATION_MANAGE)
    if request.method != "POST":
        return redirect("emulation:index")
    p = request.POST
    try:
        unit = get_object_or_404(_units(request, Action.EMULATION_MANAGE), pk=p.get("unit") or 0)
        rnd = es.round_open(actor=request.user, unit=unit, year=_year(p.get("year"), timezone.localdate().year),
                            titles=p.getlist("titles") or None, name=p.get("name", ""),
                            nomination_deadline=parse_date(p.get("nomination_deadline")))
        messages.success(request, _("Đã mở đợt bình xét; bộ quy tắc đã xét sẵn điều kiện của mọi cá nhân, tập thể."))
        return redirect("emulation:round_detail", rnd.pk)
    except DomainError as exc:
        _fail(request, exc)
    return redirect("emulation:index")


def _round(request: HttpRequest, pk: int) -> Round:
    return get_object_or_404(selectors.rounds_visible(user=request.user), pk=pk)


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Action.EMULATION_VIEW)
    rnd = _round(request, pk)
    can_manage = decide(request.user, Action.EMULATION_MANAGE, rnd.unit).allowed
    if request.method == "POST":
        op = request.POST.get("op", "")
        try:
            if op == "prefill":
                counts = es.round_prefill(actor=request.user, round=rnd)
                messages.success(request, _("Đã xét lại %(n)s đối tượng.") % {"n": counts["candidates"]})
            elif op == "disclose":
                rnd = es.round_disclose(actor=request.user, round=rnd, start=parse_date(request.POST.get("start")))
                messages.success(request, _("Công khai từ %(a)s đến %(b)s.") % {
                    "a": f"{rnd.disclosure_start:%d/%m/%Y}", "b": f"{rnd.disclosure_end:%d/%m/%Y}"})
            elif op == "submit":
                es.round_submit(actor=request.user, round=rnd)
                messages.success(request, _("Đã trình Hội đồng Thi đua – Khen thưởng."))
            elif op in ("nominate", "withdraw"):
                cand = get_object_or_404(rnd.candidates.select_related("unit", "round"), pk=request.POST.get("candidate") or 0)
                require_found(request.user, Action.EMULATION_VIEW, cand.unit)
                if op == "nominate":
                    es.candidate_nominate(actor=request.user, candidate=cand)
                    messages.success(request, _("Đã đề nghị %(c)s.") % {"c": cand})
                else:
                    es.candidate_withdraw(actor=request.user, candidate=cand)
            return redirect(request.get_full_path())
        except DomainError as exc:
            _fail(request, exc)
    qs = rnd.candidates.filter(unit__in=_units(request)).select_related("person", "unit")
    f = request.GET
    if f.get("kind") == "person":
        qs = qs.filter(person__isnull=False)
    elif f.get("kind") == "collective":
        qs = qs.filter(person__isnull=True)
    if f.get("title"):
        qs = qs.filter(title_code=f["title"])
    if f.get("verdict"):
        qs = qs.filter(verdict=f["verdict"])
    if f.get("nominated"):
        qs = qs.filter(nominated=True)
    if f.get("q"):
        key = search_key(f["q"])
        qs = qs.filter(Q(person__search_key__contains=key) | Q(unit__search_key__contains=key))
    rows = list(qs[:500])
    for c in rows:
        c.can_nominate = rnd.state == RoundState.OPEN and decide(request.user, Action.EMULATION_NOMINATE, c.unit).allowed
        c.title_name = TITLES[c.title_code].name_vi if c.title_code in TITLES else c.title_code
    context = {"round": rnd, "rows": rows, "total": qs.count(), "can_manage": can_manage, "filters": f,
               "titles": [(c, TITLES[c].name_vi) for c in rnd.titles if c in TITLES], "verdicts": Verdict.choices,
               "counts": {v: rnd.candidates.filter(verdict=v).count() for v in Verdict.values},
               "nominated": rnd.candidates.filter(nominated=True).count(),
               "gaps": es.dossier_gaps(rnd) if rnd.state == RoundState.OPEN else [],
               "disclosure_days": es.required_disclosure_days(rnd)}
    return render(request, "emulation/round_detail.html", context)


@login_required
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cand = get_object_or_404(Candidate.objects.select_related("round", "round__unit", "person", "unit"), pk=pk)
    require_found(request.user, Action.EMULATION_VIEW, cand.unit)
    can_nominate = decide(request.user, Action.EMULATION_NOMINATE, cand.unit).allowed and \
        cand.round.state == RoundState.OPEN
    if request.method == "POST":
        try:
            if request.POST.get("op") == "nominate":
                es.candidate_nominate(actor=request.user, candidate=cand, report=request.POST.get("report") or None)
            else:
                checked = set(request.POST.getlist("items"))
                es.candidate_update(actor=request.user, candidate=cand, report=request.POST.get("report"),
                                    checklist={k: k in checked for k in cand.checklist})
            messages.success(request, _("Đã lưu."))
            return redirect("emulation:candidate_detail", cand.pk)
        except DomainError as exc:
            _fail(request, exc)
    context = {"c": cand, "can_nominate": can_nominate,
               "title_name": TITLES[cand.title_code].name_vi if cand.title_code in TITLES else cand.title_code,
               "conditions": cand.verdict_detail.get("conditions", []), "notes": cand.verdict_detail.get("notes", [])}
    return render(request, "emulation/candidate_detail.html", context)


@login_required
def initiatives(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.EMULATION_VIEW)
    units = _units(request)
    if request.method == "POST":
        p = request.POST
        try:
            unit = get_object_or_404(units, pk=p.get("unit") or 0)
            authors = list(Person.objects.filter(pk__in=p.getlist("authors"), unit__in=units))
            ini = es.initiative_propose(actor=request.user, unit=unit, title=p.get("title", ""), authors=authors,
                                        year=_year(p.get("year"), timezone.localdate().year),
                                        summary=p.get("summary", ""), scope=p.get("scope", Scope.CO_SO),
                                        applied_on=parse_date(p.get("applied_on")))
            messages.success(request, _("Đã gửi đề nghị công nhận sáng kiến."))
            return redirect("emulation:initiative_detail", ini.pk)
        except DomainError as exc:
            _fail(request, exc)
    qs = Initiative.objects.filter(unit__in=units).select_related("unit").prefetch_related("authors")
    if request.GET.get("status"):
        qs = qs.filter(status=request.GET["status"])
    nominate_units = _units(request, Action.EMULATION_NOMINATE).order_by("path")[:300]
    context = {"items": qs[:300], "statuses": InitiativeStatus.choices, "scopes": Scope.choices,
               "units": nominate_units, "people": Person.objects.filter(unit__in=nominate_units, active=True)
               .order_by("full_name")[:500], "year": timezone.localdate().year}
    return render(request, "emulation/initiatives.html", context)


@login_required
def initiative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ini = get_object_or_404(Initiative.objects.select_related("unit"), pk=pk)
    require_found(request.user, Action.EMULATION_VIEW, ini.unit)
    if request.method == "POST":
        p = request.POST
        try:
            if p.get("op") == "review":
                es.initiative_review(actor=request.user, initiative=ini, recommends=p.get("recommends") == "yes",
                                     score=p.get("score") or None, note=p.get("note", ""),
                                     reviewed_on=parse_date(p.get("reviewed_on")))
            elif p.get("op") == "recognise":
                es.initiative_recognise(actor=request.user, initiative=ini, decision_number=p.get("decision_number", ""),
                                        recognised_on=parse_date(p.get("recognised_on")) or timezone.localdate(),
                                        recognised_by=p.get("recognised_by", ""), scope=p.get("scope") or None,
                                        applied_effectively=p.get("applied") == "yes")
            elif p.get("op") == "reject":
                es.initiative_reject(actor=request.user, initiative=ini, note=p.get("note", ""))
            messages.success(request, _("Đã lưu."))
            return redirect("emulation:initiative_detail", ini.pk)
        except DomainError as exc:
            _fail(request, exc)
    context = {"i": ini, "scopes": Scope.choices,
               "can_manage": decide(request.user, Action.EMULATION_MANAGE, ini.unit).allowed,
               "can_review": decide(request.user, Action.EMULATION_MANAGE, ini.unit).allowed
               or decide(request.user, Action.COUNCIL_VOTE, ini.unit).allowed}
    return render(request, "emulation/initiative_detail.html", context)


@login_required
def awards(request: HttpRequest) -> HttpResponse:
    """The awards register (sổ khen thưởng), the only one: search, filters (unit with its sub-units and
    its predecessors across mergers, title, year, person), certificate and revocation for those the
    policy allows (`emulation.view` on the award for the certificate, `emulation.manage` to revoke)."""
    from congvu.emulation.selectors_council import awards_register

    require(request.user, Action.EMULATION_VIEW)
    f = request.GET
    unit, unit_missing = None, False
    if f.get("unit", "").strip():
        unit = Unit.objects.filter(code=f["unit"].strip()).first()
        if unit is None or not decide(request.user, Action.EMULATION_VIEW, unit).allowed:
            unit, unit_missing = None, True  # unknown and out-of-scope units read alike
    person = None
    if f.get("person", "").isdigit():
        person = Person.objects.filter(pk=int(f["person"])).select_related("unit").first()
        if person is not None and not decide(request.user, Action.EMULATION_VIEW, person.unit).allowed:
            person = None  # someone out of scope: not named, no rows
    year = _year(f.get("year"), 0) if f.get("year") else None
    qs = awards_register(query=f.get("q", ""), unit=unit, title_code=f.get("title", ""), year=year or None,
                         person_id=person.pk if person else (0 if f.get("person") else None), user=request.user)
    if unit_missing:
        qs = qs.none()
    rows = list(qs[:300])
    for a in rows:
        a.title_name = TITLES[a.title_code].name_vi if a.title_code in TITLES else a.title_code
        owner = a.unit if a.unit_id else a.person.unit
        a.can_revoke = not a.revoked_on and decide(request.user, Action.EMULATION_MANAGE, owner).allowed
    return render(request, "emulation/awards.html", {
        "rows": rows, "total": qs.count(), "filters": f, "titles": _titles(), "unit": unit,
        "unit_missing": unit_missing, "person": person, "today": timezone.localdate()})


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.EMULATION_MANAGE)
    report = None
    if request.method == "POST":
        from congvu.emulation.importing import import_workbook

        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Chọn tệp Excel (.xlsx)."))
        else:
            try:
                report = import_workbook(actor=request.user, stream=upload,
                                         skip_bad_rows=bool(request.POST.get("skip_bad_rows")),
                                         dry_run=bool(request.POST.get("dry_run")))
                if report.applied:
                    messages.success(request, _("Đã nhập dữ liệu."))
                elif report.errors:
                    messages.error(request, _("Có dòng lỗi: không nhập gì. Sửa tệp hoặc chọn bỏ qua dòng lỗi."))
            except DomainError as exc:
                _fail(request, exc)
    return render(request, "emulation/import.html", {"report": report})


@login_required
def evidence(request: HttpRequest) -> HttpResponse:
    """Reform figures of a unit, proposed (not imposed) for its head's yearly rating."""
    require(request.user, Action.EMULATION_VIEW)
    units = _units(request).order_by("path")[:500]
    unit = _units(request).filter(pk=request.GET.get("unit") or 0).first() or selected_unit(request)
    year = _year(request.GET.get("year"), timezone.localdate().year)
    ev = head_rating_evidence(unit=unit, year=year) if unit else None
    head = Person.objects.filter(unit=unit, is_head=True, active=True).first() if unit else None
    from congvu.emulation.models import Rating

    return render(request, "emulation/evidence.html", {"units": units, "unit": unit, "year": year, "ev": ev,
                                                       "head": head, "ratings": dict(Rating.choices)})


@login_required
def person_records(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's emulation file: recruitment, yearly ratings, initiatives, awards, and the facts the
    engine reads; the officer enters a year's rating here."""
    person = get_object_or_404(Person.objects.select_related("unit"), pk=pk)
    require_found(request.user, Action.EMULATION_VIEW, person.unit)
    can_manage = decide(request.user, Action.EMULATION_MANAGE, person.unit).allowed
    if request.method == "POST":
        p = request.POST
        try:
            if p.get("op") == "profile":
                es.profile_set(actor=request.user, person=person, recruited_on=parse_date(p.get("recruited_on")),
                               employment_end=parse_date(p.get("employment_end")))
            else:
                es.person_year_record_set(actor=request.user, person=person,
                                          year=_year(p.get("year"), timezone.localdate().year),
                                          rating=p.get("rating", ""), discipline=p.get("discipline", ""),
                                          discipline_decision=p.get("discipline_decision", ""),
                                          leave_from=parse_date(p.get("leave_from")), leave_to=parse_date(p.get("leave_to")),
                                          leave_counts=p.get("leave_counts") == "yes", note=p.get("note", ""))
            messages.success(request, _("Đã lưu."))
            return redirect("emulation:person_records", person.pk)
        except DomainError as exc:
            _fail(request, exc)
    from congvu.emulation.models import Discipline, Rating

    year = timezone.localdate().year
    awards_rows = list(AwardRecord.objects.filter(person=person).order_by("-year"))
    for a in awards_rows:
        a.title_name = TITLES[a.title_code].name_vi if a.title_code in TITLES else a.title_code
    context = {"person": person, "profile": getattr(person, "emulation_profile", None),
               "years": person.emulation_years.all(), "awards": awards_rows,
               "initiatives": Initiative.objects.filter(authors=person).order_by("-year"),
               "can_manage": can_manage, "ratings": Rating.choices, "disciplines": Discipline.choices, "year": year,
               "candidates": Candidate.objects.filter(person=person).select_related("round").order_by("-round__year")[:30],
               "evidence": head_rating_evidence(unit=person.unit, year=year - 1) if person.is_head else None}
    return render(request, "emulation/person_records.html", context)
