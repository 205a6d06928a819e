"""Report duties in any order of verb, object, recipient and time (issue 12, fourth pass)."""

from __future__ import annotations

import pytest

from congvu.directives.extraction.api import extract_text

HEAD = "UBND TỈNH LÀO CAI\nSố: 12/UBND-VP\nLào Cai, ngày 01 tháng 11 năm 2024\nKính gửi: Các sở, ban, ngành tỉnh.\n"

CASES = [
    ("1. Sở Nội vụ chủ trì rà soát hồ sơ, báo cáo kết quả thực hiện về UBND tỉnh trước ngày 20/12/2024.",
     [("2024-12-20", "UBND tỉnh")]),
    ("1. Các sở, ngành định kỳ hằng tháng (trước ngày 25) báo cáo UBND tỉnh kết quả thực hiện.",
     [("2024-11-25", "UBND tỉnh")]),
    ("1. Sở Y tế tổng hợp, báo cáo Thủ tướng Chính phủ kết quả thực hiện trước ngày 15/01/2025.",
     [("2025-01-15", "Thủ tướng Chính phủ")]),
    ("1. Các sở, ngành triển khai thực hiện; kết quả thực hiện gửi về Sở Nội vụ trước ngày 10/12/2024 để tổng hợp.",
     [("2024-12-10", "Sở Nội vụ")]),
    ("1. Công an tỉnh kiểm tra và báo cáo Chủ tịch UBND tỉnh (qua Sở Nội vụ) trước ngày 30/11/2024.",
     [("2024-11-30", "Chủ tịch UBND tỉnh")]),
    ("1. Trước ngày 15/12/2024, Sở Tài chính báo cáo kết quả về UBND tỉnh.", [("2024-12-15", "UBND tỉnh")]),
    ("1. Sở Công Thương báo cáo UBND tỉnh về tình hình thực hiện trước ngày 28/11/2024.",
     [("2024-11-28", "UBND tỉnh")]),
    ("1. Các sở, ngành báo cáo định kỳ 6 tháng (trước ngày 15/6) và hằng năm (trước ngày 15/12) về UBND tỉnh.",
     [("2025-06-15", "UBND tỉnh"), ("2024-12-15", "UBND tỉnh")]),
    ("1. Sở Tài chính hoàn thành, báo cáo UBND tỉnh trong quý I/2025.", [("2025-03-31", "UBND tỉnh")]),
    ("Đề nghị các địa phương báo cáo bằng văn bản về Bộ Nội vụ trước ngày 15/12/2024.", [("2024-12-15", "Bộ Nội vụ")]),
    ("1. Các sở, ngành gửi Văn phòng UBND tỉnh trước 17 giờ ngày 10/12/2024 để tổng hợp.",
     [("2024-12-10", "Văn phòng UBND tỉnh")]),
    ("1. Sở Y tế chủ trì theo dõi, định kỳ báo cáo UBND tỉnh trước ngày 20 hằng tháng.", [("2024-11-20", "UBND tỉnh")]),
]


@pytest.mark.parametrize(("sentence", "expected"), CASES)
def test_report_phrasings(sentence: str, expected: list[tuple[str, str]]) -> None:
    reports = extract_text(HEAD + sentence + "\n")["reports"]
    assert [(r["due"], r["recipient"]) for r in reports] == expected


def test_a_send_without_purpose_or_report_word_is_not_a_report() -> None:
    assert extract_text(HEAD + "1. Sở Y tế gửi công văn hướng dẫn cho các xã trước ngày 10/12/2024.\n")["reports"] == []


# --- sixth pass: recipients, several yearly days, daily windows --------------------------------------------------

SIXTH = [
    # what follows "để" is the recipient's own next step, not the recipient
    ("1. Sở Xây dựng rà soát các dự án, trình UBND tỉnh trước ngày 15/12/2024 để báo cáo Bộ Xây dựng.",
     [("2024-12-15", "UBND tỉnh")]),
    ("1. Các huyện báo cáo kết quả về Sở Nội vụ trước ngày 20/11/2024 để tổng hợp, báo cáo UBND tỉnh.",
     [("2024-11-20", "Sở Nội vụ")]),
    ("1. Công an tỉnh gửi báo cáo hỏa tốc đến Văn phòng UBND tỉnh trước ngày 25/11/2024.",
     [("2024-11-25", "Văn phòng UBND tỉnh")]),
    # several days of the year in one clause: one yearly duty each, at its next occurrence
    ("1. Các sở, ngành định kỳ đánh giá, báo cáo UBND tỉnh trước ngày 05/6 và 05/12 hàng năm.",
     [("2025-06-05", "UBND tỉnh"), ("2024-12-05", "UBND tỉnh")]),
    ("1. Sở Tài chính tổng hợp, trình UBND tỉnh vào ngày 10/6, ngày 10/12 hằng năm để báo cáo Bộ Tài chính.",
     [("2025-06-10", "UBND tỉnh"), ("2024-12-10", "UBND tỉnh")]),
]


@pytest.mark.parametrize(("sentence", "expected"), SIXTH)
def test_report_phrasings_sixth_pass(sentence: str, expected: list[tuple[str, str]]) -> None:
    reports = extract_text(HEAD + sentence + "\n")["reports"]
    assert sorted((r["due"], r["recipient"]) for r in reports) == sorted(expected)


def test_several_yearly_days_keep_their_recurrence() -> None:
    reports = extract_text(HEAD + "1. Các sở báo cáo UBND tỉnh trước ngày 05/6 và 05/12 hằng năm.\n")["reports"]
    assert sorted((r["recurrence"]["month"], r["recurrence"]["day"]) for r in reports) == [(6, 5), (12, 5)]


def test_a_daily_report_over_a_window_gives_one_duty_per_day() -> None:
    text = HEAD.replace("01 tháng 11", "20 tháng 12") + "2. Chế độ báo cáo trong dịp nghỉ Tết:\n" + (
        "- Các Bộ: Công an, Ngoại giao; Ủy ban An toàn giao thông Quốc gia báo cáo nhanh tình hình từng ngày trong dịp"
        " nghỉ Tết (từ ngày 30 tháng 12 đến ngày 02 tháng 01), gửi đến Văn phòng UBND tỉnh trước 14 giờ hằng ngày.\n")
    reports = extract_text(text)["reports"]
    assert [r["due"] for r in reports] == ["2024-12-30", "2024-12-31", "2025-01-01", "2025-01-02"]
    assert {r["recipient"] for r in reports} == {"Văn phòng UBND tỉnh"}
    assert {r["assignee"] for r in reports} == {"Bộ Công an"}
    assert all(r["recurrence"] == {"freq": "daily"} for r in reports)


def test_a_period_schedule_due_on_a_day_of_each_periods_last_month() -> None:
    text = HEAD + (
        "1. Các sở, ngành xây dựng báo cáo công tác dân tộc hằng quý, 6 tháng và hằng năm, gửi Sở Nội vụ để tổng hợp;"
        " thời hạn gửi chậm nhất là ngày 15 của tháng cuối kỳ báo cáo.\n"
        "2. Thời hạn chốt số liệu của từng loại báo cáo như sau:\n"
        "- Báo cáo công tác dân tộc Quý I năm 2025: chốt số liệu từ ngày 15/12/2024 đến ngày 14/3/2025.\n"
        "- Báo cáo công tác dân tộc 6 tháng đầu năm 2025: chốt số liệu từ ngày 15/12/2024 đến ngày 14/6/2025.\n"
        "- Báo cáo công tác dân tộc năm 2025: chốt số liệu từ ngày 15/12/2024 đến ngày 14/12/2025.\n")
    reports = extract_text(text)["reports"]
    assert [(r["due"], r["recipient"]) for r in reports] == [
        ("2025-03-15", "Sở Nội vụ"), ("2025-06-15", "Sở Nội vụ"), ("2025-12-15", "Sở Nội vụ")]
    assert [(r["period_start"], r["period_end"]) for r in reports] == [
        ("2024-12-15", "2025-03-14"), ("2024-12-15", "2025-06-14"), ("2024-12-15", "2025-12-14")]
    assert reports[0]["recurrence"] == {"freq": "yearly", "month": 3, "day": 15}


def test_a_data_cut_off_is_not_a_due_date_and_a_reporting_period_is_no_report() -> None:
    text = HEAD + ("1. Thời hạn chốt số liệu:\n"
                   "- Báo cáo năm: số liệu tính từ ngày 15/12/2023 đến ngày 14/12/2024 thuộc kỳ báo cáo.\n")
    assert [r["due"] for r in extract_text(text)["reports"]] == []


def test_a_sentence_whose_subject_is_the_reports_is_a_duty() -> None:
    text = HEAD + ("Sở Y tế có văn bản gửi các trung tâm y tế rà soát công tác mua sắm năm 2024. Tất cả các báo cáo"
                   " phải gửi về Sở Y tế chậm nhất vào ngày 20/12/2024.\n")
    assert [(r["due"], r["recipient"]) for r in extract_text(text)["reports"]] == [("2024-12-20", "Sở Y tế")]


@pytest.mark.parametrize("sentence", [
    "Đến nay, một số Sở vẫn chưa gửi báo cáo về Bộ Xây dựng trước ngày 20/11/2024 như yêu cầu.",
    "Theo báo cáo của Sở Y tế gửi UBND tỉnh ngày 15/11/2024, toàn tỉnh có 12 ca mắc.",
    "Trên cơ sở báo cáo của UBND các xã, UBND huyện đã tổng hợp báo cáo kết quả gửi UBND tỉnh ngày 20/10/2024.",
    "Các báo cáo đã gửi về Sở Nội vụ trước ngày 10/10/2024 được tổng hợp đầy đủ.",
])
def test_narrated_reports_are_no_duty(sentence: str) -> None:
    assert extract_text(HEAD + sentence + "\n")["reports"] == []


def test_schedule_lines_take_the_recipient_their_intro_names() -> None:
    text = HEAD + ("Theo đó, các cơ quan, đơn vị xây dựng kế hoạch và báo cáo gửi UBND tỉnh (qua Sở Nội vụ) cụ thể như sau:\n"
                   "• Báo cáo quý gửi trước ngày 10 tháng cuối cùng của mỗi quý\n"
                   "• Báo cáo năm gửi trước ngày 20/11 hàng năm\n")
    reports = extract_text(text)["reports"]
    assert [(r["due"], r["recipient"]) for r in reports] == [("2024-12-10", "UBND tỉnh"), ("2024-11-20", "UBND tỉnh")]


@pytest.mark.parametrize(("sentence", "recipient"), [
    ("Thủ tướng yêu cầu các bộ, ngành trước ngày 20/11/2024 phải báo cáo tình hình giải ngân.", "Thủ tướng"),
    ("Theo đó, Chủ tịch UBND tỉnh yêu cầu các sở, ngành báo cáo kết quả trước ngày 25/11/2024.", "Chủ tịch UBND tỉnh"),
])
def test_a_report_without_a_stated_recipient_goes_to_the_one_who_asks(sentence: str, recipient: str) -> None:
    assert [r["recipient"] for r in extract_text(HEAD + sentence + "\n")["reports"]] == [recipient]


def test_a_report_title_after_gui_is_not_the_recipient() -> None:
    text = HEAD + "Yêu cầu UBND các huyện chưa gửi Báo cáo rà soát các dự án khẩn trương gửi Sở Xây dựng trước ngày 15/12/2024.\n"
    assert [r["recipient"] for r in extract_text(text)["reports"]] == ["Sở Xây dựng"]


def test_the_first_body_a_request_addresses_reports() -> None:
    text = HEAD + ("Ngoài ra, Bộ Nội vụ cũng yêu cầu Giám đốc Sở Nội vụ, Thủ trưởng các cơ quan liên quan lập biên bản và"
                   " báo cáo ngay khi phát hiện sai phạm, báo cáo tổng hợp kết quả gửi trước ngày 10/12/2024 về Bộ Nội vụ.\n")
    assert [(r["assignee"], r["recipient"]) for r in extract_text(text)["reports"]] == [("Giám đốc Sở Nội vụ", "Bộ Nội vụ")]


def test_quarterly_instances_due_before_the_document_are_dropped_and_keep_who_and_to() -> None:
    text = HEAD + ("1. Định kỳ hằng quý (trước ngày 15 của tháng cuối quý), các sở báo cáo kết quả về Sở Kế hoạch và Đầu tư"
                   " để tổng hợp, báo cáo UBND tỉnh.\n")
    reports = extract_text(text)["reports"]
    assert [(r["due"], r["recipient"], r["recurrence"]) for r in reports] == [
        ("2024-12-15", "Sở Kế hoạch và Đầu tư", {"freq": "quarterly", "day": 15})]
    assert reports[0]["assignee"] is not None


def test_dates_each_followed_by_their_period_give_one_duty_each() -> None:
    text = HEAD + ("1. Các đơn vị báo cáo kết quả thực hiện về UBND huyện (qua Phòng Nội vụ) trước ngày 20/6/2025 (báo cáo"
                   " 6 tháng) và trước ngày 20/12/2025 (báo cáo năm).\n")
    assert [(r["due"], r["recipient"]) for r in extract_text(text)["reports"]] == [
        ("2025-06-20", "UBND huyện"), ("2025-12-20", "UBND huyện")]


def test_results_reported_as_the_subject() -> None:
    text = HEAD + "1. Kết quả thực hiện báo cáo UBND tỉnh trước ngày 20/12/2024.\n"
    assert [(r["due"], r["recipient"]) for r in extract_text(text)["reports"]] == [("2024-12-20", "UBND tỉnh")]


def test_schedule_sentences_without_a_year_keep_the_duty_without_a_date() -> None:
    text = ("Theo đó, nội dung báo cáo thực hiện theo biểu mẫu, cụ thể như sau:\n"
            "Báo cáo công khai dự toán năm, gửi Sở Tài chính trước ngày 01 tháng 3 năm hàng năm.\n"
            "Báo cáo công khai dự toán bổ sung, gửi Sở Tài chính sau 30 ngày, kể từ ngày được giao.\n"
            "Báo cáo công khai quyết toán năm trước, gửi Sở Tài chính trước ngày 01 tháng 10 hàng năm.\n")
    reports = extract_text(text)["reports"]
    assert [(r["due"], r["recipient"]) for r in reports] == [(None, "Sở Tài chính")] * 3
    assert [r["recurrence"] for r in reports] == [
        {"freq": "yearly", "month": 3, "day": 1}, None, {"freq": "yearly", "month": 10, "day": 1}]


def test_a_report_section_heading_is_no_recipient() -> None:
    text = HEAD + ("1. Các sở triển khai thực hiện Kế hoạch.\n2. Chế độ báo cáo\n"
                   "Các sở, ngành báo cáo kết quả thực hiện về UBND tỉnh (qua Sở Nội vụ) trước ngày 15/12/2024.\n")
    assert [(r["due"], r["recipient"]) for r in extract_text(text)["reports"]] == [("2024-12-15", "UBND tỉnh")]
