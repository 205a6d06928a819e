"""The national field names of the outbound sync, as versioned data (`data/sync_fields.yaml`).

Pure: no Django. `sync_spec_for(day)` picks the version in force; `payload_build(facts, spec)` turns
congvu's facts about a dossier (internal keys) into the record sent to the portal (national names).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).parent / "data" / "sync_fields.yaml"


@dataclass(frozen=True)
class FieldSpec:
    key: str
    name: str
    confirmed: bool
    note: str = ""


@dataclass(frozen=True)
class SyncSpec:
    version: str
    effective_from: dt.date
    source: str
    fields: dict[str, FieldSpec]
    states: dict[str, dict[str, Any]]
    events: dict[str, str]
    paid_online_value: int = 2
    not_paid_online_value: int = 0
    unconfirmed: tuple[str, ...] = field(default_factory=tuple)

    def name(self, key: str) -> str:
        return self.fields[key].name

    def state_code(self, state: str) -> str:
        return str(self.states.get(state, {}).get("code", ""))

    def state_label(self, state: str) -> str:
        return str(self.states.get(state, {}).get("label", state))


def _parse(raw: dict[str, Any]) -> SyncSpec:
    fields = {k: FieldSpec(k, str(v["name"]), bool(v.get("confirmed", False)), str(v.get("note", "")))
              for k, v in raw["fields"].items()}
    eff = raw["effective_from"]
    return SyncSpec(
        version=str(raw["version"]),
        effective_from=eff if isinstance(eff, dt.date) else dt.date.fromisoformat(str(eff)),
        source=str(raw.get("source", "")),
        fields=fields,
        states={str(k): dict(v) for k, v in raw["states"].items()},
        events={str(k): str(v) for k, v in raw["events"].items()},
        paid_online_value=int(raw.get("paid_online_value", 2)),
        not_paid_online_value=int(raw.get("not_paid_online_value", 0)),
        unconfirmed=tuple(sorted(f.name for f in fields.values() if not f.confirmed)),
    )


@lru_cache(maxsize=4)
def sync_specs(path: str = str(DATA)) -> tuple[SyncSpec, ...]:
    with open(path, encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    specs = tuple(sorted((_parse(v) for v in raw["versions"]), key=lambda s: s.effective_from))
    if not specs:
        raise ValueError(f"{path}: no version")
    return specs


def sync_spec_for(day: dt.date) -> SyncSpec:
    """The version in force on `day` (the earliest one before any version starts)."""
    specs = sync_specs()
    chosen = specs[0]
    for spec in specs:
        if spec.effective_from <= day:
            chosen = spec
    return chosen


def sync_spec_by_version(version: str) -> SyncSpec:
    for spec in sync_specs():
        if spec.version == version:
            return spec
    raise KeyError(version)


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return 1 if value else 0
    return value


def payload_build(facts: dict[str, Any], spec: SyncSpec) -> dict[str, Any]:
    """National-name payload from internal facts. `state` becomes its TrangThaiHoSo code; booleans 1/0;
    moments ISO 8601 with offset; `paid_online` the configured DuocThanhToanTrucTuyen value; missing
    or None facts are sent as null (a cleared date stays visible as cleared)."""
    out: dict[str, Any] = {}
    for key, fs in spec.fields.items():
        value = facts.get(key)
        if key == "state" and value is not None:
            value = spec.state_code(str(value))
        elif key == "paid_online":
            value = spec.paid_online_value if value else spec.not_paid_online_value
        out[fs.name] = _value(value)
    return out


class CorrectionError(ValueError):
    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field_name, self.message = field_name, message


def payload_correct(payload: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A corrected copy of `payload`: only fields it already has may change, and MaHoSo-like identity
    fields are changed like any other (the portal's reason says which). Values are strings, numbers or
    null; an unknown field raises CorrectionError naming it."""
    out = dict(payload)
    for name, value in changes.items():
        if name not in payload:
            raise CorrectionError(name, f"Trường “{name}” không có trong bản ghi đồng bộ.")
        if value is not None and not isinstance(value, str | int | float):
            raise CorrectionError(name, f"Giá trị của trường “{name}” phải là chuỗi hoặc số.")
        if isinstance(value, str):
            value = value.strip()
            if value == "":
                value = None
            elif value.lstrip("-").isdigit() and isinstance(payload.get(name), int):
                value = int(value)
        out[name] = value
    return out
