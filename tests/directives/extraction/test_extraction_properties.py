"""Property tests over generated documents: never crash, offsets always slice to source_text."""

from hypothesis import given, settings
from hypothesis import strategies as st

from congvu.directives.extraction import document_text, extract_text

LINES = [
    "THÔNG BÁO", "Kết luận của Chủ tịch UBND huyện", "Số: 12/TB-UBND", "Bình Sơn, ngày 05 tháng 02 năm 2024",
    "Chủ tịch UBND huyện kết luận như sau:", "I. Đánh giá chung", "II. Nhiệm vụ trọng tâm", "1. Nhiệm vụ chung:",
    "2.4. Phòng Nội vụ huyện:", "- Tham mưu UBND huyện ban hành kế hoạch; hoàn thành trong tháng 02/2024.",
    "- Giao Phòng Văn hoá và Thông tin tuyên truyền, trước ngày 07/02/2024.", "**2.1.** Rà soát thủ tục",
    "Công an huyện, Ban Chỉ huy Quân sự huyện bảo đảm an ninh dịp Tết.", "| TT | Nội dung | Chủ trì | Thời gian |",
    "|---|---|---|---|", "| 1 | Tập huấn | Phòng Nội vụ | Quý II/2024 |", "Nơi nhận:", "- Lưu: VT.",
    "## **3. Tổ chức thực hiện**", "- Quý I năm 2024: Chậm nhất ngày 10/3/2024.", "a) Xây dựng kế hoạch",
    "thực hiện tốt", "", "   ", "Nay thông báo để các cơ quan biết, thực hiện./.", "Th«ng b¸o", "* Ghi chú",
    "Yêu cầu các cơ quan, đơn vị thực hiện các nội dung sau:", "Văn phòng đã tổ chức hội nghị.",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(LINES), max_size=25), st.sampled_from(["\n", "\n\n", "\r\n"]))
def test_generated_documents(lines: list[str], sep: str) -> None:
    raw = sep.join(lines)
    result = extract_text(raw)
    text = document_text(raw)
    for t in result["tasks"]:
        assert text[t["start"]:t["end"]] == t["source_text"]
        assert t["source_text"].strip() == t["source_text"]
    for r in result["reports"]:
        assert r["due"] is None or len(r["due"]) == 10


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_any_text_does_not_crash(raw: str) -> None:
    result = extract_text(raw)
    text = document_text(raw)
    for t in result["tasks"]:
        assert text[t["start"]:t["end"]] == t["source_text"]
