"""Reflowing broken lines into blocks, and the outline tree of list markers."""

from congvu.directives.extraction.layout import build_blocks

WRAPPED = "\n\n".join([
    "Sáng ngày 19/01/2024, tại Hội trường Huyện uỷ, đồng chí Phạm Ngọc Lân ",
    "- Chủ tịch UBND huyện chủ trì Hội nghị tổng kết phong trào thi đua, khen ",
    "thưởng năm 2023 và phát động phong trào thi đua năm 2024 trên địa bàn. ",
    "UBND huyện yêu cầu Thủ trưởng các cơ quan, đơn vị, địa phương tập trung ",
    "thực hiện một số nội dung sau: ",
    "1. Tiếp tục nâng cao vai trò lãnh đạo, chỉ đạo và tổ chức triển khai thực ",
    "hiện của các cấp ủy đảng, chính quyền địa phương và người đứng đầu các ",
    "cơ quan, đơn vị đối với công tác chuyển đổi số, cải cách hành chính. ",
    "- Tăng cường công tác tuyên truyền về cải cách hành chính năm 2024 theo ",
    "hướng đổi mới về nội dung và hình thức, bám sát nhiệm vụ được giao. ",
    "2. Phòng Nội vụ huyện: ",
    "- Tham mưu UBND huyện chỉ đạo triển khai thực hiện Quyết định số ",
    "01/2024/QĐ-UBND ngày 03/01/2024 của UBND tỉnh; hoàn thành trong tháng 02/2024. ",
    "Nay thông báo để các cơ quan, đơn vị biết, thực hiện./. ",
# padding lines of printed width so that the text reads as wrapped (PDF-like)
]) + "\n\n" + "\n\n".join(f"Dòng đệm số {i} của văn bản được in ra từ tệp PDF gốc ở đây." for i in range(10))


def test_wrapped_pdf_text_is_reflowed() -> None:
    blocks = build_blocks(WRAPPED)
    texts = [b.text for b in blocks]
    # the "- Chủ tịch" line continues a sentence: it is not a bullet
    assert texts[0].startswith("Sáng ngày 19/01/2024") and "- Chủ tịch UBND huyện chủ trì" in texts[0]
    assert texts[1].endswith("một số nội dung sau:")
    item1 = next(b for b in blocks if b.marker == "1")
    assert item1.text.endswith("cải cách hành chính.") and "thực hiện của các cấp ủy" in item1.text
    bullet = blocks[blocks.index(item1) + 1]
    assert bullet.mtype == "dash" and bullet.parent == blocks.index(item1)
    heading = next(b for b in blocks if b.marker == "2")
    assert heading.text == "Phòng Nội vụ huyện:"
    child = blocks[blocks.index(heading) + 1]
    assert child.parent == blocks.index(heading) and "01/2024/QĐ-UBND" in child.text


def test_block_offsets_slice_the_source() -> None:
    for b in build_blocks(WRAPPED):
        a, z = b.view.span()
        src = WRAPPED[a:z]
        assert src.split()[0] == b.text.split()[0]
        assert src.split()[-1] == b.text.split()[-1]


def test_markdown_blocks_and_tree() -> None:
    md = "\n".join([
        "## II. Nhiệm vụ",
        "",
        "Yêu cầu các cơ quan thực hiện:",
        "",
        "**1.** Nhiệm vụ chung:",
        "",
        "1.1. Rà soát thủ tục hành chính.",
        "",
        "1.2. Số hóa hồ sơ; thủ trưởng cơ quan, đơn",
        "",
        "vị chịu trách nhiệm.",
        "",
        "| TT | Nội dung | Chủ trì |",
        "|---|---|---|",
        "| 1 | Tập huấn | Phòng Nội vụ |",
    ])
    blocks = build_blocks(md)
    kinds = [(b.kind, b.mtype, b.marker) for b in blocks]
    assert kinds[0] == ("item", "roman", "II.") and blocks[0].heading_hint
    assert kinds[1][0] == "para"
    assert blocks[3].parent == 2 and blocks[4].parent == 2
    assert blocks[4].text == "Số hóa hồ sơ; thủ trưởng cơ quan, đơn vị chịu trách nhiệm."  # page break joined
    rows = [b for b in blocks if b.kind == "row"]
    assert len(rows) == 2 and [c.text for c in rows[1].cells] == ["1", "Tập huấn", "Phòng Nội vụ"]
