"""Dashboard and the unit switcher."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from congvu.org import policy
from congvu.org.models import Person, Unit, UnitKind
from congvu.org.roles import Action
from congvu.web.scope import SESSION_UNIT_KEY, existing_on_q, selected_unit


@login_required
def home(request: HttpRequest) -> HttpResponse:
    unit = selected_unit(request)
    today = dt.date.today()
    context: dict = {"unit": unit, "today": today}
    if unit is not None:
        subtree = Unit.objects.filter(path__startswith=unit.path).filter(existing_on_q(today))
        labels = dict(UnitKind.choices)
        by_kind = [
            {"kind": row["kind"], "label": str(labels.get(row["kind"], row["kind"])), "n": row["n"]}
            for row in subtree.exclude(pk=unit.pk).values("kind").annotate(n=Count("pk")).order_by("kind")
        ]
        context.update(
            units_total=sum(r["n"] for r in by_kind),
            units_by_kind=by_kind,
            children=subtree.filter(parent=unit).order_by("name")[:12],
            people_total=(Person.objects.filter(unit__path__startswith=unit.path, active=True).count()
                          if policy.decide(request.user, Action.PERSON_VIEW, unit) else None),
        )
    return render(request, "web/home.html", context)


@login_required
@require_POST
def unit_select(request: HttpRequest) -> HttpResponse:
    """Switch the working unit; only units in the user's unit.view scope are accepted."""
    raw = request.POST.get("unit", "")
    unit = get_object_or_404(Unit, pk=int(raw) if raw.isdigit() else 0)
    policy.require(request.user, Action.UNIT_VIEW, unit)
    request.session[SESSION_UNIT_KEY] = unit.pk
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = "/"
    return redirect(target)
