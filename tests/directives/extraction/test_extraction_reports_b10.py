"""Tenth pass b10 (report duties): synthetic sentences for the rules this pass added (issue 12)."""

from __future__ import annotations

import pytest

from congvu.directives.extraction.api import extract_text
from congvu.directives.extraction.deadlines import find_deadline

HEAD = "UBND TỈNH BẮC NINH\nSố: 77/UBND-TH\nBắc Ninh, ngày 05 tháng 3 năm 2025\nKính gửi: Các sở, ban, ngành tỉnh.\n"


def _reports(body: str) -> list[dict]:
    return extract_text(HEAD + body)["reports"]


def _tasks(body: str) -> list[dict]:
    return extract_text(HEAD + body)["tasks"]


# --- numbers spelled out in brackets, "tháng của cuối quý" ------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("gửi chậm nhất ngày 12 (mười hai) tháng 7 (bảy) năm 2025", "2025-07-12"),
    ("hoàn thành trước ngày 03 (ba) tháng 9 (chín) năm 2025", "2025-09-03"),
])
def test_spelled_out_numbers_do_not_hide_a_date(text: str, expected: str) -> None:
    dl = find_deadline(text, 2025)
    assert dl is not None and dl.date is not None and dl.date.isoformat() == expected


@pytest.mark.parametrize(("text", "freq", "day"), [
    ("gửi chậm nhất ngày 18 (mười tám) của hằng tháng", "monthly", 18),
    ("báo cáo gửi chậm nhất vào ngày 12 tháng của cuối quý", "quarterly", 12),
    ("gửi trước ngày 09 (chín) của tháng cuối quý", "quarterly", 9),
])
def test_recurring_days_written_in_legal_style(text: str, freq: str, day: int) -> None:
    dl = find_deadline(text, 2025)
    assert dl is not None and dl.recurrence == {"freq": freq, "day": day}


def test_schedule_lines_with_the_period_after_the_day_give_one_duty_each() -> None:
    body = ("(1) Thời hạn các đơn vị gửi báo cáo định kỳ đến Sở Tư pháp:\n"
            "- Chậm nhất ngày 14 (mười bốn) của tháng báo cáo đối với báo cáo định kỳ hằng tháng;\n"
            "- Chậm nhất ngày 07 (bảy) của tháng cuối quý đối với báo cáo định kỳ hằng quý;\n"
            "- Chậm nhất ngày 09 (chín) tháng 06 (sáu) đối với báo cáo định kỳ 06 (sáu) tháng;\n"
            "- Chậm nhất ngày 22 (hai mươi hai) tháng 11 (mười một) đối với báo cáo định kỳ hằng năm.\n")
    recs = sorted((r["recurrence"]["freq"], r["recurrence"].get("month"), r["recurrence"].get("day"))
                  for r in _reports(body))
    assert recs == [("monthly", None, 14), ("quarterly", None, 7), ("yearly", 6, 9), ("yearly", 11, 22)]


def test_two_levels_of_the_same_schedule_stay_apart() -> None:
    body = ("(1) Các xã gửi báo cáo định kỳ đến Phòng Tư pháp:\n"
            "- Chậm nhất ngày 10 (mười) của tháng báo cáo đối với báo cáo định kỳ hằng tháng;\n"
            "(2) Phòng Tư pháp tổng hợp và gửi báo cáo về Sở Tư pháp:\n"
            "- Chậm nhất ngày 12 (mười hai) của tháng báo cáo đối với báo cáo định kỳ hằng tháng;\n")
    assert sorted(r["recurrence"]["day"] for r in _reports(body)) == [10, 12]


# --- data cut-off dates are not due dates --------------------------------------------------------------------------

def test_a_cut_off_date_named_elsewhere_is_not_the_deadline() -> None:
    body = ("Đề nghị các huyện rà soát số lượng giáo viên, tính đến ngày 31/01/2025.\n"
            "Đề nghị UBND các huyện rà soát, báo cáo số lượng giáo viên trước ngày 31/01/2025.\n")
    assert all(t["deadline"] is None for t in _tasks(body))


def test_a_due_date_that_is_not_a_cut_off_stays() -> None:
    body = ("Đề nghị UBND các huyện rà soát số lượng giáo viên (số liệu tính đến ngày 31/01/2025), "
            "báo cáo UBND tỉnh trước ngày 20/3/2025.\n")
    assert [t["deadline"] for t in _tasks(body)] == ["2025-03-20"]


# --- "Việc hoàn thành ... phải hoàn thành trước ngày ..." dates the task above ------------------------------------

def test_a_completion_note_dates_the_task_above_instead_of_making_one() -> None:
    body = ("UBND tỉnh giao Sở Xây dựng xem xét, trả lời các kiến nghị của doanh nghiệp.\n\n"
            "Việc trả lời các kiến nghị phải hoàn thành trước ngày 15/4/2025.\n")
    tasks = _tasks(body)
    assert [(t["assignee"], t["deadline"]) for t in tasks] == [("Sở Xây dựng", "2025-04-15")]


# --- "X đã giao Y ..." told as news of the request in force, or as an earlier step ---------------------------------

def test_news_of_the_request_in_force_told_with_da_giao_is_a_task() -> None:
    body = ("Về việc này, UBND tỉnh đã giao Sở Tài chính chủ trì, phối hợp với các huyện rà soát, báo cáo UBND tỉnh "
            "trước ngày 30/4/2025.\n")
    tasks = _tasks(body)
    assert [(t["assignee"], t["deadline"]) for t in tasks] == [("Sở Tài chính", "2025-04-30")]
    assert [(r["recipient"], r["due"]) for r in _reports(body)] == [("UBND tỉnh", "2025-04-30")]


@pytest.mark.parametrize("sentence", [
    "Tại Công văn số 120/UBND-TH, UBND tỉnh đã giao Sở Tài chính rà soát, báo cáo UBND tỉnh.",
    "Thời gian qua, UBND tỉnh đã giao Sở Tài chính rà soát, báo cáo UBND tỉnh.",
    "UBND tỉnh đã giao Sở Tài chính rà soát, báo cáo UBND tỉnh nhưng đến nay chưa có báo cáo.",
])
def test_an_earlier_step_told_with_da_giao_is_not_a_task(sentence: str) -> None:
    assert not any(t["assignee"] == "Sở Tài chính" and "đã giao" in t["source_text"] for t in _tasks(sentence + "\n"))


def test_addressees_listed_with_a_semicolon_share_the_clause_that_says_what_they_do() -> None:
    body = ("UBND tỉnh đã chỉ đạo thủ trưởng các sở, ngành có liên quan; chủ tịch UBND các huyện căn cứ kiến nghị của "
            "cử tri để xem xét, trả lời cử tri.\n")
    tasks = _tasks(body)
    assert len(tasks) == 1
    # a list of collectives only is one assignee (tests/directives/corpus/CONVENTIONS.md, rule 1)
    assert tasks[0]["assignee"] == "thủ trưởng các sở, ngành có liên quan; chủ tịch UBND các huyện"
    assert tasks[0]["co_assignees"] == []


# --- lines that are not tasks: the basis cited, a subject line, the contents a report must hold --------------------

def test_a_basis_line_is_not_a_task() -> None:
    body = ("Căn cứ khoản 3 Điều 9 Thông tư số 20/2024/TT-BTP quy định trách nhiệm báo cáo định kỳ của Phòng Tư pháp.\n\n"
            "Sở Tư pháp đề nghị Phòng Tư pháp các huyện báo cáo kết quả về Sở trước ngày 15/4/2025.\n")
    assert [t["assignee"] for t in _tasks(body)] == ["Phòng Tư pháp các huyện"]


def test_a_subject_line_is_not_a_task() -> None:
    body = ("Sở Tư pháp thông báo về việc đề nghị báo cáo công tác hộ tịch trên địa bàn tỉnh\n\n"
            "Sở Tư pháp đề nghị UBND các xã báo cáo kết quả về Sở trước ngày 15/4/2025.\n")
    assert [t["assignee"] for t in _tasks(body)] == ["UBND các xã"]


def test_bullets_listing_what_a_report_holds_are_not_tasks() -> None:
    body = ("Sở Y tế đề nghị các đơn vị thực hiện báo cáo, cụ thể như sau:\n"
            "1. Thực hiện báo cáo đầy đủ nội dung như sau:\n"
            "- Công tác triển khai\n"
            "- Kết quả đạt được\n"
            "- Đề xuất, kiến nghị\n"
            "2. Thời gian nộp báo cáo:\n"
            "Các đơn vị gửi báo cáo về Sở Y tế trước ngày 20/4/2025.\n")
    tasks = _tasks(body)
    assert [t["deadline"] for t in tasks] == ["2025-04-20"]


def test_bullets_that_direct_under_a_contents_intro_stay_tasks() -> None:
    body = ("1. Nội dung báo cáo gồm:\n"
            "- Các huyện cần rà soát số liệu trước khi gửi.\n")
    assert len(_tasks(body)) == 1


def test_a_stored_page_date_before_the_first_line_does_not_hide_its_subject() -> None:
    tasks = extract_text(" date 2019-04 Theo đó, các trường, các đơn vị giáo dục báo cáo việc thực hiện chỉ đạo của Sở.\n"
                         "\nP.V\n")["tasks"]
    assert [t["assignee"] for t in tasks] == ["các trường, các đơn vị giáo dục"]


def test_a_body_asked_to_send_a_report_is_addressed() -> None:
    body = "Sở Y tế đề nghị UBND các huyện gửi báo cáo về Sở Y tế trước ngày 10/4/2025.\n"
    assert [(t["assignee"], t["deadline"]) for t in _tasks(body)] == [("UBND các huyện", "2025-04-10")]
    assert [(r["recipient"], r["due"]) for r in _reports(body)] == [("Sở Y tế", "2025-04-10")]


def test_who_sent_a_proposal_is_not_addressed() -> None:
    body = "Sở Tài chính nhận được đề nghị của UBND huyện Tiên Du gửi Sở về việc bổ sung kinh phí.\n"
    assert _tasks(body) == []


def test_a_sentence_about_where_the_request_was_stated_is_not_a_task() -> None:
    body = ("Bộ Nội vụ đề nghị UBND các tỉnh rà soát, báo cáo số lượng công chức cấp xã.\n\n"
            "Nội dung này được nêu trong Công văn số 15/BNV-CQĐP của Bộ Nội vụ về việc rà soát, báo cáo số lượng.\n")
    assert len(_tasks(body)) == 1


def test_an_earlier_request_the_text_says_has_passed_is_not_a_task() -> None:
    body = ("Ngày 02 tháng 3 năm 2025, UBND tỉnh đã ban hành Công văn số 301/UBND-TH, trong đó yêu cầu các sở báo cáo "
            "UBND tỉnh trước ngày 10 tháng 3 năm 2025 về các kiến nghị chưa được giải quyết.\n\n"
            "Đến ngày 12 tháng 3 năm 2025, Văn phòng UBND tỉnh mới nhận được báo cáo của 5/20 sở.\n")
    assert _tasks(body) == []
    assert _reports(body) == []


def test_a_dated_letter_with_no_later_status_is_the_request_in_force() -> None:
    body = ("Ngày 02 tháng 3 năm 2025, UBND tỉnh ban hành Công văn số 301/UBND-TH, yêu cầu các sở báo cáo UBND tỉnh "
            "trước ngày 20 tháng 3 năm 2025 về các kiến nghị chưa được giải quyết.\n")
    assert [t["deadline"] for t in _tasks(body)] == ["2025-03-20"]


@pytest.mark.parametrize(("sentence", "who"), [
    ("Cơ quan, đơn vị trường học báo cáo kết quả về Sở trước ngày 10/4/2025.", "Cơ quan, đơn vị trường học"),
    ("Cơ quan, đơn vị, địa phương báo cáo kết quả về Sở trước ngày 10/4/2025.", "Cơ quan, đơn vị, địa phương"),
])
def test_a_bare_collective_that_opens_a_list_is_kept_whole(sentence: str, who: str) -> None:
    assert [t["assignee"] for t in _tasks(sentence + "\n")] == [who]


LATE = "UBND TỈNH QUẢNG NGÃI\nSố: 77/UBND-TH\nQuảng Ngãi, ngày 05 tháng 10 năm 2025\nKính gửi: Các sở, ban, ngành tỉnh.\n"


def test_a_period_and_a_day_between_the_subject_and_its_verb() -> None:
    d = extract_text(LATE + "Các sở, ngành định kỳ hằng tháng, trước ngày 20 báo cáo kết quả về UBND tỉnh (qua Sở Nội vụ).\n")
    assert [(t["assignee"], t["deadline"]) for t in d["tasks"]] == [("Các sở, ngành", "2025-10-20")]
    assert [(r["recipient"], r["due"], r["recurrence"]) for r in d["reports"]] == [
        ("UBND tỉnh", "2025-10-20", {"freq": "monthly", "day": 20})]


def test_six_months_and_year_with_their_two_days() -> None:
    d = extract_text(LATE + "Giao Sở Tài chính theo dõi; định kỳ báo cáo 6 tháng, năm (trước ngày 12/6 và 12/12) về UBND tỉnh.\n")
    assert sorted((r["due"], r["recurrence"]["month"]) for r in d["reports"]) == [("2025-12-12", 12), ("2026-06-12", 6)]
