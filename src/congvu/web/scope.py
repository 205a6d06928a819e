"""Scope-aware reads shared by the web pages and the JSON API.

Everything a user may list is narrowed here through `congvu.org.policy.scoped_units`, so the web
and the API cannot disagree about what a user sees. The selected working unit (the unit switcher)
is kept in the session under `SESSION_UNIT_KEY`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest

from congvu.common.text import search_key, vn_sort_key
from congvu.org import policy
from congvu.org.models import Person, Unit
from congvu.org.roles import Action
from congvu.org.selectors import unit_search

SESSION_UNIT_KEY = "congvu.selected_unit"
# unit_search always slices; we use it as a subquery, so the cap only has to exceed any real scope.
_SEARCH_CAP = 100_000
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]


def parse_date(value: str | None) -> dt.date | None:
    """dd/mm/yyyy (what people type) or ISO (what links and the API carry); None if empty/invalid."""
    value = (value or "").strip()
    for fmt in DATE_INPUT_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def existing_on_q(day: dt.date, prefix: str = "") -> Q:
    """Units that existed on `day` (same rule as `selectors.units_existing_on`)."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


def scope_is_global(user: Any, action: Action | str = Action.UNIT_VIEW) -> bool:
    """True when the user's scope covers every top-level unit, so scope filters can be skipped."""
    roots = {u.pk for u in policy.scope_roots(user, action)}
    if not roots:
        return False
    return not Unit.objects.filter(parent__isnull=True).exclude(pk__in=roots).exists()


def units_in_scope(user: Any, action: Action | str = Action.UNIT_VIEW) -> QuerySet[Unit]:
    return policy.scoped_units(user, action)


def unit_search_in_scope(user: Any, query: str, action: Action | str = Action.UNIT_VIEW) -> QuerySet[Unit]:
    """Accent-insensitive search (`selectors.unit_search`) restricted to the scope, unsliced.

    The selector applies the scope before its limit, so a small scope cannot be crowded out by
    matches elsewhere; the result stays a queryset so callers can paginate and count it.
    """
    scoped = policy.scoped_units(user, action)
    within = None if scope_is_global(user, action) else list(scoped.values_list("pk", flat=True))
    hits = unit_search(query=query, within=within, limit=_SEARCH_CAP)
    return scoped.filter(pk__in=hits.values("pk")).order_by("path")


def with_has_children(qs: QuerySet[Unit], day: dt.date | None) -> QuerySet[Unit]:
    """Annotate `has_children` (children existing on `day`) in the same query, for tree toggles."""
    children = Unit.objects.filter(parent=OuterRef("pk"))
    if day is not None:
        children = children.filter(existing_on_q(day))
    return qs.annotate(has_children=Exists(children))


def people_in_scope(user: Any, *, query: str = "", unit: Unit | None = None, category: str = "",
                    active: bool | None = None) -> QuerySet[Person]:
    """People of units in the user's person.view scope, filtered; accent-insensitive like
    `selectors.person_search` (every word of the query must occur in the name key)."""
    qs = Person.objects.select_related("unit")
    if not scope_is_global(user, Action.PERSON_VIEW):
        qs = qs.filter(unit__in=policy.scoped_units(user, Action.PERSON_VIEW))
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if category:
        qs = qs.filter(category=category)
    if active is not None:
        qs = qs.filter(active=active)
    query = (query or "").strip()
    if query:
        words = Q()
        for word in search_key(query).split():
            words &= Q(search_key__contains=word)
        qs = qs.filter(words | Q(staff_code__iexact=query))
    return qs.order_by("unit__path", "-is_head", "full_name")


def ancestors_map(units: list[Unit]) -> dict[int, list[Unit]]:
    """{unit id: [ancestors top-down]} with one query, for breadcrumbs in search results."""
    wanted: set[int] = set()
    chains: dict[int, list[int]] = {}
    for unit in units:
        ids = [int(p) for p in unit.path.strip("/").split("/") if p][:-1]
        chains[unit.pk] = ids
        wanted.update(ids)
    by_id = Unit.objects.in_bulk(wanted)
    return {pk: [by_id[i] for i in ids if i in by_id] for pk, ids in chains.items()}


def selected_unit(request: HttpRequest) -> Unit | None:
    """The working unit chosen in the switcher, re-checked against the current scope (grants
    can be revoked while the session lives); defaults to the first scope root."""
    if hasattr(request, "_congvu_selected_unit"):
        return request._congvu_selected_unit
    user = request.user
    unit: Unit | None = None
    if user.is_authenticated:
        pk = request.session.get(SESSION_UNIT_KEY)
        if pk is not None:
            unit = policy.scoped_units(user).filter(pk=pk).first()
        if unit is None:
            roots = policy.scope_roots(user, Action.UNIT_VIEW, lineage=False) or \
                policy.scope_roots(user, Action.UNIT_VIEW)
            today = dt.date.today()
            living = [r for r in roots if r.exists_on(today)]  # a unit that exists today first
            unit = (living or roots)[0] if roots else None
    request._congvu_selected_unit = unit
    return unit


def switcher_units(request: HttpRequest) -> list[Unit]:
    """Choices for the unit switcher: the scope roots and, for a single root, its current
    children; a whole country would be too long for a select (deeper units are chosen from their
    detail page)."""
    user = request.user
    roots = policy.scope_roots(user, Action.UNIT_VIEW, lineage=False) or policy.scope_roots(user, Action.UNIT_VIEW)
    choices = list(roots)
    if len(roots) == 1:
        choices += sorted(Unit.objects.filter(parent=roots[0]).filter(existing_on_q(dt.date.today())),
                          key=lambda u: vn_sort_key(u.name))
    current = selected_unit(request)
    if current is not None and current.pk not in {u.pk for u in choices}:
        choices.append(current)
    return choices
