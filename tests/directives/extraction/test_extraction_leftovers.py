"""Tenth pass, leftovers: synthetic sentences for general patterns the unseen batches showed (issue 12).

Department names holding a comma, school bodies, collectives named by a relative clause, the subject after a time
or condition phrase, and a restated lead kept once.
"""

from __future__ import annotations

import pytest

from congvu.directives.extraction.api import extract_text
from congvu.directives.extraction.bodies import is_generic, parse_bodies

HEAD = "UBND TỈNH HÀ NAM\nSố: 12/UBND-VX\nHà Nam, ngày 02 tháng 3 năm 2026\nKính gửi: Các sở, ban, ngành tỉnh.\n"


def _tasks(body: str) -> list[dict]:
    return extract_text(HEAD + body + "\n")["tasks"]


def _item(sentence: str) -> list[dict]:
    return _tasks("II. TỔ CHỨC THỰC HIỆN\n1. " + sentence)


def _names(text: str) -> list[str]:
    bodies = parse_bodies(text, 0)
    assert bodies is not None
    return bodies.names(text)


# --- 1. a department name that holds a comma ------------------------------------------------------------------

@pytest.mark.parametrize(("text", "name"), [
    ("Phòng Chính trị, tư tưởng chủ trì tổ chức hội nghị", "Phòng Chính trị, tư tưởng"),
    ("Phòng Kinh tế, hạ tầng và đô thị rà soát công trình", "Phòng Kinh tế, hạ tầng và đô thị"),
    ("Phòng Văn hóa, xã hội phối hợp kiểm tra", "Phòng Văn hóa, xã hội"),
    ("Phòng Văn hóa - Xã hội hướng dẫn các thôn", "Phòng Văn hóa - Xã hội"),
    ("Phòng Tài chính - Kế hoạch thẩm định dự toán", "Phòng Tài chính - Kế hoạch"),
    ("Phòng Kinh tế, Hạ tầng và Đô thị rà soát công trình", "Phòng Kinh tế, Hạ tầng và Đô thị"),
    ("Sở Văn hóa, Thể thao và Du lịch chủ trì", "Sở Văn hóa, Thể thao và Du lịch"),
    ("Phòng Lao động, Thương binh và Xã hội tổng hợp", "Phòng Lao động, Thương binh và Xã hội"),
])
def test_a_field_after_the_comma_belongs_to_the_name(text: str, name: str) -> None:
    assert _names(text) == [name]


@pytest.mark.parametrize(("text", "names"), [
    ("Phòng Tư pháp, Phòng Nội vụ phối hợp rà soát", ["Phòng Tư pháp", "Phòng Nội vụ"]),
    ("Phòng Tài chính - Kế hoạch, Phòng Nội vụ thẩm định", ["Phòng Tài chính - Kế hoạch", "Phòng Nội vụ"]),
    ("Sở Tài chính, đồng thời hướng dẫn các xã", ["Sở Tài chính"]),
    ("Phòng Nội vụ huyện, văn phòng UBND xã thực hiện", ["Phòng Nội vụ huyện"]),
])
def test_a_list_or_a_clause_after_the_comma_is_not_the_name(text: str, names: list[str]) -> None:
    assert _names(text)[:len(names)] == names
    assert _names(text)[0] == names[0]


def test_the_field_name_gives_the_assignee_of_an_item() -> None:
    tasks = _item("Phòng Chính trị, tư tưởng chủ trì tổ chức hội nghị quán triệt trong tháng 4/2026.")
    assert [(t["assignee"], t["action"][:8]) for t in tasks] == [("Phòng Chính trị, tư tưởng", "Chủ trì ")]


# --- 2. schools as bodies --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("sentence", "name", "generic"), [
    ("Nhà trường có trách nhiệm tổ chức khám sức khỏe cho học sinh.", "Nhà trường", False),
    ("Ban giám hiệu nhà trường chỉ đạo giáo viên hoàn thiện hồ sơ.", "Ban giám hiệu nhà trường", False),
    ("Các trường học tổ chức tuyên truyền phòng, chống đuối nước.", "Các trường học", True),
    ("Các cơ sở giáo dục triển khai chương trình ngoại khóa.", "Các cơ sở giáo dục", True),
    ("Các cơ sở y tế bảo đảm đủ thuốc phục vụ nhân dân.", "Các cơ sở y tế", True),
])
def test_schools_and_health_facilities_are_assignees(sentence: str, name: str, generic: bool) -> None:
    tasks = _item(sentence)
    assert [t["assignee"] for t in tasks] == [name]
    assert tasks[0]["generic"] is generic


# --- 3. a collective running into a verb, or named by a relative clause ---------------------------------------

@pytest.mark.parametrize(("sentence", "name", "action"), [
    ("Các cơ quan, đơn vị thuộc Bộ nhận báo cáo tổng hợp gửi Vụ Kế hoạch.", "Các cơ quan, đơn vị thuộc Bộ", "Nhận"),
    ("Các đơn vị tham gia đợt kiểm tra thực tế hoàn thiện biên bản gửi Sở Xây dựng.",
     "Các đơn vị tham gia đợt kiểm tra thực tế", "Hoàn thiện"),
    ("Các bộ, ngành chưa gửi báo cáo khẩn trương gửi về Bộ Tài chính.", "Các bộ, ngành chưa gửi báo cáo", "Khẩn trương"),
    ("Các xã chưa nộp hồ sơ có trách nhiệm hoàn thiện hồ sơ trong tháng 5.", "Các xã chưa nộp hồ sơ", "Có trách nhiệm"),
])
def test_a_relative_clause_names_the_collective_when_a_predicate_follows(sentence: str, name: str, action: str) -> None:
    tasks = _item(sentence)
    assert tasks[0]["assignee"] == name and tasks[0]["action"].startswith(action)
    assert is_generic(name)


@pytest.mark.parametrize(("sentence", "name", "action"), [
    ("Các đơn vị tham gia tập huấn đầy đủ, đúng thành phần.", "Các đơn vị", "Tham gia"),
    ("Các sở tham gia ý kiến vào dự thảo, gửi Sở Tư pháp.", "Các sở", "Tham gia"),
    ("Các đơn vị thực hiện nghiêm các quy định về an toàn lao động.", "Các đơn vị", "Thực hiện"),
])
def test_without_a_later_predicate_the_verb_is_the_predicate(sentence: str, name: str, action: str) -> None:
    tasks = _item(sentence)
    assert tasks[0]["assignee"] == name and tasks[0]["action"].startswith(action)


# --- 4. the subject after a time or condition phrase ----------------------------------------------------------

@pytest.mark.parametrize(("body", "name", "action"), [
    ("UBND tỉnh yêu cầu: từ ngày 01/4/2026, các đơn vị trực thuộc thực hiện nghiêm chế độ báo cáo.",
     "các đơn vị trực thuộc", "Thực hiện"),
    ("Trong thời gian tới, UBND các xã tập trung chỉ đạo thu hoạch lúa.", "UBND các xã", "Tập trung"),
    ("Kể từ ngày 15/3/2026, Sở Y tế tổ chức trực cấp cứu 24/24 giờ.", "Sở Y tế", "Tổ chức"),
    ("Trường hợp phát sinh vướng mắc, các cơ quan, đơn vị báo cáo Sở Tư pháp để tổng hợp.",
     "các cơ quan, đơn vị", "Báo cáo"),
])
def test_the_subject_after_a_time_or_condition_phrase(body: str, name: str, action: str) -> None:
    for tasks in (_tasks(body), _item(body)):
        assert [t["assignee"] for t in tasks] == [name]
        assert tasks[0]["action"].startswith(action)


def test_a_narrated_earlier_step_is_not_a_task() -> None:
    # "Trước đó, ..." tells what happened before: no subject is asked anything
    assert _tasks("Trước đó, ngày 12/01/2026, Báo Hà Nam có bài phản ánh về tình trạng ngập úng.") == []


def test_a_heading_body_shortened_in_its_item_keeps_the_heading_name() -> None:
    body = ("3. Đối với các Bộ quản lý chuyên ngành\n"
            "a) Trong thời hạn 03 tháng, kể từ ngày ký, các bộ thực hiện việc công bố danh mục tài sản.\n")
    tasks = _tasks(body)
    assert [t["assignee"] for t in tasks] == ["các Bộ quản lý chuyên ngành"]


# --- 5. a web page's headline above its lead -------------------------------------------------------------------

LEAD = ("(Báo Mới) - Bộ Nội vụ yêu cầu UBND các tỉnh rà soát chất lượng đội ngũ cán bộ xã, báo cáo Bộ Nội vụ "
        "trước ngày 10/3/2026.\nTheo văn bản, việc rà soát phải bảo đảm khách quan.\n")


def test_a_headline_with_the_page_counter_is_chrome() -> None:
    page = "UBND các tỉnh rà soát chất lượng cán bộ xã, báo cáo Bộ Nội vụ trước ngày 10/3 - 1\n" + LEAD
    tasks = extract_text(page)["tasks"]
    assert [(t["assignee"], t["deadline"]) for t in tasks] == [("UBND các tỉnh", "2026-03-10")]
    assert "- 1" not in tasks[0]["source_text"]


def test_a_headline_is_not_joined_to_the_lead_below_it() -> None:
    page = "Bộ Nội vụ đề nghị các tỉnh rà soát chất lượng cán bộ xã\n" + LEAD
    tasks = extract_text(page)["tasks"]
    assert tasks and all("(Báo Mới)" not in t["source_text"] or t["source_text"].startswith("(Báo Mới)")
                         for t in tasks)
