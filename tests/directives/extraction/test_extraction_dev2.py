"""Issue 12, second pass on the grown dev half: table-laid headers and footers, task tables in an
appendix after the signature, year ranges in completion columns, data cut-offs and "được giao trong
tháng ..." that are no deadlines, meeting months as deadlines."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from congvu.directives.extraction import extract_text
from congvu.directives.extraction.deadlines import find_deadline

TABLE_DOC = """| BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG  ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc  --------------- |
| --- | --- |
| Số: 09/KH-BTNMT | *Hà Nội, ngày 06 tháng 8 năm 2024* |
KẾ HOẠCH
TRIỂN KHAI THỰC HIỆN CHỈ THỊ SỐ 13/CT-TTG
I. TỔ CHỨC THỰC HIỆN
1. Cục Biến đổi khí hậu chủ trì xây dựng dự thảo Nghị định.
Các đơn vị được giao nhiệm vụ trong Kế hoạch khẩn trương tổ chức triển khai thực hiện./.
| *Nơi nhận:* - Bộ trưởng (để báo cáo); - Lưu VT. | KT. BỘ TRƯỞNG THỨ TRƯỞNG     Lê Công Thành |
| --- | --- |
PHỤ LỤC
CÁC NHIỆM VỤ THỰC HIỆN KẾ HOẠCH
| TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian thực hiện/ hoàn thành |
| --- | --- | --- | --- | --- |
| 1. | Hoàn thiện dự thảo Nghị định để trình Chính phủ. | Cục Biến đổi khí hậu | Vụ Pháp chế | Tháng 8/2024 |
| 2. | Thiết lập Hệ thống đăng ký quốc gia. | Cục Viễn thám quốc gia | Cục Biến đổi khí hậu | 2024 - 2025 |
"""


def test_header_laid_out_as_a_table_and_appendix_task_table() -> None:
    out = extract_text(TABLE_DOC)
    assert (out["doc_type"], out["number"], out["issuer"], out["date"]) == (
        "KH", "09/KH-BTNMT", "Bộ Tài nguyên và Môi trường", "2024-08-06")
    rows = {t["assignee"]: t for t in out["tasks"] if "Thiết lập" in t["source_text"] or "Hoàn thiện" in t["source_text"]}
    assert rows["Cục Viễn thám quốc gia"]["deadline"] == "2025-12-31"
    assert rows["Cục Biến đổi khí hậu"]["deadline"] == "2024-08-31"
    assert not any("Nơi nhận" in t["source_text"] for t in out["tasks"])


@given(st.integers(2000, 2080), st.integers(0, 10))
def test_year_range_cell_is_due_at_the_end_of_its_last_year(start: int, span: int) -> None:
    dl = find_deadline(f"{start} - {start + span}", start, cell=True)
    assert dl is not None and dl.date == date(start + span, 12, 31)
    assert find_deadline(f"{start + span} - {start}", start, cell=True) is None or span == 0


@given(st.integers(2000, 2080), st.integers(1, 12))
def test_cut_off_and_given_month_are_no_deadlines(year: int, month: int) -> None:
    assert find_deadline(f"thời gian chốt số liệu đến ngày 31/12/{year}", year) is None
    assert find_deadline(f"các Bộ chậm hoàn thành các nhiệm vụ được giao trong tháng {month}/{year} rút kinh nghiệm",
                         year) is None
    dl = find_deadline(f"chuẩn bị báo cáo, trình Chính phủ tại phiên họp thường kỳ tháng {month} năm {year}", year)
    assert dl is not None and dl.date is not None and (dl.date.year, dl.date.month) == (year, month)
