"""Intake: receipt (code, promised date, Mẫu 01), guidance before receipt, acceptance of a guided
dossier, and refusal at the desk check (Mẫu 03)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from congvu import dbwrite
from congvu.audit.services import audit_record, model_snapshot
from congvu.common.errors import Conflict, DomainError
from congvu.common.text import clean, search_key
from congvu.onestop.documents.data import lookup_note, processing_time_text
from congvu.onestop.models import SYNC_CHANNEL, Channel, Dossier, Procedure, ReceiptSlip, Refusal, TimeUnit
from congvu.onestop.notify import dossier_notify
from congvu.onestop.rules import OnestopRules, rules_for
from congvu.onestop.services._base import _aware, _check, _due, _event, _transition
from congvu.onestop.services.codes import dossier_code_allocate
from congvu.onestop.services.rollups import _apply_rollup, _local_date, dossier_contributions
from congvu.onestop.workflow import State, Transition
from congvu.org.models import Unit

# ------------------------------------------------------------------------------------------------
# Receipt
# ------------------------------------------------------------------------------------------------


def _slip_components(procedure: Procedure) -> list[dict[str, Any]]:
    """The components printed on the slip, read once per procedure instance (a desk receiving many
    dossiers of one procedure reads them once; an edited procedure is a new instance)."""
    cached = procedure.__dict__.get("_slip_components")
    if cached is None:
        cached = [{"name": name, "originals": originals, "copies": copies} for name, originals, copies
                  in procedure.components.order_by("order", "pk").values_list("name", "originals", "copies")]
        procedure.__dict__["_slip_components"] = cached
    return [dict(c) for c in cached]


def _label(choices: type, value: Any) -> Any:
    """`get_<field>_display()` without the dict of every choice Django builds on each call."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


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
        "components": _slip_components(procedure),
        "processing_time": processing_time_text(procedure.processing_time, _label(TimeUnit, procedure.time_unit)),
        "lookup": lookup_note(d.code),
        "received": rec.strftime("%H giờ %M phút, ngày %d/%m/%Y"),
        "due": due.strftime("%H giờ %M phút, ngày %d/%m/%Y"),
        "channel": _label(Channel, d.channel),
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
        dbwrite.insert(d)
        slip = ReceiptSlip(dossier=d, form=rules.form_receipt, issued_at=received_at,
                           content=_slip_content(d, procedure, rules))
        _event(d, transition=Transition.RECEIVE, from_state="", at=received_at, actor=actor, with_rows=(slip,))
        _apply_rollup(unit.pk, {}, dossier_contributions(d, procedure.requires_written_result, procedure.online_level))
        dossier_notify(d, "dossier_received")
        # Last: the audit chain's head row stays locked until the commit, so the shorter the better.
        audit_record(action="transition:receive", obj=d, after=model_snapshot(d), actor=actor)
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
