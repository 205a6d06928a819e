"""Issue 12, eighth pass: conclusion notices, directives and the letters that pass them on — a request with no body
of its own after a "Giao X ..." sentence, a "làm đầu mối" subject, an opening clause that lists the bodies whose
reports it builds on, news leads that restate the directive told below them, "UBND các huyện A, B", a directive
the news quotes in its headline ("... Đó là chỉ đạo của ..."), a leader's request after a long opening clause."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from congvu.directives.extraction import extract_text
from congvu.directives.extraction.bodies import leading_bodies


def _tasks(text: str) -> list[dict]:
    return extract_text(text)["tasks"]


# --- a subject-less "Yêu cầu ..." after "Giao X ..." says when X's task is due -----------------------------------

def test_request_without_body_after_giao_is_the_same_task_with_its_deadline() -> None:
    text = ("UBND tỉnh nhận được Công văn số 120/BTC-NSNN ngày 10/4/2024 của Bộ Tài chính. Sau khi xem xét, Chủ tịch "
            "UBND tỉnh có ý kiến chỉ đạo:\n"
            "Giao Sở Tài chính chủ trì, phối hợp với các đơn vị liên quan góp ý dự thảo Thông tư. Yêu cầu hoàn thành, "
            "gửi văn bản góp ý về Bộ Tài chính trước ngày 25/4/2024. Căn cứ nội dung này, Chủ tịch UBND tỉnh yêu cầu "
            "Giám đốc Sở Tài chính triển khai thực hiện.")
    tasks = _tasks(text)
    assert len(tasks) == 1
    assert tasks[0]["assignee"] == "Sở Tài chính"
    assert tasks[0]["deadline"] == "2024-04-25"
    assert "Yêu cầu hoàn thành" in tasks[0]["source_text"]


def test_request_that_names_a_body_is_still_its_own_task() -> None:
    text = ("Sau khi xem xét, Chủ tịch UBND tỉnh có ý kiến chỉ đạo:\n"
            "Giao Sở Tài chính chủ trì tổng hợp dự toán. Yêu cầu Sở Nội vụ rà soát biên chế trước ngày 25/4/2024.")
    tasks = _tasks(text)
    assert [t["assignee"] for t in tasks] == ["Sở Tài chính", "Sở Nội vụ"]
    assert tasks[0]["deadline"] is None and tasks[1]["deadline"] == "2024-04-25"


# --- "X làm đầu mối ..." -----------------------------------------------------------------------------------------

def test_lam_dau_moi_names_its_subject() -> None:
    text = ("Sở Y tế yêu cầu các đơn vị rà soát số liệu tiêm chủng.\n\n"
            "Trung tâm Kiểm soát bệnh tật tỉnh làm đầu mối tổng hợp số liệu, gửi về Sở Y tế trước ngày 30/9/2022.")
    tasks = _tasks(text)
    assert tasks[-1]["assignee"] == "Trung tâm Kiểm soát bệnh tật tỉnh"
    assert tasks[-1]["deadline"] == "2022-09-30"


# --- "Trên cơ sở báo cáo của các đơn vị, địa phương, Sở X ..." ---------------------------------------------------

def test_bodies_an_opening_clause_builds_on_are_not_the_subject() -> None:
    s = ("Trên cơ sở báo cáo của các đơn vị, địa phương, Sở Kế hoạch và Đầu tư có nhiệm vụ tổng hợp, tham mưu UBND "
         "tỉnh trước ngày 15/11/2021.")
    lead = leading_bodies(s)
    assert lead is not None and lead.names == ["Sở Kế hoạch và Đầu tư"]
    assert _tasks(s)[0]["assignee"] == "Sở Kế hoạch và Đầu tư"


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(["địa phương", "đơn vị", "cơ quan"]), st.sampled_from(["Sở Nội vụ", "Sở Tài chính", "Công an tỉnh"]))
def test_bare_collective_after_a_possessive_list_never_leads(tail: str, body: str) -> None:
    s = f"Trên cơ sở đề xuất của các sở, {tail}, {body} chủ trì tổng hợp, trình UBND tỉnh."
    lead = leading_bodies(s)
    assert lead is not None and lead.names[0] == body


def test_a_list_that_opens_a_sentence_keeps_its_first_body() -> None:
    lead = leading_bodies("Căn cứ kế hoạch này, Thủ trưởng các sở, Chủ tịch UBND các huyện triển khai thực hiện.")
    assert lead is not None and lead.names == ["Thủ trưởng các sở, Chủ tịch UBND các huyện"]  # one collective


# --- a news lead that restates the directive told below it ----------------------------------------------------

def test_lead_restated_after_theo_do_is_not_a_second_task() -> None:
    text = ("Rà soát số liệu người cao tuổi\n"
            "Để chuẩn bị chi trả trợ cấp, Sở Y tế yêu cầu các đơn vị khẩn trương rà soát, thống kê số người cao tuổi "
            "theo từng nhóm tuổi trên địa bàn.\n\n"
            "Theo đó, Trung tâm Y tế các huyện rà soát, thống kê chính xác số người cao tuổi theo từng nhóm tuổi, gửi "
            "về Sở Y tế trước ngày 20/10/2023.\n")
    tasks = _tasks(text)
    assert [t["assignee"] for t in tasks] == ["Trung tâm Y tế các huyện"]


def test_announced_letter_before_theo_do_is_not_a_task() -> None:
    text = ("Ngày 05/3/2024, UBND tỉnh ban hành Công văn số 812/UBND-VX chỉ đạo các sở, ban, ngành tổ chức sơ kết "
            "công tác dân vận năm 2024.\n\n"
            "Theo đó, UBND tỉnh yêu cầu các đơn vị báo cáo kết quả về Sở Nội vụ trước ngày 01/11/2024.\n")
    tasks = _tasks(text)
    assert [(t["assignee"], t["deadline"]) for t in tasks] == [("các đơn vị", "2024-11-01")]


def test_lead_restated_by_the_leaders_opinion_below_is_dropped() -> None:
    text = ("Chủ tịch UBND tỉnh yêu cầu Giám đốc Sở Công Thương đánh giá kết quả thực hiện Nghị định số 68/2017/NĐ-CP "
            "về quản lý cụm công nghiệp.\n"
            "Sau khi xem xét, Chủ tịch UBND tỉnh có ý kiến chỉ đạo:\n"
            "Giao Sở Công Thương chủ trì đánh giá, tổng hợp báo cáo kết quả thực hiện Nghị định số 68/2017/NĐ-CP về "
            "quản lý cụm công nghiệp, trình UBND tỉnh trước ngày 10/8/2018.\n")
    tasks = _tasks(text)
    assert [(t["assignee"], t["deadline"]) for t in tasks] == [("Sở Công Thương", "2018-08-10")]


def test_a_different_request_before_theo_do_stays() -> None:
    text = ("UBND tỉnh yêu cầu Công an tỉnh tăng cường tuần tra bảo đảm trật tự giao thông dịp Tết.\n\n"
            "Theo đó, Sở Y tế bố trí lực lượng trực cấp cứu tại các bệnh viện.\n")
    assert [t["assignee"] for t in _tasks(text)] == ["Công an tỉnh", "Sở Y tế"]


# --- "UBND các huyện A, B": each commune or district by name --------------------------------------------------------

@settings(max_examples=20, deadline=None)
@given(st.sampled_from(["huyện", "xã", "phường"]), st.sampled_from(["", ":"]))
def test_local_bodies_listed_by_name_lead_with_the_first(level: str, colon: str) -> None:
    text = f"Giao UBND các {level}{colon} Tân Phú, Bình Minh, Hòa An chủ động rà soát, áp dụng biện pháp phù hợp."
    [task] = _tasks(text)
    assert task["assignee"] == f"UBND {level} Tân Phú"
    assert task["co_assignees"] == [f"UBND {level} Bình Minh", f"UBND {level} Hòa An"]


def test_a_collective_of_levels_stays_one_assignee() -> None:
    [task] = _tasks("Giao UBND các huyện, thị xã, thành phố rà soát hồ sơ đất đai.")
    assert task["assignee"] == "UBND các huyện, thị xã, thành phố"


# --- a leader's request after a long opening clause --------------------------------------------------------------

def test_request_after_waiting_for_a_conclusion_notice_is_a_task() -> None:
    text = ("Theo đó, trong khi chờ Thông báo kết luận của Thủ tướng Chính phủ tại cuộc họp Thường trực Chính phủ về "
            "phòng, chống dịch vào chiều ngày 15/4/2020, Chủ tịch UBND tỉnh yêu cầu Thủ trưởng các sở, ban ngành tỉnh "
            "tiếp tục thực hiện các biện pháp cấp bách phòng, chống dịch.\n")
    [task] = _tasks(text)
    assert task["assignee"] == "Thủ trưởng các sở, ban ngành tỉnh"


def test_closing_that_passes_on_a_notice_is_still_no_task() -> None:
    text = ("Giao Sở Y tế tổ chức kiểm tra các cơ sở khám bệnh.\n"
            "Văn phòng UBND tỉnh thông báo kết luận của Chủ tịch UBND tỉnh để các cơ quan biết, thực hiện.\n")
    assert [t["assignee"] for t in _tasks(text)] == ["Sở Y tế"]


# --- a headline that quotes a directive: "... Đó là chỉ đạo của X đối với Y ..." ---------------------------------

def test_headline_directive_told_by_do_la_chi_dao_is_a_task_of_its_addressee() -> None:
    text = ("Phải hoàn thành giải phóng mặt bằng trong tháng 6/2024\n\n"
            "Đó là chỉ đạo của Chủ tịch UBND tỉnh đối với UBND huyện Tân Phú tại buổi kiểm tra sáng 12.3. Chủ tịch UBND "
            "tỉnh cũng yêu cầu Sở Xây dựng kiểm tra chất lượng công trình.\n")
    tasks = _tasks(text)
    assert [(t["assignee"], t["deadline"]) for t in tasks] == [("UBND huyện Tân Phú", "2024-06-30"), ("Sở Xây dựng", None)]


def test_a_headline_that_only_reports_is_no_task() -> None:
    text = ("Toàn tỉnh có 12 xã đạt chuẩn nông thôn mới\n\n"
            "Đó là kết luận của Phó Chủ tịch UBND tỉnh đối với kết quả năm 2023 tại hội nghị tổng kết.\n")
    assert _tasks(text) == []


# --- news headlines: "Speaker: quote", "giải trình" -------------------------------------------------------------

def test_speaker_of_a_quoted_headline_is_not_an_assignee() -> None:
    text = ("Chủ tịch UBND tỉnh: Dự án mở rộng cảng phải chuẩn bị kỹ lưỡng. Công ty Cảng Hòa Bình cần bổ sung hồ sơ "
            "thiết kế.\n")
    assert [t["assignee"] for t in _tasks(text)] == ["Công ty Cảng Hòa Bình"]


def test_speaker_headline_followed_by_the_directive_keeps_it() -> None:
    text = ("Thủ tướng: Chuẩn bị sẵn sàng vận hành bộ máy mới\n"
            "Thủ tướng Chính phủ yêu cầu các bộ, ngành, địa phương chuẩn bị sẵn sàng vận hành bộ máy mới.\n")
    assert [t["assignee"] for t in _tasks(text)] == ["các bộ, ngành, địa phương"]


def test_a_headline_about_explaining_is_not_a_follow_up_of_the_task_above() -> None:
    text = ("Chủ tịch UBND tỉnh chỉ đạo Sở Nông nghiệp và Môi trường khắc phục tình trạng xâm phạm kè biển.\n\n"
            "Bị kiểm toán đề nghị giải trình trên 100 tỉ đồng, tỉnh xin xem xét\n")
    assert [t["assignee"] for t in _tasks(text)] == ["Sở Nông nghiệp và Môi trường"]
