"""Writes of the one-stop app. Keyword-only, transactional, audited, policy-checked.

`actor=None` means the system (imports, the demo loader, the bench): no policy check, audited as
"system". Every dossier change also updates the daily roll-up (`DailyRollup`) in the same
transaction, as the difference between the dossier's contributions before and after the change.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from congvu.audit.services import audit_record, model_snapshot
from congvu.common.errors import Conflict, DomainError
from congvu.common.text import clean, search_key
from congvu.onestop import clock
from congvu.onestop.models import (
    SYNC_CHANNEL,
    ApologyLetter,
    Channel,
    DailyRollup,
    Dossier,
    DossierCodeCounter,
    DossierEvent,
    Field,
    Procedure,
    ProcedureComponent,
    ProcedureStep,
    ReceiptSlip,
    Refusal,
    ReturnMethod,
    SupplementRequest,
    UnitProfile,
)
from congvu.onestop.notify import dossier_notify, result_event
from congvu.onestop.rules import OnestopRules, rules_by_version, rules_for
from congvu.onestop.workflow import FINISHING_STATES, State, Transition, TransitionNotAllowed
from congvu.onestop.workflow import target as workflow_target
from congvu.org.models import Unit
from congvu.org.policy import require
from congvu.org.roles import Action


def _calendar():
    from congvu.workdays.selectors import work_calendar

    return work_calendar()


def _check(actor: Any, obj: Any) -> None:
    if actor is not None:
        require(actor, Action.DOSSIER_PROCESS, obj)


def _local_date(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()


def _aware(value: dt.datetime | None) -> dt.datetime:
    if value is None:
        return timezone.now()
    return value if timezone.is_aware(value) else timezone.make_aware(value)


# ------------------------------------------------------------------------------------------------
# Pauses and the clock
# ------------------------------------------------------------------------------------------------


def dossier_pauses(dossier: Dossier) -> list[clock.Pause]:
    out = []
    for start, end in dossier.paused_intervals or []:
        out.append(clock.Pause(dt.datetime.fromisoformat(start), dt.datetime.fromisoformat(end) if end else None))
    return out


def _set_pauses(dossier: Dossier, pauses: Iterable[clock.Pause]) -> None:
    dossier.paused_intervals = [[p.start.isoformat(), p.end.isoformat() if p.end else None] for p in pauses]


def _due(dossier: Dossier, procedure: Procedure, rules: OnestopRules, pauses=()) -> dt.datetime:
    return clock.due_datetime(dossier.received_at, amount=procedure.processing_time, unit=procedure.time_unit,
                              channel=dossier.channel, cal=_calendar(), rules=rules, pauses=pauses)


# ------------------------------------------------------------------------------------------------
# Roll-ups
# ------------------------------------------------------------------------------------------------

Contribution = dict[tuple[dt.date, str], int | Decimal]


def dossier_contributions(d: Dossier, requires_written_result: bool | None = None) -> Contribution:
    """What one dossier adds to the daily roll-up of its receiving unit (pure given the row)."""
    out: Contribution = defaultdict(int)
    if d.state == State.GUIDANCE or d.receipt_refused:  # never received: not in the figures
        return out
    if requires_written_result is None:
        requires_written_result = d.procedure.requires_written_result
    rd = _local_date(d.received_at)
    out[(rd, "received")] += 1
    out[(rd, f"received_{d.channel}")] += 1
    if d.digitized_components and (d.digitized_result or not requires_written_result):
        out[(rd, "digitized")] += 1
    if d.reused_data:
        out[(rd, "reuse")] += 1
    if d.finished_at is not None:
        fd = _local_date(d.finished_at)
        out[(fd, "finished")] += 1
        if d.verdict in ("early", "on_time", "late"):
            out[(fd, d.verdict)] += 1
        if d.state in (State.STOPPED, State.WITHDRAWN, State.REFUSED):
            out[(fd, d.state)] += 1
        if d.e_result:
            out[(fd, "e_results")] += 1
        out[(fd, "processing_seconds")] += d.processing_seconds or 0
    return out


def _apply_rollup(unit_id: int, before: Contribution, after: Contribution) -> None:
    delta: dict[dt.date, dict[str, Any]] = defaultdict(dict)
    for key in set(before) | set(after):
        change = after.get(key, 0) - before.get(key, 0)
        if change:
            delta[key[0]][key[1]] = change
    if not delta:
        return
    DailyRollup.objects.bulk_create([DailyRollup(unit_id=unit_id, day=day) for day in delta], ignore_conflicts=True)
    for day, changes in delta.items():
        DailyRollup.objects.filter(unit_id=unit_id, day=day).update(
            **{name: F(name) + value for name, value in changes.items()}
        )


def rollup_add(*, unit_id: int, day: dt.date, **changes: int | Decimal) -> None:
    """Add to counters of one unit and day outside dossier changes (payments: `payment_count`,
    `payment_amount`), in the caller's transaction."""
    _apply_rollup(unit_id, {}, {(day, name): value for name, value in changes.items() if value})


def _payments_installed() -> bool:
    from django.apps import apps

    return apps.is_installed("congvu.payments")


def rollup_contributors() -> list[Callable[..., dict]]:
    """`fn(unit_ids=...) -> {(unit id, day): {counter: value}}` of the installed apps that own
    roll-up counters (settings.CONGVU_ROLLUP_CONTRIBUTORS), so a rebuild keeps their figures."""
    from django.apps import apps
    from django.conf import settings
    from django.utils.module_loading import import_string

    found = []
    for path in getattr(settings, "CONGVU_ROLLUP_CONTRIBUTORS", []):
        app = ".".join(path.split(".")[:2])
        if apps.is_installed(app):
            found.append(import_string(path))
    return found


def onestop_rollups_rebuild(*, unit_ids: Iterable[int] | None = None, batch_size: int = 5000) -> int:
    """Recompute the daily roll-ups from the dossier rows (after bulk loads or repairs). Returns rows written."""
    with transaction.atomic():
        rollups = DailyRollup.objects.all()
        dossiers = Dossier.objects.all()
        if unit_ids is not None:
            unit_ids = list(unit_ids)
            rollups, dossiers = rollups.filter(unit_id__in=unit_ids), dossiers.filter(unit_id__in=unit_ids)
        rollups.delete()
        needs_result = dict(Procedure.objects.values_list("pk", "requires_written_result"))
        table: dict[tuple[int, dt.date], dict[str, Any]] = defaultdict(lambda: defaultdict(int))
        for d in dossiers.only(
            "unit_id", "procedure_id", "state", "channel", "received_at", "finished_at", "verdict", "e_result",
            "digitized_components", "digitized_result", "reused_data", "processing_seconds", "receipt_refused",
        ).iterator(chunk_size=batch_size):
            for (day, name), value in dossier_contributions(d, needs_result[d.procedure_id]).items():
                table[(d.unit_id, day)][name] += value
        # Counters owned by other apps (payments, ratings) come from their own rows.
        for contributions in rollup_contributors():
            for key, counters in contributions(unit_ids=unit_ids).items():
                for name, value in counters.items():
                    table[key][name] += value
        rows = [DailyRollup(unit_id=u, day=day, **counters) for (u, day), counters in table.items()]
        DailyRollup.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)


# ------------------------------------------------------------------------------------------------
# Dossier codes (TT 01/2018 Điều 19; §2.5)
# ------------------------------------------------------------------------------------------------

_PREFIX_OK = re.compile(r"^[0-9A-Z]{2,3}(\.[0-9A-Z]{2,3}){0,3}$")


def unit_code_prefix(unit: Unit) -> str:
    """The receiving unit's identifier code: the one-stop profile's, else derived from `unit.code`."""
    profile = UnitProfile.objects.filter(unit=unit).values_list("identifier_code", flat=True).first()
    if profile:
        return profile
    raw = re.sub(r"[^0-9A-Z]+", ".", (unit.code or str(unit.pk)).upper()).strip(".")
    return raw if _PREFIX_OK.match(raw) else raw or str(unit.pk)


def dossier_code_allocate(*, unit: Unit, day: dt.date, rules: OnestopRules | None = None) -> str:
    """Next code `<unit>-YYMMDD-NNNN` for `unit` on `day`: gapless and unique under concurrency.

    Runs inside the caller's transaction when there is one, so a rolled-back receipt gives its
    number back. The counter row is locked (SELECT ... FOR UPDATE) until the transaction ends.
    """
    rules = rules or rules_for(day)
    period = day.strftime("%y%m%d")
    with transaction.atomic():
        counter = DossierCodeCounter.objects.select_for_update().filter(unit=unit, period=period).first()
        if counter is None:
            try:
                with transaction.atomic():
                    DossierCodeCounter.objects.create(unit=unit, period=period, last_seq=0)
            except IntegrityError:
                pass  # created meanwhile by a concurrent receipt
            counter = DossierCodeCounter.objects.select_for_update().get(unit=unit, period=period)
        counter.last_seq += 1
        counter.save(update_fields=["last_seq"])
    return rules.code_format.format(prefix=unit_code_prefix(unit), yymmdd=period, seq=counter.last_seq,
                                    digits=rules.code_seq_digits)


CODE_RE = re.compile(r"^(?P<unit>[0-9A-Z]{2,3}(\.[0-9A-Z]{2,3}){0,3})-(?P<date>\d{6})-(?P<seq>\d{4,7})$")


# ------------------------------------------------------------------------------------------------
# Receipt
# ------------------------------------------------------------------------------------------------


def _event(dossier: Dossier, *, transition: str, from_state: str, at: dt.datetime, actor: Any, note: str = "",
           step=None, step_verdict: str = "", data: dict | None = None) -> DossierEvent:
    return DossierEvent.objects.create(
        dossier=dossier, at=at, transition=transition, from_state=from_state, to_state=dossier.state,
        actor=actor if getattr(actor, "is_authenticated", False) else None, step=step, step_verdict=step_verdict,
        note=note, data=data or {},
    )


def _slip_content(d: Dossier, procedure: Procedure, rules: OnestopRules) -> dict[str, Any]:
    rec, due = timezone.localtime(d.received_at), timezone.localtime(d.due_at)
    return {
        "form": f"{rules.form_receipt} ({rules.source})",
        "code": d.code,
        "unit": d.unit.name,
        "applicant": d.applicant_name,
        "address": d.applicant_address,
        "phone": d.applicant_phone,
        "procedure": procedure.name,
        "components": [
            {"name": c.name, "originals": c.originals, "copies": c.copies} for c in procedure.components.all()
        ],
        "processing_time": f"{procedure.processing_time.normalize():f} {procedure.get_time_unit_display()}",
        "received": rec.strftime("%H giờ %M phút, ngày %d/%m/%Y"),
        "due": due.strftime("%H giờ %M phút, ngày %d/%m/%Y"),
        "channel": d.get_channel_display(),
    }


def dossier_receive(
    *,
    actor: Any = None,
    procedure: Procedure,
    unit: Unit,
    applicant_name: str,
    channel: str,
    applicant_phone: str = "",
    applicant_id_number: str = "",
    applicant_address: str = "",
    received_at: dt.datetime | None = None,
    submitted_at: dt.datetime | None = None,
    digitized_components: bool = False,
    reused_data: bool = False,
    reused_result_of: Dossier | None = None,
) -> Dossier:
    """Receive a complete dossier: code, promised return, Mẫu 01 slip, timeline, roll-up, audit."""
    _check(actor, unit)
    if channel not in Channel.values:
        raise DomainError("dossier.channel_invalid", f"Kênh tiếp nhận không hợp lệ: {channel}.")
    if not clean(applicant_name):
        raise DomainError("dossier.applicant_required", "Chưa nhập tên người nộp hồ sơ.")
    received_at = _aware(received_at)
    day = _local_date(received_at)
    if procedure.effective_to and day > procedure.effective_to:
        raise DomainError("dossier.procedure_expired",
                          f"Thủ tục {procedure.code} đã hết hiệu lực từ {procedure.effective_to:%d/%m/%Y}.")
    rules = rules_for(day)
    with transaction.atomic():
        d = Dossier(
            procedure=procedure, unit=unit, applicant_name=clean(applicant_name), applicant_phone=applicant_phone,
            applicant_id_number=applicant_id_number, applicant_address=clean(applicant_address),
            channel=channel, sync_channel=SYNC_CHANNEL[Channel(channel)], submitted_at=submitted_at,
            received_at=received_at, rule_version=rules.version, state=State.RECEIVED,
            digitized_components=digitized_components, reused_data=reused_data or reused_result_of is not None,
            reused_result_of=reused_result_of, fee_amount=procedure.fee_amount,
        )
        d.search_key = search_key(f"{applicant_name} {applicant_id_number} {applicant_phone}")
        d.due_at = d.due_at_original = _due(d, procedure, rules)
        d.code = dossier_code_allocate(unit=unit, day=day, rules=rules)
        d.save(force_insert=True)
        ReceiptSlip.objects.create(dossier=d, form=rules.form_receipt, issued_at=received_at,
                                   content=_slip_content(d, procedure, rules))
        _event(d, transition=Transition.RECEIVE, from_state="", at=received_at, actor=actor)
        _apply_rollup(unit.pk, {}, dossier_contributions(d, procedure.requires_written_result))
        audit_record(action="transition:receive", obj=d, after=model_snapshot(d), actor=actor)
        dossier_notify(d, "dossier_received")
    return d


# ------------------------------------------------------------------------------------------------
# Guidance and the check at the desk (§2.3 step 0 and 1)
# ------------------------------------------------------------------------------------------------

_PROVISIONAL_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _provisional_code(day: dt.date) -> str:
    """`HD-YYMMDD-XXXXXX`: a dossier that is not received has no mã số hồ sơ (§2.5 numbers received
    dossiers only, gaplessly), so it is filed under a random provisional code."""
    import secrets

    return f"HD-{day:%y%m%d}-" + "".join(secrets.choice(_PROVISIONAL_ALPHABET) for _ in range(6))


def dossier_guidance_create(
    *,
    actor: Any = None,
    procedure: Procedure,
    unit: Unit,
    applicant_name: str,
    channel: str = Channel.IN_PERSON,
    applicant_phone: str = "",
    applicant_id_number: str = "",
    applicant_address: str = "",
    note: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """Guidance before receipt (Điều 15 NĐ 61 / Điều 16 NĐ 118): the applicant was guided, the dossier is
    not received yet. It waits in the desk's "Chờ tiếp nhận" tab, has a provisional code, no due date
    of its own (`due_at` = `received_at` = the guidance time until it is received) and no figures."""
    _check(actor, unit)
    if channel not in Channel.values:
        raise DomainError("dossier.channel_invalid", f"Kênh tiếp nhận không hợp lệ: {channel}.")
    if not clean(applicant_name):
        raise DomainError("dossier.applicant_required", "Chưa nhập tên người nộp hồ sơ.")
    at = _aware(at)
    day = _local_date(at)
    with transaction.atomic():
        d = Dossier(
            procedure=procedure, unit=unit, applicant_name=clean(applicant_name), applicant_phone=applicant_phone,
            applicant_id_number=applicant_id_number, applicant_address=clean(applicant_address), channel=channel,
            sync_channel=SYNC_CHANNEL[Channel(channel)], received_at=at, due_at=at, due_at_original=at,
            rule_version=rules_for(day).version, state=State.GUIDANCE, fee_amount=procedure.fee_amount,
        )
        d.search_key = search_key(f"{applicant_name} {applicant_id_number} {applicant_phone}")
        for _attempt in range(5):
            d.code = _provisional_code(day)
            try:
                with transaction.atomic():
                    d.save(force_insert=True)
                break
            except IntegrityError:
                d.pk = None
        else:  # pragma: no cover - 32^6 codes a day
            raise Conflict("dossier.code_collision", "Không cấp được mã tạm cho hồ sơ, vui lòng thử lại.")
        _event(d, transition="guidance", from_state="", at=at, actor=actor, note=clean(note))
        audit_record(action="create", obj=d, after=model_snapshot(d), actor=actor, note="Hướng dẫn, chưa tiếp nhận")
    return d


def dossier_accept_guided(
    *,
    actor: Any = None,
    dossier: Dossier,
    at: dt.datetime | None = None,
    expected_version: int | None = None,
    digitized_components: bool | None = None,
    reused_data: bool | None = None,
) -> Dossier:
    """Receive a dossier that was in guidance: the clock starts now (§2.6), the dossier gets its code
    (§2.5) and the Mẫu 01 slip, and it counts in the figures from today."""

    def mutate(d: Dossier, at: dt.datetime):
        day = _local_date(at)
        if d.procedure.effective_to and day > d.procedure.effective_to:
            raise DomainError("dossier.procedure_expired",
                              f"Thủ tục {d.procedure.code} đã hết hiệu lực từ {d.procedure.effective_to:%d/%m/%Y}.")
        rules = rules_for(day)
        provisional = d.code
        d.received_at, d.rule_version = at, rules.version
        d.due_at = d.due_at_original = _due(d, d.procedure, rules)
        d.code = dossier_code_allocate(unit=d.unit, day=day, rules=rules)
        if digitized_components is not None:
            d.digitized_components = digitized_components
        if reused_data is not None:
            d.reused_data = reused_data
        ReceiptSlip.objects.create(dossier=d, form=rules.form_receipt, issued_at=at,
                                   content=_slip_content(d, d.procedure, rules))
        dossier_notify(d, "dossier_received")
        return {"data": {"provisional_code": provisional}}

    return _transition(actor=actor, dossier=dossier, transition=Transition.RECEIVE, at=at,
                       expected_version=expected_version, mutate=mutate)


def dossier_refuse_at_receipt(
    *,
    actor: Any = None,
    reason: str,
    legal_basis: str = "",
    dossier: Dossier | None = None,
    at: dt.datetime | None = None,
    expected_version: int | None = None,
    **applicant: Any,
) -> Dossier:
    """Mẫu 03 at the desk (§2.3 step 1c): the dossier is refused when it is checked, so it is never
    received. It keeps its provisional code (no mã số hồ sơ is used up, §2.5), gets no Mẫu 01 and does
    not count as received or refused in the figures (`receipt_refused`).

    Either a dossier in guidance (`dossier=`) or the applicant's details (`procedure`, `unit`,
    `applicant_name`, ... as for `dossier_guidance_create`) for one refused on the spot."""
    if not clean(reason):
        raise DomainError("dossier.refusal_reason_required", "Cần nêu rõ lý do từ chối tiếp nhận hồ sơ.")
    with transaction.atomic():
        if dossier is None:
            dossier = dossier_guidance_create(actor=actor, at=at, **applicant)
            expected_version = dossier.version
        elif dossier.state != State.GUIDANCE:
            raise DomainError("dossier.already_received",
                              f"Hồ sơ {dossier.code} đã được tiếp nhận; dùng “Từ chối” (giải quyết) thay cho từ chối "
                              "tiếp nhận.")

        def mutate(d: Dossier, at: dt.datetime):
            Refusal.objects.create(dossier=d, refused_at=at, at_receipt=True, reason=clean(reason),
                                   legal_basis=clean(legal_basis),
                                   refused_by=actor if getattr(actor, "is_authenticated", False) else None)
            d.receipt_refused = True
            d.finished_at, d.verdict, d.processing_seconds = at, "", 0  # not received: no clock, no verdict
            dossier_notify(d, "refused", extra={"reason": clean(reason)})
            return {"data": {"at_receipt": True}}

        return _transition(actor=actor, dossier=dossier, transition=Transition.REFUSE, at=at,
                           expected_version=expected_version, mutate=mutate, note=reason)


# ------------------------------------------------------------------------------------------------
# Transitions
# ------------------------------------------------------------------------------------------------


def _finish(d: Dossier, at: dt.datetime) -> None:
    """End of processing (766): close a pending pause at `at`, store time spent and verdict."""
    pauses = dossier_pauses(d)
    if pauses and pauses[-1].end is None:
        pauses[-1] = clock.Pause(pauses[-1].start, at)
        _set_pauses(d, pauses)
    d.finished_at = at
    d.processing_seconds = clock.processing_seconds(d.received_at, at, pauses)
    d.verdict = clock.verdict(due_at=d.due_at_original, end_at=at, pauses=pauses,
                              supplement_requests=d.supplement_count, rules=rules_by_version(d.rule_version)).value


def _transition(
    *,
    actor: Any,
    dossier: Dossier,
    transition: Transition,
    at: dt.datetime | None,
    expected_version: int | None,
    mutate: Callable[[Dossier, dt.datetime], dict[str, Any] | None] | None = None,
    note: str = "",
) -> Dossier:
    at = _aware(at)
    expected = dossier.version if expected_version is None else expected_version
    with transaction.atomic():
        d = Dossier.objects.select_for_update().select_related("procedure", "unit").get(pk=dossier.pk)
        _check(actor, d)
        if d.version != expected:
            raise Conflict("dossier.stale",
                           f"Hồ sơ {d.code} vừa được người khác xử lý; hãy tải lại hồ sơ rồi thao tác lại.",
                           message_en="The dossier was changed by someone else; reload and retry.")
        if at < d.received_at:
            raise DomainError("dossier.time_before_receipt", "Thời điểm thao tác không thể trước thời điểm tiếp nhận.")
        try:
            new_state = workflow_target(transition, d.state, d.resume_state or None)
        except TransitionNotAllowed as exc:
            raise DomainError("dossier.transition_not_allowed", exc.message,
                              message_en=f"{transition} is not allowed from {d.state}.") from exc
        before, contrib_before, old_state = model_snapshot(d), dossier_contributions(d), d.state
        event_kw = (mutate(d, at) if mutate else None) or {}
        d.state = new_state
        if new_state in FINISHING_STATES and d.finished_at is None:
            _finish(d, at)
        d.version += 1
        d.save()
        _event(d, transition=transition, from_state=old_state, at=at, actor=actor, note=note, **event_kw)
        _apply_rollup(d.unit_id, contrib_before, dossier_contributions(d))
        audit_record(action=f"transition:{transition}", obj=d, before=before, after=model_snapshot(d), actor=actor,
                     note=note)
    dossier.__dict__.update({k: v for k, v in d.__dict__.items() if not k.startswith("_")})
    return d


def _steps(d: Dossier) -> list:
    return list(d.procedure.steps.order_by("order"))


def dossier_transfer(*, actor: Any = None, dossier: Dossier, at: dt.datetime | None = None,
                     expected_version: int | None = None) -> Dossier:
    def mutate(d: Dossier, at: dt.datetime):
        if _payments_installed():  # "awaiting payment": fees first where the procedure requires it
            from congvu.payments.services import payment_guard

            payment_guard(d)
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


# ------------------------------------------------------------------------------------------------
# Components, result files and reuse of digitised data (TT 01/2023; QĐ 766 indicators 4.2–4.3)
# ------------------------------------------------------------------------------------------------

ONESTOP_FILE_TYPES = ("pdf", "jpg", "png")


def onestop_upload_max_bytes() -> int:
    from django.conf import settings

    return int(getattr(settings, "CONGVU_ONESTOP_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))


def onestop_files_check(files: dict[Any, Any]) -> dict[Any, str]:
    """`{key: upload}` → `{key: kind}` (pdf / jpg / png, judged by content). Any bad file raises one
    `DomainError` listing one Vietnamese message per bad file (`details["files"]`)."""
    from congvu.citizen.uploads import check_file

    max_bytes = onestop_upload_max_bytes()
    kinds: dict[Any, str] = {}
    errors: dict[Any, str] = {}
    for key, upload in files.items():
        result = check_file(upload.name or "", upload.size or 0, upload, max_bytes=max_bytes,
                            allowed=ONESTOP_FILE_TYPES)
        if result.kind is None:
            errors[key] = result.error
        else:
            kinds[key] = result.kind
    if errors:
        raise DomainError("dossier.files_invalid",
                          "Chưa lưu gì: " + " ".join(errors.values()),
                          message_en="Some files were refused; nothing was saved.",
                          details={"files": {str(k): v for k, v in errors.items()}})
    return kinds


def _store(field, kind: str, upload: Any, stored: list[str]) -> None:
    import uuid

    upload.seek(0)
    field.save(f"{uuid.uuid4().hex}.{kind}", upload, save=False)
    stored.append(field.name)


def _discard(stored: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in stored:
        try:
            default_storage.delete(name)
        except OSError:  # pragma: no cover - best effort
            pass


def _derive_flags(d: Dossier) -> None:
    """Dossier flags from its component rows: digitised when every component is digitised (the
    desk's rule), reused when a component reuses earlier digitised data (or the dossier reuses an
    earlier result)."""
    from congvu.onestop.models import DossierComponent

    rows = list(DossierComponent.objects.filter(dossier=d))
    if rows:
        d.digitized_components = all(r.digitized for r in rows)
        d.reused_data = any(r.reused for r in rows) or d.reused_result_of_id is not None


def _reuse_source(d: Dossier, reuse_from_id: Any, reuse_result_id: Any):
    """The earlier component or result that an item reuses; it must belong to the same citizen."""
    from congvu.onestop.models import DossierComponent, DossierResultFile
    from congvu.onestop.selectors import same_citizen_dossiers

    same = same_citizen_dossiers(id_number=d.applicant_id_number, name=d.applicant_name,
                                 phone=d.applicant_phone).exclude(pk=d.pk)
    if reuse_from_id:
        src = DossierComponent.objects.filter(pk=reuse_from_id, dossier__in=same, digitized=True).exclude(file="")
        src = src.first()
        if src is None:
            raise DomainError("dossier.reuse_not_found",
                              "Không tìm thấy thành phần đã số hóa của chính người nộp này để tái sử dụng.")
        return src, None
    src = DossierResultFile.objects.filter(dossier_id=reuse_result_id, dossier__in=same).select_related(
        "dossier").first()
    if src is None:
        raise DomainError("dossier.reuse_not_found",
                          "Không tìm thấy kết quả đã số hóa của chính người nộp này để tái sử dụng.")
    return None, src


def dossier_components_record(*, actor: Any = None, dossier: Dossier, items: Iterable[dict[str, Any]],
                              at: dt.datetime | None = None) -> list:
    """Record the components of a received dossier: received / digitised ticks, a file each (checked
    by content and size) or the reuse of an earlier digitised component (`reuse_from_id`) or result
    (`reuse_result_id`) of the same citizen, whose stored file is referenced, not copied.

    Item keys: `component_id` (a `ProcedureComponent` of the dossier's procedure) or `name`, `kind`,
    `received`, `digitized`, `file`, `reuse_from_id`, `reuse_result_id`. One row per procedure
    component (updated in place). The dossier's `digitized_components` / `reused_data` are derived
    from the rows and the roll-up moves with them, in one transaction. A bad file refuses the whole
    call; nothing is saved (no row, no stored file)."""
    from congvu.onestop.models import ComponentKind, DossierComponent

    items = list(items)
    kinds = onestop_files_check({i: it["file"] for i, it in enumerate(items) if it.get("file") is not None})
    at = _aware(at)
    stored: list[str] = []
    try:
        with transaction.atomic():
            d = Dossier.objects.select_for_update().select_related("procedure", "unit").get(pk=dossier.pk)
            _check(actor, d)
            if d.state == State.GUIDANCE or d.receipt_refused:
                raise DomainError("dossier.not_received", f"Hồ sơ {d.code} chưa được tiếp nhận.")
            comps = {c.pk: c for c in d.procedure.components.all()}
            before, contrib_before = model_snapshot(d), dossier_contributions(d)
            rows = []
            for i, it in enumerate(items):
                comp = None
                if it.get("component_id"):
                    comp = comps.get(int(it["component_id"]))
                    if comp is None:
                        raise DomainError("dossier.component_unknown",
                                          f"Thành phần {it['component_id']} không thuộc thủ tục {d.procedure.code}.")
                    row = DossierComponent.objects.filter(dossier=d, component=comp).first()
                    row = row or DossierComponent(dossier=d, component=comp, name=comp.name, order=comp.order,
                                                  kind=ComponentKind.ORIGINAL if comp.originals or not comp.copies
                                                  else ComponentKind.COPY)
                else:
                    if not clean(it.get("name") or ""):
                        raise DomainError("dossier.component_name_required", "Chưa nhập tên thành phần hồ sơ.")
                    row = DossierComponent(dossier=d, name=clean(it["name"]), order=len(comps) + i + 1)
                if it.get("kind") in ComponentKind.values:
                    row.kind = it["kind"]
                if "received" in it:
                    row.received = bool(it["received"])
                if "digitized" in it:
                    row.digitized = bool(it["digitized"])
                if i in kinds:
                    upload = it["file"]
                    _store(row.file, kinds[i], upload, stored)
                    row.file_kind, row.size = kinds[i], upload.size
                    row.original_name = clean(upload.name or "")[:255]
                    row.digitized = row.received = True
                    row.reused_from, row.reused_result_of = None, None
                elif it.get("reuse_from_id") or it.get("reuse_result_id"):
                    src_comp, src_result = _reuse_source(d, it.get("reuse_from_id"), it.get("reuse_result_id"))
                    src = src_comp or src_result
                    row.file.name = src.file.name  # the reference, not the bytes
                    row.file_kind, row.size, row.original_name = src.file_kind, src.size, src.original_name
                    row.reused_from = src_comp
                    row.reused_result_of = src_result.dossier if src_result else None
                    row.digitized = row.received = True
                row.save()
                rows.append(row)
            _derive_flags(d)
            d.version += 1
            d.save()
            _apply_rollup(d.unit_id, contrib_before, dossier_contributions(d))
            audit_record(action="update", obj=d, before=before, after=model_snapshot(d), actor=actor,
                         note="Thành phần hồ sơ: " + "; ".join(
                             f"{r.name}{' (đã số hóa)' if r.digitized else ''}{' (tái sử dụng)' if r.reused else ''}"
                             for r in rows))
    except BaseException:
        _discard(stored)
        raise
    dossier.__dict__.update({k: v for k, v in d.__dict__.items() if not k.startswith("_")})
    return rows


def dossier_result_file_attach(*, actor: Any = None, dossier: Dossier, file: Any,
                               at: dt.datetime | None = None):
    """Attach the digitised result document (pdf / jpg / png): `digitized_result` becomes true and the
    roll-up's `digitized` counter follows. A new file replaces the reference to the previous one."""
    from congvu.onestop.models import DossierResultFile

    kind = onestop_files_check({"result": file})["result"]
    at = _aware(at)
    stored: list[str] = []
    try:
        with transaction.atomic():
            d = Dossier.objects.select_for_update().select_related("procedure", "unit").get(pk=dossier.pk)
            _check(actor, d)
            if d.state == State.GUIDANCE or d.receipt_refused:
                raise DomainError("dossier.not_received", f"Hồ sơ {d.code} chưa được tiếp nhận.")
            before, contrib_before = model_snapshot(d), dossier_contributions(d)
            row = DossierResultFile.objects.filter(dossier=d).first() or DossierResultFile(dossier=d)
            _store(row.file, kind, file, stored)
            row.file_kind, row.size, row.original_name = kind, file.size, clean(file.name or "")[:255]
            row.digitized, row.uploaded_at = True, at
            row.uploaded_by = actor if getattr(actor, "is_authenticated", False) else None
            row.save()
            d.digitized_result = True
            d.version += 1
            d.save()
            _apply_rollup(d.unit_id, contrib_before, dossier_contributions(d))
            audit_record(action="update", obj=d, before=before, after=model_snapshot(d), actor=actor,
                         note=f"Tệp kết quả giải quyết: {row.original_name}")
    except BaseException:
        _discard(stored)
        raise
    dossier.__dict__.update({k: v for k, v in d.__dict__.items() if not k.startswith("_")})
    return row
