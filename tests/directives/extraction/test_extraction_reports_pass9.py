"""Report duties on unseen documents (issue 12, ninth pass): weekly reports, reports told rather than asked for,
a body that says it will report, the periods a report covers, yearly days "của năm báo cáo", and the reporter of
"Theo đó, các bộ, ... trực thuộc Trung ương ..." sentences."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from congvu.directives.extraction.api import extract_text
from congvu.directives.extraction.bodies import leading_bodies, parse_bodies
from congvu.directives.extraction.deadlines import find_deadline

HEAD = "UBND TỈNH GIA LAI\nSố: 45/UBND-TH\nGia Lai, ngày 02 tháng 3 năm 2025\nKính gửi: Các sở, ban, ngành tỉnh.\n"


def _reports(body: str) -> list[dict]:
    return extract_text(HEAD + body + "\n")["reports"]


# --- weekly reports -------------------------------------------------------------------------------------------

def test_a_weekly_report_on_a_weekday_is_a_duty_without_a_date() -> None:
    reports = _reports("2. Giao Sở Tư pháp tổng hợp, báo cáo UBND tỉnh trước 16h, thứ sáu hằng tuần.")
    assert len(reports) == 1
    assert reports[0]["due"] is None
    assert reports[0]["recipient"] == "UBND tỉnh"
    assert reports[0]["recurrence"] == {"freq": "weekly", "weekday": "friday"}


def test_a_weekly_report_without_a_weekday_keeps_its_frequency() -> None:
    reports = _reports("2. Công an tỉnh định kỳ hằng tuần báo cáo Chủ tịch UBND tỉnh tình hình an ninh trật tự.")
    assert [r["recurrence"] for r in reports] == [{"freq": "weekly"}]


def test_a_weekly_meeting_is_no_report() -> None:
    assert _reports("2. Các sở, ngành tổ chức giao ban hằng tuần vào sáng thứ hai.") == []


# --- told, not asked for -----------------------------------------------------------------------------------------

def test_reports_told_as_missing_are_no_duty() -> None:
    text = "Tuy nhiên, đến ngày 24-10, nhiều đơn vị chưa nộp báo cáo thống kê đầu năm học."
    assert _reports(text) == []


def test_a_request_to_those_who_have_not_reported_is_still_a_duty() -> None:
    reports = _reports("2. Đề nghị các đơn vị chưa gửi báo cáo khẩn trương gửi về Sở Nội vụ trước ngày 10/3/2025.")
    assert [(r["due"], r["recipient"]) for r in reports] == [("2025-03-10", "Sở Nội vụ")]


# --- who reports ------------------------------------------------------------------------------------------------

def test_a_body_that_says_it_will_report_is_the_reporter() -> None:
    text = ("UBND cấp tỉnh rà soát số liệu, gửi về Bộ Nội vụ trước ngày 30/8/2025. "
            "Bộ Nội vụ sẽ tổng hợp, báo cáo Thủ tướng Chính phủ trước ngày 30/9/2025.")
    reports = {r["due"]: r for r in _reports(text)}
    assert reports["2025-08-30"]["assignee"] == "UBND cấp tỉnh"
    assert reports["2025-09-30"]["assignee"] == "Bộ Nội vụ"
    assert reports["2025-09-30"]["recipient"] == "Thủ tướng Chính phủ"


def test_bodies_directly_under_the_centre_name_the_reporter_after_an_opening_clause() -> None:
    text = ("Theo đó, các bộ, cơ quan ngang bộ và UBND tỉnh, thành phố trực thuộc Trung ương xây dựng báo cáo "
            "kết quả hằng quý, gửi Bộ Nội vụ trước ngày 20/3/2025.")
    reports = _reports(text)
    assert [r["assignee"] for r in reports] == ["các bộ, cơ quan ngang bộ và UBND tỉnh, thành phố trực thuộc Trung ương"]


def test_directly_under_is_part_of_a_body_name() -> None:
    for text, name in (("UBND tỉnh, thành phố trực thuộc Trung ương báo cáo", "UBND tỉnh, thành phố trực thuộc Trung ương"),
                       ("Các đơn vị trực thuộc Sở chủ động rà soát", "Các đơn vị trực thuộc Sở")):
        found = parse_bodies(text, 0)
        assert found is not None and found.names(text) == [name]
        lead = leading_bodies(text)
        assert lead is not None and lead.names == [name]


# --- the periods a report covers ---------------------------------------------------------------------------------

def test_a_month_paired_with_its_cumulative_period_is_what_is_reported_on() -> None:
    text = ("2. Các bộ, cơ quan trung ương và địa phương báo cáo tình hình kinh tế - xã hội trong tháng 6 và "
            "6 tháng đầu năm 2025, đề xuất giải pháp.")
    result = extract_text(HEAD + text + "\n")
    assert result["reports"] == []
    assert [t["deadline"] for t in result["tasks"]] == [None]


def test_a_month_alone_is_still_a_deadline() -> None:
    dl = find_deadline("Sở Tài chính hoàn thành trong tháng 6/2025.", 2025)
    assert dl is not None and dl.date is not None and dl.date.isoformat() == "2025-06-30"


@given(month=st.integers(1, 12), period=st.sampled_from(["6 tháng đầu năm", "sáu tháng", "9 tháng", "quý I", "quý IV"]),
       year=st.integers(2015, 2030), sep=st.sampled_from([" và ", ", "]))
def test_property_month_and_period_pair_is_never_a_due_date(month: int, period: str, year: int, sep: str) -> None:
    text = f"báo cáo tình hình thực hiện trong tháng {month}{sep}{period} năm {year}, kiến nghị giải pháp"
    assert find_deadline(text, year) is None


# --- yearly days of the reporting year ---------------------------------------------------------------------------

def test_a_day_of_the_reporting_year_recurs_every_year() -> None:
    text = ("2. Thời hạn gửi báo cáo:\n- Báo cáo 6 tháng đầu năm gửi trước ngày 10/07 của năm báo cáo\n"
            "- Báo cáo cả năm gửi trước ngày 10/01 của năm liền kề năm báo cáo.")
    reports = extract_text("Cơ sở in thực hiện chế độ báo cáo định kỳ\n\n" + text + "\n")["reports"]
    assert sorted((r["recurrence"]["month"], r["recurrence"]["day"]) for r in reports) == [(1, 10), (7, 10)]
    assert all(r["due"] is None for r in reports)


# --- a request whose report paragraph follows -------------------------------------------------------------------

def test_a_request_is_due_when_the_report_paragraph_after_it_is_due() -> None:
    text = ("Văn phòng Chính phủ đề nghị các Bộ, cơ quan, địa phương rà soát các nhiệm vụ được giao trong năm.\n\n"
            "Tổng hợp, báo cáo kết quả thực hiện gửi về Văn phòng Chính phủ trước ngày 15/12/2025 để tổng hợp, "
            "báo cáo Thủ tướng Chính phủ.\n")
    result = extract_text(HEAD + text)
    assert result["tasks"][0]["assignee"] == "các Bộ, cơ quan, địa phương"
    assert result["tasks"][0]["deadline"] == "2025-12-15"
    assert [(r["due"], r["recipient"]) for r in result["reports"]] == [("2025-12-15", "Văn phòng Chính phủ")]


def test_a_short_line_without_a_full_stop_after_a_task_is_no_follow_up() -> None:
    text = ("Giao các sở, ngành giải trình các nội dung khác nhau, gửi về Văn phòng UBND tỉnh trước ngày 05/3/2025.\n"
            "Báo cáo và dự thảo Nghị quyết\n")
    tasks = extract_text(HEAD + text)["tasks"]
    assert len(tasks) == 1 and tasks[0]["deadline"] == "2025-03-05"


# --- second batch: address verbs and sending windows ------------------------------------------------------------

def test_giao_trach_nhiem_and_kinh_mong_address_a_body() -> None:
    for text, who in (("UBND tỉnh giao trách nhiệm Sở Xây dựng phối hợp các sở, ngành kiểm tra, đôn đốc thực hiện.",
                       "Sở Xây dựng"),
                      ("Thường trực Ủy ban phường kính mong các đồng chí lãnh đạo cơ quan tham gia góp ý vào dự thảo.",
                       "các đồng chí")):
        assert [t["assignee"] for t in extract_text(HEAD + text + "\n")["tasks"]] == [who]


def test_comrades_abbreviated_are_a_body() -> None:
    tasks = extract_text(HEAD + "Các đ/c tham gia góp ý gửi văn bản về Ủy ban phường trước ngày 28/3/2025.\n")["tasks"]
    assert [(t["assignee"], t["deadline"]) for t in tasks] == [("Các đ/c", "2025-03-28")]


def test_a_window_for_sending_ends_when_it_is_due_a_window_for_doing_does_not() -> None:
    send = extract_text(HEAD + "Các đơn vị gửi văn bản góp ý về Sở Nội vụ: thời gian từ ngày 19/3/2025 đến 28/3/2025.\n")
    assert [t["deadline"] for t in send["tasks"]] == ["2025-03-28"]
    fly = extract_text(HEAD + "Đề nghị các cơ quan, đơn vị treo cờ Tổ quốc từ ngày 19/3/2025 đến ngày 28/3/2025.\n")
    assert [t["deadline"] for t in fly["tasks"]] == [None]
