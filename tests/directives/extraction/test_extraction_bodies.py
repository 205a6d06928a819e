"""Recognising body names: where they start, where they end, how lists split."""

import pytest

from congvu.directives.extraction.bodies import (
    addressed_bodies,
    cooperating_bodies,
    is_generic,
    leading_bodies,
    subject_verb,
)


@pytest.mark.parametrize(("text", "names", "verb"), [
    ("Giao Phòng Lao động, Thương binh và Xã hội: Phối hợp với Trung tâm", ["Phòng Lao động, Thương binh và Xã hội"], "Giao"),
    ("Giao Ban Chỉ huy Quân sự huyện: tập trung tham mưu", ["Ban Chỉ huy Quân sự huyện"], "Giao"),
    ("Đề nghị Chi cục thuế huyện: có kế hoạch", ["Chi cục thuế huyện"], "Đề nghị"),
    ("Công an huyện, Ban Chỉ huy Quân sự huyện theo chức năng", ["Công an huyện", "Ban Chỉ huy Quân sự huyện"], None),
    ("Cơ quan Tổ chức - Nội vụ huyện (cơ quan thường trực) tiếp thu", ["Cơ quan Tổ chức - Nội vụ huyện"], None),
    ("Sở Văn hóa, Thể thao và Du lịch chủ trì", ["Sở Văn hóa, Thể thao và Du lịch"], None),
    ("Ban Quản lý dự án đầu tư xây dựng huyện chủ trì", ["Ban Quản lý dự án đầu tư xây dựng huyện"], None),
    ("Văn phòng HĐND và UBND huyện tổng hợp", ["Văn phòng HĐND và UBND huyện"], None),
    ("Các ban, ngành, công chức chuyên môn: Các công chức", ["Các ban, ngành, công chức chuyên môn"], None),
    ("giao công chức Địa chính - Xây dựng xã tham mưu", ["công chức Địa chính - Xây dựng xã"], "giao"),
])
def test_leading_bodies(text: str, names: list[str], verb: str | None) -> None:
    lead = leading_bodies(text)
    assert lead is not None and lead.names == names and lead.verb == verb


@pytest.mark.parametrize("text", ["Ban hành các văn bản", "Tổ chức tổng kết công tác", "Hội nghị tổng kết",
                                  "Phòng, chống thiên tai", "Đoàn kết, thống nhất"])
def test_verbs_that_look_like_heads_are_not_bodies(text: str) -> None:
    assert leading_bodies(text) is None


def test_narrative_subjects_are_not_directives() -> None:
    assert subject_verb("Văn phòng đã tổ chức Hội nghị cán bộ") is None
    assert subject_verb("Văn phòng UBND tỉnh là cơ quan thuộc UBND tỉnh") is None
    assert subject_verb("Sở Tài chính chủ trì thẩm định").names == ["Sở Tài chính"]


def test_addressees_and_co_assignees() -> None:
    names, _ = addressed_bodies("UBND huyện yêu cầu Thủ trưởng các cơ quan, đơn vị, địa phương, ngay từ đầu năm cần")
    assert names == ["Thủ trưởng các cơ quan, đơn vị, địa phương"]
    assert addressed_bodies("Theo đề nghị của Sở Nội vụ tại Công văn số 12") is None
    assert cooperating_bodies("Phối hợp với Trung tâm dịch vụ việc làm tỉnh Quảng Ngãi tổ chức sàn; phối hợp với "
                              "các cơ quan có liên quan") == ["Trung tâm dịch vụ việc làm tỉnh Quảng Ngãi"]
    assert is_generic("Thủ trưởng các cơ quan, đơn vị") and is_generic("UBND các xã, thị trấn")
    assert not is_generic("Phòng Nội vụ huyện")
