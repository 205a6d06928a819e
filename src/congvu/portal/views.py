"""Pages of the portal app (mounted at /portal/): the desk's sync backlog and rejected records (with
correction and resend), the admin's health page, the identity lookup JSON for the receipt forms, and
the panel on each dossier page (through `congvu.onestop.hooks.register_dossier_panel`)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from congvu.common.errors import DomainError
from congvu.onestop.models import Dossier
from congvu.org import policy
from congvu.org.roles import Action
from congvu.portal import selectors
from congvu.portal.models import SyncRecord, SyncState
from congvu.portal.services import sync_record_cancel, sync_record_resend
from congvu.portal.services.identity import identity_check_dossier, names_match, population_lookup

PUBLIC_LOOKUPS_PER_MINUTE = 10


def _unit_ids(request: HttpRequest, action: Action = Action.DOSSIER_VIEW) -> list[int]:
    return list(policy.scoped_units(request.user, action).values_list("pk", flat=True))


def dossier_panel(request: HttpRequest, dossier: Dossier) -> str:
    """The card on the dossier page: sync records with their state and the identity check."""
    if dossier.state == "guidance" and not SyncRecord.objects.filter(dossier=dossier).exists():
        return ""
    info = selectors.dossier_sync(dossier)
    can_process = bool(policy.decide(request.user, Action.DOSSIER_PROCESS, dossier))
    return render_to_string("portal/_panel.html", {"d": dossier, "info": info, "can_process": can_process},
                            request=request)


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    unit_ids = _unit_ids(request)
    if not unit_ids:
        raise Http404
    state = request.GET.get("state", "rejected")
    if state not in SyncState.values:
        state = "rejected"
    records = (selectors.records_for_units(unit_ids, states=[state])
               .order_by("-rejected_at" if state == SyncState.REJECTED else "id")[:200])
    return render(request, "portal/desk.html", {
        "summary": selectors.backlog_summary(unit_ids), "records": records, "state": state,
        "states": SyncState.choices,
    })


def _changes_from(post) -> dict[str, str]:
    return {k[2:]: v for k, v in post.items() if k.startswith("f_")}


@login_required
@require_POST
def record_resend(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(SyncRecord.objects.select_related("dossier"), pk=pk)
    policy.require_found(request.user, Action.DOSSIER_PROCESS, record.dossier, view_action=Action.DOSSIER_VIEW)
    changes = {k: v for k, v in _changes_from(request.POST).items() if str(record.payload.get(k) or "") != v}
    try:
        sync_record_resend(actor=request.user, record=record, changes=changes,
                           rebuild=request.POST.get("rebuild") == "1", note=request.POST.get("note", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã đưa bản ghi {record.key} vào hàng đợi gửi lại.")
    return redirect(request.POST.get("next") or reverse("portal:desk"))


@login_required
@require_POST
def record_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(SyncRecord.objects.select_related("dossier"), pk=pk)
    policy.require_found(request.user, Action.DOSSIER_PROCESS, record.dossier, view_action=Action.DOSSIER_VIEW)
    try:
        sync_record_cancel(actor=request.user, record=record, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã hủy bản ghi {record.key}.")
    return redirect(request.POST.get("next") or reverse("portal:desk"))


@login_required
def health(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, Action.ADMIN_SITE)
    return render(request, "portal/health.html", {"h": selectors.portal_health()})


@login_required
@require_POST
def identity_check(request: HttpRequest, code: str) -> HttpResponse:
    d = Dossier.objects.filter(code=code).first()
    if d is None:
        raise Http404
    policy.require_found(request.user, Action.DOSSIER_PROCESS, d, view_action=Action.DOSSIER_VIEW)
    row = identity_check_dossier(actor=request.user, dossier=d)
    messages.info(request, row.message or row.get_state_display())
    return redirect(reverse("onestop:dossier", args=[d.code]))


@login_required
@require_GET
def identity_lookup(request: HttpRequest) -> JsonResponse:
    """Desk: the officer types the number, the form gets name, birth date and permanent address."""
    if not _unit_ids(request, Action.DOSSIER_PROCESS):
        return JsonResponse({"status": "forbidden", "message": "Không có quyền tiếp nhận hồ sơ."}, status=403)
    out = population_lookup(id_number=request.GET.get("id", ""), actor=request.user, channel="desk")
    return JsonResponse(out.as_dict())


def _client(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "?")


@require_POST
def identity_public(request: HttpRequest) -> JsonResponse:
    """Online filing: the citizen gives number AND name; only a match returns birth date and address
    (knowing both is the proof), so the endpoint cannot be used to read strangers' records.
    Rate-limited per client address."""
    key = f"portal:idlookup:{_client(request)}"
    n = cache.get_or_set(key, 0, 60)
    if n >= PUBLIC_LOOKUPS_PER_MINUTE:
        return JsonResponse({"status": "too_many", "message": "Tra cứu quá nhiều lần; thử lại sau một phút."},
                            status=429)
    cache.incr(key)
    try:
        body = json.loads(request.body or b"{}") if request.content_type == "application/json" else request.POST
    except ValueError:
        body = {}
    out = population_lookup(id_number=str(body.get("id", "")), channel="online")
    name = str(body.get("name", ""))
    if out.status != "found":
        return JsonResponse(out.as_dict(with_data=False))
    if not names_match(name, out.citizen.full_name):
        return JsonResponse({"status": "mismatch", "id_number": out.id_number,
                             "message": "Họ tên không khớp với số định danh trong CSDL dân cư. Kiểm tra lại họ tên "
                                        "(đủ dấu) và số định danh."})
    return JsonResponse({**out.as_dict(), "status": "verified", "message": "Đã xác thực với CSDL dân cư."})
