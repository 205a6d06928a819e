"""Org endpoints: units, lineage, people, and the caller (`/me`). Thin: reads go through
`congvu.web.scope` (the same scope rules as the pages), writes through `congvu.org.services`."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from congvu.api.schemas import ERRORS_READ, ERRORS_WRITE, MAX_PAGE_SIZE, ApiValidationError, paginate
from congvu.common.errors import NotAllowed
from congvu.org import policy
from congvu.org.models import Person, PersonCategory, RoleGrant, Unit, UnitKind
from congvu.org.roles import ROLE_LABELS, Action, Role
from congvu.org.selectors import unit_predecessors_all, unit_successors_all
from congvu.org.services import unit_update
from congvu.web.scope import existing_on_q, people_in_scope, scope_is_global, unit_search_in_scope

router = Router(tags=["org"])


# --- schemas -----------------------------------------------------------------------------------

class UnitRef(Schema):
    code: str
    name: str
    kind: str


class PageParams(Schema):
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


class UnitFilters(PageParams):
    q: str = Field("", description="Accent-insensitive name/code/alias search ('ba bich' finds 'Ba Bích').")
    kind: UnitKind | None = None
    parent: str | None = Field(None, description="Code of the parent: only its direct children.")
    as_of: dt.date | None = Field(None, description="ISO date: only units that existed on that day.")


class PersonFilters(PageParams):
    q: str = Field("", description="Accent-insensitive name search, or an exact staff code.")
    unit: str | None = Field(None, description="Unit code: people of that unit and its subunits.")
    category: PersonCategory | None = None
    active: bool | None = None


class UnitOut(Schema):
    code: str
    name: str
    short_name: str
    admin_code: str
    kind: str
    kind_label: str
    parent: UnitRef | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    aliases: list[str]
    source: str
    version: int = Field(description="Send it back as `expected_version` in PATCH.")
    updated_at: dt.datetime


class UnitDetailOut(UnitOut):
    children: list[UnitRef]


class UnitPage(Schema):
    items: list[UnitOut]
    total: int
    page: int
    page_size: int
    pages: int


class UnitPatchIn(Schema):
    model_config = ConfigDict(extra="forbid")  # a misspelt field must not be silently ignored

    expected_version: int = Field(description="The `version` you read; 409 if the unit changed since.")
    name: str | None = None
    short_name: str | None = None
    admin_code: str | None = None
    kind: UnitKind | None = None
    parent: str | None = Field(None, description="Code of the new parent unit.")
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    aliases: list[str] | None = None
    source: str | None = None


class LineageLinkOut(Schema):
    unit: UnitRef
    kind: str
    effective_on: dt.date
    share: Decimal
    source: str


class LineageOut(Schema):
    unit: UnitRef
    predecessors: list[LineageLinkOut] = Field(description="Direct predecessors (merged into this unit).")
    successors: list[LineageLinkOut] = Field(description="Direct successors.")
    all_predecessors: list[UnitRef] = Field(description="Transitive predecessors.")
    all_successors: list[UnitRef] = Field(description="Transitive successors.")


class PersonOut(Schema):
    uid: uuid.UUID
    staff_code: str | None
    full_name: str
    category: str
    category_label: str
    unit: UnitRef
    position: str
    is_head: bool
    active: bool
    email: str
    phone: str


class PositionOut(Schema):
    unit: UnitRef
    position: str
    start: dt.date
    end: dt.date | None
    decision: str


class PersonDetailOut(PersonOut):
    positions: list[PositionOut]


class PersonPage(Schema):
    items: list[PersonOut]
    total: int
    page: int
    page_size: int
    pages: int


class RoleOut(Schema):
    role: str
    label: str
    unit: UnitRef
    valid_from: dt.date | None
    valid_to: dt.date | None


class MeOut(Schema):
    username: str
    full_name: str
    email: str
    is_superuser: bool
    roles: list[RoleOut]
    scope: list[UnitRef] = Field(description="Top units of the caller's unit.view scope.")
    actions: list[str] = Field(description="Actions some role of the caller allows (scope still applies).")


# --- mapping -------------------------------------------------------------------------------------

def unit_ref(unit: Unit) -> dict[str, Any]:
    return {"code": unit.code, "name": unit.name, "kind": unit.kind}


def unit_out(unit: Unit) -> dict[str, Any]:
    return {
        **unit_ref(unit),
        "short_name": unit.short_name,
        "admin_code": unit.admin_code,
        "kind_label": str(UnitKind(unit.kind).label) if unit.kind in UnitKind.values else unit.kind,
        "parent": unit_ref(unit.parent) if unit.parent_id else None,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
        "aliases": list(unit.aliases or []),
        "source": unit.source,
        "version": unit.version,
        "updated_at": unit.updated_at,
    }


def person_out(person: Person) -> dict[str, Any]:
    return {
        "uid": person.uid,
        "staff_code": person.staff_code,
        "full_name": person.full_name,
        "category": person.category,
        "category_label": str(PersonCategory(person.category).label)
        if person.category in PersonCategory.values else person.category,
        "unit": unit_ref(person.unit),
        "position": person.position,
        "is_head": person.is_head,
        "active": person.active,
        "email": person.email,
        "phone": person.phone,
    }


def _unit_for(request: HttpRequest, code: str, action: Action = Action.UNIT_VIEW) -> Unit:
    """404 when no such unit, 403 (with the policy's reason) when it is outside the scope."""
    unit = get_object_or_404(Unit.objects.select_related("parent"), code=code)
    policy.require(request.auth, action, unit)
    return unit


# --- units ---------------------------------------------------------------------------------------

@router.get("/units", response={200: UnitPage, **ERRORS_READ}, summary="List units in scope")
def list_units(request: HttpRequest, filters: Query[UnitFilters]) -> tuple[int, dict[str, Any]]:
    user = request.auth
    qs = unit_search_in_scope(user, filters.q) if filters.q.strip() else policy.scoped_units(user)
    if filters.kind is not None:
        qs = qs.filter(kind=filters.kind)
    if filters.parent:
        qs = qs.filter(parent=_unit_for(request, filters.parent))
    if filters.as_of is not None:
        qs = qs.filter(existing_on_q(filters.as_of))
    items, meta = paginate(qs.select_related("parent").order_by("path"), filters.page, filters.page_size)
    return 200, {"items": [unit_out(u) for u in items], **meta}


@router.get("/units/{code}", response={200: UnitDetailOut, **ERRORS_READ}, summary="One unit")
def get_unit(request: HttpRequest, code: str) -> tuple[int, dict[str, Any]]:
    unit = _unit_for(request, code)
    children = [unit_ref(c) for c in unit.children.order_by("name")]
    return 200, {**unit_out(unit), "children": children}


@router.patch("/units/{code}", response={200: UnitDetailOut, **ERRORS_WRITE}, summary="Edit a unit")
def patch_unit(request: HttpRequest, code: str, payload: UnitPatchIn) -> tuple[int, dict[str, Any]]:
    user = request.auth
    unit = _unit_for(request, code, Action.UNIT_EDIT)
    changes = payload.model_dump(exclude_unset=True)
    expected_version = changes.pop("expected_version")
    for name in ("name", "kind"):
        if name in changes and changes[name] is None:
            raise ApiValidationError(f"Trường {name} không được để trống.", message_en=f"{name} may not be null.",
                                     details={"field": name})
    for name in ("short_name", "admin_code", "source"):
        if name in changes and changes[name] is None:
            changes[name] = ""
    if "aliases" in changes and changes["aliases"] is None:
        changes["aliases"] = []
    if "kind" in changes:
        changes["kind"] = str(changes["kind"].value)
    if "parent" in changes:
        # Moving a unit changes two scopes: the caller must be allowed to edit under the new parent.
        if changes["parent"] is None:
            if not scope_is_global(user, Action.UNIT_EDIT):
                raise NotAllowed("forbidden", "Chỉ quản trị toàn hệ thống mới đặt được đơn vị cấp cao nhất.",
                                 message_en="Only a global editor may make a unit top-level.")
        else:
            new_parent = Unit.objects.filter(code=changes["parent"]).first()
            if new_parent is None:
                raise ApiValidationError(f"Không có đơn vị mã {changes['parent']}.",
                                         message_en=f"No unit with code {changes['parent']}.",
                                         details={"field": "parent"})
            policy.require(user, Action.UNIT_EDIT, new_parent)
            changes["parent"] = new_parent
    updated = unit_update(actor=user, unit=unit, expected_version=expected_version, **changes)
    updated = Unit.objects.select_related("parent").get(pk=updated.pk)
    return 200, {**unit_out(updated), "children": [unit_ref(c) for c in updated.children.order_by("name")]}


@router.get("/units/{code}/lineage", response={200: LineageOut, **ERRORS_READ}, summary="Lineage of a unit")
def unit_lineage(request: HttpRequest, code: str) -> tuple[int, dict[str, Any]]:
    unit = _unit_for(request, code)

    def link(row: Any, other: Unit) -> dict[str, Any]:
        return {"unit": unit_ref(other), "kind": row.kind, "effective_on": row.effective_on, "share": row.share,
                "source": row.source}

    return 200, {
        "unit": unit_ref(unit),
        "predecessors": [link(r, r.predecessor) for r in
                         unit.predecessor_links.select_related("predecessor").order_by("effective_on")],
        "successors": [link(r, r.successor) for r in
                       unit.successor_links.select_related("successor").order_by("effective_on")],
        "all_predecessors": [unit_ref(u) for u in sorted(unit_predecessors_all(unit=unit), key=lambda u: u.path)],
        "all_successors": [unit_ref(u) for u in sorted(unit_successors_all(unit=unit), key=lambda u: u.path)],
    }


# --- people --------------------------------------------------------------------------------------

@router.get("/people", response={200: PersonPage, **ERRORS_READ}, summary="List people in scope")
def list_people(request: HttpRequest, filters: Query[PersonFilters]) -> tuple[int, dict[str, Any]]:
    user = request.auth
    policy.require(user, Action.PERSON_VIEW)
    within = _unit_for(request, filters.unit, Action.PERSON_VIEW) if filters.unit else None
    qs = people_in_scope(user, query=filters.q, unit=within,
                         category=filters.category.value if filters.category else "", active=filters.active)
    items, meta = paginate(qs, filters.page, filters.page_size)
    return 200, {"items": [person_out(p) for p in items], **meta}


@router.get("/people/{uid}", response={200: PersonDetailOut, **ERRORS_READ}, summary="One person")
def get_person(request: HttpRequest, uid: uuid.UUID) -> tuple[int, dict[str, Any]]:
    person = get_object_or_404(Person.objects.select_related("unit"), uid=uid)
    policy.require(request.auth, Action.PERSON_VIEW, person)
    positions = [
        {"unit": unit_ref(p.unit), "position": p.position, "start": p.start, "end": p.end, "decision": p.decision}
        for p in person.positions.select_related("unit").order_by("-start")
    ]
    return 200, {**person_out(person), "positions": positions}


# --- the caller ----------------------------------------------------------------------------------

@router.get("/me", response={200: MeOut, 401: ERRORS_READ[401]}, summary="The caller, roles and scope")
def me(request: HttpRequest) -> tuple[int, dict[str, Any]]:
    user = request.auth
    today = dt.date.today()
    grants = (
        RoleGrant.objects.filter(user=user).select_related("unit")
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .order_by("unit__path", "role")
    )
    person = Person.objects.filter(user=user).first()
    return 200, {
        "username": user.get_username(),
        "full_name": (person.full_name if person else "") or user.get_full_name(),
        "email": user.email,
        "is_superuser": user.is_superuser,
        "roles": [
            {"role": g.role, "label": ROLE_LABELS.get(Role(g.role), g.role), "unit": unit_ref(g.unit),
             "valid_from": g.valid_from, "valid_to": g.valid_to}
            for g in grants
        ],
        "scope": [unit_ref(u) for u in policy.scope_roots(user, Action.UNIT_VIEW)],
        "actions": [a.value for a in Action if policy.decide(user, a)],
    }
