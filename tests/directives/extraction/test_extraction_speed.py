"""The shortcuts of the speed pass give what the plain computations give (docs/extraction.md, "Speed on long
documents"): each is checked against the straightforward form it replaced, on generated text."""

from __future__ import annotations

import re
from datetime import date
from functools import reduce

from hypothesis import given, settings
from hypothesis import strategies as st

from congvu.common.text import _TONE_RE, _swap_tone, nfc, unify_tone_placement
from congvu.directives.extraction import layout
from congvu.directives.extraction.deadlines import _EFFECTIVE_RE, effective_dates
from congvu.directives.extraction.layout import LazyBlocks, build_blocks, iter_blocks
from congvu.directives.extraction.normalize import (
    _NON_LETTERS,
    View,
    _count,
    detect_encoding,
    is_upper_heading,
    tcvn3_to_unicode,
    unicode_to_tcvn3,
)
from congvu.directives.extraction.vetting import _HEADING_LINE, _NUMBERING, _headings

# made-up fragments: list markers, page numbers, Markdown, old-style tones, spaces of several kinds
PIECES = ["1. ", "2) ", "1.2. ", "a) ", "b. ", "đ) ", "- ", "+ ", "* ", "• ", "I. ", "IV) ", "PHẦN THỨ HAI ", "Phần I ",
          "**", "__", "# ", "> ", "\\*", "| a | b |", "|---|---|", "12", "= Trang 3 =", "1 Ghi chú ", "Ủy ban ",
          "PHƯỜNG AN BÌNH ", "Phòng Kinh tế ", "thực hiện ", "báo cáo. ", "xong; ", "như sau: ", ", và ", "hoá ",
          "uỷ ", "quý ", "hoàn ", "HOÁ", "  ", "\t", "\u00a0", "–", "“x”", "ƣ", "X", "V", "P", "5", "٣", " ", "..."]
LINE = st.lists(st.sampled_from(PIECES), max_size=6).map("".join)
TEXT = st.lists(LINE, min_size=1, max_size=30).map("\n".join)


def _block_key(b: layout.Block) -> tuple:
    return (b.kind, b.view.text, b.view.offsets, b.mtype, b.marker, b.line, b.heading_hint,
            [(c.text, c.offsets) for c in b.cells] if b.cells else None)


@given(st.lists(st.tuples(st.text("ab ", max_size=4), st.integers(0, 50)), max_size=6))
def test_view_join_is_adding_the_views_in_turn(parts: list[tuple[str, int]]) -> None:
    views = [View(t, list(range(o, o + len(t)))) for t, o in parts] or [View("", [])]
    joined, added = View.join(views), reduce(lambda a, b: a + b, views)
    assert (joined.text, joined.offsets) == (added.text, added.offsets)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.integers(0, 30), st.integers(0, 30))
def test_iter_blocks_gives_the_blocks_of_build_blocks(text: str, a: int, b: int) -> None:
    start, end = sorted((a, b))
    end = min(end, text.count("\n") + 1)
    built = build_blocks(text, start, end)
    assert [_block_key(x) for x in iter_blocks(text, start, end)] == [_block_key(x) for x in built]


def test_lazy_blocks_builds_only_what_is_read_and_can_be_read_again() -> None:
    text = "\n".join(f"{n}. Việc thứ {n} giao Phòng Nội vụ." for n in range(1, 40))
    taken = []

    def counted():
        for b in iter_blocks(text):
            taken.append(b)
            yield b

    lazy = LazyBlocks(counted())
    first = next(iter(lazy))
    assert first.marker == "1" and len(taken) == 1
    assert [b.marker for b in lazy][:3] == ["1", "2", "3"] and len(taken) == 39
    assert [b.marker for b in lazy] == [str(n) for n in range(1, 40)]


def _marker_reference(text: str) -> tuple[str | None, int, str]:
    """Every marker pattern in turn, as _marker did before it dispatched on the first character."""
    for mtype, rx in (("part", layout._PART), ("roman", layout._ROMAN)):
        m = rx.match(text)
        if m:
            return mtype, m.end(), m.group(0).strip()
    m = layout._DOTTED.match(text)
    if m:
        return f"n{m.group(1).count('.') + 1}", m.end(), m.group(1)
    m = layout._NUM.match(text)
    if m:
        return "n1", m.end(), m.group(1)
    m = layout._ALPHA.match(text)
    if m:
        return "alpha", m.end(), (m.group(1) or m.group(2))
    for mtype, rx in (("dash", layout._DASH), ("plus", layout._PLUS), ("star", layout._STAR)):
        m = rx.match(text)
        if m:
            return mtype, m.end(), text[: m.end()].strip()
    return None, 0, ""


@given(LINE)
def test_marker_dispatch_finds_what_every_pattern_finds(line: str) -> None:
    assert layout._marker(line) == _marker_reference(line)


def test_marker_dispatch_on_every_first_character() -> None:
    for code in [*range(0x250), *range(0x1E00, 0x1F00), 0x2022, 0x25CF, 0x0663, 0xFF11]:
        for rest in ("", ") Giao", ". Sở", "1. Việc", "HẦN THỨ HAI", "hần I", ".2) X", "I. Nội"):
            assert layout._marker(chr(code) + rest) == _marker_reference(chr(code) + rest)


@given(LINE)
def test_is_upper_heading_counts_letters(line: str) -> None:
    letters = [c for c in line if c.isalpha()]
    assert is_upper_heading(line) == (len(letters) >= 4 and all(c.isupper() for c in letters))


@given(st.text(st.sampled_from("oOuUqQaAeEyYhn ̣áàảãạéèẻẽẹýỳỷỹỵÁÀÝỲỶôƯ"), max_size=10))
def test_tone_placement_shortcut_changes_nothing(text: str) -> None:
    assert unify_tone_placement(text) == _TONE_RE.sub(_swap_tone, nfc(text))


def test_tone_placement_still_unifies() -> None:
    assert unify_tone_placement("Phòng Văn hoá, Ủy ban, uỷ quyền, HOÁ, hoàn thành, quý") == (
        "Phòng Văn hóa, Ủy ban, ủy quyền, HÓA, hoàn thành, quý")


@given(st.text(st.sampled_from("aĂđ_5 ̣.\u00a0\u1ea1\u01b0Xß٣"), max_size=30))
def test_counting_letters_by_deleting_the_rest(text: str) -> None:
    assert _count(_NON_LETTERS, text) == len(re.findall(r"[^\W\d_]", text))


def test_encoding_decided_early_for_vietnamese_and_still_found_for_legacy_text() -> None:
    plain = "Ủy ban nhân dân tỉnh giao Sở Nội vụ tổng hợp, báo cáo kết quả trước ngày 15/12/2030. " * 300
    assert detect_encoding(plain) == "unicode"
    assert detect_encoding(unicode_to_tcvn3(plain)) == "tcvn3"
    assert tcvn3_to_unicode(unicode_to_tcvn3("giao Sở Nội vụ")) == "giao Sở Nội vụ"
    assert detect_encoding("") == detect_encoding("12345 ...") == "unicode"
    # few Vietnamese-only letters (under 2% of the characters) among many plain ones: decided by the letters
    assert detect_encoding("a" * 980 + "ă" * 19) == "unicode"


@given(st.lists(st.sampled_from(["", " ", "\t", "  II. MỤC TIÊU", "1. Giao việc", "a) xong.", "NƠI NHẬN \t",
                                 "\u00a0X", "văn bản;", "\r", "IV/ Tổ chức"]), max_size=12).map("\n".join))
def test_headings_line_by_line_match_the_pattern(text: str) -> None:
    expected = []
    for m in _HEADING_LINE.finditer(text):
        line = m.group("line")
        upper = line.isupper() and len(line) >= 4
        if len(line) <= 160 and (upper or (len(line) <= 60 and not line.endswith((".", ";"))
                                           and _NUMBERING.match(line))):
            expected.append((m.start(), line))
    assert _headings(text) == expected


def test_effective_dates_with_and_without_the_phrase() -> None:
    text = "Thực hiện Nghị định số 12/2030/NĐ-CP của Chính phủ, có hiệu lực thi hành từ ngày 05/7/2030."
    assert effective_dates(text) == [("12/2030/NĐ-CP", date(2030, 7, 5))]
    assert _EFFECTIVE_RE.search(text.replace("có hiệu lực", "áp dụng")) is None
    assert effective_dates(text.replace("có hiệu lực", "áp dụng")) == []

