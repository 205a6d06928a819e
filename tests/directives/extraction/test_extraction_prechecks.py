"""The second speed pass's shortcuts (docs/extraction.md, "Speed on long documents"): each keyword pre-check holds
wherever its pattern matches, and each rewritten pattern or read-from-the-end test gives what the plain form gives,
on generated text (made-up fragments in several cases, with the letters IGNORECASE treats specially)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from congvu.directives.extraction import deadlines, document, normalize, tasks

PIECES = ["báo cáo ", "BÁO CÁO ", "Báo Cáo ", "số liệu ", "SỐ LIỆU ", "kết quả ", "KẾT QUẢ ", "gửi ", "GỬI ", "Gửi về ",
          "nộp ", "NỘP ", "để tổng hợp", "ĐỂ BÁO CÁO", "đến nay ", "ĐẾN NGÀY 3", "tính đến ", "TÍNH ĐẾN ngày ",
          "chốt số liệu ", "chưa ", "CHƯA ", "mới ", "đã nhận được ", "ĐÃ NHẬN ĐƯỢC ", "31/12/2024", "15 ", "05 ",
          "ngày ", "NGÀY ", "tháng ", "THÁNG ", "năm ", "hằng ", "mỗi ", "quý ", "cuối ", "của ", "trước ", "trong vòng ",
          "chậm nhất ", "sau ", "không quá ", "làm việc", "kể từ ", "ngay ", "Tết ", "đầu ", "sớm nhất", "Sở Y tế ",
          "UBND ", "định kỳ ", "kỳ ", "(Ảnh: ", "Nguồn: ", "Xem thêm", ") ", "(", ". ", "; ", ", ", ": ", "\n", "  ",
          "ı", "İ", "ſ", "K", "như sau", "sau đây", "cụ thể", "*", "**", "_", "__", "a", "Z", "1", " ", "huyện ",
          "Huyện ", "xhuyện ", "Bình ", "An ", "Lào Cai ",
          # whole phrases, so that each branch of the patterns matches often
          "CHỐT SỐ LIỆU 31/12/2024", "Số liệu tới ngày 30/6/2025", "tính đến 15/3/2025", "đến nay vẫn chưa",
          "Kết quả thực hiện gửi về Sở", "nộp về UBND", "trước ngày 20 hằng tháng", "trong vòng 15 ngày làm việc",
          "ngày 5 của tháng", "Công văn số 12 ngày 3 tháng 5 năm 2024"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=14).map("".join)


@given(TEXT)
@settings(max_examples=400, deadline=None)
def test_keyword_prechecks_hold_wherever_their_pattern_matches(text: str) -> None:
    low = text.lower()
    if tasks._STATUS.search(text):
        assert tasks._has_status(low)
    if tasks.CUT_OFF_DATE.search(text):
        assert tasks._has_cut_off(low)
    if tasks._REPORTS_SENT_ANY.search(text):
        assert tasks._has_reports_sent(low)
    if deadlines._MONTHLY_RE.search(text) or deadlines._MONTHLY_BEFORE_RE.search(text):
        assert "tháng" in low
    if deadlines._RELATIVE_RE.search(text):
        assert deadlines._RELATIVE_HINT.search(text)
    if deadlines._VAGUE_RE.search(text):
        assert any(w in text for w in ("ngay", "Tết", "đầu", "sớm"))
    if document._DATE_LINE.search(text):
        assert "ngày" in text and "tháng" in text and "năm" in text


@given(TEXT)
@settings(max_examples=400, deadline=None)
def test_gated_searches_say_what_the_plain_search_says(text: str) -> None:
    assert tasks._reports_verb(text) == bool(tasks._REPORT_VERB.search(text))
    assert tasks._sends_results(text) == bool(tasks._SENDS_RESULTS.search(text))
    plain = tasks._COMPILED_SEND.search(text)
    gated = tasks._compiled_send(text)
    assert (gated.span() if gated else None) == (plain.span() if plain else None)
    assert tasks._chrome(text) == bool(tasks._CHROME.search(text))


@given(TEXT)
@settings(max_examples=400, deadline=None)
def test_is_intro_read_from_the_end_is_the_anchored_search(text: str) -> None:
    t = text.rstrip(" *")
    plain = t.endswith(":") or bool(re.search(r"(?:như sau|sau đây|cụ thể)\s*[:.]?$", t))
    assert tasks.is_intro(text) == plain


def test_is_intro_examples() -> None:
    assert tasks.is_intro("Đề nghị các đơn vị thực hiện như sau.")
    assert tasks.is_intro("UBND tỉnh chỉ đạo cụ thể  :\n")
    assert not tasks.is_intro("Các nội dung như sau: \n\n")
    assert not tasks.is_intro("Báo cáo gửi về Sở trước ngày 5.")


@given(TEXT)
@settings(max_examples=400, deadline=None)
def test_emphasis_pattern_finds_what_the_plain_form_finds(text: str) -> None:
    assert ([m.span() for m in normalize._EMPHASIS.finditer(text)]
            == [m.span() for m in normalize._EMPHASIS_PLAIN.finditer(text)])


@given(TEXT, st.sampled_from(["tỉnh", "huyện", "xã", "thị trấn", "thành phố"]))
@settings(max_examples=300, deadline=None)
def test_level_name_search_with_the_look_behind_after_the_word(text: str, level: str) -> None:
    cap = document._CAPWORD
    plain = re.search(rf"(?<![\w]){level}\s+((?:{cap}\s?){{1,3}})", text)
    fast = re.search(rf"{level}(?<![\w]{level})\s+((?:{cap}\s?){{1,3}})", text)
    assert (fast.span(1) if fast else None) == (plain.span(1) if plain else None)


# made-up sentences, one or more for each branch of the patterns the pre-checks guard (upper and mixed case too)
MATCHING = [
    (tasks._STATUS, tasks._has_status, ["Tuy nhiên, ĐẾN NAY Sở Tài chính vẫn CHƯA có báo cáo",
                                       "Tính đến ngày 15/3 mới có 4 đơn vị gửi", "Đến ngày 2 đã nhận được báo cáo"]),
    (tasks.CUT_OFF_DATE, tasks._has_cut_off, ["số lượng tính đến ngày 31/12/2024", "CHỐT SỐ LIỆU ĐẾN 30/6/2025",
                                             "Số liệu tới hết ngày 15/3/2025"]),
    (tasks._REPORTS_SENT_ANY, tasks._has_reports_sent, ["Các BÁO CÁO phải GỬI về Sở", "Số liệu nộp trước ngày 5",
                                                       "kết quả thực hiện báo cáo UBND tỉnh"]),
]


def test_prechecks_hold_on_each_branch() -> None:
    for pattern, check, sentences in MATCHING:
        for s in sentences:
            assert pattern.search(s), s  # the example exercises the pattern
            assert check(s.lower()), s
