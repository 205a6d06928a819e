"""Importers of units, people and unit lineage from CSV / XLSX, and of the official division list.

Every importer reads the whole file, validates every row first and reports each bad row with its
line number (the spreadsheet row; the header is line 1) and the reason. A file with any error
imports nothing unless `skip_errors=True`, in which case the good rows are imported and the bad
ones reported. Writes go through `congvu.org.services` (so each row is validated and audited) in
one transaction, and one more audit entry records the batch (`action="import"`).

CSV files must be UTF-8 (with or without BOM); any other encoding is refused with a message that
says how to re-save the file. A file-level problem (encoding, format, missing columns) raises
`ImportFileError`; row problems are returned in `ImportResult.errors`.

`import_divisions` reads the province and its communes/wards from the `vietnam-provinces` package
(the list in force since 01/07/2025, two levels: province → xã/phường/đặc khu).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from congvu.audit.services import audit_record
from congvu.common.errors import DomainError
from congvu.common.tables import (  # noqa: F401 - re-exported: importers' public surface
    ImportFileError,
    ImportResult,
    Row,
    parse_bool,
    parse_date,
    read_table,
    table_records,
)
from congvu.common.tables import cell_text as _text
from congvu.common.text import clean, search_key
from congvu.org.models import LineageKind, Person, PersonCategory, Unit, UnitKind, UnitLineage

# The two-level list of the package starts with the reform of 01/07/2025.
DIVISIONS_VALID_FROM = dt.date(2025, 7, 1)


# --------------------------------------------------------------------------------------------------
# Values


_KIND_WORDS = {
    "tinh": UnitKind.PROVINCE, "thanh pho truc thuoc trung uong": UnitKind.PROVINCE,
    "huyen": UnitKind.DISTRICT, "quan": UnitKind.DISTRICT, "thi xa": UnitKind.DISTRICT,
    "thanh pho thuoc tinh": UnitKind.DISTRICT,
    "xa": UnitKind.COMMUNE, "phuong": UnitKind.WARD, "thi tran": UnitKind.TOWNSHIP, "dac khu": UnitKind.SPECIAL_ZONE,
    "co quan": UnitKind.AGENCY, "so": UnitKind.AGENCY, "phong": UnitKind.AGENCY, "ban": UnitKind.AGENCY,
    "van phong": UnitKind.AGENCY, "mot cua": UnitKind.ONESTOP_DESK, "bo phan mot cua": UnitKind.ONESTOP_DESK,
}


def _choice(value: Any, choices: type, words: dict[str, str]) -> str | None:
    text = _text(value)
    if text in choices.values:
        return text
    key = search_key(text)
    for member in choices:
        if key in (search_key(member.value), search_key(str(member.label))):
            return member.value
    return words.get(key)


def parse_kind(value: Any) -> str | None:
    return _choice(value, UnitKind, _KIND_WORDS)


_CATEGORY_WORDS = {"cb": PersonCategory.CAN_BO, "cc": PersonCategory.CONG_CHUC, "vc": PersonCategory.VIEN_CHUC,
                   "nld": PersonCategory.NGUOI_LAO_DONG, "hop dong": PersonCategory.NGUOI_LAO_DONG}


def parse_category(value: Any) -> str | None:
    return _choice(value, PersonCategory, _CATEGORY_WORDS)


_LINEAGE_WORDS = {"sap nhap": LineageKind.MERGE, "hop nhat": LineageKind.MERGE, "nhap": LineageKind.MERGE,
                  "chia tach": LineageKind.SPLIT, "chia": LineageKind.SPLIT, "tach": LineageKind.SPLIT,
                  "doi ten": LineageKind.RENAME, "chuyen giao": LineageKind.TRANSFER}


def parse_lineage_kind(value: Any) -> str | None:
    return _choice(value, LineageKind, _LINEAGE_WORDS) if _text(value) else LineageKind.MERGE


def split_aliases(value: Any) -> list[str]:
    return [a for a in (clean(p) for p in re.split(r"[;|\n]", _text(value))) if a]


_PHONE = re.compile(r"^\+?[0-9 .()-]{6,20}$")


# --------------------------------------------------------------------------------------------------
# Shared machinery


class _Errors:
    def __init__(self) -> None:
        self.items: list[tuple[int, str]] = []
        self.lines: set[int] = set()

    def add(self, line: int, reason: str) -> None:
        self.items.append((line, reason))
        self.lines.add(line)


def _record_batch(*, object_type: str, name: str, result: ImportResult, actor: Any, skip_errors: bool) -> None:
    audit_record(action="import", object_type=object_type, object_id="batch", actor=actor, note=name[:200],
                 after={"file": name, "skip_errors": skip_errors, **result.as_dict()})


def _run_writes(rows: list[tuple[int, Callable[[], Any]]], *, result: ImportResult, skip_errors: bool) -> None:
    """Run each write in order inside one transaction; a refused write rolls back all (or only itself)."""
    with transaction.atomic():
        for line, write in rows:
            try:
                with transaction.atomic():
                    write()
                result.created += 1
            except DomainError as exc:
                result.errors.append((line, exc.message))
                result.skipped += 1
                if not skip_errors:
                    break
        if result.errors and not skip_errors:
            transaction.set_rollback(True)
            result.skipped, result.created = len(rows), 0


def _finish(result: ImportResult, errors: _Errors, total: int, skip_errors: bool) -> bool:
    """Store validation errors; True when the writes should run."""
    result.errors = sorted(errors.items, key=lambda e: e[0])
    if errors.items and not skip_errors:
        result.skipped = total
        return False
    result.skipped = len(errors.lines)
    return True


# --------------------------------------------------------------------------------------------------
# Units


UNIT_COLUMNS = {
    "code": "code", "ma": "code", "ma don vi": "code",
    "admin_code": "admin_code", "ma hanh chinh": "admin_code", "ma dvhc": "admin_code",
    "name": "name", "ten": "name", "ten don vi": "name",
    "short_name": "short_name", "ten ngan": "short_name",
    "kind": "kind", "loai": "kind",
    "parent_code": "parent_code", "parent": "parent_code", "ma cap tren": "parent_code",
    "valid_from": "valid_from", "hieu luc tu": "valid_from",
    "valid_to": "valid_to", "hieu luc den": "valid_to",
    "aliases": "aliases", "ten goi khac": "aliases",
    "source": "source", "can cu": "source",
}


def import_units(file: Any, *, actor: Any = None, skip_errors: bool = False) -> ImportResult:
    """Units from CSV/XLSX: code, admin_code, name, kind, parent_code, valid_from, valid_to, aliases."""
    name, rows = read_table(file, columns=UNIT_COLUMNS, required=("code", "name", "kind"))
    errors = _Errors()
    parsed: dict[int, dict[str, Any]] = {}
    first_line: dict[str, int] = {}
    for line, rec in rows:
        code = _text(rec.get("code"))
        item: dict[str, Any] = {"code": code, "name": _text(rec.get("name")), "admin_code": _text(rec.get("admin_code")),
                                "short_name": _text(rec.get("short_name")), "aliases": split_aliases(rec.get("aliases")),
                                "source": _text(rec.get("source")), "parent_code": _text(rec.get("parent_code"))}
        if not code:
            errors.add(line, "thiếu mã đơn vị (code)")
        elif len(code) > 40:
            errors.add(line, f"mã đơn vị dài quá 40 ký tự: {code}")
        elif code in first_line:
            errors.add(line, f"mã {code} trùng với dòng {first_line[code]}")
        else:
            first_line[code] = line
        if not item["name"]:
            errors.add(line, "thiếu tên đơn vị (name)")
        elif len(item["name"]) > 255:
            errors.add(line, "tên đơn vị dài quá 255 ký tự")
        if len(item["admin_code"]) > 10:
            errors.add(line, f"mã hành chính dài quá 10 ký tự: {item['admin_code']}")
        kind = parse_kind(rec.get("kind"))
        if kind is None:
            errors.add(line, f"loại đơn vị không hợp lệ: '{_text(rec.get('kind'))}' "
                             f"(dùng {', '.join(UnitKind.values)})" if _text(rec.get("kind")) else "thiếu loại đơn vị (kind)")
        item["kind"] = kind
        for column in ("valid_from", "valid_to"):
            try:
                item[column] = parse_date(rec.get(column))
            except ValueError as exc:
                errors.add(line, f"{column}: {exc}")
                item[column] = None
        if item["valid_from"] and item["valid_to"] and item["valid_to"] < item["valid_from"]:
            errors.add(line, f"hiệu lực đến {item['valid_to']:%d/%m/%Y} trước hiệu lực từ {item['valid_from']:%d/%m/%Y}")
        parsed[line] = item

    existing = set(Unit.objects.filter(code__in=list(first_line)).values_list("code", flat=True))
    for code in sorted(existing):
        errors.add(first_line[code], f"mã {code} đã có trong hệ thống")
    parent_codes = {p["parent_code"] for p in parsed.values() if p["parent_code"] and p["parent_code"] not in first_line}
    db_parents = {u.code: u for u in Unit.objects.filter(code__in=parent_codes)}

    file_parent: dict[int, int] = {}  # line → line of the parent row
    for line, item in parsed.items():
        parent = item["parent_code"]
        if not parent:
            continue
        if parent == item["code"]:
            errors.add(line, f"đơn vị {item['code']} không thể là cấp trên của chính nó (vòng lặp)")
        elif parent in first_line:
            file_parent[line] = first_line[parent]
        elif parent not in db_parents:
            errors.add(line, f"không tìm thấy đơn vị cấp trên {parent}")

    # Cycles through rows of the file (units in the database cannot have a new unit as parent).
    reported: set[int] = set()
    for start in file_parent:
        seen: list[int] = []
        node: int | None = start
        while node is not None and node not in seen:
            seen.append(node)
            node = file_parent.get(node)
        if node is not None and node not in reported:
            cycle = seen[seen.index(node):]
            path = " → ".join(parsed[n]["code"] for n in [*cycle, node])
            for n in cycle:
                if n not in reported:
                    errors.add(n, f"vòng lặp trong cây đơn vị: {path}")
                    reported.add(n)

    result = ImportResult()
    if skip_errors:  # a good row under a bad one cannot be created either
        changed = True
        while changed:
            changed = False
            for line, parent_line in file_parent.items():
                if parent_line in errors.lines and line not in errors.lines:
                    errors.add(line, f"đơn vị cấp trên ({parsed[parent_line]['code']}, dòng {parent_line}) có lỗi")
                    changed = True
    if not _finish(result, errors, len(rows), skip_errors):
        return result

    from congvu.org.services import unit_create

    created: dict[str, Unit] = {}
    order: list[int] = []
    placed: set[int] = set()

    def place(line: int) -> None:
        if line in placed:
            return
        placed.add(line)
        if line in file_parent:
            place(file_parent[line])
        order.append(line)

    for line in parsed:
        if line not in errors.lines:
            place(line)

    def writer(item: dict[str, Any]) -> Callable[[], Any]:
        def write() -> None:
            parent = None
            if item["parent_code"]:
                parent = created.get(item["parent_code"]) or db_parents[item["parent_code"]]
            created[item["code"]] = unit_create(
                actor=actor, code=item["code"], name=item["name"], kind=item["kind"], parent=parent,
                admin_code=item["admin_code"], short_name=item["short_name"], valid_from=item["valid_from"],
                valid_to=item["valid_to"], aliases=item["aliases"], source=item["source"] or f"nhập từ tệp {name}"[:255])
        return write

    with transaction.atomic():
        _run_writes([(line, writer(parsed[line])) for line in order], result=result, skip_errors=skip_errors)
        _record_batch(object_type="org.unit", name=name, result=result, actor=actor, skip_errors=skip_errors)
    return result


# --------------------------------------------------------------------------------------------------
# People


PEOPLE_COLUMNS = {
    "staff_code": "staff_code", "ma can bo": "staff_code", "ma": "staff_code",
    "full_name": "full_name", "ho va ten": "full_name", "ho ten": "full_name",
    "category": "category", "phan loai": "category",
    "unit_code": "unit_code", "unit": "unit_code", "ma don vi": "unit_code",
    "position": "position", "chuc vu": "position",
    "is_head": "is_head", "nguoi dung dau": "is_head", "truong don vi": "is_head",
    "birth_date": "birth_date", "ngay sinh": "birth_date",
    "gender": "gender", "gioi tinh": "gender",
    "email": "email", "thu dien tu": "email",
    "phone": "phone", "dien thoai": "phone", "so dien thoai": "phone",
    "since": "since", "tu ngay": "since",
}

_GENDER = {"male": "male", "nam": "male", "m": "male", "female": "female", "nu": "female", "f": "female", "": ""}


def import_people(file: Any, *, actor: Any = None, skip_errors: bool = False) -> ImportResult:
    """Officials from XLSX/CSV: staff_code, full_name, category, unit_code, position, is_head, birth_date, email, phone."""
    name, rows = read_table(file, columns=PEOPLE_COLUMNS, required=("full_name", "category", "unit_code"))
    errors = _Errors()
    parsed: dict[int, dict[str, Any]] = {}
    first_line: dict[str, int] = {}
    unit_codes = {_text(rec.get("unit_code")) for _, rec in rows}
    units = {u.code: u for u in Unit.objects.filter(code__in=unit_codes)}
    today = dt.date.today()
    for line, rec in rows:
        item: dict[str, Any] = {"staff_code": _text(rec.get("staff_code")), "full_name": _text(rec.get("full_name")),
                                "position": _text(rec.get("position")), "email": _text(rec.get("email")),
                                "phone": _text(rec.get("phone"))}
        code = item["staff_code"]
        if code:
            if len(code) > 40:
                errors.add(line, f"mã cán bộ dài quá 40 ký tự: {code}")
            elif code in first_line:
                errors.add(line, f"mã cán bộ {code} trùng với dòng {first_line[code]}")
            else:
                first_line[code] = line
        if not item["full_name"]:
            errors.add(line, "thiếu họ và tên (full_name)")
        elif len(item["full_name"]) > 150:
            errors.add(line, "họ và tên dài quá 150 ký tự")
        item["category"] = parse_category(rec.get("category"))
        if item["category"] is None:
            raw = _text(rec.get("category"))
            errors.add(line, f"phân loại không hợp lệ: '{raw}' (cán bộ, công chức, viên chức, người lao động)"
                       if raw else "thiếu phân loại (category)")
        unit_code = _text(rec.get("unit_code"))
        item["unit"] = units.get(unit_code)
        if not unit_code:
            errors.add(line, "thiếu mã đơn vị (unit_code)")
        elif item["unit"] is None:
            errors.add(line, f"không tìm thấy đơn vị {unit_code}")
        if len(item["position"]) > 150:
            errors.add(line, "chức vụ dài quá 150 ký tự")
        try:
            item["is_head"] = parse_bool(rec.get("is_head"))
        except ValueError as exc:
            errors.add(line, f"is_head: {exc}")
            item["is_head"] = False
        for column in ("birth_date", "since"):
            try:
                item[column] = parse_date(rec.get(column))
            except ValueError as exc:
                errors.add(line, f"{column}: {exc}")
                item[column] = None
        birth = item["birth_date"]
        if birth and not (dt.date(1900, 1, 1) <= birth <= today):
            errors.add(line, f"ngày sinh không hợp lý: {birth:%d/%m/%Y}")
        gender = search_key(_text(rec.get("gender")))
        if gender not in _GENDER:
            errors.add(line, f"giới tính không hợp lệ: '{_text(rec.get('gender'))}' (nam/nữ)")
        item["gender"] = _GENDER.get(gender, "")
        if item["email"]:
            try:
                validate_email(item["email"])
            except ValidationError:
                errors.add(line, f"thư điện tử không hợp lệ: {item['email']}")
        if item["phone"] and not _PHONE.match(item["phone"]):
            errors.add(line, f"số điện thoại không hợp lệ: {item['phone']}")
        parsed[line] = item
    for code in sorted(Person.objects.filter(staff_code__in=list(first_line)).values_list("staff_code", flat=True)):
        errors.add(first_line[code], f"mã cán bộ {code} đã có trong hệ thống")

    result = ImportResult()
    if not _finish(result, errors, len(rows), skip_errors):
        return result

    from congvu.org.services import person_create

    def writer(item: dict[str, Any]) -> Callable[[], Any]:
        def write() -> None:
            person_create(actor=actor, full_name=item["full_name"], category=item["category"], unit=item["unit"],
                          position=item["position"], is_head=item["is_head"], staff_code=item["staff_code"] or None,
                          birth_date=item["birth_date"], gender=item["gender"], email=item["email"],
                          phone=item["phone"], since=item["since"])
        return write

    with transaction.atomic():
        _run_writes([(line, writer(item)) for line, item in parsed.items() if line not in errors.lines],
                    result=result, skip_errors=skip_errors)
        _record_batch(object_type="org.person", name=name, result=result, actor=actor, skip_errors=skip_errors)
    return result


# --------------------------------------------------------------------------------------------------
# Lineage


LINEAGE_COLUMNS = {
    "predecessor_code": "predecessor_code", "predecessor": "predecessor_code", "don vi truoc": "predecessor_code",
    "successor_code": "successor_code", "successor": "successor_code", "don vi ke thua": "successor_code",
    "effective_on": "effective_on", "ngay hieu luc": "effective_on",
    "kind": "kind", "hinh thuc": "kind",
    "share": "share", "ty le": "share",
    "source": "source", "can cu": "source",
}


def lineage_problems(predecessor: Unit, successor: Unit, effective_on: dt.date, kind: str) -> list[str]:
    """Why a lineage link would contradict the validity dates (the rules of `unit_lineage_create`)."""
    problems = []
    if predecessor.pk == successor.pk:
        problems.append("đơn vị không thể kế thừa chính nó")
    if predecessor.valid_from and effective_on <= predecessor.valid_from:
        problems.append(f"ngày hiệu lực {effective_on:%d/%m/%Y} không sau ngày {predecessor.code} bắt đầu "
                        f"({predecessor.valid_from:%d/%m/%Y})")
    if kind in (LineageKind.MERGE, LineageKind.RENAME) and predecessor.valid_to and predecessor.valid_to >= effective_on:
        problems.append(f"{predecessor.code} còn hiệu lực đến {predecessor.valid_to:%d/%m/%Y}, không thể sáp nhập/đổi tên "
                        f"từ {effective_on:%d/%m/%Y}")
    if successor.valid_from and successor.valid_from > effective_on:
        problems.append(f"{successor.code} chỉ có hiệu lực từ {successor.valid_from:%d/%m/%Y}, sau ngày kế thừa "
                        f"{effective_on:%d/%m/%Y}")
    if successor.valid_to and successor.valid_to < effective_on:
        problems.append(f"{successor.code} đã hết hiệu lực ({successor.valid_to:%d/%m/%Y}) trước ngày kế thừa")
    return problems


def import_lineage(file: Any, *, actor: Any = None, skip_errors: bool = False) -> ImportResult:
    """Lineage links from CSV/XLSX: predecessor_code, successor_code, effective_on, kind, source (and share)."""
    name, rows = read_table(file, columns=LINEAGE_COLUMNS, required=("predecessor_code", "successor_code", "effective_on"))
    errors = _Errors()
    codes = {_text(rec.get(c)) for _, rec in rows for c in ("predecessor_code", "successor_code")}
    units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    graph: dict[int, set[int]] = {}
    for pred, succ in UnitLineage.objects.values_list("predecessor_id", "successor_id"):
        graph.setdefault(pred, set()).add(succ)
    existing_pairs = set(UnitLineage.objects.values_list("predecessor_id", "successor_id"))
    first_line: dict[tuple[int, int], int] = {}
    parsed: dict[int, dict[str, Any]] = {}
    for line, rec in rows:
        item: dict[str, Any] = {"source": _text(rec.get("source"))[:255]}
        ok = True
        for column, label in (("predecessor_code", "đơn vị trước"), ("successor_code", "đơn vị kế thừa")):
            code = _text(rec.get(column))
            item[column] = units.get(code)
            if not code:
                errors.add(line, f"thiếu mã {label} ({column})")
                ok = False
            elif item[column] is None:
                errors.add(line, f"không tìm thấy {label} {code}")
                ok = False
        try:
            item["effective_on"] = parse_date(rec.get("effective_on"))
            if item["effective_on"] is None:
                errors.add(line, "thiếu ngày hiệu lực (effective_on)")
                ok = False
        except ValueError as exc:
            errors.add(line, f"effective_on: {exc}")
            ok = False
        item["kind"] = parse_lineage_kind(rec.get("kind"))
        if item["kind"] is None:
            errors.add(line, f"hình thức không hợp lệ: '{_text(rec.get('kind'))}' (dùng {', '.join(LineageKind.values)})")
            ok = False
        share_text = _text(rec.get("share")).replace(",", ".")
        try:
            item["share"] = Decimal(share_text) if share_text else Decimal(1)
            if not (0 < item["share"] <= 1):
                raise InvalidOperation
        except InvalidOperation:
            errors.add(line, f"tỷ lệ kế thừa không hợp lệ: '{share_text}' (0 < tỷ lệ ≤ 1)")
            ok = False
        parsed[line] = item
        if not ok:
            continue
        pred, succ = item["predecessor_code"], item["successor_code"]
        for problem in lineage_problems(pred, succ, item["effective_on"], item["kind"]):
            errors.add(line, problem)
        pair = (pred.pk, succ.pk)
        if pair in existing_pairs:
            errors.add(line, f"quan hệ kế thừa {pred.code} → {succ.code} đã có trong hệ thống")
        elif pair in first_line:
            errors.add(line, f"quan hệ kế thừa {pred.code} → {succ.code} trùng với dòng {first_line[pair]}")
        elif pred.pk != succ.pk:
            first_line[pair] = line
            # A cycle: the successor already leads back to the predecessor (database links + earlier rows).
            stack, seen = [succ.pk], set()
            while stack:
                node = stack.pop()
                if node == pred.pk:
                    errors.add(line, f"quan hệ kế thừa {pred.code} → {succ.code} tạo thành vòng lặp")
                    break
                if node not in seen:
                    seen.add(node)
                    stack.extend(graph.get(node, ()))
            else:
                graph.setdefault(pred.pk, set()).add(succ.pk)

    result = ImportResult()
    if not _finish(result, errors, len(rows), skip_errors):
        return result

    from congvu.org.services import unit_lineage_create

    def writer(item: dict[str, Any]) -> Callable[[], Any]:
        def write() -> None:
            unit_lineage_create(actor=actor, predecessor=item["predecessor_code"], successor=item["successor_code"],
                                effective_on=item["effective_on"], kind=item["kind"], share=item["share"],
                                source=item["source"])
        return write

    with transaction.atomic():
        _run_writes([(line, writer(item)) for line, item in parsed.items() if line not in errors.lines],
                    result=result, skip_errors=skip_errors)
        _record_batch(object_type="org.unitlineage", name=name, result=result, actor=actor, skip_errors=skip_errors)
    return result


# --------------------------------------------------------------------------------------------------
# Official division list (vietnam-provinces)


_DIVISION_KINDS = {"xã": UnitKind.COMMUNE, "phường": UnitKind.WARD, "đặc khu": UnitKind.SPECIAL_ZONE}
_PROVINCE_PREFIX = {"tỉnh": "Tỉnh", "thành phố trung ương": "Thành phố"}


def division_unit_code(province_code: int | str, ward_code: int | str) -> str:
    """congvu code of a commune/ward of the two-level list: "<province>-<5-digit ward code>" ("51-21484")."""
    return f"{int(province_code):02d}-{int(ward_code):05d}"


def divisions_package_info() -> str:
    import vietnam_provinces

    return (f"vietnam-provinces {vietnam_provinces.__version__} "
            f"(dữ liệu {getattr(vietnam_provinces, '__data_version__', '?')})")


def import_divisions(*, province_code: int | str, actor: Any = None) -> ImportResult:
    """Create or update the province and its communes/wards from the `vietnam-provinces` package.

    Units are matched by code ("51", "51-21484"); a new one starts on 01/07/2025 (the package
    carries the two-level list in force since then). Names, kinds and parents are updated; validity
    dates and units missing from the package are left alone.
    """
    from vietnam_provinces import Province, ProvinceCode, Ward

    from congvu.org.services import unit_create, unit_update

    try:
        province = Province.from_code(ProvinceCode(int(province_code)))
    except (ValueError, TypeError):
        raise DomainError("import.province_unknown", f"Không có tỉnh mã {province_code} trong danh mục.",
                          message_en=f"No province with code {province_code}.") from None
    source = divisions_package_info()
    pcode = f"{int(province.code):02d}"
    prefix = _PROVINCE_PREFIX.get(province.division_type.value, "Tỉnh")
    pname = province.name if province.name.startswith(prefix) else f"{prefix} {province.name}"
    wards = sorted(Ward.iter_by_province(province.code), key=lambda w: int(w.code))
    result = ImportResult()

    def upsert(code: str, *, name: str, kind: str, parent: Unit | None, admin_code: str, short_name: str) -> Unit:
        unit = existing.get(code)
        if unit is None:
            unit = unit_create(actor=actor, code=code, name=name, kind=kind, parent=parent, admin_code=admin_code,
                               short_name=short_name, valid_from=DIVISIONS_VALID_FROM if parent else None,
                               source=source[:255])
            result.created += 1
            return unit
        wanted = {"name": clean(name), "kind": kind, "admin_code": admin_code}
        if parent is not None:
            wanted["parent"] = parent
        changes = {k: v for k, v in wanted.items()
                   if (getattr(unit, "parent_id", None) != v.pk if k == "parent" else getattr(unit, k) != v)}
        if changes:
            unit = unit_update(actor=actor, unit=unit, **changes)
            result.updated += 1
        else:
            result.skipped += 1
        return unit

    with transaction.atomic():
        codes = [pcode, *(division_unit_code(pcode, w.code) for w in wards)]
        existing = {u.code: u for u in Unit.objects.filter(code__in=codes)}
        root = upsert(pcode, name=pname, kind=UnitKind.PROVINCE, parent=None, admin_code=pcode, short_name=province.name)
        for ward in wards:
            kind = _DIVISION_KINDS.get(ward.division_type.value, UnitKind.COMMUNE)
            short = re.sub(r"^(Xã|Phường|Đặc khu)\s+", "", ward.name)
            upsert(division_unit_code(pcode, ward.code), name=ward.name, kind=kind, parent=root,
                   admin_code=f"{int(ward.code):05d}", short_name=short)
        audit_record(action="import", object_type="org.unit", object_id="batch", actor=actor,
                     note=f"divisions {pcode}", after={"source": source, "province": pcode, **result.as_dict()})
    return result
