"""Printable one-stop forms: every form renders to PDF and DOCX with the dossier's code, the
applicant's name with its diacritics, the due date and the form's title; the rule version picks
the form set (TT 01/2018 vs TT 03/2025); forms that do not apply raise DomainError."""

import datetime as dt
import io
import re
import unicodedata
from zoneinfo import ZoneInfo

import pdfplumber
import pytest
from docx import Document

from congvu.common.errors import DomainError
from congvu.onestop import documents
from congvu.onestop import services as s
from congvu.onestop.documents import fmt
from congvu.onestop.documents.data import Applicant, Component, Issuer, ReceiptData
from factories import make_unit

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NAME = "Nguyễn Thị Hòa"
TITLES_TT03 = {
    "01": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    "02": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    "03": "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
    "04": "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
    "05": "Thông báo dừng giải quyết hồ sơ",
    "06": "Phiếu kiểm soát quá trình giải quyết hồ sơ",
    "07": "Sổ theo dõi hồ sơ",
}


def T(*a):
    return dt.datetime(*a, tzinfo=VN)


def local(value):
    return value.astimezone(VN).replace(tzinfo=None)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return squash(" ".join(page.extract_text() or "" for page in doc.pages))


def pdf_left_header(pdf: bytes) -> str:
    """Text of the issuer column (left 45 % of the page, top 60 mm) of page 1."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        return squash(page.crop((0, 0, page.width * 0.45, 60 / 25.4 * 72)).extract_text() or "")


def pdf_cells(pdf: bytes) -> list[str]:
    """Every table cell of every page, whitespace squashed (cells wrap, so page text interleaves them)."""
    out = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            for table in page.extract_tables():
                out.extend(squash(cell or "") for row in table for cell in row)
    return out


def docx_text(blob: bytes) -> str:
    doc = Document(io.BytesIO(blob))
    parts = [p.text for p in doc.paragraphs]

    def cells(table):
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
                for inner in cell.tables:
                    cells(inner)

    for table in doc.tables:
        cells(table)
    return squash(" ".join(parts))


def upper(text: str) -> str:
    return unicodedata.normalize("NFC", text.upper())


# ------------------------------------------------------------------------------------------------
# Fixtures: dossiers built through the services
# ------------------------------------------------------------------------------------------------


@pytest.fixture
def desk(commune):
    return make_unit("Bộ phận Một cửa xã Bình Thạnh", kind="onestop_desk", parent=commune, code="H55.01.12")


@pytest.fixture
def office(commune):
    return make_unit("Văn phòng HĐND và UBND xã Bình Thạnh", kind="agency", parent=commune)


@pytest.fixture
def procedure(db, office):
    field = s.field_get_or_create(code="HT", name="Hộ tịch")
    return s.procedure_create(
        code="1.001193", name="Thủ tục đăng ký khai sinh", field=field, level="commune", processing_time=5,
        components=[{"name": "Tờ khai đăng ký khai sinh", "originals": 1},
                    {"name": "Giấy chứng sinh", "originals": 1, "copies": 1}],
        steps=[{"name": "Thẩm định hồ sơ", "share": "0.6", "unit": office},
               {"name": "Ký duyệt", "share": "0.4"}],
    )


def receive(procedure, desk, at, **kw):
    kw.setdefault("channel", "in_person")
    return s.dossier_receive(procedure=procedure, unit=desk, applicant_name=NAME, received_at=at,
                             applicant_address="Thôn An Phú, xã Bình Thạnh", applicant_phone="0912345678", **kw)


@pytest.fixture
def full(procedure, desk):
    """TT 03/2025 dossier with supplement, apology, steps, result and return."""
    d = receive(procedure, desk, T(2025, 10, 6, 9, 0))  # Mon; due Mon 13/10 17:00
    s.dossier_transfer(dossier=d, at=T(2025, 10, 6, 10, 0))
    s.dossier_request_supplement(dossier=d, items="Bản sao giấy chứng sinh\nBản sao căn cước của người mẹ",
                                 reason="Thiếu giấy tờ chứng minh nơi sinh", at=T(2025, 10, 7, 9, 0))
    s.dossier_supplement_received(dossier=d, at=T(2025, 10, 8, 9, 0))
    s.dossier_step_complete(dossier=d, at=T(2025, 10, 9, 9, 0), note="Đủ điều kiện")
    s.dossier_apologise(dossier=d, reason="Cần xác minh nơi cư trú", new_due_at=T(2025, 10, 20, 17, 0),
                        at=T(2025, 10, 10, 9, 0))
    s.dossier_step_complete(dossier=d, at=T(2025, 10, 16, 9, 0))
    s.dossier_record_result(dossier=d, at=T(2025, 10, 16, 10, 0), result_code="KS-125/2025")
    s.dossier_return(dossier=d, at=T(2025, 10, 17, 8, 30))
    d.refresh_from_db()
    return d


@pytest.fixture
def refused(procedure, desk):
    d = receive(procedure, desk, T(2025, 10, 6, 14, 0))
    s.dossier_refuse(dossier=d, reason="Không thuộc thẩm quyền giải quyết của Ủy ban nhân dân xã",
                     legal_basis="Điều 17 Nghị định số 118/2025/NĐ-CP", at=T(2025, 10, 6, 15, 0))
    d.refresh_from_db()
    return d


@pytest.fixture
def stopped(procedure, desk):
    d = receive(procedure, desk, T(2025, 10, 7, 8, 0))
    s.dossier_stop(dossier=d, reason="Người nộp đề nghị dừng giải quyết", at=T(2025, 10, 8, 10, 0))
    d.refresh_from_db()
    return d


def expected_due(d, form_no):
    if form_no in ("01", "02"):
        return fmt.vn_datetime(local(d.due_at_original))
    if form_no == "04":
        return fmt.vn_datetime(local(d.apology.new_due_at))
    return fmt.vn_datetime(local(d.due_at))


# ------------------------------------------------------------------------------------------------
# Every form, PDF and DOCX
# ------------------------------------------------------------------------------------------------

CASES = [("full", "01"), ("full", "02"), ("refused", "03"), ("full", "04"), ("stopped", "05"), ("full", "06")]


@pytest.mark.parametrize(("which", "form_no"), CASES)
def test_form_pdf_and_docx_contain_code_name_due_and_title(request, which, form_no):
    d = request.getfixturevalue(which)
    assert d.rule_version == "nd118-2025+tt03-2025"
    title = TITLES_TT03[form_no]
    pdf = pdf_text(documents.dossier_form_pdf(d, form_no))
    word = docx_text(documents.dossier_form_docx(d, form_no))
    for text in (pdf, word):
        assert d.code in text
        assert NAME in text
        assert upper(title) in text
        assert unicodedata.is_normalized("NFC", text)
        if form_no != "03":  # a refusal has no promised date
            assert expected_due(d, form_no) in text, form_no
    assert f"Mẫu số {form_no}" in pdf and "Thông tư số 03/2025/TT-VPCP" in pdf


def test_receipt_slip_content(full):
    pdf = documents.dossier_form_pdf(full, "01")
    text = pdf_text(pdf)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    left = pdf_left_header(pdf)
    assert "ỦY BAN NHÂN DÂN XÃ BÌNH THẠNH" in left and "BỘ PHẬN MỘT CỬA XÃ BÌNH THẠNH" in left
    assert "Bình Thạnh, ngày 06 tháng 10 năm 2025" in text
    assert "Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 06 tháng 10 năm 2025" in text
    assert "5. Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 13 tháng 10 năm 2025" in text
    assert "05 ngày làm việc" in text and "Giấy chứng sinh" in text and "Bản chính, bản sao" in text
    assert "Số thứ tự: 1." in text


def test_forms_show_their_specific_content(full, refused, stopped):
    sup = pdf_text(documents.dossier_form_pdf(full, "02"))
    assert "1. Bản sao giấy chứng sinh" in sup and "2. Bản sao căn cước của người mẹ" in sup
    assert "Lý do: Thiếu giấy tờ chứng minh nơi sinh" in sup
    apology = pdf_text(documents.dossier_form_pdf(full, "04"))
    assert "Kính gửi: Ông/Bà Nguyễn Thị Hòa." in apology
    assert "lý do: Cần xác minh nơi cư trú" in apology and "phiền hà, tốn kém chi phí, công sức" in apology
    assert "đề nghị gia hạn thời gian giải quyết hồ sơ đến 17 giờ 00 phút, ngày 20 tháng 10 năm 2025" in apology
    assert "Nơi nhận:" in apology and "Số:" in apology
    refusal = pdf_text(documents.dossier_form_pdf(refused, "03"))
    assert "Căn cứ quy định tại Điều 17 Nghị định số 118/2025/NĐ-CP" in refusal
    assert "Không thuộc thẩm quyền giải quyết" in refusal
    stop = pdf_text(documents.dossier_form_pdf(stopped, "05"))
    assert "Người nộp đề nghị dừng giải quyết" in stop
    cells = pdf_cells(documents.dossier_form_pdf(full, "06"))
    assert "1. Giao: Bộ phận Một cửa xã Bình Thạnh 2. Nhận: Văn phòng HĐND và UBND xã Bình Thạnh (thẩm định hồ sơ)" \
        in cells
    assert any(c.startswith("10 giờ 00 phút, ngày 06 tháng 10 năm 2025") for c in cells)  # transfer
    assert "Số kết quả: KS-125/2025" in cells
    assert {"Trước hạn", "Quá hạn"} <= set(cells)


def test_pdf_layout_a4_margins_and_font(full):
    with pdfplumber.open(io.BytesIO(documents.dossier_form_pdf(full, "01"))) as pdf:
        page = pdf.pages[0]
        assert (round(page.width), round(page.height)) == (595, 842)  # A4 portrait in points
        xs = [c["x0"] for c in page.chars]
        assert min(xs) >= 30 / 25.4 * 72 - 1  # left margin 30 mm
        assert max(c["x1"] for c in page.chars) <= page.width - 15 / 25.4 * 72 + 1  # right margin 15 mm
        assert min(c["top"] for c in page.chars) >= 20 / 25.4 * 72 - 1  # top margin 20 mm
        fonts = {c["fontname"].split("+")[-1] for c in page.chars}
        assert fonts and all(f.replace("-", "").startswith("LiberationSerif") for f in fonts), fonts
        assert any("Bold" in f for f in fonts) and any("Italic" in f for f in fonts)


def test_html_is_vietnamese_nfc_and_not_hyphenated(full):
    data = documents.form_data_for(full, "01")
    html = documents.render_html("01", data)
    assert '<html lang="vi">' in html and "hyphens: none" in html
    assert unicodedata.is_normalized("NFC", html)


def test_decomposed_input_is_composed_in_outputs(full):
    decomposed = unicodedata.normalize("NFD", NAME)
    data = ReceiptData(form_no="01", title="Giấy tiếp nhận hồ sơ và hẹn trả kết quả", rule_version="nd61-2018",
                       issuer=Issuer(unicodedata.normalize("NFD", "Bộ phận Một cửa xã Bình Thạnh"), place="Bình Thạnh"),
                       issued_on=dt.date(2024, 2, 7), code="X-240207-0001", applicant=Applicant(decomposed),
                       components=[Component(unicodedata.normalize("NFD", "Tờ khai"), "Bản chính", 1)],
                       due_at=dt.datetime(2024, 2, 21, 17, 0))
    assert NAME in pdf_text(documents.render_pdf("01", data))
    word = docx_text(documents.render_docx("01", data))
    assert NAME in word and "Tờ khai" in word and decomposed not in word


# ------------------------------------------------------------------------------------------------
# Rule versions and the registry
# ------------------------------------------------------------------------------------------------


def test_rule_version_picks_the_form_set(procedure, desk):
    old = receive(procedure, desk, T(2024, 3, 4, 8, 0))  # NĐ 61/2018 + TT 01/2018
    s.dossier_apologise(dossier=old, reason="Chờ xác minh", new_due_at=T(2024, 3, 14, 17, 0), at=T(2024, 3, 7, 9, 0))
    mid = receive(procedure, desk, T(2025, 7, 2, 9, 0))  # NĐ 118/2025 before TT 03/2025: TT 01/2018 forms
    s.dossier_apologise(dossier=mid, reason="Chờ xác minh", new_due_at=T(2025, 7, 16, 17, 0), at=T(2025, 7, 4, 9, 0))
    new = receive(procedure, desk, T(2025, 10, 6, 9, 0))
    s.dossier_apologise(dossier=new, reason="Chờ xác minh", new_due_at=T(2025, 10, 20, 17, 0),
                        at=T(2025, 10, 8, 9, 0))
    assert (old.rule_version, mid.rule_version) == ("nd61-2018", "nd118-2025")
    for d in (old, mid):
        pdf = pdf_text(documents.dossier_form_pdf(d, "04"))
        word = docx_text(documents.dossier_form_docx(d, "04"))
        for text in (pdf, word):
            assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text and "GIA HẠN" not in text
            assert "Thông tư số 01/2018/TT-VPCP" in text
            assert "sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà vào" in text
    pdf = pdf_text(documents.dossier_form_pdf(new, "04"))
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in pdf and "PHIẾU XIN LỖI" not in pdf
    # TT 01/2018 numbering: Mẫu 05 is the control slip, Mẫu 06 the register; there is no Mẫu 07
    s.dossier_transfer(dossier=old, at=T(2024, 3, 7, 10, 0))
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in pdf_text(documents.dossier_form_pdf(old, "05"))
    with pytest.raises(DomainError) as err:
        documents.dossier_form_pdf(old, "07")
    assert err.value.code == "onestop_form.unknown_form" and "01/2018" in err.value.message
    assert [f["title"] for f in documents.available_forms(new)] == [TITLES_TT03[n] for n in ("01", "02", "03", "04",
                                                                                              "05", "06")]
    assert documents.form_spec("nd118-2025+tt03-2025", "Mẫu 4").title == TITLES_TT03["04"]


def test_not_applicable_forms_raise_domain_error(procedure, desk, full):
    plain = receive(procedure, desk, T(2025, 10, 6, 10, 0))
    cases = {"02": "yêu cầu bổ sung", "03": "từ chối", "04": "xin lỗi", "05": "dừng giải quyết",
             "06": "chưa được chuyển"}
    for form_no, words in cases.items():
        for render in (documents.dossier_form_pdf, documents.dossier_form_docx):
            with pytest.raises(DomainError) as err:
                render(plain, form_no)
            assert err.value.code == "onestop_form.not_applicable"
            assert plain.code in err.value.message and words in err.value.message
    with pytest.raises(DomainError) as err:
        documents.dossier_form_pdf(full, "07")
    assert err.value.code == "onestop_form.book_per_unit"
    with pytest.raises(DomainError) as err:
        documents.dossier_form_pdf(full, "09")
    assert err.value.code == "onestop_form.unknown_form"
    applies = {f["form_no"]: f["applies"] for f in documents.available_forms(plain)}
    assert applies == {"01": True, "02": False, "03": False, "04": False, "05": False, "06": False}


def test_refused_at_receipt_has_no_receipt_slip(procedure, desk):
    d = receive(procedure, desk, T(2025, 10, 6, 10, 0))
    s.dossier_refuse(dossier=d, reason="Hồ sơ không hợp lệ", at=T(2025, 10, 6, 10, 5))
    from congvu.onestop.models import Refusal

    Refusal.objects.filter(dossier=d).update(at_receipt=True)
    with pytest.raises(DomainError) as err:
        documents.dossier_form_pdf(d, "01")
    assert "từ chối tiếp nhận" in err.value.message


# ------------------------------------------------------------------------------------------------
# Sổ theo dõi hồ sơ
# ------------------------------------------------------------------------------------------------


def test_register_book(desk, full, refused, stopped):
    pdf = documents.register_book_pdf(desk, dt.date(2025, 10, 1), dt.date(2025, 10, 31))
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert (round(doc.pages[0].width), round(doc.pages[0].height)) == (842, 595)  # landscape
    text = pdf_text(pdf)
    assert "SỔ THEO DÕI HỒ SƠ" in text and "Mẫu số 07" in text
    assert "Từ ngày 01 tháng 10 năm 2025 đến ngày 31 tháng 10 năm 2025" in text
    for d in (full, refused, stopped):
        assert d.code in text
    cells = pdf_cells(pdf)
    assert cells.count(NAME) == 3 and "Từ chối" in cells and "Dừng xử lý" in cells
    assert "Thủ tục đăng ký khai sinh" in cells and "Thôn An Phú, xã Bình Thạnh, 0912345678" in cells
    assert fmt.vn_datetime(local(full.due_at)) in cells and fmt.vn_datetime(local(full.returned_at)) in cells
    word = docx_text(documents.register_book_docx(desk, dt.date(2025, 10, 1), dt.date(2025, 10, 31)))
    assert full.code in word and "SỔ THEO DÕI HỒ SƠ" in word
    old = pdf_text(documents.register_book_pdf(desk, dt.date(2024, 1, 1), dt.date(2024, 1, 31)))
    assert "Mẫu số 06" in old and "01/2018" in old and "Không có hồ sơ nào" in old
    with pytest.raises(DomainError):
        documents.register_book_pdf(desk, dt.date(2025, 10, 31), dt.date(2025, 10, 1))


# ------------------------------------------------------------------------------------------------
# Pure formatting
# ------------------------------------------------------------------------------------------------


def test_vietnamese_date_and_time_formats():
    assert fmt.vn_date(dt.date(2026, 1, 5)) == "ngày 05 tháng 01 năm 2026"
    assert fmt.vn_time(dt.datetime(2026, 1, 5, 8, 5)) == "08 giờ 05 phút"
    assert fmt.vn_datetime(dt.datetime(2026, 1, 5, 17, 0)) == "17 giờ 00 phút, ngày 05 tháng 01 năm 2026"
    assert fmt.date_line("Hà Nội", dt.date(2026, 1, 5)) == "Hà Nội, ngày 05 tháng 01 năm 2026"
    assert fmt.upper("Ủy ban nhân dân xã Bình Thạnh") == "ỦY BAN NHÂN DÂN XÃ BÌNH THẠNH"
