"""Helpers of the rule-engine tests: candidates that meet everything, to be spoiled one fact at a time."""

from __future__ import annotations

import copy
from typing import Any

PERSON: dict[str, Any] = {
    "kind": "person",
    "recruited": "2019-02-11",
    "ratings": {"2021": "excellent", "2022": "excellent", "2023": "excellent", "2024": "excellent"},
    "discipline": [],
    "titles": [{"year": 2022, "code": "CSTDCS"}, {"year": 2023, "code": "CSTDCS"}, {"year": 2024, "code": "CSTDCS"}],
    "initiatives": [
        {"id": "SK-2023", "year": 2023, "scope": "co_so", "recognised_on": "2023-11-02", "applied": True},
        {"id": "SK-2024", "year": 2024, "scope": "tinh", "recognised_on": "2024-10-15", "applied": True},
    ],
    "research": [],
    "leave": [],
}

COLLECTIVE: dict[str, Any] = {
    "kind": "collective",
    "rating": "excellent",
    "ratings": {"2023": "excellent", "2024": "excellent"},
    "members": 20,
    "members_complete": 20,
    "members_ldtt": 15,
    "members_cstdcs": 2,
    "titles": [{"year": 2024, "code": "TTLDXS"}],
    "leads_group": True,
    "discipline": [],
}


def person(**changes: Any) -> dict[str, Any]:
    """PERSON with keys replaced; a value of ... removes the key (it becomes unknown)."""
    return _change(PERSON, changes)


def collective(**changes: Any) -> dict[str, Any]:
    return _change(COLLECTIVE, changes)


def _change(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in changes.items():
        if value is ...:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def met(verdict: Any, condition_id: str) -> bool | None:
    """The `met` of one condition of a verdict, by id (fails loudly if the condition is not there)."""
    found = [c for c in verdict.conditions if c.id == condition_id]
    assert found, f"no condition {condition_id!r} in {[c.id for c in verdict.conditions]}"
    return found[0].met
