"""Movements (phong trào thi đua), their weighted criteria, and pledges (đăng ký, ký kết giao ước)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from congvu.audit.services import audit_record, model_snapshot
from congvu.common import uploads
from congvu.common.errors import Conflict, DomainError
from congvu.common.text import clean
from congvu.emulation.models import (
    CriterionScore,
    Measure,
    Movement,
    MovementCriterion,
    MovementKind,
    MovementScope,
    MovementState,
    Pledge,
    PledgeSubject,
)
from congvu.emulation.services._common import check, dates_ok, texts_ok, title_ok, year_ok
from congvu.org.models import EmulationGroup, Person, Unit
from congvu.org.roles import Action

# The metric a measured criterion reads by default (congvu.metrics names; index.* come from indices).
DEFAULT_METRICS: dict[str, str] = {
    Measure.TASK_COMPLETION: "directives.task_on_time_rate",
    Measure.SATISFACTION: "citizen.satisfaction_rate",
}
LAUNCH_DOCUMENT_KINDS = ("pdf", "docx", "doc")


def _decimal(value: Any, label: str, lo: Decimal, hi: Decimal) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        raise DomainError("input.number", f"{label} phải là số (nhận được {value!r}).") from None
    if not number.is_finite() or not lo <= number <= hi:
        raise DomainError("input.range", f"{label} phải từ {lo} đến {hi} (nhận được {value}).")
    return number


def _check_document(upload: Any) -> None:
    limit = settings.CONGVU_UPLOAD_MAX_BYTES
    size = uploads.upload_size(upload) or 0
    if size == 0:
        raise DomainError("upload.empty", "Văn bản phát động rỗng; hãy chọn lại tệp.")
    if size > limit:
        raise DomainError("upload.too_large", f"Văn bản phát động lớn hơn {limit // (1024 * 1024)} MB.")
    uploads.validate(getattr(upload, "name", "") or "", size, upload, allowed=LAUNCH_DOCUMENT_KINDS,
                     limits=uploads.limits_from(settings, max_bytes=limit))


def movement_create(*, actor: Any, unit: Unit, name: str, year: int, period_start: dt.date, period_end: dt.date,
                    kind: str = MovementKind.REGULAR, theme: str = "", scope: str = MovementScope.SUBTREE,
                    scope_units: Iterable[Unit] = (), scope_block: EmulationGroup | None = None,
                    pledge_titles: Iterable[str] = (), pledge_deadline: dt.date | None = None,
                    document_number: str = "", document_date: dt.date | None = None,
                    launch_document: Any = None) -> Movement:
    """A draft movement of `unit`; criteria are added next, then it is launched."""
    check(actor, Action.EMULATION_MANAGE, unit)
    name = clean(name or "")
    if not name:
        raise DomainError("movement.name", "Tên phong trào không được để trống.")
    texts_ok({"Tên phong trào": (name, 300), "Chủ đề": (theme, 300), "Số văn bản": (document_number, 60)})
    year = year_ok(year)
    dates_ok(**{"Ngày bắt đầu": period_start, "Ngày kết thúc": period_end, "Hạn đăng ký": pledge_deadline,
                "Ngày văn bản": document_date})
    if period_end < period_start:
        raise DomainError("movement.period", "Ngày kết thúc phong trào trước ngày bắt đầu.")
    if kind not in MovementKind.values:
        raise DomainError("movement.kind", f"Hình thức thi đua không hợp lệ: {kind!r}.")
    if kind == MovementKind.THEMATIC and not clean(theme or ""):
        raise DomainError("movement.theme", "Phong trào thi đua theo chuyên đề phải có chủ đề.")
    if scope not in MovementScope.values:
        raise DomainError("movement.scope", f"Phạm vi không hợp lệ: {scope!r}.")
    units = list(scope_units)
    if scope == MovementScope.UNITS:
        if not units:
            raise DomainError("movement.scope_units", "Chọn ít nhất một đơn vị tham gia.")
        outside = [u.name for u in units if not u.path.startswith(unit.path) or u.pk == unit.pk]
        if outside:
            raise DomainError("movement.scope_units",
                              f"Đơn vị không thuộc phạm vi của {unit.name}: {', '.join(outside)}.")
    if scope == MovementScope.BLOCK and scope_block is None:
        raise DomainError("movement.scope_block", "Chọn khối, cụm thi đua của phong trào.")
    titles = [title_ok(c) for c in pledge_titles]
    if launch_document is not None:
        _check_document(launch_document)
    with transaction.atomic():
        movement = Movement(unit=unit, name=name, kind=kind, theme=clean(theme or ""), year=year,
                            period_start=period_start, period_end=period_end, scope=scope,
                            scope_block=scope_block if scope == MovementScope.BLOCK else None,
                            pledge_titles=titles, pledge_deadline=pledge_deadline,
                            document_number=clean(document_number or ""), document_date=document_date,
                            created_by=actor if getattr(actor, "pk", None) else None)
        if launch_document is not None:
            movement.launch_document.save(getattr(launch_document, "name", "phat-dong.pdf"), launch_document,
                                          save=False)
        movement.save()
        if scope == MovementScope.UNITS:
            movement.scope_units.set(units)
        audit_record(action="create", obj=movement,
                     after=model_snapshot(movement) | {"scope_units": sorted(u.pk for u in units)}, actor=actor)
    return movement


def _draft(movement: Movement) -> None:
    if movement.state != MovementState.DRAFT:
        raise DomainError("movement.not_draft", "Phong trào đã phát động: không sửa tiêu chí được nữa.")


def criterion_add(*, actor: Any, movement: Movement, name: str, weight: Any, measure: str = Measure.MANUAL,
                  metric_name: str = "", parameters: Mapping[str, Any] | None = None,
                  max_score: Any = 100) -> MovementCriterion:
    """A weighted criterion. A measured one reads a metric: `index_result` needs the framework
    (parameters {"framework": "par"} → `index.par.percent`) or a metric name; `task_completion` and
    `satisfaction` default to `directives.task_on_time_rate` / `citizen.satisfaction_rate`;
    `onestop_figure` needs a metric name."""
    check(actor, Action.EMULATION_MANAGE, movement)
    _draft(movement)
    name = clean(name or "")
    if not name:
        raise DomainError("criterion.name", "Tên tiêu chí không được để trống.")
    texts_ok({"Tên tiêu chí": (name, 300), "Chỉ tiêu": (metric_name, 120)})
    if measure not in Measure.values:
        raise DomainError("criterion.measure", f"Cách đo không hợp lệ: {measure!r} (dùng {', '.join(Measure.values)}).")
    weight_d = _decimal(weight, "Trọng số", Decimal("0.01"), Decimal("1000"))
    max_d = _decimal(max_score, "Điểm tối đa", Decimal("1"), Decimal("10000"))
    params = dict(parameters or {})
    metric = (metric_name or "").strip()
    if measure == Measure.INDEX_RESULT and not metric:
        framework = str(params.get("framework") or "").strip().lower()
        if not framework:
            raise DomainError("criterion.metric", "Tiêu chí kết quả chỉ số cần bộ chỉ số (vd. par, 766) "
                              "hoặc tên chỉ tiêu index.<bộ chỉ số>.percent.")
        metric = f"index.{framework}.percent"
    if measure in DEFAULT_METRICS and not metric:
        metric = DEFAULT_METRICS[measure]
    if measure == Measure.ONESTOP_FIGURE and not metric:
        raise DomainError("criterion.metric", "Tiêu chí số liệu một cửa cần tên chỉ tiêu (vd. onestop.on_time_rate).")
    if measure == Measure.MANUAL:
        metric = ""
    with transaction.atomic():
        order = movement.criteria.count() + 1
        crit = MovementCriterion.objects.create(movement=movement, order=order, name=name, weight=weight_d,
                                                measure=measure, metric_name=metric, parameters=params,
                                                max_score=max_d)
        audit_record(action="create", obj=crit, after=model_snapshot(crit), actor=actor)
    return crit


def criterion_remove(*, actor: Any, criterion: MovementCriterion) -> None:
    check(actor, Action.EMULATION_MANAGE, criterion.movement)
    _draft(criterion.movement)
    with transaction.atomic():
        before = model_snapshot(criterion)
        audit_record(action="delete", obj=criterion, before=before, actor=actor)
        criterion.delete()


def movement_launch(*, actor: Any, movement: Movement, launched_on: dt.date | None = None) -> Movement:
    """Draft → launched: needs at least one criterion; the pledge list opens."""
    check(actor, Action.EMULATION_MANAGE, movement)
    with transaction.atomic():
        movement = Movement.objects.select_for_update().get(pk=movement.pk)
        if movement.state != MovementState.DRAFT:
            raise DomainError("movement.not_draft", "Phong trào đã được phát động.")
        if not movement.criteria.exists():
            raise DomainError("movement.no_criteria", "Phong trào chưa có tiêu chí thi đua nào; thêm tiêu chí "
                              "trước khi phát động.")
        before = model_snapshot(movement)
        movement.state = MovementState.LAUNCHED
        movement.launched_on = launched_on or timezone.localdate()
        dates_ok(**{"Ngày phát động": movement.launched_on})
        movement.save(update_fields=["state", "launched_on"])
        audit_record(action="transition:launch", obj=movement, before=before, after=model_snapshot(movement),
                     actor=actor)
    return movement


def movement_close(*, actor: Any, movement: Movement) -> Movement:
    check(actor, Action.EMULATION_MANAGE, movement)
    with transaction.atomic():
        movement = Movement.objects.select_for_update().get(pk=movement.pk)
        if movement.state != MovementState.LAUNCHED:
            raise DomainError("movement.not_launched", "Chỉ tổng kết được phong trào đang diễn ra.")
        before = model_snapshot(movement)
        movement.state = MovementState.CLOSED
        movement.save(update_fields=["state"])
        audit_record(action="transition:close", obj=movement, before=before, after=model_snapshot(movement),
                     actor=actor)
    return movement


def criterion_score_set(*, actor: Any, criterion: MovementCriterion, unit: Unit, score: Any,
                        note: str = "") -> CriterionScore:
    """The launching unit's score of `unit` on a manual criterion (0 … max_score)."""
    check(actor, Action.EMULATION_MANAGE, criterion.movement)
    if criterion.measure != Measure.MANUAL:
        raise DomainError("criterion.measured", f"Tiêu chí “{criterion.name}” được đo tự động từ số liệu, "
                          "không chấm điểm tay.")
    from congvu.emulation.selectors import movement_covers

    if not movement_covers(movement=criterion.movement, unit=unit):
        raise DomainError("criterion.unit_outside", f"{unit.name} không thuộc phạm vi phong trào.")
    value = _decimal(score, "Điểm", Decimal("0"), criterion.max_score)
    texts_ok({"Ghi chú": (note, 500)})
    with transaction.atomic():
        row, created = CriterionScore.objects.select_for_update().get_or_create(
            criterion=criterion, unit=unit, defaults={"score": value, "note": clean(note or "")})
        before = None if created else model_snapshot(row)
        row.score, row.note = value, clean(note or "")
        row.save()
        audit_record(action="create" if created else "update", obj=row, before=before, after=model_snapshot(row),
                     actor=actor)
    return row


# -- pledges ---------------------------------------------------------------------------------------


def _pledge_unit(subject: str, unit: Unit | None, block: EmulationGroup | None, person: Person | None) -> Unit:
    if subject == PledgeSubject.UNIT and unit is not None:
        return unit
    if subject == PledgeSubject.BLOCK and block is not None:
        return block.leader_unit or block.owner
    if subject == PledgeSubject.PERSON and person is not None:
        return person.unit
    raise DomainError("pledge.subject", "Thiếu đơn vị, khối/cụm hoặc cá nhân đăng ký thi đua.")


def pledge_register(*, actor: Any, movement: Movement, subject: str, unit: Unit | None = None,
                    block: EmulationGroup | None = None, person: Person | None = None,
                    titles: Iterable[str] = (), targets: str = "") -> Pledge:
    """A unit, block or person registers the titles it aims for (đăng ký thi đua)."""
    from congvu.emulation.selectors import movement_covers, movement_participants

    if subject not in PledgeSubject.values:
        raise DomainError("pledge.subject", f"Đối tượng đăng ký không hợp lệ: {subject!r}.")
    owner = _pledge_unit(subject, unit, block, person)
    check(actor, Action.EMULATION_NOMINATE, owner)
    if movement.state != MovementState.LAUNCHED:
        raise DomainError("pledge.movement_state", "Chỉ đăng ký được phong trào đang phát động.")
    today = timezone.localdate()
    if movement.pledge_deadline and today > movement.pledge_deadline:
        raise DomainError("pledge.deadline", f"Đã hết hạn đăng ký thi đua ({movement.pledge_deadline:%d/%m/%Y}).")
    kind = "person" if subject == PledgeSubject.PERSON else "collective"
    codes = list(dict.fromkeys(title_ok(c, kind) for c in titles))
    if not codes:
        raise DomainError("pledge.titles", "Chọn ít nhất một danh hiệu đăng ký.")
    if movement.pledge_titles:
        extra = [c for c in codes if c not in movement.pledge_titles]
        if extra:
            raise DomainError("pledge.titles", f"Phong trào không xét danh hiệu {', '.join(extra)}.")
    participants = {u.pk for u in movement_participants(movement=movement)}
    if subject == PledgeSubject.BLOCK:
        if movement.scope == MovementScope.BLOCK and movement.scope_block_id != block.pk:
            raise DomainError("pledge.outside", f"{block} không phải khối, cụm của phong trào.")
        if movement.scope != MovementScope.BLOCK and not any(m.pk in participants for m in block.members.all()):
            raise DomainError("pledge.outside", f"{block} không có đơn vị nào thuộc phạm vi phong trào.")
    elif not movement_covers(movement=movement, unit=owner):
        raise DomainError("pledge.outside", f"{owner.name} không thuộc phạm vi phong trào “{movement.name}”.")
    texts_ok({"Nội dung giao ước": (targets, 10000)})
    try:
        with transaction.atomic():
            pledge = Pledge.objects.create(movement=movement, subject=subject,
                                           unit=unit if subject == PledgeSubject.UNIT else None,
                                           block=block if subject == PledgeSubject.BLOCK else None,
                                           person=person if subject == PledgeSubject.PERSON else None,
                                           titles=codes, targets=clean(targets or ""))
            audit_record(action="create", obj=pledge, after=model_snapshot(pledge), actor=actor)
    except IntegrityError:
        raise Conflict("pledge.duplicate", f"{unit or block or person} đã đăng ký phong trào này.") from None
    return pledge


def pledge_sign(*, actor: Any, pledge: Pledge, signed_by: str) -> Pledge:
    """Signature of the registration / giao ước by the unit's head (or the person)."""
    owner = _pledge_unit(pledge.subject, pledge.unit, pledge.block, pledge.person)
    check(actor, Action.EMULATION_NOMINATE, owner)
    signed_by = clean(signed_by or "")
    if not signed_by:
        raise DomainError("pledge.signer", "Ghi tên người ký giao ước.")
    texts_ok({"Người ký": (signed_by, 150)})
    with transaction.atomic():
        pledge = Pledge.objects.select_for_update().select_related("movement").get(pk=pledge.pk)
        if pledge.signed_at:
            raise Conflict("pledge.signed", f"Giao ước đã được ký ngày {timezone.localtime(pledge.signed_at):%d/%m/%Y}.")
        if pledge.movement.state != MovementState.LAUNCHED:
            raise DomainError("pledge.movement_state", "Phong trào không còn nhận ký giao ước.")
        before = model_snapshot(pledge)
        pledge.signed_at = timezone.now()
        pledge.signed_by = signed_by
        pledge.save(update_fields=["signed_at", "signed_by"])
        audit_record(action="transition:sign", obj=pledge, before=before, after=model_snapshot(pledge), actor=actor)
    return pledge
