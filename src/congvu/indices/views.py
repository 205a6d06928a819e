"""Pages of the indices module: ranking with chart and heat map, a unit's page (where it lost points,
year-to-date and year-end projection, points within reach → tasks), assessment rounds (the unit's
self-assessment form, the assessor's appraisal screen), exports. Thin: reads in `board`, writes in
`workflow` and `remediation`, permissions in `congvu.org.policy`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congvu.common.errors import DomainError
from congvu.indices import board, exports, remediation, states
from congvu.indices import workflow as wf
from congvu.indices.models import Assessment, Evidence, Framework, FrameworkVersion, Method
from congvu.indices.scoring.periods import PeriodInvalid, period_bounds, period_normalise
from congvu.indices.selectors import PEER_SCOPES, FrameworkNotFound, version_for
from congvu.org.models import Unit
from congvu.org.policy import decide, require, require_found, scoped_units
from congvu.org.roles import Action
from congvu.web.scope import parse_date, selected_unit

DEFAULT_FRAMEWORKS = ("par-xa", "766")


# -- parameters ---------------------------------------------------------------------------------------

def _period(request: HttpRequest) -> str:
    raw = request.GET.get("period") or request.POST.get("period") or str(timezone.localdate().year - 1)
    try:
        return period_normalise(raw)
    except PeriodInvalid as exc:
        raise DomainError("period.invalid", str(exc)) from None


def _version(request: HttpRequest, period: str) -> FrameworkVersion:
    code = request.GET.get("framework") or request.POST.get("framework")
    if not code:
        codes = set(Framework.objects.values_list("code", flat=True))
        code = next((c for c in DEFAULT_FRAMEWORKS if c in codes), None) or (sorted(codes)[0] if codes else "")
    if not code:
        raise Http404("Chưa nạp bộ chỉ số nào.")
    try:
        return version_for(code=code, day=period_bounds(period)[1], version=request.GET.get("version") or None)
    except FrameworkNotFound as exc:
        raise DomainError("framework.unknown", str(exc)) from None


def _q(version: FrameworkVersion, period: str) -> str:
    return f"?framework={version.framework.code}&period={period}"


def _level_default(version: FrameworkVersion) -> str:
    levels = list(version.levels or [])
    return "commune" if "commune" in levels or not levels else levels[0]


def _parent_default(request: HttpRequest, level: str) -> Unit | None:
    unit = selected_unit(request)
    if unit is None:
        return None
    kinds = board.LEVEL_KINDS.get(level, ())
    if unit.kind in kinds and unit.parent_id:
        return unit.parent
    # a district or a province: rank its units of the level; a body inside a commune: its commune's parent
    node = unit
    while node is not None and node.kind not in ("district", "province") and node.kind not in kinds:
        node = node.parent
    if node is not None and node.kind in kinds:
        return node.parent
    return node


def _frameworks() -> list[Framework]:
    return list(Framework.objects.order_by("code"))


# -- ranking ------------------------------------------------------------------------------------------

def _ranking_rows(request: HttpRequest) -> tuple[FrameworkVersion, str, str, Unit | None, list[board.Sheet]]:
    period = _period(request)
    version = _version(request, period)
    level = request.GET.get("level") or _level_default(version)
    if level not in board.LEVEL_KINDS:
        raise DomainError("level.invalid", f"Cấp “{level}” không có.")
    parent = None
    if request.GET.get("parent"):
        parent = get_object_or_404(Unit, pk=request.GET.get("parent"))
    else:
        parent = _parent_default(request, level)
        if parent is not None and not decide(request.user, Action.INDEX_VIEW, parent).allowed:
            parent = None  # a commune's officials do not see their district: their own unit's page instead
    rows: list[board.Sheet] = []
    if parent is not None:
        require_found(request.user, Action.INDEX_VIEW, parent)
        units = board.units_under(parent, level, period)
        visible = set(scoped_units(request.user, Action.INDEX_VIEW).filter(pk__in=[u.pk for u in units])
                      .values_list("pk", flat=True))
        units = [u for u in units if u.pk in visible][:400]
        rows = board.ranking(version, units, period)
    return version, period, level, parent, rows


def _bars(rows: list[board.Sheet]) -> dict[str, Any]:
    bars = []
    for i, s in enumerate(rows):
        pct = s.percent or 0.0
        bars.append({"label": s.unit.name, "y": 8 + i * 24, "text_y": 8 + i * 24 + 15, "w": round(3.6 * pct, 1),
                     "pct": s.percent, "band": _band_class(s.band), "x_text": round(3.6 * pct, 1) + 226})
    return {"bars": bars, "height": 16 + 24 * len(rows)}


def _band_class(band: str | None) -> str:
    return {"Xuất sắc": "b-xs", "Tốt": "b-tot", "Khá": "b-kha", "Trung bình": "b-tb", "Yếu": "b-yeu"}.get(band or "", "b-none")


def _heat(pct: float | None) -> str:
    if pct is None:
        return "h-none"
    return f"h{min(9, max(0, int(pct // 10)))}"


@login_required
def index(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.INDEX_VIEW)
    version, period, level, parent, rows = _ranking_rows(request)
    own = selected_unit(request)
    if parent is None and own is not None and not request.GET.get("parent"):
        return redirect(reverse("indices:unit", args=[own.pk]) + _q(version, period))
    for s in rows:
        s.extra["band_class"] = _band_class(s.band)
    groups = [{"code": n["code"], "name": n["name"], "max_points": n.get("max_points")} for n in
              (rows[0].nodes if rows else [])]
    heat = [{"sheet": s, "cells": [{"code": g["code"], "pct": s.groups().get(g["code"]), "cls": _heat(s.groups().get(g["code"]))}
                                   for g in groups]} for s in rows]
    parents = list(scoped_units(request.user, Action.INDEX_VIEW).filter(kind__in=("province", "district"))
                   .order_by("path")[:300])
    if parent is not None and parent not in parents:
        parents.insert(0, parent)
    return render(request, "indices/index.html", {
        "version": version, "period": period, "level": level, "parent": parent, "rows": rows, "groups": groups,
        "heat": heat, "chart": _bars(rows), "frameworks": _frameworks(), "parents": parents,
        "levels": [(k, board.LEVEL_LABELS[k]) for k in ("commune", "department", "district", "province")],
        "q": _q(version, period) + f"&level={level}" + (f"&parent={parent.pk}" if parent else ""),
        "can_appraise": decide(request.user, Action.INDEX_APPRAISE).allowed,
    })


@login_required
def ranking_export(request: HttpRequest, fmt: str) -> HttpResponse:
    require(request.user, Action.INDEX_VIEW)
    if fmt not in exports.CONTENT_TYPES:
        raise Http404
    version, period, level, parent, rows = _ranking_rows(request)
    data = board.ranking_export_data(version, rows, period, level,
                                     title=f"Xếp hạng {version.framework.name} kỳ {period}"
                                           + (f" — {parent.name}" if parent else ""))
    body = exports.BUILDERS[("ranking", fmt)](data)
    return _download(body, fmt, f"xep-hang-{version.framework.code}-{period}.{fmt}")


def _download(body: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# -- a unit's page ------------------------------------------------------------------------------------

@login_required
def unit_page(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=pk)
    require_found(request.user, Action.INDEX_VIEW, unit)
    period = _period(request)
    version = _version(request, period)
    scope = _peers_scope(request)
    sheet = board.unit_sheet(version, unit, period, peers=scope)
    opps = board.opportunities(sheet)
    year = int(period[:4])
    as_of = parse_date(request.GET.get("as_of")) or timezone.localdate()
    projection = board.year_projection(version, unit, year, as_of=as_of) if len(period) == 4 else None
    example_as_of = dt.date(year, 9, 30) if year < timezone.localdate().year else None
    bodies = remediation.responsible_bodies(unit)
    for o in opps:
        o["default_unit"] = remediation.default_responsible(unit, o["metric"], bodies).pk
    can_plan = decide(request.user, Action.DIRECTIVE_MANAGE, unit).allowed
    return render(request, "indices/unit.html", {
        "unit": unit, "version": version, "period": period, "sheet": sheet, "opps": opps,
        "projection": projection, "as_of": as_of, "example_as_of": example_as_of, "bodies": bodies, "can_plan": can_plan, "frameworks": _frameworks(),
        "q": _q(version, period) + (f"&peers={scope}" if scope != "province" else ""),
        "peers": _peers_view(version, unit, period, sheet), "default_days": wf.workflow_config().get("remediation_days", 20),
        "groups": [{"node": n, "cls": _heat(n.get("rate")), "lost": _lost(n)} for n in sheet.nodes],
        "band_class": _band_class(sheet.band),
        "rounds": Assessment.objects.filter(unit=unit).select_related("version__framework").order_by("-period")[:10],
    })


def _peers_scope(request: HttpRequest) -> str:
    """Whom a unit's rank is among: "province" (default, as the CLI and the API) or "parent"."""
    scope = request.GET.get("peers") or "province"
    return scope if scope in PEER_SCOPES else "province"


def _peers_view(version: FrameworkVersion, unit: Unit, period: str, sheet: board.Sheet) -> dict[str, Any]:
    """What the rank is among, said on the screen, and the link to the other peer set (when it differs)."""
    peers = sheet.peers
    if peers is None or peers.level is None:
        return {"text": _("không xếp hạng: đơn vị không thuộc cấp nào của bộ chỉ số"), "switch": None}
    what = {"commune": _("các xã, phường, thị trấn, đặc khu"), "department": _("các sở, ban, ngành"),
            "province": _("các tỉnh, thành phố"), "district": _("các huyện, thị xã, thành phố thuộc tỉnh")}[peers.level]
    text = (_("trong %(what)s thuộc %(within)s") % {"what": what, "within": peers.within.name} if peers.within
            else _("trong %(what)s") % {"what": what})
    switch = None
    base = reverse("indices:unit", args=[unit.pk]) + _q(version, period)
    if peers.scope == "parent":
        switch = {"href": base, "label": _("Xếp hạng trong toàn tỉnh")}
    elif unit.parent_id and peers.level != "province" and (peers.within is None or peers.within.pk != unit.parent_id):
        switch = {"href": base + "&peers=parent",
                  "label": _("Xếp hạng trong %(parent)s") % {"parent": unit.parent.name}}
    return {"text": text, "switch": switch, "scope": peers.scope}


def _lost(node: dict[str, Any]) -> float | None:
    if node.get("points") is None:
        return None
    return round(float(node.get("max_points") or 0) - float(node["points"]), 2)


@login_required
@require_POST
def unit_remediation(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=pk)
    require_found(request.user, Action.INDEX_VIEW, unit)
    period = _period(request)
    version = _version(request, period)
    codes = request.POST.getlist("code")
    items = [{"code": c, "unit_id": request.POST.get(f"unit_{c}") or None, "days": request.POST.get(f"days_{c}") or None}
             for c in codes]
    try:
        notice = remediation.remediation_create(actor=request.user, unit=unit, version=version, period=period,
                                                items=items)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("indices:unit", args=[unit.pk]) + _q(version, period))
    messages.success(request, _("Đã giao %(n)s nhiệm vụ khắc phục chỉ số.") % {"n": notice.tasks.count()})
    return redirect("directives:notice_detail", notice.pk)


@login_required
def unit_sheet_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=pk)
    require_found(request.user, Action.INDEX_VIEW, unit)
    if fmt not in exports.CONTENT_TYPES:
        raise Http404
    period = _period(request)
    version = _version(request, period)
    data = board.sheet_export_data(board.unit_sheet(version, unit, period, peers=_peers_scope(request)))
    return _download(exports.BUILDERS[("sheet", fmt)](data), fmt, f"bang-diem-{version.framework.code}-{period}-{unit.pk}.{fmt}")


# -- assessment rounds --------------------------------------------------------------------------------

def _rounds_visible(user: Any):
    units = scoped_units(user, Action.INDEX_VIEW)
    return Assessment.objects.filter(unit__in=units).select_related("unit", "version__framework")


@login_required
def assessments(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.INDEX_VIEW)
    can_open = decide(request.user, Action.INDEX_APPRAISE).allowed
    if request.method == "POST":
        require(request.user, Action.INDEX_APPRAISE)
        try:
            period = _period(request)
            version = _version(request, period)
            ids = request.POST.getlist("unit")
            units = list(scoped_units(request.user, Action.INDEX_APPRAISE).filter(pk__in=ids))
            if not units:
                raise DomainError("assessment.no_unit", "Chưa chọn đơn vị nào để mở kỳ đánh giá.")
            opened = [wf.assessment_open(actor=request.user, unit=u, version=version, period=period) for u in units]
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Đã mở %(n)s kỳ tự đánh giá %(framework)s %(period)s.")
                             % {"n": len(opened), "framework": version.framework.name, "period": period})
            if len(opened) == 1:
                return redirect("indices:assessment", opened[0].pk)
        return redirect("indices:assessments")
    rows = _rounds_visible(request.user).order_by("-period", "state", "unit__path")[:300]
    openable = []
    if can_open:
        openable = list(scoped_units(request.user, Action.INDEX_APPRAISE)
                        .filter(kind__in=board.LEVEL_KINDS["commune"] + board.LEVEL_KINDS["department"])
                        .filter(valid_to__isnull=True).order_by("path")[:300])
    return render(request, "indices/assessments.html", {
        "rows": rows, "can_open": can_open, "openable": openable, "frameworks": _frameworks(),
        "period_default": str(timezone.localdate().year), "labels": states.STATE_LABELS})


def _round(request: HttpRequest, pk: int) -> Assessment:
    a = get_object_or_404(Assessment.objects.select_related("unit", "version__framework"), pk=pk)
    require_found(request.user, Action.INDEX_VIEW, a)
    return a


@login_required
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    a = _round(request, pk)
    if request.method == "POST":
        try:
            message = _assessment_post(request, a)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            if message:
                messages.success(request, message)
        anchor = request.POST.get("code")
        return redirect(reverse("indices:assessment", args=[a.pk]) + (f"#leaf-{anchor.replace('.', '-')}" if anchor else ""))
    can_self = decide(request.user, Action.INDEX_SELF_ASSESS, a).allowed
    can_appraise = decide(request.user, Action.INDEX_APPRAISE, a).allowed
    state = states.State(a.state)
    allowed = {act for act, ok in ((Action.INDEX_SELF_ASSESS, can_self), (Action.INDEX_APPRAISE, can_appraise)) if ok}
    leaves = list(a.leaves.select_related("node").prefetch_related("evidence").order_by("node__order"))
    rows = [{"leaf": leaf, "anchor": leaf.node.code.replace(".", "-"), "missing": wf.missing_evidence(leaf)
             if leaf.node.method == Method.SELF_ASSESSMENT else [],
             "self_assessed": leaf.node.method == Method.SELF_ASSESSMENT} for leaf in leaves]
    sheet = board.sheets_for(a.version, [a.unit], a.period)[a.unit.pk]
    return render(request, "indices/assessment.html", {
        "a": a, "rows": rows, "state_label": states.STATE_LABELS[state],
        "transitions": states.available(a.state, allowed),
        "unit_edit": can_self and state in states.UNIT_EDITABLE,
        "appraise": can_appraise and state in states.APPRAISABLE,
        "problems": wf.submission_problems(a) if can_self and state in states.UNIT_EDITABLE else [],
        "record_kinds": wf.record_kinds(), "sheet": sheet,
        "result": getattr(a, "result", None) if state == states.State.PUBLISHED else None,
        "q": _q(a.version, a.period),
    })


def _assessment_post(request: HttpRequest, a: Assessment) -> str:
    op = request.POST.get("op", "")
    code = (request.POST.get("code") or "").strip()
    user = request.user
    version = request.POST.get("row_version") or None
    if op == "self_assess":
        wf.leaf_self_assess(actor=user, assessment=a, code=code, score=request.POST.get("score"),
                            explanation=request.POST.get("explanation", ""),
                            answer=request.POST.get("answer") if "answer" in request.POST else None)
        return _("Đã lưu điểm tự đánh giá chỉ số %(code)s.") % {"code": code}
    if op == "evidence_file":
        upload = request.FILES.get("file")
        if upload is None:
            raise DomainError("evidence.no_file", f"Chỉ số {code}: chưa chọn tệp.", details={"node": code})
        wf.evidence_add_file(actor=user, assessment=a, code=code, upload=upload, label=request.POST.get("label", ""),
                             requirement=request.POST.get("requirement", ""))
        return _("Đã đính kèm tài liệu kiểm chứng chỉ số %(code)s.") % {"code": code}
    if op == "evidence_link":
        wf.evidence_add_link(actor=user, assessment=a, code=code, url=request.POST.get("url", ""),
                             label=request.POST.get("label", ""), record_type=request.POST.get("record_type", ""),
                             record_id=request.POST.get("record_id") or None,
                             requirement=request.POST.get("requirement", ""))
        return _("Đã thêm tài liệu kiểm chứng chỉ số %(code)s.") % {"code": code}
    if op == "evidence_remove":
        ev = get_object_or_404(Evidence, pk=request.POST.get("evidence") or 0, leaf__assessment=a)
        wf.evidence_remove(actor=user, evidence=ev)
        return _("Đã bỏ tài liệu kiểm chứng.")
    if op == "appraise":
        wf.leaf_appraise(actor=user, assessment=a, code=code, decision=request.POST.get("decision", ""),
                         reason=request.POST.get("reason", ""), score=request.POST.get("score"),
                         survey_score=request.POST.get("survey_score") or None)
        return _("Đã thẩm định chỉ số %(code)s.") % {"code": code}
    if op.startswith("transition:"):
        name = op.split(":", 1)[1]
        note = request.POST.get("note", "")
        if name == "submit":
            wf.assessment_submit(actor=user, assessment=a, expected_version=version)
        elif name == "answer":
            wf.assessment_answer(actor=user, assessment=a, note=note, expected_version=version)
        elif name == "return":
            wf.assessment_return(actor=user, assessment=a, note=note, expected_version=version)
        elif name == "complete":
            wf.assessment_complete(actor=user, assessment=a, expected_version=version)
        elif name == "reopen":
            wf.assessment_reopen(actor=user, assessment=a, note=note, expected_version=version)
        elif name == "publish":
            wf.assessment_publish(actor=user, assessment=a, expected_version=version)
        else:
            raise DomainError("assessment.unknown_transition", f"Không có thao tác «{name}».")
        return _("%(action)s: xong.") % {"action": states.TRANSITIONS[name].label}
    raise DomainError("assessment.unknown_op", "Thao tác không hợp lệ.")


@login_required
def evidence_file(request: HttpRequest, pk: int) -> HttpResponse:
    ev = get_object_or_404(Evidence.objects.select_related("leaf__assessment__unit"), pk=pk)
    require_found(request.user, Action.INDEX_VIEW, ev.leaf.assessment)
    if not ev.file:
        raise Http404
    return FileResponse(ev.file.open("rb"), as_attachment=True, filename=ev.file.name.rsplit("/", 1)[-1])
