"""Bounds every input gets (issue 13: no 500 from input). Pure: no Django imports.

Dates: 1900–2100, the span the working-day calendar (and the lunar calendar under it) can count in.
Text: a length limit per field and no NUL byte. Numbers: a range. Each check raises a `DomainError`
with a Vietnamese message naming the field, so forms and the API answer 400 instead of storing a
value that breaks pages later.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from congvu.common.errors import DomainError

DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)


class OutOfBounds(DomainError):
    status = 400


def date_in_range(value: dt.date | dt.datetime | None, label: str = "Ngày") -> None:
    if value is None:
        return
    day = value.date() if isinstance(value, dt.datetime) else value
    if not DATE_MIN <= day <= DATE_MAX:
        raise OutOfBounds("input.date_range", f"{label} phải trong khoảng 01/01/1900 – 31/12/2100 "
                          f"(nhận được {day:%d/%m/%Y}).", message_en="Date outside 1900-2100.")


def text_ok(value: Any, label: str, max_length: int) -> None:
    if value is None:
        return
    text = str(value)
    if "\x00" in text:
        raise OutOfBounds("input.nul", f"{label} chứa ký tự không hợp lệ.", message_en="NUL character.")
    if len(text) > max_length:
        raise OutOfBounds("input.too_long", f"{label} dài quá {max_length} ký tự.",
                          message_en=f"Longer than {max_length} characters.")


def int_in_range(value: Any, label: str, lo: int, hi: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise OutOfBounds("input.not_a_number", f"{label} phải là số.", message_en="Not a number.") from None
    if not lo <= number <= hi:
        raise OutOfBounds("input.range", f"{label} phải từ {lo} đến {hi}.", message_en=f"Outside {lo}-{hi}.")
    return number
