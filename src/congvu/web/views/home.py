"""Dashboard and the unit switcher."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from congvu.common.text import vn_sort_key
from congvu.org import policy
from congvu.org.models import Person, RoleGrant, Unit, UnitKind
from congvu.org.roles import ROLE_LABELS, Action, Role
from congvu.web.panels import PanelContext, panels_for_roles, render_panels
from congvu.web.scope import SESSION_UNIT_KEY, existing_on_q, selected_unit

# Roles whose screens land in later apps (indices, emulation): until they register a panel, their
# start page says so instead of showing another role's work.
_WAITING_ROLES = {
    Role.HOME_AFFAIRS_ASSESSOR: _("Việc thẩm định chỉ số cải cách hành chính sẽ hiện ở đây khi phân hệ Chỉ số "
                                  "được đưa vào sử dụng. Hiện chưa có hồ sơ nào chờ bạn thẩm định."),
    Role.EMULATION_OFFICER: _("Hồ sơ thi đua, khen thưởng chờ xử lý sẽ hiện ở đây khi phân hệ Thi đua - Khen "
                              "thưởng được đưa vào sử dụng. Hiện chưa có hồ sơ nào chờ bạn."),
    Role.COUNCIL_MEMBER: _("Các phiên họp, phiếu bầu của Hội đồng Thi đua - Khen thưởng sẽ hiện ở đây khi phân hệ "
                           "Thi đua - Khen thưởng được đưa vào sử dụng. Hiện chưa có việc nào chờ bạn."),
}


def _roles_today(user, today: dt.date) -> dict[str, list[Unit]]:
    """{role: [units]} of the user's grants valid today (one query)."""
    from django.db.models import Q

    out: dict[str, list[Unit]] = {}
    grants = (RoleGrant.objects.filter(user=user).filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
              .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today)).select_related("unit").order_by("role", "unit__path"))
    for grant in grants:
        out.setdefault(grant.role, []).append(grant.unit)
    if user.is_superuser and Role.SYSTEM_ADMIN.value not in out:
        out[Role.SYSTEM_ADMIN.value] = []
    return out


def _ended_notice(unit: Unit | None, today: dt.date) -> dict | None:
    """When the working unit (or the person's own unit) no longer exists: since when and who carries on."""
    if unit is None or unit.valid_to is None or unit.valid_to >= today:
        return None
    from congvu.org.selectors import unit_successor_on

    return {"unit": unit, "ended": unit.valid_to, "successors": unit_successor_on(unit=unit, day=today)}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The start page: what needs this person now, per role (panels registered by the apps)."""
    unit = selected_unit(request)
    today = dt.date.today()
    roles = _roles_today(request.user, today)
    ctx = PanelContext(user=request.user, roles=roles, unit=unit, today=today, request=request)
    panels = render_panels(ctx)
    covered = {r for p in panels_for_roles(set(roles)) for r in p.roles}
    waiting = [{"role": ROLE_LABELS[Role(r)], "text": text} for r, text in _WAITING_ROLES.items()
               if r.value in roles and r.value not in covered]
    person = Person.objects.filter(user=request.user).select_related("unit").first()
    context: dict = {
        "unit": unit, "today": today, "panels": panels, "waiting_roles": waiting,
        "role_labels": [ROLE_LABELS[Role(r)] for r in roles],
        "ended": _ended_notice(unit, today) or _ended_notice(getattr(person, "unit", None), today),
        "overview": Role.SYSTEM_ADMIN.value in roles or not roles,
    }
    if unit is not None and context["overview"]:
        subtree = Unit.objects.filter(path__startswith=unit.path).filter(existing_on_q(today))
        labels = dict(UnitKind.choices)
        by_kind = [
            {"kind": row["kind"], "label": str(labels.get(row["kind"], row["kind"])), "n": row["n"]}
            for row in subtree.exclude(pk=unit.pk).values("kind").annotate(n=Count("pk")).order_by("kind")
        ]
        context.update(
            units_total=sum(r["n"] for r in by_kind),
            units_by_kind=by_kind,
            children=sorted(subtree.filter(parent=unit), key=lambda u: vn_sort_key(u.name))[:12],
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
