"""Shared python-docx helpers for documents in the NĐ 30/2020 layout (Phụ lục I): A4 (or A4 landscape),
margins 20/20/30/15 mm, Times New Roman 13 pt, Quốc hiệu bold upper case 12 pt, tiêu ngữ bold 13 pt
underlined, a short rule under the issuing body, place and date italic. Every run is NFC and tagged
vi-VN; the document language is vi-VN.

The one copy used by the one-stop forms (`onestop/documents/word.py`) and the emulation council's
minutes and decisions (`emulation/documents/`): `reports` is the lowest app both stand on. Pure: no
Django import.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
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
DOTS = "…………"
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}


# -- text ---------------------------------------------------------------------------------------------

def nfc(text: object) -> str:
    return _nfc("" if text is None else str(text))


def upper(text: object) -> str:
    """Upper case that keeps Vietnamese letters composed ('ủy' → 'ỦY')."""
    return nfc(nfc(text).upper())


def vn_date(value: dt.date | dt.datetime | None, blank: str = "ngày …… tháng …… năm ……") -> str:
    """'ngày 07 tháng 02 năm 2024' (a blank pattern to fill by hand when `value` is None)."""
    if value is None:
        return blank
    return f"ngày {value.day:02d} tháng {value.month:02d} năm {value.year}"


def date_line(place: str, value: dt.date | None) -> str:
    """The place-and-date line of NĐ 30/2020: 'Bình Thạnh, ngày 07 tháng 02 năm 2024'."""
    return f"{place or DOTS}, {vn_date(value)}"


# -- runs, paragraphs, tables -------------------------------------------------------------------------

def _lang(rpr: Any) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "vi-VN")


def run(p: Any, text: str, size: float = 13, bold: bool = False, italic: bool = False, underline: bool = False) -> Any:
    """A Times New Roman run (also for East-Asian and complex scripts), NFC, tagged vi-VN."""
    r = p.add_run(nfc(text))
    r.font.name = FONT
    rpr = r._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), FONT)
    fonts.set(qn("w:cs"), FONT)
    _lang(rpr)
    r.font.size = Pt(size)
    r.bold, r.italic, r.underline = bold, italic, underline
    return r


def para(container: Any, text: str = "", size: float = 13, bold: bool = False, italic: bool = False, align: Any = None,
         before: float = 0, after: float = 0, indent: bool = False, reuse: bool = False) -> Any:
    """A paragraph in `container` (document or cell); `reuse` fills a cell's empty first paragraph."""
    p = (container.paragraphs[0] if reuse and container.paragraphs and not container.paragraphs[0].text
         else container.add_paragraph())
    if align is not None:
        p.alignment = align
    fmt = p.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if indent:
        fmt.first_line_indent = Mm(10)
    if text:
        run(p, text, size, bold, italic)
    return p


def rule(cell: Any, width_mm: float, cell_mm: float) -> None:
    """A short centred horizontal line (a paragraph's bottom border narrowed by indents)."""
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


def widths(table: Any, widths_mm: Any) -> None:
    table.autofit = False
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(w)


def repeat_header(table: Any) -> None:
    """Repeat the table's first row on every page."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    head = OxmlElement("w:tblHeader")
    head.set(qn("w:val"), "true")
    tr_pr.append(head)


# -- documents ----------------------------------------------------------------------------------------

def usable_mm(landscape: bool = False) -> float:
    """Width between the margins."""
    return (PAGE_MM[1] if landscape else PAGE_MM[0]) - MARGINS_MM["left"] - MARGINS_MM["right"]


def new_document(landscape: bool = False) -> Any:
    doc = Document()
    sec = doc.sections[0]
    if landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = Mm(PAGE_MM[1]), Mm(PAGE_MM[0])
    else:
        sec.page_width, sec.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    sec.top_margin, sec.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    sec.left_margin, sec.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(13)
    rpr = style.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    _lang(rpr)
    style.paragraph_format.space_after = Pt(0)
    doc.core_properties.language = "vi-VN"
    return doc


def to_bytes(doc: Any, *, title: str, subject: str = "") -> bytes:
    doc.core_properties.title = nfc(title)
    doc.core_properties.subject = nfc(subject)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
