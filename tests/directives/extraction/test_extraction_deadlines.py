"""Deadline phrases: explicit dates, periods, vague phrases, references that are not deadlines."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from congvu.directives.extraction.deadlines import (
    find_deadline,
    month_end,
    quarter_end,
    recurring_reports,
    report_window,
    split_label,
)

REF = date(2024, 1, 31)


@pytest.mark.parametrize(("text", "expected"), [
    ("Thời gian hoàn thành trước ngày 07/02/2024.", date(2024, 2, 7)),
    ("Báo cáo năm 2024: Gửi chậm nhất ngày 10/12/2024.", date(2024, 12, 10)),
    ("...; hoàn thành trong tháng 02/2024.", date(2024, 2, 29)),
    ("hoàn thành trong Quý II/2024", date(2024, 6, 30)),
    ("hoàn thành trong Quý I năm 2024", date(2024, 3, 31)),
    ("hoàn thành trong 6 tháng đầu năm 2024", date(2024, 6, 30)),
    ("hoàn thành trong năm 2024", date(2024, 12, 31)),
    ("chậm nhất ngày 05 tháng 3 năm 2024", date(2024, 3, 5)),
    ("trước 17 giờ ngày 15/3/2024", date(2024, 3, 15)),
    ("gửi trước ngày 15/3", date(2024, 3, 15)),  # the document's year
    ("trước tháng 6/2024", date(2024, 5, 31)),
    ("trình Chính phủ trước ngày 30 tháng 3 năm 2024", date(2024, 3, 30)),
])
def test_explicit_deadlines(text: str, expected: date) -> None:
    dl = find_deadline(text, 2024, REF)
    assert dl is not None and dl.date == expected


@pytest.mark.parametrize("text", [
    "Triển khai Quyết định số 01/2024/QĐ-UBND ngày 03/01/2024 về trách nhiệm người đứng đầu.",
    "Luật Thi đua, khen thưởng (có hiệu lực từ ngày 01/01/2024) và các văn bản hướng dẫn.",
    "để thực hiện tốt hơn trong năm 2024.",
    "Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị",
])
def test_references_and_activity_periods_are_not_deadlines(text: str) -> None:
    dl = find_deadline(text, 2024, REF)
    assert dl is None or dl.date is None


@pytest.mark.parametrize(("text", "phrase"), [
    ("có kế hoạch thực hiện các giải pháp ngay từ đầu năm nhằm", "ngay từ đầu năm"),
    ("tổ chức sàn giao dịch việc làm đầu Xuân 2024, đồng thời", "đầu Xuân 2024"),
    ("hoàn thành trước Tết Nguyên đán", "trước Tết Nguyên đán"),
])
def test_vague_phrases_keep_text_without_date(text: str, phrase: str) -> None:
    dl = find_deadline(text, 2024, REF)
    assert dl is not None and dl.date is None and dl.text == phrase


def test_year_rolls_over_for_dates_before_the_document() -> None:
    dl = find_deadline("hoàn thành trước ngày 15/01", 2023, date(2023, 12, 20))
    assert dl is not None and dl.date == date(2024, 1, 15)


def test_relative_deadline() -> None:
    dl = find_deadline("trong vòng 10 ngày kể từ ngày ký", 2024, date(2024, 3, 1))
    assert dl is not None and dl.date == date(2024, 3, 11)
    dl = find_deadline("trong vòng 05 ngày làm việc kể từ ngày nhận được văn bản", 2024, date(2024, 3, 1))
    assert dl is not None and dl.date is None and dl.kind == "relative"


def test_cell_values() -> None:
    assert find_deadline("Quý II/2024", 2024, cell=True).date == date(2024, 6, 30)
    assert find_deadline("Năm 2024", 2024, cell=True).date == date(2024, 12, 31)
    assert find_deadline("Tháng 3/2024", 2024, cell=True).date == date(2024, 3, 31)
    vague = find_deadline("Thường xuyên", 2024, cell=True)
    assert vague is not None and vague.date is None


def test_period_helpers() -> None:
    assert month_end(2023, 2) == date(2023, 2, 28)
    assert quarter_end(2024, 3) == date(2024, 9, 30)
    assert split_label("6 tháng đầu năm 2024: Chậm nhất ngày 10/6/2024.") == (
        "6 tháng đầu năm 2024", "Chậm nhất ngày 10/6/2024.")
    assert split_label("Yêu cầu: Báo cáo phải đảm bảo đúng đề cương") is None
    assert report_window("Tính từ ngày 15 tháng 12 năm 2023, ước thực hiện đến ngày 14 tháng 3 năm 2024.", 2024) == (
        date(2023, 12, 15), date(2024, 3, 14))


def test_recurring_reports_expand_to_instances() -> None:
    found = recurring_reports("định kỳ hằng quý tổng hợp, báo cáo trước ngày 20 của tháng cuối quý", 2024)
    assert [d for _, d in found] == [date(2024, 3, 20), date(2024, 6, 20), date(2024, 9, 20), date(2024, 12, 20)]


@settings(deadline=None)
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)), st.sampled_from(["trước", "chậm nhất"]))
def test_any_date_after_a_cue_parses_back(d: date, cue: str) -> None:
    text = f"Báo cáo kết quả {cue} ngày {d.day:02d}/{d.month:02d}/{d.year}."
    dl = find_deadline(text, 2024, REF)
    assert dl is not None and dl.date == d


@settings(deadline=None)
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)))
def test_words_dates_parse_back(d: date) -> None:
    dl = find_deadline(f"hoàn thành chậm nhất ngày {d.day} tháng {d.month} năm {d.year}", None)
    assert dl is not None and dl.date == d


def test_the_end_of_a_from_to_window_is_not_a_due_date() -> None:
    # "từ ngày ... đến ngày ...": when something happens, like "trong năm 2024"; "hoàn thành đến ngày ..." stays one
    assert find_deadline("báo cáo tình hình từng ngày (từ ngày 30 tháng 4 đến ngày 03 tháng 5)", 2024) is None
    assert find_deadline("tổ chức kiểm tra từ ngày 01/3 đến ngày 15/3/2024", 2024) is None
    found = find_deadline("hoàn thành đến ngày 15/3/2024", 2024)
    assert found is not None and found.date == date(2024, 3, 15)
