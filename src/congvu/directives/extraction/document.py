"""The parts of an administrative document (Decree 30/2020 layout): type, number, issuer, place and
date, title (trích yếu), meeting date, signer, recipients, and where the content starts and ends."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import islice

from .deadlines import find_dates
from .layout import Block
from .normalize import View, clean_lines, fold, is_upper_heading

# Type names (Điều 7) and their abbreviations (Phụ lục III).
DOC_TYPES = {
    "THÔNG BÁO": "TB", "BÁO CÁO": "BC", "KẾ HOẠCH": "KH", "QUYẾT ĐỊNH": "QĐ", "CHỈ THỊ": "CT",
    "TỜ TRÌNH": "TTr", "NGHỊ QUYẾT": "NQ", "CÔNG ĐIỆN": "CĐ", "HƯỚNG DẪN": "HD", "CHƯƠNG TRÌNH": "CTr",
    "GIẤY MỜI": "GM", "BIÊN BẢN": "BB", "ĐỀ ÁN": "ĐA", "PHƯƠNG ÁN": "PA", "QUY CHẾ": "QC", "QUY ĐỊNH": "QyĐ",
    "THÔNG CÁO": "TC", "KẾT LUẬN": "KL", "CÔNG VĂN": "CV",
}
_SYMBOL_TYPES = {fold(v).upper(): v for v in DOC_TYPES.values()} | {"QD": "QĐ", "QYD": "QyĐ", "CV": "CV", "KL": "KL"}
_TYPE_LINE = re.compile(r"^(" + "|".join(sorted(DOC_TYPES, key=len, reverse=True)) + r")(?:\s|$|:)")
_NUMBER = re.compile(r"Số\s*[:.]?\s*(?P<no>\d{1,6})?\s*(?P<sym>[/-]\s*[\wĐđ&]+(?:\s*[-/]\s*[\wĐđ&]+)*)?")
from .bodies import UPPER as _UPPER  # noqa: E402

_CAPWORD = rf"[{_UPPER}][^\W\d_{_UPPER}]+"
_DATE_LINE = re.compile(
    rf"(?<![\w/-])(?P<place>(?:{_CAPWORD}\s+){{0,3}}{_CAPWORD})\s*,\s*ngày\s*(?P<d>\d{{1,2}})?\s*tháng\s*(?P<m>\d{{1,2}})?\s*năm\s*(?P<y>\d{{4}})"
)
_MOTTO = re.compile(r"CỘNG\s+H(?:ÒA|OÀ)\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT\s+NAM|Độc\s+lập\s*-\s*Tự\s+do\s*-\s*Hạnh\s+phúc|ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM",
                    re.IGNORECASE)
_BODY_OPENER = re.compile(
    r"^(?:(?:Sáng|Chiều|Tối|Trưa)\s+(?:ngày|nay)|Ngày\s+\d|Căn cứ|Kính gửi|Thực hiện|Theo|Để|Thời gian|Trong|Sau khi|"
    r"Vừa qua|Năm\s+\d|Hôm nay|Nhằm|Qua|Hiện nay|Tiếp theo|Vào\s+(?:lúc|ngày)|Chiều nay|Sáng nay|Ủy ban nhân dân|UBND|"
    r"Chủ tịch|Thủ tướng)"
)
# the first words of a letter's body after "Kính gửi": a reply, a reference to the letter received
_REPLY_OPENER = re.compile(r"^(?:Trả lời|Phúc đáp|Liên quan|Xét\s+(?:đề nghị|Tờ trình|văn bản)|Tiếp nhận|Nhận được|"
                           r"Ủy ban nhân dân [\w ]{0,30}nhận được|Uỷ ban nhân dân [\w ]{0,30}nhận được)(?![\w])")
_ANNOUNCED = re.compile(
    r"^(?:Ngày|ngày)\s+(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})\s*,\s*[^.]{0,100}?"
    r"(?:ban hành|đã có|vừa có|có|ký)\s+(?:văn bản|Văn bản|[Cc]ông văn|[Cc]hỉ thị|[Tt]hông báo|[Kk]ế hoạch|[Cc]ông điện|[Qq]uyết định)"
    r"\s+(?:số\s*:?\s*)?\d")
_AUTHORITY = re.compile(r"(?<![\w])(TM|KT|TL|TUQ|Q)\s*\.\s*([A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ ]+)?")
_LEVELS = ("tỉnh", "huyện", "xã", "thị trấn", "phường", "thành phố", "thị xã", "quận")
_ABBR_KEEP = {"UBND", "HĐND", "MTTQ", "UBMTTQ", "MTTQVN", "TP", "TX", "VN", "TW", "CCHC", "KT-XH"}


@dataclass
class DocumentInfo:
    doc_type: str | None = None
    number: str | None = None
    issuer: str | None = None
    place: str | None = None
    date: date | None = None
    year: int | None = None  # the year the document speaks from, even when its day is blank
    meeting_date: date | None = None
    title: str | None = None
    signer: str | None = None
    signing_authority: str | None = None
    signer_title: str | None = None
    recipients: list[str] = field(default_factory=list)
    addressed_to: list[str] = field(default_factory=list)  # "Kính gửi"
    body_start: int = 0  # first physical line of the content
    body_end: int = 0  # first line after the content


_HEADS_CAP_NEXT = {"bộ", "sở", "phòng", "ban", "cục", "tâm", "hội", "trường", "viện", "đài", "kho", "bạc", "quỹ"}
_TITLE_FIXES = (("Chủ Tịch", "Chủ tịch"), ("chủ tịch", "Chủ tịch"), ("Văn Phòng", "Văn phòng"),
                ("Chánh văn phòng", "Chánh Văn phòng"), ("Giám Đốc", "Giám đốc"), ("giám đốc", "Giám đốc"),
                ("Chi Cục", "Chi cục"), ("Trung Tâm", "Trung tâm"), ("Thanh Tra", "Thanh tra"))


def smart_case(upper: str) -> str:
    """'UBND TỈNH QUẢNG NGÃI' → 'UBND tỉnh Quảng Ngãi'; 'SỞ NỘI VỤ' → 'Sở Nội vụ'."""
    words = re.sub(r"(?:ỦY|UỶ) BAN NHÂN DÂN", "UBND", upper).split()
    out: list[str] = []
    in_place = False  # after a level word every word is part of a place name
    cap_next = True
    i = 0
    while i < len(words):
        w = words[i]
        two = " ".join(words[i:i + 2]).lower()
        if w in _ABBR_KEEP or (len(w) > 1 and not w.isalpha() and w.upper() == w and "-" not in w[:1]):
            out.append(w)
            i += 1
            cap_next = False
            continue
        if two in _LEVELS and i + 1 < len(words):
            out.append(two)
            i += 2
            in_place = True
            continue
        if w.lower() in _LEVELS:
            out.append(w.lower())
            in_place = True
            i += 1
            continue
        low = w.lower()
        out.append(w[:1] + w[1:].lower() if (in_place or cap_next) else low)
        cap_next = (low in _HEADS_CAP_NEXT or low in {"và", "-", ","} or w.endswith(",")) and not in_place
        i += 1
    text = " ".join(out)
    for old, new in _TITLE_FIXES:
        text = text.replace(old, new)
    return text[:1].upper() + text[1:]


def parse_document(text: str, blocks: Iterable[Block], cleaned: list[tuple[View, dict[str, bool]]] | None = None
                   ) -> DocumentInfo:
    """`blocks`: the document's blocks in order (a list, or `LazyBlocks`: only the first few after the type
    line and the body's first are read). `cleaned`: the document's `clean_lines(text)`, when the caller
    already has them."""
    info = DocumentInfo()
    lines = [(idx, _untable(v.text)) for idx, (v, _) in enumerate(cleaned or clean_lines(text)) if v.text]
    lines = [(idx, ln) for idx, ln in lines if ln]
    n_lines = text.count("\n") + 1
    info.body_end = n_lines
    head = lines[:40]

    # number and symbol, place and date
    for _idx, line in head:
        if info.number is None and re.match(r"^(?:Số|SỐ)\s*[:.]?", line):
            m = _NUMBER.search(line)
            if m:
                sym = re.sub(r"\s+", "", m.group("sym") or "")
                if m.group("no"):
                    info.number = m.group("no") + sym
                info.doc_type = info.doc_type or _type_from_symbol(sym)
        # case-sensitive, it holds "ngày ... tháng ... năm": tested first, they spare the search of most lines
        m = _DATE_LINE.search(line) if "ngày" in line and "tháng" in line and "năm" in line else None
        if m and info.year is None:
            info.place = m.group("place").strip()
            info.year = int(m.group("y"))
            if m.group("d") and m.group("m"):
                try:
                    info.date = date(info.year, int(m.group("m")), int(m.group("d")))
                except ValueError:
                    info.date = None

    if info.date is None:
        # a web copy: "Ngày 08/05/2012, UBND tỉnh ... ban hành văn bản số 2539/UBND-SNV ..." dates the document
        for _idx, line in head[:12]:
            m = _ANNOUNCED.search(line)
            if m:
                try:
                    info.date = date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
                    info.year = info.year or info.date.year
                except ValueError:
                    pass
                break

    # type name line, title
    type_line = None
    for idx, line in head:
        m = _TYPE_LINE.match(line)
        if m and (is_upper_heading(line[: m.end()]) and len(line) < 60):
            type_line = idx
            info.doc_type = DOC_TYPES[m.group(1)] if info.doc_type in (None, "CV") else info.doc_type
            break
        if re.match(r"^V/v\b", line):
            info.doc_type = info.doc_type or "CV"
            info.title = line[3:].strip(" :.")
            type_line = idx
            break
    if info.doc_type is None:
        info.doc_type = "CV" if any(re.match(r"^Kính gửi", ln) for _, ln in head) else None

    title_parts: list[str] = []
    body_start_line = 0
    if type_line is not None:
        after = list(islice((b for b in blocks if b.line > type_line), 3))  # read no further (LazyBlocks)
        body_start_line = type_line + 1
        if info.title is None:
            for b in after:
                if b.kind != "para" or _BODY_OPENER.match(b.text) or sum(map(len, title_parts)) > 300:
                    break
                if title_parts and len(b.text) > 80 and re.search(r"[.;]\s*$|\.\s+[A-ZĐÀ-Ỹ]", b.text.strip()):
                    break  # "Về việc treo cờ Tổ quốc" then "Nhân dịp ..., UBND ... đề nghị ...": the body's first paragraph
                title_parts.append(b.text)
                body_start_line = _last_line(text, b) + 1
            info.title = " ".join(title_parts) or None
        else:
            body_start_line = type_line + 1
    info.body_start = body_start_line
    if info.title:
        info.title = re.sub(r"\s+", " ", info.title).strip()

    # end of content: the last "./.", else "Nơi nhận", else the signature
    footer = None
    for idx, line in lines:
        if idx < info.body_start:
            continue
        # a recipients list whose "Nơi nhận:" label was lost (a web copy's dropped column) opens with "- Như trên;"
        if line.startswith(("Nơi nhận", "NƠI NHẬN")) or _AS_ABOVE.match(line):  # "^(?:Nơi nhận|NƠI NHẬN)\s*:?"
            footer = idx
            break
    ends = [idx for idx, line in lines if idx >= info.body_start and "./." in line and (footer is None or idx < footer)]
    if ends:
        info.body_end = ends[-1] + 1
    elif footer is not None:
        info.body_end = footer
    else:
        sig = [idx for idx, line in lines if idx > info.body_start and _AUTHORITY.match(line)]
        if sig:
            info.body_end = sig[-1]

    _parse_issuer(info, head, type_line)
    _parse_footer(info, lines, footer)
    _parse_addressees(info, lines)
    _parse_meeting(info, blocks)
    return info


def _untable(line: str) -> str:
    """A header or footer laid out as a Markdown table row ("| BỘ TÀI CHÍNH ------- | CỘNG HÒA ... |",
    "| *Nơi nhận:* ... | KT. BỘ TRƯỞNG ... |") read as its cells side by side."""
    if not line.startswith("|"):
        return line
    if set(line) <= set("|-: "):
        return ""
    cells = [c.strip(" *") for c in line.strip("| ").split("|")]
    return "   ".join(re.sub(r"\s*-{3,}\s*", " ", c).strip() for c in cells if c.strip(" *"))


def appendix_start(text: str, cleaned: list[tuple[View, dict[str, bool]]], after: int) -> int | None:
    """The first line of an appendix that lists tasks ("PHỤ LỤC / CÁC NHIỆM VỤ THỰC HIỆN KẾ HOẠCH ...",
    "PHỤ LỤC / PHÂN CÔNG NHIỆM VỤ ...") after the end of the content, or None."""
    for idx in range(after, len(cleaned)):
        line = cleaned[idx][0].text
        if not re.match(r"^(?:PHỤ LỤC|Phụ lục)(?:\s+[IVX\d]+)?\s*$|^PHỤ LỤC\b", line):
            continue
        near = " ".join(cleaned[k][0].text for k in range(idx, min(idx + 4, len(cleaned))))
        if re.search(r"NHIỆM VỤ|PHÂN CÔNG|CÔNG VIỆC|nhiệm vụ|phân công", near):
            return idx
    return None


_ATTACHED_TYPE = re.compile(r"^(?:KẾ HOẠCH|CHƯƠNG TRÌNH(?: HÀNH ĐỘNG| CÔNG TÁC)?)\s*$")
_ATTACHED_NOTE = re.compile(r"^\(?\s*(?:Ban hành\s+)?[Kk]èm theo\s+(?:Quyết định|QĐ)\b")


def attachment_span(cleaned: list[tuple[View, dict[str, bool]]], after: int) -> tuple[int, int] | None:
    """The body of a plan or programme a decision issues, laid after the decision's signature (Decree 30: "KẾ
    HOẠCH / <title> / (Kèm theo Quyết định số ... ngày ...)"): from the line after that note to its appendix
    ("PHỤ LỤC") or the end, else None. Rules (QUY CHẾ, QUY ĐỊNH) are not attachments that assign tasks."""
    n = len(cleaned)
    for idx in range(after, n):
        if not _ATTACHED_TYPE.match(cleaned[idx][0].text.strip(" *")):
            continue
        for k in range(idx + 1, min(idx + 6, n)):
            if _ATTACHED_NOTE.match(cleaned[k][0].text.strip(" *")):
                end = next((j for j in range(k + 1, n) if re.match(r"^(?:PHỤ LỤC|Phụ lục)\b", cleaned[j][0].text)), n)
                return (k + 1, end) if end > k + 1 else None
        return None
    return None


def _last_line(text: str, block: Block) -> int:
    _, end = block.view.span()
    return text.count("\n", 0, max(end - 1, 0))


def _type_from_symbol(sym: str) -> str | None:
    # "/TB-UBND" (State) or "-TB/TU" (Party); Công văn: "/UBND-VP" has no type part
    parts = [p for p in re.split(r"[/-]", sym) if p]
    if not parts:
        return None
    for p in parts[:2]:
        key = fold(p).upper()
        if key in _SYMBOL_TYPES:
            return _SYMBOL_TYPES[key]
    return "CV" if sym.startswith("/") else None


def _parse_issuer(info: DocumentInfo, head: list[tuple[int, str]], type_line: int | None) -> None:
    frags: list[str] = []
    for idx, line in head:
        if type_line is not None and idx >= type_line:
            break
        if re.match(r"^(?:Số|SỐ)\s*[:.]", line) or re.match(r"^V/v", line):
            break
        for part in _MOTTO.split(line):
            part = _DATE_LINE.sub("", part).strip(" -*_")
            if part and is_upper_heading(part) and not _TYPE_LINE.match(part):
                frags.append(part)
    if frags:
        if len(frags) >= 2 and re.fullmatch(r"(?:ỦY|UỶ) BAN NHÂN DÂN|HỘI ĐỒNG NHÂN DÂN", frags[0]):
            frags = [frags[0] + " " + frags[1], *frags[2:]]
        if len(frags) >= 2:
            parent, unit = smart_case(frags[0]), smart_case(frags[-1])
            info.issuer = f"{unit} {parent}" if re.fullmatch(r"Văn phòng", unit) else unit
        else:
            info.issuer = smart_case(frags[0])
        return
    # no header: "Chủ tịch UBND huyện" in the title or text, and the district's name
    source = " ".join(filter(None, [info.title] + [ln for _, ln in head]))
    m = re.search(r"(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+(tỉnh|huyện|xã|thị trấn|phường|thành phố|thị xã|quận)",
                  source)
    if not m:
        return
    level = m.group(1)
    name = info.place
    if not name:
        body = " ".join(ln for _, ln in head)
        # "(?<![\w])" written after the level word, so that the search skips ahead to it
        pm = re.search(rf"{level}(?<![\w]{level})\s+((?:{_CAPWORD}\s?){{1,3}})", body)
        name = pm.group(1).strip() if pm else None
    info.issuer = f"UBND {level} {name}" if name else f"UBND {level}"


_AS_ABOVE = re.compile(r"^-\s*Như trên\s*(?:[;,.]|\(|$)")
# "Kính gửi: ...", and a dispatch's "ĐIỆN: Bộ Công Thương" (Công điện name their addressees so)
_ADDRESS_LINE = re.compile(r"^(?:Kính gửi\s*:?|(?:ĐIỆN|Điện)\s*:)\s*(.*)$")


def _parse_footer(info: DocumentInfo, lines: list[tuple[int, str]], footer: int | None) -> None:
    tail = [(i, ln) for i, ln in lines if i >= (footer if footer is not None else info.body_end)]
    if not tail:
        return
    in_recipients = footer is not None
    recipients: list[str] = []
    for _i, line in tail:
        m = _AUTHORITY.search(line)
        if m and info.signing_authority is None:
            info.signing_authority = m.group(1)
        if re.match(r"^(?:Nơi nhận|NƠI NHẬN)", line):
            continue
        if not in_recipients:
            continue
        if line.startswith("-"):
            recipients.append(line.lstrip("- ").rstrip(" ;.,"))
        elif recipients and not is_upper_heading(line) and not _is_person(line) and not _AUTHORITY.match(line):
            recipients[-1] += " " + line.rstrip(" ;.,")  # a recipient broken over two lines
        elif recipients:
            in_recipients = False
    info.recipients = [r for r in recipients if not re.match(r"(?:Lưu|LƯU)\s*:?", r)]
    # signer: the last line that looks like a person's name; the signer's title above it
    names = [(i, ln) for i, ln in tail if _is_person(ln)]
    if names:
        info.signer = names[-1][1].strip()
    titles = [ln for _, ln in tail if is_upper_heading(ln) and not ln.startswith("-")]
    for t in reversed(titles):
        t = _AUTHORITY.sub("", t).strip()
        t = re.sub(r"^(?:Nơi nhận|NƠI NHẬN)\s*:?\s*", "", t).strip()
        if t and not _is_person(t):
            info.signer_title = smart_case(t)
            break


def _is_person(line: str) -> bool:
    words = line.split()
    return (2 <= len(words) <= 5 and all(w[:1].isupper() and w[1:].islower() for w in words)
            and not re.search(r"\d|:|;", line) and not any(w in {"Lưu", "Như", "Các"} for w in words))


def _parse_addressees(info: DocumentInfo, lines: list[tuple[int, str]]) -> None:
    for pos, (idx, line) in enumerate(lines[:60]):
        m = _ADDRESS_LINE.match(line)
        if not m:
            continue
        first = m.group(1).strip()
        found = [first.strip(" ;.-")] if first.strip(" ;.-") else []
        open_entry = bool(first) and not first.rstrip().endswith((";", "."))
        last_idx = idx
        for idx2, nxt in lines[pos + 1: pos + 15]:
            if idx2 >= info.body_end:
                break
            if nxt.startswith("-"):
                found.append(nxt.lstrip("- ").rstrip(" ;.,"))
            elif _BODY_OPENER.match(nxt) or _REPLY_OPENER.match(nxt):
                break  # "Kính gửi: Sở Công Thương" then "Trả lời Văn bản số ...": the body begins
            elif found and open_entry and len(nxt) < 70 and not re.search(r"[.:]$", nxt.rstrip()):
                found[-1] += " " + nxt.rstrip(" ;.,")  # a recipient broken over two lines
            else:
                break
            last_idx = idx2
            open_entry = not nxt.rstrip().endswith((";", "."))
        info.addressed_to = [f.rstrip(" ,;.") for f in found if f]
        if info.body_start <= idx:
            info.body_start = last_idx + 1
        break
    info.recipients = [a for a in info.addressed_to if a not in info.recipients] + info.recipients


def _parse_meeting(info: DocumentInfo, blocks: Iterable[Block]) -> None:
    """Conclusion notices: the date of the meeting, told in the first lines of the content."""
    if info.doc_type not in ("TB", "KL") and not (info.title and re.search(r"kết luận", info.title, re.IGNORECASE)):
        return
    if not (info.title and re.search(r"kết luận|ý kiến chỉ đạo|hội nghị|cuộc họp|phiên họp|buổi làm việc",
                                     info.title, re.IGNORECASE)):
        return
    for b in blocks:
        if b.line < info.body_start:
            continue
        m = re.search(r"(?:^|[\s,;(])(?:(?:Sáng|Chiều|Tối|Trưa|sáng|chiều|tối|trưa)\s+)?(?:ngày|Ngày)\s+", b.text)
        if m:
            dates = find_dates(b.text[m.start():m.start() + 60], info.year)
            if dates:
                info.meeting_date = dates[0][0]
        break
