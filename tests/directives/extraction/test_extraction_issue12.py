"""Issue 12: deadlines of every form (properties), recurring and relative deadlines, bodies outside any
registry, and bad input (scanned PDF, empty file, TCVN3/VNI, a web page saved with its menus)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from congvu.directives.extraction import document_text, extract_text
from congvu.directives.extraction.bodies import leading_bodies, parse_bodies
from congvu.directives.extraction.cli import main
from congvu.directives.extraction.deadlines import find_deadline, month_end, quarter_end
from congvu.directives.extraction.normalize import fold, unicode_to_tcvn3, unicode_to_vni

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
REF = date(2024, 3, 5)
DATES = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@settings(deadline=None)
@given(DATES, st.sampled_from(["{d:02d}/{m:02d}/{y}", "{d}.{m}.{y}", "{d:02d}-{m:02d}-{y}", "{d} tháng {m} năm {y}"]),
       st.sampled_from(["trước ngày", "chậm nhất ngày", "hoàn thành trước ngày", "thời hạn: ngày"]))
def test_explicit_dates_parse_back(d: date, form: str, cue: str) -> None:
    written = form.format(d=d.day, m=d.month, y=d.year)
    dl = find_deadline(f"Sở Nội vụ báo cáo kết quả {cue} {written}.", REF.year, REF)
    assert dl is not None and dl.date == d and dl.recurrence is None


@settings(deadline=None)
@given(st.integers(2000, 2090), st.integers(1, 12), st.integers(1, 4))
def test_periods_resolve_to_their_last_day(year: int, month: int, q: int) -> None:
    assert find_deadline(f"hoàn thành trong tháng {month:02d}/{year}", year).date == month_end(year, month)
    assert find_deadline(f"hoàn thành trong Quý {ROMAN[q]} năm {year}", year).date == quarter_end(year, q)
    assert find_deadline(f"hoàn thành trong năm {year}", year).date == date(year, 12, 31)
    assert find_deadline(f"trước tháng {month}/{year}", year).date == date(year, month, 1) - timedelta(days=1)


@settings(deadline=None)
@given(DATES, st.integers(1, 12), st.integers(1, 28))
def test_yearly_deadline_is_the_next_occurrence(ref: date, month: int, day: int) -> None:
    dl = find_deadline(f"báo cáo trước ngày {day}/{month} hằng năm", ref.year, ref)
    assert dl is not None and dl.recurrence == {"freq": "yearly", "month": month, "day": day}
    assert dl.date is not None and (dl.date.month, dl.date.day) == (month, day)
    assert ref < dl.date <= ref + timedelta(days=366)


@settings(deadline=None)
@given(DATES, st.integers(1, 120))
def test_relative_calendar_days_count_from_the_document(ref: date, n: int) -> None:
    dl = find_deadline(f"trong thời hạn {n} ngày kể từ ngày ký", ref.year, ref)
    assert dl is not None and dl.date == ref + timedelta(days=n) and dl.basis == "calendar_days"


@settings(max_examples=200)
@given(st.text(max_size=200), st.none() | DATES)
def test_deadline_parser_never_crashes(text: str, ref: date | None) -> None:
    dl = find_deadline(text, ref.year if ref else None, ref)
    assert dl is None or (dl.text and (dl.date is None or isinstance(dl.date, date)))


def test_working_days_use_the_calendar_given() -> None:
    text = ("UBND TỈNH QUẢNG TRỊ\nSố: 10/UBND-KT\nQuảng Trị, ngày 05 tháng 3 năm 2025\nKính gửi: Sở Xây dựng\n"
            "Giao Sở Xây dựng rà soát, báo cáo UBND tỉnh trong thời hạn 05 ngày làm việc kể từ ngày ký./.\n")
    plain = extract_text(text)["tasks"][0]
    assert (plain["deadline"], plain["deadline_basis"]) == (None, "working_days")
    calendar = extract_text(text, workdays=lambda d, n: d + timedelta(days=n + 2))["tasks"][0]
    assert calendar["deadline"] == "2025-03-12" and calendar["deadline_text"].startswith("trong thời hạn 05 ngày")


@pytest.mark.parametrize("text, names", [
    ("Các Bộ: Công Thương, Xây dựng, Tài nguyên và Môi trường khẩn trương ban hành",
     ["Bộ Công Thương", "Bộ Xây dựng", "Bộ Tài nguyên và Môi trường"]),
    ("Ủy ban nhân dân tỉnh Phú Thọ chủ trì, phối hợp", ["Ủy ban nhân dân tỉnh Phú Thọ"]),
    ("Tập đoàn Điện lực Việt Nam, Tổng công ty Truyền tải điện quốc gia khẩn trương hoàn thành",
     ["Tập đoàn Điện lực Việt Nam", "Tổng công ty Truyền tải điện quốc gia"]),
    ("Cục Thuế, Vụ Pháp chế nghiên cứu", ["Cục Thuế", "Vụ Pháp chế"]),
    ("Chủ tịch UBND các xã, phường, đặc khu chịu trách nhiệm", ["Chủ tịch UBND các xã, phường, đặc khu"]),
    ("Giám đốc Sở Y tế chỉ đạo", ["Giám đốc Sở Y tế"]),
    ("Chủ đầu tư khẩn trương hoàn thiện hồ sơ", ["Chủ đầu tư"]),
    ("Công an tỉnh, Bộ Chỉ huy Quân sự tỉnh theo chức năng", ["Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh"]),
    ("Các bộ, ngành, địa phương khẩn trương rà soát", ["Các bộ, ngành, địa phương"]),
])
def test_bodies_outside_any_registry(text: str, names: list[str]) -> None:
    lead = leading_bodies(text)
    assert lead is not None and lead.names == names


def test_collective_names_are_kept_whole() -> None:
    text = "yêu cầu UBND các xã, phường, đặc khu triển khai"
    found = parse_bodies(text, text.index("UBND"), any_case=True)
    assert found is not None and found.names(text) == ["UBND các xã, phường, đặc khu"]


def _corpus_docs() -> list[Path]:
    return sorted(CORPUS.glob("*/*.txt"))


@pytest.mark.parametrize("path", _corpus_docs(), ids=lambda p: p.stem)
def test_layout_is_never_a_task_or_an_agency(path: Path) -> None:
    raw = path.read_text(encoding="utf-8")
    result = extract_text(raw)
    text = document_text(raw)
    for t in result["tasks"]:
        assert text[t["start"]:t["end"]] == t["source_text"]
        for field in (t["assignee"] or "", *t["co_assignees"], t["source_text"]):
            key = fold(field)
            assert "chu nghia viet nam" not in key and "doc lap - tu do" not in key and "noi nhan" not in key, field
        assert not fold(t["source_text"]).startswith(("luu:", "nhu tren", "kt. ", "tm. ", "tl. ")), t["source_text"]
        assert 0.0 < t["confidence"] <= 1.0


def _notice() -> str:
    return (CORPUS / "test" / "cv_laocai_4390_2026.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("encode", [lambda s: unicode_to_tcvn3(s).encode("latin-1", errors="replace"),
                                    lambda s: unicode_to_vni(s).encode("cp1252", errors="replace")],
                         ids=["tcvn3", "vni"])
def test_legacy_encodings_extract_like_unicode(tmp_path: Path, encode, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    unicode_result = extract_text(_notice())
    legacy = tmp_path / "cong-van.txt"
    legacy.write_bytes(encode(_notice()))
    assert main([str(legacy), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert len(result["tasks"]) == len(unicode_result["tasks"]) >= 4
    assert [fold(t["assignee"] or "") for t in result["tasks"]] == [fold(t["assignee"] or "")
                                                                    for t in unicode_result["tasks"]]


def test_web_page_saved_with_menus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    page = ("Trang chủ | Giới thiệu | Tin tức | Văn bản chỉ đạo | Liên hệ\nĐăng nhập\nSkip to main content\n"
            "Thông tin chỉ đạo điều hành Thứ 6, Ngày 06/01/2017, 16:00\n\n"
            "Tăng cường quản lý trật tự xây dựng\n\n"
            "UBND thành phố giao Sở Xây dựng chủ trì, phối hợp với UBND các quận, huyện kiểm tra trật tự xây dựng, "
            "báo cáo UBND thành phố trước ngày 20/01/2017.\n\n"
            "Cảnh sát trật tự Công an thành phố kiểm tra công trình (Ảnh: Minh Hà)\n\n"
            "Bài liên quan\nTin mới\nBản in Quay lại\nLượt xem: 1520\n")
    path = tmp_path / "trang-web.txt"
    path.write_text(page, encoding="utf-8")
    assert main([str(path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert [(t["assignee"], t["co_assignees"]) for t in result["tasks"]] == [("Sở Xây dựng", ["UBND các quận, huyện"])]
    assert [r["due"] for r in result["reports"]] == ["2017-01-20"]


def test_empty_and_scanned_input_give_a_clear_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "rong.txt"
    empty.write_bytes(b"")
    assert main([str(empty), "--json"]) == 2
    assert "Tệp rỗng" in capsys.readouterr().err
    blank = tmp_path / "trang.txt"
    blank.write_text("   \n\n  \n", encoding="utf-8")
    assert main([str(blank), "--json"]) == 2
    assert "không có nội dung" in capsys.readouterr().err
    pytest.importorskip("pdfplumber")
    from test_extraction_readers import _blank_pdf  # a page without a text layer, like a scan

    scan = tmp_path / "ban-quet.pdf"
    scan.write_bytes(_blank_pdf())
    assert main([str(scan), "--json"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Lỗi:") and "scan" in err.lower()


def test_boilerplate_alone_gives_no_task() -> None:
    text = ("ỦY BAN NHÂN DÂN\nXÃ BA BÍCH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            "Số: /TB-UBND\nBa Bích, ngày tháng 01 năm 2024\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n"
            "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nPhạm Văn Lương\n")
    assert extract_text(text)["tasks"] == []
