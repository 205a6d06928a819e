"""DOCX versions of the one-stop forms (python-docx), for officers who edit before printing.

Layout as NĐ 30/2020 Phụ lục I: A4, margins 20/20/30/15 mm, Times New Roman 13 pt, Quốc hiệu bold
upper case 12 pt, tiêu ngữ bold 13 pt underlined, issuing body bold upper case with a short rule,
place and date italic. Every text run is NFC; the document language is vi-VN. Pure over the
dataclasses of `documents.data` (no database access).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docx.enum.table import WD_TABLE_ALIGNMENT

from congvu.onestop.documents.fmt import (
    DOTS,
    balanced_lines,
    date_line,
    nfc,
    two_digits,
    upper,
    vn_date,
    vn_datetime,
)
from congvu.reports import docx_nd30 as nd30
from congvu.reports.docx_nd30 import CENTER, JUSTIFY, MOTTO_1, MOTTO_2, RIGHT

if TYPE_CHECKING:
    from congvu.onestop.documents.data import (
        ApologyData,
        BookData,
        ControlData,
        FormData,
        ReceiptData,
        RefusalData,
        StopData,
        SupplementData,
    )

__all__ = ["MOTTO_1", "MOTTO_2"]  # re-exported for the PDF renderer (render.py)

BOOK_COLUMNS = [
    ("STT", 8), ("Mã hồ sơ", 34), ("Tên thủ tục hành chính", 26), ("Số lượng hồ sơ (bộ)", 9),
    ("Tên cá nhân, tổ chức", 18), ("Địa chỉ, số điện thoại", 20), ("Cơ quan chủ trì giải quyết", 20),
    ("Nhận hồ sơ", 16), ("Hẹn trả kết quả", 16), ("Chuyển hồ sơ đến cơ quan giải quyết", 16),
    ("Nhận kết quả từ cơ quan giải quyết", 16), ("Trả kết quả", 16), ("Ký nhận", 11), ("Ghi chú", 18),
]
CONTROL_COLUMNS = [("Tên cơ quan", 51), ("Thời gian giao, nhận hồ sơ", 48),
                   ("Kết quả giải quyết hồ sơ (trước hạn/đúng hạn/quá hạn)", 27), ("Ghi chú", 39)]


# ------------------------------------------------------------------------------------------------
# Low-level helpers: the shared NĐ 30 DOCX layer (congvu.reports.docx_nd30)
# ------------------------------------------------------------------------------------------------

_run, _para, _rule, _no_borders, _widths = nd30.run, nd30.para, nd30.rule, nd30.no_borders, nd30.widths
_new_document, _usable_mm = nd30.new_document, nd30.usable_mm


def _labelled(container, label: str, value: str, size: float = 13, after: float = 3, bold_value: bool = False):
    """'Label: value' (value left blank with dots to fill by hand)."""
    p = _para(container, align=JUSTIFY, after=after)
    _run(p, f"{label}: ", size)
    _run(p, value or DOTS, size, bold=bold_value)
    return p


def _save(doc, data: FormData) -> bytes:
    return nd30.to_bytes(doc, title=f"{data.title} {data.code}".strip(), subject=data.legal_ref)


def _header(doc, data: FormData, *, number: bool = False, landscape: bool = False) -> None:
    """Mẫu số … (top right), then issuer | Quốc hiệu, tiêu ngữ, place and date."""
    total = _usable_mm(landscape)
    _para(doc, data.legal_ref, 11, italic=True, align=RIGHT, after=4)
    left_mm = 73 if not landscape else 100
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, [left_mm, total - left_mm])
    left, right = table.rows[0].cells
    issuer = data.issuer
    first = True
    for text, bold in ((issuer.parent, False), (issuer.name, True)):
        for line in balanced_lines(upper(text)) if text else []:
            _para(left, line, 12, bold=bold, align=CENTER, reuse=first)
            first = False
    _rule(left, 25, left_mm)
    if number:
        _para(left, f"Số: {data.number or '……'}/{'……'}", 13, align=CENTER)
    _para(right, MOTTO_1, 12, bold=True, align=CENTER, reuse=True)
    p = _para(right, align=CENTER, after=6)
    _run(p, MOTTO_2, 13, bold=True, underline=True)
    _para(right, date_line(issuer.place, data.issued_on), 13, italic=True, align=CENTER)


def _title(doc, data: FormData, subtitle: str = "") -> None:
    _para(doc, upper(data.title), 14, bold=True, align=CENTER, before=12, after=2 if subtitle else 8)
    if subtitle:
        _para(doc, subtitle, 13, bold=True, align=CENTER, after=8)


def _table(doc, columns: list[tuple[str, float]], rows: list[list[str]], size: float = 12,
           header_size: float | None = None, center_cols: tuple[int, ...] = (0,)) -> None:
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, (title, _) in zip(table.rows[0].cells, columns, strict=True):
        _para(cell, title, header_size or size, bold=True, align=CENTER, reuse=True)
    for values in rows:
        cells = table.add_row().cells
        for i, (cell, value) in enumerate(zip(cells, values, strict=True)):
            lines = (value or "").split("\n")
            for j, line in enumerate(lines):
                _para(cell, line, size, align=CENTER if i in center_cols else None, reuse=j == 0)
    _widths(table, [w for _, w in columns])
    nd30.repeat_header(table)


def _signatures(doc, blocks: list[tuple[str, str, str]], recipients: list[str] | None = None) -> None:
    """Signature blocks side by side: (TITLE, note, name). With `recipients`, a Nơi nhận block on the left."""
    _para(doc, after=6)
    cols = len(blocks) + (1 if recipients is not None else 0)
    table = doc.add_table(rows=1, cols=cols)
    _no_borders(table)
    total = _usable_mm(False)
    _widths(table, [total / cols] * cols)
    cells = list(table.rows[0].cells)
    if recipients is not None:
        recv = cells.pop(0)
        _para(recv, "Nơi nhận:", 12, bold=True, italic=True, reuse=True)
        for i, name in enumerate(recipients):
            end = "." if i == len(recipients) - 1 else ";"
            _para(recv, f"- {name.rstrip(';.')}{end}", 11)
    for cell, (title, note, name) in zip(cells, blocks, strict=True):
        _para(cell, upper(title), 13, bold=True, align=CENTER, reuse=True)
        if note:
            _para(cell, note, 13, italic=True, align=CENTER)
        for _ in range(4):
            _para(cell, "", 13)
        _para(cell, name or "", 13, bold=True, align=CENTER)


def _applicant_lines(doc, data: FormData, label: str = "Tiếp nhận hồ sơ của") -> None:
    a = data.applicant
    _labelled(doc, label, a.name if a else "", bold_value=True)
    if a and a.id_number:
        _labelled(doc, "Số định danh cá nhân", a.id_number)
    _labelled(doc, "Địa chỉ", a.address if a else "")
    p = _labelled(doc, "Số điện thoại", a.phone if a else "")
    _run(p, "        Email: ")
    _run(p, (a.email if a else "") or DOTS)
    _labelled(doc, "Nội dung yêu cầu giải quyết", data.procedure)


def _code_line(doc, data: FormData) -> None:
    p = _para(doc, align=CENTER, after=8)
    _run(p, "Mã hồ sơ: ")
    _run(p, data.code or DOTS, bold=True)


def _dear(doc, data: FormData) -> None:
    p = _para(doc, align=CENTER, after=6)
    _run(p, "Kính gửi: ")
    _run(p, f"Ông/Bà {data.applicant.name if data.applicant else DOTS}.", bold=True)


# ------------------------------------------------------------------------------------------------
# Forms
# ------------------------------------------------------------------------------------------------


def receipt_docx(data: ReceiptData) -> bytes:
    doc = _new_document()
    _header(doc, data)
    _title(doc, data)
    _code_line(doc, data)
    _para(doc, f"{data.issuer.name}", after=3, align=JUSTIFY)
    _applicant_lines(doc, data)
    _para(doc, "1. Thành phần hồ sơ nộp gồm:", after=3)
    rows = [[str(i), c.name, c.form, two_digits(c.quantity)] for i, c in enumerate(data.components, start=1)]
    _table(doc, [("STT", 12), ("Tên giấy tờ", 93), ("Hình thức (bản chính, bản sao hoặc bản chụp)", 40),
                 ("Số lượng", 20)], rows or [["", "", "", ""]], center_cols=(0, 2, 3))
    _para(doc, after=3)
    _labelled(doc, "2. Số lượng hồ sơ", f"{two_digits(data.sets)} (bộ)")
    _labelled(doc, "3. Thời gian giải quyết hồ sơ theo quy định là", data.processing_time)
    _labelled(doc, "4. Thời gian nhận hồ sơ", vn_datetime(data.received_at))
    _labelled(doc, "5. Thời gian trả kết quả giải quyết hồ sơ", vn_datetime(data.due_at), bold_value=True)
    _labelled(doc, "6. Đăng ký nhận kết quả tại", data.result_place)
    _para(doc, f"Vào Sổ theo dõi hồ sơ, Quyển số: {data.book_volume or DOTS}, Số thứ tự: {data.book_entry or DOTS}.",
          italic=True, after=3)
    if data.lookup_note:
        _para(doc, data.lookup_note, italic=True, after=3)
    _signatures(doc, [("Người nộp hồ sơ", "(Ký và ghi rõ họ tên)", data.applicant.name if data.applicant else ""),
                      (data.signer_title, data.signer_note, data.signer_name)])
    return _save(doc, data)


def supplement_docx(data: SupplementData) -> bytes:
    doc = _new_document()
    _header(doc, data)
    _title(doc, data)
    _code_line(doc, data)
    _applicant_lines(doc, data, "Hồ sơ của")
    _labelled(doc, "Thời gian nhận hồ sơ", vn_datetime(data.received_at))
    _labelled(doc, "Thời gian hẹn trả kết quả ghi trên Giấy tiếp nhận", vn_datetime(data.due_at))
    _para(doc, "Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:", after=3, before=3)
    for i, item in enumerate(data.items or [DOTS], start=1):
        _para(doc, f"{i}. {item}", after=2, align=JUSTIFY, indent=True)
    _labelled(doc, "Lý do", data.reason, after=3)
    _para(doc, "Thời gian bổ sung, hoàn thiện hồ sơ không tính vào thời hạn giải quyết hồ sơ.", after=3,
          align=JUSTIFY, indent=True)
    _para(doc, f"Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, ông/bà liên hệ với "
               f"{data.contact_name or DOTS}, số điện thoại {data.contact_phone or DOTS} để được hướng dẫn./.",
          after=3, align=JUSTIFY, indent=True)
    _signatures(doc, [(data.signer_title, data.signer_note, data.signer_name)])
    return _save(doc, data)


def refusal_docx(data: RefusalData) -> bytes:
    doc = _new_document()
    _header(doc, data)
    _title(doc, data)
    _code_line(doc, data)
    _para(doc, f"{data.issuer.name}", after=3, align=JUSTIFY)
    _applicant_lines(doc, data)
    _labelled(doc, "Thời gian nhận hồ sơ", vn_datetime(data.received_at))
    _para(doc, f"Căn cứ quy định tại {data.legal_basis or DOTS}, {data.issuer.name} từ chối tiếp nhận, giải quyết "
               "hồ sơ này vì lý do sau:", after=3, before=3, align=JUSTIFY, indent=True)
    _para(doc, data.reason or DOTS, after=3, align=JUSTIFY, indent=True)
    _para(doc, "Xin trân trọng thông báo!", after=3, indent=True)
    _signatures(doc, [(data.signer_title, data.signer_note, data.signer_name)])
    return _save(doc, data)


def procedure_phrase(name: str) -> str:
    """'Thủ tục đăng ký khai sinh' after the words 'thủ tục' → 'đăng ký khai sinh'."""
    name = nfc(name).strip()
    return name[8:] if name.lower().startswith("thủ tục ") else name or DOTS


def apology_body(data: ApologyData) -> list[str]:
    """The paragraphs of Mẫu 04 (shared with the PDF template through the context)."""
    who = data.issuer.name
    name = data.applicant.name if data.applicant else DOTS
    paras = [
        f"{who} tiếp nhận hồ sơ của Ông/Bà {name} đề nghị giải quyết thủ tục {procedure_phrase(data.procedure)}, "
        f"mã hồ sơ {data.code}, tiếp nhận lúc {vn_datetime(data.received_at)}.",
        f"Thời gian hẹn trả kết quả giải quyết hồ sơ: {vn_datetime(data.previous_due_at)}.",
        f"Tuy nhiên đến nay, {who} chưa trả kết quả giải quyết hồ sơ cho Ông/Bà đúng thời hạn ghi trên Giấy tiếp "
        f"nhận hồ sơ và hẹn trả kết quả, lý do: {(data.reason or DOTS).rstrip('.')}.",
        "Sự chậm trễ này đã gây phiền hà, tốn kém chi phí, công sức của Ông/Bà.",
    ]
    if data.options.get("extension"):
        paras.append(f"{who} xin lỗi Ông/Bà và đề nghị gia hạn thời gian giải quyết hồ sơ đến "
                     f"{vn_datetime(data.new_due_at)}.")
    else:
        paras.append(f"{who} xin lỗi Ông/Bà và sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà vào "
                     f"{vn_datetime(data.new_due_at)}.")
    paras.append("Xin trân trọng cảm ơn./.")
    return paras


def stop_body(data: StopData) -> list[str]:
    who = data.issuer.name
    name = data.applicant.name if data.applicant else DOTS
    return [
        f"{who} thông báo dừng giải quyết hồ sơ mã số {data.code} của Ông/Bà {name}, đề nghị giải quyết thủ tục "
        f"{procedure_phrase(data.procedure)}, tiếp nhận lúc {vn_datetime(data.received_at)}, hẹn trả kết quả lúc "
        f"{vn_datetime(data.due_at)}.",
        f"Lý do dừng giải quyết hồ sơ: {(data.reason or DOTS).rstrip('.')}.",
        f"Thời điểm dừng giải quyết hồ sơ: {vn_datetime(data.stopped_at)}.",
        f"{who} trân trọng thông báo./.",
    ]


def letter_recipients(data: FormData) -> list[str]:
    return ["Như trên", "Bộ phận Một cửa nơi tiếp nhận hồ sơ", "Lưu: VT"]


def _letter(data: FormData, paragraphs: list[str]) -> bytes:
    doc = _new_document()
    _header(doc, data, number=True)
    _title(doc, data)
    _dear(doc, data)
    for text in paragraphs:
        _para(doc, text, after=4, align=JUSTIFY, indent=True)
    _signatures(doc, [(data.signer_title, data.signer_note, data.signer_name)], recipients=letter_recipients(data))
    return _save(doc, data)


def apology_docx(data: ApologyData) -> bytes:
    return _letter(data, apology_body(data))


def stop_docx(data: StopData) -> bytes:
    return _letter(data, stop_body(data))


def control_docx(data: ControlData) -> bytes:
    doc = _new_document()
    _header(doc, data)
    _title(doc, data)
    _code_line(doc, data)
    _para(doc, f"(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả của: {data.applicant.name if data.applicant else DOTS})",
          italic=True, align=CENTER, after=6)
    _labelled(doc, "Nội dung yêu cầu giải quyết", data.procedure)
    _labelled(doc, "Thời gian nhận hồ sơ", vn_datetime(data.received_at))
    _labelled(doc, "Thời gian hẹn trả kết quả", vn_datetime(data.due_at))
    _labelled(doc, "Cơ quan (bộ phận) giải quyết hồ sơ", data.lead_agency)
    _labelled(doc, "Cơ quan phối hợp giải quyết hồ sơ", ", ".join(data.coordinating), after=6)
    rows = []
    for h in data.handovers:
        rows.append([
            f"1. Giao: {h.giver}\n2. Nhận: {h.receiver}",
            f"{vn_datetime(h.at)}\nNgười giao: {h.giver_person or DOTS}\nNgười nhận: {h.receiver_person or DOTS}",
            h.result, h.note,
        ])
    _table(doc, CONTROL_COLUMNS, rows or [["", "", "", ""]], size=12, center_cols=(2,))
    return _save(doc, data)


def book_period(data: BookData) -> str:
    return f"Từ {vn_date(data.date_from)} đến {vn_date(data.date_to)}"


def book_docx(data: BookData) -> bytes:
    doc = _new_document(landscape=True)
    _header(doc, data, landscape=True)
    _title(doc, data, book_period(data))
    rows = [[str(r.ordinal), r.code, r.procedure, two_digits(r.sets), r.applicant, r.contact, r.lead_agency,
             vn_datetime(r.received_at), vn_datetime(r.due_at),
             vn_datetime(r.transferred_at) if r.transferred_at else "",
             vn_datetime(r.result_received_at) if r.result_received_at else "",
             vn_datetime(r.returned_at) if r.returned_at else "", "", r.note] for r in data.rows]
    _table(doc, BOOK_COLUMNS, rows or [[""] * len(BOOK_COLUMNS)], size=9, header_size=9, center_cols=(0, 3))
    if not data.rows:
        _para(doc, "Không có hồ sơ nào được tiếp nhận trong kỳ.", italic=True, before=6)
    return _save(doc, data)
