"""Sync records: written by the one-stop dossier listener in the change's own transaction; corrected
and resent by the desk after the portal rejected one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from congvu import dbwrite
from congvu.audit.services import audit_record, model_snapshot
from congvu.common.errors import DomainError
from congvu.onestop.hooks import DossierChange
from congvu.onestop.models import Dossier
from congvu.org.policy import require
from congvu.org.roles import Action
from congvu.portal import conf
from congvu.portal.mapping import CorrectionError, payload_build, payload_correct, sync_spec_for
from congvu.portal.models import IdentityCheck, IdentityState, SyncDossier, SyncRecord, SyncState


def _local_day(at: dt.datetime) -> dt.date:
    return timezone.localtime(at).date() if timezone.is_aware(at) else at.date()


def _unit_code(d: Dossier) -> str:
    try:
        profile = d.unit.onestop_profile
    except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist: no profile, use the unit code
        profile = None
    return (profile.identifier_code if profile else "") or d.unit.code or str(d.unit_id)


def dossier_facts(d: Dossier, change: DossierChange | None = None, *, paid_online: bool = False,
                  identity: str = "") -> dict[str, Any]:
    """What congvu knows about the dossier at this change, under internal keys (see mapping)."""
    e_link = ""
    if d.e_result:
        e_link = f"{settings.CONGVU_SITE_URL.rstrip('/')}/onestop/d/{d.code}/result-file/"
    data = (change.data if change else {}) or {}
    event = change.event if change else None
    return {
        "code": d.code,
        "procedure_code": d.procedure.code,
        "procedure_name": d.procedure.name,
        "unit_code": _unit_code(d),
        "applicant_name": d.applicant_name,
        "applicant_id_number": d.applicant_id_number,
        "submitted_at": d.submitted_at,
        "received_at": d.received_at,
        "due_at": d.due_at,
        "finished_at": d.finished_at,
        "returned_at": d.returned_at,
        "state": d.state,
        "channel": d.sync_channel,
        "paid_online": paid_online,
        "fee_amount": int(d.fee_amount or 0),
        "digitized": d.digitized_components,
        "reused_data": d.reused_data,
        "from_citizen_store": False,
        "e_result_link": e_link or None,
        "vneid_verified": False,
        "population_verified": identity == IdentityState.VERIFIED,
        "event": change.kind if change else "resend",
        "event_at": change.at if change else timezone.now(),
        "reason": (getattr(event, "note", "") or data.get("reason") or None) if change else None,
    }


def record_key(dossier_id: int, sequence: int) -> str:
    return f"{conf.get('CONGVU_PORTAL_SOURCE')}-{dossier_id}-{sequence}"


def sync_record_add(change: DossierChange) -> SyncRecord | None:
    """The dossier listener: one record per synced change, in the caller's transaction. The dossier's
    cursor row is locked, so sequences follow the order the changes commit in. Kept to a few queries:
    it runs inside every receipt."""
    d: Dossier = change.dossier
    if d.receipt_refused or d.state == "guidance":
        return None  # not received: no mã số hồ sơ, nothing for the portal
    spec = sync_spec_for(_local_day(d.received_at))
    if change.kind not in spec.events:
        return None
    identity = None
    if change.kind == "receive":
        from congvu.portal.services.identity import identity_check_row

        identity = identity_check_row(d)  # a dossier is received once: its cursor is new
        cursor = SyncDossier(dossier_id=d.pk, last_sequence=1,
                             population_verified=identity.state == IdentityState.VERIFIED)
    else:
        cursor, _created = SyncDossier.objects.select_for_update().get_or_create(dossier_id=d.pk)
        if change.kind == "payment" and (change.data or {}).get("method") == "online":
            cursor.paid_online = True
        cursor.last_sequence += 1
        cursor.save(update_fields=["last_sequence", "paid_online"])
    facts = dossier_facts(d, change, paid_online=cursor.paid_online,
                          identity=IdentityState.VERIFIED if cursor.population_verified else "")
    payload = payload_build(facts, spec)
    record = SyncRecord(
        dossier_id=d.pk, unit_id=d.unit_id, unit_code=facts["unit_code"], sequence=cursor.last_sequence,
        kind=change.kind, at=change.at, day=_local_day(change.at), key=record_key(d.pk, cursor.last_sequence),
        spec_version=spec.version, payload=payload, shares_to_store=bool(facts["e_result_link"] or facts["from_citizen_store"]),
        next_attempt_at=timezone.now(),
    )
    if identity is not None:  # receipt: the identity check, the cursor and the record in one statement
        dbwrite.insert_together(identity, cursor, record)
        return record
    return dbwrite.insert(record)


def _editable(actor: Any, record: SyncRecord) -> SyncRecord:
    record = SyncRecord.objects.select_for_update().select_related("dossier", "unit").get(pk=record.pk)
    if actor is not None:
        require(actor, Action.DOSSIER_PROCESS, record.dossier)
    if record.state != SyncState.REJECTED:
        raise DomainError("portal.not_rejected",
                          f"Bản ghi {record.key} đang ở trạng thái “{record.get_state_display()}”, không cần gửi lại.")
    return record


def sync_record_resend(*, actor: Any, record: SyncRecord, changes: dict[str, Any] | None = None,
                       rebuild: bool = False, note: str = "") -> SyncRecord:
    """A rejected record back in the queue: as it was, with the officer's corrections (`changes`, by
    national field name), or rebuilt from the dossier as it is now (`rebuild`, after the dossier itself
    was corrected). Same key and sequence, so the portal still sees it once and in order."""
    with transaction.atomic():
        r = _editable(actor, record)
        before = model_snapshot(r)
        payload = dict(r.payload)
        if rebuild:
            cursor = SyncDossier.objects.filter(dossier_id=r.dossier_id).first()
            identity = IdentityCheck.objects.filter(dossier_id=r.dossier_id).values_list("state", flat=True).first()
            if identity is None and cursor is not None and cursor.population_verified:
                identity = IdentityState.VERIFIED
            d = Dossier.objects.select_related("procedure", "unit").get(pk=r.dossier_id)
            fresh = payload_build(dossier_facts(d, paid_online=bool(cursor and cursor.paid_online),
                                                identity=identity or ""), sync_spec_for(_local_day(d.received_at)))
            keep = {k: payload.get(k) for k in ("LoaiCapNhat", "ThoiDiemCapNhat", "LyDo") if k in payload}
            payload = {**fresh, **keep}
        if changes:
            try:
                payload = payload_correct(payload, changes)
            except CorrectionError as exc:
                raise DomainError("portal.correction_invalid", exc.message) from exc
        r.payload, r.state, r.attempts = payload, SyncState.PENDING, 0
        r.next_attempt_at, r.last_error = timezone.now(), ""
        r.corrected += 1
        r.save()
        audit_record(action="portal:resend", obj=r, before=before, after=model_snapshot(r), actor=actor,
                     note=note or r.reject_reason[:200])
    record.__dict__.update({k: v for k, v in r.__dict__.items() if not k.startswith("_")})
    return r


def sync_record_cancel(*, actor: Any, record: SyncRecord, reason: str) -> SyncRecord:
    """Give up on a rejected record (e.g. the portal already has the fact another way); the dossier's
    later records may then go. The reason is required and audited."""
    if not (reason or "").strip():
        raise DomainError("portal.cancel_reason_required", "Cần nêu lý do hủy bản ghi đồng bộ.")
    with transaction.atomic():
        r = _editable(actor, record)
        before = model_snapshot(r)
        r.state = SyncState.CANCELLED
        r.save(update_fields=["state"])
        audit_record(action="portal:cancel", obj=r, before=before, after=model_snapshot(r), actor=actor, note=reason)
    return r
