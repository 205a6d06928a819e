"""Vietnamese formatting for the one-stop forms. Pure: no Django imports.

Dates print as "ngày 05 tháng 01 năm 2026" and times as "08 giờ 05 phút" (day and month with a
leading zero, as NĐ 30/2020 Phụ lục I writes them). All text goes through NFC before it reaches a
renderer, so a decomposed "Hòa" (o + U+0300) never reaches the PDF or DOCX.
"""

from __future__ import annotations

import datetime as dt

from congvu.reports.docx_nd30 import DOTS, date_line, nfc, upper, vn_date

__all__ = ["DOTS", "balanced_lines", "date_line", "nfc", "two_digits", "upper", "vn_date", "vn_datetime", "vn_time"]


def vn_time(value: dt.datetime | dt.time | None, blank: str = "…… giờ …… phút") -> str:
    """'10 giờ 05 phút'."""
    if value is None:
        return blank
    return f"{value.hour:02d} giờ {value.minute:02d} phút"


def vn_datetime(value: dt.datetime | None) -> str:
    """'10 giờ 05 phút, ngày 07 tháng 02 năm 2024'."""
    if value is None:
        return f"{vn_time(None)}, {vn_date(None)}"
    return f"{vn_time(value)}, {vn_date(value)}"


def two_digits(n: int | None) -> str:
    """Counts printed on the forms with a leading zero: 1 → '01'."""
    return "" if n is None else f"{n:02d}"


def balanced_lines(text: str, max_chars: int = 24) -> list[str]:
    """Split a header name into the fewest lines of at most `max_chars`, as evenly as possible, at
    word boundaries: 'ỦY BAN NHÂN DÂN XÃ BÌNH THẠNH' → ['ỦY BAN NHÂN DÂN', 'XÃ BÌNH THẠNH'] (a greedy
    wrap would leave 'THẠNH' alone on the second line)."""
    words = nfc(text).split()
    if len(" ".join(words)) <= max_chars or len(words) < 2:
        return [" ".join(words)] if words else []
    if len(words) > 12:  # long names: greedy wrap (the exhaustive search below is for short headers)
        lines, cur = [], ""
        for w in words:
            if cur and len(cur) + 1 + len(w) > max_chars:
                lines.append(cur)
                cur = w
            else:
                cur = f"{cur} {w}".strip()
        return [*lines, cur]
    best: list[str] = words
    for n_lines in range(2, min(len(words), 4) + 1):
        best_cost = None
        for cut in _cuts(len(words), n_lines):
            lines = [" ".join(words[a:b]) for a, b in zip((0, *cut), (*cut, len(words)), strict=True)]
            cost = max(len(line) for line in lines)
            if best_cost is None or cost < best_cost:
                best_cost, best = cost, lines
        if best_cost is not None and best_cost <= max_chars:
            return best
    return best


def _cuts(n: int, lines: int, start: int = 1) -> list[tuple[int, ...]]:
    if lines == 1:
        return [()]
    return [(i, *rest) for i in range(start, n - lines + 2) for rest in _cuts(n, lines - 1, i + 1)]
