"""Issue 12, tenth pass b12 (plans and directives): unmarked paragraphs that follow an address ("... yêu cầu UBND các
tỉnh ... tập trung thực hiện các nhiệm vụ trọng tâm sau:") each give the addressee a task per imperative sentence; a
decision's attached plan ("KẾ HOẠCH / ... / (Kèm theo Quyết định số ...)") after the signature is read as directing;
"Đến năm 2015, hoàn thành ..." is due at the end of that year. Synthetic sentences, not copied from the corpus."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from congvu.directives.extraction import extract_text
from congvu.directives.extraction.deadlines import find_deadline


def _tasks(text: str) -> list[dict]:
    return extract_text(text)["tasks"]


# --- paragraphs without a marker after an intro that addresses bodies -------------------------------------------

_INTRO = ("Tại phiên họp thường kỳ, Chính phủ yêu cầu Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương "
          "tập trung thực hiện các nhiệm vụ sau:\n")


def test_unmarked_paragraphs_after_an_addressing_intro_are_the_addressees_tasks() -> None:
    text = _INTRO + ("Rà soát, sắp xếp trụ sở dôi dư sau khi hợp nhất các đơn vị hành chính.\n"
                     "Khẩn trương hoàn thiện cơ sở dữ liệu dân cư cấp xã. Bố trí đủ công chức cho bộ phận một cửa.\n"
                     "Tổ chức tập huấn nghiệp vụ cho cán bộ cấp xã mới.")
    tasks = _tasks(text)
    assert [t["source_text"].split()[0] for t in tasks] == ["Rà", "Khẩn", "Bố", "Tổ"]
    assert {t["assignee"] for t in tasks} == {"Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"}


def test_the_run_stops_at_a_paragraph_that_is_not_imperative() -> None:
    text = _INTRO + ("Rà soát, sắp xếp trụ sở dôi dư sau khi hợp nhất các đơn vị hành chính.\n"
                     "Năm qua, nhiều địa phương đã hoàn thành việc sắp xếp bộ máy.\n"
                     "Tổ chức tập huấn nghiệp vụ cho cán bộ cấp xã mới.")
    tasks = _tasks(text)
    assert [t["source_text"].split()[0] for t in tasks] == ["Rà"]


def test_a_narrated_paragraph_after_the_intro_is_not_a_task() -> None:
    text = _INTRO + "Tổ chức đã được kiện toàn ở hầu hết các xã trong tháng trước."
    assert _tasks(text) == []


def test_paragraphs_after_a_sentence_that_addresses_bodies_continue_its_run() -> None:
    text = ("Theo đó, UBND tỉnh yêu cầu các sở, ban, ngành thực hiện nghiêm các kết luận của lãnh đạo tỉnh.\n"
            "Đẩy nhanh giải ngân vốn đầu tư công, hoàn thành trong quý II năm 2025.")
    tasks = _tasks(text)
    assert len(tasks) == 2
    assert tasks[1]["assignee"] == tasks[0]["assignee"] == "các sở, ban, ngành"
    assert tasks[1]["deadline"] == "2025-06-30"


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(["Rà soát", "Tổ chức", "Triển khai", "Tăng cường", "Chủ động", "Bố trí"]),
                min_size=1, max_size=4))
def test_every_imperative_paragraph_of_the_run_is_one_task(verbs: list[str]) -> None:
    text = _INTRO + "\n".join(f"{v} nội dung công việc thứ {n} của địa phương." for n, v in enumerate(verbs, 1))
    tasks = _tasks(text)
    assert len(tasks) == len(verbs)
    assert all(t["assignee"] == "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương" for t in tasks)


# --- a plan attached to the decision that issues it --------------------------------------------------------------

_DECISION = """BỘ XÂY DỰNG
Số: 15/QĐ-BXD
Hà Nội, ngày 05 tháng 3 năm 2026
QUYẾT ĐỊNH
Ban hành Kế hoạch triển khai Nghị định về nhà ở xã hội
BỘ TRƯỞNG BỘ XÂY DỰNG
QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Kế hoạch triển khai Nghị định về nhà ở xã hội.
Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày ký./.
Nơi nhận:
- Như Điều 2;
- Lưu: VT.
KT. BỘ TRƯỞNG
THỨ TRƯỞNG
Nguyễn Văn A
{kind}
TRIỂN KHAI NGHỊ ĐỊNH VỀ NHÀ Ở XÃ HỘI
(Kèm theo Quyết định số 15/QĐ-BXD ngày 05 tháng 3 năm 2026 của Bộ trưởng Bộ Xây dựng)
I. MỤC ĐÍCH, YÊU CẦU
1. Bảo đảm triển khai đồng bộ, thống nhất trên cả nước.
II. TỔ CHỨC THỰC HIỆN
1. Cục Hạ tầng kỹ thuật chủ trì xây dựng thông tư hướng dẫn, hoàn thành trong quý III/2026.
2. Vụ Pháp chế phối hợp rà soát các văn bản liên quan.
"""


def test_a_plan_attached_after_the_decisions_signature_directs() -> None:
    tasks = _tasks(_DECISION.format(kind="KẾ HOẠCH"))
    assert [t["assignee"] for t in tasks] == ["Cục Hạ tầng kỹ thuật", "Vụ Pháp chế"]
    assert tasks[0]["deadline"] == "2026-09-30"
    assert not any("Bảo đảm triển khai" in t["source_text"] for t in tasks)  # an aim, not a task


def test_rules_attached_to_a_decision_are_not_read_as_a_plan() -> None:
    assert _tasks(_DECISION.format(kind="QUY CHẾ")) == []


# --- "Đến năm YYYY, hoàn thành ..." -----------------------------------------------------------------------------

def test_a_year_that_ends_a_completion_is_its_last_day() -> None:
    dl = find_deadline("Đến năm 2027, hoàn thành việc số hóa hồ sơ địa chính.", 2026)
    assert dl is not None and dl.date == date(2027, 12, 31)
    dl = find_deadline("Trong năm 2026, phải hoàn thành sắp xếp trụ sở.", 2026)
    assert dl is not None and dl.date == date(2026, 12, 31)


def test_a_year_of_activity_or_vision_is_still_no_deadline() -> None:
    assert find_deadline("Tổ chức tuyên truyền trong năm 2026 trên địa bàn.", 2026) is None
    assert find_deadline("Quy hoạch đến năm 2030, tầm nhìn đến năm 2050.", 2026) is None


# --- a task table whose rows the text layer flattened, and cells that list periods --------------------------------

_FLAT = """BỘ Y TẾ
Số: 20/QĐ-BYT
Hà Nội, ngày 02 tháng 4 năm 2026
QUYẾT ĐỊNH
Ban hành Kế hoạch phòng, chống dịch bệnh năm 2026
BỘ TRƯỞNG BỘ Y TẾ
QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Kế hoạch phòng, chống dịch bệnh năm 2026.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký./.
Nơi nhận:
- Lưu: VT.
KT. BỘ TRƯỞNG
THỨ TRƯỞNG
Trần Văn B
KẾ HOẠCH
PHÒNG, CHỐNG DỊCH BỆNH NĂM 2026
(Kèm theo Quyết định số 20/QĐ-BYT ngày 02 tháng 4 năm 2026 của Bộ trưởng Bộ Y tế)
I. TỔ CHỨC THỰC HIỆN
Các đơn vị thực hiện theo phụ lục kèm theo.
PHỤ LỤC
| TT | Nội dung | Đơn vị chủ trì | Đơn vị phối hợp |
| --- | --- | --- | --- |
Thời gian thực hiện
1
Giám sát dịch bệnh
a)
Xây dựng hướng dẫn giám sát ca bệnh tại cộng đồng.
Cục Phòng bệnh
Vụ Pháp chế
Quý II, III/2026
b)
Tập huấn giám sát cho tuyến tỉnh.
Viện Vệ sinh dịch tễ Trung ương
Sở Y tế các tỉnh
Quý IV/2026, 2027
2
Truyền thông phòng bệnh cho người dân.
Trung tâm Truyền thông giáo dục sức khỏe
Các cơ quan báo chí
Thường xuyên
"""


def test_rows_of_a_flattened_task_table_are_tasks_with_their_lead_and_time() -> None:
    tasks = [t for t in _tasks(_FLAT) if t["deadline"] or "Thường xuyên" == t.get("deadline_text")]
    by_text = {t["source_text"]: t for t in tasks}
    row = by_text["Xây dựng hướng dẫn giám sát ca bệnh tại cộng đồng."]
    assert (row["assignee"], row["co_assignees"], row["deadline"]) == ("Cục Phòng bệnh", ["Vụ Pháp chế"], "2026-09-30")
    row = by_text["Tập huấn giám sát cho tuyến tỉnh."]
    assert (row["assignee"], row["deadline"]) == ("Viện Vệ sinh dịch tễ Trung ương", "2027-12-31")
    row = by_text["Truyền thông phòng bệnh cho người dân."]
    assert row["assignee"] == "Trung tâm Truyền thông giáo dục sức khỏe" and row["deadline"] is None
    assert not any(t["source_text"] == "Giám sát dịch bệnh" for t in _tasks(_FLAT))  # a group heading


def test_a_cell_that_lists_periods_is_due_at_the_end_of_the_last() -> None:
    assert find_deadline("Quý III, IV/2026", 2026, cell=True).date == date(2026, 12, 31)
    assert find_deadline("Quý II, III/2026", 2026, cell=True).date == date(2026, 9, 30)
    assert find_deadline("Quý IV/2026, 2027", 2026, cell=True).date == date(2027, 12, 31)
    assert find_deadline("Quý I/2027", 2026, cell=True).date == date(2027, 3, 31)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(["I", "II", "III", "IV"]), min_size=1, max_size=3, unique=True),
       st.integers(min_value=2020, max_value=2035))
def test_period_lists_end_with_their_last_quarter(quarters: list[str], year: int) -> None:
    order = ["I", "II", "III", "IV"]
    quarters.sort(key=order.index)
    q = order.index(quarters[-1]) + 1
    want = date(year, 12, 31) if q == 4 else date(year, 3 * q + 1, 1) - timedelta(days=1)
    assert find_deadline(f"Quý {', '.join(quarters)}/{year}", year, cell=True).date == want


def test_an_agency_named_by_two_fields_keeps_its_name() -> None:
    from congvu.directives.extraction.bodies import leading_bodies

    lead = leading_bodies("Cục Lâm nghiệp và Kiểm lâm có trách nhiệm theo dõi, đôn đốc thực hiện Kế hoạch.")
    assert lead is not None and lead.names == ["Cục Lâm nghiệp và Kiểm lâm"]
    lead = leading_bodies("Phòng Kinh tế và Kiểm lâm huyện phối hợp kiểm tra hiện trường.")
    assert lead is not None and lead.names == ["Phòng Kinh tế", "Kiểm lâm huyện"]  # the rangers of a district


# --- one-off reports of different bodies due the same day to the same recipient ---------------------------------

def test_reports_of_two_bodies_with_the_same_due_date_are_two_reports() -> None:
    text = ("Thủ tướng Chính phủ yêu cầu:\n"
            "1. Bộ Xây dựng rà soát quy hoạch các khu đô thị mới, báo cáo Thủ tướng Chính phủ trong quý III năm 2026.\n"
            "2. Bộ Tài chính đánh giá chính sách ưu đãi thuế, báo cáo Thủ tướng Chính phủ trong quý III năm 2026.\n")
    reports = extract_text(text)["reports"]
    assert sorted(r["assignee"] for r in reports if r["due"] == "2026-09-30") == ["Bộ Tài chính", "Bộ Xây dựng"]


# --- items under an intro that announces tasks, with no body named: tasks for the clerk to place, not dropped ----

def test_items_under_a_tasks_intro_without_a_body_are_kept_for_the_clerk() -> None:
    text = ("Phát biểu tại buổi làm việc, đồng chí Phó Chủ tịch nhấn mạnh một số nhiệm vụ cần thực hiện trong thời gian "
            "tới:\n1. Rà soát hồ sơ thủ tục hành chính còn tồn đọng.\n2. Cập nhật dữ liệu hộ nghèo lên hệ thống.\n")
    found = extract_text(text)
    listed = [t for t in found["tasks"] + found["candidates"] if "listed" in t.get("flags", [])]
    assert [t["source_text"].split()[0] for t in listed] == ["Rà", "Cập"]
    assert all(t["assignee"] is None for t in listed)


def test_a_connective_before_the_subject_does_not_hide_it() -> None:
    from congvu.directives.extraction.bodies import leading_bodies

    lead = leading_bodies("Vì vậy các sở, ngành, UBND các xã cần chủ động rà soát kế hoạch của mình.")
    assert lead is not None and lead.names[0].startswith("các sở, ngành")
    lead = leading_bodies("Do đó, Sở Tài chính chủ trì thẩm định dự toán năm 2027.")
    assert lead is not None and lead.names == ["Sở Tài chính"]
    assert leading_bodies("Vì vậy cần tăng cường công tác kiểm tra.") is None


def test_body_items_the_table_repeats_are_not_tasks_twice() -> None:
    text = _FLAT.replace("I. TỔ CHỨC THỰC HIỆN\n", "I. NỘI DUNG\n1. Giám sát dịch bệnh\na) Xây dựng hướng dẫn giám sát ca "
                         "bệnh tại cộng đồng như: ca bệnh nghi ngờ, ca bệnh xác định.\nII. TỔ CHỨC THỰC HIỆN\n")
    texts = [t["source_text"] for t in _tasks(text)]
    assert sum("Xây dựng hướng dẫn giám sát ca bệnh" in t for t in texts) == 1
    assert "Giám sát dịch bệnh" not in texts  # the table's group heading, repeated in the body
