"""Exports of a ranking table and a unit's score sheet as XLSX, DOCX and PDF, over plain dicts."""

from __future__ import annotations

import io

from congvu.indices import exports

RANKING = {
    "title": "Xếp hạng Chỉ số CCHC cấp xã 2023", "framework": "PAR INDEX cấp xã", "version": "2023", "period": "2023",
    "level": "commune", "level_label": "xã", "generated": "07/12/2026",
    "groups": [{"code": "1", "name": "Chỉ đạo, điều hành", "max_points": 12},
               {"code": "3", "name": "Thủ tục hành chính", "max_points": 20}],
    "rows": [
        {"rank": 1, "of": 2, "unit": "Xã Ba Điền", "points": 88.5, "max_points": 100, "pct": 88.5, "band": "Tốt",
         "change": 2.25, "groups": {"1": 91.67, "3": 80.0}},
        {"rank": 2, "of": 2, "unit": "=Xã Ba Bích", "points": None, "max_points": 100, "pct": None, "band": None,
         "change": None, "groups": {"1": None, "3": 75.0}},
    ],
}
SHEET = {
    "title": "Bảng điểm", "framework": "PAR INDEX cấp xã", "version": "2023", "unit": "Xã Ba Bích", "period": "2023",
    "points": 81.25, "max_points": 100, "pct": 81.25, "band": "Tốt", "rank": 10, "of": 19,
    "nodes": [{"code": "1", "name": "Chỉ đạo, điều hành", "max_points": 12, "points": 10, "rate": 83.33,
               "status": "published", "children": [
                   {"code": "1.1", "name": "Kế hoạch CCHC năm", "max_points": 2, "points": 1.5, "rate": 75,
                    "self_points": 2, "appraised_points": 1.5, "note": "Ban hành muộn", "status": "published"},
                   {"code": "1.2", "name": "Báo cáo định kỳ", "max_points": 10, "points": None, "rate": None,
                    "status": "no_data"}]}],
}


def test_ranking_xlsx_keeps_numbers_and_no_data():
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(exports.ranking_xlsx(RANKING))).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    header = next(i for i, r in enumerate(rows) if r[0] == "Hạng")
    assert rows[header][7] == "1. Chỉ đạo, điều hành"
    first, second = rows[header + 1], rows[header + 2]
    assert first[:7] == ["1/2", "Xã Ba Điền", 88.5, 100, 88.5, "Tốt", 2.25]
    assert second[1] == "'=Xã Ba Bích"  # formula injection defused
    assert second[2] == exports.NO_DATA and second[4] == exports.NO_DATA  # never 0 %


def test_sheet_xlsx_tree_rows():
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(exports.sheet_xlsx(SHEET))).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert any("thứ hạng: 10/19" in (r[0] or "") for r in rows)
    codes = [r[0] for r in rows]
    i = codes.index("1.1")
    assert rows[i][2:7] == [2, 2, 1.5, 1.5, 75]
    assert rows[codes.index("1.2")][5] == exports.NO_DATA


def test_docx_tables():
    import docx

    doc = docx.Document(io.BytesIO(exports.ranking_docx(RANKING)))
    table = doc.tables[0]
    assert table.rows[1].cells[1].text == "Xã Ba Điền"
    assert table.rows[1].cells[4].text == "88,5 %"
    assert table.rows[2].cells[4].text == exports.NO_DATA
    sheet = docx.Document(io.BytesIO(exports.sheet_docx(SHEET)))
    texts = [row.cells[0].text for row in sheet.tables[0].rows]
    assert texts == ["Mã", "1", "1.1", "1.2"]


def test_pdf_renders():
    data = exports.sheet_pdf(SHEET)
    assert data.startswith(b"%PDF")
    assert exports.ranking_pdf(RANKING).startswith(b"%PDF")
