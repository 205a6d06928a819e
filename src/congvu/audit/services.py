"""Public surface of the audit app: write entries, snapshot objects, verify the chain.

Every domain service calls `audit_record` inside its own transaction, so the entry commits or
rolls back with the change it describes.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.db import connections, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from congvu import dbwrite
from congvu.audit.chain import GENESIS, ChainBreak, entry_digest, verify_chain
from congvu.audit.context import current_actor
from congvu.audit.models import AuditChainHead, AuditEntry

_PLAIN = frozenset({str, int, float, bool, type(None)})


def _jsonable(value: Any) -> Any:
    if type(value) in _PLAIN:  # most values: nothing to convert
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name or None
    return value


_SNAPSHOT_FIELDS: dict[tuple[type, tuple[str, ...]], tuple[str, ...]] = {}


def model_snapshot(obj: models.Model, exclude: tuple[str, ...] = ("password",)) -> dict[str, Any]:
    """The concrete field values of `obj` (foreign keys as ids), JSON-ready."""
    key = (type(obj), exclude)
    attnames = _SNAPSHOT_FIELDS.get(key)
    if attnames is None:
        attnames = _SNAPSHOT_FIELDS[key] = tuple(f.attname for f in obj._meta.concrete_fields
                                                  if f.name not in exclude)
    values = obj.__dict__
    return {name: _jsonable(values[name] if name in values else getattr(obj, name)) for name in attnames}


def _payload(entry: AuditEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "actor": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "before": entry.before,
        "after": entry.after,
        "note": entry.note,
    }


def audit_record(
    *,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor: Any = None,
    note: str = "",
) -> AuditEntry:
    """Append one entry. `action` is create / update / delete / transition:<name> / import / login...

    Pass `obj` (type and id are taken from it) or `object_type` + `object_id`.
    """
    actor = actor if actor is not None else current_actor()
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
    # No savepoint of its own: an entry is written in the caller's transaction or not at all.
    with transaction.atomic(savepoint=False):
        connection = connections["default"]
        postgres = connection.vendor == "postgresql"
        head_table = connection.ops.quote_name(AuditChainHead._meta.db_table)
        # The head row is locked until the caller's transaction ends: concurrent writers serialise here
        # and the chain stays linear (SQLite: the writer holds the database).
        head = dbwrite.fetchone(f"SELECT last_seq, last_hash FROM {head_table} WHERE id = 1"
                                + (" FOR UPDATE" if postgres else ""))
        if head is None:  # the very first entry
            first, _ = AuditChainHead.objects.select_for_update().get_or_create(
                id=1, defaults={"last_seq": 0, "last_hash": GENESIS})
            head = (first.last_seq, first.last_hash)
        last_seq, last_hash = head
        entry = AuditEntry(
            seq=last_seq + 1,
            at=timezone.now(),
            actor=actor,
            actor_label=(actor.get_username() if actor is not None else "system"),
            action=action,
            object_type=object_type or "",
            object_id=str(object_id if object_id is not None else ""),
            object_repr=(str(obj)[:255] if obj is not None else ""),
            before=_jsonable(before),
            after=_jsonable(after),
            note=note,
            prev_hash=last_hash,
        )
        entry.entry_hash = entry_digest(entry.prev_hash, _payload(entry))
        statement = dbwrite.insert_statement(entry) if postgres else None
        if statement is not None:  # the entry and the head's move in one statement
            sql, params = statement
            row = dbwrite.fetchone(
                f"WITH e AS ({sql} RETURNING id, seq, entry_hash) UPDATE {head_table} h "
                f"SET last_seq = e.seq, last_hash = e.entry_hash FROM e WHERE h.id = 1 RETURNING e.id", params)
            dbwrite.inserted(entry, row[0])
        else:
            dbwrite.insert(entry)
            dbwrite.execute(f"UPDATE {head_table} SET last_seq = %s, last_hash = %s WHERE id = 1",
                            [entry.seq, entry.entry_hash])
    return entry


def audit_changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, tuple[Any, Any]]:
    """Fields whose value differs between two snapshots: {field: (old, new)}."""
    before, after = before or {}, after or {}
    return {k: (before.get(k), after.get(k)) for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)}


def audit_chain_verify(batch_size: int = 2000) -> ChainBreak | None:
    """Re-hash every entry in order; return the first tampered or missing entry, or None."""

    def rows():
        last = 0
        while True:
            # Re-read the stored JSON as the database gives it back, exactly as stored.
            batch = list(AuditEntry.objects.filter(seq__gt=last).order_by("seq")[:batch_size])
            if not batch:
                return
            for entry in batch:
                yield entry.seq, entry.prev_hash, entry.entry_hash, _payload(entry)
            last = batch[-1].seq

    result = verify_chain(rows())
    if result is None:
        head = AuditChainHead.objects.filter(id=1).first()
        last = AuditEntry.objects.order_by("-seq").first()
        if head and (last is None or head.last_seq != last.seq):
            return ChainBreak(last.seq + 1 if last else 1, "the newest entries were deleted")
    return result
