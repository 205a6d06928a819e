"""The one upload validator (pure): type by content, size, zip bombs, PDF pages, active content."""

from __future__ import annotations

import io
import os
import time
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from congvu.common.uploads import Limits, UploadRefused, check_file, docx_bytes, validate_bytes

ALL = ("pdf", "jpg", "png", "docx", "xlsx", "doc", "txt", "csv")


def zip_bomb(inflated: int = 0xFFFFFFFF) -> bytes:
    """A ~1 MB .docx whose document.xml says it inflates to 4 GB.

    Deflating 4 GB of zeros for real would take the test a minute; the directory entry is what any
    reader (and the validator) trusts, so we declare the size there and pad with a stored 1 MB image."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<Types><Override ContentType="application/vnd.openxmlformats-'
                    'officedocument.wordprocessingml.document.main+xml"/></Types>')
        zf.writestr("word/document.xml", b"<w:document>" + b"0" * (1024 * 1024) + b"</w:document>")
        zf.writestr(zipfile.ZipInfo("word/media/image1.png"), os.urandom(1000 * 1024))
    data = bytearray(buf.getvalue())
    offset = 0
    while (i := data.find(b"PK\x01\x02", offset)) >= 0:
        name_len = int.from_bytes(data[i + 28:i + 30], "little")
        if bytes(data[i + 46:i + 46 + name_len]) == b"word/document.xml":
            data[i + 24:i + 28] = inflated.to_bytes(4, "little")
        offset = i + 4
    return bytes(data)


def test_zip_bomb_docx_refused_fast_without_inflating():
    bomb = zip_bomb()
    assert len(bomb) <= 1.2 * 1024 * 1024
    started = time.perf_counter()
    result = check_file("ket-luan.docx", len(bomb), io.BytesIO(bomb), allowed=ALL)
    elapsed = time.perf_counter() - started
    assert result.kind is None and result.code == "upload.zip_bomb"
    assert "bom nén" in result.error
    assert elapsed < 0.5, elapsed  # a property of the check (directory only), not a benchmark


def test_real_high_ratio_docx_refused_by_ratio():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types>wordprocessingml</Types>")
        zf.writestr("word/document.xml", b" " * (20 * 1024 * 1024))
    data = buf.getvalue()
    result = check_file("a.docx", len(data), io.BytesIO(data), allowed=ALL)
    assert result.code == "upload.zip_bomb" and "tỉ lệ nén" in result.error


def test_uncompressed_cap_configurable():
    data = docx_bytes("x" * 5000)
    assert check_file("a.docx", len(data), io.BytesIO(data), allowed=ALL).kind == "docx"
    small = Limits(max_uncompressed=1000)
    assert check_file("a.docx", len(data), io.BytesIO(data), allowed=ALL, limits=small).code == "upload.zip_bomb"


def test_elf_renamed_pdf_and_archives_and_extension_mismatch():
    elf = b"\x7fELF" + b"\x00" * 100
    assert check_file("bao-cao.pdf", len(elf), io.BytesIO(elf), allowed=ALL).code == "upload.executable"
    gz = b"\x1f\x8b" + b"\x00" * 100
    assert check_file("a.pdf", len(gz), io.BytesIO(gz), allowed=ALL).code == "upload.archive"
    pdf = b"%PDF-1.4\n%%EOF"
    assert check_file("a.docx", len(pdf), io.BytesIO(pdf), allowed=ALL).code == "upload.extension"
    assert check_file("a.pdf", len(pdf), io.BytesIO(pdf), allowed=("png",)).code == "upload.type"
    assert check_file("a.pdf", 0, io.BytesIO(b""), allowed=ALL).code == "upload.empty"
    assert check_file("a.pdf", 10**9, io.BytesIO(pdf), allowed=ALL).code == "upload.too_large"


def test_macros_and_pdf_javascript_are_active_content():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types>wordprocessingml macroEnabled</Types>")
        zf.writestr("word/document.xml", "<w:document/>")
        zf.writestr("word/vbaProject.bin", b"\x00" * 10)
    data = buf.getvalue()
    result = check_file("a.docx", len(data), io.BytesIO(data), allowed=ALL)
    assert result.code == "upload.active_content" and "macro" in result.error
    allowed = check_file("a.docx", len(data), io.BytesIO(data), allowed=ALL, limits=Limits(allow_active=True))
    assert allowed.kind == "docx" and "macro" in allowed.active
    js = b"%PDF-1.4\n1 0 obj<</Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n%%EOF"
    result = check_file("a.pdf", len(js), io.BytesIO(js), allowed=ALL)
    assert result.code == "upload.active_content" and "JavaScript" in result.error


def test_pdf_page_cap():
    pages = b"".join(b"%d 0 obj<</Type /Page>>endobj\n" % i for i in range(3, 13))
    data = b"%PDF-1.4\n" + pages + b"%%EOF"
    assert check_file("a.pdf", len(data), io.BytesIO(data), allowed=ALL, limits=Limits(max_pdf_pages=5)).code \
        == "upload.pdf_pages"
    assert check_file("a.pdf", len(data), io.BytesIO(data), allowed=ALL).kind == "pdf"


def test_png_pixel_bomb():
    head = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (100000).to_bytes(4, "big") * 2 + b"\x08\x02\x00\x00\x00"
    assert check_file("a.png", len(head), io.BytesIO(head), allowed=ALL).code == "upload.image_pixels"


def test_validate_raises_domain_error_with_vietnamese_message():
    with pytest.raises(UploadRefused) as exc:
        validate_bytes("x.pdf", b"MZ\x90\x00", allowed=ALL)
    assert exc.value.code == "upload.executable" and "không nhận" in exc.value.message


@given(st.binary(max_size=600))
@settings(max_examples=200, deadline=None)
def test_never_raises_on_arbitrary_bytes(data):
    for name in ("a.pdf", "a.docx", "a.xlsx", "a.txt", "a.png"):
        result = check_file(name, len(data), io.BytesIO(data), allowed=ALL)
        assert result.ok or result.error


@given(st.binary(min_size=30, max_size=400))
@settings(max_examples=100, deadline=None)
def test_never_raises_on_broken_zips(tail):
    data = b"PK\x03\x04" + tail
    result = check_file("a.docx", len(data), io.BytesIO(data), allowed=ALL)
    assert not result.ok and result.error
