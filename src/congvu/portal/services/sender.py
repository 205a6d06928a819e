"""The sender: pending records to the portal, exactly once and in order per dossier.

- **Order.** A record goes only when every earlier record of its dossier has gone (acknowledged, sent
  or cancelled): the batch takes, per dossier, the consecutive run starting at its lowest unsent
  sequence. A rejected record holds its dossier's later records back until the desk resends or
  cancels it.
- **Exactly once.** Each record carries its idempotency key; the portal answers "duplicate" to a key
  it already holds, so a batch resent after a crash, a timeout or a lost answer is stored once.
- **No long transactions.** Choosing a batch and recording the answers are two short transactions;
  the HTTP call is outside both, so the desk never waits on the network.
- **Backoff.** A failed batch pauses the provider for base × 2^(failures−1) seconds (capped), so an
  outage of hours drains by itself once the portal is back.
- **One sender per provider** through a lease on the provider's cursor row.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F, Min, Q
from django.utils import timezone

from congvu.audit.services import audit_record
from congvu.portal import conf
from congvu.portal.models import UNSENT_STATES, SyncCursor, SyncRecord, SyncState
from congvu.portal.providers import OutboundRecord, PortalProvider, PortalUnavailable, get_provider
from congvu.portal.services.counters import sync_acknowledged_count

log = logging.getLogger(__name__)

LEASE_SECONDS = 120
SENT_RECHECK_AFTER = dt.timedelta(hours=1)


@dataclass
class SendReport:
    batches: int = 0
    sent: int = 0
    acknowledged: int = 0
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    acks_applied: int = 0
    requeued: int = 0
    failed: bool = False
    busy: bool = False
    paused_until: dt.datetime | None = None
    error: str = ""
    keys_rejected: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {k: (v.isoformat() if isinstance(v, dt.datetime) else v) for k, v in self.__dict__.items()}


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _cursor(provider_key: str) -> SyncCursor:
    cursor, _ = SyncCursor.objects.get_or_create(provider=provider_key)
    return cursor


def _lease(provider_key: str, now: dt.datetime) -> bool:
    _cursor(provider_key)
    owner = _owner()
    got = SyncCursor.objects.filter(provider=provider_key).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now) | Q(lease_owner=owner)
    ).update(lease_owner=owner, lease_until=now + dt.timedelta(seconds=LEASE_SECONDS))
    return got == 1


def _release(provider_key: str) -> None:
    SyncCursor.objects.filter(provider=provider_key, lease_owner=_owner()).update(lease_owner="", lease_until=None)


def backoff_seconds(failures: int) -> float:
    base, cap = conf.get("CONGVU_PORTAL_BACKOFF_BASE"), conf.get("CONGVU_PORTAL_BACKOFF_MAX")
    return float(min(cap, base * (2 ** max(0, failures - 1))))


@dataclass(frozen=True)
class Pending:
    """The columns of a record the sender needs (no model instances: a batch is hundreds of rows)."""

    pk: int
    key: str
    dossier_id: int
    sequence: int
    unit_code: str
    day: dt.date
    payload: dict
    attempts: int


_PENDING_COLS = ("id", "key", "dossier_id", "sequence", "unit_code", "day", "payload", "attempts")


def next_batch(limit: int, now: dt.datetime) -> list[Pending]:
    """Up to `limit` pending records that may go now, each dossier's in sequence order."""
    candidates = list(SyncRecord.objects.filter(state=SyncState.PENDING, next_attempt_at__lte=now)
                      .order_by("next_attempt_at", "id").values_list("id", "dossier_id", "sequence")[: limit * 2])
    if not candidates:
        return []
    dossier_ids = {c[1] for c in candidates}
    expected = dict(SyncRecord.objects.filter(dossier_id__in=dossier_ids, state__in=UNSENT_STATES)
                    .values("dossier_id").annotate(m=Min("sequence")).values_list("dossier_id", "m"))
    chosen: list[int] = []
    for pk, dossier_id, sequence in sorted(candidates, key=lambda r: (r[1], r[2])):
        if expected.get(dossier_id) == sequence:
            chosen.append(pk)
            expected[dossier_id] = sequence + 1
        else:
            expected[dossier_id] = -1  # a gap (an earlier record not due yet): the rest waits
    chosen = sorted(chosen)[:limit]
    rows = SyncRecord.objects.filter(id__in=chosen).order_by("dossier_id", "sequence").values_list(*_PENDING_COLS)
    return [Pending(*row) for row in rows]


def _outbound(r: Pending, source: str) -> OutboundRecord:
    return OutboundRecord(key=r.key, source=source, dossier=str(r.dossier_id), sequence=r.sequence,
                          unit=r.unit_code, day=r.day.isoformat(), payload=r.payload)


def _apply(batch: list[Pending], results: list[Any], now: dt.datetime, report: SendReport) -> None:
    by_key = {x.key: x for x in results}
    groups: dict[str, list[int]] = {"acknowledged": [], "accepted": [], "missing": []}
    with transaction.atomic():
        for r in batch:
            res = by_key.get(r.key)
            if res is None:
                groups["missing"].append(r.pk)
            elif res.status in ("acknowledged", "duplicate"):
                groups["acknowledged"].append(r.pk)
                report.duplicates += res.status == "duplicate"
            elif res.status == "accepted":
                groups["accepted"].append(r.pk)
            elif res.status == "rejected":
                SyncRecord.objects.filter(pk=r.pk, state=SyncState.PENDING).update(
                    state=SyncState.REJECTED, rejected_at=now, sent_at=now, attempts=r.attempts + 1,
                    reject_reason=(res.reason or "Cổng từ chối, không nêu lý do.")[:2000], reject_code=res.code[:60],
                    last_error="")
                report.rejected += 1
                report.keys_rejected.append(r.key)
            else:
                groups["missing"].append(r.pk)
        pending = SyncRecord.objects.filter(state=SyncState.PENDING)
        n_ack = pending.filter(pk__in=groups["acknowledged"]).update(
            state=SyncState.ACKNOWLEDGED, sent_at=now, acknowledged_at=now, last_error="")
        if n_ack:  # 766 1.4 / 4.4 counters, in this transaction
            sync_acknowledged_count(SyncRecord.objects.filter(pk__in=groups["acknowledged"]), now)
        n_acc = pending.filter(pk__in=groups["accepted"]).update(state=SyncState.SENT, sent_at=now, last_error="")
        if groups["missing"]:
            SyncRecord.objects.filter(pk__in=groups["missing"]).update(last_error="Cổng không trả lời bản ghi này.")
        report.acknowledged += n_ack
        report.accepted += n_acc
        report.sent += len(batch)
        audit_record(action="portal:send", object_type="portal.syncrecord", object_id=f"{batch[0].pk}..{batch[-1].pk}",
                     after={"records": len(batch), "acknowledged": n_ack, "accepted": n_acc,
                            "rejected": [k for k in report.keys_rejected[-20:]],
                            "unanswered": len(groups["missing"])})


def _fail(provider_key: str, batch: list[Pending], error: str, now: dt.datetime, report: SendReport) -> None:
    with transaction.atomic():
        cursor = SyncCursor.objects.select_for_update().get(provider=provider_key)
        cursor.consecutive_failures += 1
        cursor.last_failure_at, cursor.last_error = now, error[:500]
        cursor.paused_until = now + dt.timedelta(seconds=backoff_seconds(cursor.consecutive_failures))
        cursor.save()
        if batch:
            SyncRecord.objects.filter(pk__in=[r.pk for r in batch]).update(attempts=F("attempts") + 1,
                                                                          last_error=error[:500])
    report.failed, report.error, report.paused_until = True, error, cursor.paused_until
    log.warning("portal send failed (%s failures in a row), paused until %s: %s", cursor.consecutive_failures,
                cursor.paused_until, error)


def _succeeded(provider_key: str, now: dt.datetime) -> None:
    SyncCursor.objects.filter(provider=provider_key).update(consecutive_failures=0, paused_until=None,
                                                            last_success_at=now)


def acks_pull(provider: PortalProvider, *, now: dt.datetime | None = None, report: SendReport | None = None) -> int:
    """Apply the portal's acknowledgement feed (duplicates and any order are fine: an acknowledged
    record stays acknowledged; a rejection only applies to a record still waiting)."""
    now = now or timezone.now()
    report = report or SendReport()
    applied = 0
    cursor = _cursor(provider.key)
    after = cursor.ack_cursor or "0"
    for _ in range(1000):
        acks, nxt = provider.acks(after)
        if not acks:
            break
        with transaction.atomic():
            ok = [a.key for a in acks if a.status == "acknowledged"]
            n = SyncRecord.objects.filter(key__in=ok, state__in=[SyncState.SENT, SyncState.PENDING]).update(
                state=SyncState.ACKNOWLEDGED, acknowledged_at=now, last_error="")
            if n:
                sync_acknowledged_count(SyncRecord.objects.filter(key__in=ok), now)
            applied += n
            for a in acks:
                if a.status == "rejected":
                    applied += SyncRecord.objects.filter(key=a.key, state=SyncState.SENT).update(
                        state=SyncState.REJECTED, rejected_at=now, reject_reason=a.reason or "Cổng từ chối.")
            SyncCursor.objects.filter(provider=provider.key).update(ack_cursor=nxt)
        if nxt == after:
            break
        after = nxt
    report.acks_applied += applied
    return applied


def sent_recheck(provider: PortalProvider, *, now: dt.datetime | None = None, older_than: dt.timedelta = SENT_RECHECK_AFTER,
                 limit: int = 200) -> int:
    """Records accepted long ago but never acknowledged: ask the portal; what it does not know goes
    back to the queue (same key, so at most once)."""
    now = now or timezone.now()
    requeued = 0
    for r in SyncRecord.objects.filter(state=SyncState.SENT, sent_at__lt=now - older_than).order_by("id")[:limit]:
        st = provider.status(r.key)
        if st.status == "acknowledged":
            with transaction.atomic():
                if SyncRecord.objects.filter(pk=r.pk, state=SyncState.SENT).update(state=SyncState.ACKNOWLEDGED,
                                                                                   acknowledged_at=now):
                    sync_acknowledged_count(SyncRecord.objects.filter(pk=r.pk), now)
        elif st.status == "unknown":
            requeued += SyncRecord.objects.filter(pk=r.pk, state=SyncState.SENT).update(
                state=SyncState.PENDING, next_attempt_at=now, last_error="Cổng không có bản ghi: gửi lại.")
    return requeued


def portal_send(*, provider: PortalProvider | None = None, batch_size: int | None = None,
                max_batches: int | None = None, now: dt.datetime | None = None,
                ignore_backoff: bool = False) -> SendReport:
    """Send what is due, batch after batch, until nothing is left, the portal fails (then back off)
    or `max_batches` is reached; then apply the acknowledgement feed."""
    report = SendReport()
    key = conf.get("CONGVU_PORTAL_PROVIDER") if provider is None else provider.key
    if not key:
        report.error = "Chưa chọn cổng (CONGVU_PORTAL_PROVIDER rỗng): bản ghi được giữ lại, chưa gửi."
        return report
    provider = provider or get_provider(key)
    batch_size = batch_size or int(conf.get("CONGVU_PORTAL_BATCH"))
    source = conf.get("CONGVU_PORTAL_SOURCE")
    now = now or timezone.now()
    if not _lease(key, now):
        report.busy = True
        return report
    try:
        cursor = _cursor(key)
        if not ignore_backoff and cursor.paused_until and cursor.paused_until > now:
            report.paused_until = cursor.paused_until
            return report
        while max_batches is None or report.batches < max_batches:
            batch = next_batch(batch_size, now)
            if not batch:
                break
            try:
                results = provider.send([_outbound(r, source) for r in batch])
            except PortalUnavailable as exc:
                _fail(key, batch, str(exc), timezone.now(), report)
                return report
            report.batches += 1
            _apply(batch, results, timezone.now(), report)
            _succeeded(key, timezone.now())
            _lease(key, timezone.now())
            now = max(now, timezone.now())
        try:
            acks_pull(provider, report=report)
            report.requeued += sent_recheck(provider)
        except PortalUnavailable as exc:
            _fail(key, [], str(exc), timezone.now(), report)
    finally:
        _release(key)
    return report


def backlog_size() -> int:
    return SyncRecord.objects.filter(state=SyncState.PENDING).count()


def portal_tick() -> SendReport | None:
    """One round of the worker (`CONGVU_WORKER_TICKS`): a few batches, then identity rechecks now and
    then. Nothing when no provider is chosen; the backoff pause is respected."""
    if not conf.get("CONGVU_PORTAL_PROVIDER"):
        return None
    report = portal_send(max_batches=20)
    if report.sent == 0 and not report.failed:
        from congvu.portal.models import IdentityCheck, IdentityState

        if IdentityCheck.objects.filter(state=IdentityState.UNVERIFIED).exists():
            from congvu.portal.services.identity import identity_recheck

            identity_recheck(limit=20)
    return report
