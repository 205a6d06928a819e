"""Issue 12, fifth pass: language and layout patterns of notices never seen before — a role and a colon before
the bodies it heads, a name that ends at "trên cơ sở", the opening "... có ý kiến như sau:" after a cited letter's
quoted subject, a request addressed to the bodies a letter is sent to, bodies listed up to ";" after an address
verb, a web page's title above its "Ngày đăng" line, the list of who attended a meeting."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from congvu.directives.extraction import extract_text
from congvu.directives.extraction.api import task_confidence
from congvu.directives.extraction.bodies import parse_bodies
from congvu.directives.extraction.layout import build_blocks

LETTER = ("ỦY BAN NHÂN DÂN\nTỈNH AN GIANG\nSố: 12/UBND-KT\nAn Giang, ngày 05 tháng 3 năm 2024\n\n"
          "Kính gửi: Các sở, ngành tỉnh.\n\n")
SERVICES = ["Sở Tài chính", "Sở Xây dựng", "Sở Y tế", "Sở Công Thương", "Đài Phát thanh - Truyền hình tỉnh"]


def _tasks(text: str) -> list[dict]:
    return extract_text(text)["tasks"]


@settings(deadline=None, max_examples=30)
@given(st.lists(st.sampled_from(SERVICES), min_size=2, max_size=4, unique=True),
       st.sampled_from(["Giám đốc", "Thủ trưởng", "Chủ tịch"]))
def test_a_role_and_a_colon_before_the_bodies(bodies: list[str], role: str) -> None:
    text = f"Giao {role}: {', '.join(bodies)} phối hợp tuyên truyền, phát động phong trào"
    found = parse_bodies(text, len("Giao "), any_case=True)
    assert found is not None and found.names(text) == bodies


def test_role_before_a_distributive_list() -> None:
    text = "Giám đốc các Sở: Tài chính, Xây dựng chủ trì thẩm định"
    found = parse_bodies(text, 0)
    assert found is not None and found.names(text) == ["Sở Tài chính", "Sở Xây dựng"]


def test_giao_role_colon_letter_gives_the_first_body_as_lead() -> None:
    text = LETTER + ("Chủ tịch UBND tỉnh có ý kiến như sau:\n\nGiao Giám đốc: Sở Văn hóa, Thể thao và Du lịch, "
                     "Sở Thông tin và Truyền thông phối hợp với UBND các huyện tiếp tục tuyên truyền rộng rãi./.\n")
    tasks = _tasks(text)
    assert [t["assignee"] for t in tasks] == ["Sở Văn hóa, Thể thao và Du lịch"]
    assert "Sở Thông tin và Truyền thông" in tasks[0]["co_assignees"]


@settings(deadline=None, max_examples=20)
@given(st.sampled_from(SERVICES), st.sampled_from(["các điều kiện pháp lý", "kết quả rà soát", "đề xuất của huyện"]))
def test_a_name_ends_at_tren_co_so(body: str, basis: str) -> None:
    text = f"Giao {body} trên cơ sở {basis} hướng dẫn UBND huyện hoàn thiện hồ sơ"
    found = parse_bodies(text, len("Giao "), any_case=True)
    assert found is not None and found.names(text) == [body]


def test_quoted_subject_of_a_cited_letter_does_not_make_the_opening_narrative() -> None:
    text = LETTER + ("Thực hiện Công văn số 11/VPCP-KGVX ngày 17/10/2017 của Văn phòng Chính phủ về “tình hình ô nhiễm "
                     "môi trường ở nông thôn”, đồng chí Phó Chủ tịch UBND tỉnh có ý kiến như sau:\n\n"
                     "Giao Sở Tài nguyên và Môi trường chủ trì, phối hợp với Sở Y tế thực hiện các nội dung của "
                     "Công văn trên.\n")
    assert [t["assignee"] for t in _tasks(text)] == ["Sở Tài nguyên và Môi trường"]


@settings(deadline=None, max_examples=20)
@given(st.sampled_from(["văn bản", "Công văn số 1154/BXD-VLXD", "công điện"]),
       st.sampled_from(["các đơn vị đang đầu tư dự án xi măng", "các doanh nghiệp đang khai thác mỏ đá"]),
       st.sampled_from(["yêu cầu", "đề nghị"]))
def test_a_request_goes_to_the_bodies_the_letter_is_sent_to(letter: str, bodies: str, verb: str) -> None:
    text = f"Ngày 16-6, Bộ Xây dựng có {letter} gửi {bodies}, {verb} báo cáo tình hình đầu tư dự án."
    tasks = _tasks(text)
    assert [t["assignee"] for t in tasks] == [bodies]


def test_collective_bodies_listed_up_to_a_semicolon_after_the_address_verb() -> None:
    text = ("Chủ tịch UBND tỉnh vừa có công văn chỉ đạo các sở, ban, ngành, đoàn thể tỉnh; UBND các huyện, thành phố "
            "đẩy nhanh tiến độ giải ngân vốn các chương trình mục tiêu quốc gia.")
    tasks = _tasks(text)
    assert len(tasks) == 1
    # collectives only: one assignee across the ";" (tests/directives/corpus/CONVENTIONS.md)
    assert tasks[0]["assignee"] == "các sở, ban, ngành, đoàn thể tỉnh; UBND các huyện, thành phố"
    assert tasks[0]["co_assignees"] == []


def test_a_page_title_above_its_date_line_is_not_a_task() -> None:
    text = ("tin hoạt động khác\n\nLãnh đạo UBND quận xem xét, quyết định một số nội dung thuộc thẩm quyền\n"
            "Ngày đăng 03/05/2019 | 10:23 | Lượt xem: 740\n\nNgày 02/5/2019, UBND quận đã họp để xem xét các nội dung.\n")
    blocks = build_blocks(text)
    assert any(b.text.startswith("Ngày đăng") for b in blocks)  # the date line is its own block
    assert _tasks(text) == []


def test_a_directive_title_without_a_date_line_still_counts() -> None:
    text = "Chủ tịch UBND tỉnh yêu cầu các sở, ngành khẩn trương rà soát hồ sơ đất đai.\n"
    assert len(_tasks(text)) == 1


def test_who_attended_is_not_a_task() -> None:
    text = ("Ngày 02/5/2019, Chủ tịch UBND quận chủ trì họp. Dự phiên họp có đồng chí Phó Chủ tịch HĐND quận và các "
            "đồng chí Trưởng các phòng, ban, đơn vị; Chủ tịch UBND các phường có liên quan.\n")
    assert _tasks(text) == []


def test_a_year_less_date_is_one_doubt() -> None:
    base = {"assignee": "các đơn vị", "generic": True, "source_text": "gửi các đơn vị, yêu cầu báo cáo trước ngày 30-6",
            "deadline": None, "deadline_text": "trước ngày 30-6"}
    year_less = task_confidence({**base, "flags": ["assignee_generic", "deadline_year_unknown"]}, "sentence")
    text_only = task_confidence({**base, "flags": ["assignee_generic"]}, "sentence")
    assert year_less == round(text_only - 0.05, 2)


# --- second fresh batch of the pass ---------------------------------------------------------------------------

def test_how_things_stood_is_not_a_request() -> None:
    text = ("Theo quy định trước đây, việc quản lý phân bón vô cơ được giao cho Bộ Công Thương, còn phân bón hữu cơ "
            "thì giao cho Bộ Nông nghiệp và Phát triển nông thôn quản lý, đã dẫn đến chồng chéo.")
    assert _tasks(text) == []


@settings(deadline=None, max_examples=20)
@given(st.sampled_from(["UBND các xã", "các phòng chuyên môn", "Phòng Nông nghiệp huyện"]),
       st.sampled_from(["kiểm tra", "tuyên truyền", "hướng dẫn nhân dân"]))
def test_di_ends_a_name(body: str, verb: str) -> None:
    text = f"Đồng thời yêu cầu {body} đi {verb} đẩy nhanh tiến độ sản xuất vụ xuân."
    tasks = _tasks(text)
    assert [t["assignee"] for t in tasks] == [body]


def test_a_news_copy_that_repeats_its_lead_gives_one_task() -> None:
    said = ("giao Bộ Nội vụ chủ trì phối hợp với các Bộ Công Thương, Tư pháp nghiên cứu, đề xuất phân công đầu mối "
            "quản lý nhà nước về phân bón, bảo đảm tính thống nhất.")
    text = (f"VietTimes -- Phó Thủ tướng Nguyễn Văn A vừa {said}\n\nVăn phòng Chính phủ vừa có thông báo kết luận của "
            f"Phó Thủ tướng tại cuộc họp.\n\nĐể tăng cường hiệu lực quản lý, Phó Thủ tướng {said}\n")
    assert [t["assignee"] for t in _tasks(text)] == ["Bộ Nội vụ"]


def test_an_opening_and_its_directive_in_one_line() -> None:
    text = ("Theo đó, để thống nhất quản lý nhà nước về phân bón, Chính phủ có ý kiến như sau: Bộ Nông nghiệp và Phát "
            "triển nông thôn căn cứ nhiệm vụ được giao, chủ trì phối hợp với Bộ Công Thương tiếp nhận hồ sơ dự thảo "
            "Nghị định. Khẩn trương soạn thảo Nghị định để trình Chính phủ trong tháng 6.2017.")
    tasks = _tasks(text)
    assert [t["assignee"] for t in tasks] == ["Bộ Nông nghiệp và Phát triển nông thôn"]
    assert tasks[0]["deadline"] == "2017-06-30"


@given(st.integers(1, 12), st.integers(2000, 2060))
def test_month_and_year_with_a_dot(month: int, year: int) -> None:
    from calendar import monthrange
    from datetime import date

    from congvu.directives.extraction.deadlines import find_deadline

    dl = find_deadline(f"trình Chính phủ trong tháng {month}.{year}", None, None)
    assert dl is not None and dl.date == date(year, month, monthrange(year, month)[1])
