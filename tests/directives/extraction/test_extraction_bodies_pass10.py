"""Tenth pass: body names that hold linking words ("về", "của", "thuộc", "cấp") and collective lists.

All sentences are made up; the names are the usual shapes of real bodies (2025 names included).
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from congvu.directives.extraction.bodies import (
    addressed_bodies,
    cooperating_bodies,
    leading_bodies,
    subject_verb,
)

# Names of real kinds of bodies, each followed by a predicate in the tests below
NAMES = [
    "Ban Chỉ đạo Quốc gia về phòng, chống tội phạm",
    "Ban Chỉ đạo tỉnh về chuyển đổi số",
    "Ban Chỉ đạo tỉnh về xây dựng nông thôn mới",
    "Ban Chỉ đạo về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số tỉnh",
    "Ban Chỉ đạo phòng, chống thiên tai và tìm kiếm cứu nạn tỉnh",
    "Tổ công tác về cải cách thủ tục hành chính của tỉnh",
    "Hội đồng Thi đua - Khen thưởng tỉnh",
    "Hội đồng tư vấn về đặt tên đường tỉnh",
    "Văn phòng Điều phối nông thôn mới tỉnh",
    "Ban Quản lý dự án đầu tư xây dựng các công trình giao thông tỉnh",
    "Ban Quản lý dự án đầu tư xây dựng khu vực Bắc Hà",
    "Trung tâm Phục vụ hành chính công tỉnh",
    "Ban Chỉ huy Quân sự xã",
    "Bộ Chỉ huy Quân sự tỉnh",
    "Đài Phát thanh và Truyền hình tỉnh",
    "Trường Chính trị tỉnh",
    "Hội Liên hiệp Phụ nữ tỉnh",
    "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
    "Tỉnh đoàn",
    "Liên đoàn Lao động tỉnh",
    "Kho bạc Nhà nước khu vực VIII",
    "Thuế tỉnh",
    "Thuế cơ sở 3 tỉnh Lào Cai",
    "Chi cục Kiểm lâm",
    "Bảo hiểm xã hội tỉnh",
    "Sở Nông nghiệp và Môi trường",
    "Sở Khoa học và Công nghệ",
    "Sở Dân tộc và Tôn giáo",
    "Sở Nội vụ",
    "Công an xã",
    "Công an cấp xã",
    "Ủy ban nhân dân xã Tân Phú",
    "UBND phường Bắc Sơn",
    "UBND đặc khu Côn Đảo",
    "Chi cục Thủy lợi thuộc Sở Nông nghiệp và Môi trường",
]
PREDICATES = [
    "chủ trì, hướng dẫn các đơn vị triển khai",
    "khẩn trương rà soát, báo cáo kết quả",
    "có trách nhiệm theo dõi, đôn đốc việc thực hiện",
    "phối hợp với Sở Tài chính xây dựng kế hoạch",
    "tổ chức kiểm tra việc thực hiện",
    "tham mưu Ủy ban nhân dân tỉnh ban hành quy chế",
    "theo chức năng, nhiệm vụ được giao thực hiện",
]


@pytest.mark.parametrize("name", NAMES)
def test_a_name_followed_by_its_task_comes_back_whole(name: str) -> None:
    lead = subject_verb(f"{name} chủ trì, hướng dẫn các đơn vị triển khai.")
    assert lead is not None and lead.names == [name]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(NAMES), st.sampled_from(PREDICATES), st.sampled_from(["", "Giao ", "Đề nghị "]))
def test_any_name_then_any_predicate_gives_the_name(name: str, predicate: str, verb: str) -> None:
    lead = leading_bodies(f"{verb}{name} {predicate}.")
    assert lead is not None and lead.names == [name]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(NAMES), min_size=2, max_size=4, unique=True), st.sampled_from(PREDICATES),
       st.sampled_from([", ", "; "]))
def test_a_list_of_names_splits_between_the_names(names: list[str], predicate: str, sep: str) -> None:
    lead = leading_bodies(sep.join(names) + " " + predicate + ".")
    assert lead is not None and lead.names == names


@pytest.mark.parametrize(("text", "name"), [
    # "về việc", "về kết quả": the matter of a letter or report, not a committee's subject
    ("Sở Y tế về việc triển khai tiêm chủng mở rộng", "Sở Y tế"),
    ("Ban Chỉ đạo tỉnh về việc tổng kết năm chủ trì", "Ban Chỉ đạo tỉnh"),
    ("Sở Xây dựng về tình hình thực hiện dự án", "Sở Xây dựng"),
    # a body that is not a committee does not take a subject
    ("Sở Tài chính về chủ trương đầu tư chủ trì", "Sở Tài chính"),
])
def test_ve_after_a_body_that_is_not_a_committee_ends_the_name(text: str, name: str) -> None:
    lead = leading_bodies(text)
    assert lead is not None and lead.names[0] == name


def test_report_to_a_committee_about_a_matter_keeps_the_matter_out() -> None:
    lead = addressed_bodies("Đề nghị Ban Chỉ đạo tỉnh về kết quả thực hiện tháng 5.")
    assert lead is not None and lead[0] == ["Ban Chỉ đạo tỉnh"]


def test_committee_named_by_its_subject_as_co_assignee() -> None:
    co = cooperating_bodies("Sở Nội vụ chủ trì, phối hợp với Ban Chỉ đạo tỉnh về chuyển đổi số kiểm tra.")
    assert co == ["Ban Chỉ đạo tỉnh về chuyển đổi số"]


def test_a_subject_ends_at_a_verb_after_the_level() -> None:
    # "tổ chức" names a field inside a subject, but after the level word it is the predicate
    lead = subject_verb("Hội đồng tư vấn về đặt tên đường tỉnh tổ chức thẩm định hồ sơ.")
    assert lead is not None and lead.names == ["Hội đồng tư vấn về đặt tên đường tỉnh"]


def test_tax_is_a_body_only_with_its_level() -> None:
    assert subject_verb("Thuế tỉnh đôn đốc thu nộp ngân sách.").names == ["Thuế tỉnh"]
    assert leading_bodies("Thuế thu nhập cá nhân được miễn") is None


# --- Collective lists (tests/directives/corpus/CONVENTIONS.md): a list that names only collectives is one
# assignee, written whole, whatever joins its parts; a named body in the list is a body of its own.

COLLECTIVES = [
    "Thủ trưởng các sở, ban, ngành tỉnh",
    "Chủ tịch Ủy ban nhân dân các xã, phường, đặc khu",
    "UBND các xã, phường, đặc khu",
    "các cơ quan, đơn vị có liên quan",
    "Giám đốc các sở",
    "người đứng đầu các cơ quan, đơn vị",
    "Ủy ban nhân dân cấp xã",
    "các tổ chức, cá nhân trên địa bàn xã",
]


@pytest.mark.parametrize(("text", "names"), [
    ("Thủ trưởng các sở, ban, ngành tỉnh, Chủ tịch UBND các xã, phường, đặc khu khẩn trương triển khai.",
     ["Thủ trưởng các sở, ban, ngành tỉnh, Chủ tịch UBND các xã, phường, đặc khu"]),
    ("Các sở, ban, ngành; Ủy ban nhân dân các xã, phường chủ động rà soát.",
     ["Các sở, ban, ngành; Ủy ban nhân dân các xã, phường"]),
    ("Giám đốc các sở và Chủ tịch UBND các xã tổ chức thực hiện.", ["Giám đốc các sở và Chủ tịch UBND các xã"]),
    ("Các bộ, cơ quan ngang bộ và địa phương báo cáo kết quả.", ["Các bộ, cơ quan ngang bộ và địa phương"]),
    ("Các sở, ban, ngành; cơ quan, đơn vị chủ động thực hiện.", ["Các sở, ban, ngành; cơ quan, đơn vị"]),
    ("Sở, ban, ngành, Ủy ban nhân dân quận-huyện, xã, phường thực hiện.",
     ["Sở, ban, ngành, Ủy ban nhân dân quận-huyện, xã, phường"]),
    ("Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Thủ trưởng cơ quan thuộc Chính phủ, Chủ tịch Ủy ban nhân dân các tỉnh"
     " chỉ đạo thực hiện.",
     ["Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Thủ trưởng cơ quan thuộc Chính phủ, Chủ tịch Ủy ban nhân dân các tỉnh"]),
    ("Các bộ, cơ quan ngang bộ (sau đây gọi là các bộ) và Ủy ban nhân dân các tỉnh tập trung chỉ đạo.",
     ["Các bộ, cơ quan ngang bộ và Ủy ban nhân dân các tỉnh"]),
    ("Các hộ gia đình trên địa bàn xã treo cờ Tổ quốc.", ["Các hộ gia đình trên địa bàn xã"]),
    # a named body keeps its own place: lead, then the collective run as one co-assignee
    ("Sở Tài chính, các sở, ngành có liên quan, UBND các xã, phường thực hiện.",
     ["Sở Tài chính", "các sở, ngành có liên quan, UBND các xã, phường"]),
    ("UBND các xã, phường, đặc khu, Công an tỉnh thực hiện.", ["UBND các xã, phường, đặc khu", "Công an tỉnh"]),
])
def test_a_list_of_collectives_is_one_assignee(text: str, names: list[str]) -> None:
    lead = leading_bodies(text)
    assert lead is not None and lead.names == names


def test_a_named_minister_is_not_a_collective() -> None:
    lead = leading_bodies("Bộ trưởng Bộ Y tế, Chủ tịch UBND các tỉnh chỉ đạo thực hiện.")
    assert lead is not None and lead.names == ["Bộ trưởng Bộ Y tế", "Chủ tịch UBND các tỉnh"]


def test_collectives_after_phoi_hop_stay_one_co_assignee_and_vague_ones_drop() -> None:
    assert cooperating_bodies("phối hợp với các sở, ngành có liên quan và UBND các xã thực hiện") == [
        "các sở, ngành có liên quan và UBND các xã"]
    assert cooperating_bodies("phối hợp với các cơ quan, đơn vị liên quan thực hiện") == []


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(COLLECTIVES), min_size=2, max_size=4, unique=True),
       st.lists(st.sampled_from([", ", "; ", " và "]), min_size=3, max_size=3), st.sampled_from(PREDICATES))
def test_any_run_of_collectives_comes_back_as_one_name(parts: list[str], seps: list[str], predicate: str) -> None:
    joined = parts[0] + "".join(sep + part for sep, part in zip(seps, parts[1:], strict=False))
    lead = leading_bodies(f"{joined} {predicate}.")
    assert lead is not None and lead.names == [joined]


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(NAMES), st.lists(st.sampled_from(COLLECTIVES), min_size=1, max_size=3, unique=True),
       st.sampled_from(PREDICATES))
def test_a_named_lead_then_collectives_gives_lead_and_one_co_assignee(name: str, parts: list[str],
                                                                      predicate: str) -> None:
    run = ", ".join(parts)
    lead = leading_bodies(f"{name}, {run} {predicate}.")
    assert lead is not None and lead.names == [name, run]


def test_extraction_keeps_the_collective_whole_and_marks_it_generic() -> None:
    from congvu.directives.extraction import extract_text

    text = (
        "ỦY BAN NHÂN DÂN TỈNH AN BÌNH\nSố: 12/CT-UBND\nAn Bình, ngày 05 tháng 3 năm 2026\n\nCHỈ THỊ\n"
        "Về tăng cường công tác phòng cháy, chữa cháy\n\n"
        "Để bảo đảm an toàn phòng cháy, chữa cháy, Chủ tịch Ủy ban nhân dân tỉnh yêu cầu:\n\n"
        "1. Thủ trưởng các sở, ban, ngành tỉnh; Chủ tịch Ủy ban nhân dân các xã, phường, đặc khu khẩn trương rà soát"
        " các cơ sở có nguy cơ cháy, nổ cao, hoàn thành trước ngày 30/4/2026.\n\n"
        "2. Công an tỉnh chủ trì, phối hợp với các sở, ngành có liên quan và Ủy ban nhân dân các xã, phường kiểm tra"
        " an toàn phòng cháy tại các chợ.\n\n"
        "3. Ban Chỉ đạo tỉnh về chuyển đổi số chủ trì, hướng dẫn các đơn vị số hóa hồ sơ phòng cháy.\n"
    )
    tasks = extract_text(text)["tasks"]
    got = [(t["assignee"], t["co_assignees"], t["generic"]) for t in tasks]
    assert got == [
        ("Thủ trưởng các sở, ban, ngành tỉnh; Chủ tịch Ủy ban nhân dân các xã, phường, đặc khu", [], True),
        ("Công an tỉnh", ["các sở, ngành có liên quan và Ủy ban nhân dân các xã, phường"], False),
        ("Ban Chỉ đạo tỉnh về chuyển đổi số", [], False),
    ]


def test_roles_given_to_a_collective_are_part_of_its_name() -> None:
    lead = leading_bodies("Theo nhiệm vụ được giao, các cán bộ được phân công chủ trì hoặc phối hợp chủ động thực hiện.")
    assert lead is not None and lead.names == ["các cán bộ được phân công chủ trì hoặc phối hợp"]
    # without a predicate after them, the roles are the predicate
    lead = leading_bodies("Các đơn vị được giao chủ trì dự án đầu tư công.")
    assert lead is not None and lead.names == ["Các đơn vị được giao"]
