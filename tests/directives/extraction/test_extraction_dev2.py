"""Issue 12, second pass on the grown dev half: table-laid headers and footers, task tables in an
appendix after the signature, year ranges in completion columns, data cut-offs and "được giao trong
tháng ..." that are no deadlines, meeting months as deadlines."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
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


@settings(deadline=None)
@given(st.integers(2000, 2080), st.integers(0, 10))
def test_year_range_cell_is_due_at_the_end_of_its_last_year(start: int, span: int) -> None:
    dl = find_deadline(f"{start} - {start + span}", start, cell=True)
    assert dl is not None and dl.date == date(start + span, 12, 31)
    assert find_deadline(f"{start + span} - {start}", start, cell=True) is None or span == 0


@settings(deadline=None)
@given(st.integers(2000, 2080), st.integers(1, 12))
def test_cut_off_and_given_month_are_no_deadlines(year: int, month: int) -> None:
    assert find_deadline(f"thời gian chốt số liệu đến ngày 31/12/{year}", year) is None
    assert find_deadline(f"các Bộ chậm hoàn thành các nhiệm vụ được giao trong tháng {month}/{year} rút kinh nghiệm",
                         year) is None
    dl = find_deadline(f"chuẩn bị báo cáo, trình Chính phủ tại phiên họp thường kỳ tháng {month} năm {year}", year)
    assert dl is not None and dl.date is not None and (dl.date.year, dl.date.month) == (year, month)


def _tasks(text: str) -> list[dict]:
    return extract_text(text)["tasks"]


def test_quoted_law_directs_nobody() -> None:
    text = ("Kính gửi: Công ty cổ phần ABC.\n"
            "Bộ Tài chính có ý kiến như sau:\n"
            "- Tại Điều 18 Nghị định số 181/2025/NĐ-CP quy định như sau:\n"
            "*‘‘Điều 18. Điều kiện áp dụng thuế suất 0%*\n"
            "*1. Đối với hàng hóa xuất khẩu, phải có:*\n"
            "*a) Chứng từ thanh toán không dùng tiền mặt.*\n"
            "*b) Tờ khai hải quan theo quy định.\"*\n"
            "Bộ Tài chính trả lời Công ty để biết./.\n")
    assert _tasks(text) == []


def test_report_paragraph_dates_the_report_asked_above() -> None:
    text = ("Theo đó, Chủ tịch UBND tỉnh yêu cầu lãnh đạo các sở, ban, ngành thuộc tỉnh, Chủ tịch UBND các huyện "
            "khẩn trương tổng hợp báo cáo kết quả thực hiện gửi UBND tỉnh.\n\n"
            "Báo cáo hoàn thành của các cơ quan, đơn vị gửi về Ủy ban nhân dân tỉnh trước ngày 05/6/2017.\n")
    out = extract_text(text)
    assert len(out["tasks"]) == 1
    task = out["tasks"][0]
    # a list of collectives is one assignee (tests/directives/corpus/CONVENTIONS.md)
    assert task["assignee"] == "lãnh đạo các sở, ban, ngành thuộc tỉnh, Chủ tịch UBND các huyện"
    assert task["deadline"] == "2017-06-05"
    assert [r["due"] for r in out["reports"]] == ["2017-06-05"]


def test_news_lead_roles_and_regulated_parties() -> None:
    tasks = _tasks("(Chinhphu.vn) - Các Bộ, ngành liên quan khẩn trương hoàn thành các nhiệm vụ chậm nhất "
                   "trước ngày 10/4/2022. Đây là yêu cầu của Thủ tướng.\n")
    assert tasks[0]["assignee"] == "Các Bộ, ngành liên quan" and tasks[0]["deadline"] == "2022-04-10"
    tasks = _tasks("Thủ tướng phân công Phó Thủ tướng Vương Đình Huệ và Phó Thủ tướng Vũ Đức Đam trực tiếp chỉ đạo "
                   "tiến độ, nội dung 2 dự thảo.\n")
    assert tasks[0]["assignee"] == "Phó Thủ tướng Vương Đình Huệ"
    assert "Phó Thủ tướng Vũ Đức Đam" in tasks[0]["co_assignees"]
    tasks = _tasks("Cùng với đó, Bộ Tài chính chủ trì, phối hợp với các Bộ, cơ quan triển khai các giải pháp.\n")
    assert tasks[0]["assignee"] == "Bộ Tài chính"
    tasks = _tasks("II. NHIỆM VỤ\n1. Cục Biến đổi khí hậu có trách nhiệm:\na) Phối hợp với Ủy ban nhân dân các tỉnh "
                   "trong việc rà soát hiện trạng; yêu cầu các tổ chức, doanh nghiệp thực hiện chương trình.\n")
    assert tasks[0]["assignee"] == "Cục Biến đổi khí hậu"


@settings(deadline=None)
@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2080, 12, 1)), st.integers(1, 28))
def test_monthly_and_quarterly_days_written_otherwise(ref: date, day: int) -> None:
    monthly = find_deadline(f"Báo cáo tháng gửi trước ngày {day} của tháng", ref.year, ref)
    assert monthly is not None and monthly.recurrence == {"freq": "monthly", "day": day}
    assert monthly.date is not None and monthly.date > ref and monthly.date.day == day
    assert (monthly.date - ref).days <= 31
    quarterly = find_deadline(f"Báo cáo quý gửi trước ngày {day:02d} tháng cuối cùng của mỗi quý", ref.year, ref)
    assert quarterly is not None and quarterly.recurrence == {"freq": "quarterly", "day": day}
    assert quarterly.date is not None and quarterly.date > ref and quarterly.date.month % 3 == 0


def test_web_copy_dated_by_its_announcement_and_report_schedule_lines() -> None:
    text = ("Xây dựng kế hoạch cải cách hành chính hàng năm\n"
            "Ngày 08/05/2012, UBND tỉnh Bà Rịa – Vũng Tàu ban hành văn bản số 2539/UBND-SNV về việc xây dựng kế hoạch\n\n"
            "Theo đó thì thời gian quy định cho các cơ quan, đơn vị, địa phương xây dựng kế hoạch và báo cáo gửi UBND "
            "tỉnh (thông qua Sở Nội vụ) cụ thể như sau:\n\n"
            "  • Ban hành kế hoạch cải cách hành chính năm là trước ngày 20/11 hàng năm\n"
            "  • Báo cáo tháng gửi trước ngày 15 của tháng\n"
            "  • Báo cáo quý gửi trước ngày 05 tháng cuối cùng của mỗi quý\n"
            "  • Báo cáo 6 tháng gửi trước ngày 05/6\n"
            "  • Báo cáo năm gửi trước ngày 25/11 hàng năm\n")
    out = extract_text(text)
    assert out["date"] == "2012-05-08"
    assert [(t["assignee"], t["deadline"]) for t in out["tasks"]] == [("các cơ quan, đơn vị, địa phương", "2012-11-20")]
    dues = sorted((r["due"], r["recurrence"]["freq"]) for r in out["reports"])
    assert dues == [("2012-05-15", "monthly"), ("2012-06-05", "quarterly"), ("2012-06-05", "yearly"),
                    ("2012-11-25", "yearly")]


def test_comrade_with_a_title_is_an_assignee() -> None:
    tasks = _tasks("Về việc này, Thủ tướng Chính phủ có ý kiến như sau:\n"
                   "Đồng chí Bí thư Tỉnh ủy Bến Tre chỉ đạo việc triển khai thực hiện nghiêm Công điện số 1099/CĐ-TTg.\n"
                   "Văn phòng Chính phủ xin thông báo để đồng chí Bí thư Tỉnh ủy Bến Tre biết, thực hiện./.\n")
    assert [t["assignee"] for t in tasks] == ["Đồng chí Bí thư Tỉnh ủy Bến Tre"]


def test_saved_web_page_reads_as_its_article(tmp_path) -> None:
    import pytest

    from congvu.directives.extraction import extract_file
    from congvu.directives.extraction.readers import ExtractionInputError

    page = tmp_path / "tin.html"
    page.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><script>var a = 'Giao Sở Tài chính';</script></head>"
        "<body><nav><ul><li>Trang chủ</li><li>Tin tức</li></ul></nav><article><h1>Tăng cường an toàn giao thông</h1>"
        "<p>Chủ tịch UBND tỉnh yêu cầu Công an tỉnh chủ trì, phối hợp với Sở Giao thông vận tải tăng cường tuần tra; "
        "báo cáo kết quả về UBND tỉnh trước ngày 20/12/2024.</p><p>Thẻ: giao thông</p></article>"
        "<footer>Bản quyền</footer></body></html>", encoding="utf-8")
    out = extract_file(page)
    assert [(t["assignee"], t["deadline"]) for t in out["tasks"]] == [("Công an tỉnh", "2024-12-20")]
    assert [r["due"] for r in out["reports"]] == ["2024-12-20"]
    assert "<" not in out["tasks"][0]["source_text"] and "Trang chủ" not in out["tasks"][0]["source_text"]
    empty = tmp_path / "menu.htm"
    empty.write_text("<html><body><nav>Trang chủ | Liên hệ</nav><script>x()</script></body></html>", encoding="utf-8")
    with pytest.raises(ExtractionInputError):
        extract_file(empty)


def test_collectives_of_levels_comma_after_the_verb_and_subordinates() -> None:
    tasks = _tasks("UBND tỉnh yêu cầu các sở, ban, ngành, UBND huyện, thị xã, thành phố tổ chức thực hiện Công văn số "
                   "4847/BYT-DP ngày 19/8/2024 về phòng, chống dịch.\n")
    assert tasks[0]["assignee"] == "các sở, ban, ngành, UBND huyện, thị xã, thành phố" and tasks[0]["generic"]
    tasks = _tasks("Theo đó, Ủy ban nhân dân thành phố chỉ đạo:\n"
                   "Ủy ban nhân dân quận huyện triển khai thực hiện các quy định hướng dẫn công khai ngân sách.\n")
    assert tasks[0]["assignee"] == "Ủy ban nhân dân quận huyện"
    tasks = _tasks("Kinhtedothi - Phó Bí thư Thường trực Thành ủy Nguyễn Thị Tuyến đề nghị, Sở Tài chính căn cứ vào chức "
                   "năng, nhiệm vụ được giao cần tiếp tục phối hợp tốt với các sở ngành liên quan.\n")
    assert tasks[0]["assignee"] == "Sở Tài chính"
    tasks = _tasks("Thủ trưởng các sở, ban, ngành tỉnh, Chủ tịch UBND các huyện, thị xã, thành phố chỉ đạo các cơ quan, "
                   "đơn vị trực thuộc phân công trực lãnh đạo ngày nghỉ lễ.\n")
    assert tasks[0]["assignee"] == "Thủ trưởng các sở, ban, ngành tỉnh, Chủ tịch UBND các huyện, thị xã, thành phố"


def test_report_request_with_a_note_between() -> None:
    text = ("ỦY BAN DÂN TỘC\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 456/UBDT-DTTS\nV/v báo cáo tình hình\n"
            "Hà Nội, ngày 23 tháng 4 năm 2021\n"
            "Kính gửi: Các bộ, ngành\n"
            "Ủy ban Dân tộc đề nghị các bộ, ngành Trung ương và UBND các tỉnh/thành phố trực thuộc Trung ương xây dựng "
            "báo cáo sơ kết về tình hình thực hiện Đề án.\n\n"
            "(Có đề cương chi tiết gửi kèm)\n\n"
            "Báo cáo sơ kết gửi về Ủy ban Dân tộc trước ngày 15 tháng 5 năm 2021 để tổng hợp báo cáo Thủ tướng Chính phủ.\n")
    out = extract_text(text)
    assert [(t["assignee"], t["deadline"]) for t in out["tasks"]] == [
        ("các bộ, ngành Trung ương và UBND các tỉnh/thành phố trực thuộc Trung ương", "2021-05-15")]
    assert [r["due"] for r in out["reports"]] == ["2021-05-15"]


def test_meeting_news_is_no_task() -> None:
    assert _tasks("Ngày 30/5, UBND tỉnh họp phiên thường kỳ tháng 5/2023 để đánh giá kết quả thực hiện nhiệm vụ. "
                  "Đồng chí Cao Tường Huy, Quyền Chủ tịch UBND tỉnh, chủ trì phiên họp.\n") == []
    assert _tasks("Sáng 24/02, UBND tỉnh tổ chức phiên họp thường kỳ. Đồng chí Nguyễn Đức Trung - Phó Bí thư Tỉnh ủy, "
                  "Chủ tịch UBND tỉnh chủ trì phiên họp. Tham dự phiên họp có các đồng chí Phó Chủ tịch UBND tỉnh.\n") == []


@settings(deadline=None)
@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2080, 12, 31)), st.integers(1, 24))
def test_months_counted_from_the_document(ref: date, n: int) -> None:
    from congvu.directives.extraction.deadlines import add_months

    dl = find_deadline(f"Thời hạn thực hiện không quá {n} tháng kể từ ngày ban hành văn bản này.", ref.year, ref)
    assert dl is not None and dl.kind == "relative" and dl.basis == "calendar_months"
    assert dl.date == add_months(ref, n)
    assert dl.date is not None and dl.date > ref and (dl.date.year - ref.year) * 12 + dl.date.month - ref.month == n


def test_approval_with_a_time_limit_is_the_approved_body_task() -> None:
    out = extract_text("UBND tỉnh Quảng Trị có ý kiến như sau:\n\n"
                       "Đồng ý để Công ty Cổ phần Đầu tư và Xây dựng Đức Chính thực hiện việc khảo sát mỏ đất.\n"
                       "Thời hạn thực hiện và báo cáo kết quả về UBND tỉnh không quá 2 tháng kể từ ngày ban hành văn bản này.\n")
    assert [t["assignee"] for t in out["tasks"]] == ["Công ty Cổ phần Đầu tư và Xây dựng Đức Chính"]
    assert [(r["recipient"], r["due"]) for r in out["reports"]] == [("UBND tỉnh", None)]


def test_directive_quoted_by_the_news_is_a_task_quoted_law_is_not() -> None:
    tasks = _tasks("Audio thời sự 07-12-2021\n“Sở Nông nghiệp và Phát triển nông thôn phối hợp với UBND cấp huyện tập trung "
                   "chỉ đạo, kiểm tra việc phòng, chống dịch bệnh”. Đó là chỉ đạo của UBND tỉnh đối với Sở NN&PTNT.\n")
    assert [t["assignee"] for t in tasks] == ["Sở Nông nghiệp và Phát triển nông thôn"]
    law = ("- Tại Điều 3 Luật Thuế GTGT quy định về đối tượng chịu thuế như sau:\n"
           "*“Sở Tài chính chủ trì, phối hợp với các cơ quan hướng dẫn thi hành.”*\n")
    assert _tasks(law) == []
