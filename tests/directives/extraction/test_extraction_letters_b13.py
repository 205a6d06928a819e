"""Issue 12, tenth pass b13: official letters and dispatches (Công văn, Công điện) — items numbered "(1)", "(2)"; the
law library's questions copied under a letter ("... là gì?", "... quy định như thế nào?") and the law they quote;
a dispatch's "ĐIỆN: X" line as its addressee; a recipients list that lost its "Nơi nhận:" label ("- Như trên; ...");
"triển khai ngay ... vào ngày D" as a deadline; collectives named by what their members manage or where they sit
("các đơn vị quản lý hồ chứa ...", "các cơ quan Trung ương đóng trên địa bàn", "các đơn vị có liên quan"); a daily
report ("báo cáo ... trước 14 giờ hàng ngày") as a report that recurs daily; the heads of villages a commune writes
to ("các trưởng thôn", "Các ông xóm trưởng")."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from congvu.directives.extraction import extract_text
from congvu.directives.extraction.bodies import parse_bodies
from congvu.directives.extraction.deadlines import find_deadline
from congvu.directives.extraction.layout import build_blocks
from congvu.directives.extraction.tasks import is_question_heading


def _tasks(text: str) -> list[dict]:
    return extract_text(text)["tasks"]


# --- "(1) ...", "(2) ...": numbers in brackets are list items ----------------------------------------------------

def test_bracketed_numbers_are_items() -> None:
    blocks = build_blocks("Yêu cầu các đơn vị thực hiện:\n(1) Rà soát hồ sơ tồn đọng.\n(2) Báo cáo kết quả.")
    items = [b for b in blocks if b.kind == "item"]
    assert [(b.mtype, b.marker) for b in items] == [("pnum", "1"), ("pnum", "2")]
    assert items[0].text == "Rà soát hồ sơ tồn đọng."


def test_bracketed_items_under_a_request_are_the_addressee_s_tasks() -> None:
    text = ("Để bảo đảm an toàn mùa mưa bão, Giám đốc Sở Xây dựng yêu cầu các phòng chuyên môn thuộc Sở tập trung thực "
            "hiện các nhiệm vụ sau:\n\n"
            "(1) Kiểm tra các công trình đang thi công, nhất là các công trình cao tầng.\n\n"
            "(2) Khẩn trương gia cố cần trục, giàn giáo trước ngày 15/9/2023.\n")
    tasks = _tasks(text)
    assert len(tasks) == 2
    assert all(t["assignee"] == "các phòng chuyên môn thuộc Sở" for t in tasks)
    assert tasks[1]["deadline"] == "2023-09-15"


def test_bracketed_reference_in_running_text_is_not_a_marker() -> None:
    blocks = build_blocks("(theo Công văn số 12/UBND-KT) đề nghị các xã thực hiện.")
    assert blocks[0].kind == "para"


# --- a law library's questions under the letter it copies ----------------------------------------------------

def test_question_headings() -> None:
    assert is_question_heading("Các hành vi bị cấm trong hoạt động bảo vệ rừng là gì?")
    assert is_question_heading("Hồ sơ đề nghị cấp phép gồm những gì?")
    assert is_question_heading("Nguyên tắc phòng chống dịch được quy định ra sao?")
    assert is_question_heading("Kinh phí hỗ trợ được sử dụng trong trường hợp nào?")
    assert is_question_heading("Người dân có được tự ý chặt cây xanh không?")
    # a title that only ends in "?" asks nothing
    assert not is_question_heading("Toàn văn Công văn 512/BXD-QLN về rà soát nhà ở xã hội?")


def test_law_quoted_under_a_question_is_not_a_task() -> None:
    text = ("## Toàn văn Công điện 77/CĐ-BYT về phòng chống sốt xuất huyết?\n\n"
            "Bộ trưởng Bộ Y tế yêu cầu Sở Y tế các tỉnh thực hiện các nhiệm vụ sau:\n\n"
            "- Tăng cường giám sát, phát hiện sớm ca bệnh tại cộng đồng.\n\n"
            "- Báo cáo tình hình dịch về Cục Phòng bệnh trước ngày 20/8/2024.\n\n"
            "## Trách nhiệm phòng chống dịch bệnh được quy định như thế nào?\n\n"
            "Căn cứ Điều 5 Luật Phòng, chống bệnh truyền nhiễm quy định như sau:\n\n"
            "- Thực hiện các biện pháp phòng, chống bệnh truyền nhiễm.\n\n"
            "+ Cơ quan, tổ chức có trách nhiệm tuyên truyền cho người lao động.\n\n"
            "**Các hành vi bị nghiêm cấm là gì?**\n\n"
            "- Cố ý làm lây lan tác nhân gây bệnh.\n")
    tasks = _tasks(text)
    assert [t["source_text"].split(",")[0] for t in tasks] == [
        "Tăng cường giám sát", "Báo cáo tình hình dịch về Cục Phòng bệnh trước ngày 20/8/2024."]
    assert all(t["assignee"] == "Sở Y tế các tỉnh" for t in tasks)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(["là gì?", "như thế nào?", "ra sao?", "gồm những gì?"]),
       st.lists(st.sampled_from(["Kiểm tra hồ sơ cấp phép.", "Xử lý vi phạm hành chính.", "Công khai thủ tục."]),
                min_size=1, max_size=4))
def test_nothing_below_a_question_heading_is_a_task(question: str, bullets: list[str]) -> None:
    text = "Sở Tư pháp đề nghị UBND các xã rà soát thủ tục hành chính.\n\n## Thẩm quyền xử phạt " + question + "\n\n"
    text += "".join(f"- {b}\n\n" for b in bullets)
    tasks = _tasks(text)
    assert len(tasks) == 1 and tasks[0]["assignee"] == "UBND các xã"


# --- "ĐIỆN: X": a dispatch's addressee, whose items it directs ----------------------------------------------------

_DISPATCH = ("BAN CHỈ HUY PHÒNG THỦ DÂN SỰ TỈNH\n\n"
             "Số: 07/CĐ-BCH\n\n"
             "Quảng Bình, ngày 12 tháng 10 năm 2024\n\n"
             "CÔNG ĐIỆN\n\n"
             "ĐIỆN:{addressee}\n\n"
             "Hiện nay mưa lớn kéo dài gây ngập sâu nhiều tuyến đường.\n\n"
             "1. Tổ chức di dời ngay các hộ dân vùng trũng thấp đến nơi an toàn.\n\n"
             "2. Bố trí lực lượng trực 24/24 giờ tại các điểm xung yếu.\n\n"
             "- Như trên;\n- Chủ tịch UBND tỉnh (để b/c);\n- Lưu VT.\n\nKT. TRƯỞNG BAN\nPHÓ TRƯỞNG BAN\nNguyễn Văn An\n")


def test_dispatch_addressee_line_directs_its_items() -> None:
    out = extract_text(_DISPATCH.format(addressee=" Ủy ban nhân dân huyện Lệ Thủy"))
    assert [t["assignee"] for t in out["tasks"]] == ["Ủy ban nhân dân huyện Lệ Thủy"] * 2
    assert out["tasks"][0]["source_text"].startswith("Tổ chức di dời ngay")


def test_recipients_list_without_its_label_is_not_a_task() -> None:
    out = extract_text(_DISPATCH.format(addressee=" Công an tỉnh"))
    assert len(out["tasks"]) == 2
    assert not any("Như trên" in t["source_text"] or "Lưu VT" in t["source_text"] for t in out["tasks"])
    assert "Chủ tịch UBND tỉnh (để b/c)" in out["recipients"]


def test_word_dien_in_a_name_is_not_an_address_line() -> None:
    out = extract_text("Kính gửi: Sở Công Thương\n\nĐiện lực huyện báo cáo tình hình cấp điện trước ngày 05/8/2024.")
    assert out["recipients"] == ["Sở Công Thương"]


# --- "triển khai ngay ... vào ngày D" ------------------------------------------------------------------------------

def test_launch_at_once_on_a_day_is_due_that_day() -> None:
    d = find_deadline("Phát động và triển khai ngay “Tháng hành động vì môi trường” vào ngày 05/6/2024 tại các xã.",
                      2024, None)
    assert d is not None and d.date.isoformat() == "2024-06-05"


def test_a_day_without_ngay_is_not_a_deadline() -> None:
    assert find_deadline("Hội nghị đã được tổ chức vào ngày 05/6/2024 tại Hội trường UBND tỉnh.", 2024, None) is None
    assert find_deadline("Cho học sinh tạm dừng đến trường kể từ ngày 12/05/2021.", 2021, None) is None


# --- collectives named by what they manage, where they sit, that they are concerned ------------------------------

def test_collective_named_by_what_it_manages_is_kept_whole() -> None:
    s = "các đơn vị quản lý công trình thủy lợi, UBND các xã chủ động vận hành hồ chứa"
    found = parse_bodies(s, 0, any_case=True)
    assert found is not None and found.names(s) == ["các đơn vị quản lý công trình thủy lợi, UBND các xã"]


def test_collective_that_sits_in_the_area_is_kept_whole() -> None:
    s = "các cơ quan Trung ương đóng trên địa bàn tỉnh, các sở, ngành tăng cường kiểm tra"
    found = parse_bodies(s, 0, any_case=True)
    assert found is not None and found.names(s) == ["các cơ quan Trung ương đóng trên địa bàn tỉnh, các sở, ngành"]


def test_collective_of_the_concerned_is_kept_whole() -> None:
    s = "Thủ trưởng các sở, ngành và các đơn vị có liên quan tổ chức thực hiện"
    found = parse_bodies(s, 0, any_case=True)
    assert found is not None and found.names(s)[0].endswith("các đơn vị có liên quan")


def test_managing_a_thing_is_not_a_body_name_outside_a_collective() -> None:
    s = "Sở Xây dựng quản lý công trình theo phân cấp"
    found = parse_bodies(s, 0)
    assert found is not None and found.names(s) == ["Sở Xây dựng"]


def test_headline_directive_goes_to_the_whole_list_after_doi_voi() -> None:
    text = ("Khẩn trương hoàn thành giải ngân vốn đầu tư công trong tháng 9\n\n"
            "Đó là chỉ đạo của UBND tỉnh đối với các sở, ban, ngành, các cơ quan Trung ương đóng trên địa bàn, UBND "
            "các huyện, thị xã tại Công văn số 2101/UBND-KT ngày 02/9/2024.")
    tasks = _tasks(text)
    assert len(tasks) == 1
    assert tasks[0]["assignee"] == "các sở, ban, ngành, các cơ quan Trung ương đóng trên địa bàn, UBND các huyện, thị xã"


def test_law_stated_as_follows_under_a_question_is_not_a_task() -> None:
    text = ("Thủ tướng Chính phủ yêu cầu Chủ tịch UBND các tỉnh khẩn trương sửa chữa nhà ở cho người dân.\n\n"
            "**Trách nhiệm khắc phục hậu quả thiên tai được quy định như thế nào?**\n\n"
            "- Trách nhiệm thực hiện hoạt động khắc phục hậu quả thiên tai được quy định như sau:\n\n"
            "+ Bộ, cơ quan ngang bộ có trách nhiệm chủ động khắc phục hậu quả thiên tai trong phạm vi quản lý;\n\n"
            "+ Tổ chức, cá nhân có trách nhiệm tham gia hỗ trợ theo sự huy động của cơ quan có thẩm quyền.\n")
    tasks = _tasks(text)
    assert len(tasks) == 1 and tasks[0]["assignee"] == "Chủ tịch UBND các tỉnh"


# --- a daily report ------------------------------------------------------------------------------------------------

def test_daily_report_recurs_daily_without_a_single_due_date() -> None:
    text = ("UBND xã Tân Lập yêu cầu các trưởng thôn thực hiện nghiêm một số nội dung sau:\n\n"
            "1. Rà soát người từ vùng có dịch về địa phương.\n\n"
            "2. Báo cáo UBND xã danh sách người đến địa bàn trước 15 giờ hàng ngày.\n")
    out = extract_text(text)
    assert out["tasks"][1]["deadline"] is None
    assert len(out["reports"]) == 1
    assert out["reports"][0]["due"] is None and (out["reports"][0].get("recurrence") or {}).get("freq") == "daily"


def test_weekly_report_is_still_weekly() -> None:
    text = ("Giao Sở Y tế tổng hợp, báo cáo UBND tỉnh tình hình dịch bệnh trước 15 giờ thứ sáu hàng tuần.")
    reps = extract_text(text)["reports"]
    assert reps and (reps[0].get("recurrence") or {}).get("freq") == "weekly"


# --- the heads of villages a commune writes to ---------------------------------------------------------------------

def test_village_heads_are_bodies() -> None:
    for s, name in (("các trưởng thôn rà soát hộ nghèo", "các trưởng thôn"),
                    ("đề nghị các ông xóm trưởng báo cáo kịp thời", "các ông xóm trưởng"),
                    ("Các trưởng thôn, tổ trưởng tổ dân phố thông báo cho Nhân dân", "Các trưởng thôn, tổ trưởng tổ dân phố")):
        at = s.index(name)
        found = parse_bodies(s, at, any_case=True)
        assert found is not None and found.names(s) == [name]


def test_request_to_village_heads_in_a_closing_sentence_is_a_task() -> None:
    text = ("Kính gửi: Các trưởng thôn.\n\n"
            "UBND xã yêu cầu các trưởng thôn thực hiện nghiêm một số nội dung sau:\n\n"
            "1. Tuyên truyền trên loa truyền thanh của thôn.\n\n"
            "Trong quá trình thực hiện, có khó khăn vướng mắc đề nghị các trưởng thôn báo cáo kịp thời về UBND xã.\n")
    tasks = _tasks(text)
    assert len(tasks) == 2 and tasks[1]["assignee"] == "các trưởng thôn"
