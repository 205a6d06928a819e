"""The shared NĐ 30/2020 DOCX layer (`reports/docx_nd30.py`): page, fonts, NFC, vi-VN — one copy that
the one-stop forms and the emulation council's documents both build on."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

from docx import Document
from docx.oxml.ns import qn

from congvu.reports import docx_nd30 as nd30


def test_page_fonts_nfc_and_language():
    doc = nd30.new_document()
    sec = doc.sections[0]
    assert [round(x.mm) for x in (sec.page_width, sec.page_height, sec.left_margin, sec.right_margin)] == [210, 297, 30, 15]
    decomposed = unicodedata.normalize("NFD", "Ủy ban nhân dân xã Bình Hòa")
    p = nd30.para(doc, decomposed, 13, bold=True, align=nd30.CENTER)
    nd30.rule(doc.add_table(rows=1, cols=1).rows[0].cells[0], 25, 75)
    body = nd30.to_bytes(doc, title=decomposed)
    back = Document(io.BytesIO(body))
    assert back.core_properties.title == "Ủy ban nhân dân xã Bình Hòa" and back.core_properties.language == "vi-VN"
    run = back.paragraphs[0].runs[0]
    assert run.text == unicodedata.normalize("NFC", decomposed) and run.font.name == "Times New Roman" and run.bold
    assert run._element.rPr.find(qn("w:lang")).get(qn("w:val")) == "vi-VN"
    assert p.alignment == nd30.CENTER
    wide = nd30.new_document(landscape=True).sections[0]
    assert [round(wide.page_width.mm), round(wide.page_height.mm)] == [297, 210] and nd30.usable_mm(True) == 252


def test_dates_and_upper_case():
    assert nd30.vn_date(dt.date(2024, 2, 7)) == "ngày 07 tháng 02 năm 2024"
    assert nd30.date_line("", None) == "…………, ngày …… tháng …… năm ……"
    assert nd30.upper("ủy ban") == "ỦY BAN"


def test_one_copy_for_onestop_and_emulation():
    from congvu.emulation.documents import docx_base
    from congvu.onestop.documents import fmt, word

    assert word._run is nd30.run and word._para is nd30.para and word._rule is nd30.rule
    assert word._new_document is nd30.new_document and word._widths is nd30.widths
    assert docx_base.run is nd30.run and docx_base.rule is nd30.rule and docx_base.new_document is nd30.new_document
    assert fmt.nfc is nd30.nfc and fmt.vn_date is nd30.vn_date and fmt.date_line is nd30.date_line
    assert docx_base.MOTTO_1 == word.MOTTO_1 == nd30.MOTTO_1


def test_the_followup_report_is_built_on_it_too():
    from congvu.reports.followup import FollowupReport, followup_docx

    body = followup_docx(FollowupReport(issuer="UBND huyện Bình Sơn", parent_issuer="", number="1", place="Bình Sơn",
                                        date=dt.date(2024, 4, 5), title="Báo cáo", notice_label="Thông báo số 05/TB-UBND"))
    doc = Document(io.BytesIO(body))
    assert doc.core_properties.language == "vi-VN" and round(doc.sections[0].page_width.mm) == 297
    first = doc.tables[0].rows[0].cells[0].paragraphs[0].runs[0]
    assert first.text == "UBND HUYỆN BÌNH SƠN" and first._element.rPr.find(qn("w:lang")).get(qn("w:val")) == "vi-VN"
