"""Writes of the notifications app: enqueue inside the caller's transaction; dispatch with retries,
fallback chain, per-group order, quiet hours, admin alerts; the officers' daily digest.

`notification_enqueue` must be called inside the transaction that writes the event it announces:
if that transaction rolls back, the message is gone too (transactional outbox). The idempotency
key is unique, so enqueuing the same key twice returns the first message and sends nothing more.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import uuid
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Case, CharField, Exists, F, OuterRef, Q, Value, When
from django.utils import timezone

from congvu.audit.services import audit_record
from congvu.notifications import quiet
from congvu.notifications.catalog import template_for
from congvu.notifications.config import channel_configured, max_attempts_for, notify_config
from congvu.notifications.models import (
    UNFINISHED,
    AttemptStatus,
    Channel,
    DeliveryAttempt,
    InAppNotification,
    OutboxMessage,
    OutboxStatus,
    RecipientPreference,
)
from congvu.notifications.providers import DeliveryError, Rendered, provider_for, provider_message_id
from congvu.notifications.templates import render_sms, render_template, zalo_params

log = logging.getLogger(__name__)

ALERT_TEMPLATE = "notify.failed_alert"
UNKNOWN_MARK = "[?] "  # prefix of an attempt's error whose outcome is unknown (the answer was lost)
DIGEST_TEMPLATE = "officer.digest"


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


# -- enqueue ---------------------------------------------------------------------------------------

def _preference(*, recipient_user: Any, recipient_person: Any, addresses: Iterable[str]) -> dict | None:
    """quiet_hours / daily_digest / person_id of the recipient's preference row, if any (one query)."""
    cond = Q(address__in=[a for a in addresses if a])
    if recipient_person is not None:
        cond |= Q(person_id=recipient_person.pk)
    if recipient_user is not None:
        cond |= Q(person__user_id=recipient_user.pk)
    return (RecipientPreference.objects.filter(cond).order_by("person_id")
            .values("person_id", "quiet_hours", "daily_digest").first())


def notification_enqueue(*, idempotency_key: str, template_key: str, channel: str | None = None,
                         recipient: str = "", context: dict | None = None, recipient_user: Any = None,
                         recipient_person: Any = None, max_attempts: int | None = None,
                         channels: Iterable[str] | None = None, addresses: dict[str, str] | None = None,
                         group_key: str = "", quiet_hours: str | None = None) -> tuple[OutboxMessage | None, bool]:
    """Queue one logical notification; returns (message, created). A known key returns the existing
    message. Either one `channel` + `recipient`, or a fallback chain `channels` (default the
    configured `fallback`) with `addresses` per channel: channels without an address, or not configured
    (SMS/Zalo without endpoint), are dropped; with none left nothing is queued and (None, False) returned.
    """
    conf = notify_config()
    if channels is None and addresses is None:
        if channel not in Channel.values:
            raise ValueError(f"unknown channel {channel}")
        chain, addresses = [channel], {channel: recipient or ""}
    else:
        addresses = {k: (v or "").strip() for k, v in (addresses or {}).items()}
        wanted = list(channels) if channels is not None else list(conf["fallback"])
        unknown = [c for c in wanted if c not in Channel.values]
        if unknown:
            raise ValueError(f"unknown channel {unknown}")
        chain = [c for c in wanted if addresses.get(c) and channel_configured(c, conf)]
        if not chain:
            log.info("notification %s: no usable channel among %s", idempotency_key, wanted)
            return None, False
    pref = _preference(recipient_user=recipient_user, recipient_person=recipient_person,
                       addresses=addresses.values())
    if quiet_hours is None:
        quiet_hours = pref["quiet_hours"] if pref is not None and pref["quiet_hours"] else conf["quiet_hours"]
    quiet.parse(quiet_hours)  # malformed → ValueError now, not in the worker
    status, person_id = OutboxStatus.PENDING, getattr(recipient_person, "pk", None)
    if pref is not None and pref["daily_digest"] and pref["person_id"] and chain == [Channel.EMAIL]:
        status, person_id = OutboxStatus.HELD, pref["person_id"]
    try:
        with transaction.atomic():  # savepoint: a concurrent duplicate must not poison the caller's transaction
            msg = OutboxMessage.objects.create(
                idempotency_key=idempotency_key, channel=chain[0], recipient=addresses[chain[0]],
                channels=chain, addresses=addresses, group_key=group_key or "",
                recipient_user=recipient_user, recipient_person_id=person_id, template_key=template_key,
                context=context or {}, max_attempts=max_attempts or 0, status=status,
                quiet_hours=quiet_hours or "", next_attempt_at=timezone.now(),
            )
    except IntegrityError:
        return OutboxMessage.objects.get(idempotency_key=idempotency_key), False
    return msg, True


def retry_delay(attempts: int) -> dt.timedelta:
    """Exponential backoff: base · 2^(attempts-1), capped."""
    base = _setting("CONGVU_NOTIFY_RETRY_BASE_SECONDS", 60)
    cap = _setting("CONGVU_NOTIFY_RETRY_MAX_SECONDS", 6 * 3600)
    return dt.timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


# -- dispatch --------------------------------------------------------------------------------------

@dataclass
class DispatchResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    fell_back: int = 0
    postponed: int = 0

    @property
    def total(self) -> int:
        return self.sent + self.retried + self.failed + self.fell_back


_pool_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_pool_size = 0


def _executor(size: int) -> ThreadPoolExecutor:
    global _pool, _pool_size
    with _pool_lock:
        if _pool is None or _pool_size != size:
            if _pool is not None:
                _pool.shutdown(wait=False)
            _pool, _pool_size = ThreadPoolExecutor(max_workers=size, thread_name_prefix="congvu-notify"), size
        return _pool


def _render(msg: OutboxMessage, conf: dict, cache: dict, today: dt.date) -> Rendered:
    template = template_for(msg.template_key, today, cache)
    subject, body = render_template(template, msg.context)
    return Rendered(subject, body,
                    sms=render_sms(template, msg.context, unicode=bool(conf["sms"].get("unicode")),
                                   max_chars=int(conf["sms"].get("max_chars") or 160)),
                    zalo_template_id=template.zalo_template_id,
                    zalo_params=zalo_params(template, msg.context))


def _send(msg: OutboxMessage) -> tuple[OutboxMessage, str | None, BaseException | None, int]:
    started = time.monotonic()
    try:
        ref = provider_for(msg.channel).send(msg)
        error = None
    except Exception as exc:  # noqa: BLE001 - any provider failure is recorded and retried
        ref, error = None, exc
    return msg, ref, error, int((time.monotonic() - started) * 1000)


def _due(now: dt.datetime, batch: int):
    blocker = OutboxMessage.objects.filter(group_key=OuterRef("group_key"), pk__lt=OuterRef("pk"),
                                           status__in=UNFINISHED)
    return (OutboxMessage.objects
            .filter(status__in=UNFINISHED, next_attempt_at__lte=now)
            .filter(Q(group_key="") | ~Exists(blocker))
            .order_by("next_attempt_at", "id").values_list("pk", flat=True)[:batch])


def _claim(now: dt.datetime, batch: int, token: str, lease: dt.timedelta) -> None:
    """Claim up to `batch` due messages for this worker under `token`, in one short transaction.

    On PostgreSQL the due rows are locked `FOR UPDATE SKIP LOCKED`: several workers (processes or
    hosts) claim disjoint rows without waiting for each other, and a message another worker is
    claiming is skipped, not sent twice. The UPDATE re-checks the due condition, so a row claimed
    and committed meanwhile is not taken again. SQLite has one writer at a time: no row locks needed.
    """
    with transaction.atomic():
        due = _due(now, batch)
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        ids = list(due)
        if ids:
            OutboxMessage.objects.filter(pk__in=ids, status__in=UNFINISHED, next_attempt_at__lte=now).update(
                status=OutboxStatus.SENDING, claim_token=token, attempts=F("attempts") + 1,
                next_attempt_at=now + lease)


def notifications_dispatch(*, batch: int = 100, now: dt.datetime | None = None,
                           workers: int | None = None) -> DispatchResult:
    """Send up to `batch` due messages.

    - A message is due when its time has come and no earlier message of its `group_key` is still
      pending or sending: a group (one dossier) goes strictly in creation order, a failing message
      holds back the later ones of its group only.
    - Messages are claimed under a claim token (`_claim`: PostgreSQL `FOR UPDATE SKIP LOCKED`, then one
      conditional UPDATE), so several workers claim disjoint rows and never send the same row; a claim that is not released (crash) expires after the lease and the message is
      sent again with the same provider message id, which the gateway de-duplicates.
    - Network providers send in a bounded thread pool (at most one message per group per batch, so
      the order holds); results are written in one transaction with one `DeliveryAttempt` each.
    """
    now = now or timezone.now()
    conf = notify_config()
    lease = dt.timedelta(seconds=_setting("CONGVU_NOTIFY_LEASE_SECONDS", 300))
    result = DispatchResult()
    token = uuid.uuid4().hex
    try:
        _claim(now, batch, token, lease)
    except OperationalError as exc:  # lock contention with another worker: try again next round
        log.warning("outbox claim failed: %s", exc)
        return result
    claimed = list(OutboxMessage.objects.filter(claim_token=token, status=OutboxStatus.SENDING).order_by("id"))
    local_now = timezone.localtime(now)
    cache: dict = {}
    to_send: list[OutboxMessage] = []
    for msg in claimed:
        until = quiet.quiet_until(msg.quiet_hours, local_now) if msg.channel in conf["quiet_channels"] else None
        if until is not None:
            OutboxMessage.objects.filter(pk=msg.pk, claim_token=token).update(
                status=OutboxStatus.PENDING, attempts=F("attempts") - 1, next_attempt_at=until, claim_token="")
            result.postponed += 1
            continue
        try:
            msg.rendered = _render(msg, conf, cache, local_now.date())
        except Exception as exc:  # noqa: BLE001 - a broken template must not stop the batch
            log.exception("outbox %s: template error", msg.idempotency_key)
            msg.rendered = Rendered(msg.template_key, f"{exc}")
        msg.provider_message_id = provider_message_id(msg)
        to_send.append(msg)

    parallel = [m for m in to_send if getattr(provider_for_safe(m.channel), "concurrent", False)]
    serial = [m for m in to_send if m not in parallel]
    outcomes = [_send(m) for m in serial]
    if len(parallel) > 1:
        outcomes += list(_executor(max(1, int(workers or conf["workers"]))).map(_send, parallel))
    else:
        outcomes += [_send(m) for m in parallel]

    attempts: list[DeliveryAttempt] = []
    sent_refs: dict[int, str] = {}
    with transaction.atomic():
        for msg, ref, error, ms in outcomes:
            if error is None:  # written below in one UPDATE
                sent_refs[msg.pk] = (ref or msg.provider_message_id)[:100]
                attempts.append(_attempt(msg, ms, now, AttemptStatus.SENT))
            else:
                attempts.append(_record_failure(msg, error, ms, token=token, now=now, conf=conf, result=result))
        if sent_refs:
            OutboxMessage.objects.filter(pk__in=list(sent_refs), claim_token=token).update(
                status=OutboxStatus.SENT, sent_at=timezone.now(), last_error="", claim_token="",
                provider_ref=Case(*[When(pk=pk, then=Value(ref)) for pk, ref in sent_refs.items()],
                                  output_field=CharField()))
            result.sent += len(sent_refs)
        DeliveryAttempt.objects.bulk_create(attempts)
    return result


def provider_for_safe(channel: str) -> Any:
    try:
        return provider_for(channel)
    except DeliveryError:
        return None


def _attempt(msg: OutboxMessage, ms: int, now: dt.datetime, status: str, error: str = "") -> DeliveryAttempt:
    return DeliveryAttempt(message_id=msg.pk, channel=msg.channel, address=msg.recipient[:255], number=msg.attempts,
                           provider_message_id=msg.provider_message_id, at=now, duration_ms=ms, status=status,
                           error=error)


def _record_failure(msg: OutboxMessage, error: BaseException, ms: int, *, token: str, now: dt.datetime, conf: dict,
                    result: DispatchResult) -> DeliveryAttempt:
    """Write a failed send: retry with backoff, the next channel of the chain, or the final failure."""
    mine = OutboxMessage.objects.filter(pk=msg.pk, claim_token=token)
    is_delivery_error = isinstance(error, DeliveryError)
    unknown = not is_delivery_error or error.unknown
    text = (UNKNOWN_MARK if unknown else "") + f"{type(error).__name__}: {error}"[:1990]
    attempt = _attempt(msg, ms, now, AttemptStatus.FAILED, text)
    fallback = is_delivery_error and error.fallback
    permanent = is_delivery_error and error.permanent
    limit = msg.max_attempts or max_attempts_for(msg.channel, conf)
    chain = list(msg.channels or [msg.channel])
    index = chain.index(msg.channel) if msg.channel in chain else len(chain) - 1
    # Was any answer on this channel lost? Then the message may be out: same channel, same id, never another.
    has_next = any((msg.addresses or {}).get(c) for c in chain[index + 1:])
    maybe_sent = has_next and (unknown or DeliveryAttempt.objects.filter(
        message_id=msg.pk, channel=msg.channel, error__startswith=UNKNOWN_MARK).exists())
    if maybe_sent:
        horizon = int(_setting("CONGVU_NOTIFY_UNKNOWN_MAX_ATTEMPTS", 0) or max(limit * 4, 12))
        if msg.attempts < horizon:
            mine.update(status=OutboxStatus.PENDING, last_error=text, claim_token="",
                        next_attempt_at=now + retry_delay(msg.attempts))
            result.retried += 1
            return attempt
        attempt.status = AttemptStatus.GAVE_UP
        text = (f"{text} — không rõ tin đã đến người nhận qua {msg.channel} hay chưa; không gửi lại qua kênh "
                "khác để tránh gửi hai lần.")[:2000]
        attempt.error = text
        mine.update(status=OutboxStatus.FAILED, last_error=text, claim_token="")
        result.failed += 1
        log.warning("outbox %s: outcome unknown on %s after %s attempts; not falling back", msg.idempotency_key,
                    msg.channel, msg.attempts)
        _alert_admins(msg, text, now=now)
        return attempt
    exhausted = permanent or fallback or msg.attempts >= limit
    if not exhausted:
        attempt.status = AttemptStatus.FAILED
        mine.update(status=OutboxStatus.PENDING, last_error=text, claim_token="",
                    next_attempt_at=now + retry_delay(msg.attempts))
        result.retried += 1
        return attempt
    nxt = next((c for c in chain[index + 1:] if (msg.addresses or {}).get(c)), None)
    if nxt is not None:
        attempt.status = AttemptStatus.FELL_BACK
        mine.update(status=OutboxStatus.PENDING, channel=nxt, recipient=msg.addresses[nxt],
                    channel_index=chain.index(nxt), attempts=0, last_error=text, claim_token="",
                    next_attempt_at=now)
        result.fell_back += 1
        return attempt
    attempt.status = AttemptStatus.GAVE_UP
    mine.update(status=OutboxStatus.FAILED, last_error=text, claim_token="")
    result.failed += 1
    log.warning("outbox %s failed permanently: %s", msg.idempotency_key, text)
    _alert_admins(msg, text, now=now)
    return attempt


# -- admin alert -----------------------------------------------------------------------------------

def admin_recipients() -> tuple[list[Any], list[str]]:
    """(superuser accounts for the in-app alert, e-mail addresses for the alert e-mail)."""
    users = list(get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk"))
    emails = [u.email for u in users if u.email]
    emails += list(notify_config().get("admin_emails") or [])
    emails += [addr for _name, addr in _setting("ADMINS", [])]
    return users, list(dict.fromkeys(e.strip() for e in emails if e and "@" in e))


def _alert_admins(msg: OutboxMessage, error: str, *, now: dt.datetime) -> None:
    """Once per message (conditional update of `alerted_at`): in-app + e-mail to the system admins."""
    if msg.template_key == ALERT_TEMPLATE:
        return
    if not OutboxMessage.objects.filter(pk=msg.pk, alerted_at__isnull=True).update(alerted_at=now):
        return
    users, emails = admin_recipients()
    site = _setting("CONGVU_SITE_URL", "").rstrip("/")
    ctx = {"message_id": msg.pk, "template": msg.template_key, "key": msg.idempotency_key,
           "recipient": ", ".join(f"{c}: {a}" for c, a in (msg.addresses or {}).items()) or msg.recipient,
           "channels": " → ".join(msg.channels or [msg.channel]), "error": error,
           "url": f"{site}/admin/notifications/outboxmessage/{msg.pk}/change/"}
    for user in users:
        notification_enqueue(idempotency_key=f"alert:{msg.pk}:in_app:{user.pk}", channel=Channel.IN_APP,
                             recipient=user.get_username(), recipient_user=user, template_key=ALERT_TEMPLATE,
                             context=ctx, quiet_hours="")
    for addr in emails:
        notification_enqueue(idempotency_key=f"alert:{msg.pk}:email:{addr}", channel=Channel.EMAIL,
                             recipient=addr, template_key=ALERT_TEMPLATE, context=ctx, quiet_hours="")


# -- delivery reports ------------------------------------------------------------------------------

def notification_delivery_report(*, provider_ref: str, delivered: bool, error: str = "",
                                 now: dt.datetime | None = None) -> OutboxMessage | None:
    """A gateway's delivery report (callback): delivered → DELIVERED; undeliverable → the next channel
    of the chain, else failed (with the admin alert)."""
    now = now or timezone.now()
    with transaction.atomic():
        msg = (OutboxMessage.objects.select_for_update()
               .filter(provider_ref=provider_ref, status__in=[OutboxStatus.SENT, OutboxStatus.DELIVERED]).first())
        if msg is None:
            return None
        attempt = DeliveryAttempt(message=msg, channel=msg.channel, address=msg.recipient[:255],
                                  number=msg.attempts, provider_message_id=provider_ref, at=now)
        if delivered:
            msg.status, msg.delivered_at, attempt.status = OutboxStatus.DELIVERED, now, AttemptStatus.DELIVERED
            msg.save(update_fields=["status", "delivered_at"])
        else:
            attempt.status, attempt.error = AttemptStatus.FELL_BACK, error[:2000]
            chain = list(msg.channels or [msg.channel])
            index = chain.index(msg.channel) if msg.channel in chain else len(chain) - 1
            nxt = next((c for c in chain[index + 1:] if (msg.addresses or {}).get(c)), None)
            msg.last_error = f"Không đến được người nhận: {error}"[:2000]
            if nxt is not None:
                msg.status, msg.channel, msg.recipient = OutboxStatus.PENDING, nxt, msg.addresses[nxt]
                msg.channel_index, msg.attempts, msg.next_attempt_at = chain.index(nxt), 0, now
            else:
                attempt.status, msg.status = AttemptStatus.GAVE_UP, OutboxStatus.FAILED
            msg.save()
            if msg.status == OutboxStatus.FAILED:
                _alert_admins(msg, msg.last_error, now=now)
        attempt.save()
    return msg


# -- daily digest ----------------------------------------------------------------------------------

def notifications_daily_digest(*, today: dt.date | None = None) -> int:
    """Officers with `daily_digest` on: their held e-mails (reminders...) and in-app items since the
    last digest become one e-mail. Idempotent per (person, day). Returns digests queued."""
    today = today or timezone.localdate()
    now = timezone.now()
    site = _setting("CONGVU_SITE_URL", "").rstrip("/")
    count = 0
    prefs = RecipientPreference.objects.filter(daily_digest=True, person__isnull=False).select_related(
        "person", "person__user")
    for pref in prefs:
        person = pref.person
        with transaction.atomic():
            held = list(OutboxMessage.objects.select_for_update().filter(
                status=OutboxStatus.HELD, recipient_person=person).order_by("id"))
            cache: dict = {}
            lines: list[str] = []
            titles: set[str] = set()
            for msg in held:
                subject, _body = render_template(template_for(msg.template_key, today, cache), msg.context)
                titles.add(subject)
                url = msg.context.get("url", "")
                lines.append(f"- {subject}" + (f"\n  {url}" if url else ""))
            if person.user_id:
                since = pref.last_digest_at or now - dt.timedelta(days=1)
                for note in InAppNotification.objects.filter(user_id=person.user_id, created_at__gte=since,
                                                             created_at__lt=now).order_by("created_at"):
                    if note.title not in titles:
                        titles.add(note.title)
                        lines.append(f"- {note.title}" + (f"\n  {note.url}" if note.url else ""))
            address = person.email or next((m.recipient for m in held if m.recipient), "")
            if not lines or not address:
                continue
            msg, created = notification_enqueue(
                idempotency_key=f"digest:{person.pk}:{today.isoformat()}", channel=Channel.EMAIL, recipient=address,
                recipient_user=person.user, template_key=DIGEST_TEMPLATE, quiet_hours="",
                context={"name": person.full_name, "date": f"{today:%d/%m/%Y}", "count": len(lines),
                         "items": "\n".join(lines), "url": f"{site}/"})
            if not created:
                continue  # already sent today: what is held waits for tomorrow's digest
            if msg.status == OutboxStatus.HELD:  # the digest itself is never held
                OutboxMessage.objects.filter(pk=msg.pk).update(status=OutboxStatus.PENDING)
            OutboxMessage.objects.filter(pk__in=[m.pk for m in held]).update(status=OutboxStatus.BATCHED)
            RecipientPreference.objects.filter(pk=pref.pk).update(last_digest_at=now)
            count += 1
    return count


def notification_mark_read(*, actor: Any, notification_id: int | None = None) -> int:
    """Mark one of the actor's in-app notifications read (or all of them with None); returns how many."""
    qs = InAppNotification.objects.filter(user=actor, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    with transaction.atomic():
        ids = list(qs.values_list("pk", flat=True))
        n = InAppNotification.objects.filter(pk__in=ids).update(read_at=timezone.now())
        if n:
            audit_record(action="update", object_type="notifications.inappnotification",
                         object_id=",".join(map(str, ids))[:64], after={"read": ids}, actor=actor, note="mark read")
    return n
