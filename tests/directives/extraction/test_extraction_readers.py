"""Reading files: text encodings, DOCX (paragraphs, numbering, tables), PDF errors, .doc, limits."""

import shutil
from pathlib import Path

import pytest

from congvu.directives.extraction import ExtractionInputError, extract_file, readers
from congvu.directives.extraction.normalize import unicode_to_tcvn3, unicode_to_vni
from congvu.directives.extraction.readers import decode_bytes, read_document

NOTICE = ("THÔNG BÁO\nKết luận của Chủ tịch UBND huyện\n\nChủ tịch UBND huyện kết luận như sau:\n\n"
          "1. Giao Phòng Nội vụ huyện rà soát, hoàn thành trước ngày 15/3/2024.\n")


@pytest.mark.parametrize("encode", [
    lambda s: s.encode("utf-8"),
    lambda s: s.encode("utf-8-sig"),
    lambda s: s.encode("utf-16"),
    lambda s: s.encode("utf-16-le"),
    lambda s: _cp1258(s),
    lambda s: unicode_to_tcvn3(s).encode("latin-1"),
    lambda s: unicode_to_vni(s).encode("latin-1"),
])
def test_text_encodings(tmp_path: Path, encode) -> None:
    path = tmp_path / "notice.txt"
    path.write_bytes(encode(NOTICE))
    result = extract_file(path)
    assert [(t["assignee"], t["deadline"]) for t in result["tasks"]] == [("Phòng Nội vụ huyện", "2024-03-15")]


def test_decode_bytes_prefers_utf8() -> None:
    assert decode_bytes("Hoà bình".encode()) == "Hoà bình"


def test_docx_paragraphs_numbering_and_tables(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    doc = docx.Document()
    doc.add_paragraph("KẾ HOẠCH")
    doc.add_paragraph("Chuyển đổi số năm 2024")
    doc.add_paragraph("Thực hiện chỉ đạo của UBND tỉnh, UBND huyện ban hành Kế hoạch như sau:")
    doc.add_paragraph("Nhiệm vụ cụ thể", style="List Number")
    doc.add_paragraph("Phòng Văn hóa và Thông tin chủ trì xây dựng kế hoạch truyền thông, hoàn thành "
                      "trong tháng 3/2024.", style="List Bullet")
    table = doc.add_table(rows=3, cols=4)
    for r, row in enumerate([["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời gian hoàn thành"],
                             ["1", "Số hóa hồ sơ thủ tục hành chính", "Văn phòng HĐND và UBND huyện", "Quý II/2024"],
                             ["2", "Tập huấn kỹ năng số", "Phòng Nội vụ", "Tháng 5/2024"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    path = tmp_path / "kh.docx"
    doc.save(path)
    text = read_document(path)
    assert "1. Nhiệm vụ cụ thể" in text  # Word's automatic numbering rebuilt
    assert "| 2 | Tập huấn kỹ năng số | Phòng Nội vụ | Tháng 5/2024 |" in text
    result = extract_file(path)
    assert result["doc_type"] == "KH"
    assert [(t["assignee"], t["deadline"]) for t in result["tasks"]] == [
        ("Phòng Văn hóa và Thông tin", "2024-03-31"), ("Văn phòng HĐND và UBND huyện", "2024-06-30"),
        ("Phòng Nội vụ", "2024-05-31")]


def test_empty_missing_and_oversized(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(ExtractionInputError, match="rỗng"):
        read_document(empty)
    with pytest.raises(ExtractionInputError, match="Không tìm thấy"):
        read_document(tmp_path / "nope.txt")
    big = tmp_path / "big.txt"
    big.write_text("x" * 2000)
    monkeypatch.setattr(readers, "MAX_BYTES", 1000)
    with pytest.raises(ExtractionInputError, match="quá lớn"):
        read_document(big)


def test_pdf_errors(tmp_path: Path) -> None:
    pytest.importorskip("pdfplumber")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nthis is not really a pdf")
    with pytest.raises(ExtractionInputError, match="hỏng"):
        read_document(broken)
    # a page with no text layer, like a scan
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(_blank_pdf())
    with pytest.raises(ExtractionInputError, match="scan"):
        read_document(scan)


def test_pdf_password_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pdfplumber = pytest.importorskip("pdfplumber")
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    def locked(*_a, **_k):
        raise PDFPasswordIncorrect()

    monkeypatch.setattr(pdfplumber, "open", locked)
    path = tmp_path / "locked.pdf"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(ExtractionInputError, match="mật khẩu"):
        read_document(path)


def test_doc_without_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0 old word file")
    with pytest.raises(ExtractionInputError, match="LibreOffice"):
        read_document(path)


def _cp1258(text: str) -> bytes:
    """Windows-1258: base letters (â, ơ, đ...) precomposed, tone marks as combining characters."""
    import unicodedata

    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


def _blank_pdf() -> bytes:
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    out = b"%PDF-1.4\n"
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out
