"""Import of dossier records from a provincial system (CSV / XLSX with the DVCQG field names): every bad
row reported with its line, nothing imported unless skip_errors, verdicts from the recorded dates,
roll-ups (through lineage), idempotent re-import, the command."""

import codecs
import datetime as dt
import io
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from congvu.audit.models import AuditEntry
from congvu.onestop import services as s
from congvu.onestop.importing import ImportFileError, onestop_records_import, parse_moment
from congvu.onestop.models import DailyRollup, Dossier, DossierEvent, Procedure
from congvu.onestop.selectors import onestop_stats, onestop_stats_from_rows
from congvu.org.services import unit_lineage_create
from factories import make_unit

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2024, 3, 20, 12, 0, tzinfo=VN)
MARCH = {"date_from": dt.date(2024, 3, 1), "date_to": dt.date(2024, 3, 31), "now": NOW}

HEADER = ["MaHoSo", "MaTTHC", "NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "NgayTraKetQua", "KenhThucHien",
          "TrangThaiHoSo", "ChuHoSo", "NgayYeuCauBoSung", "NgayHoanThanhBoSung"]
# Three date formats on purpose: dd/mm/yyyy HH:MM, ISO, yyyyMMddHHmmss (the DVCQG sync format).
GOOD = [
    ["CU-0001", "1.001193", "04/03/2024 08:30", "08/03/2024 17:00", "06/03/2024 10:00", "06/03/2024 14:00", "1",
     "Đã trả kết quả", "Nguyễn Thị Hoa", "", ""],  # early
    ["CU-0002", "1.001193", "2024-03-04T09:00:00", "2024-03-08T17:00:00", "2024-03-08T16:00:00", "", "2",
     "Đã xử lý xong", "Trần Văn Bình", "", ""],  # on time (same day as the due date)
    ["CU-0003", "1.001193", "20240304100000", "20240308170000", "20240311090000", "20240311100000", "3",
     "", "Lê Văn Nam", "", ""],  # late, status from the dates (returned)
    ["CU-0004", "1.001193", "05/03/2024 08:00", "06/03/2024 17:00", "", "", "2", "Đang xử lý", "Phạm Thị Lan",
     "", ""],  # open and overdue on 20/03
    ["CU-0005", "1.001193", "04/03/2024 08:00", "05/03/2024 17:00", "07/03/2024 16:00", "", "1", "Đã xử lý xong",
     "Võ Văn Tâm", "05/03/2024 09:00", "07/03/2024 09:00"],  # on time once the 48 h supplement wait is excluded
]


def csv_bytes(rows, *, header=HEADER, delimiter=",", bom=False, encoding="utf-8"):
    text = "\n".join(delimiter.join(r) for r in [header, *rows]) + "\n"
    data = text.encode(encoding)
    return codecs.BOM_UTF8 + data if bom else data


def xlsx_bytes(rows, *, header=HEADER):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


@pytest.fixture
def desk(commune):
    return make_unit("Bộ phận một cửa xã Bình Thạnh", kind="onestop_desk", parent=commune, code="H55.01.12")


@pytest.fixture
def procedure(db):
    field = s.field_get_or_create(code="HT", name="Hộ tịch")
    return s.procedure_create(code="1.001193", name="Thủ tục đăng ký khai sinh", field=field, level="commune",
                              processing_time=3)


def run(data, unit, **kw):
    return onestop_records_import(data, unit=unit, now=NOW, **kw)


def test_parse_moment_formats():
    assert parse_moment("04/03/2024") == (dt.datetime(2024, 3, 4, tzinfo=VN), True)
    assert parse_moment("4/3/2024 8:05") == (dt.datetime(2024, 3, 4, 8, 5, tzinfo=VN), False)
    assert parse_moment("04-03-2024 08:05:09")[0] == dt.datetime(2024, 3, 4, 8, 5, 9, tzinfo=VN)
    assert parse_moment("2024-03-04T08:05:00+07:00")[0] == dt.datetime(2024, 3, 4, 8, 5, tzinfo=VN)
    assert parse_moment("2024-03-04 01:05:00Z")[0] == dt.datetime(2024, 3, 4, 8, 5, tzinfo=VN)
    assert parse_moment("20240304080500")[0] == dt.datetime(2024, 3, 4, 8, 5, tzinfo=VN)
    assert parse_moment(20240304080500)[0] == dt.datetime(2024, 3, 4, 8, 5, tzinfo=VN)  # an Excel number cell
    assert parse_moment(dt.datetime(2024, 3, 4, 8, 5))[0] == dt.datetime(2024, 3, 4, 8, 5, tzinfo=VN)
    assert parse_moment("") == (None, False)
    for bad in ("31/02/2024", "2024/03/04", "hôm qua", "202403041"):
        with pytest.raises(ValueError):
            parse_moment(bad)


def test_csv_with_bom_verdicts_rollups_events_audit(procedure, desk):
    result = run(csv_bytes(GOOD, bom=True), desk)
    assert result.ok and result.created == 5 and result.skipped == 0
    v = dict(Dossier.objects.values_list("code", "verdict"))
    assert v == {"CU-0001": "early", "CU-0002": "on_time", "CU-0003": "late", "CU-0004": "", "CU-0005": "on_time"}
    d3 = Dossier.objects.get(code="CU-0003")
    assert (d3.state, d3.sync_channel, d3.channel) == ("returned", 3, "postal")
    assert d3.due_at == d3.due_at_original == dt.datetime(2024, 3, 8, 17, 0, tzinfo=VN)  # recorded, not recomputed
    assert d3.rule_version == "nd61-2018" and d3.processing_seconds == 7 * 86400 - 3600
    d5 = Dossier.objects.get(code="CU-0005")
    assert d5.supplement_count == 1 and d5.paused_intervals[0][1] is not None
    assert Dossier.objects.get(code="CU-0004").state == "processing"
    assert DossierEvent.objects.filter(dossier__code="CU-0001").count() == 3  # receive, record_result, return_result
    assert AuditEntry.objects.filter(action="import", object_type="onestop.dossier").count() == 1

    figures = onestop_stats(unit=desk, **MARCH)
    assert figures == onestop_stats_from_rows(unit=desk, **MARCH)
    assert (figures["received"], figures["early"], figures["on_time"], figures["late"]) == (5, 1, 2, 1)
    assert (figures["in_person"], figures["online"], figures["postal"]) == (2, 2, 1)
    assert (figures["in_progress"], figures["overdue"]) == (1, 1)
    assert figures["on_time_rate"] == 60.0  # (early + on time + in progress − overdue) / (finished + in progress)


def test_semicolon_delimiter_and_vietnamese_headers(procedure, desk):
    header = ["Mã hồ sơ", "Mã TTHC", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày kết thúc xử lý", "Ngày trả kết quả",
              "Kênh thực hiện", "Trạng thái hồ sơ", "Chủ hồ sơ", "Ngày yêu cầu bổ sung", "Ngày hoàn thành bổ sung"]
    result = run(csv_bytes(GOOD[:3], header=header, delimiter=";"), desk)
    assert result.ok and result.created == 3
    assert Dossier.objects.get(code="CU-0002").channel == "online"


def test_xlsx_generated_with_date_cells(procedure, desk):
    rows = [
        ["X-1", "1.001193", dt.datetime(2024, 3, 4, 8, 30), dt.datetime(2024, 3, 8, 17, 0),
         dt.datetime(2024, 3, 12, 8, 0), None, 2, "Đã xử lý xong", "Nguyễn Văn An", None, None],
        ["X-2", "1.001193", dt.datetime(2024, 3, 4, 9, 0), dt.date(2024, 3, 8),  # date only: the whole day
         dt.datetime(2024, 3, 8, 20, 0), None, 1, None, "Trần Thị Mai", None, None],
    ]
    result = run(xlsx_bytes(rows), desk)
    assert result.ok, result.errors
    assert dict(Dossier.objects.values_list("code", "verdict")) == {"X-1": "late", "X-2": "on_time"}
    assert Dossier.objects.get(code="X-1").sync_channel == 2
    assert onestop_stats(unit=desk, **MARCH)["late"] == 1


def test_every_bad_row_reported_and_nothing_imported(procedure, desk):
    other = make_unit("Xã khác", kind="commune", code="OTHER-1")
    s.dossier_receive(procedure=procedure, unit=other, applicant_name="Đã có", channel="online",
                      received_at=dt.datetime(2024, 3, 1, 9, 0, tzinfo=VN))
    taken = Dossier.objects.get().code
    ok = GOOD[0]
    rows = [
        ok,                                                                   # line 2: fine
        ["", *ok[1:]],                                                        # 3: no MaHoSo
        ["B-4", ok[1], "32/03/2024", *ok[3:]],                                # 4: bad date
        ["B-5", ok[1], "08/03/2024 09:00", "04/03/2024 17:00", "", "", "1", "Đang xử lý", "A", "", ""],  # due < receipt
        ["B-6", ok[1], ok[2], ok[3], ok[4], ok[5], "7", *ok[7:]],             # 6: unknown channel
        ["CU-0001", *ok[1:]],                                                 # 7: duplicate of line 2
        ["B-8", "9.999999", *ok[2:]],                                         # 8: unknown procedure
        [taken, *ok[1:]],                                                     # 9: code of another dossier in DB
        ["B-10", ok[1], ok[2], ok[3], "", "", "1", "Đã trả kết quả", "A", "", ""],  # 10: finished without end date
        ["B-11", ok[1], ok[2], "", *ok[4:]],                                  # 11: no NgayHenTra
        ["B-12", ok[1], ok[2], ok[3], ok[4], ok[5], "1", "Chưa rõ", "A", "", ""],  # 12: unknown status
    ]
    header = [*HEADER, "DonViXuLy"]
    rows = [[*r, ""] for r in rows] + [["B-13", *ok[1:], "KHONG-CO"]]        # 13: unknown unit
    result = run(csv_bytes(rows, header=header), desk)
    lines = {line for line, _ in result.errors}
    assert lines == set(range(3, 14)), result.error_report()
    report = result.error_report()
    for text in ("Dòng 3: thiếu mã hồ sơ", "Dòng 4: NgayTiepNhan: ngày giờ không hợp lệ '32/03/2024'",
                 "Dòng 5: NgayHenTra 04/03/2024 17:00 trước NgayTiepNhan", "Dòng 6: kênh thực hiện không hợp lệ: '7'",
                 "Dòng 7: mã hồ sơ CU-0001 trùng với dòng 2", "Dòng 8: mã thủ tục 9.999999 không có",
                 f"Dòng 9: mã hồ sơ {taken} đã có trong hệ thống cho hồ sơ khác", "Dòng 10: hồ sơ đã kết thúc",
                 "Dòng 11: thiếu NgayHenTra", "Dòng 12: trạng thái hồ sơ không hợp lệ",
                 "Dòng 13: không tìm thấy đơn vị 'KHONG-CO'"):
        assert text in report
    assert result.created == 0 and result.skipped == 12
    assert Dossier.objects.count() == 1 and not DailyRollup.objects.filter(unit=desk).exists()

    result = run(csv_bytes(rows, header=header), desk, skip_errors=True)  # skip mode: the good row goes in
    assert result.created == 1 and result.skipped == 11 and len(result.errors) == 11
    assert Dossier.objects.filter(unit=desk).get().code == "CU-0001"
    assert onestop_stats(unit=desk, **MARCH)["early"] == 1


def test_unknown_procedure_created_on_request(desk, db):
    rows = [["P-1", "2.000815", *GOOD[0][2:]]]
    header = [*HEADER, "TenTTHC"]
    rows = [[*rows[0], "Chứng thực bản sao từ bản chính"]]
    assert not run(csv_bytes(rows, header=header), desk).ok
    result = run(csv_bytes(rows, header=header), desk, create_procedures=True)
    assert result.ok and result.procedures_created == ["2.000815"]
    assert Procedure.objects.get(code="2.000815").name == "Chứng thực bản sao từ bản chính"


def test_wrong_encoding_refused(procedure, desk):
    data = csv_bytes([[*GOOD[0][:7], "", "Lê Văn Hà", "", ""]], encoding="cp1258")  # Excel "CSV" on Windows
    with pytest.raises(ImportFileError) as exc:
        run(data, desk)
    assert "UTF-8" in exc.value.message
    with pytest.raises(ImportFileError):
        run(csv_bytes(GOOD, encoding="utf-16"), desk)
    assert not Dossier.objects.exists()


def test_reimport_is_idempotent(procedure, desk):
    data = csv_bytes(GOOD, delimiter=";")
    assert run(data, desk).created == 5
    before = onestop_stats(unit=desk, **MARCH)
    again = run(data, desk)
    assert again.ok and again.created == 0 and again.skipped == 5 and len(again.existing) == 5
    assert Dossier.objects.count() == 5 and DossierEvent.objects.count() == 13
    assert onestop_stats(unit=desk, **MARCH) == before


def test_merged_commune_counts_for_its_successor(procedure, district):
    old = make_unit("Xã Ba Bích", kind="commune", parent=district, code="L-21526", valid_to=dt.date(2025, 6, 30))
    new = make_unit("Xã Ba Tơ mới", kind="commune", parent=district, code="N-1", valid_from=dt.date(2025, 7, 1))
    unit_lineage_create(predecessor=old, successor=new, effective_on=dt.date(2025, 7, 1))
    header = [*HEADER, "DonViXuLy"]
    rows = [[*GOOD[0], "L-21526"], [*GOOD[2], ""]]  # one for the predecessor, one for the successor itself
    result = run(csv_bytes(rows, header=header), new)
    assert result.ok, result.errors
    assert Dossier.objects.get(code="CU-0001").unit == old
    succ = onestop_stats(unit=new, **MARCH)
    assert (succ["received"], succ["early"], succ["late"]) == (2, 1, 1)
    assert succ == onestop_stats_from_rows(unit=new, **MARCH)
    assert onestop_stats(unit=old, **MARCH)["received"] == 1
    # a unit outside the successor's subtree and lineage is refused
    stranger = make_unit("Xã xa", kind="commune", code="FAR-1")
    bad = run(csv_bytes([[*GOOD[1], "FAR-1"]], header=header), new)
    assert "không thuộc" in bad.error_report() and stranger.pk


def test_own_format_codes_reserve_their_numbers(procedure, desk):
    rows = [["H55.01.12-240304-0007", *GOOD[0][1:]]]
    assert run(csv_bytes(rows), desk).created == 1
    d = s.dossier_receive(procedure=procedure, unit=desk, applicant_name="Mới", channel="online",
                          received_at=dt.datetime(2024, 3, 4, 10, 0, tzinfo=VN))
    assert d.code == "H55.01.12-240304-0008"


def test_command(procedure, desk, tmp_path):
    path = tmp_path / "hoso.csv"
    path.write_bytes(csv_bytes([*GOOD, ["B-9", "1.001193", "xx", *GOOD[0][3:]]], bom=True))
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="không nhập hồ sơ nào"):
        call_command("onestop_import", str(path), "--unit", desk.code, stdout=out, stderr=err)
    assert "Dòng 7: NgayTiepNhan: ngày giờ không hợp lệ 'xx'" in err.getvalue()
    assert not Dossier.objects.exists()
    out, err = StringIO(), StringIO()
    call_command("onestop_import", str(path), "--unit", desk.code, "--skip-errors", stdout=out, stderr=err)
    assert "nhập mới 5, bỏ qua 1 (đã có 0), dòng lỗi 1" in out.getvalue()
    assert "Dòng 7:" in err.getvalue()
    with pytest.raises(CommandError, match="Không tìm thấy đơn vị"):
        call_command("onestop_import", str(path), "--unit", "KHONG-CO", stdout=out, stderr=err)
