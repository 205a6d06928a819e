"""Reading tabular import files (CSV/XLSX) and their cell values. Pure: no Django imports.

Shared by every importer (org units and people, one-stop records and catalogue): the encoding
checks, header matching, row cleaning and line numbers are the same everywhere, so a clerk gets
the same messages whatever she imports.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from congvu.common.errors import DomainError
from congvu.common.text import clean, search_key


class ImportFileError(DomainError):
    """The file as a whole cannot be read (encoding, format, columns): nothing is imported."""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error_report(self) -> str:
        return "\n".join(f"Dòng {line}: {reason}" if line else reason for line, reason in self.errors)

    def as_dict(self) -> dict[str, Any]:
        return {"created": self.created, "updated": self.updated, "skipped": self.skipped,
                "errors": [list(e) for e in self.errors]}


# --------------------------------------------------------------------------------------------------
# Reading files


Row = tuple[int, dict[str, Any]]


def read_bytes(file: Any) -> tuple[bytes, str]:
    """(content, name) of a path, a file object (Django upload included) or raw bytes."""
    if isinstance(file, bytes | bytearray):
        return bytes(file), ""
    if isinstance(file, str | Path):
        path = Path(file)
        return path.read_bytes(), path.name
    if hasattr(file, "read"):
        data = file.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
        return data, str(getattr(file, "name", "") or "")
    raise ImportFileError("import.file_type", "Không đọc được tệp nhập (cần đường dẫn hoặc tệp).",
                          message_en="Cannot read the import file.")


def decode_csv(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise ImportFileError(
            "import.encoding",
            "Tệp CSV đang ở mã UTF-16/UTF-32 (Unicode của Excel). Hãy lưu lại bằng 'CSV UTF-8 (phân tách bằng dấu phẩy)'.",
            message_en="The CSV file is UTF-16/32; save it as 'CSV UTF-8'.")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            "import.encoding",
            f"Tệp CSV không phải mã UTF-8 (ký tự lạ ở dòng {line}); có thể là Windows-1258, TCVN3 hoặc VNI. "
            "Hãy mở tệp bằng Excel hoặc LibreOffice rồi lưu lại dạng 'CSV UTF-8', hoặc nhập tệp .xlsx.",
            message_en=f"The CSV file is not UTF-8 (invalid byte on line {line}); re-save it as 'CSV UTF-8'.",
            details={"line": line}) from None


def csv_rows(text: str) -> tuple[list[str], list[Row]]:
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count) if any(d in first for d in ",;\t") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[Row] = []
    last_line = 0
    for values in reader:
        start, last_line = last_line + 1, reader.line_num
        if header is None:
            if not any(v.strip() for v in values):
                continue
            header = values
            continue
        rows.append((start, values))  # type: ignore[arg-type]
    return header or [], rows  # type: ignore[return-value]


def xlsx_check(data: bytes, name: str = "") -> None:
    """Refuse a workbook that is not one, or a zip bomb, before openpyxl inflates anything (the one
    upload validator, `congvu.common.uploads`)."""
    from congvu.common.uploads import UploadRefused, validate_bytes

    label = name if name.lower().endswith(".xlsx") else (name or "tep") + ".xlsx"
    try:
        validate_bytes(label, data, allowed=("xlsx",))
    except UploadRefused as exc:
        raise ImportFileError(exc.code, exc.message, message_en=exc.message_en, details=exc.details) from None


def xlsx_rows(data: bytes, name: str = "") -> tuple[list[str], list[Row]]:
    from openpyxl import load_workbook

    xlsx_check(data, name)

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file
        raise ImportFileError("import.xlsx", f"Không đọc được tệp Excel: {exc}.",
                              message_en=f"Cannot read the XLSX file: {exc}.") from None
    sheet = book.worksheets[0]
    header: list[str] | None = None
    rows: list[Row] = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if header is None:
            if not any(v not in (None, "") for v in values):
                continue
            header = ["" if v is None else str(v) for v in values]
            continue
        rows.append((number, list(values)))  # type: ignore[arg-type]
    book.close()
    return header or [], rows  # type: ignore[return-value]


def header_key(name: str) -> str:
    return search_key(name).replace(" ", "_")


def read_table(file: Any, *, columns: dict[str, str], required: Iterable[str]) -> tuple[str, list[Row]]:
    """(file name, [(line, {column: value})]) of a CSV or XLSX file.

    `columns` maps accepted header spellings (accent- and case-insensitive) to column names.
    Empty rows are dropped; strings are cleaned (NFC, single spaces).
    """
    data, name = read_bytes(file)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError("import.xls", "Định dạng Excel cũ (.xls) không được hỗ trợ; hãy lưu lại dạng .xlsx hoặc CSV UTF-8.",
                              message_en="Old .xls files are not supported; save as .xlsx or CSV UTF-8.")
    if data.startswith(b"PK\x03\x04"):
        header, raw = xlsx_rows(data, name)
    elif name.lower().endswith((".xlsx", ".xlsm")):
        raise ImportFileError("import.xlsx", "Tệp có đuôi .xlsx nhưng không phải tệp Excel hợp lệ.",
                              message_en="The .xlsx file is not a valid workbook.")
    else:
        header, raw = csv_rows(decode_csv(data))
    if not header:
        raise ImportFileError("import.empty", "Tệp nhập trống (không có dòng tiêu đề).", message_en="The file is empty.")
    accepted = {header_key(k): v for k, v in columns.items()}
    index: dict[str, int] = {}
    for i, title in enumerate(header):
        column = accepted.get(header_key(str(title)))
        if column and column not in index:
            index[column] = i
    missing = [c for c in required if c not in index]
    if missing:
        raise ImportFileError("import.columns", f"Thiếu cột: {', '.join(missing)} (dòng tiêu đề là dòng 1).",
                              message_en=f"Missing columns: {', '.join(missing)}.", details={"missing": missing})
    return name, table_records(raw, index)


def table_records(raw: list[tuple[int, Any]], index: dict[str, int]) -> list[Row]:
    """(line, {column: cleaned value}) for each non-empty row, given column → cell position.
    Shared by every importer that reads a table (org, one-stop records and catalogue)."""
    rows: list[Row] = []
    for line, values in raw:
        record: dict[str, Any] = {}
        for column, i in index.items():
            value = values[i] if i < len(values) else None
            if isinstance(value, str):
                value = clean(value)
            record[column] = "" if value is None else value
        if any(v not in ("", None) for v in record.values()):
            rows.append((line, record))
    return rows



_DATE_PATTERNS = (
    (re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$"), (3, 2, 1)),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$"), (1, 2, 3)),
)


def parse_date(value: Any) -> dt.date | None:
    """dd/mm/yyyy (also with - or .), ISO yyyy-mm-dd, or an Excel date cell; empty → None."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for pattern, (y, m, d) in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return dt.date(int(match.group(y)), int(match.group(m)), int(match.group(d)))
            except ValueError:
                break
    raise ValueError(f"ngày không hợp lệ '{text}' (dùng dd/mm/yyyy hoặc yyyy-mm-dd)")


def cell_text(value: Any) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean(str(value))



_TRUE = {"1", "x", "true", "yes", "co", "dung", "la truong", "truong"}
_FALSE = {"", "0", "false", "no", "khong", "sai"}


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value)
    key = search_key(cell_text(value))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(f"giá trị có/không không hợp lệ '{cell_text(value)}' (dùng 1/0, có/không, x)")
