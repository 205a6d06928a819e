""""Báo cáo tình hình thực hiện các nội dung kết luận" as DOCX (Decree 30/2020 layout) and XLSX.

Pure generators over plain data: no database access, so they are testable alone and reusable by
any app that fills `FollowupReport`.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from congvu.reports import docx_nd30 as nd30
from congvu.reports.docx_nd30 import MOTTO_1, MOTTO_2

COLUMNS = ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn", "Tình hình thực hiện",
           "Kết quả / ghi chú"]


@dataclass
class FollowupRow:
    ordinal: int
    action: str
    lead: str
    co_assignees: str
    deadline: str
    state: str
    result: str


@dataclass
class FollowupReport:
    issuer: str
    parent_issuer: str
    number: str
    place: str
    date: dt.date
    title: str
    notice_label: str
    rows: list[FollowupRow] = field(default_factory=list)
    summary: dict[str, int] = field(default_factory=dict)
    signer_title: str = "CHỦ TỊCH"
    signer_authority: str = "TM. ỦY BAN NHÂN DÂN"
    signer_name: str = ""
    recipients: list[str] = field(default_factory=list)


def _para(container, text="", size=13, bold=False, italic=False, align=None, space_after=0):
    return nd30.para(container, text, size, bold, italic, align, after=space_after)


def _date_line(place: str, day: dt.date) -> str:
    return f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def followup_docx(report: FollowupReport) -> bytes:
    doc = nd30.new_document(landscape=True)

    header = doc.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = header.rows[0].cells
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    if report.parent_issuer:
        nd30.run(left.paragraphs[0], report.parent_issuer.upper(), 12)
        _para(left, report.issuer.upper(), 12, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    else:
        nd30.run(left.paragraphs[0], report.issuer.upper(), 12, bold=True)
    _para(left, "_______", 12, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(left, f"Số: {report.number or '      '}/BC-UBND", 13, align=WD_ALIGN_PARAGRAPH.CENTER)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    nd30.run(right.paragraphs[0], MOTTO_1, 12, bold=True)
    _para(right, MOTTO_2, 13, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(right, "________________________", 13, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(right, _date_line(report.place, report.date), 13, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)

    _para(doc, "", space_after=6)
    _para(doc, "BÁO CÁO", 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "Tình hình thực hiện các nội dung kết luận", 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, f"tại {report.notice_label}", 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "__________", 14, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)

    s = report.summary
    intro = (f"Thực hiện {report.notice_label}, {report.issuer} báo cáo tình hình thực hiện như sau: tổng số "
             f"{s.get('total', len(report.rows))} nhiệm vụ; đã hoàn thành {s.get('done', 0)}; đang thực hiện "
             f"{s.get('in_progress', 0)} (trong đó quá hạn {s.get('overdue', 0)}); hủy {s.get('cancelled', 0)}. "
             "Chi tiết tại bảng dưới đây:")
    p = _para(doc, intro, 14, space_after=6)
    p.paragraph_format.first_line_indent = Mm(10)
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    table = doc.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, title in zip(table.rows[0].cells, COLUMNS, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        nd30.run(cell.paragraphs[0], title, 12, bold=True)
    for row in report.rows:
        cells = table.add_row().cells
        values = [str(row.ordinal), row.action, row.lead, row.co_assignees, row.deadline, row.state, row.result]
        for cell, value in zip(cells, values, strict=True):
            nd30.run(cell.paragraphs[0], value or "", 12)
        cells[0].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    widths = [Mm(12), Mm(85), Mm(35), Mm(30), Mm(25), Mm(30), Mm(35)]
    for r in table.rows:
        for cell, w in zip(r.cells, widths, strict=True):
            cell.width = w

    _para(doc, "", space_after=6)
    p = _para(doc, f"Trên đây là báo cáo tình hình thực hiện các nội dung kết luận của {report.issuer}./.", 14)
    p.paragraph_format.first_line_indent = Mm(10)
    _para(doc, "", space_after=6)

    sign = doc.add_table(rows=1, cols=2)
    recv, signer = sign.rows[0].cells
    nd30.run(recv.paragraphs[0], "Nơi nhận:", 12, bold=True, italic=True)
    recipients = report.recipients or ["Lưu: VT"]
    for i, name in enumerate(recipients):
        end = "." if i == len(recipients) - 1 else ";"
        _para(recv, f"- {name.rstrip(';.')}{end}", 11)
    signer.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    nd30.run(signer.paragraphs[0], report.signer_authority, 13, bold=True)
    _para(signer, report.signer_title, 13, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for _ in range(3):
        _para(signer, "", align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(signer, report.signer_name, 13, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)

    return nd30.to_bytes(doc, title=f"Báo cáo tình hình thực hiện {report.notice_label}")


def followup_xlsx(report: FollowupReport) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Tình hình thực hiện"
    bold = Font(name="Times New Roman", bold=True, size=12)
    normal = Font(name="Times New Roman", size=12)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    n = len(COLUMNS)
    last = get_column_letter(n)
    lines = [(report.issuer.upper(), bold), ("BÁO CÁO TÌNH HÌNH THỰC HIỆN CÁC NỘI DUNG KẾT LUẬN", bold),
             (f"tại {report.notice_label}", normal), (_date_line(report.place, report.date), normal)]
    for i, (text, font) in enumerate(lines, start=1):
        ws.merge_cells(f"A{i}:{last}{i}")
        ws[f"A{i}"] = text
        ws[f"A{i}"].font = font
        ws[f"A{i}"].alignment = Alignment(horizontal="center")
    header_row = len(lines) + 2
    fill = PatternFill("solid", fgColor="DDEBF7")
    for col, title in enumerate(COLUMNS, start=1):
        c = ws.cell(row=header_row, column=col, value=title)
        c.font, c.fill, c.border = bold, fill, border
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r, row in enumerate(report.rows, start=header_row + 1):
        values = [row.ordinal, row.action, row.lead, row.co_assignees, row.deadline, row.state, row.result]
        for col, value in enumerate(values, start=1):
            c = ws.cell(row=r, column=col, value=value)
            c.font, c.border = normal, border
            c.alignment = Alignment(vertical="top", wrap_text=True)
    for col, width in enumerate([6, 60, 28, 28, 14, 24, 40], start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    summary = wb.create_sheet("Tổng hợp")
    labels = {"total": "Tổng số nhiệm vụ", "done": "Đã hoàn thành", "in_progress": "Đang thực hiện",
              "overdue": "Quá hạn", "cancelled": "Đã hủy"}
    for i, (key, label) in enumerate(labels.items(), start=1):
        summary.cell(row=i, column=1, value=label).font = normal
        summary.cell(row=i, column=2, value=report.summary.get(key, 0)).font = normal
    summary.column_dimensions["A"].width = 28
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
