"""Physical lines → logical blocks (paragraphs, list items, table rows) with an outline tree.

Text from PDFs arrives with every line broken (and often a blank line between lines); Markdown and
DOCX text has one paragraph per line. Lines are rejoined with the rules of libraries.md §1: a new
block starts at a list marker, after a line ending in . : ; or at an upper-case heading; otherwise a
line continues the block. In wrapped (PDF-like) text a short line also ends its paragraph.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterator
from dataclasses import dataclass, field

from .normalize import View, clean_lines, is_upper_heading

# Marker kinds, outermost first when a document uses them in the usual order.
_PART = re.compile(r"^(?:PHẦN|Phần)\s+(?:THỨ|thứ|Thứ)?\s*[\wÀ-ỹ]+\b[.:]?\s*")
_ROMAN = re.compile(r"^([IVX]{1,5})\s*[.):]\s*(?=\S|$)")
_DOTTED = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})\.?\)?(?:\s+|(?=[A-ZĐÀ-Ỹ]))")
_NUM = re.compile(r"^(\d{1,2})\s*[.)](?:\s+|(?=[A-ZĐÀ-Ỹ\"]))")
_ALPHA = re.compile(r"^([a-zđ])\s*\)\s*|^([a-zđ])\.\s+(?=[A-ZĐÀ-Ỹ])")
# "(1) Chủ động ...", "(2) Khẩn trương ...": numbers in brackets, the items of a dispatch or of a ministry letter
_PNUM = re.compile(r"^\((\d{1,2})\)\s*(?=[A-ZĐÀ-Ỹ])")
_DASH = re.compile(r"^-+\s*(?=\S)")
_PLUS = re.compile(r"^\+\s*(?=\S)")
_STAR = re.compile(r"^[*•·▪●◦]\s*(?=\S)")
# "Ngày đăng 03/05/2019 | 10:23 | Lượt xem: 740", "Ngày cập nhật 15/08/2022": the date line of a web page,
# under the page's title
POSTED_LINE = re.compile(
    r"^(?:Ngày đăng|Ngày cập nhật|Cập nhật(?: lúc| ngày)?|Đăng ngày|Ngày xuất bản|Ngày đưa tin)\s*:?\s*\d{1,2}[/.-]\d{1,2}[/.-]\d{4}",
    re.IGNORECASE)
# "1 Hồ sơ, mẫu văn bản đăng ký ...": a footnote (its number, a space, its text) above a page number
_FOOTNOTE = re.compile(r"^\d{1,2}\s+[A-ZĐÀ-Ỹa-zà-ỹđ]")
_NUMBERED = ("n1", "n2", "n3", "n4", "roman", "alpha", "pnum")
# A news lead: "(Dân trí) - ...", "(Chinhphu.vn) – ...": the agency's tag in brackets, then a dash
NEWS_LEAD = re.compile(r"^\([A-ZĐ\u00c0-\u1ef9][^()]{1,30}\)\s*[-–—]\s+")
_HEADLINE_COUNTER = re.compile(r"\s[-–]\s*\d{1,2}\s*$")
_TERMINAL = re.compile(r"(?:[.:;!?]|\./\.|\.\.\.|…)[\s\"')\]]*$")


@dataclass
class Block:
    kind: str  # "item", "para" or "row"
    view: View  # the content after the list marker, cleaned, on one line
    mtype: str | None = None  # part, roman, n1..n4, alpha, dash, plus, star
    marker: str = ""
    line: int = 0  # index of its first physical line
    heading_hint: bool = False  # Markdown heading or a line in bold as a whole
    cells: list[View] | None = None  # table rows only
    parent: int | None = None  # index of the enclosing item block
    depth: int = 0
    children: list[int] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.view.text

    @property
    def upper(self) -> bool:
        return is_upper_heading(self.view.text)


# Each marker pattern above can only start with one of these characters (or a decimal digit: _DOTTED, _NUM);
# a line starting otherwise has no marker, and a line starting in lower case can only be an _ALPHA item.
# Most lines of a long document are one or the other, so _marker skips the eight patterns for them.
_MARKER_FIRST = frozenset("PIVX-+*•·▪●◦(")
_LOWER_MARKER_FIRST = frozenset("abcdefghijklmnopqrstuvwxyzđ")
_PAGE_NUMBER = re.compile(r"\d{1,3}|=+\s*Trang \d+\s*=+")


def _marker(text: str) -> tuple[str | None, int, str]:
    first = text[:1]
    if first in _LOWER_MARKER_FIRST:
        m = _ALPHA.match(text)
        return ("alpha", m.end(), (m.group(1) or m.group(2))) if m else (None, 0, "")
    if not first or (first not in _MARKER_FIRST and not first.isdecimal()):
        return None, 0, ""
    for mtype, rx in (("part", _PART), ("roman", _ROMAN)):
        m = rx.match(text)
        if m:
            return mtype, m.end(), m.group(0).strip()
    m = _DOTTED.match(text)
    if m:
        return f"n{m.group(1).count('.') + 1}", m.end(), m.group(1)
    m = _NUM.match(text)
    if m:
        return "n1", m.end(), m.group(1)
    m = _ALPHA.match(text)
    if m:
        return "alpha", m.end(), (m.group(1) or m.group(2))
    m = _PNUM.match(text)
    if m:
        return "pnum", m.end(), m.group(1)
    for mtype, rx in (("dash", _DASH), ("plus", _PLUS), ("star", _STAR)):
        m = rx.match(text)
        if m:
            return mtype, m.end(), text[: m.end()].strip()
    return None, 0, ""


def _is_wrapped(views: list[View]) -> tuple[bool, int]:
    """PDF-like text: many lines, none much longer than a printed line."""
    lengths = [len(v.text) for v in views if v.text]
    if len(lengths) < 15:
        return False, 0
    long_share = sum(1 for n in lengths if n > 120) / len(lengths)
    p90 = sorted(lengths)[int(0.9 * (len(lengths) - 1))]
    return long_share < 0.05 and statistics.median(lengths) > 35, p90


def split_cells(view: View) -> list[View]:
    text = view.text
    cells: list[View] = []
    bars = [i for i, c in enumerate(text) if c == "|"]
    if not bars:
        return [view]
    if bars[0] != 0:
        bars.insert(0, -1)
    if bars[-1] != len(text) - 1:
        bars.append(len(text))
    for a, b in zip(bars, bars[1:], strict=False):
        cells.append(view.sub(a + 1, b).strip())
    return cells


# the date a stored web page carries before its text ("date 2017-03 Theo đó, ...")
_PAGE_DATE = re.compile(r"\s*date\s+\d{4}-\d{2}(?:-\d{2})?\s+(?=\S)")


def build_blocks(text: str, start_line: int = 0, end_line: int | None = None,
                 cleaned: list[tuple[View, dict[str, bool]]] | None = None) -> list[Block]:
    """Blocks of the lines [start_line, end_line) of `text`, with the outline tree filled in.

    `cleaned`: the document's `clean_lines(text)`, when the caller already has them.
    """
    blocks = list(iter_blocks(text, start_line, end_line, cleaned))
    _build_tree(blocks)
    return blocks


class LazyBlocks:
    """The blocks of `iter_blocks`, built only as far as they are read (and kept, so they can be read
    again). The header pass reads a few blocks after the type line; building all of them cost a long
    document a whole layout pass. No outline tree: parent/children are left empty."""

    def __init__(self, blocks: Iterator[Block]) -> None:
        self._source = blocks
        self._built: list[Block] = []

    def __iter__(self) -> Iterator[Block]:
        i = 0
        while True:
            if i == len(self._built):
                block = next(self._source, None)
                if block is None:
                    return
                self._built.append(block)
            yield self._built[i]
            i += 1


def iter_blocks(text: str, start_line: int = 0, end_line: int | None = None,
                cleaned: list[tuple[View, dict[str, bool]]] | None = None) -> Iterator[Block]:
    """The blocks of `build_blocks` in order, each given once it is complete, without the outline tree.
    (Whether the text is wrapped is decided over the whole range first, as it shapes every block.)"""
    raw = text.split("\n")  # the physical lines, as lines_with_pos and clean_lines split them
    end_line = len(raw) if end_line is None else end_line
    if cleaned is None:
        cleaned = clean_lines(text)
    wrapped, p90 = _is_wrapped([v for v, _ in cleaned[start_line:end_line]])
    short_limit = int(p90 * 0.8) if wrapped else 0

    cur: Block | None = None
    parts: list[View] = []  # the lines of `cur` so far, joined into cur.view once it is complete
    prev_text = ""  # the previous non-empty line
    blank_before = False
    open_bold = False
    idx_prev = -1  # the previous non-empty line's index
    page_break = False  # a page number was just passed: a "- " at the top of the next page opens a bullet
    for idx in range(start_line, end_line):
        view, hints = cleaned[idx]
        stamp = _PAGE_DATE.match(view.text)
        if stamp:
            view = view.sub(stamp.end())  # " date 2017-03 Theo đó, ...": a stored page's date before its first line
        line_text = view.text
        if not line_text:
            blank_before = True
            continue
        raw_line = raw[idx].strip()
        if _PAGE_NUMBER.fullmatch(line_text):
            page_break = True
            if cur is not None and cur.kind == "para":
                cur.view = View.join(parts)  # the paragraph so far, for the footnote test
                parts = [cur.view]
                if _FOOTNOTE.match(cur.text):
                    cur.kind = "note"  # "1 Hồ sơ, mẫu văn bản ... được quy định tại ...": a footnote at the page's foot
            continue  # a page number of a PDF text layer
        if hints["table"]:
            if set(line_text) <= set("|-: "):
                continue  # Markdown separator row
            if _finish(cur, parts):
                yield cur
            cur = Block("row", view, line=idx, cells=split_cells(view))
            parts = [view]
            prev_text, blank_before, open_bold = line_text, False, False
            continue
        mtype, mend, marker = _marker(line_text)
        whole_bold = raw_line.startswith(("**", "__")) and raw_line.rstrip(":").endswith(("**", "__"))
        heading_hint = hints["md_heading"] or whole_bold
        news_lead = bool(NEWS_LEAD.match(line_text))
        if (news_lead or POSTED_LINE.match(line_text)) and cur is not None and cur.kind == "para" \
                and len(parts) == 1 and cur.line == idx_prev and _HEADLINE_COUNTER.search(prev_text):
            # a page's headline right above its lead or its date line, with the page's counter ("... 10/3 - 1"):
            # it repeats the lead, it is not a task (a headline without it is its own paragraph, not the lead's start)
            cur.kind = "note"
        new_block = (cur is None or cur.kind == "row" or heading_hint or (cur.heading_hint and not open_bold)
                     or bool(POSTED_LINE.match(line_text)) or news_lead)
        if not new_block:
            if mtype is not None:
                # In wrapped text a "- " at the start of a line is often a broken sentence.
                new_block = not (mtype == "dash" and wrapped and not _TERMINAL.search(prev_text)
                                 and len(prev_text) >= short_limit and not page_break
                                 and not (cur is not None and cur.kind == "item" and cur.line == idx_prev
                                          and cur.mtype in _NUMBERED))
            elif line_text[0].islower() or line_text[0] in ",;)-" or (
                line_text[0].isdigit() and not _TERMINAL.search(prev_text)
            ):
                new_block = False  # a sentence goes on
            elif _TERMINAL.search(prev_text):
                new_block = True
            elif is_upper_heading(line_text) != is_upper_heading(prev_text):
                new_block = True
            elif wrapped:
                new_block = len(prev_text) < short_limit and not is_upper_heading(line_text)
            else:
                new_block = blank_before
        if new_block:
            content = view.sub(mend).strip() if mtype else view
            if _finish(cur, parts):
                yield cur
            cur = Block("item" if mtype else "para", content, mtype, marker, idx, heading_hint)
            parts = [content]
        else:
            assert cur is not None
            parts.append(view)
        if raw_line.count("**") % 2 == 1:
            open_bold = not open_bold
        prev_text, blank_before, page_break, idx_prev = line_text, False, False, idx
    if _finish(cur, parts):
        yield cur


def _finish(block: Block | None, parts: list[View]) -> Block | None:
    """The block, its lines joined (None when there is no block yet)."""
    if block is not None and len(parts) > 1:
        block.view = View.join(parts)
    return block


def _build_tree(blocks: list[Block]) -> None:
    """Parent links from the order in which marker kinds appear (first seen = outermost)."""
    stack: list[tuple[str, int]] = []  # (mtype, block index)
    rank = {"part": 0, "roman": 1}
    for i, b in enumerate(blocks):
        if b.kind != "item" or b.mtype is None:
            b.parent = stack[-1][1] if stack else None
            b.depth = len(stack)
            continue
        types = [t for t, _ in stack]
        if b.mtype in types:
            del stack[types.index(b.mtype):]
        elif b.mtype in rank:
            # a section marker closes every deeper list even if it never appeared before
            while stack and rank.get(stack[-1][0], 9) >= rank[b.mtype]:
                stack.pop()
        b.parent = stack[-1][1] if stack else None
        b.depth = len(stack)
        if b.parent is not None:
            blocks[b.parent].children.append(i)
        stack.append((b.mtype, i))
