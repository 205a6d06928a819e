"""Unit pages: tree (as of a date), search, detail, edit with optimistic locking."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from congvu.common.errors import Conflict, DomainError
from congvu.common.text import vn_sort_key
from congvu.org import policy
from congvu.org.models import EmulationGroup, Unit
from congvu.org.roles import Action
from congvu.org.services import unit_update
from congvu.web.forms import UnitEditForm
from congvu.web.scope import (
    ancestors_map,
    existing_on_q,
    parse_date,
    selected_unit,
    unit_search_in_scope,
    with_has_children,
)

SEARCH_SHOWN = 50


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _as_of(request: HttpRequest) -> tuple[dt.date | None, str]:
    """(day, raw text). No parameter means today; an empty one means "every unit, ever"."""
    if "as_of" not in request.GET:
        today = dt.date.today()
        return today, today.strftime("%d/%m/%Y")
    raw = request.GET["as_of"].strip()
    if not raw:
        return None, ""
    day = parse_date(raw)
    if day is None:
        messages.warning(request, _("Ngày không hợp lệ: %(value)s. Nhập theo dạng dd/mm/yyyy.") % {"value": raw})
        day = dt.date.today()
    return day, day.strftime("%d/%m/%Y")


def _children(unit: Unit, day: dt.date | None) -> list[Unit]:
    qs = Unit.objects.filter(parent=unit)
    if day is not None:
        qs = qs.filter(existing_on_q(day))
    # Vietnamese collation ("Xã Ba Động" before "Xã Ba Xa", "Đ…" after "D…"), not code-point order.
    return sorted(with_has_children(qs, day), key=lambda u: vn_sort_key(u.name))


def _search(request: HttpRequest, query: str) -> dict:
    hits = unit_search_in_scope(request.user, query)
    total = hits.count()
    shown = list(hits[:SEARCH_SHOWN])
    crumbs = ancestors_map(shown)
    return {
        "query": query,
        "total": total,
        "results": [(u, crumbs.get(u.pk, [])) for u in shown],
        "truncated": total > len(shown),
    }


@login_required
def unit_tree(request: HttpRequest) -> HttpResponse:
    day, as_of_text = _as_of(request)
    root = selected_unit(request)
    query = request.GET.get("q", "").strip()
    context = {"root": root, "day": day, "as_of": as_of_text, "query": query}
    if root is not None:
        context["root_exists"] = day is None or root.exists_on(day)
        context["nodes"] = _children(root, day)
        context["groups"] = _grouped(context["nodes"])
    if query:
        context["search"] = _search(request, query)
    return render(request, "web/units/tree.html", context)


GROUP_ABOVE = 12  # a level with more children than this is collapsed into one group per kind


def _grouped(nodes: list[Unit]) -> list[dict] | None:
    """A long level collapsed by kind (Cơ quan…, Phường, Xã, Đặc khu…), each group closed until opened."""
    if len(nodes) <= GROUP_ABOVE:
        return None
    from congvu.org.models import UnitKind

    order = [UnitKind.AGENCY, UnitKind.ONESTOP_DESK, UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.WARD,
             UnitKind.TOWNSHIP, UnitKind.COMMUNE, UnitKind.SPECIAL_ZONE]
    labels = dict(UnitKind.choices)
    groups: dict[str, list[Unit]] = {}
    for node in nodes:
        groups.setdefault(node.kind, []).append(node)
    ranked = sorted(groups, key=lambda k: order.index(k) if k in order else len(order))
    return [{"kind": k, "label": labels.get(k, k), "nodes": groups[k]} for k in ranked]


@login_required
def unit_children(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx fragment: the children of one tree node, loaded when it is first opened."""
    unit = get_object_or_404(Unit, pk=pk)
    policy.require(request.user, Action.UNIT_VIEW, unit)
    day, as_of_text = _as_of(request)
    nodes = _children(unit, day)
    return render(request, "web/units/_nodes.html", {"nodes": nodes, "groups": _grouped(nodes), "as_of": as_of_text})


@login_required
def unit_search_view(request: HttpRequest) -> HttpResponse:
    """htmx fragment for search-as-you-type; without htmx, the tree page shows the same results."""
    query = request.GET.get("q", "").strip()
    if not _is_htmx(request):
        return redirect(f"{reverse('web:unit_tree')}?{request.GET.urlencode()}")
    context = {"search": _search(request, query)} if query else {"search": None}
    return render(request, "web/units/_search_results.html", context)


@login_required
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.select_related("parent"), code=code)
    policy.require(request.user, Action.UNIT_VIEW, unit)
    user = request.user
    people = None
    if policy.decide(user, Action.PERSON_VIEW, unit):
        people = Paginator(unit.people.filter(active=True).order_by("-is_head", "full_name"), 50).get_page(
            request.GET.get("people_page"))
    groups = (
        EmulationGroup.objects.filter(Q(members=unit) | Q(owner=unit))
        .select_related("owner", "leader_unit").distinct().order_by("-year", "kind", "name")
    )
    context = {
        "unit": unit,
        "ancestors": ancestors_map([unit])[unit.pk],
        "children": with_has_children(unit.children.all(), None).order_by("valid_to", "name"),
        "predecessors": unit.predecessor_links.select_related("predecessor").order_by("-effective_on"),
        "successors": unit.successor_links.select_related("successor").order_by("-effective_on"),
        "people": people,
        "groups": groups,
        "can_edit": bool(policy.decide(user, Action.UNIT_EDIT, unit)),
        "is_selected": (sel := selected_unit(request)) is not None and sel.pk == unit.pk,
    }
    return render(request, "web/units/detail.html", context)


@login_required
def unit_edit(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_object_or_404(Unit, code=code)
    policy.require(request.user, Action.UNIT_EDIT, unit)
    current: Unit | None = None  # set on a conflict: what the other editor saved
    if request.method == "POST":
        form = UnitEditForm(request.POST)
        if form.is_valid():
            try:
                unit_update(actor=request.user, unit=unit, expected_version=form.cleaned_data["expected_version"],
                            **form.changes(unit))
            except Conflict as exc:
                current = Unit.objects.get(pk=unit.pk)
                # Keep every value the user typed; only move the hidden version forward, so that a
                # second "Save" after reading the current values below is a deliberate overwrite.
                data = request.POST.copy()
                data["expected_version"] = str(current.version)
                form = UnitEditForm(data)
                form.is_valid()
                form.add_error(None, exc.message)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Đã lưu thay đổi của %(name)s.") % {"name": unit.name})
                return redirect("web:unit_detail", code=unit.code)
    else:
        form = UnitEditForm(initial=UnitEditForm.initial_for(unit))
    theirs = _saved_values_differing(form, current) if current is not None else []
    status = 409 if current is not None else 200
    return render(request, "web/units/edit.html", {"unit": unit, "form": form, "theirs": theirs}, status=status)


def _display(value: object) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _saved_values_differing(form: UnitEditForm, current: Unit) -> list[tuple[str, str]]:
    """(label, saved value) for the fields where what the other editor saved differs from what this
    user typed, so they can reconcile without reloading and retyping."""
    mine = getattr(form, "cleaned_data", {})
    out = []
    for name in UnitEditForm.FIELDS:
        if name not in mine:
            continue
        saved = getattr(current, name)
        if (mine[name] or None) != (saved or None):
            shown = current.get_kind_display() if name == "kind" else _display(saved)
            out.append((str(form.fields[name].label), shown or "—"))
    return out
