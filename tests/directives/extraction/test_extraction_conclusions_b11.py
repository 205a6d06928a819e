"""Issue 12, tenth pass b11: conclusion notices written as prose — a list written inline after "... các nội dung
như:" whose items are sentences with no subject, a request that opens a ";" clause ("...; đồng thời đề nghị UBND
thành phố ..."), a sentence with no subject after a directive (one task, unless both set their own date), the
addressee after "đề nghị:", a subject that "cũng" acts, collective names kept whole ("các đơn vị trong khối ...",
"các Ban quản lý dự án ...", "UBND huyện, thành phố X", "cán bộ, công chức xã", "các công chức được giao chủ trì
tham mưu"), a report's due date that replaces a window, staff put on duty who are not addressees."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from congvu.directives.extraction import extract_text
from congvu.directives.extraction.bodies import acts, leading_bodies, parse_bodies
from congvu.directives.extraction.tasks import _addressed_in

ITEMS = ["Rà soát các hộ nghèo trên địa bàn, bảo đảm đúng đối tượng.",
         "Đẩy nhanh tiến độ giải ngân các công trình dân sinh.",
         "Tăng cường kiểm tra việc lấn chiếm vỉa hè.",
         "Tuyên truyền người dân nộp hồ sơ trực tuyến.",
         "Thực hiện tốt việc thu gom rác thải ở các chợ."]


def _tasks(text: str) -> list[dict]:
    return extract_text(text)["tasks"]


@settings(deadline=None, max_examples=20)
@given(st.lists(st.sampled_from(ITEMS), min_size=2, max_size=5, unique=True))
def test_an_inline_list_after_nhu_gives_one_task_per_sentence(items: list[str]) -> None:
    text = ("Tại phiên họp, Chủ tịch UBND xã đã thống nhất, chỉ đạo các chuyên môn, đơn vị thuộc UBND xã chủ động "
            "thực hiện tốt các nội dung như: " + " ".join(items))
    tasks = _tasks(text)
    assert [t["source_text"] for t in tasks] == items  # the opening "... như:" is no task of its own
    assert {t["assignee"] for t in tasks} == {"các chuyên môn, đơn vị thuộc UBND xã"}


def test_an_inline_list_after_a_conclusion_opening_keeps_a_named_request() -> None:
    text = ("Chủ tịch UBND phường kết luận nội dung cuộc họp như: Đề nghị cán bộ, công chức phường chấp hành "
            "nghiêm giờ làm việc. Tiếp tục hướng dẫn người dân dùng dịch vụ công trực tuyến.")
    tasks = _tasks(text)
    assert [t["assignee"] for t in tasks] == ["cán bộ, công chức phường"] * 2
    assert tasks[1]["source_text"].startswith("Tiếp tục hướng dẫn")


def test_a_clause_that_opens_with_a_request_is_a_task_of_its_own() -> None:
    text = ("Ban Kinh tế HĐND tỉnh đề nghị Sở Giao thông vận tải khắc phục ngay các điểm đen tai nạn; đồng thời "
            "đề nghị UBND tỉnh chỉ đạo rà soát hệ thống biển báo.")
    tasks = _tasks(text)
    assert [t["assignee"] for t in tasks] == ["Sở Giao thông vận tải", "UBND tỉnh"]
    assert tasks[1]["source_text"].startswith("đồng thời đề nghị UBND tỉnh")


def test_a_giao_clause_does_not_lend_its_body_to_the_sentence_before_it() -> None:
    text = ("Kết luận như: Đề nghị công chức Tư pháp - Hộ tịch rà soát hồ sơ hộ tịch. Tiếp tục tuyên truyền pháp luật "
            "cho người dân; Giao Trưởng Công an xã tăng cường tuần tra ban đêm.")
    tasks = _tasks(text)
    assert tasks[1]["source_text"].startswith("Tiếp tục tuyên truyền")
    assert tasks[1]["assignee"] == tasks[0]["assignee"] != "Trưởng Công an xã"
    assert tasks[2]["assignee"] == "Trưởng Công an xã"


def test_a_sentence_with_no_subject_goes_on_with_the_directive_before_it() -> None:
    # one task: the date of the second sentence is that of the whole request
    text = ("Chính phủ có ý kiến như sau: Bộ Xây dựng căn cứ chức năng được giao rà soát các quy chuẩn về nhà ở. "
            "Khẩn trương soạn thảo Thông tư thay thế, hoàn thành trong tháng 6/2024.")
    tasks = _tasks(text)
    assert len(tasks) == 1 and tasks[0]["assignee"] == "Bộ Xây dựng" and tasks[0]["deadline"] == "2024-06-30"


def test_two_sentences_with_their_own_dates_are_two_tasks_of_one_body() -> None:
    text = ("Sở Tài chính tiếp tục cập nhật số liệu chi thường xuyên đến hết ngày 31/8/2024. Phối hợp với Sở Nội vụ "
            "đề xuất xử lý các đơn vị chậm báo cáo, hoàn thành trước ngày 10/9/2024.")
    tasks = _tasks(text)
    assert [(t["assignee"], t["deadline"]) for t in tasks] == [("Sở Tài chính", "2024-08-31"),
                                                                ("Sở Tài chính", "2024-09-10")]
    assert "Sở Nội vụ" in tasks[1]["co_assignees"]


def test_the_addressee_after_de_nghi_and_a_colon() -> None:
    text = ("Đồng chí Thứ trưởng đề nghị: Cơ quan thường trực Ban Soạn thảo tiếp thu đầy đủ các ý kiến, chỉnh lý "
            "dự thảo Nghị định.")
    tasks = _tasks(text)
    assert len(tasks) == 1 and tasks[0]["assignee"] == "Cơ quan thường trực Ban Soạn thảo"


def test_a_subject_that_also_acts() -> None:
    text = "Bộ Y tế cũng phối hợp với Bộ Công an yêu cầu các cơ sở khám bệnh niêm yết giá dịch vụ"
    lead = leading_bodies(text)
    assert lead is not None and lead.names == ["Bộ Y tế"] and acts(text, lead.end)
    assert not acts("Bộ Y tế cũng đã ban hành hướng dẫn", len("Bộ Y tế"))
    tasks = _tasks(text + ".")
    assert tasks[0]["assignee"] == "Bộ Y tế" and "Bộ Công an" in tasks[0]["co_assignees"]


@settings(deadline=None, max_examples=20)
@given(st.sampled_from(["khối", "cụm", "ngành"]), st.sampled_from(["Nội chính", "Văn hóa - Xã hội", "Kinh tế"]))
def test_units_of_a_bloc_are_named_whole(kind: str, bloc: str) -> None:
    text = f"các đơn vị trong {kind} {bloc} xây dựng quy chế phối hợp"
    found = parse_bodies(text, 0)
    assert found is not None and found.names(text) == [f"các đơn vị trong {kind} {bloc}"]


def test_collective_names_are_kept_whole() -> None:
    for text, name in [("các Ban quản lý dự án Thành phố khẩn trương lập hồ sơ", "các Ban quản lý dự án Thành phố"),
                       ("UBND huyện, thành phố Bạc Liêu khẩn trương tự kiểm tra", "UBND huyện, thành phố Bạc Liêu"),
                       ("cán bộ, công chức xã chấp hành giờ giấc", "cán bộ, công chức xã"),
                       ("các công chức được giao chủ trì tham mưu hoặc phối hợp chủ động thực hiện",
                        "các công chức được giao chủ trì tham mưu hoặc phối hợp"),
                       ("các cơ quan được giao chủ trì khẩn trương trình", "các cơ quan được giao chủ trì")]:
        found = parse_bodies(text, 0, any_case=True)
        assert found is not None and found.names(text) == [name], text


def test_staff_put_on_duty_are_not_the_addressees() -> None:
    text = "Các sở, ngành phân công công chức, viên chức trực bảo đảm an toàn cơ quan"
    assert _addressed_in(text) is None  # the sở, ngành put their staff on duty: they act, nobody is addressed
    assert _addressed_in("Chủ tịch UBND tỉnh phân công Sở Nội vụ chủ trì") is not None


def test_a_report_date_replaces_the_window_a_request_covers() -> None:
    text = ("Văn phòng UBND tỉnh đề nghị các sở, ngành rà soát các nhiệm vụ được giao từ ngày 01/01/2024 đến ngày "
            "30/11/2024.\n\nTổng hợp, báo cáo kết quả gửi về Văn phòng UBND tỉnh trước ngày 05/12/2024.")
    tasks = _tasks(text)
    assert tasks[0]["assignee"] == "các sở, ngành" and tasks[0]["deadline"] == "2024-12-05"


def test_what_was_done_to_the_topic_does_not_make_the_request_narrative() -> None:
    text = ("Đối với các vấn đề mà hội nghị đã thảo luận, Tổ Biên tập tiếp tục nghiên cứu, chỉnh lý dự thảo "
            "Thông tư.")
    tasks = _tasks(text)
    assert len(tasks) == 1 and tasks[0]["assignee"] == "Tổ Biên tập"
