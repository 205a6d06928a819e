"""Exports of a ranking table and of a unit's score sheet: XLSX (openpyxl), DOCX (python-docx), PDF
(weasyprint over an HTML rendering). Built over plain dicts, so the same code serves the screens,
the API and the CLI:

ranking = {"title", "framework", "version", "period", "level", "generated",
           "groups": [{"code", "name", "max_points"}],
           "rows": [{"rank", "of", "unit", "points", "max_points", "pct", "band", "change",
                     "groups": {code: pct | None}}]}

sheet = {"title", "framework", "version", "unit", "period", "points", "max_points", "pct", "band",
         "rank", "of", "generated",
         "nodes": [{"code", "name", "max_points", "points", "rate", "status", "self_points",
                    "appraised_points", "note", "children": [...]}]}

No data is shown as "Không có số liệu", never 0 %.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Mapping
from html import escape
from typing import Any

NO_DATA = "Không có số liệu"
STATUS_LABELS = {
    "scored": "Đã tính", "no_data": NO_DATA, "live": "Tự động", "self_assessed": "Tự đánh giá",
    "submitted": "Đã nộp", "appraised": "Đã thẩm định", "returned": "Trả lại", "published": "Đã công bố",
    "draft": "Đang tự đánh giá", "pending": "Chưa đánh giá",
}


def _n(value: Any, digits: int = 2) -> str:
    if value is None or value == "":
        return NO_DATA
    if isinstance(value, (int, float)):
        text = f"{float(value):.{digits}f}".rstrip("0").rstrip(".")
        return text.replace(".", ",") or "0"
    return str(value)


def _pct(value: Any) -> str:
    return NO_DATA if value is None else f"{_n(value)} %"


def _change(value: Any) -> str:
    if value is None:
        return "—"
    return ("+" if value > 0 else "") + _n(value)


def walk(nodes: Iterable[Mapping[str, Any]], depth: int = 0) -> Iterator[tuple[Mapping[str, Any], int]]:
    for node in nodes:
        yield node, depth
        yield from walk(node.get("children") or [], depth + 1)


def ranking_columns(ranking: Mapping[str, Any]) -> list[str]:
    cols = ["Hạng", "Đơn vị", "Điểm", "Điểm tối đa", "Tỷ lệ (%)", "Xếp loại", "Thay đổi so với kỳ trước"]
    return cols + [f"{g['code']}. {g['name']}" for g in ranking.get("groups") or []]


def ranking_cells(ranking: Mapping[str, Any], row: Mapping[str, Any], *, raw: bool) -> list[Any]:
    """One table row; `raw` keeps numbers as numbers (XLSX), else formatted text (DOCX, PDF)."""
    rank = f"{row['rank']}/{row['of']}" if row.get("rank") and row.get("of") else (row.get("rank") or "")
    cells: list[Any] = [rank, row.get("unit", "")]
    if raw:
        cells += [row.get("points"), row.get("max_points"), row.get("pct"), row.get("band") or "", row.get("change")]
        cells += [(row.get("groups") or {}).get(g["code"]) for g in ranking.get("groups") or []]
        return [NO_DATA if (c is None and i in (2, 4)) else c for i, c in enumerate(cells)]
    cells += [_n(row.get("points")), _n(row.get("max_points")), _pct(row.get("pct")), row.get("band") or "—",
              _change(row.get("change"))]
    cells += [_pct((row.get("groups") or {}).get(g["code"])) for g in ranking.get("groups") or []]
    return cells


SHEET_COLUMNS = ["Mã", "Tiêu chí", "Điểm tối đa", "Điểm tự đánh giá", "Điểm thẩm định", "Điểm", "Tỷ lệ (%)",
                 "Trạng thái", "Ghi chú"]


def sheet_cells(node: Mapping[str, Any], depth: int, *, raw: bool) -> list[Any]:
    name = ("    " * depth) + str(node.get("name", ""))
    status = STATUS_LABELS.get(str(node.get("status") or ""), str(node.get("status") or ""))
    if raw:
        return [node.get("code", ""), name, node.get("max_points"), node.get("self_points"),
                node.get("appraised_points"), NO_DATA if node.get("points") is None else node.get("points"),
                NO_DATA if node.get("rate") is None else node.get("rate"), status, node.get("note") or ""]
    return [node.get("code", ""), name, _n(node.get("max_points")),
            "" if node.get("self_points") is None else _n(node.get("self_points")),
            "" if node.get("appraised_points") is None else _n(node.get("appraised_points")),
            _n(node.get("points")), _pct(node.get("rate")), status, node.get("note") or ""]


def _heading_lines(data: Mapping[str, Any], *, sheet: bool) -> list[str]:
    lines = [f"{data.get('framework', '')} — phiên bản {data.get('version', '')}", f"Kỳ: {data.get('period', '')}"]
    if sheet:
        rank = f"{data['rank']}/{data['of']}" if data.get("rank") and data.get("of") else "—"
        lines.append(f"Đơn vị: {data.get('unit', '')}")
        lines.append(f"Tổng điểm: {_n(data.get('points'))}/{_n(data.get('max_points'))} ({_pct(data.get('pct'))}); "
                     f"xếp loại: {data.get('band') or '—'}; thứ hạng: {rank}"
                     + (f" trong {data['peers']}" if data.get("peers") and data.get("rank") else ""))
    else:
        lines.append(f"Cấp đơn vị: {data.get('level_label') or data.get('level', '')}")
    if data.get("generated"):
        lines.append(f"Lập ngày {data['generated']}")
    return lines


# -- XLSX ---------------------------------------------------------------------------------------------

def _xlsx(title: str, heading: list[str], columns: list[str], rows: list[list[Any]], widths: list[int]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    for line in heading:
        ws.append([line])
    ws.append([])
    header_row = ws.max_row + 1
    ws.append(columns)
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in rows:
        ws.append([_safe_cell(c) for c in row])
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(row=header_row, column=i).column_letter].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and value not in ("—",):
        return "'" + value
    return value


def ranking_xlsx(ranking: Mapping[str, Any]) -> bytes:
    columns = ranking_columns(ranking)
    rows = [ranking_cells(ranking, r, raw=True) for r in ranking.get("rows") or []]
    widths = [8, 40, 10, 10, 10, 14, 14] + [14] * len(ranking.get("groups") or [])
    return _xlsx(ranking.get("title") or "Xếp hạng", _heading_lines(ranking, sheet=False), columns, rows, widths)


def sheet_xlsx(sheet: Mapping[str, Any]) -> bytes:
    rows = [sheet_cells(n, d, raw=True) for n, d in walk(sheet.get("nodes") or [])]
    return _xlsx(sheet.get("title") or "Bảng điểm", _heading_lines(sheet, sheet=True), SHEET_COLUMNS, rows,
                 [8, 60, 10, 12, 12, 10, 10, 16, 40])


# -- DOCX ---------------------------------------------------------------------------------------------

def _docx(title: str, heading: list[str], columns: list[str], rows: list[list[str]], *, landscape: bool,
          bold_rows: set[int] | None = None) -> bytes:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    document = docx.Document()
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(11)
    document.add_heading(title, level=1)
    for line in heading:
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, columns, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for i, row in enumerate(rows):
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run(str(text))
            if bold_rows and i in bold_rows:
                run.bold = True
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def ranking_docx(ranking: Mapping[str, Any]) -> bytes:
    rows = [ranking_cells(ranking, r, raw=False) for r in ranking.get("rows") or []]
    return _docx(ranking.get("title") or "Xếp hạng", _heading_lines(ranking, sheet=False), ranking_columns(ranking),
                 rows, landscape=True)


def sheet_docx(sheet: Mapping[str, Any]) -> bytes:
    rows, bold = [], set()
    for i, (node, depth) in enumerate(walk(sheet.get("nodes") or [])):
        rows.append([str(c) for c in sheet_cells(node, depth, raw=False)])
        if node.get("children"):
            bold.add(i)
    return _docx(sheet.get("title") or "Bảng điểm", _heading_lines(sheet, sheet=True), SHEET_COLUMNS, rows,
                 landscape=True, bold_rows=bold)


# -- PDF ----------------------------------------------------------------------------------------------

_PDF_CSS = """
@page { size: A4 landscape; margin: 12mm; }
body { font-family: "DejaVu Sans", "Liberation Sans", sans-serif; font-size: 9pt; }
h1 { font-size: 13pt; margin: 0 0 4pt; }
p { margin: 0 0 2pt; }
table { border-collapse: collapse; width: 100%; margin-top: 6pt; }
th, td { border: 0.5pt solid #666; padding: 2pt 3pt; vertical-align: top; }
th { background: #dde6f0; }
tr.group td { font-weight: bold; background: #f3f5f8; }
"""


def _html(title: str, heading: list[str], columns: list[str], rows: list[list[str]], group_rows: set[int]) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    group_attr = ' class="group"'
    body = "".join(
        f"<tr{group_attr if i in group_rows else ''}>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>"
        for i, row in enumerate(rows))
    lines = "".join(f"<p>{escape(line)}</p>" for line in heading)
    return (f"<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><style>{_PDF_CSS}</style></head>"
            f"<body><h1>{escape(title)}</h1>{lines}<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody>"
            f"</table></body></html>")


def _pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def ranking_pdf(ranking: Mapping[str, Any]) -> bytes:
    rows = [[str(c) for c in ranking_cells(ranking, r, raw=False)] for r in ranking.get("rows") or []]
    return _pdf(_html(ranking.get("title") or "Xếp hạng", _heading_lines(ranking, sheet=False),
                      ranking_columns(ranking), rows, set()))


def sheet_pdf(sheet: Mapping[str, Any]) -> bytes:
    rows, groups = [], set()
    for i, (node, depth) in enumerate(walk(sheet.get("nodes") or [])):
        rows.append([str(c) for c in sheet_cells(node, depth, raw=False)])
        if node.get("children"):
            groups.add(i)
    return _pdf(_html(sheet.get("title") or "Bảng điểm", _heading_lines(sheet, sheet=True), SHEET_COLUMNS, rows,
                      groups))


BUILDERS = {
    ("ranking", "xlsx"): ranking_xlsx, ("ranking", "docx"): ranking_docx, ("ranking", "pdf"): ranking_pdf,
    ("sheet", "xlsx"): sheet_xlsx, ("sheet", "docx"): sheet_docx, ("sheet", "pdf"): sheet_pdf,
}
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
