"""Issue 12, third pass: the grammar pieces added for plans, ministry letters and news copies — relative
deadlines counted from an act's stated effective date, monthly duties written period-first, plan sections
that assign nobody, objective headings, report sections, collective names kept whole."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from congvu.directives.extraction import extract_text
from congvu.directives.extraction.bodies import acts, leading_bodies
from congvu.directives.extraction.deadlines import add_months, effective_dates, find_deadline

REF = date(2026, 3, 26)
HEAD = ("ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\nSố: 134/KH-UBND\nLào Cai, ngày 26 tháng 3 năm 2026\n\n"
        "KẾ HOẠCH\nPhát triển các khu, cụm công nghiệp năm 2026\n\n")
TAIL = "\n\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n"
WORDS = st.lists(st.sampled_from(["phê", "duyệt", "phương", "án", "di", "dời", "cụm", "xây", "dựng", "hồ", "sơ"]),
                 min_size=1, max_size=5)


@settings(deadline=None)
@given(st.dates(min_value=date(2015, 1, 1), max_value=date(2060, 12, 31)), st.integers(1, 36),
       st.sampled_from(["tháng", "năm"]))
def test_relative_to_a_stated_effective_date(effective: date, n: int, unit: str) -> None:
    text = (f"Nghị định số 178/{effective.year}/NĐ-CP có hiệu lực thi hành từ ngày "
            f"{effective.day:02d}/{effective.month:02d}/{effective.year}.")
    anchors = effective_dates(text)
    assert anchors == [(f"178/{effective.year}/NĐ-CP", effective)]
    task = f"Trong thời hạn {n:02d} {unit}, kể từ ngày Nghị định số 178/{effective.year}/NĐ-CP có hiệu lực thi hành"
    dl = find_deadline(task, REF.year, REF, anchors=anchors)
    assert dl is not None and dl.kind == "relative"
    assert dl.date == add_months(effective, n * (12 if unit == "năm" else 1))


def test_relative_to_an_undated_event_keeps_only_its_text() -> None:
    anchors = [("178/2026/NĐ-CP", date(2026, 7, 6))]
    text = ("trong thời hạn 06 tháng, kể từ ngày quy định của pháp luật chuyên ngành quy định về tài sản "
            "kết cấu hạ tầng khác đó có hiệu lực thi hành")
    dl = find_deadline(text, 2026, REF, anchors=anchors)
    assert dl is not None and dl.date is None and "06 tháng" in dl.text


@settings(deadline=None)
@given(WORDS, st.integers(2000, 2090))
def test_completion_with_words_between(words: list[str], year: int) -> None:
    dl = find_deadline(f"hoàn thành {' '.join(words)} trong năm {year}.", year, None)
    assert dl is not None and dl.date == date(year, 12, 31)


def test_late_completion_of_given_tasks_is_not_a_deadline() -> None:
    text = "các Bộ, cơ quan chậm hoàn thành các nhiệm vụ được giao trong tháng 3/2022 nghiêm túc rút kinh nghiệm"
    assert find_deadline(text, 2022, date(2022, 4, 1)) is None


@settings(deadline=None)
@given(st.integers(1, 28), st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 1)))
def test_monthly_duty_written_period_first(day: int, ref: date) -> None:
    dl = find_deadline(f"định kỳ hằng tháng báo cáo UBND tỉnh (qua Sở Tài chính) trước ngày {day}.", ref.year, ref)
    assert dl is not None and dl.recurrence == {"freq": "monthly", "day": day}
    assert dl.date is not None and dl.date > ref and dl.date.day == day and (dl.date - ref).days <= 31


def test_collective_and_committee_names_are_kept_whole() -> None:
    cases = {
        "Chủ đầu tư dự án hạ tầng kỹ thuật khu, cụm công nghiệp san tạo mặt bằng": "Chủ đầu tư dự án hạ tầng kỹ thuật khu, cụm công nghiệp",
        "các thành viên Ban chỉ đạo phòng, chống dịch Covid-19 các cấp thực hiện": "các thành viên Ban chỉ đạo phòng, chống dịch Covid-19 các cấp",
        "UBND các tỉnh, thành phố trực thuộc Trung ương đến nay chưa gửi báo cáo": "UBND các tỉnh, thành phố trực thuộc Trung ương",
    }
    for text, name in cases.items():
        lead = leading_bodies(text)
        assert lead is not None and lead.names[0] == name, (text, lead)
    lead = leading_bodies("UBND các xã, phường, thị trấn, ban hành quyết định thành lập tổ")
    assert lead is not None and lead.names[0] == "UBND các xã, phường, thị trấn"
    lead = leading_bodies("Bộ trưởng, Thủ trưởng cơ quan ngang bộ tổ chức triển khai Chỉ thị này")
    # the ministers of a Government directive are a collective: one assignee (tests/directives/corpus/CONVENTIONS.md)
    assert lead is not None and lead.names == ["Bộ trưởng, Thủ trưởng cơ quan ngang bộ"]


def test_subjects_that_act() -> None:
    for text in ("Bộ Công Thương cũng có nhiệm vụ hoàn chỉnh Đề án",
                 "Sở Y tế định kỳ 6 tháng (trước ngày 15/6) và hằng năm (trước ngày 15/12) báo cáo UBND tỉnh"):
        lead = leading_bodies(text)
        assert lead is not None and acts(text, lead.end), text
    text = "UBND tỉnh đã ban hành Kế hoạch"
    lead = leading_bodies(text)
    assert lead is not None and not acts(text, lead.end)


def test_plan_sections_that_assign_nobody() -> None:
    body = (
        "II. NỘI DUNG\n"
        "1. Hoàn thiện ít nhất 500ha mặt bằng sạch để thu hút các nhà đầu tư thứ cấp.\n"
        "- UBND cấp xã chủ trì, phối hợp với các sở thực hiện công tác giải phóng mặt bằng.\n"
        "- Sở Công Thương chủ trì tham mưu thực hiện thủ tục thành lập cụm công nghiệp.\n"
        "(chi tiết Phụ lục 01 đính kèm)\n"
        "III. GIẢI PHÁP THỰC HIỆN\n"
        "1. Giải pháp về chính sách\n"
        "- Xây dựng, ban hành các chính sách hỗ trợ mang tính đột phá.\n"
        "- Sở Tài chính tham mưu bố trí vốn cho hạ tầng kỹ thuật.\n"
        "IV. VỐN ĐẦU TƯ\n"
        "Trong đó, vốn ngân sách nhà nước đầu tư các nội dung:\n"
        "- Đầu tư hạ tầng kỹ thuật đến chân hàng rào khu, cụm công nghiệp.\n"
        "V. CHẾ ĐỘ BÁO CÁO\n"
        "1. Các sở, ban, ngành báo cáo kết quả thực hiện gửi về Sở Công Thương trước ngày 20 hằng tháng.\n"
    )
    r = extract_text(HEAD + body + TAIL)
    tasks = {t["assignee"]: t for t in r["tasks"]}
    assert set(tasks) == {"UBND cấp xã", "Sở Công Thương", "Sở Tài chính", "Các sở, ban, ngành"}, r["tasks"]
    monthly = tasks["Các sở, ban, ngành"]
    assert monthly["deadline"] == "2026-04-20"
    assert [(x["due"], x["recipient"], x["recurrence"]) for x in r["reports"]] == [
        ("2026-04-20", "Sở Công Thương", {"freq": "monthly", "day": 20})]


def test_directive_before_a_short_intro_and_report_per_date() -> None:
    text = ("UBND TỈNH TUYÊN QUANG\n\nNgày 11/8/2020, Phó Chủ tịch UBND tỉnh đã ký văn bản số 2508/UBND-KGVX, "
            "chỉ đạo các sở, ban, ngành thuộc tỉnh; UBND các huyện, thành phố tăng cường các biện pháp phòng, chống "
            "dịch. Nội dung văn bản chỉ đạo như sau:\n")
    r = extract_text(text)
    # a list of collectives is one assignee, its parts joined by ";" included (CONVENTIONS.md)
    assert [(t["assignee"], t["co_assignees"]) for t in r["tasks"]] == [
        ("các sở, ban, ngành thuộc tỉnh; UBND các huyện, thành phố", [])], r["tasks"]
    letter = ("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 12/UBND-KT\nQuảng Ngãi, ngày 05 tháng 3 năm 2024\n\n"
              "Sở Y tế định kỳ 6 tháng (trước ngày 15/6) và hằng năm (trước ngày 15/12) báo cáo UBND tỉnh kết quả "
              "thực hiện." + TAIL)
    r = extract_text(letter)
    assert sorted(x["due"] for x in r["reports"]) == ["2024-06-15", "2024-12-15"]


def test_unplaced_items_stay_only_when_dated_or_directed() -> None:
    text = ("Thực hiện Nghị định số 61/2018/NĐ-CP, Ủy ban nhân dân thành phố ban hành Kế hoạch triển khai như sau:\n"
            "2.1. Thống nhất tiêu chí đánh giá và mẫu phiếu đánh giá.\n"
            "2.2. Rà soát, hoàn thiện mẫu phiếu trước ngày 30/6/2019.\n")
    r = extract_text(text)
    assert [(t["assignee"], t["deadline"]) for t in r["tasks"]] == [(None, "2019-06-30")], r["tasks"]
