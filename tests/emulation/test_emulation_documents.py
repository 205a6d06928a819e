"""Minutes and decision DOCX, certificate PDF, over plain mappings (no database)."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

import pytest
from docx import Document

from congvu.emulation.documents import certificate_html, certificate_pdf, decision_docx, minutes_docx

DAY = dt.date(2024, 12, 20)


def _text(blob: bytes) -> str:
    doc = Document(io.BytesIO(blob))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
    return "\n".join(parts)


def _decision(n: int = 2) -> dict:
    return {
        "issuer": {"name": "Ủy ban nhân dân tỉnh Quảng Ngãi", "place": "Quảng Ngãi"},
        "number": "1234/QĐ-UBND", "decided_on": DAY,
        "summary": "Về việc tặng danh hiệu Chiến sĩ thi đua cấp tỉnh năm 2024",
        "authority_line": "Chủ tịch Ủy ban nhân dân tỉnh Quảng Ngãi",
        "bases": ["Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022", "Nghị định số 98/2023/NĐ-CP"],
        "proposal": "Theo đề nghị của Trưởng Ban Thi đua - Khen thưởng tỉnh",
        "title_name": "Chiến sĩ thi đua cấp tỉnh", "year": 2024,
        "awardees": [{"name": f"Nguyễn Văn {chr(65 + i)}", "position": "Chuyên viên", "unit": "Sở Nội vụ",
                      "kind": "person", "amount": 7_020_000} for i in range(n)],
        "money": {"coefficient": "3.0", "base_salary": 2_340_000, "base_salary_source": "NĐ 73/2024/NĐ-CP",
                  "article": "Nghị định số 98/2023/NĐ-CP, Điều 54"},
        "signer": {"prefix": "KT.", "authority": "Chủ tịch", "title": "Phó Chủ tịch", "name": "Trần Phước Hiền"},
    }


def test_decision_follows_decree_30_layout():
    text = _text(decision_docx(_decision()))
    for needle in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "ỦY BAN NHÂN DÂN",
                   "Số: 1234/QĐ-UBND", "Quảng Ngãi, ngày 20 tháng 12 năm 2024", "QUYẾT ĐỊNH",
                   "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", "Căn cứ Luật Thi đua, khen thưởng",
                   "QUYẾT ĐỊNH:", "Điều 1.", "Điều 2.", "Điều 3.", "Nguyễn Văn A", "7.020.000 đồng",
                   "Tổng số tiền thưởng: 14.040.000 đồng", "Nơi nhận:", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH",
                   "Trần Phước Hiền"):
        assert needle in text, needle
    assert unicodedata.is_normalized("NFC", text)


def test_decision_with_many_awardees_attaches_a_list():
    text = _text(decision_docx(_decision(5)))
    assert "05 cá nhân (có danh sách kèm theo)" in text
    assert "DANH SÁCH" in text and "Kèm theo Quyết định số 1234/QĐ-UBND" in text
    assert "35.100.000" in text  # total row


def test_minutes_report_counts_only_for_secret_ballots():
    blob = minutes_docx({
        "issuer": {"parent": "UBND tỉnh Quảng Ngãi", "name": "Hội đồng Thi đua - Khen thưởng", "place": "Quảng Ngãi"},
        "subject": "Họp xét khen thưởng năm 2024", "held_on": DAY, "started_at": "08 giờ 00",
        "chair": "Nguyễn Văn Chủ", "secretary": "Lê Thị Thư",
        "members": [{"name": "Nguyễn Văn Chủ", "role": "Chủ tịch", "present": True},
                    {"name": "Phạm Văn Vắng", "present": False, "written": True},
                    {"name": "Đỗ Thị Nghỉ", "present": False}],
        "quorum_text": "Có mặt 1/3 thành viên",
        "results": [{"candidate": "Nguyễn Văn A", "title": "CSTĐ cấp tỉnh", "ballot": "secret", "yes": 2, "no": 0,
                     "abstain": 0, "percent": 66.67, "approved": False, "text": "2/3 thành viên đồng ý"}],
        "chair_name": "Nguyễn Văn Chủ", "secretary_name": "Lê Thị Thư",
    })
    text = _text(blob)
    for needle in ("BIÊN BẢN", "Họp xét khen thưởng năm 2024", "Tổng số thành viên Hội đồng: 03",
                   "Phạm Văn Vắng", "Bỏ phiếu kín", "66,67 %", "Không đạt", "THƯ KÝ", "CHỦ TRÌ",
                   "đề nghị cấp có thẩm quyền khen thưởng 00/01"):
        assert needle in text, needle


def test_certificate_escapes_and_renders_pdf():
    data = {"kind_label": "Giấy khen", "authority": "Chủ tịch UBND xã Bình Thạnh", "title_name": "Lao động tiên tiến",
            "year": 2024, "name": "Nguyễn <b>Văn</b> A", "unit": "UBND xã Bình Thạnh",
            "decision_number": "12/QĐ-UBND", "decided_on": DAY, "place": "Bình Thạnh",
            "signer": {"title": "Chủ tịch", "name": "Võ Văn Ký"}}
    html = certificate_html(data)
    assert "&lt;b&gt;" in html and "<b>Văn</b>" not in html
    assert "ngày 20 tháng 12 năm 2024" in html
    pdf = certificate_pdf(data)
    assert pdf.startswith(b"%PDF")
    pdfplumber = pytest.importorskip("pdfplumber")
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) == 1
        page_text = doc.pages[0].extract_text()
    assert "GIẤY KHEN" in unicodedata.normalize("NFC", page_text)
    assert "Lao động tiên tiến" in unicodedata.normalize("NFC", page_text)
