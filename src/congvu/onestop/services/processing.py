"""Processing: transfer, steps, supplements, apology, result, return, stop, withdrawal, refusal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from congvu.common.errors import DomainError
from congvu.common.text import clean
from congvu.onestop import clock
from congvu.onestop.models import ApologyLetter, Dossier, Refusal, ReturnMethod, SupplementRequest
from congvu.onestop.notify import dossier_notify, result_event
from congvu.onestop.rules import rules_by_version
from congvu.onestop.services._base import (
    _aware,
    _calendar,
    _due,
    _set_pauses,
    _steps,
    _transition,
    dossier_pauses,
)
from congvu.onestop.services.intake import dossier_refuse_at_receipt
from congvu.onestop.services.rollups import _local_date
from congvu.onestop.workflow import State, Transition


def dossier_transfer(*, actor: Any = None, dossier: Dossier, at: dt.datetime | None = None,
                     expected_version: int | None = None) -> Dossier:
    def mutate(d: Dossier, at: dt.datetime):
        steps = _steps(d)
        d.current_step = steps[0] if steps else None
        d.step_started_at = at

    return _transition(actor=actor, dossier=dossier, transition=Transition.TRANSFER, at=at,
                       expected_version=expected_version, mutate=mutate)


def dossier_step_complete(*, actor: Any = None, dossier: Dossier, at: dt.datetime | None = None, note: str = "",
                          expected_version: int | None = None) -> Dossier:
    """Hand-over of the current step (Phiếu kiểm soát): judged against its share of the time."""

    def mutate(d: Dossier, at: dt.datetime):
        steps = _steps(d)
        step = d.current_step
        if step is None:
            raise DomainError("dossier.no_step", "Hồ sơ không còn bước xử lý nào chưa hoàn thành.")
        rules = rules_by_version(d.rule_version)
        budgets = clock.step_budgets(clock.total_budget_seconds(d.procedure.processing_time, d.procedure.time_unit,
                                                                rules), [s.share for s in steps])
        idx = [s.pk for s in steps].index(step.pk)
        spent = clock.step_spent_seconds(d.step_started_at or d.received_at, at, d.procedure.time_unit,
                                         _calendar(), rules)
        result = clock.step_verdict(budgets[idx], spent)
        d.current_step = steps[idx + 1] if idx + 1 < len(steps) else None
        d.step_started_at = at
        return {"step": step, "step_verdict": result.value,
                "data": {"allotted_seconds": budgets[idx], "spent_seconds": spent}}

    return _transition(actor=actor, dossier=dossier, transition=Transition.STEP_COMPLETE, at=at,
                       expected_version=expected_version, mutate=mutate, note=note)


def dossier_request_supplement(*, actor: Any = None, dossier: Dossier, items: str, reason: str = "",
                               at: dt.datetime | None = None, expected_version: int | None = None) -> Dossier:
    """Mẫu 02: at most once (766 counts a second request as late). The clock pauses."""

    def mutate(d: Dossier, at: dt.datetime):
        rules = rules_by_version(d.rule_version)
        if d.supplement_count >= rules.max_supplement_requests:
            raise DomainError(
                "dossier.supplement_once",
                f"Hồ sơ {d.code} đã được yêu cầu bổ sung; theo quy định chỉ được yêu cầu bổ sung, hoàn thiện "
                "hồ sơ một lần.",
                message_en="A supplement may be requested only once.")
        if not clean(items):
            raise DomainError("dossier.supplement_items_required", "Cần ghi rõ nội dung yêu cầu bổ sung.")
        d.resume_state = d.state
        d.supplement_count += 1
        _set_pauses(d, [*dossier_pauses(d), clock.Pause(at)])
        SupplementRequest.objects.create(dossier=d, requested_at=at, items=clean(items), reason=clean(reason),
                                         requested_by=actor if getattr(actor, "is_authenticated", False) else None)
        dossier_notify(d, "supplement_needed", extra={"items": clean(items), "reason": clean(reason)})
        return {"data": {"items": clean(items)}}

    return _transition(actor=actor, dossier=dossier, transition=Transition.REQUEST_SUPPLEMENT, at=at,
                       expected_version=expected_version, mutate=mutate, note=reason)


def dossier_supplement_received(*, actor: Any = None, dossier: Dossier, at: dt.datetime | None = None,
                                expected_version: int | None = None) -> Dossier:
    """The supplement arrived: the clock resumes and the promised date moves by the paused time."""

    def mutate(d: Dossier, at: dt.datetime):
        pauses = dossier_pauses(d)
        pauses[-1] = clock.Pause(pauses[-1].start, at)
        _set_pauses(d, pauses)
        SupplementRequest.objects.filter(dossier=d, supplied_at__isnull=True).update(supplied_at=at)
        new_due = _due(d, d.procedure, rules_by_version(d.rule_version), pauses)
        d.due_at = max(new_due, d.due_at)
        d.resume_state = ""
        return {"data": {"due_at": d.due_at.isoformat()}}

    return _transition(actor=actor, dossier=dossier, transition=Transition.SUPPLEMENT_RECEIVED, at=at,
                       expected_version=expected_version, mutate=mutate)


def dossier_apologise(*, actor: Any = None, dossier: Dossier, reason: str, new_due_at: dt.datetime,
                      at: dt.datetime | None = None, expected_version: int | None = None) -> Dossier:
    """Mẫu 04: once, and no later than one working day before the promised date."""
    new_due_at = _aware(new_due_at)

    def mutate(d: Dossier, at: dt.datetime):
        rules = rules_by_version(d.rule_version)
        if ApologyLetter.objects.filter(dossier=d).exists():
            raise DomainError("dossier.apology_once",
                              f"Hồ sơ {d.code} đã có phiếu xin lỗi và hẹn lại; ngày trả kết quả chỉ được hẹn lại "
                              "một lần.", message_en="The return date may be re-set only once.")
        due_day = _local_date(d.due_at)
        if _calendar().working_days_between(_local_date(at), due_day) < rules.apology_min_working_days_before_due:
            raise DomainError(
                "dossier.apology_too_late",
                f"Đã quá thời hạn gửi phiếu xin lỗi: phải gửi chậm nhất {rules.apology_min_working_days_before_due} "
                f"ngày làm việc trước ngày hẹn trả {due_day:%d/%m/%Y}.",
                message_en="The apology must be sent at least one working day before the due date.")
        if new_due_at <= d.due_at:
            raise DomainError("dossier.apology_date", "Ngày hẹn trả mới phải sau ngày hẹn trả hiện tại.")
        if not clean(reason):
            raise DomainError("dossier.apology_reason_required", "Cần nêu rõ lý do chậm trả kết quả.")
        ApologyLetter.objects.create(dossier=d, issued_at=at, reason=clean(reason), previous_due_at=d.due_at,
                                     new_due_at=new_due_at,
                                     issued_by=actor if getattr(actor, "is_authenticated", False) else None)
        previous, d.due_at = d.due_at, new_due_at
        dossier_notify(d, "late_apology", extra={"reason": clean(reason),
                                                 "new_due": f"{timezone.localtime(new_due_at):%d/%m/%Y}",
                                                 "previous_due": f"{timezone.localtime(previous):%d/%m/%Y}"})
        return {"data": {"previous_due_at": previous.isoformat(), "new_due_at": new_due_at.isoformat()}}

    return _transition(actor=actor, dossier=dossier, transition=Transition.APOLOGISE, at=at,
                       expected_version=expected_version, mutate=mutate, note=reason)


def dossier_record_result(*, actor: Any = None, dossier: Dossier, at: dt.datetime | None = None,
                          result_code: str = "", e_result: bool = False, digitized_result: bool | None = None,
                          expected_version: int | None = None) -> Dossier:
    """Đã xử lý xong: the end of processing for 766."""

    def mutate(d: Dossier, at: dt.datetime):
        d.result_code = clean(result_code)
        d.e_result = e_result
        d.digitized_result = e_result if digitized_result is None else digitized_result
        if digitized_result is None and hasattr(d, "result_file"):
            d.digitized_result = True  # a digitised result file is already attached
        d.current_step = None
        dossier_notify(d, result_event(d, at), extra={"result_code": d.result_code})

    return _transition(actor=actor, dossier=dossier, transition=Transition.RECORD_RESULT, at=at,
                       expected_version=expected_version, mutate=mutate)


def dossier_return(*, actor: Any = None, dossier: Dossier, at: dt.datetime | None = None,
                   expected_version: int | None = None, method: str = ReturnMethod.DESK) -> Dossier:
    """Return the result to the applicant: at the desk, by public postal service or electronically."""
    if method not in ReturnMethod.values:
        raise DomainError("dossier.return_method_invalid",
                          f"Hình thức trả kết quả không hợp lệ: {method} (desk, post, electronic).")

    def mutate(d: Dossier, at: dt.datetime):
        d.returned_at = at
        d.return_method = method

    return _transition(actor=actor, dossier=dossier, transition=Transition.RETURN_RESULT, at=at,
                       expected_version=expected_version, mutate=mutate)


@dataclass
class BulkOutcome:
    code: str
    ok: bool
    message: str


def dossiers_return_many(*, actor: Any, items: list[tuple[str, int | None]],
                         method: str = ReturnMethod.DESK) -> list[BulkOutcome]:
    """Return several result-ready dossiers, one transaction each: (code, expected version) pairs.

    A refusal (stale version, wrong state, out of scope) is reported and does not stop the others."""
    out: list[BulkOutcome] = []
    for code, version in items:
        d = Dossier.objects.filter(code=code).select_related("procedure", "unit").first()
        if d is None:
            out.append(BulkOutcome(code, False, f"Không tìm thấy hồ sơ {code}."))
            continue
        try:
            with transaction.atomic():
                dossier_return(actor=actor, dossier=d, expected_version=version, method=method)
        except DomainError as exc:
            out.append(BulkOutcome(code, False, exc.message))
        else:
            out.append(BulkOutcome(code, True, "Đã trả kết quả."))
    return out


def dossier_close(*, actor: Any = None, dossier: Dossier, at: dt.datetime | None = None,
                  expected_version: int | None = None) -> Dossier:
    return _transition(actor=actor, dossier=dossier, transition=Transition.CLOSE, at=at,
                       expected_version=expected_version)


def dossier_withdraw(*, actor: Any = None, dossier: Dossier, reason: str = "", at: dt.datetime | None = None,
                     expected_version: int | None = None) -> Dossier:
    return _transition(actor=actor, dossier=dossier, transition=Transition.WITHDRAW, at=at,
                       expected_version=expected_version, note=reason)


def dossier_stop(*, actor: Any = None, dossier: Dossier, reason: str, at: dt.datetime | None = None,
                 expected_version: int | None = None) -> Dossier:
    if not clean(reason):
        raise DomainError("dossier.stop_reason_required", "Cần nêu lý do dừng giải quyết hồ sơ.")
    return _transition(actor=actor, dossier=dossier, transition=Transition.STOP, at=at,
                       expected_version=expected_version, note=reason)


def dossier_refuse(*, actor: Any = None, dossier: Dossier, reason: str, legal_basis: str = "",
                   at: dt.datetime | None = None, expected_version: int | None = None) -> Dossier:
    """Mẫu 03: refusal with its legal ground and concrete reason. A dossier still in guidance is
    refused at receipt (`dossier_refuse_at_receipt`)."""
    if dossier.state == State.GUIDANCE:
        return dossier_refuse_at_receipt(actor=actor, dossier=dossier, reason=reason, legal_basis=legal_basis, at=at,
                                         expected_version=expected_version)
    if not clean(reason):
        raise DomainError("dossier.refusal_reason_required", "Cần nêu rõ lý do từ chối giải quyết hồ sơ.")

    def mutate(d: Dossier, at: dt.datetime):
        Refusal.objects.create(dossier=d, refused_at=at, reason=clean(reason), legal_basis=clean(legal_basis),
                               refused_by=actor if getattr(actor, "is_authenticated", False) else None)
        dossier_notify(d, "refused", extra={"reason": clean(reason)})

    return _transition(actor=actor, dossier=dossier, transition=Transition.REFUSE, at=at,
                       expected_version=expected_version, mutate=mutate, note=reason)
