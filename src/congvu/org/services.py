"""Writes of the org app. Keyword-only, transactional, each one writes its audit entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from congvu.audit.services import audit_record, model_snapshot
from congvu.common.errors import Conflict, DomainError
from congvu.common.text import clean, search_key
from congvu.org.models import (
    EmulationGroup,
    LineageKind,
    Person,
    PositionHistory,
    RoleGrant,
    Unit,
    UnitKind,
    UnitLineage,
)
from congvu.org.roles import Role

UNIT_FIELDS = ("code", "admin_code", "name", "short_name", "kind", "parent", "valid_from", "valid_to", "aliases", "source")


def _unit_search_key(unit: Unit) -> str:
    """Name and aliases in one accent-free key, so 'Phòng LĐ-TB&XH' finds its unit too."""
    keys = [search_key(unit.name)] + [search_key(a) for a in unit.aliases or []]
    return " | ".join(k for k in keys if k)[:600]


def _check_unit(unit: Unit) -> None:
    if not unit.code:
        raise DomainError("unit.code_required", "Mã đơn vị không được để trống.", message_en="Unit code is required.")
    if not unit.name:
        raise DomainError("unit.name_required", "Tên đơn vị không được để trống.", message_en="Unit name is required.")
    if unit.kind not in UnitKind.values:
        raise DomainError("unit.kind_invalid", f"Loại đơn vị không hợp lệ: {unit.kind}.",
                          message_en=f"Invalid unit kind: {unit.kind}.")
    dup = Unit.objects.filter(code=unit.code).exclude(pk=unit.pk).exists()
    if dup:
        raise DomainError("unit.duplicate_code", f"Mã đơn vị {unit.code} đã tồn tại.",
                          message_en=f"Unit code {unit.code} already exists.")
    if unit.valid_from and unit.valid_to and unit.valid_to < unit.valid_from:
        raise DomainError("unit.validity_inverted", "Ngày hết hiệu lực trước ngày bắt đầu hiệu lực.",
                          message_en="valid_to is before valid_from.")
    ancestor = unit.parent
    while ancestor is not None:
        if unit.pk is not None and ancestor.pk == unit.pk:
            raise DomainError("unit.cycle", f"Không thể đặt {unit.name} làm cấp dưới của chính nó (vòng lặp).",
                              message_en="This parent would create a cycle in the unit tree.")
        ancestor = ancestor.parent


def _refresh_paths(unit: Unit) -> None:
    """Recompute `path` of `unit` and its whole subtree (after a create or a move)."""
    base = (unit.parent.path if unit.parent_id else "/") + f"{unit.pk}/"
    old = unit.path
    Unit.objects.filter(pk=unit.pk).update(path=base)
    unit.path = base
    if old and old != base:
        for child in Unit.objects.filter(path__startswith=old).exclude(pk=unit.pk):
            Unit.objects.filter(pk=child.pk).update(path=base + child.path[len(old):])


def unit_create(*, actor: Any = None, code: str, name: str, kind: str, parent: Unit | None = None,
                admin_code: str = "", short_name: str = "", valid_from: dt.date | None = None,
                valid_to: dt.date | None = None, aliases: list[str] | None = None, source: str = "") -> Unit:
    unit = Unit(code=clean(code), name=clean(name), kind=kind, parent=parent, admin_code=admin_code or "",
                short_name=clean(short_name), valid_from=valid_from, valid_to=valid_to,
                aliases=[clean(a) for a in (aliases or [])], source=source)
    unit.search_key = _unit_search_key(unit)
    with transaction.atomic():
        _check_unit(unit)
        unit.save()
        _refresh_paths(unit)
        audit_record(action="create", obj=unit, after=model_snapshot(unit), actor=actor)
    return unit


def unit_update(*, actor: Any = None, unit: Unit, expected_version: int | None = None, **changes: Any) -> Unit:
    """Update fields of `unit`. With `expected_version`, a concurrent edit is refused (409)."""
    unknown = set(changes) - set(UNIT_FIELDS)
    if unknown:
        raise DomainError("unit.unknown_field", f"Trường không hợp lệ: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        current = Unit.objects.select_for_update().get(pk=unit.pk)
        if expected_version is not None and current.version != expected_version:
            raise Conflict("unit.stale", "Đơn vị đã được người khác sửa; hãy tải lại trang và sửa lại.",
                           message_en="The unit was changed by someone else; reload and retry.")
        before = model_snapshot(current)
        for field, value in changes.items():
            setattr(current, field, clean(value) if isinstance(value, str) and field != "kind" else value)
        current.search_key = _unit_search_key(current)
        _check_unit(current)
        current.version += 1
        current.save()
        if "parent" in changes:
            _refresh_paths(current)
        audit_record(action="update", obj=current, before=before, after=model_snapshot(current), actor=actor)
    return current


def unit_lineage_create(*, actor: Any = None, predecessor: Unit, successor: Unit, effective_on: dt.date,
                        kind: str = LineageKind.MERGE, share: float = 1, source: str = "") -> UnitLineage:
    if predecessor.pk == successor.pk:
        raise DomainError("lineage.self", "Đơn vị không thể kế thừa chính nó.")
    if predecessor.valid_from and effective_on <= predecessor.valid_from:
        raise DomainError("lineage.before_predecessor",
                          f"Ngày hiệu lực {effective_on:%d/%m/%Y} không sau ngày {predecessor.name} bắt đầu tồn tại.",
                          message_en="Lineage date is not after the predecessor's start of validity.")
    if kind in (LineageKind.MERGE, LineageKind.RENAME) and predecessor.valid_to and predecessor.valid_to >= effective_on:
        raise DomainError("lineage.predecessor_still_valid",
                          f"{predecessor.name} còn hiệu lực đến {predecessor.valid_to:%d/%m/%Y}, "
                          f"không thể sáp nhập từ {effective_on:%d/%m/%Y}.",
                          message_en="The predecessor is still valid on the lineage date.")
    if successor.valid_from and successor.valid_from > effective_on:
        raise DomainError("lineage.successor_not_yet",
                          f"{successor.name} chỉ có hiệu lực từ {successor.valid_from:%d/%m/%Y}.",
                          message_en="The successor does not exist yet on the lineage date.")
    if successor.valid_to and successor.valid_to < effective_on:
        raise DomainError("lineage.successor_ended", f"{successor.name} đã hết hiệu lực trước ngày kế thừa.",
                          message_en="The successor has ended before the lineage date.")
    from congvu.org.selectors import unit_successors_all

    if predecessor.pk in {u.pk for u in unit_successors_all(unit=successor)}:
        raise DomainError("lineage.cycle", "Quan hệ kế thừa tạo thành vòng lặp.", message_en="Lineage would form a cycle.")
    with transaction.atomic():
        link = UnitLineage.objects.create(predecessor=predecessor, successor=successor, effective_on=effective_on,
                                          kind=kind, share=share, source=source)
        audit_record(action="create", obj=link, after=model_snapshot(link), actor=actor)
    return link


def emulation_group_create(*, actor: Any = None, year: int, kind: str, name: str, owner: Unit,
                           members: list[Unit], leader_unit: Unit | None = None) -> EmulationGroup:
    with transaction.atomic():
        group = EmulationGroup.objects.create(year=year, kind=kind, name=clean(name), owner=owner, leader_unit=leader_unit)
        group.members.set(members)
        after = model_snapshot(group) | {"members": sorted(u.pk for u in members)}
        audit_record(action="create", obj=group, after=after, actor=actor)
    return group


def person_create(*, actor: Any = None, full_name: str, category: str, unit: Unit, position: str = "",
                  is_head: bool = False, staff_code: str | None = None, birth_date: dt.date | None = None,
                  gender: str = "", email: str = "", phone: str = "", since: dt.date | None = None) -> Person:
    if staff_code and Person.objects.filter(staff_code=staff_code).exists():
        raise DomainError("person.duplicate_code", f"Mã cán bộ {staff_code} đã tồn tại.")
    with transaction.atomic():
        person = Person.objects.create(full_name=clean(full_name), search_key=search_key(full_name), category=category,
                                       unit=unit, position=clean(position), is_head=is_head, staff_code=staff_code or None,
                                       birth_date=birth_date, gender=gender, email=email, phone=phone)
        if position:
            PositionHistory.objects.create(person=person, unit=unit, position=person.position,
                                           start=since or dt.date.today())
        audit_record(action="create", obj=person, after=model_snapshot(person), actor=actor)
    return person


def person_position_assign(*, actor: Any = None, person: Person, unit: Unit, position: str, start: dt.date,
                           is_head: bool = False, decision: str = "") -> Person:
    """Move a person to a new position; the open history row is closed the day before `start`."""
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        before = model_snapshot(person)
        for row in person.positions.filter(end__isnull=True):
            if row.start >= start:
                raise DomainError("person.position_overlap",
                                  f"Ngày bắt đầu {start:%d/%m/%Y} phải sau {row.start:%d/%m/%Y} của chức vụ hiện tại.")
            row.end = start - dt.timedelta(days=1)
            row.save(update_fields=["end"])
        PositionHistory.objects.create(person=person, unit=unit, position=clean(position), start=start, decision=decision)
        person.unit, person.position, person.is_head = unit, clean(position), is_head
        person.version += 1
        person.save()
        audit_record(action="update", obj=person, before=before, after=model_snapshot(person), actor=actor,
                     note=f"position: {position}")
    return person


def person_link_user(*, actor: Any = None, person: Person, user: Any | None) -> Person:
    """Give a person their login account (or take it away with user=None)."""
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        before = model_snapshot(person)
        person.user = user
        person.version += 1
        person.save(update_fields=["user", "version"])
        audit_record(action="update", obj=person, before=before, after=model_snapshot(person), actor=actor,
                     note="link user")
    return person


def role_grant(*, actor: Any = None, user: Any, role: str, unit: Unit, valid_from: dt.date | None = None,
               valid_to: dt.date | None = None) -> RoleGrant:
    """Grant `role` on `unit` (idempotent); `valid_from`/`valid_to` bound it in time (a post that ended)."""
    Role(role)  # refuses unknown roles with ValueError before anything is written
    if valid_from and valid_to and valid_to < valid_from:
        raise DomainError("role.bad_period", f"Ngày kết thúc {valid_to:%d/%m/%Y} trước ngày bắt đầu {valid_from:%d/%m/%Y}.")
    with transaction.atomic():
        grant, created = RoleGrant.objects.get_or_create(user=user, role=role, unit=unit,
                                                         defaults={"valid_from": valid_from, "valid_to": valid_to})
        if created:
            audit_record(action="create", obj=grant, after=model_snapshot(grant), actor=actor)
        elif (valid_from or valid_to) and (grant.valid_from, grant.valid_to) != (valid_from, valid_to):
            before = model_snapshot(grant)
            grant.valid_from, grant.valid_to = valid_from, valid_to
            grant.save(update_fields=["valid_from", "valid_to"])
            audit_record(action="update", obj=grant, before=before, after=model_snapshot(grant), actor=actor)
    return grant


def role_revoke(*, actor: Any = None, grant: RoleGrant) -> None:
    with transaction.atomic():
        before = model_snapshot(grant)
        audit_record(action="delete", obj=grant, before=before, actor=actor)
        grant.delete()
