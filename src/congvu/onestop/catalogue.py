"""Import of the procedures catalogue (danh mục TTHC) from XLSX or CSV.

XLSX: sheet "Thủ tục" (one row per procedure), sheet "Thành phần" (components) and sheet "Quy trình"
(internal-process steps with their share of the time). Sheets are found by name (accent- and
case-insensitive); without a sheet named "Thủ tục" the first sheet is the procedures. CSV holds the
procedures sheet only (components and steps are then left as they are).

Conventions of `congvu.org.importers`: every row of every sheet is validated first; each problem is
reported as (line, "[sheet] reason"); a file with any problem imports nothing unless
`skip_errors=True`, in which case every procedure without a problem (in any of its rows) is imported.
Upsert by procedure code: a new code creates the procedure (`procedure_create`), a known one is
updated (`procedure_update`: fields, and components / steps replaced when the file has rows for it).
One audit entry per procedure, and one for the batch.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from congvu.audit.services import audit_record
from congvu.common.errors import DomainError
from congvu.common.tables import (
    ImportFileError,
    ImportResult,
    csv_rows,
    decode_csv,
    header_key,
    parse_bool,
    parse_date,
    read_bytes,
    table_records,
    xlsx_check,
)
from congvu.common.text import clean, search_key
from congvu.onestop import services as s
from congvu.onestop.models import Field, OnlineLevel, Procedure, ProcedureLevel, TimeUnit, UnitProfile
from congvu.org.models import Unit
from congvu.org.roles import ROLE_LABELS, Role

__all__ = ["COMPONENT_COLUMNS", "PROCEDURE_COLUMNS", "STEP_COLUMNS", "ProceduresImportResult", "procedures_import"]

SHEET_PROCEDURES, SHEET_COMPONENTS, SHEET_STEPS = "Thủ tục", "Thành phần", "Quy trình"

PROCEDURE_COLUMNS = {
    "Mã thủ tục": "code", "MaTTHC": "code", "Mã TTHC": "code",
    "Tên thủ tục": "name", "TenTTHC": "name", "Tên TTHC": "name",
    "Mã lĩnh vực": "field_code", "MaLinhVuc": "field_code",
    "Lĩnh vực": "field_name", "Tên lĩnh vực": "field_name", "TenLinhVuc": "field_name",
    "Cấp thực hiện": "level", "Cấp": "level",
    "Mã cơ quan giải quyết": "unit", "Cơ quan giải quyết": "unit", "Mã đơn vị": "unit",
    "Thời hạn giải quyết": "processing_time", "Thời hạn": "processing_time",
    "Đơn vị tính": "time_unit", "DonViTinh": "time_unit", "Đơn vị thời gian": "time_unit",
    "Mức độ DVCTT": "online_level", "Mức độ dịch vụ công trực tuyến": "online_level", "DVCTT": "online_level",
    "Phí, lệ phí": "fee", "Phí lệ phí": "fee", "Lệ phí": "fee", "Phí": "fee",
    "Ghi chú phí": "fee_note",
    "Căn cứ pháp lý": "legal_basis",
    "Hiệu lực từ": "effective_from", "Ngày hiệu lực": "effective_from",
    "Hiệu lực đến": "effective_to", "Hết hiệu lực": "effective_to",
    "Có kết quả bằng văn bản": "requires_written_result",
    "Dành cho công dân": "citizen_facing",
}
PROCEDURE_REQUIRED = ("code", "name", "level", "processing_time", "time_unit")
COMPONENT_COLUMNS = {
    "Mã thủ tục": "code", "MaTTHC": "code", "Mã TTHC": "code",
    "Tên thành phần": "name", "Thành phần hồ sơ": "name", "Thành phần": "name",
    "Bản chính/bản sao": "kind", "Bản chính/sao": "kind", "Loại bản": "kind",
    "Số lượng": "count", "Số bản": "count",
    "Phải số hóa": "must_digitize",
}
COMPONENT_REQUIRED = ("code", "name", "kind")
STEP_COLUMNS = {
    "Mã thủ tục": "code", "MaTTHC": "code", "Mã TTHC": "code",
    "Bước": "order", "Thứ tự": "order", "STT": "order",
    "Tên bước": "name", "Nội dung": "name",
    "Đơn vị hoặc vai trò thực hiện": "responsible", "Đơn vị/vai trò thực hiện": "responsible",
    "Đơn vị thực hiện": "responsible", "Vai trò": "responsible",
    "Tỷ lệ thời gian (%)": "share", "Tỷ lệ thời gian": "share", "Tỷ lệ (%)": "share", "Tỷ lệ": "share",
}
STEP_REQUIRED = ("code", "order", "name", "share")

_LEVEL_WORDS = {"cap bo": ProcedureLevel.MINISTRY, "bo": ProcedureLevel.MINISTRY, "trung uong": ProcedureLevel.MINISTRY,
                "cap tinh": ProcedureLevel.PROVINCE, "tinh": ProcedureLevel.PROVINCE,
                "cap huyen": ProcedureLevel.DISTRICT, "huyen": ProcedureLevel.DISTRICT,
                "cap xa": ProcedureLevel.COMMUNE, "xa": ProcedureLevel.COMMUNE}
_UNIT_WORDS = {"ngay lam viec": TimeUnit.WORKING_DAYS, "working days": TimeUnit.WORKING_DAYS,
               "ngay": TimeUnit.DAYS, "days": TimeUnit.DAYS, "ngay lich": TimeUnit.DAYS,
               "gio": TimeUnit.HOURS, "gio lam viec": TimeUnit.HOURS, "hours": TimeUnit.HOURS,
               "thang": TimeUnit.MONTHS, "months": TimeUnit.MONTHS}
_ONLINE_WORDS = {"toan trinh": OnlineLevel.FULL, "dvctt toan trinh": OnlineLevel.FULL, "muc do 4": OnlineLevel.FULL,
                 "full": OnlineLevel.FULL,
                 "mot phan": OnlineLevel.PARTIAL, "dvctt mot phan": OnlineLevel.PARTIAL, "muc do 3": OnlineLevel.PARTIAL,
                 "partial": OnlineLevel.PARTIAL,
                 "": OnlineLevel.NONE, "khong": OnlineLevel.NONE, "none": OnlineLevel.NONE,
                 "khong cung cap truc tuyen": OnlineLevel.NONE, "muc do 2": OnlineLevel.NONE}
_KIND_WORDS = {"ban chinh": "originals", "chinh": "originals", "original": "originals",
               "ban sao": "copies", "sao": "copies", "copy": "copies", "ban sao chung thuc": "copies"}
_FREE_FEE = {"", "khong", "mien", "mien phi", "khong thu", "khong co"}


@dataclass
class ProceduresImportResult(ImportResult):
    """`ImportResult` plus each problem with its sheet: (sheet, line, reason), and the codes written."""

    sheet_errors: list[tuple[str, int, str]] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------------
# Reading


Table = tuple[list[str], list[tuple[int, list[Any]]]]


def _xlsx_sheets(data: bytes) -> dict[str, Table]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file
        raise ImportFileError("import.xlsx", f"Không đọc được tệp Excel: {exc}.",
                              message_en=f"Cannot read the XLSX file: {exc}.") from None
    out: dict[str, Table] = {}
    for sheet in book.worksheets:
        header: list[str] | None = None
        rows: list[tuple[int, list[Any]]] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if header is None:
                if not any(v not in (None, "") for v in values):
                    continue
                header = ["" if v is None else str(v) for v in values]
                continue
            rows.append((number, list(values)))
        out[sheet.title] = (header or [], rows)
    book.close()
    return out


def _records(table: Table, *, columns: dict[str, str], required: tuple[str, ...], sheet: str) -> list[tuple[int, dict]]:
    header, raw = table
    accepted = {header_key(k): v for k, v in columns.items()}
    index: dict[str, int] = {}
    for i, title in enumerate(header):
        column = accepted.get(header_key(str(title)))
        if column and column not in index:
            index[column] = i
    missing = [c for c in required if c not in index]
    if missing:
        names = {v: k for k, v in reversed(list(columns.items()))}
        labels = ", ".join(names[c] for c in missing)
        raise ImportFileError("import.columns", f"Sheet “{sheet}” thiếu cột: {labels} (dòng tiêu đề là dòng 1).",
                              message_en=f"Sheet {sheet}: missing columns {labels}.", details={"missing": missing})
    return table_records(raw, index)


def _find_sheet(sheets: dict[str, Table], name: str) -> str | None:
    key = search_key(name)
    return next((title for title in sheets if search_key(title) == key), None)


# --------------------------------------------------------------------------------------------------
# Values


def _text(value: Any) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean(str(value))


def _word(value: Any, words: dict[str, str], choices: type) -> str | None:
    text = _text(value)
    if text in choices.values:
        return text
    key = search_key(text)
    for member in choices:
        if key == search_key(str(member.label)):
            return member.value
    return words.get(key)


def _number(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    text = _text(value).replace(" ", "")
    if re.fullmatch(r"\d+,\d+", text):
        text = text.replace(",", ".")
    return Decimal(text)


def _fee(value: Any) -> Decimal:
    """50000, 50.000, 50,000, "50.000 đồng"; empty / miễn / không → 0."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return Decimal(str(value))
    text = _text(value)
    if search_key(text) in _FREE_FEE:
        return Decimal(0)
    digits = re.sub(r"\s*(đ|đồng|vnđ|vnd)\.?$", "", text, flags=re.IGNORECASE).replace(" ", "")
    if not re.fullmatch(r"\d{1,3}([.,]\d{3})*|\d+", digits):
        raise ValueError
    return Decimal(re.sub(r"[.,]", "", digits))


def _role(text: str) -> str | None:
    key = search_key(text)
    for role in Role:
        if key in (search_key(role.value), search_key(ROLE_LABELS[role])):
            return role.value
    return None


class _Units:
    def __init__(self) -> None:
        self.cache: dict[str, Unit | None] = {}

    def get(self, text: str) -> Unit | None:
        if text not in self.cache:
            unit = Unit.objects.filter(code=text).first()
            if unit is None:
                profile = UnitProfile.objects.filter(identifier_code=text).select_related("unit").first()
                unit = profile.unit if profile else None
            self.cache[text] = unit
        return self.cache[text]


# --------------------------------------------------------------------------------------------------
# Validation


class _Problems:
    def __init__(self) -> None:
        self.items: list[tuple[str, int, str]] = []
        self.codes: set[str] = set()  # procedures with a problem in any of their rows

    def add(self, sheet: str, line: int, reason: str, code: str = "") -> None:
        self.items.append((sheet, line, reason))
        if code:
            self.codes.add(code)


def _procedure_row(line: int, rec: dict, *, units: _Units, fields: dict[str, Field], actor: Any,
                   problems: _Problems) -> dict[str, Any] | None:
    sheet = SHEET_PROCEDURES
    code = _text(rec.get("code"))
    bad: list[str] = []
    item: dict[str, Any] = {"code": code}
    if not code:
        bad.append("thiếu mã thủ tục")
    elif len(code) > 40:
        bad.append(f"mã thủ tục dài quá 40 ký tự: {code}")
    name = _text(rec.get("name"))
    if not name:
        bad.append("thiếu tên thủ tục")
    elif len(name) > 500:
        bad.append("tên thủ tục dài quá 500 ký tự")
    item["name"] = name

    field_code, field_name = _text(rec.get("field_code")), _text(rec.get("field_name"))
    item["field"], item["new_field"] = None, None
    if field_code:
        existing = fields.get(field_code)
        if existing is not None:
            item["field"] = existing
        elif field_name:
            item["new_field"] = (field_code, field_name)
        else:
            bad.append(f"mã lĩnh vực {field_code} chưa có trong danh mục; ghi thêm tên lĩnh vực để tạo mới")
    elif field_name:
        matches = [f for f in fields.values() if search_key(f.name) == search_key(field_name)]
        if len(matches) == 1:
            item["field"] = matches[0]
        else:
            bad.append(f"lĩnh vực “{field_name}” chưa có trong danh mục (hoặc trùng tên); ghi mã lĩnh vực")
    else:
        bad.append("thiếu lĩnh vực (mã lĩnh vực hoặc tên lĩnh vực)")

    level = _word(rec.get("level"), _LEVEL_WORDS, ProcedureLevel)
    if level is None:
        bad.append(f"cấp thực hiện không hợp lệ: “{_text(rec.get('level'))}” (cấp bộ, cấp tỉnh, cấp huyện, cấp xã)")
    item["level"] = level

    unit_text = _text(rec.get("unit"))
    item["competent_unit"] = None
    if unit_text:
        unit = units.get(unit_text)
        if unit is None:
            bad.append(f"không tìm thấy cơ quan giải quyết có mã “{unit_text}”")
        item["competent_unit"] = unit
    if actor is not None and (unit_text == "" or item["competent_unit"] is not None):
        from congvu.org import policy
        from congvu.org.roles import Action

        if not policy.decide(actor, Action.DOSSIER_PROCESS, item["competent_unit"]):
            bad.append("không có quyền quản lý thủ tục của cơ quan giải quyết này")

    try:
        amount = _number(rec.get("processing_time"))
        if amount < 0 or amount >= 100000:
            raise ValueError
        item["processing_time"] = amount
    except (ValueError, InvalidOperation):
        bad.append(f"thời hạn giải quyết không hợp lệ: “{_text(rec.get('processing_time'))}” (một số không âm)")
    time_unit = _word(rec.get("time_unit"), _UNIT_WORDS, TimeUnit)
    if time_unit is None:
        bad.append(f"đơn vị tính thời hạn không hợp lệ: “{_text(rec.get('time_unit'))}” "
                   "(ngày làm việc, ngày, giờ hoặc tháng)")
    item["time_unit"] = time_unit
    online = _word(rec.get("online_level"), _ONLINE_WORDS, OnlineLevel)
    if online is None:
        bad.append(f"mức độ DVCTT không hợp lệ: “{_text(rec.get('online_level'))}” (toàn trình, một phần, không)")
    item["online_level"] = online
    try:
        item["fee_amount"] = _fee(rec.get("fee"))
    except (ValueError, InvalidOperation):
        bad.append(f"phí, lệ phí không hợp lệ: “{_text(rec.get('fee'))}” (số tiền bằng đồng, ví dụ 50.000; "
                   "hoặc để trống / “Miễn”)")
    item["fee_note"] = _text(rec.get("fee_note"))[:500]
    item["legal_basis"] = _text(rec.get("legal_basis"))
    for column, label in (("effective_from", "hiệu lực từ"), ("effective_to", "hiệu lực đến")):
        try:
            item[column] = parse_date(rec.get(column))
        except ValueError as exc:
            item[column] = None
            bad.append(f"{label}: {exc}")
    if item["effective_from"] and item["effective_to"] and item["effective_to"] < item["effective_from"]:
        bad.append(f"ngày hết hiệu lực {item['effective_to']:%d/%m/%Y} trước ngày có hiệu lực "
                   f"{item['effective_from']:%d/%m/%Y}")
    for column, label in (("requires_written_result", "có kết quả bằng văn bản"), ("citizen_facing", "dành cho công dân")):
        if rec.get(column) not in (None, ""):
            try:
                item[column] = parse_bool(rec.get(column))
            except ValueError as exc:
                bad.append(f"{label}: {exc}")
    for reason in bad:
        problems.add(sheet, line, reason, code)
    return None if bad else item


def _component_rows(rows, codes: set[str], problems: _Problems) -> dict[str, list[dict]]:
    out: dict[str, dict[str, dict]] = defaultdict(dict)  # code → name key → component
    for line, rec in rows:
        code, name = _text(rec.get("code")), _text(rec.get("name"))
        bad = []
        if not code:
            bad.append("thiếu mã thủ tục")
        elif code not in codes:
            bad.append(f"mã thủ tục {code} không có trong sheet “{SHEET_PROCEDURES}”")
        if not name:
            bad.append("thiếu tên thành phần")
        elif len(name) > 500:
            bad.append("tên thành phần dài quá 500 ký tự")
        kind = _KIND_WORDS.get(search_key(_text(rec.get("kind"))))
        if kind is None:
            bad.append(f"bản chính/bản sao không hợp lệ: “{_text(rec.get('kind'))}” (bản chính hoặc bản sao)")
        count = 1
        if rec.get("count") not in (None, ""):
            try:
                number = _number(rec.get("count"))
                if number != number.to_integral_value() or not 0 <= number <= 100:
                    raise ValueError
                count = int(number)
            except (ValueError, InvalidOperation):
                bad.append(f"số lượng không hợp lệ: “{_text(rec.get('count'))}” (số nguyên từ 0 đến 100)")
        must = False
        if rec.get("must_digitize") not in (None, ""):
            try:
                must = parse_bool(rec.get("must_digitize"))
            except ValueError as exc:
                bad.append(f"phải số hóa: {exc}")
        for reason in bad:
            problems.add(SHEET_COMPONENTS, line, reason, code if code in codes else "")
        if bad:
            continue
        # The same component on two rows (bản chính and bản sao) is one component.
        comp = out[code].setdefault(search_key(name), {"name": name, "originals": 0, "copies": 0, "must_digitize": False})
        comp[kind] += count
        comp["must_digitize"] = comp["must_digitize"] or must
    return {code: list(comps.values()) for code, comps in out.items()}


def _step_rows(rows, codes: set[str], units: _Units, problems: _Problems) -> dict[str, list[dict]]:
    by_code: dict[str, list[tuple[int, int, dict]]] = defaultdict(list)
    raw_share: dict[str, list[tuple[Any, Decimal]]] = defaultdict(list)
    for line, rec in rows:
        code, name = _text(rec.get("code")), _text(rec.get("name"))
        bad = []
        if not code:
            bad.append("thiếu mã thủ tục")
        elif code not in codes:
            bad.append(f"mã thủ tục {code} không có trong sheet “{SHEET_PROCEDURES}”")
        order = None
        try:
            number = _number(rec.get("order"))
            if number != number.to_integral_value() or not 1 <= number <= 99:
                raise ValueError
            order = int(number)
        except (ValueError, InvalidOperation):
            bad.append(f"thứ tự bước không hợp lệ: “{_text(rec.get('order'))}” (số nguyên từ 1)")
        if not name:
            bad.append("thiếu tên bước")
        elif len(name) > 255:
            bad.append("tên bước dài quá 255 ký tự")
        share = None
        raw = rec.get("share")
        try:
            share = _number(_text(raw).rstrip("%").strip() if isinstance(raw, str) else raw)
            if not 0 <= share <= 100:
                raise ValueError
        except (ValueError, InvalidOperation):
            bad.append(f"tỷ lệ thời gian không hợp lệ: “{_text(raw)}” (phần trăm, ví dụ 40 hoặc 40%)")
        responsible = _text(rec.get("responsible"))
        step: dict[str, Any] = {"name": name}
        if responsible:
            role = _role(responsible)
            unit = None if role else units.get(responsible)
            if role:
                step["role"] = role
            elif unit is not None:
                step["unit"] = unit
            else:
                bad.append(f"không tìm thấy đơn vị có mã hoặc vai trò “{responsible}”")
        for reason in bad:
            problems.add(SHEET_STEPS, line, reason, code if code in codes else "")
        if bad:
            if code in codes:
                by_code[code].append((line, -1, {}))  # keeps the procedure out of the sum check
            continue
        by_code[code].append((line, order, step))
        raw_share[code].append((raw, share))
    out: dict[str, list[dict]] = {}
    for code, items in by_code.items():
        if any(order == -1 for _line, order, _step in items):
            continue
        first_line = min(line for line, _o, _s in items)
        orders = [order for _l, order, _s in items]
        dupes = sorted({o for o in orders if orders.count(o) > 1})
        if dupes:
            problems.add(SHEET_STEPS, first_line, f"thủ tục {code}: trùng thứ tự bước {', '.join(map(str, dupes))}", code)
            continue
        shares = [share for _raw, share in raw_share[code]]
        total = sum(shares)
        # A cell formatted as a percentage in Excel reads back as a fraction (40 % → 0.4).
        if total != 100 and abs(total - 1) <= Decimal("0.0001") and all(
                not isinstance(raw, str) for raw, _s in raw_share[code]):
            shares = [share * 100 for share in shares]
            total = sum(shares)
        if abs(total - 100) > Decimal("0.01"):
            problems.add(SHEET_STEPS, first_line,
                         f"thủ tục {code}: tổng tỷ lệ thời gian các bước là {total.normalize():f}%, phải bằng 100%",
                         code)
            continue
        ordered = sorted(zip(items, shares, strict=True), key=lambda pair: pair[0][1])
        out[code] = [{**step, "share": (share / 100).quantize(Decimal("0.0001"))} for (_l, _o, step), share in ordered]
        # Rounding to 4 decimals must not push the sum over 1: the last step takes the rest.
        if out[code]:
            out[code][-1]["share"] = Decimal(1) - sum(x["share"] for x in out[code][:-1])
    return out


# --------------------------------------------------------------------------------------------------
# Entry point


def procedures_import(file: Any, *, actor: Any = None, skip_errors: bool = False) -> ProceduresImportResult:
    """Import the procedures catalogue (see the module doc and docs/onestop.md for the layout)."""
    data, name = read_bytes(file)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError("import.xls", "Định dạng Excel cũ (.xls) không được hỗ trợ; hãy lưu lại dạng .xlsx hoặc "
                              "CSV UTF-8.", message_en="Old .xls files are not supported; save as .xlsx or CSV UTF-8.")
    component_rows: list = []
    step_rows: list = []
    if data.startswith(b"PK\x03\x04"):
        xlsx_check(data, name)
        sheets = _xlsx_sheets(data)
        proc_sheet = _find_sheet(sheets, SHEET_PROCEDURES) or next(iter(sheets), None)
        if proc_sheet is None or not sheets[proc_sheet][0]:
            raise ImportFileError("import.empty", f"Tệp không có sheet “{SHEET_PROCEDURES}” hoặc sheet trống.",
                                  message_en="No procedures sheet.")
        proc_rows = _records(sheets[proc_sheet], columns=PROCEDURE_COLUMNS, required=PROCEDURE_REQUIRED,
                             sheet=SHEET_PROCEDURES)
        comp_sheet, step_sheet = _find_sheet(sheets, SHEET_COMPONENTS), _find_sheet(sheets, SHEET_STEPS)
        if comp_sheet and sheets[comp_sheet][0]:
            component_rows = _records(sheets[comp_sheet], columns=COMPONENT_COLUMNS, required=COMPONENT_REQUIRED,
                                      sheet=SHEET_COMPONENTS)
        if step_sheet and sheets[step_sheet][0]:
            step_rows = _records(sheets[step_sheet], columns=STEP_COLUMNS, required=STEP_REQUIRED, sheet=SHEET_STEPS)
    elif name.lower().endswith((".xlsx", ".xlsm")):
        raise ImportFileError("import.xlsx", "Tệp có đuôi .xlsx nhưng không phải tệp Excel hợp lệ.",
                              message_en="The .xlsx file is not a valid workbook.")
    else:
        header, raw = csv_rows(decode_csv(data))
        if not header:
            raise ImportFileError("import.empty", "Tệp nhập trống (không có dòng tiêu đề).",
                                  message_en="The file is empty.")
        proc_rows = _records((header, raw), columns=PROCEDURE_COLUMNS, required=PROCEDURE_REQUIRED,
                             sheet=SHEET_PROCEDURES)

    problems = _Problems()
    units = _Units()
    fields = {f.code: f for f in Field.objects.all()}
    items: dict[str, dict] = {}
    seen: dict[str, int] = {}
    for line, rec in proc_rows:
        code = _text(rec.get("code"))
        if code and code in seen:
            problems.add(SHEET_PROCEDURES, line, f"trùng mã thủ tục {code} (đã có ở dòng {seen[code]})", code)
            continue
        if code:
            seen[code] = line
        item = _procedure_row(line, rec, units=units, fields=fields, actor=actor, problems=problems)
        if item is not None:
            item["line"] = line
            items[code] = item
    new_fields = {}
    for item in items.values():
        if item["new_field"]:
            f_code, f_name = item["new_field"]
            if f_code in new_fields and search_key(new_fields[f_code]) != search_key(f_name):
                problems.add(SHEET_PROCEDURES, item["line"],
                             f"mã lĩnh vực {f_code} mang hai tên khác nhau: “{new_fields[f_code]}” và “{f_name}”",
                             item["code"])
            new_fields.setdefault(f_code, f_name)
    components = _component_rows(component_rows, set(seen), problems)
    steps = _step_rows(step_rows, set(seen), units, problems)
    existing = {p.code: p for p in Procedure.objects.filter(code__in=list(items))}
    for code, proc_steps in steps.items():
        # Steps beyond the new count are deleted: not while an open dossier is at one of them.
        if code in existing:
            from congvu.onestop.models import Dossier

            busy = (Dossier.objects.filter(current_step__procedure=existing[code],
                                           current_step__order__gt=len(proc_steps))
                    .values_list("code", flat=True).first())
            if busy:
                problems.add(SHEET_STEPS, min(line for line, rec in step_rows if _text(rec.get("code")) == code),
                             f"thủ tục {code}: hồ sơ {busy} đang ở bước bị bỏ, chưa thể rút bớt bước", code)

    result = ProceduresImportResult()
    result.sheet_errors = sorted(problems.items, key=lambda e: ([SHEET_PROCEDURES, SHEET_COMPONENTS,
                                                                 SHEET_STEPS].index(e[0]), e[1]))
    result.errors = [(line, f"[{sheet}] {reason}") for sheet, line, reason in result.sheet_errors]
    good = [code for code in items if code not in problems.codes]
    result.skipped = len(seen) - len(good) + sum(1 for _l, rec in proc_rows if not _text(rec.get("code")))
    if problems.items and not skip_errors:
        result.skipped = len(proc_rows)
        return result

    with transaction.atomic():
        field_objs = dict(fields)
        for code in good:
            item = items[code]
            if item["new_field"] and item["new_field"][0] not in field_objs:
                f_code, f_name = item["new_field"]
                field_objs[f_code] = s.field_get_or_create(actor=actor, code=f_code, name=f_name)
            values = {k: item[k] for k in ("name", "level", "competent_unit", "processing_time", "time_unit",
                                            "online_level", "fee_amount", "fee_note", "legal_basis",
                                            "effective_from", "effective_to") if k in item}
            for flag in ("requires_written_result", "citizen_facing"):
                if flag in item:
                    values[flag] = item[flag]
            values["field"] = item["field"] or field_objs[item["new_field"][0]]
            try:
                with transaction.atomic():
                    if code in existing:
                        s.procedure_update(actor=actor, procedure=existing[code], components=components.get(code),
                                           steps=steps.get(code), **values)
                        result.updated += 1
                    else:
                        s.procedure_create(actor=actor, code=code, components=components.get(code, ()),
                                           steps=steps.get(code, ()), **values)
                        result.created += 1
                    result.codes.append(code)
            except DomainError as exc:
                result.errors.append((item["line"], f"[{SHEET_PROCEDURES}] {exc.message}"))
                result.sheet_errors.append((SHEET_PROCEDURES, item["line"], exc.message))
                result.skipped += 1
                if not skip_errors:
                    transaction.set_rollback(True)
                    result.created = result.updated = 0
                    result.codes = []
                    result.skipped = len(proc_rows)
                    return result
        audit_record(action="import", object_type="onestop.procedure", object_id="batch", actor=actor,
                     note=name[:200], after={"file": name, "skip_errors": skip_errors, **result.as_dict(),
                                             "codes": result.codes})
    return result
