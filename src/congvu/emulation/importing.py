"""XLSX import of emulation history: yearly ratings, initiatives, earlier titles and commendations.

A workbook may hold any of three sheets, recognised by name (accents and case ignored):

- **Xếp loại** — `Mã cán bộ | Họ và tên | Năm | Xếp loại | Kỷ luật | Ngày tuyển dụng | Ghi chú`
- **Sáng kiến** — `Mã sáng kiến | Tên sáng kiến | Tác giả (mã cán bộ, cách nhau bởi ;) | Mã đơn vị | Năm |
  Phạm vi | Số quyết định | Ngày công nhận | Áp dụng hiệu quả`
- **Khen thưởng** — `Mã cán bộ | Mã đơn vị | Danh hiệu | Năm | Số quyết định | Ngày quyết định |
  Cấp quyết định | Người ký | Số tiền | Mã sáng kiến`

Columns are found by their header (first row), in any order. Every bad row is reported (sheet, row,
column, reason). Nothing is imported when any row is bad, unless `skip_bad_rows` (then the good
rows are imported and the bad ones reported). Rows go through the app's services, so the same
refusals apply as on screen: a rating for a year outside employment, a second award for the same
achievement, an initiative recognised after the decision relying on it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO

from django.db import transaction

from congvu.audit.services import audit_record
from congvu.common.errors import DomainError
from congvu.common.text import clean, search_key
from congvu.emulation.models import EmulationProfile, PersonYearRecord, RecordSource
from congvu.emulation.rules import TITLES, FactsError, discipline_code, rating_code, scope_code
from congvu.emulation.services import (
    award_record_create,
    initiative_record,
    person_year_record_set,
    profile_set,
)
from congvu.org.models import Person, Unit

SHEETS = {"xep loai": "ratings", "danh gia": "ratings", "sang kien": "initiatives", "khen thuong": "awards",
          "danh hieu": "awards"}
SHEET_VI = {"ratings": "Xếp loại", "initiatives": "Sáng kiến", "awards": "Khen thưởng"}

# column key → accepted header words (accent-free)
COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "ratings": {
        "staff_code": ("ma can bo", "ma cb", "ma nhan su"), "name": ("ho va ten", "ho ten"), "year": ("nam",),
        "rating": ("xep loai", "muc xep loai", "ket qua danh gia"), "discipline": ("ky luat", "hinh thuc ky luat"),
        "recruited": ("ngay tuyen dung",), "note": ("ghi chu",),
    },
    "initiatives": {
        "code": ("ma sang kien", "ma"), "title": ("ten sang kien", "sang kien", "ten"),
        "authors": ("tac gia", "ma tac gia"), "unit": ("ma don vi", "don vi"), "year": ("nam",),
        "scope": ("pham vi", "cap", "pham vi anh huong"), "decision": ("so quyet dinh", "so qd"),
        "recognised_on": ("ngay cong nhan", "ngay quyet dinh"), "applied": ("ap dung hieu qua", "hieu qua"),
    },
    "awards": {
        "staff_code": ("ma can bo", "ma cb"), "unit": ("ma don vi",), "title": ("danh hieu", "hinh thuc",
                                                                                  "danh hieu hinh thuc"),
        "year": ("nam", "nam thanh tich"), "decision": ("so quyet dinh", "so qd"),
        "decision_date": ("ngay quyet dinh", "ngay qd"), "authority": ("cap quyet dinh", "co quan quyet dinh"),
        "signer": ("nguoi ky",), "amount": ("so tien", "tien thuong"), "initiative": ("ma sang kien", "can cu"),
    },
}
REQUIRED = {"ratings": ("staff_code", "year", "rating"), "initiatives": ("title", "authors", "unit", "year", "scope",
                                                                         "recognised_on"),
            "awards": ("title", "year")}
COLUMN_VI = {
    "staff_code": "Mã cán bộ", "name": "Họ và tên", "year": "Năm", "rating": "Xếp loại", "discipline": "Kỷ luật",
    "recruited": "Ngày tuyển dụng", "note": "Ghi chú", "code": "Mã sáng kiến", "title": "Tên/Danh hiệu",
    "authors": "Tác giả", "unit": "Mã đơn vị", "scope": "Phạm vi", "decision": "Số quyết định",
    "recognised_on": "Ngày công nhận", "applied": "Áp dụng hiệu quả", "decision_date": "Ngày quyết định",
    "authority": "Cấp quyết định", "signer": "Người ký", "amount": "Số tiền", "initiative": "Mã sáng kiến",
}
_TITLE_WORDS: dict[str, str] = {}
for _code, _t in TITLES.items():
    for _w in (_code, _code.replace("_", " "), _t.name_vi, _t.short_vi):
        if _w:
            _TITLE_WORDS[search_key(_w)] = _code
_TITLE_WORDS.update({search_key("Bằng khen tỉnh"): "BK_TINH", search_key("Bằng khen UBND tỉnh"): "BK_TINH",
                     search_key("Cờ thi đua UBND tỉnh"): "CO_TINH", search_key("Cờ thi đua tỉnh"): "CO_TINH",
                     search_key("Chiến sĩ thi đua tỉnh"): "CSTD_TINH"})
_CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,29}$")


@dataclass
class RowError:
    sheet: str
    row: int
    column: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "reason": self.reason}

    def __str__(self) -> str:
        col = f", cột {self.column}" if self.column else ""
        return f"{self.sheet} dòng {self.row}{col}: {self.reason}"


@dataclass
class ImportReport:
    rows: int = 0
    imported: dict[str, int] = field(default_factory=lambda: {"ratings": 0, "initiatives": 0, "awards": 0})
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    applied: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "imported": self.imported, "unchanged": self.unchanged, "applied": self.applied,
                "errors": [e.as_dict() for e in self.errors]}


class CellError(Exception):
    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column, self.reason = column, reason


# -- cell parsing ----------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean(str(value)).strip()


def _year(value: Any, col: str) -> int:
    text = _text(value)
    if not re.fullmatch(r"\d{4}", text) or not 1990 <= int(text) <= 2100:
        raise CellError(col, f"năm không hợp lệ: {text or '(trống)'!r}")
    return int(text)


def _date(value: Any, col: str, required: bool = True) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        if required:
            raise CellError(col, "thiếu ngày")
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            day = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if not 1900 <= day.year <= 2100:
            break
        return day
    raise CellError(col, f"ngày không hợp lệ: {text!r} (dùng dd/mm/yyyy)")


def _bool(value: Any, col: str) -> bool | None:
    if isinstance(value, bool):
        return value
    key = search_key(_text(value))
    if not key:
        return None
    if key in {"co", "x", "yes", "true", "1", "dat", "hieu qua"}:
        return True
    if key in {"khong", "no", "false", "0", "chua"}:
        return False
    raise CellError(col, f"ghi “có” hoặc “không” (nhận được {_text(value)!r})")


def _amount(value: Any, col: str) -> Decimal | None:
    text = _text(value).replace(".", "").replace(",", "").replace(" ", "").replace("đ", "")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(col, f"số tiền không hợp lệ: {_text(value)!r}") from None
    if number < 0:
        raise CellError(col, "số tiền âm")
    return number


def title_code_of(value: Any, col: str = "Danh hiệu") -> str:
    """A title or commendation by its code (LDTT, BK_TTG…) or its Vietnamese name."""
    text = _text(value)
    code = _TITLE_WORDS.get(search_key(text))
    if code:
        return code
    if _CODE.match(text.upper()):
        return text.upper()
    raise CellError(col, f"không nhận ra danh hiệu, hình thức khen thưởng {text!r}")


def _wrap(fn: Callable[..., Any], col: str, *args: Any) -> Any:
    try:
        return fn(*args)
    except FactsError as exc:
        raise CellError(col, str(exc)) from None


# -- reading the workbook --------------------------------------------------------------------------


def _header_map(kind: str, header: tuple[Any, ...]) -> tuple[dict[str, int], list[str]]:
    wanted = COLUMNS[kind]
    found: dict[str, int] = {}
    for idx, cell in enumerate(header):
        key = search_key(_text(cell))
        key = re.sub(r"\s*\(.*\)$", "", key)
        for col, words in wanted.items():
            if col not in found and key in words:
                found[col] = idx
                break
    missing = [COLUMN_VI[c] for c in REQUIRED[kind] if c not in found]
    if kind == "awards" and "staff_code" not in found and "unit" not in found:
        missing.append("Mã cán bộ hoặc Mã đơn vị")
    return found, missing


def read_workbook(stream: BinaryIO) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    """{kind: [(row number, {column key: raw value})]} for every recognised sheet."""
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise DomainError("import.not_xlsx", f"Không đọc được tệp Excel (.xlsx): {exc}") from None
    out: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    problems: list[str] = []
    for ws in wb.worksheets:
        kind = SHEETS.get(search_key(ws.title))
        if kind is None:
            continue
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            continue
        columns, missing = _header_map(kind, header)
        if missing:
            problems.append(f"Trang “{ws.title}” thiếu cột: {', '.join(missing)}")
            continue
        items = out.setdefault(kind, [])
        for number, row in enumerate(rows, start=2):
            if row is None or all(c is None or _text(c) == "" for c in row):
                continue
            items.append((number, {col: (row[i] if i < len(row) else None) for col, i in columns.items()}))
    wb.close()
    if problems:
        raise DomainError("import.columns", "; ".join(problems))
    if not out:
        raise DomainError("import.no_sheet", "Tệp không có trang nào tên “Xếp loại”, “Sáng kiến” hoặc “Khen thưởng”.")
    return out


# -- importing --------------------------------------------------------------------------------------


class _Abort(Exception):
    pass


def _person(code: Any, col: str, people: dict[str, Person]) -> Person:
    text = _text(code)
    if not text:
        raise CellError(col, "thiếu mã cán bộ")
    person = people.get(text)
    if person is None:
        person = Person.objects.select_related("unit").filter(staff_code=text).first()
        if person is None:
            raise CellError(col, f"không có cán bộ mã {text!r}")
        people[text] = person
    return person


def _unit(code: Any, col: str) -> Unit:
    text = _text(code)
    unit = Unit.objects.filter(code=text).first() if text else None
    if unit is None:
        raise CellError(col, f"không có đơn vị mã {text!r}" if text else "thiếu mã đơn vị")
    return unit


def _rating_row(actor: Any, raw: dict[str, Any], people: dict[str, Person], seen: dict[tuple, int],
                row: int, report: ImportReport) -> None:
    person = _person(raw.get("staff_code"), COLUMN_VI["staff_code"], people)
    name = _text(raw.get("name"))
    if name and search_key(name) != search_key(person.full_name):
        raise CellError(COLUMN_VI["name"], f"mã {person.staff_code} là của {person.full_name}, không phải {name}")
    year = _year(raw.get("year"), COLUMN_VI["year"])
    rating = _wrap(rating_code, COLUMN_VI["rating"], _text(raw.get("rating")))
    discipline = _wrap(discipline_code, COLUMN_VI["discipline"], _text(raw["discipline"])) \
        if _text(raw.get("discipline")) else ""
    recruited = _date(raw.get("recruited"), COLUMN_VI["recruited"], required=False)
    key = (person.pk, year)
    if key in seen:
        raise CellError(COLUMN_VI["year"], f"trùng với dòng {seen[key]} (cùng cán bộ, cùng năm)")
    seen[key] = row
    if recruited is not None:
        profile = EmulationProfile.objects.filter(person=person).first()
        if profile is None or profile.recruited_on != recruited:
            profile_set(actor=actor, person=person, recruited_on=recruited,
                        employment_end=profile.employment_end if profile else None)
    existing = PersonYearRecord.objects.filter(person=person, year=year).first()
    if existing is not None and existing.rating and (existing.rating, existing.discipline) != (rating, discipline):
        raise CellError(COLUMN_VI["rating"], f"đã có xếp loại năm {year} của {person.full_name} "
                        f"({existing.get_rating_display()}) khác với tệp")
    if existing is not None and (existing.rating, existing.discipline) == (rating, discipline):
        report.unchanged += 1
        return
    try:
        person_year_record_set(actor=actor, person=person, year=year, rating=rating, discipline=discipline,
                               note=_text(raw.get("note"))[:500], source=RecordSource.IMPORT)
    except DomainError as exc:
        raise CellError(COLUMN_VI["year"], exc.message) from None
    report.imported["ratings"] += 1


def _initiative_row(actor: Any, raw: dict[str, Any], people: dict[str, Person], codes: dict[str, str],
                    row: int, report: ImportReport) -> None:
    title = _text(raw.get("title"))
    if not title:
        raise CellError(COLUMN_VI["title"], "thiếu tên sáng kiến")
    authors = [_person(code, COLUMN_VI["authors"], people)
               for code in re.split(r"[;,\n]+", _text(raw.get("authors"))) if code.strip()]
    if not authors:
        raise CellError(COLUMN_VI["authors"], "thiếu tác giả")
    unit = _unit(raw.get("unit"), COLUMN_VI["unit"])
    year = _year(raw.get("year"), COLUMN_VI["year"])
    scope = _wrap(scope_code, COLUMN_VI["scope"], _text(raw.get("scope")))
    recognised_on = _date(raw.get("recognised_on"), COLUMN_VI["recognised_on"])
    applied = _bool(raw.get("applied"), COLUMN_VI["applied"])
    code = _text(raw.get("code")).upper()
    if code and code in codes:
        raise CellError(COLUMN_VI["code"], f"mã sáng kiến {code} trùng với dòng khác")
    try:
        initiative = initiative_record(actor=actor, unit=unit, title=title, authors=authors, year=year, scope=scope,
                                       decision_number=_text(raw.get("decision")), recognised_on=recognised_on,
                                       applied_effectively=True if applied is None else applied)
    except DomainError as exc:
        raise CellError(COLUMN_VI["recognised_on"], exc.message) from None
    if code:
        codes[code] = initiative.ref
    report.imported["initiatives"] += 1


def _award_row(actor: Any, raw: dict[str, Any], people: dict[str, Person], codes: dict[str, str],
               row: int, report: ImportReport) -> None:
    person = _person(raw["staff_code"], COLUMN_VI["staff_code"], people) if _text(raw.get("staff_code")) else None
    unit = None
    if person is None:
        unit = _unit(raw.get("unit"), COLUMN_VI["unit"])
    title = title_code_of(raw.get("title"), COLUMN_VI["title"])
    year = _year(raw.get("year"), COLUMN_VI["year"])
    decision_date = _date(raw.get("decision_date"), COLUMN_VI["decision_date"], required=False)
    amount = _amount(raw.get("amount"), COLUMN_VI["amount"])
    ref = _text(raw.get("initiative")).upper()
    if ref:
        if ref in codes:
            ref = codes[ref]
        elif not re.fullmatch(r"SK-\d+", ref):
            raise CellError(COLUMN_VI["initiative"], f"không có sáng kiến mã {ref} trong tệp hoặc trên hệ thống")
    try:
        award_record_create(actor=actor, person=person, unit=unit, title_code=title, year=year,
                            decision_number=_text(raw.get("decision")), decision_date=decision_date,
                            authority=_text(raw.get("authority")), signer=_text(raw.get("signer")), amount=amount,
                            achievement_ref=ref, source="import")
    except DomainError as exc:
        column = COLUMN_VI["initiative"] if "Sáng kiến" in exc.message or "Thành tích" in exc.message \
            else COLUMN_VI["title"]
        raise CellError(column, exc.message) from None
    report.imported["awards"] += 1


def import_workbook(*, actor: Any, stream: BinaryIO, skip_bad_rows: bool = False,
                    dry_run: bool = False) -> ImportReport:
    """Read and import a workbook; see the module docstring. Returns the report (errors included)."""
    sheets = read_workbook(stream)
    report = ImportReport(rows=sum(len(v) for v in sheets.values()))
    people: dict[str, Person] = {}
    codes: dict[str, str] = {}
    seen: dict[tuple, int] = {}
    handlers = (("ratings", lambda raw, row: _rating_row(actor, raw, people, seen, row, report)),
                ("initiatives", lambda raw, row: _initiative_row(actor, raw, people, codes, row, report)),
                ("awards", lambda raw, row: _award_row(actor, raw, people, codes, row, report)))
    try:
        with transaction.atomic():
            for kind, handle in handlers:
                for row, raw in sheets.get(kind, []):
                    try:
                        with transaction.atomic():
                            handle(raw, row)
                    except CellError as exc:
                        report.errors.append(RowError(SHEET_VI[kind], row, exc.column, exc.reason))
            if dry_run or (report.errors and not skip_bad_rows):
                raise _Abort
            audit_record(action="import", object_type="emulation.import", object_id="xlsx",
                         after=report.as_dict() | {"skip_bad_rows": skip_bad_rows}, actor=actor,
                         note="Nhập dữ liệu thi đua từ tệp Excel")
            report.applied = True
    except _Abort:
        report.applied = False
    if not report.applied and not dry_run:
        report.imported = {k: 0 for k in report.imported}
        report.unchanged = 0
    return report
