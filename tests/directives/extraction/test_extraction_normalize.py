"""Normalisation: legacy encodings, NFC, cleaned views whose offsets point back into the text."""

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from congvu.directives.extraction.normalize import (
    clean_line,
    detect_encoding,
    prepare,
    tcvn3_to_unicode,
    unicode_to_tcvn3,
    unicode_to_vni,
    view_of,
    vni_to_unicode,
)

SAMPLE = "Cộng hòa xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc. Thông báo kết luận của Chủ tịch."
LOWER_VIET = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
words = st.text(alphabet=LOWER_VIET, min_size=1, max_size=8)
viet_text = st.lists(words, min_size=1, max_size=12).map(" ".join)


def test_tcvn3_sample_converts() -> None:
    assert tcvn3_to_unicode("Th«ng b¸o") == "Thông báo"
    assert tcvn3_to_unicode("Céng hßa x· héi chñ nghÜa ViÖt Nam") == "Cộng hòa xã hội chủ nghĩa Việt Nam"
    # .VnTimeH capitals: the toned letters of an upper-case word come out upper-case
    assert tcvn3_to_unicode("TH«NG B¸O") == "THÔNG BÁO"


def test_vni_sample_converts() -> None:
    assert vni_to_unicode("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam") == "Cộng hòa xã hội chủ nghĩa Việt Nam"
    assert vni_to_unicode("Ñoäc laäp - Töï do - Haïnh phuùc") == "Độc lập - Tự do - Hạnh phúc"


def test_detection() -> None:
    assert detect_encoding(SAMPLE) == "unicode"
    assert detect_encoding(unicode_to_tcvn3(SAMPLE)) == "tcvn3"
    assert detect_encoding(unicode_to_vni(SAMPLE)) == "vni"
    assert detect_encoding("plain ASCII text only") == "unicode"
    assert prepare(unicode_to_tcvn3(SAMPLE)).startswith("Cộng hòa xã hội")
    assert prepare(unicode_to_vni(SAMPLE)) == unicodedata.normalize("NFC", SAMPLE)


@settings(deadline=None)
@given(viet_text)
def test_tcvn3_round_trip(text: str) -> None:
    # TCVN3 cannot spell capital toned letters; the converter restores them at sentence and item starts,
    # so only the case of such letters may differ
    back = tcvn3_to_unicode(unicode_to_tcvn3(text))
    assert len(back) == len(text) and back.lower() == text.lower()


def test_tcvn3_restores_capitals_at_item_starts() -> None:
    assert tcvn3_to_unicode(unicode_to_tcvn3("4. Ủy ban nhân dân các xã. Ủy ban tỉnh")) == (
        "4. Ủy ban nhân dân các xã. Ủy ban tỉnh")


@settings(deadline=None)
@given(viet_text)
def test_vni_round_trip(text: str) -> None:
    assert vni_to_unicode(unicode_to_vni(text)) == text


@settings(deadline=None)
@given(viet_text)
def test_prepare_is_nfc_and_idempotent(text: str) -> None:
    decomposed = unicodedata.normalize("NFD", text)
    once = prepare(decomposed)
    assert unicodedata.is_normalized("NFC", once)
    assert prepare(once) == once
    assert once == unicodedata.normalize("NFC", text)


@settings(deadline=None)
@given(st.text(alphabet=LOWER_VIET + " *#-_\t\u00a0\u2013\u201c\u201d", max_size=60))
def test_clean_view_offsets_point_back(line: str) -> None:
    view, _ = clean_line(line, 0)
    assert len(view.text) == len(view.offsets)
    for ch, off in zip(view.text, view.offsets, strict=True):
        src = line[off]
        # the cleaned character comes from its source, modulo dash/quote/space folding and tone placement
        assert ch == src or ch in " -\"" or unicodedata.normalize("NFD", ch)[0] == unicodedata.normalize("NFD", src)[0] \
            or ch in "oyuOYU" or src in "oyuOYU" or src in LOWER_VIET


def test_clean_line_strips_markdown_and_keeps_offsets() -> None:
    line = "### **2.5. Phòng Văn hoá và Thông tin**"
    view, hints = clean_line(line, 100)
    assert hints["md_heading"]
    assert view.text == "2.5. Phòng Văn hóa và Thông tin"  # tone placement unified, marks dropped
    start, end = view.span()
    assert (start - 100, end - 100) == (line.index("2.5."), line.rindex("n") + 1)


def test_view_of_joins_lines() -> None:
    text = "Giao Phòng Nội vụ\n\n**hoàn thành** trước ngày 07/02/2024."
    view = view_of(text)
    assert view.text == "Giao Phòng Nội vụ hoàn thành trước ngày 07/02/2024."
    a, b = view.span()
    assert text[a:b] == text
