"""The one place that answers "may this user do X on this object".

Views, the API and the admin all call `decide` / `require`. A role granted on a unit covers that
unit's subtree; system admins (and Django superusers) may do everything.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from congvu.common.errors import NotAllowed
from congvu.org.models import Unit
from congvu.org.roles import ACTION_LABELS, GLOBAL_ACTIONS, ROLE_ACTIONS, Action, Role


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


def _grants(user: Any, *, lineage: bool = True) -> list[tuple[Role, str]]:
    """(role, unit path) of the user's grants valid today, cached on the user object for the request.

    With `lineage` (the default) each grant also covers, through `UnitLineage`, the units its units
    took over (transitively, lineage in effect today): the chair of a commune formed on 01/07/2025
    sees the 2023-2024 records of the district offices and communes it inherited."""
    cached = getattr(user, "_congvu_grants", None)
    if cached is None:
        today = dt.date.today()
        rows = (
            user.role_grants.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
            .values_list("role", "unit__path")
        )
        direct = [(Role(role), path) for role, path in rows]
        cached = (direct, _lineage_grants(direct, today) if direct else [])
        user._congvu_grants = cached
    direct, inherited = cached
    return direct + inherited if lineage else direct


def _lineage_grants(direct: list[tuple[Role, str]], today: dt.date) -> list[tuple[Role, str]]:
    """Extra (role, path) pairs for the predecessors of units inside each granted subtree (one query)."""
    from congvu.org.models import UnitLineage

    pairs = list(UnitLineage.objects.filter(effective_on__lte=today)
                 .values_list("successor__path", "predecessor__path"))
    if not pairs:
        return []
    extra: list[tuple[Role, str]] = []
    for role, root in direct:
        covered = [root]
        frontier = [root]
        while frontier:
            prefix = frontier.pop()
            for succ_path, pred_path in pairs:
                if succ_path.startswith(prefix) and not any(pred_path.startswith(c) for c in covered):
                    covered.append(pred_path)
                    frontier.append(pred_path)
                    extra.append((role, pred_path))
    return extra


def unit_of(obj: Any) -> Unit | None:
    """The unit an object belongs to, for scope checks."""
    if obj is None:
        return None
    if isinstance(obj, Unit):
        return obj
    for attr in ("scope_unit", "unit", "owner", "assignee_unit"):
        value = getattr(obj, attr, None)
        if isinstance(value, Unit):
            return value
    return None


def decide(user: Any, action: Action | str, obj: Any = None) -> Decision:
    action = Action(action)
    label = ACTION_LABELS[action]
    if user is None or not getattr(user, "is_authenticated", False):
        return Decision(False, f"Cần đăng nhập để {label}.")
    if not user.is_active:
        return Decision(False, "Tài khoản đã bị khóa.")
    if user.is_superuser:
        return Decision(True, "quản trị hệ thống")
    grants = _grants(user)
    roles_with_action = [(role, path) for role, path in grants if action in ROLE_ACTIONS[role]]
    if not roles_with_action:
        return Decision(False, f"Vai trò của bạn không được phép {label}.")
    if action in GLOBAL_ACTIONS:
        return Decision(True, roles_with_action[0][0].value)
    unit = unit_of(obj)
    if obj is None or unit is None:
        return Decision(True, roles_with_action[0][0].value)
    # An object may name further units whose scope covers it (a task: its notice's issuing unit).
    units = [unit, *[u for u in (getattr(obj, "also_scope_units", None) or []) if isinstance(u, Unit)]]
    for role, path in roles_with_action:
        if role is Role.SYSTEM_ADMIN or any(u.path.startswith(path) for u in units):
            return Decision(True, role.value)
    return Decision(False, f"Bạn không được {label} của {unit.name}: đơn vị này nằm ngoài phạm vi được phân quyền.")


def require(user: Any, action: Action | str, obj: Any = None) -> None:
    decision = decide(user, action, obj)
    if not decision.allowed:
        raise NotAllowed("forbidden", decision.reason, message_en=f"Not allowed: {Action(action).value}")


def require_found(user: Any, action: Action | str, obj: Any, *, view_action: Action | str | None = None) -> None:
    """Object lookups: a user who may not even *see* `obj` gets exactly the answer of a missing object
    (Http404, no reason, no unit named), so refusals cannot map codes to units. A user who sees it but
    may not do `action` gets the usual refusal (403 with the reason)."""
    from django.http import Http404

    if not decide(user, view_action or action, obj).allowed:
        raise Http404
    require(user, action, obj)


def scope_roots(user: Any, action: Action | str | None = None, *, lineage: bool = True) -> list[Unit]:
    """Top units of the user's scope, optionally for one action. With `lineage` (default) the units
    taken over through lineage are roots too; the unit switcher asks without them."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    if user.is_superuser:
        return list(Unit.objects.filter(parent__isnull=True))
    grants = _grants(user, lineage=lineage)
    if action is not None:
        grants = [(r, p) for r, p in grants if Action(action) in ROLE_ACTIONS[r]]
    if any(r is Role.SYSTEM_ADMIN for r, _ in grants):
        return list(Unit.objects.filter(parent__isnull=True))
    paths = sorted({p for _, p in grants}, key=len)
    roots: list[str] = []
    for p in paths:
        if not any(p.startswith(r) for r in roots):
            roots.append(p)
    return list(Unit.objects.filter(path__in=roots).order_by("path"))


def scoped_units(user: Any, action: Action | str = Action.UNIT_VIEW) -> QuerySet[Unit]:
    roots = scope_roots(user, action)
    if not roots:
        return Unit.objects.none()
    cond = Q()
    for root in roots:
        cond |= Q(path__startswith=root.path)
    return Unit.objects.filter(cond)
