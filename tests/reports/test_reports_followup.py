"""The follow-up report generators on plain data (no database)."""

from __future__ import annotations

import datetime as dt
import io

import docx
import openpyxl

from congvu.reports.followup import FollowupReport, FollowupRow, followup_docx, followup_xlsx


def _report():
    return FollowupReport(
        issuer="UBND huyện Bình Sơn", parent_issuer="UBND tỉnh Quảng Ngãi", number="12", place="Bình Sơn",
        date=dt.date(2024, 4, 5), title="Báo cáo", notice_label="Thông báo số 05/TB-UBND ngày 01/03/2024",
        rows=[FollowupRow(1, "Tham mưu kế hoạch CCHC", "Phòng Nội vụ", "", "29/03/2024", "Đã hoàn thành", "Xong"),
              FollowupRow(2, "Tuyên truyền chuyển đổi số", "Phòng VH-TT", "Xã A", "30/04/2024", "Đang thực hiện", "")],
        summary={"total": 2, "done": 1, "in_progress": 1, "overdue": 0, "cancelled": 0},
        signer_name="Phạm Ngọc Lân", recipients=["UBND tỉnh", "Lưu: VT"])


def test_docx_layout_and_rows():
    document = docx.Document(io.BytesIO(followup_docx(_report())))
    header = document.tables[0].rows[0].cells
    assert "UBND TỈNH QUẢNG NGÃI" in header[0].text and "Số: 12/BC-UBND" in header[0].text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1].text and "Độc lập - Tự do - Hạnh phúc" in header[1].text
    assert "Bình Sơn, ngày 05 tháng 04 năm 2024" in header[1].text
    rows = [[c.text for c in r.cells] for r in document.tables[1].rows]
    assert rows[0][0] == "STT" and rows[1][1] == "Tham mưu kế hoạch CCHC" and rows[1][5] == "Đã hoàn thành"
    assert rows[2][5] == "Đang thực hiện"
    sign = document.tables[2].rows[0].cells
    assert sign[0].text.startswith("Nơi nhận:") and sign[0].text.rstrip().endswith("- Lưu: VT.")
    assert "TM. ỦY BAN NHÂN DÂN" in sign[1].text and "Phạm Ngọc Lân" in sign[1].text
    sizes = {r.font.size.pt for p in document.paragraphs for r in p.runs if r.font.size}
    assert sizes <= {12.0, 13.0, 14.0}
    assert all(r.font.name == "Times New Roman" for p in document.paragraphs for r in p.runs)


def test_xlsx_rows():
    wb = openpyxl.load_workbook(io.BytesIO(followup_xlsx(_report())))
    ws = wb["Tình hình thực hiện"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert ["STT", "Nội dung nhiệm vụ"] == values[5][:2]
    assert values[6][1] == "Tham mưu kế hoạch CCHC" and values[7][5] == "Đang thực hiện"
    assert wb["Tổng hợp"]["B1"].value == 2
