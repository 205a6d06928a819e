"""Whole documents of other types (Chỉ thị, Kế hoạch with a task table, Công văn, a Government Office
notice): document parts, tasks, assignees, deadlines, reports, and offsets."""

from pathlib import Path

import pytest

from congvu.directives.extraction import document_text, extract_text

DATA = Path(__file__).parent / "data"


def _load(name: str) -> tuple[str, dict]:
    raw = (DATA / name).read_text(encoding="utf-8")
    return raw, extract_text(raw)


def _by_assignee(result: dict) -> list[tuple[str | None, str | None]]:
    return [(t["assignee"], t["deadline"]) for t in result["tasks"]]


def test_chi_thi() -> None:
    _, r = _load("chi_thi.txt")
    assert (r["doc_type"], r["number"], r["date"], r["issuer"]) == ("CT", "05/CT-UBND", "2024-03-15",
                                                                     "UBND tỉnh Quảng Ngãi")
    assert r["title"].startswith("Về tăng cường kỷ luật")
    assert (r["signer"], r["signing_authority"]) == ("Nguyễn Văn An", None)
    # the addressees, collectives only, are one assignee (tests/directives/corpus/CONVENTIONS.md)
    leads = "Giám đốc các sở, Thủ trưởng các ban, ngành tỉnh; Chủ tịch UBND các huyện, thị xã, thành phố"
    assert _by_assignee(r)[:7] == [
        (leads, None), (leads, "2024-04-30"), (leads, None),
        ("Sở Nội vụ", "2024-06-30"), ("Sở Nội vụ", None),
        ("Sở Thông tin và Truyền thông", "2024-06-30"),
        ("Văn phòng UBND tỉnh", "2024-03-20"),
    ]
    # "định kỳ hằng quý ... trước ngày 20 của tháng cuối quý": the next occurrence and the recurrence
    assert r["tasks"][6]["recurrence"] == {"freq": "quarterly", "day": 20}
    # the closing "Yêu cầu ... nghiêm túc triển khai thực hiện Chỉ thị này./." is no task
    assert len(r["tasks"]) == 7
    assert r["tasks"][3]["co_assignees"] == ["Văn phòng UBND tỉnh"]
    assert r["tasks"][5]["co_assignees"] == ["Trung tâm Phục vụ hành chính công tỉnh"]
    assert all(t["generic"] for t in r["tasks"][:3])
    # the preamble ("Thời gian qua, ...") gives no task; quarterly reports are one entry per quarter
    assert not any("Thời gian qua" in t["source_text"] for t in r["tasks"])
    # ... and the one-off "báo cáo kết quả về UBND tỉnh trong Quý II năm 2024" of Sở Nội vụ
    assert [x["due"] for x in r["reports"]] == ["2024-03-20", "2024-06-20", "2024-09-20", "2024-12-20", "2024-06-30"]
    assert (r["reports"][-1]["assignee"], r["reports"][-1]["recipient"]) == ("Sở Nội vụ", "UBND tỉnh")


def test_ke_hoach_with_task_table() -> None:
    _, r = _load("ke_hoach.md")
    assert (r["doc_type"], r["number"], r["date"]) == ("KH", "25/KH-UBND", "2024-01-10")
    assert (r["signing_authority"], r["signer"]) == ("TM", "Trần Văn Bình")
    table = r["tasks"][:4]
    assert [(t["assignee"], t["deadline"]) for t in table] == [
        ("Phòng Tư pháp", "2024-06-30"), ("Phòng Nội vụ", "2024-03-31"),
        ("Văn phòng HĐND và UBND huyện", "2024-06-30"), ("Phòng Nội vụ", None)]
    assert table[1]["co_assignees"] == ["Văn phòng HĐND và UBND huyện"]
    assert table[3]["deadline_text"] == "Thường xuyên"
    assert "Rà soát văn bản quy phạm pháp luật" in table[0]["source_text"]
    # the group row "I | Cải cách thể chế" and the purpose section give no task
    assert not any(t["source_text"].startswith("I |") or "PAR INDEX" in t["source_text"] for t in r["tasks"])
    rest = r["tasks"][4:]
    assert [(t["assignee"], t["deadline"]) for t in rest] == [
        ("Phòng Nội vụ", "2024-12-10"), ("Phòng Tài chính - Kế hoạch", None),
        ("Thủ trưởng các cơ quan, đơn vị và Chủ tịch UBND các xã, thị trấn", "2024-01-31")]
    assert rest[2]["co_assignees"] == []


def test_cong_van() -> None:
    _, r = _load("cong_van.txt")
    assert (r["doc_type"], r["number"], r["title"]) == ("CV", "1234/UBND-NC", "triển khai thực hiện Đề án 06 năm 2024")
    assert r["recipients"][:3] == ["Công an tỉnh", "Sở Thông tin và Truyền thông", "UBND các huyện, thị xã, thành phố"]
    assert _by_assignee(r) == [
        ("Công an tỉnh", "2024-03-15"), ("Sở Thông tin và Truyền thông", None),
        ("UBND các huyện, thị xã, thành phố", "2024-03-31"), ("Sở Tài chính", "2024-03-10"),
        ("Văn phòng UBND tỉnh", None)]
    assert r["tasks"][0]["co_assignees"] == ["Sở Thông tin và Truyền thông"]
    assert "Về kinh phí" not in r["tasks"][3]["source_text"]  # the sentence before the directive is context


def test_government_office_notice() -> None:
    _, r = _load("thong_bao_vpcp.txt")
    assert (r["doc_type"], r["number"], r["issuer"], r["meeting_date"]) == (
        "TB", "85/TB-VPCP", "Văn phòng Chính phủ", "2024-02-28")
    # "1. Đánh giá cao ..." judges, it does not direct; the closing formula is no task either
    assert _by_assignee(r) == [("Bộ Nội vụ", "2024-03-30"), ("Bộ Tư pháp", "2024-03-31"),
                               ("Các bộ, cơ quan ngang bộ, Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương",
                                None)]
    assert r["tasks"][2]["deadline_text"] == "ngay sau khi Nghị định được ban hành"


@pytest.mark.parametrize("name", ["chi_thi.txt", "ke_hoach.md", "cong_van.txt", "thong_bao_vpcp.txt"])
def test_offsets_slice_source_text(name: str) -> None:
    raw, r = _load(name)
    text = document_text(raw)
    assert r["tasks"]
    for t in r["tasks"]:
        assert text[t["start"]:t["end"]] == t["source_text"]
        assert set(t) >= {"assignee", "assignee_unit", "co_assignees", "action", "deadline", "deadline_text",
                          "source_text", "start", "end", "flags"}


def test_inline_small_notice() -> None:
    text = "\n".join([
        "THÔNG BÁO",
        "Kết luận của Chủ tịch UBND xã tại cuộc họp giao ban tháng 3 năm 2024",
        "",
        "Ngày 05/3/2024, Chủ tịch UBND xã chủ trì cuộc họp giao ban. Chủ tịch UBND xã kết luận như sau:",
        "",
        "1. Về công tác tiêm chủng: Giao Trạm Y tế xã chủ trì, phối hợp với Công an xã rà soát đối tượng, "
        "hoàn thành trước ngày 20/3.",
        "2. Đánh giá cao công chức Văn phòng - Thống kê đã chuẩn bị tốt cuộc họp.",
        "3. Về kết quả tháng 02: các chỉ tiêu đạt kế hoạch, thu ngân sách đạt 15% dự toán.",
        "4. Giao Ban Chỉ huy Quân sự xã chuẩn bị lực lượng, hoàn thành trước ngày 01/02/2024.",
    ])
    r = extract_text(text)
    assert r["meeting_date"] == "2024-03-05"
    assert [(t["assignee"], t["deadline"]) for t in r["tasks"]] == [
        ("Trạm Y tế xã", "2024-03-20"), ("Ban Chỉ huy Quân sự xã", "2024-02-01")]
    assert r["tasks"][0]["co_assignees"] == ["Công an xã"]
    assert "deadline_before_document" in r["tasks"][1]["flags"]


def test_tcvn3_text_is_converted_and_offsets_hold() -> None:
    from congvu.directives.extraction.normalize import unicode_to_tcvn3

    uni = ("THÔNG BÁO\nKết luận của Chủ tịch UBND huyện\n\nChủ tịch UBND huyện kết luận như sau:\n\n"
           "1. Giao Phòng Nội vụ huyện tham mưu kế hoạch, hoàn thành trước ngày 15/3/2024.")
    legacy = unicode_to_tcvn3(uni)
    r = extract_text(legacy)
    t = r["tasks"][0]
    assert t["assignee"] == "Phòng Nội vụ huyện" and t["deadline"] == "2024-03-15"
    assert document_text(legacy)[t["start"]:t["end"]] == t["source_text"]
