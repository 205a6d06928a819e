"""Helpers shared by the emulation services: policy checks and small validations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from congvu.common.bounds import date_in_range, text_ok
from congvu.common.errors import DomainError
from congvu.emulation.rules import TITLES
from congvu.org.policy import require
from congvu.org.roles import Action


def check(actor: Any, action: Action, obj: Any = None) -> None:
    """Policy check for a user actor; `None` is the system (management commands, demo, tasks)."""
    if actor is not None:
        require(actor, action, obj)


def year_ok(year: Any, label: str = "Năm") -> int:
    try:
        value = int(year)
    except (TypeError, ValueError):
        raise DomainError("input.year", f"{label} phải là số năm (vd. 2024).") from None
    if not 1990 <= value <= 2100:
        raise DomainError("input.year", f"{label} phải từ 1990 đến 2100 (nhận được {value}).")
    return value


def title_ok(code: str, kind: str | None = None, label: str = "Danh hiệu") -> str:
    code = (code or "").strip().upper()
    title = TITLES.get(code)
    if title is None:
        raise DomainError("emulation.title_unknown",
                          f"{label} không hợp lệ: {code!r} (dùng {', '.join(TITLES)}).")
    if kind is not None and not title.accepts(kind):
        who = "tập thể" if kind == "collective" else "cá nhân"
        raise DomainError("emulation.title_kind", f"{title.name_vi} không xét cho {who}.")
    return code


def dates_ok(**dates: dt.date | None) -> None:
    for label, value in dates.items():
        date_in_range(value, label)


def texts_ok(limits: dict[str, tuple[Any, int]]) -> None:
    for label, (value, limit) in limits.items():
        text_ok(value, label, limit)
