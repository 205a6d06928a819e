"""Issue 12, seventh pass: full documents as clerks upload them (header, body, signature, "Nơi nhận"; PDF text
layers with page numbers and footnotes, DOCX text) — a bullet at the top of a new page, a footnote at a page's
foot, bodies listed after "phối hợp với ...:", "các trường hợp" (cases, not schools), topic sub-headings, law quoted
after "... quy định:", the first body paragraph under a notice's subject line."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from congvu.directives.extraction import extract_text
from congvu.directives.extraction.bodies import leading_bodies
from congvu.directives.extraction.layout import build_blocks

COMPANY = "Công ty Cổ phần Minh Phát"
LETTER = ("UBND TỈNH YÊN BÌNH\nSỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG\nSố: 101/SNNMT-KS\nYên Bình, ngày 05 tháng 3 năm 2026\n\n"
          f"Kính gửi: {COMPANY}.\n\n"
          f"Sở Nông nghiệp và Môi trường yêu cầu {COMPANY} thực hiện các nội dung sau:\n")


def _tasks(text: str) -> list[dict]:
    return extract_text(text)["tasks"]


def _pdf_page(lines: list[str]) -> str:
    """Lines as a PDF text layer gives them: broken at the printed width, indented."""
    return "\n".join("      " + ln for ln in lines)


WRAPPED = [
    "- Thực hiện cắm mốc khu vực khai thác và thực hiện thủ tục báo cáo, bàn giao",
    "mốc giới theo đúng quy định của pháp luật về khoáng sản hiện hành nhé.",
    "- Thực hiện lập bản đồ hiện trạng, bản vẽ mặt cắt hiện trạng khu vực được",
    "phép khai thác khoáng sản từ khi bắt đầu xây dựng cơ bản mỏ cho đến khi kết",
    "thúc khai thác khoáng sản, đóng cửa mỏ khoáng sản theo quy định hiện hành.",
    "- Lập hồ sơ pháp lý về bảo vệ môi trường trình cơ quan có thẩm quyền phê",
    "duyệt theo quy định pháp luật về bảo vệ môi trường và hoàn thành các công",
    "trình xử lý môi trường theo hồ sơ môi trường được cơ quan nhà nước phê duyệt.",
]


def test_a_bullet_at_the_top_of_a_page_is_not_glued_to_the_footnote_above() -> None:
    page_one = WRAPPED[:5] + ["", "   1 Hồ sơ, mẫu văn bản đăng ký ngày bắt đầu xây dựng cơ bản mỏ được quy định tại",
                              "", "khoản 2 Điều 8 Thông tư số 36/2025/TT-BNNMT của Bộ trưởng Bộ Nông nghiệp và Môi",
                              "trường quy định về khai thác khoáng sản, khai thác tận thu khoáng sản",
                              "                                        2", ""]
    text = _pdf_page(page_one + WRAPPED[5:] + WRAPPED[:2])
    blocks = build_blocks(text)
    notes = [b for b in blocks if b.kind == "note"]
    assert len(notes) == 1 and notes[0].text.startswith("1 Hồ sơ")
    bullets = [b.text for b in blocks if b.kind == "item"]
    assert any(t.startswith("Lập hồ sơ pháp lý") for t in bullets)
    assert not any("Lập hồ sơ pháp lý" in b.text for b in notes)


def test_a_footnote_is_never_a_task() -> None:
    body = _pdf_page(WRAPPED[:5] + ["", "   1 Các đơn vị phải báo cáo theo mẫu quy định tại Thông tư số",
                                    "36/2025/TT-BNNMT của Bộ trưởng Bộ Nông nghiệp và Môi trường về khoáng sản",
                                    "                                        2", ""] + WRAPPED[5:])
    tasks = _tasks(LETTER + body)
    assert not any("theo mẫu quy định" in t["source_text"] for t in tasks)
    assert any(t["source_text"].startswith("Lập hồ sơ pháp lý") for t in tasks)


def test_a_dash_line_under_a_one_line_numbered_heading_is_a_bullet() -> None:
    lines = WRAPPED[:5] + ["2.6. Việc bảo vệ môi trường trong hoạt động khai thác khoáng sản ở mỏ",
                           "- Thực hiện các quy định về bảo vệ môi trường trong khai thác khoáng sản tại",
                           "Điều 79, Điều 80 Luật Địa chất và Khoáng sản năm 2024 và các văn bản khác."] + WRAPPED[5:]
    blocks = build_blocks(_pdf_page(lines))
    heading = next(b for b in blocks if b.text.startswith("Việc bảo vệ môi trường"))
    assert "Thực hiện các quy định" not in heading.text


@settings(deadline=None, max_examples=20)
@given(st.sampled_from(["Gia Phú, Bảo Thắng", "Xuân Quang, Phong Hải, Sơn Hà", "Tân An"]),
       st.sampled_from(["xã", "phường"]))
def test_bodies_listed_after_phoi_hop_voi_and_a_colon_make_a_task(names: str, level: str) -> None:
    text = (LETTER + "- Thực hiện cắm mốc khu vực khai thác theo đúng quy định.\n"
            f"- Phối hợp với Ủy ban nhân dân các {level}: {names} khẩn trương thực hiện công tác bồi thường, "
            "giải phóng mặt bằng.\n")
    tasks = _tasks(text)
    hit = [t for t in tasks if t["source_text"].startswith("Phối hợp với")]
    assert len(hit) == 1 and hit[0]["assignee"] == COMPANY


def test_an_attribute_line_is_still_folded() -> None:
    text = (LETTER + "1. Xây dựng kế hoạch bảo vệ khoáng sản chưa khai thác năm 2026.\n"
            "- Phối hợp: Sở Tài chính, Công an tỉnh.\n")
    tasks = _tasks(text)
    assert len(tasks) == 1


def test_cac_truong_hop_is_a_case_not_a_school() -> None:
    assert leading_bodies("Đối với các trường hợp quy định tại khoản 2 Điều 60 phải bố trí đội ứng cứu.") is None
    lead = leading_bodies("Các trường học trên địa bàn tổ chức tuyên truyền.")
    assert lead is not None and lead.names == ["Các trường học"]


def test_a_case_clause_keeps_the_addressee() -> None:
    text = (LETTER + "- Thực hiện các yêu cầu về an toàn lao động theo quy định.\n"
            "- Đối với các trường hợp quy định tại khoản 2 Điều 60 của Luật phải bố trí đội ngũ ứng cứu khẩn cấp.\n")
    tasks = _tasks(text)
    assert [t["assignee"] for t in tasks] == [COMPANY, COMPANY]


@settings(deadline=None, max_examples=20)
@given(st.sampled_from(["Đối với công tác quản lý, thống kê sản lượng khai thác",
                        "Về công tác đảm bảo an toàn, vệ sinh lao động",
                        "Việc sử dụng đất và sử dụng nước trong hoạt động khoáng sản"]))
def test_a_topic_sub_heading_is_not_a_task(topic: str) -> None:
    text = (LETTER + "2. Trong quá trình hoạt động khai thác khoáng sản\n"
            f"2.1. {topic}\n"
            "- Thực hiện bảo vệ khoáng sản trong phạm vi ranh giới khu vực được phép khai thác.\n"
            "- Lắp đặt thiết bị cân để kiểm soát sản lượng khoáng sản khai thác.\n")
    tasks = _tasks(text)
    assert [t["source_text"][:20] for t in tasks] == ["Thực hiện bảo vệ kho", "Lắp đặt thiết bị cân"]
    assert all(t["assignee"] == COMPANY for t in tasks)


def test_law_quoted_after_quy_dinh_is_not_a_task() -> None:
    text = ("BỘ CÔNG THƯƠNG\nSố: 2265/BCT-ATMT\nHà Nội, ngày 02 tháng 4 năm 2026\n\n"
            "Kính gửi: Ủy ban nhân dân các tỉnh, thành phố\n\n"
            "Ngày 25 tháng 3 năm 2026, Bộ Công Thương ban hành Thông tư số 15/2026/TT-BCT, cụ thể:\n"
            "- Khoản 2 Điều 3 của Thông tư số 15/2026/TT-BCT quy định: “Bộ trưởng Bộ Công Thương phân cấp cho "
            "Ủy ban nhân dân cấp tỉnh có trách nhiệm tiếp nhận hồ sơ, cấp giấy phép vận chuyển”.\n"
            "Bộ Công Thương đề nghị Ủy ban nhân dân các tỉnh, thành phố hướng dẫn, tổ chức thực hiện cấp giấy phép "
            "vận chuyển hàng hóa nguy hiểm theo đúng quy định pháp luật./.\n")
    tasks = _tasks(text)
    assert len(tasks) == 1 and tasks[0]["source_text"].startswith("Bộ Công Thương đề nghị")


def test_a_notice_subject_line_does_not_swallow_the_first_paragraph() -> None:
    text = ("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HẢI AN\n\nSố: /TB-UBND\n\nHải An, ngày tháng năm\n\nTHÔNG BÁO\n"
            "Về việc treo cờ Tổ quốc\n\nNhân dịp kỷ niệm Quốc khánh, nhiệm kỳ 2026 - 2031. Ủy ban nhân dân thành phố "
            "đề nghị các cơ quan, đơn vị trên địa bàn treo cờ Tổ quốc từ ngày 01/9/2026 đến hết ngày 03/9/2026.\n")
    out = extract_text(text)
    assert out["title"] == "Về việc treo cờ Tổ quốc"
    assert [t["assignee"] for t in out["tasks"]] == ["các cơ quan, đơn vị"]


REPLY = ("BỘ CÔNG THƯƠNG\nCỤC KỸ THUẬT AN TOÀN\nSố: 216/ATMT-ATĐ\nHà Nội, ngày 30 tháng 01 năm 2026\n\n"
         "                 Kính gửi: Sở Công Thương tỉnh Yên Bình\n\n")


@settings(deadline=None, max_examples=20)
@given(st.sampled_from(["Trả lời Văn bản số 472/SCT-NL ngày 28 tháng 01 năm 2026 của Sở Công",
                        "Phúc đáp Công văn số 15/SCT ngày 10 tháng 01 năm 2026 của Sở Công",
                        "Ngày 25 tháng 3 năm 2026, Bộ Công Thương ban hành Thông tư số"]))
def test_the_body_after_kinh_gui_is_not_part_of_the_addressee(first_line: str) -> None:
    text = (REPLY + f"      {first_line}\nThương về việc đề nghị hướng dẫn, Cục có ý kiến như sau:\n"
            "1. Tổ chức hướng dẫn chủ đập thủy điện thực hiện nạo vét đúng quy định.\n")
    out = extract_text(text)
    assert out["tasks"] and out["tasks"][0]["assignee"] == "Sở Công Thương tỉnh Yên Bình"


def test_a_request_after_a_condition_names_its_own_body() -> None:
    text = (REPLY + "Trả lời Văn bản số 472/SCT-NL, Cục có ý kiến như sau:\n"
            "1. Về hồ sơ nạo vét, chủ đầu tư thực hiện theo quy định.\n"
            "- Trường hợp nạo vét lòng hồ mà có thu hồi khoáng sản thì đề nghị Sở Xây dựng hướng dẫn chủ đầu tư "
            "liên hệ với cơ quan có thẩm quyền.\n")
    tasks = _tasks(text)
    hit = [t for t in tasks if t["source_text"].startswith("Trường hợp")]
    assert len(hit) == 1 and hit[0]["assignee"] == "Sở Xây dựng"


def test_how_the_law_stands_is_not_a_task() -> None:
    text = (REPLY + "Trả lời Văn bản số 472/SCT-NL, Cục có ý kiến như sau:\n"
            "1. Căn cứ quy định tại Điều 42 Nghị định số 62/2025/NĐ-CP thì hiện nay đã không còn thủ tục cấp "
            "giấy phép hoạt động trong phạm vi bảo vệ đập, hồ chứa thủy điện.\n"
            "2. Đề nghị Sở Công Thương hướng dẫn chủ đập thủy điện thực hiện nạo vét đúng quy định.\n")
    tasks = _tasks(text)
    assert [t["source_text"][:8] for t in tasks] == ["Đề nghị "]


@settings(deadline=None, max_examples=30)
@given(st.sampled_from(["Yêu cầu đồng chí Phó Giám đốc Sở và Trưởng phòng Quản lý Công nghiệp",
                        f"Sở Nông nghiệp và Môi trường yêu cầu {COMPANY}", "Đề nghị các cơ quan, đơn vị"]),
       st.sampled_from([". Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, kịp thời báo cáo Giám đốc Sở xem xét",
                        "; trong quá trình thực hiện có khó khăn vướng mắc kịp thời phối hợp, phản ánh về Sở để được "
                        "hướng dẫn", ""]))
def test_the_closing_formula_and_its_usual_tail_are_not_tasks(opening: str, tail: str) -> None:
    text = (LETTER + "1. Thực hiện cắm mốc khu vực khai thác theo đúng quy định.\n"
            f"{opening} nghiêm túc thực hiện{tail}./.\n\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n")
    tasks = _tasks(text)
    assert [t["source_text"][:9] for t in tasks] == ["Thực hiện"]


def test_a_vuong_mac_sentence_with_its_own_subject_stays_a_task() -> None:
    text = (LETTER + "1. Thực hiện cắm mốc khu vực khai thác theo đúng quy định.\n"
            "2. Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị kịp thời có văn bản báo cáo "
            "Ủy ban nhân dân tỉnh để xem xét, giải quyết.\n")
    tasks = _tasks(text)
    assert len(tasks) == 2


PROVINCE = ("ỦY BAN NHÂN DÂN\nTỈNH YÊN BÌNH\nSố: 74/UBND-XD\nYên Bình, ngày 21 tháng 7 năm 2026\n\n"
            "Kính gửi:\n- Các Sở, ban, ngành thuộc tỉnh;\n- Công an tỉnh.\n\n")


@settings(deadline=None, max_examples=20)
@given(st.sampled_from(["Quyết định có hiệu lực kể từ ngày ký và giao",
                        "Nghị định số 105/2025/NĐ-CP cũng giao", "Thông tư quy định và yêu cầu"]))
def test_what_a_cited_act_asks_is_background(cited: str) -> None:
    text = PROVINCE + ("Ngày 29/6/2026, Bộ trưởng Bộ Xây dựng ban hành Quyết định số 1074/QĐ-BXD về các giải pháp kỹ thuật. "
                       f"{cited} Ủy ban nhân dân các tỉnh, thành phố chỉ đạo, kiểm tra việc triển khai, hoàn thành chậm "
                       "nhất đến ngày 01 tháng 7 năm 2028.\n"
                       "Để tổ chức thực hiện, Chủ tịch Ủy ban nhân dân tỉnh yêu cầu các sở, ngành thực hiện một số nhiệm "
                       "vụ sau:\n1. Giao Sở Xây dựng chủ trì hướng dẫn triển khai thực hiện Quyết định số 1074/QĐ-BXD.\n"
                       "2. Công an tỉnh kiểm tra các cơ sở, công trình.\n")
    assert [t["assignee"] for t in _tasks(text)] == ["Sở Xây dựng", "Công an tỉnh"]


def test_a_notice_that_asks_is_read_as_directives() -> None:
    text = ("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HẢI AN\n\nSố: /TB-UBND\n\nHải An, ngày tháng năm\n\nTHÔNG BÁO\n"
            "Về việc treo cờ Tổ quốc\n\nNhân dịp Quốc khánh. Ủy ban nhân dân thành phố đề nghị các cơ quan, đơn vị "
            "trên địa bàn treo cờ Tổ quốc.\n\nỦy ban nhân dân các phường, xã có trách nhiệm chỉ đạo, kiểm tra, nhắc nhở "
            "việc treo cờ Tổ quốc ở địa bàn dân cư./.\n")
    assert [t["assignee"] for t in _tasks(text)] == ["các cơ quan, đơn vị", "Ủy ban nhân dân các phường, xã"]


def test_a_conclusion_notice_keeps_its_preamble() -> None:
    text = ("ỦY BAN NHÂN DÂN\nXÃ AN PHÚ\n\nSố: 12/TB-UBND\n\nAn Phú, ngày 05 tháng 3 năm 2026\n\nTHÔNG BÁO\n"
            "Kết luận của Chủ tịch UBND xã tại cuộc họp giao ban tháng 3 năm 2026\n\n"
            "Ngày 04/3/2026, Chủ tịch UBND xã chủ trì cuộc họp giao ban. Công an xã báo cáo tình hình an ninh trật tự.\n\n"
            "Chủ tịch UBND xã kết luận như sau:\n1. Công an xã tăng cường tuần tra trong dịp lễ hội.\n")
    assert [t["assignee"] for t in _tasks(text)] == ["Công an xã"]


def test_a_request_paragraph_under_a_topic_heading_is_the_addressees_task() -> None:
    text = (LETTER + "2. Trong quá trình hoạt động khai thác khoáng sản\n"
            "2.3. Đối với công tác quản lý, thống kê, kê khai, kiểm soát sản lượng, trữ lượng trong quá trình khai thác "
            "khoáng sản và công tác báo cáo kết quả khai thác, thu hồi khoáng sản\n\n"
            "Yêu cầu thực hiện công tác thống kê, kê khai sản lượng theo hướng dẫn tại văn bản số 5141/SNNMT-KS.\n\n"
            "2.4. Về công tác an toàn lao động\n- Lập kế hoạch quản lý rủi ro.\n")
    tasks = _tasks(text)
    assert [(t["assignee"], t["source_text"][:10]) for t in tasks] == [(COMPANY, "Yêu cầu th"), (COMPANY, "Lập kế hoạ")]


def test_a_subject_that_directs_and_checks_after_a_semicolon_is_a_new_task() -> None:
    text = ("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HẢI AN\n\nSố: /TB-UBND\n\nHải An, ngày tháng năm\n\nTHÔNG BÁO\n"
            "Về việc treo cờ Tổ quốc\n\nỦy ban nhân dân các phường, xã có trách nhiệm chỉ đạo, kiểm tra, nhắc nhở việc "
            "treo cờ Tổ quốc ở địa bàn dân cư; Thủ trưởng các cơ quan, đơn vị chỉ đạo, kiểm tra việc treo cờ Tổ quốc ở "
            "các đơn vị thuộc quyền quản lý đảm bảo đúng quy định./.\n")
    assert [t["assignee"] for t in _tasks(text)] == ["Ủy ban nhân dân các phường, xã", "Thủ trưởng các cơ quan, đơn vị"]


def test_bullets_after_bao_gom_are_part_of_the_head_task() -> None:
    text = ("UBND TỈNH YÊN BÌNH\nSỞ CÔNG THƯƠNG\nSố: 58/SCT-VP\nYên Bình, ngày 19 tháng 8 năm 2026\n\n"
            "Kính gửi: Phòng Quản lý Công nghiệp.\n\n"
            "Giám đốc Sở Công Thương yêu cầu các đơn vị thực hiện các nội dung sau:\n"
            "1. Phòng Quản lý công nghiệp\n\n"
            "Chủ trì, phối hợp với các đơn vị liên quan tham mưu Lãnh đạo Sở triển khai thực hiện các nhiệm vụ được ủy "
            "quyền, bao gồm:\n"
            "- Huấn luyện, kiểm tra, cấp giấy chứng nhận huấn luyện kỹ thuật an toàn vật liệu nổ công nghiệp;\n"
            "- Cấp, cấp lại giấy phép sử dụng vật liệu nổ công nghiệp.\n")
    tasks = _tasks(text)
    assert [(t["assignee"], t["source_text"][:8]) for t in tasks] == [("Phòng Quản lý công nghiệp", "Chủ trì,")]


def test_bullets_that_name_bodies_after_bao_gom_stay_tasks() -> None:
    text = ("UBND TỈNH YÊN BÌNH\nSỞ CÔNG THƯƠNG\nSố: 58/SCT-VP\nYên Bình, ngày 19 tháng 8 năm 2026\n\n"
            "Kính gửi: Các phòng chuyên môn.\n\n"
            "Giám đốc Sở Công Thương yêu cầu các đơn vị thực hiện các nội dung sau:\n"
            "1. Các phòng chuyên môn\n\n"
            "Tổ chức thực hiện các nhiệm vụ được ủy quyền, bao gồm:\n"
            "- Phòng Quản lý công nghiệp tham mưu cấp giấy phép sử dụng vật liệu nổ công nghiệp;\n"
            "- Văn phòng Sở tổng hợp kết quả thực hiện.\n")
    tasks = _tasks(text)
    assert [t["assignee"] for t in tasks][-2:] == ["Phòng Quản lý công nghiệp", "Văn phòng Sở"]


@settings(deadline=None, max_examples=20)
@given(st.integers(1, 20), st.integers(1, 8), st.sampled_from(["đến hết ngày", "đến ngày", "đến"]))
def test_a_window_when_something_happens_is_not_a_due_date(day: int, span: int, joint: str) -> None:
    text = ("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HẢI AN\n\nSố: /TB-UBND\n\nHải An, ngày tháng năm\n\nTHÔNG BÁO\n"
            "Về việc treo cờ Tổ quốc\n\nỦy ban nhân dân thành phố đề nghị các cơ quan, đơn vị trên địa bàn treo cờ Tổ "
            f"quốc từ ngày {day}/5/2026 {joint} {day + span}/5/2026.\n")
    tasks = _tasks(text)
    assert len(tasks) == 1 and tasks[0]["deadline"] is None and "từ ngày" in (tasks[0]["deadline_text"] or "")


def test_a_due_date_is_still_a_due_date() -> None:
    text = (LETTER + "1. Hoàn thành việc cắm mốc khu vực khai thác trước ngày 15/5/2026.\n"
            "2. Lập hồ sơ môi trường, thời gian thực hiện từ ngày 01/6/2026.\n")
    assert [t["deadline"] for t in _tasks(text)] == ["2026-05-15", None]


@settings(deadline=None, max_examples=20)
@given(st.sampled_from(["Chủ tịch UBND tỉnh", "Ủy ban nhân dân tỉnh", "Giám đốc Sở"]),
       st.sampled_from(["yêu cầu", "đề nghị", "giao"]), st.sampled_from(["Sở Xây dựng", "Công an tỉnh", "Sở Y tế"]))
def test_an_item_where_the_speaker_asks_a_body_is_that_bodys(speaker: str, verb: str, body: str) -> None:
    text = (PROVINCE + "Chủ tịch UBND tỉnh yêu cầu thực hiện các nội dung sau:\n1. Sở Tài chính bố trí kinh phí.\n"
            f"2. {speaker} {verb} {body} khẩn trương rà soát các công trình.\n")
    assert [t["assignee"] for t in _tasks(text)] == ["Sở Tài chính", body]


def test_an_item_that_closes_then_asks_gives_the_request_only() -> None:
    text = (PROVINCE + "Chủ tịch UBND tỉnh yêu cầu thực hiện các nội dung sau:\n1. Sở Tài chính bố trí kinh phí.\n"
            "2. Chủ tịch UBND tỉnh yêu cầu Thủ trưởng các sở, ngành và các tổ chức, cá nhân có liên quan đến hoạt động "
            "khoáng sản nghiêm túc thực hiện. Trong quá trình thực hiện nếu có khó khăn, vướng mắc, các cơ quan, đơn vị, "
            "địa phương kịp thời có văn bản báo cáo Ủy ban nhân dân tỉnh để xem xét, giải quyết.\n")
    tasks = _tasks(text)
    assert [t["assignee"] for t in tasks] == ["Sở Tài chính", "các cơ quan, đơn vị, địa phương"]
    assert tasks[1]["source_text"].startswith("Trong quá trình thực hiện")
