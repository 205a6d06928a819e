"""Import of the procedures catalogue from XLSX (three sheets) and CSV (procedures only): everything
validated first with sheet + line + reason, nothing written on any error unless skip_errors, upsert by
code with components and steps replaced, one audit entry per procedure, the command."""

import datetime as dt
import io
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from congvu.audit.models import AuditEntry
from congvu.onestop import services as s
from congvu.onestop.catalogue import procedures_import
from congvu.onestop.importing import ImportFileError
from congvu.onestop.models import Field, Procedure, ProcedureComponent, ProcedureStep
from factories import make_unit

PROC_HEADER = ["Mã thủ tục", "Tên thủ tục", "Mã lĩnh vực", "Lĩnh vực", "Cấp thực hiện", "Mã cơ quan giải quyết",
               "Thời hạn giải quyết", "Đơn vị tính", "Mức độ DVCTT", "Phí, lệ phí", "Căn cứ pháp lý",
               "Hiệu lực từ", "Hiệu lực đến"]
COMP_HEADER = ["Mã thủ tục", "Tên thành phần", "Bản chính/bản sao", "Số lượng"]
STEP_HEADER = ["Mã thủ tục", "Bước", "Tên bước", "Đơn vị hoặc vai trò thực hiện", "Tỷ lệ thời gian (%)"]


def procedures(unit_code):
    return [
        ["1.001193", "Thủ tục đăng ký khai sinh", "HT", "Hộ tịch", "Cấp xã", unit_code, 3, "ngày làm việc",
         "Toàn trình", "Miễn", "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP", dt.date(2024, 1, 1), None],
        ["1.004227", "Thủ tục chứng thực bản sao từ bản chính", "CT", "Chứng thực", "cấp xã", unit_code, 1, "ngày",
         "một phần", "2.000", "Nghị định 23/2015/NĐ-CP", "01/07/2015", ""],
        ["2.000908", "Cấp giấy phép khai thác thủy sản", "TS", "Thủy sản", "Cấp tỉnh", "", 8, "giờ", "không",
         "40000", "", "", ""],
    ]


COMPONENTS = [
    ["1.001193", "Tờ khai đăng ký khai sinh", "bản chính", 1],
    ["1.001193", "Giấy chứng sinh", "Bản chính", 1],
    ["1.001193", "Giấy chứng sinh", "bản sao", 1],  # same component: one row each for original and copy
    ["1.004227", "Bản chính giấy tờ cần chứng thực", "bản chính", 1],
    ["2.000908", "Đơn đề nghị", "bản chính", 1],
]
STEPS = [
    ["1.001193", 1, "Tiếp nhận hồ sơ", "onestop_officer", "10%"],
    ["1.001193", 2, "Thẩm định, trình ký", "H55.01.12", 60],
    ["1.001193", 3, "Ký duyệt", "Lãnh đạo đơn vị", 30],
    ["2.000908", 1, "Tiếp nhận", "", 100],
]


def workbook(procs, comps=COMPONENTS, steps=STEPS):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Thủ tục"
    sheet.append(PROC_HEADER)
    for row in procs:
        sheet.append(row)
    for title, header, rows in (("Thành phần", COMP_HEADER, comps), ("Quy trình", STEP_HEADER, steps)):
        ws = book.create_sheet(title)
        ws.append(header)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


@pytest.fixture
def desk(commune):
    return make_unit("Bộ phận một cửa xã Bình Thạnh", kind="onestop_desk", parent=commune, code="H55.01.12")


def test_xlsx_creates_procedures_components_steps(desk):
    result = procedures_import(workbook(procedures(desk.code)))
    assert result.ok, result.errors
    assert (result.created, result.updated, result.skipped) == (3, 0, 0)

    birth = Procedure.objects.get(code="1.001193")
    assert birth.field.name == "Hộ tịch" and birth.level == "commune" and birth.competent_unit == desk
    assert (birth.processing_time, birth.time_unit, birth.online_level) == (3, "working_days", "full")
    assert birth.fee_amount == 0 and birth.effective_from == dt.date(2024, 1, 1) and birth.effective_to is None
    comps = list(birth.components.order_by("order").values_list("name", "originals", "copies"))
    assert comps == [("Tờ khai đăng ký khai sinh", 1, 0), ("Giấy chứng sinh", 1, 1)]
    steps = list(birth.steps.order_by("order"))
    assert [st.share for st in steps] == [Decimal("0.1"), Decimal("0.6"), Decimal("0.3")]
    assert steps[0].responsible_role == "onestop_officer" and steps[1].responsible_unit == desk
    assert steps[2].responsible_role == "unit_leader"

    copy = Procedure.objects.get(code="1.004227")
    assert copy.time_unit == "days" and copy.fee_amount == 2000 and copy.online_level == "partial"
    assert copy.effective_from == dt.date(2015, 7, 1) and not copy.steps.exists()
    fish = Procedure.objects.get(code="2.000908")
    assert fish.time_unit == "hours" and fish.level == "province" and fish.competent_unit is None
    assert fish.fee_amount == 40000 and fish.steps.get().share == 1
    assert AuditEntry.objects.filter(action="create", object_type="onestop.procedure").count() == 3
    assert AuditEntry.objects.filter(action="import", object_type="onestop.procedure").count() == 1


def test_every_problem_reported_with_sheet_and_line_and_nothing_imported(desk):
    procs = procedures(desk.code)
    procs[0][5] = "KHONG-CO"  # unknown unit
    procs[1][7] = "tuần"  # bad time unit
    procs[2][11], procs[2][12] = "31/02/2024", ""  # bad date
    procs.append(["1.001193", "Trùng", "HT", "Hộ tịch", "Cấp xã", "", 1, "ngày", "", "", "", "", ""])  # duplicate
    comps = [*COMPONENTS, ["9.999", "Không có thủ tục", "bản chính", 1], ["2.000908", "Ảnh", "bản photo", 1]]
    steps = [["1.001193", 1, "Tiếp nhận", "", 50], ["1.001193", 2, "Giải quyết", "", 40],
             ["2.000908", 1, "Tiếp nhận", "không có ai", 100]]
    result = procedures_import(workbook(procs, comps, steps))
    assert not result.ok and result.created == 0
    assert Procedure.objects.count() == 0 and Field.objects.count() == 0
    by_sheet = {(sheet, line): reason for sheet, line, reason in result.sheet_errors}
    assert "KHONG-CO" in by_sheet[("Thủ tục", 2)]
    assert "đơn vị tính" in by_sheet[("Thủ tục", 3)] and "tuần" in by_sheet[("Thủ tục", 3)]
    assert "ngày không hợp lệ" in by_sheet[("Thủ tục", 4)]
    assert "trùng mã thủ tục 1.001193" in by_sheet[("Thủ tục", 5)]
    assert "9.999" in by_sheet[("Thành phần", 7)]
    assert "bản photo" in by_sheet[("Thành phần", 8)]
    assert "90%" in by_sheet[("Quy trình", 2)] and "100%" in by_sheet[("Quy trình", 2)]
    assert "không có ai" in by_sheet[("Quy trình", 4)]
    assert "Dòng 2: [Thủ tục]" in result.error_report()


def test_skip_errors_imports_the_procedures_without_problems(desk):
    procs = procedures(desk.code)
    procs[1][6] = "ba"  # bad processing time: 1.004227 is skipped
    steps = [*STEPS[:3], ["2.000908", 1, "Tiếp nhận", "", 80]]  # shares 80 %: 2.000908 is skipped
    result = procedures_import(workbook(procs, steps=steps), skip_errors=True)
    assert result.created == 1 and result.codes == ["1.001193"]
    assert {line for line, _ in result.errors} == {3, 5}
    assert set(Procedure.objects.values_list("code", flat=True)) == {"1.001193"}


def test_reimport_updates_fields_and_replaces_components_and_steps(desk):
    procedures_import(workbook(procedures(desk.code)))
    birth = Procedure.objects.get(code="1.001193")
    first_component = birth.components.get(order=1).pk
    procs = procedures(desk.code)
    procs[0][6], procs[0][9] = 5, "10.000 đồng"
    comps = [["1.001193", "Tờ khai (mẫu mới)", "bản chính", 2]]
    steps = [["1.001193", 1, "Tiếp nhận", "", 25], ["1.001193", 2, "Giải quyết", "", 75]]
    result = procedures_import(workbook(procs, comps, steps))
    assert result.ok and (result.created, result.updated) == (0, 3)
    birth.refresh_from_db()
    assert birth.processing_time == 5 and birth.fee_amount == 10000
    assert list(birth.components.values_list("pk", "name", "originals")) == [(first_component, "Tờ khai (mẫu mới)", 2)]
    assert list(birth.steps.order_by("order").values_list("name", "share")) == [
        ("Tiếp nhận", Decimal("0.25")), ("Giải quyết", Decimal("0.75"))]
    update = AuditEntry.objects.filter(action="update", object_type="onestop.procedure",
                                       object_id=str(birth.pk)).get()
    assert update.before["processing_time"] == "3.00" and update.after["processing_time"] == "5.00"
    assert len(update.before["steps"]) == 3 and len(update.after["steps"]) == 2
    assert ProcedureComponent.objects.filter(procedure__code="1.004227").count() == 1


def test_step_in_use_by_an_open_dossier_is_not_dropped(desk):
    procedures_import(workbook(procedures(desk.code)))
    birth = Procedure.objects.get(code="1.001193")
    d = s.dossier_receive(procedure=birth, unit=desk, applicant_name="Nguyễn Văn A", channel="in_person")
    s.dossier_transfer(dossier=d)
    s.dossier_step_complete(dossier=d)
    s.dossier_step_complete(dossier=d)  # now at step 3
    result = procedures_import(workbook(procedures(desk.code), steps=[["1.001193", 1, "Một bước", "", 100]]))
    assert not result.ok and "đang ở bước bị bỏ" in result.error_report()
    assert ProcedureStep.objects.filter(procedure=birth).count() == 3


def test_excel_percent_cells_read_as_fractions(desk):
    steps = [["2.000908", 1, "Tiếp nhận", "", 0.2], ["2.000908", 2, "Giải quyết", "", 0.8]]
    result = procedures_import(workbook(procedures(desk.code), steps=steps))
    assert result.ok, result.errors
    assert list(ProcedureStep.objects.filter(procedure__code="2.000908").values_list("share", flat=True)) == [
        Decimal("0.2"), Decimal("0.8")]


def test_csv_first_sheet_only(desk):
    rows = [PROC_HEADER, ["1.001193", "Thủ tục đăng ký khai sinh", "HT", "Hộ tịch", "Cấp xã", desk.code, "3",
                          "ngày làm việc", "toàn trình", "0", "", "01/01/2024", ""]]
    data = "\n".join(";".join(r) for r in rows).encode("utf-8")
    result = procedures_import(data)
    assert result.ok and result.created == 1
    assert not Procedure.objects.get().components.exists()
    with pytest.raises(ImportFileError):
        procedures_import("Mã thủ tục;Tên\n1;a\n".encode())  # missing columns
    with pytest.raises(ImportFileError):
        procedures_import(b"M\xe3 th\xf9 t\xfbc,T\xean\n1,H\xf4\n")  # Windows-1258 bytes


def test_command(desk, tmp_path):
    path = tmp_path / "danh_muc.xlsx"
    procs = procedures(desk.code)
    procs[2][4] = "cấp thôn"
    path.write_bytes(workbook(procs))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("onestop_procedures_import", str(path), stdout=StringIO(), stderr=err)
    assert "Dòng 4: [Thủ tục] cấp thực hiện không hợp lệ" in err.getvalue()
    assert Procedure.objects.count() == 0
    out = StringIO()
    call_command("onestop_procedures_import", str(path), "--skip-errors", stdout=out, stderr=StringIO())
    assert "thêm mới 2" in out.getvalue() and Procedure.objects.count() == 2
