"""Hash chain of the audit trail. Pure: no Django imports."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def canonical(payload: Mapping[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def entry_digest(prev_hash: str, payload: Mapping[str, Any]) -> str:
    return hashlib.sha256((prev_hash + "|" + canonical(payload)).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


def verify_chain(rows: Iterable[tuple[int, str, str, Mapping[str, Any]]]) -> ChainBreak | None:
    """rows: (seq, prev_hash, entry_hash, payload) in seq order. Returns the first break, if any."""
    expected_prev = GENESIS
    expected_seq = None
    for seq, prev_hash, stored_hash, payload in rows:
        if expected_seq is not None and seq != expected_seq:
            return ChainBreak(expected_seq, f"entry {expected_seq} is missing (next is {seq})")
        if prev_hash != expected_prev:
            return ChainBreak(seq, "prev_hash does not match the previous entry")
        if entry_digest(prev_hash, payload) != stored_hash:
            return ChainBreak(seq, "content does not match its hash (edited)")
        expected_prev = stored_hash
        expected_seq = seq + 1
    return None
