"""The procedures catalogue: fields and procedures with components and steps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction

from congvu.audit.services import audit_record, model_snapshot
from congvu.common.errors import DomainError
from congvu.common.text import clean, search_key
from congvu.onestop.models import Dossier, Field, Procedure, ProcedureComponent, ProcedureStep
from congvu.org.models import Unit
from congvu.org.policy import require
from congvu.org.roles import Action

# ------------------------------------------------------------------------------------------------
# Catalogue
# ------------------------------------------------------------------------------------------------


def field_get_or_create(*, actor: Any = None, code: str, name: str) -> Field:
    with transaction.atomic():
        obj, created = Field.objects.get_or_create(code=code, defaults={"name": clean(name)})
        if created:
            audit_record(action="create", obj=obj, after=model_snapshot(obj), actor=actor)
    return obj


def procedure_create(
    *,
    actor: Any = None,
    code: str,
    name: str,
    field: Field,
    level: str,
    processing_time: int | float | Decimal,
    time_unit: str = "working_days",
    competent_unit: Unit | None = None,
    online_level: str = "none",
    fee_amount: int | Decimal = 0,
    fee_note: str = "",
    legal_basis: str = "",
    requires_written_result: bool = True,
    citizen_facing: bool = True,
    effective_from: dt.date | None = None,
    effective_to: dt.date | None = None,
    components: Iterable[dict[str, Any]] = (),
    steps: Iterable[dict[str, Any]] = (),
) -> Procedure:
    """A catalogue entry with its components and internal-process steps (shares of the time, Σ ≤ 1)."""
    if actor is not None:
        require(actor, Action.DOSSIER_PROCESS, competent_unit)
    steps = list(steps)
    if sum(Decimal(str(s["share"])) for s in steps) > 1:
        raise DomainError("procedure.shares", "Tổng tỷ lệ thời gian của các bước vượt quá 100%.")
    if Decimal(str(processing_time)) < 0:
        raise DomainError("procedure.time", "Thời hạn giải quyết không được âm.")
    if Procedure.objects.filter(code=code).exists():
        raise DomainError("procedure.duplicate_code", f"Mã thủ tục {code} đã tồn tại.")
    with transaction.atomic():
        proc = Procedure.objects.create(
            code=code, name=clean(name), field=field, level=level, competent_unit=competent_unit,
            processing_time=Decimal(str(processing_time)), time_unit=time_unit, online_level=online_level,
            fee_amount=Decimal(fee_amount), fee_note=fee_note, legal_basis=legal_basis,
            requires_written_result=requires_written_result, citizen_facing=citizen_facing,
            effective_from=effective_from, effective_to=effective_to, search_key=search_key(f"{code} {name}"),
        )
        for i, comp in enumerate(components, start=1):
            ProcedureComponent.objects.create(procedure=proc, order=i, **comp)
        for i, step in enumerate(steps, start=1):
            ProcedureStep.objects.create(procedure=proc, order=i, name=step["name"], share=Decimal(str(step["share"])),
                                         responsible_unit=step.get("unit"), responsible_role=step.get("role", ""))
        audit_record(action="create", obj=proc, after=model_snapshot(proc), actor=actor)
    return proc


def procedure_update(
    *,
    actor: Any = None,
    procedure: Procedure,
    components: Iterable[dict[str, Any]] | None = None,
    steps: Iterable[dict[str, Any]] | None = None,
    **fields: Any,
) -> Procedure:
    """Update a catalogue entry; `components` / `steps` (when given) replace the lists.

    Components and steps are matched by their order and updated in place, so dossiers and online
    filings that point at them keep their link; extra ones are deleted. A step that an open dossier
    is at cannot be deleted. One audit entry with the before and after of the procedure."""
    allowed = {"name", "field", "level", "competent_unit", "processing_time", "time_unit", "online_level",
               "fee_amount", "fee_note", "legal_basis", "requires_written_result", "citizen_facing",
               "effective_from", "effective_to"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"procedure_update: unknown fields {sorted(unknown)}")
    if actor is not None:
        require(actor, Action.DOSSIER_PROCESS, fields.get("competent_unit", procedure.competent_unit))
    steps = list(steps) if steps is not None else None
    if steps is not None and sum(Decimal(str(s["share"])) for s in steps) > 1:
        raise DomainError("procedure.shares", "Tổng tỷ lệ thời gian của các bước vượt quá 100%.")
    with transaction.atomic():
        proc = Procedure.objects.select_for_update().get(pk=procedure.pk)
        before = model_snapshot(proc)
        old_parts = {
            "components": [(c.name, c.originals, c.copies, c.must_digitize) for c in proc.components.order_by("order")],
            "steps": [(s.name, str(s.share), s.responsible_unit_id, s.responsible_role) for s in proc.steps.order_by("order")],
        }
        for name, value in fields.items():
            if name in ("name", "fee_note"):
                value = clean(value)
            if name in ("processing_time", "fee_amount"):
                value = Decimal(str(value))
            setattr(proc, name, value)
        proc.search_key = search_key(f"{proc.code} {proc.name}")
        proc.save()
        if components is not None:
            components = list(components)
            for i, comp in enumerate(components, start=1):
                ProcedureComponent.objects.update_or_create(procedure=proc, order=i, defaults=comp)
            proc.components.filter(order__gt=len(components)).delete()
        if steps is not None:
            extra = proc.steps.filter(order__gt=len(steps))
            busy = Dossier.objects.filter(current_step__in=extra).values_list("code", flat=True).first()
            if busy:
                raise DomainError("procedure.step_in_use",
                                  f"Không thể bỏ bước xử lý của thủ tục {proc.code}: hồ sơ {busy} đang ở bước đó.")
            extra.delete()
            for i, step in enumerate(steps, start=1):
                ProcedureStep.objects.update_or_create(
                    procedure=proc, order=i,
                    defaults={"name": clean(step["name"]), "share": Decimal(str(step["share"])),
                              "responsible_unit": step.get("unit"), "responsible_role": step.get("role", "")})
        proc.refresh_from_db()
        after = model_snapshot(proc)
        new_parts = {
            "components": [(c.name, c.originals, c.copies, c.must_digitize) for c in proc.components.order_by("order")],
            "steps": [(s.name, str(s.share), s.responsible_unit_id, s.responsible_role) for s in proc.steps.order_by("order")],
        }
        audit_record(action="update", obj=proc, before={**before, **old_parts}, after={**after, **new_parts},
                     actor=actor)
    procedure.__dict__.update({k: v for k, v in proc.__dict__.items() if not k.startswith("_")})
    return proc
