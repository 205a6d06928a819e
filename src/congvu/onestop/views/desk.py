"""The desk's queue (tabs, search as you type), "my steps" and bulk return."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from congvu.onestop import hooks, services
from congvu.onestop.selectors import dossier_find, dossier_queue, dossier_queue_counts, dossiers_at_my_steps
from congvu.onestop.views.common import PAGE_SIZE, dossiers_in_scope, dossiers_of_unit, is_htmx, rows
from congvu.onestop.views.forms import RETURN_METHODS, BulkReturnForm
from congvu.org import policy
from congvu.org.roles import Action
from congvu.web.scope import selected_unit

TABS = [
    ("to_receive", gettext_lazy("Chờ tiếp nhận")),
    ("in_process", gettext_lazy("Đang giải quyết")),
    ("supplement", gettext_lazy("Chờ bổ sung")),
    ("to_return", gettext_lazy("Chờ trả kết quả")),
    ("due_soon", gettext_lazy("Sắp đến hạn")),
    ("overdue", gettext_lazy("Quá hạn")),
    ("finished", gettext_lazy("Đã xong")),
]


def _due_soon_days(request: HttpRequest) -> int:
    raw = request.GET.get("days", "")
    return max(0, min(int(raw), 60)) if raw.isdigit() else settings.CONGVU_DUE_SOON_WORKING_DAYS


def _online_pending(unit):
    """Online submissions waiting for the desk's acceptance (the citizen app registers their source in
    `onestop.hooks`): accepting one starts the clock (onestop.md §2.6). None when no app provides them."""
    source = hooks.online_submissions_source()
    return source(unit) if source is not None else None


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Queue of the selected unit's desk, by tab; a query searches the whole scope instead."""
    unit = selected_unit(request)
    policy.require(request.user, Action.DOSSIER_VIEW, unit)
    now = timezone.now()
    days = _due_soon_days(request)
    query = request.GET.get("q", "").strip()
    tab = request.GET.get("tab", "")
    base = dossiers_of_unit(unit)
    counts = {} if query else dossier_queue_counts(qs=base, now=now, due_soon_days=days)
    online = _online_pending(unit) if not query else None
    if online is not None:
        counts["to_receive"] = counts.get("to_receive", 0) + online.count()
    if tab not in dict(TABS):  # open on the first tab with something in it (issue 15)
        tab = next((key for key, _label in TABS if counts.get(key)), "in_process")
    if query:
        qs = dossier_find(qs=dossiers_in_scope(request.user), query=query).order_by("-received_at", "-id")
    else:
        qs = dossier_queue(qs=base, tab=tab, now=now, due_soon_days=days)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "unit": unit, "tab": tab, "tab_list": [(key, label, counts.get(key)) for key, label in TABS],
        "query": query, "days": days, "page": page,
        "rows": rows(page.object_list, now),
        "can_process": bool(policy.decide(request.user, Action.DOSSIER_PROCESS, unit)),
        "bulk": tab == "to_return" and not query, "methods": RETURN_METHODS,
        "online_pending": list(online[:50]) if online is not None and tab == "to_receive" else [],
    }
    template = "onestop/_queue.html" if is_htmx(request) else "onestop/index.html"
    return render(request, template, context)


@login_required
def my_steps(request: HttpRequest) -> HttpResponse:
    """Dossiers at a step whose responsible unit is in my processing scope."""
    policy.require(request.user, Action.DOSSIER_PROCESS)
    units = policy.scoped_units(request.user, Action.DOSSIER_PROCESS)
    qs = dossiers_at_my_steps(qs=dossiers_in_scope(request.user), unit_ids=units.values("pk"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "onestop/my_steps.html", {"page": page, "rows": rows(page.object_list)})


@login_required
@require_POST
def bulk_return(request: HttpRequest) -> HttpResponse:
    """Return the ticked dossiers, each in its own transaction; report every outcome."""
    policy.require(request.user, Action.DOSSIER_PROCESS)
    form = BulkReturnForm(request.POST)
    picked = request.POST.getlist("pick")  # "code:version"
    if not picked or not form.is_valid():
        messages.warning(request, _("Chưa chọn hồ sơ nào để trả kết quả."))
        return redirect(f"{reverse('onestop:index')}?tab=to_return")
    items = []
    for value in picked:
        code, _sep, version = value.rpartition(":")
        items.append((code, int(version)) if code and version.isdigit() else (value, None))
    outcomes = services.dossiers_return_many(actor=request.user, items=items, method=form.cleaned_data["method"])
    method = dict(RETURN_METHODS)[form.cleaned_data["method"]]
    return render(request, "onestop/bulk_result.html", {
        "outcomes": outcomes, "method": method,
        "ok": sum(o.ok for o in outcomes), "failed": sum(not o.ok for o in outcomes)})
