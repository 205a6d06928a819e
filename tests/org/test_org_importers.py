"""Importers of units, people and lineage: every bad row reported with its line, nothing imported from a
file with errors unless asked, encodings, XLSX, cycles, duplicates, lineage dates against validity."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from congvu.audit.models import AuditEntry
from congvu.org.importers import (
    ImportFileError,
    import_divisions,
    import_lineage,
    import_people,
    import_units,
    parse_date,
)
from congvu.org.models import Person, Unit, UnitLineage
from factories import make_person, make_unit

pytestmark = pytest.mark.django_db

UNIT_HEADER = "code,admin_code,name,kind,parent_code,valid_from,valid_to,aliases\n"


def csv_bytes(text: str, *, bom: bool = False, encoding: str = "utf-8") -> io.BytesIO:
    if encoding == "cp1258":  # Windows-1258 has no precomposed ã, í...: tones are combining marks
        text = unicodedata.normalize("NFD", text)
    data = text.encode(encoding)
    buf = io.BytesIO((b"\xef\xbb\xbf" if bom else b"") + data)
    buf.name = "test.csv"
    return buf


def xlsx_bytes(rows: list[list]) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    buf.seek(0)
    buf.name = "test.xlsx"
    return buf


def lines_of(result) -> set[int]:
    return {line for line, _ in result.errors}


# --- units -----------------------------------------------------------------------------------------


def test_units_csv_with_bom_imports_tree_in_any_row_order():
    text = UNIT_HEADER + (
        "T-X1,21526,Xã Ba Bích,commune,T-H,,30/06/2025,UBND xã Ba Bích;Ba Bích\n"
        "T-H,535,Huyện Ba Tơ,huyện,T-P,,2025-06-30,\n"
        "T-P,51,Tỉnh Quảng Ngãi,province,,,,\n"
    )
    result = import_units(csv_bytes(text, bom=True))
    assert result.ok, result.errors
    assert result.created == 3
    commune = Unit.objects.get(code="T-X1")
    assert commune.parent.code == "T-H" and commune.parent.parent.code == "T-P"
    assert commune.valid_to == dt.date(2025, 6, 30)
    assert commune.aliases == ["UBND xã Ba Bích", "Ba Bích"]
    assert commune.search_key.startswith("xa ba bich")
    assert Unit.objects.get(code="T-H").kind == "district"  # Vietnamese kind accepted
    assert AuditEntry.objects.filter(action="import", object_type="org.unit", object_id="batch").exists()
    assert AuditEntry.objects.filter(action="create", object_type="org.unit").count() == 3


def test_units_every_bad_row_reported_and_nothing_imported():
    existing = make_unit("Đơn vị cũ", code="OLD-1")
    text = UNIT_HEADER + (
        "A1,,Đơn vị tốt,agency,,,,\n"            # line 2: good
        ",,Không mã,agency,,,,\n"                # line 3: missing code
        "A3,,Sai loại,hamlet,,,,\n"              # line 4: unknown kind
        "A4,,Sai ngày,agency,,31/02/2024,,\n"    # line 5: bad date
        "A1,,Trùng mã,agency,,,,\n"              # line 6: duplicate in file
        f"{existing.code},,Trùng CSDL,agency,,,,\n"  # line 7: duplicate in DB
        "A7,,Cha lạ,agency,NOPE,,,\n"            # line 8: unknown parent
        "A8,,,agency,,,,\n"                      # line 9: missing name
        "A9,,Ngược ngày,agency,,01/01/2025,31/12/2024,\n"  # line 10: inverted validity
    )
    result = import_units(csv_bytes(text))
    assert lines_of(result) == {3, 4, 5, 6, 7, 8, 9, 10}
    reasons = dict(result.errors)
    assert "hamlet" in reasons[4]
    assert "dòng 2" in reasons[6]
    assert "đã có" in reasons[7]
    assert "NOPE" in reasons[8]
    assert result.created == 0 and result.skipped == 9
    assert not Unit.objects.filter(code="A1").exists()


def test_units_skip_errors_imports_good_rows_and_children_of_bad_rows_are_refused():
    text = UNIT_HEADER + (
        "G1,,Tốt 1,agency,,,,\n"
        "B1,,Xấu,nope,,,,\n"
        "C1,,Con của xấu,agency,B1,,,\n"
        "G2,,Tốt 2,agency,G1,,,\n"
    )
    result = import_units(csv_bytes(text), skip_errors=True)
    assert result.created == 2
    assert lines_of(result) == {3, 4}
    assert set(Unit.objects.filter(code__in=["G1", "G2", "B1", "C1"]).values_list("code", flat=True)) == {"G1", "G2"}
    assert Unit.objects.get(code="G2").parent.code == "G1"


def test_units_cycle_refused_with_every_row_of_the_cycle():
    text = UNIT_HEADER + "C1,,Một,agency,C3,,,\nC2,,Hai,agency,C1,,,\nC3,,Ba,agency,C2,,,\nC4,,Tự trỏ,agency,C4,,,\n"
    result = import_units(csv_bytes(text))
    assert lines_of(result) == {2, 3, 4, 5}
    assert all("vòng lặp" in reason for _, reason in result.errors)
    assert not Unit.objects.filter(code__startswith="C").exists()


def test_units_xlsx_generated_in_test():
    parent = make_unit("Huyện Bình Sơn", kind="district", code="X-524")
    book = xlsx_bytes([
        ["Code", "Admin code", "Name", "Kind", "Parent code", "Valid from", "Valid to", "Aliases"],
        ["X-21046", 21046, "Xã Bình Thạnh", "xã", "X-524", None, dt.datetime(2025, 6, 30), None],
        [None, None, None, None, None, None, None, None],  # blank row is ignored
        ["X-BAD", None, "Ngày sai", "commune", "X-524", "hôm qua", None, None],
    ])
    result = import_units(book)
    assert lines_of(result) == {4}  # spreadsheet row number
    assert result.created == 0
    book.seek(0)
    result = import_units(book, skip_errors=True)
    unit = Unit.objects.get(code="X-21046")
    assert (unit.admin_code, unit.parent_id, unit.valid_to) == ("21046", parent.pk, dt.date(2025, 6, 30))


@pytest.mark.parametrize("encoding", ["cp1258", "utf-16"])
def test_units_other_encodings_refused_with_clear_message(encoding):
    with pytest.raises(ImportFileError) as err:
        import_units(csv_bytes(UNIT_HEADER + "E1,,Xã Ba Bích,commune,,,,\n", encoding=encoding))
    assert err.value.code == "import.encoding"
    assert "UTF-8" in err.value.message
    assert not Unit.objects.filter(code="E1").exists()


def test_units_missing_columns_and_semicolon_csv():
    with pytest.raises(ImportFileError) as err:
        import_units(csv_bytes("code,name\nA,B\n"))
    assert "kind" in err.value.message
    result = import_units(csv_bytes("code;name;kind\nS1;Sở Nội vụ;agency\n"))
    assert result.created == 1


def test_parse_date_formats():
    assert parse_date("30/06/2025") == parse_date("2025-06-30") == parse_date("30-6-2025") == dt.date(2025, 6, 30)
    assert parse_date("") is None
    with pytest.raises(ValueError):
        parse_date("32/01/2024")


# --- people ----------------------------------------------------------------------------------------

PEOPLE_HEADER = ["staff_code", "full_name", "category", "unit_code", "position", "is_head", "birth_date", "email", "phone"]


def test_people_xlsx_errors_then_skip_mode():
    unit = make_unit("Phòng Nội vụ huyện Bình Sơn", code="P-PNV")
    make_person(unit, "Người Đã Có", staff_code="DUP-1")
    book = xlsx_bytes([
        PEOPLE_HEADER,
        ["S-1", "Nguyễn Thị Hoài Thương", "Công chức", "P-PNV", "Chuyên viên", "không", dt.date(1986, 12, 29), "a@b.vn", "0905 123 456"],
        ["S-2", "", "công chức", "P-PNV", "", "", None, "", ""],                     # missing name
        ["S-3", "Lê Văn A", "quan chức", "P-PNV", "", "", None, "", ""],             # bad category
        ["S-4", "Lê Văn B", "vien_chuc", "NOPE", "", "", None, "", ""],              # unknown unit
        ["S-1", "Lê Văn C", "cán bộ", "P-PNV", "", "", None, "", ""],                # duplicate in file
        ["DUP-1", "Lê Văn D", "cán bộ", "P-PNV", "", "", None, "", ""],              # duplicate in DB
        ["S-7", "Lê Văn E", "cán bộ", "P-PNV", "", "", "1/1/1800", "not-an-email", "abc"],  # 3 reasons
        ["S-8", "Đỗ Văn Thành", "can_bo", "P-PNV", "Trưởng phòng", "x", None, "", ""],
    ])
    result = import_people(book)
    assert lines_of(result) == {3, 4, 5, 6, 7, 8}
    assert len([e for e in result.errors if e[0] == 8]) == 3
    assert not Person.objects.filter(staff_code__in=["S-1", "S-8"]).exists()
    book.seek(0)
    result = import_people(book, skip_errors=True)
    assert result.created == 2
    head = Person.objects.get(staff_code="S-8")
    assert head.is_head and head.category == "can_bo" and head.positions.count() == 1
    assert Person.objects.get(staff_code="S-1").birth_date == dt.date(1986, 12, 29)


# --- lineage ---------------------------------------------------------------------------------------


@pytest.fixture
def communes():
    old = make_unit("Xã Ba Bích", kind="commune", code="L-21526", valid_to=dt.date(2025, 6, 30))
    old2 = make_unit("Xã Ba Cung", kind="commune", code="L-21511", valid_to=dt.date(2025, 6, 30))
    new = make_unit("Xã Ba Tơ", kind="commune", code="L-21484", valid_from=dt.date(2025, 7, 1))
    return old, old2, new


LINEAGE_HEADER = "predecessor_code,successor_code,effective_on,kind,source\n"


def test_lineage_import_and_dates_contradicting_validity_refused(communes):
    text = LINEAGE_HEADER + (
        "L-21526,L-21484,01/07/2025,merge,NQ 1677\n"        # good
        "L-21511,L-21484,01/06/2025,sáp nhập,NQ 1677\n"     # predecessor still valid; successor not yet
        "L-21511,L-21484,,merge,\n"                          # missing date
        "L-21526,L-21484,01/07/2025,merge,\n"               # duplicate of line 2
        "L-21511,NOPE,01/07/2025,merge,\n"                   # unknown successor
        "L-21511,L-21484,01/07/2025,fusion,\n"               # unknown kind
    )
    result = import_lineage(csv_bytes(text))
    assert lines_of(result) == {3, 4, 5, 6, 7}
    reasons = [r for line, r in result.errors if line == 3]
    assert any("còn hiệu lực" in r for r in reasons) and any("chỉ có hiệu lực từ" in r for r in reasons)
    assert UnitLineage.objects.count() == 0
    result = import_lineage(csv_bytes(text), skip_errors=True)
    assert result.created == 1
    link = UnitLineage.objects.get()
    assert (link.predecessor.code, link.successor.code, link.effective_on) == ("L-21526", "L-21484", dt.date(2025, 7, 1))


def test_lineage_cycles_refused(communes):
    a = make_unit("Sở A", code="L-A")
    b = make_unit("Sở B", code="L-B")
    c = make_unit("Sở C", code="L-C")
    result = import_lineage(csv_bytes(LINEAGE_HEADER + "L-A,L-B,01/03/2025,transfer,\nL-B,L-C,01/03/2025,transfer,\n"
                                                       "L-C,L-A,01/03/2025,transfer,\nL-A,L-A,01/03/2025,transfer,\n"))
    assert lines_of(result) == {4, 5}
    assert any("vòng lặp" in r for _, r in result.errors)
    assert not UnitLineage.objects.filter(predecessor__in=[a, b, c]).exists()


# --- divisions and commands ------------------------------------------------------------------------


def test_import_divisions_creates_then_updates_nothing():
    first = import_divisions(province_code=51)
    assert first.created == 97  # the province + 96 xã, phường, đặc khu of the list of 01/07/2025
    ba_to = Unit.objects.get(code="51-21484")
    assert (ba_to.name, ba_to.kind, ba_to.parent.code, ba_to.valid_from) == ("Xã Ba Tơ", "commune", "51", dt.date(2025, 7, 1))
    assert Unit.objects.get(code="51-21548").kind == "special_zone"
    again = import_divisions(province_code="51")
    assert (again.created, again.updated, again.skipped) == (0, 0, 97)
    with pytest.raises(Exception) as err:
        import_divisions(province_code=99)
    assert getattr(err.value, "code", "") == "import.province_unknown"


def test_commands_report_errors_and_exit_nonzero(tmp_path):
    good = tmp_path / "units.csv"
    good.write_text(UNIT_HEADER + "K1,,Sở Nội vụ,agency,,,,\nK2,,Sai,xx,,,,\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_units", str(good), stdout=io.StringIO(), stderr=err)
    assert "Dòng 3" in err.getvalue()
    out = io.StringIO()
    call_command("import_units", str(good), "--skip-errors", stdout=out, stderr=io.StringIO())
    assert "tạo mới 1" in out.getvalue()
    people = tmp_path / "people.csv"
    people.write_text("full_name,category,unit_code\nTrần Văn Bình,công chức,K1\n", encoding="utf-8")
    call_command("import_people", str(people), stdout=io.StringIO())
    assert Person.objects.get(full_name="Trần Văn Bình").unit.code == "K1"
