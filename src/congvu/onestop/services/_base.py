"""Machinery every stage shares: time and calendar helpers, the policy check, pauses and due
dates, the timeline event, and `_transition` (lock, check, mutate, finish, event, roll-up, audit,
listeners) that every dossier change goes through."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from congvu import dbwrite
from congvu.audit.services import audit_record, model_snapshot
from congvu.common.errors import Conflict, DomainError
from congvu.onestop import clock, hooks
from congvu.onestop.models import Dossier, DossierEvent, Procedure
from congvu.onestop.rules import OnestopRules, rules_by_version
from congvu.onestop.services.rollups import _apply_rollup, dossier_contributions
from congvu.onestop.workflow import FINISHING_STATES, Transition, TransitionNotAllowed
from congvu.onestop.workflow import target as workflow_target
from congvu.org.policy import require
from congvu.org.roles import Action


def _calendar():
    from congvu.workdays.selectors import work_calendar

    return work_calendar()


def _check(actor: Any, obj: Any) -> None:
    if actor is not None:
        require(actor, Action.DOSSIER_PROCESS, obj)


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


def _event(dossier: Dossier, *, transition: str, from_state: str, at: dt.datetime, actor: Any, note: str = "",
           step=None, step_verdict: str = "", data: dict | None = None, with_rows: tuple = ()) -> DossierEvent:
    """The timeline entry of a change, and the listeners told of it, in the change's transaction.
    `with_rows`: other new rows of the change (the receipt's slip), written with the event in one statement."""
    event = DossierEvent(
        dossier=dossier, at=at, transition=transition, from_state=from_state, to_state=dossier.state,
        actor=actor if getattr(actor, "is_authenticated", False) else None, step=step, step_verdict=step_verdict,
        note=note, data=data or {},
    )
    dbwrite.insert_together(*with_rows, event)
    hooks.dossier_changed(hooks.DossierChange(dossier=dossier, kind=str(transition), at=at, from_state=from_state,
                                              to_state=dossier.state, event=event, data=event.data))
    return event


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
        for guard in hooks.transition_guards(transition):  # e.g. payments: fees first where required
            guard(d)
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
