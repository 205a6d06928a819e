"""XLSX import: every bad row reported, nothing imported unless --skip-bad-rows."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from emu_factories import make_tree, staffed_person
from openpyxl import Workbook

from congvu.emulation.importing import import_workbook
from congvu.emulation.models import AwardRecord, Initiative, PersonYearRecord
from factories import make_person

pytestmark = pytest.mark.django_db

RATING_HEAD = ["Mã cán bộ", "Họ và tên", "Năm", "Xếp loại", "Kỷ luật", "Ngày tuyển dụng"]
INIT_HEAD = ["Mã sáng kiến", "Tên sáng kiến", "Tác giả", "Mã đơn vị", "Năm", "Phạm vi", "Số quyết định",
             "Ngày công nhận", "Áp dụng hiệu quả"]
AWARD_HEAD = ["Mã cán bộ", "Mã đơn vị", "Danh hiệu", "Năm", "Số quyết định", "Ngày quyết định", "Cấp quyết định",
              "Người ký", "Số tiền", "Mã sáng kiến"]


def workbook(ratings=(), initiatives=(), awards=()) -> io.BytesIO:
    wb = Workbook()
    wb.remove(wb.active)
    for name, head, rows in (("Xếp loại", RATING_HEAD, ratings), ("Sáng kiến", INIT_HEAD, initiatives),
                             ("Khen thưởng", AWARD_HEAD, awards)):
        if rows:
            ws = wb.create_sheet(name)
            ws.append(head)
            for row in rows:
                ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


@pytest.fixture
def setup():
    root, a, b = make_tree()
    p1 = make_person(a, name="Trần Thị Lan", staff_code="CB001")
    p2 = staffed_person(a, recruited=dt.date(2023, 8, 1))
    p2.staff_code = "CB002"
    p2.save()
    return root, a, p1, p2


def good_rows(a):
    ratings = [("CB001", "Trần Thị Lan", 2023, "Hoàn thành xuất sắc nhiệm vụ", "", "01/03/2015"),
               ("CB001", "Trần Thị Lan", 2024, "HTXSNV", "", None),
               ("CB002", None, 2024, "good", "", None)]
    initiatives = [("X1", "Số hóa hồ sơ", "CB001", a.code, 2023, "cơ sở", "15/QĐ-UBND", "20/11/2023", "có")]
    awards = [("CB001", None, "Chiến sĩ thi đua cơ sở", 2023, "30/QĐ-UBND", dt.datetime(2023, 12, 20),
               "Chủ tịch UBND huyện", "Nguyễn Văn A", "1.800.000", "X1"),
              (None, a.code, "TTLDXS", 2023, "31/QĐ-UBND", "20/12/2023", "", "", "", "")]
    return ratings, initiatives, awards


def test_good_workbook_imports_everything(setup):
    root, a, p1, p2 = setup
    ratings, initiatives, awards = good_rows(a)
    report = import_workbook(actor=None, stream=workbook(ratings, initiatives, awards))
    assert report.errors == []
    assert report.applied
    assert report.imported == {"ratings": 3, "initiatives": 1, "awards": 2}
    assert PersonYearRecord.objects.get(person=p1, year=2023).rating == "excellent"
    assert p1.emulation_profile.recruited_on == dt.date(2015, 3, 1)
    ini = Initiative.objects.get()
    award = AwardRecord.objects.get(person=p1)
    assert award.achievement_ref == ini.ref and award.amount == 1800000
    # importing the same file again: ratings unchanged, awards refused as duplicates
    again = import_workbook(actor=None, stream=workbook(ratings))
    assert again.unchanged == 3 and again.errors == []


def test_every_bad_row_reported_and_nothing_imported(setup):
    root, a, p1, p2 = setup
    ratings, initiatives, awards = good_rows(a)
    ratings += [("CB999", None, 2024, "good", "", None),            # unknown person
                ("CB002", None, 2021, "good", "", None),            # before recruitment (2023)
                ("CB001", "Lê Văn Sai", 2022, "good", "", None),    # name does not match
                ("CB001", None, 2024, "tuyệt vời", "", None),       # bad rating
                ("CB001", None, 2024, "good", "", None)]            # duplicate of row 3 (CB001 2024)
    initiatives += [("X2", "Cải tiến", "CB001", a.code, 2024, "cơ sở", "40/QĐ", "25/12/2024", "có")]
    awards += [("CB001", None, "CSTDCS", 2024, "41/QĐ", "20/12/2024", "", "", "", "X2"),  # initiative after decision
               ("CB001", None, "Huy chương vàng ??", 2024, "", "", "", "", "", ""),
               ("CB001", None, "LDTT", "hai nghìn", "", "", "", "", "", "")]
    report = import_workbook(actor=None, stream=workbook(ratings, initiatives, awards))
    assert not report.applied
    where = {(e.sheet, e.row): e for e in report.errors}
    assert set(where) == {("Xếp loại", 5), ("Xếp loại", 6), ("Xếp loại", 7), ("Xếp loại", 8), ("Xếp loại", 9),
                          ("Khen thưởng", 4), ("Khen thưởng", 5), ("Khen thưởng", 6)}
    assert "CB999" in where[("Xếp loại", 5)].reason
    assert "tuyển dụng" in where[("Xếp loại", 6)].reason
    assert where[("Xếp loại", 8)].column == "Xếp loại"
    assert "trùng với dòng 3" in where[("Xếp loại", 9)].reason
    assert "sau quyết định" in where[("Khen thưởng", 4)].reason
    assert where[("Khen thưởng", 4)].column == "Mã sáng kiến"
    assert where[("Khen thưởng", 6)].column == "Năm"
    assert not PersonYearRecord.objects.exists()
    assert not Initiative.objects.exists() and not AwardRecord.objects.exists()
    report = import_workbook(actor=None, stream=workbook(ratings, initiatives, awards), skip_bad_rows=True)
    assert report.applied and len(report.errors) == 8
    assert report.imported == {"ratings": 3, "initiatives": 2, "awards": 2}


def test_missing_columns_and_not_xlsx(setup):
    from congvu.common.errors import DomainError

    wb = Workbook()
    ws = wb.active
    ws.title = "Xếp loại"
    ws.append(["Mã cán bộ", "Năm"])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    with pytest.raises(DomainError, match="thiếu cột: Xếp loại"):
        import_workbook(actor=None, stream=out)
    with pytest.raises(DomainError, match="Không đọc được"):
        import_workbook(actor=None, stream=io.BytesIO(b"not a workbook"))


def test_import_command(setup, tmp_path, capsys):
    root, a, p1, p2 = setup
    ratings, initiatives, awards = good_rows(a)
    path = tmp_path / "lich-su.xlsx"
    path.write_bytes(workbook(ratings + [("CB999", None, 2024, "good", "", None)]).getvalue())
    with pytest.raises(CommandError, match="không nhập gì"):
        call_command("emulation_import", str(path), "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["errors"] == [{"sheet": "Xếp loại", "row": 5, "column": "Mã cán bộ",
                              "reason": "không có cán bộ mã 'CB999'"}]
    assert not PersonYearRecord.objects.exists()
    call_command("emulation_import", str(path), "--skip-bad-rows")
    assert PersonYearRecord.objects.count() == 3
