"""Scope helpers shared by the desk pages (and the API listing)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from congvu.onestop.models import Dossier
from congvu.onestop.selectors import TIMELINESS_LABELS, dossier_timeliness
from congvu.onestop.workflow import STATE_LABELS, State
from congvu.org import policy
from congvu.org.models import Unit
from congvu.org.roles import Action
from congvu.web.scope import scope_is_global

PAGE_SIZE = 25


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def dossiers_in_scope(user: Any, action: Action = Action.DOSSIER_VIEW) -> QuerySet[Dossier]:
    """Every dossier whose receiving unit lies in the user's scope for `action`."""
    qs = Dossier.objects.select_related("procedure", "unit")
    if scope_is_global(user, action):
        return qs
    return qs.filter(unit__in=policy.scoped_units(user, action))


def dossiers_of_unit(unit: Unit | None) -> QuerySet[Dossier]:
    """Dossiers received by `unit` or any unit below it."""
    qs = Dossier.objects.select_related("procedure", "unit")
    return qs.none() if unit is None else qs.filter(unit__path__startswith=unit.path)


def rows(dossiers, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    now = now or timezone.now()
    out = []
    for d in dossiers:
        key = dossier_timeliness(d, now)
        out.append({"d": d, "state_label": STATE_LABELS[State(d.state)], "timeliness": key,
                    "timeliness_label": TIMELINESS_LABELS[key]})
    return out
