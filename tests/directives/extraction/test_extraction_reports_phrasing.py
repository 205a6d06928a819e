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
