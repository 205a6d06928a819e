"""The council documents' blocks in the NĐ 30/2020 layout (Phụ lục I) — issuer | Quốc hiệu header, a
grid table, Nơi nhận | signature — over plain mappings, built on the shared DOCX layer
`congvu.reports.docx_nd30` (page, fonts, runs, paragraphs, rules, NFC, vi-VN), which the one-stop
forms use too. Pure: no Django import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from docx.enum.table import WD_TABLE_ALIGNMENT

from congvu.reports import docx_nd30 as nd30
from congvu.reports.docx_nd30 import (  # noqa: F401 - the documents use them through this module
    CENTER,
    JUSTIFY,
    LEFT,
    MOTTO_1,
    MOTTO_2,
    RIGHT,
    date_line,
    new_document,
    nfc,
    no_borders,
    rule,
    run,
    upper,
    vn_date,
    widths,
)

USABLE_MM = nd30.usable_mm()


def para(container: Any, text: str = "", size: float = 13, bold: bool = False, italic: bool = False, align: Any = None,
         before: float = 0, after: float = 3, indent: bool = False, reuse: bool = False) -> Any:
    """`nd30.para` with the council documents' default spacing after a paragraph (3 pt)."""
    return nd30.para(container, text, size, bold, italic, align, before, after, indent, reuse)


def money(amount: int | None) -> str:
    """1.234.000 (Vietnamese thousands separator)."""
    return "" if amount is None else f"{int(amount):,}".replace(",", ".")


def header(doc: Any, issuer: Mapping[str, Any], *, number: str | None, day: dt.date | None) -> None:
    """Issuer (parent, name, rule, 'Số: …') | Quốc hiệu, tiêu ngữ, place and date (NĐ 30 ô 1–4)."""
    left_mm = 75
    table = doc.add_table(rows=1, cols=2)
    no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths(table, [left_mm, USABLE_MM - left_mm])
    left, right = table.rows[0].cells
    first = True
    if issuer.get("parent"):
        para(left, upper(issuer["parent"]), 12, align=CENTER, reuse=True, after=0)
        first = False
    para(left, upper(issuer.get("name", "")), 12, bold=True, align=CENTER, reuse=first, after=0)
    rule(left, 25, left_mm)
    if number is not None:
        para(left, f"Số: {number or '……'}", 13, align=CENTER)
    para(right, MOTTO_1, 12, bold=True, align=CENTER, reuse=True, after=0)
    p = para(right, align=CENTER, after=6)
    run(p, MOTTO_2, 13, bold=True, underline=True)
    para(right, date_line(issuer.get("place", ""), day), 13, italic=True, align=CENTER)


def grid(doc: Any, head: Sequence[tuple[str, float]], rows: Sequence[Sequence[object]], size: float = 12,
         centred: Sequence[int] = ()) -> Any:
    table = doc.add_table(rows=1 + len(rows), cols=len(head))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, (title, _w) in zip(table.rows[0].cells, head, strict=True):
        para(cell, title, size, bold=True, align=CENTER, reuse=True, after=0)
    for r, values in enumerate(rows, start=1):
        for c, (cell, value) in enumerate(zip(table.rows[r].cells, values, strict=True)):
            para(cell, nfc(value), size, align=CENTER if c in centred else LEFT, reuse=True, after=0)
    widths(table, [w for _t, w in head])
    return table


def signature(doc: Any, *, recipients: Sequence[str] | None, signer: Mapping[str, Any],
              left_label: str = "Nơi nhận:") -> None:
    """Nơi nhận (left, 12/11 pt) | quyền hạn, chức vụ, (chữ ký), họ tên (right) — NĐ 30 Điều 13."""
    table = doc.add_table(rows=1, cols=2)
    no_borders(table)
    widths(table, [USABLE_MM / 2, USABLE_MM / 2])
    left, right = table.rows[0].cells
    if recipients is not None:
        para(left, left_label, 12, bold=True, italic=True, reuse=True, after=0, before=6)
        for i, line in enumerate(recipients):
            end = ";" if i < len(recipients) - 1 else "."
            para(left, f"- {nfc(line).rstrip(';.')}{end}", 11, after=0)
    signer_block(right, signer, reuse=True)


def signer_block(cell: Any, signer: Mapping[str, Any], reuse: bool = False) -> None:
    prefix = nfc(signer.get("prefix", "")).strip()
    authority = upper(signer.get("authority", ""))
    title = upper(signer.get("title", ""))
    first = True
    if prefix and authority:
        para(cell, f"{upper(prefix)} {authority}", 13, bold=True, align=CENTER, reuse=reuse, after=0, before=6)
        first = False
    para(cell, title, 13, bold=True, align=CENTER, reuse=reuse and first, after=0, before=6 if first else 0)
    if signer.get("note"):
        para(cell, signer["note"], 12, italic=True, align=CENTER, after=0)
    para(cell, "", 13, after=48)
    para(cell, nfc(signer.get("name", "")), 13, bold=True, align=CENTER, after=0)


def save(doc: Any, *, title: str, subject: str = "") -> bytes:
    return nd30.to_bytes(doc, title=title, subject=subject)
