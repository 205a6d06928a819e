"""python-docx helpers for the NĐ 30/2020 layout (Phụ lục I): A4, margins 20/20/30/15 mm, Times New
Roman 13 pt, Quốc hiệu bold upper case 12 pt, tiêu ngữ bold 13 pt underlined, issuing body bold upper
case with a short rule, place and date italic. Every run is NFC; the document language is vi-VN.
Pure: no Django import."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from congvu.common.text import nfc as _nfc

MOTTO_1 = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"
FONT = "Times New Roman"
CENTER, JUSTIFY, LEFT, RIGHT = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.LEFT,
                                WD_ALIGN_PARAGRAPH.RIGHT)
USABLE_MM = 210 - 30 - 15


def nfc(value: object) -> str:
    return _nfc("" if value is None else str(value))


def upper(text: object) -> str:
    return nfc(nfc(text).upper())


def vn_date(value: dt.date | None) -> str:
    if value is None:
        return "ngày …… tháng …… năm ……"
    return f"ngày {value.day:02d} tháng {value.month:02d} năm {value.year}"


def date_line(place: str, value: dt.date | None) -> str:
    return f"{place or '…………'}, {vn_date(value)}"


def money(amount: int | None) -> str:
    """1.234.000 (Vietnamese thousands separator)."""
    return "" if amount is None else f"{int(amount):,}".replace(",", ".")


def run(p: Any, text: str, size: float = 13, bold: bool = False, italic: bool = False, underline: bool = False) -> Any:
    r = p.add_run(nfc(text))
    r.font.name = FONT
    rpr = r._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), FONT)
    fonts.set(qn("w:cs"), FONT)
    r.font.size = Pt(size)
    r.bold, r.italic, r.underline = bold, italic, underline
    return r


def para(container: Any, text: str = "", size: float = 13, bold: bool = False, italic: bool = False, align: Any = None,
         before: float = 0, after: float = 3, indent: bool = False, reuse: bool = False) -> Any:
    p = (container.paragraphs[0] if reuse and container.paragraphs and not container.paragraphs[0].text
         else container.add_paragraph())
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_before, p.paragraph_format.space_after = Pt(before), Pt(after)
    if indent:
        p.paragraph_format.first_line_indent = Mm(10)
    if text:
        run(p, text, size, bold, italic)
    return p


def rule(cell: Any, width_mm: float, cell_mm: float) -> None:
    """A short centred line under the issuer / the motto."""
    p = cell.add_paragraph()
    side = Mm(max(0.0, (cell_mm - width_mm) / 2))
    p.paragraph_format.left_indent = p.paragraph_format.right_indent = side
    p.paragraph_format.space_after = Pt(6)
    ppr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    ppr.append(bdr)
    run(p, "", 4)


def no_borders(table: Any) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    table._tbl.tblPr.append(borders)


def widths(table: Any, widths_mm: Sequence[float]) -> None:
    table.autofit = False
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(w)


def new_document() -> Any:
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin = sec.bottom_margin = Mm(20)
    sec.left_margin, sec.right_margin = Mm(30), Mm(15)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(13)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(0)
    doc.core_properties.language = "vi-VN"
    return doc


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
    doc.core_properties.title = nfc(title)
    doc.core_properties.subject = nfc(subject)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
