"""Deadlines and periodic reporting duties.

A date becomes a deadline only after a cue ("trước ngày", "chậm nhất", "hoàn thành trong", ...):
"Quyết định số 01/2024/QĐ-UBND ngày 03/01/2024" is a reference, not a deadline. Periods resolve to
their last day (month, quarter, half year, year); vague phrases ("trước Tết", "đầu năm") keep their
text but give no date. A missing year is the document's own year (rolled to the next year when the
date would fall well before the document).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from .normalize import fold

_ROMAN_Q = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}

_CLOCK = r"(?:\d{1,2}\s*(?:giờ|h)(?:\s*\d{1,2}(?:\s*phút)?)?\s*,?\s*(?:(?:sáng|chiều)\s*,?\s*)?)?"
# Time expressions, each a named alternative; the words-date comes before the month pattern.
# legal texts spell a number out after it: "ngày 06 (sáu) tháng 06 (sáu)", "ngày 15 (mười lăm) của tháng báo cáo"
_SPELLED = r"(?:\s*\((?:[^\W\d_]+\s*){1,4}\))?"
_TIME = (
    r"(?:" + _CLOCK + r"(?:ngày\s+)?(?P<wd>\d{1,2})" + _SPELLED + r"\s+tháng\s+(?P<wm>\d{1,2})" + _SPELLED
    + r"(?:\s*,?\s*năm\s+(?P<wy>\d{4}))?"
    r"|" + _CLOCK + r"(?:ngày\s+)?(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})(?:\s*[/.-]\s*(?P<y>\d{4}))?(?![\d/]|\.\d|-[A-ZĐ])"
    r"|(?:(?P<half>6|sáu)|(?P<nine>9|chín))\s+tháng(?:\s+(?P<hpart>đầu|cuối))?\s+năm(?:\s+(?P<hy>\d{4}))?"
    r"|tháng\s+(?P<mm>\d{1,2})(?:\s*(?:/|-|\.|năm)\s*(?P<my>\d{4}))?(?![\d/])"
    r"|quý\s+(?P<q>IV|I{1,3}|[1-4])\b(?:\s*(?:/|-|năm)\s*(?P<qy>\d{4}))?"
    r"|năm\s+(?P<yy>\d{4})"
    r")"
)
_STRONG = (
    r"(?:trước|chậm\s+nhất(?:\s+là)?|không\s+quá|không\s+chậm\s+hơn|hạn\s+chót|hạn\s+cuối|đến\s+hết"
    r"|xong|hoàn\s+thành|hoàn\s+tất|thời\s+gian\s+(?:hoàn\s+thành|thực\s+hiện|gửi|nộp|báo\s+cáo)"
    r"|thời\s+hạn(?:\s+(?:hoàn\s+thành|gửi|nộp|thực\s+hiện))?|tiến\s+độ(?:\s+hoàn\s+thành)?)"
)
_CUE_RE = re.compile(
    r"(?P<cue>(?:" + _STRONG + r"\s*[:,]?\s*){1,3}(?:(?:là|vào|trong|trước)\s+){0,2}"
    r"|trình\s+(?:[^,.;]{0,40}?\s)?(?:phiên\s+họp|kỳ\s+họp)(?:\s+(?:Chính\s+phủ|thường\s+kỳ|HĐND[^,.;]{0,20}))*\s+"
    r"|(?<!chậm\s)(?:hoàn\s+thành|hoàn\s+tất)\s+(?:(?!được|giao|đã)[^\W\d]+\s+){1,6}?(?:trong|vào|trước)\s+"  # "hoàn thành phê duyệt phương án trong năm 2026"
    # "triển khai ngay “Chiến dịch ...” vào ngày 01/12/2025": done at once, on that day
    r"|(?<![\w])ngay\s+(?:[^.;:]{0,80}?\s)?vào\s+(?=ngày\s+\d)"
    r"|(?P<weak>trong|đến(?:\s+hết)?)\s+)"
    + _TIME,
    re.IGNORECASE,
)
_TIME_RE = re.compile(_TIME, re.IGNORECASE)
_RELATIVE_RE = re.compile(
    r"(?:trong\s+(?:vòng|thời\s+hạn|thời\s+gian)\s+|chậm\s+nhất\s+(?:là\s+)?(?:sau\s+)?|sau\s+|không\s+quá\s+)"
    r"(?P<n>\d{1,3})\s+(?P<unit>ngày|tháng|năm)(?P<work>\s+làm\s+việc)?(?:\s*,?\s*(?:kể\s+)?từ\s+(?:ngày\s+)?(?P<rel>[^,.;]{0,40}))?",
    re.IGNORECASE,
)
# what every _RELATIVE_RE match holds ("15 ngày"); opening with a digit, it skips ahead where _RELATIVE_RE (an
# IGNORECASE alternation) is tried at every position
_RELATIVE_HINT = re.compile(r"\d\s+(?:ngày|tháng|năm)", re.IGNORECASE)
_VAGUE_RE = re.compile(
    r"ngay\s+từ\s+(?:những\s+)?(?:ngày|tháng)\s+đầu\s+năm(?:\s+\d{4})?"
    r"|ngay\s+từ\s+đầu\s+năm(?:\s+\d{4})?"
    r"|(?:trong\s+dịp\s+|trước\s+|sau\s+)Tết(?:\s+Nguyên\s+đán)?(?:\s+[A-ZĐ]\w*\s+[A-ZĐ]\w*)?(?:\s+(?:năm\s+)?\d{4})?"
    r"|(?<!tháng )đầu\s+(?:Xuân|xuân|năm)(?:\s+(?:năm\s+)?\d{4})?"
    r"|trong\s+thời\s+gian\s+sớm\s+nhất|ngay\s+sau\s+khi\s+[^,.;]{3,40}",
)


@dataclass
class Deadline:
    date: date | None
    text: str  # the phrase as written in the (cleaned) text
    start: int  # position of the phrase in the text that was searched
    end: int
    kind: str  # date, month, quarter, half, year, relative, vague
    strong: bool = True
    recurrence: dict[str, int | str] | None = None  # {"freq": "yearly", "month": 12, "day": 25}
    basis: str | None = None  # relative deadlines: "calendar_days" or "working_days"


#: Adds n working days to a date (the workdays calendar's `add_working_days`); None: not available.
WorkdayAdder = Callable[[date, int], date]

_YEARLY_AFTER = re.compile(r"\s*(?:năm\s+)?(?:của\s+)?(?:hằng|hàng|mỗi)\s+năm(?:\s*,?\s*(?:kể\s+)?từ\s+năm\s+(?P<from>\d{4}))?",
                           re.IGNORECASE)
_MONTHLY_RE = re.compile(
    r"(?:(?:trước|chậm\s+nhất(?:\s+là)?|vào|đến)\s+)?ngày\s+(?P<day>\d{1,2})" + _SPELLED
    + r"\s+(?:(?:của\s+)?(?:hằng|hàng|mỗi)\s+tháng"
    r"|tháng\s+(?:cuối\s+(?:cùng\s+)?)?(?:của\s+)?(?:hằng|hàng|mỗi)\s+quý"
    r"|(?:của\s+)?tháng\s+(?:của\s+)?cuối\s+(?:cùng\s+)?(?:của\s+)?quý"  # "ngày 20 tháng của cuối quý" too
    r"|của\s+tháng(?!\s+cuối)(?![\w\s]*\d))",
    re.IGNORECASE)

# "định kỳ hằng tháng báo cáo UBND tỉnh trước ngày 25": the period first, the day of the month after it
_MONTHLY_BEFORE_RE = re.compile(
    r"(?:hằng|hàng|mỗi)\s+tháng(?![\w])[^.;]{0,120}?(?:trước|chậm\s+nhất(?:\s+là)?|vào)\s+ngày\s+(?P<day>\d{1,2})(?![\d/\w])(?!\.\d)"
    r"(?!\s+tháng)",
    re.IGNORECASE)


def next_yearly(month: int, day: int, after: date | None, from_year: int | None = None) -> date | None:
    """The first (month, day) strictly after `after` (and not before `from_year`)."""
    if after is None and from_year is None:
        return None
    year = from_year if after is None else after.year
    for y in range(year, year + 3):
        try:
            d = date(y, month, min(day, calendar.monthrange(y, month)[1]))
        except ValueError:
            return None
        if (after is None or d > after) and (from_year is None or y >= from_year):
            return d
    return None


def next_monthly(day: int, after: date | None, every: int = 1) -> date | None:
    """The next day-of-month `day` after `after` (every 3 months: the last month of a quarter)."""
    if after is None or not 1 <= day <= 31:
        return None
    y, m = after.year, after.month
    for _ in range(15):
        if every == 1 or m % every == 0:
            d = date(y, m, min(day, calendar.monthrange(y, m)[1]))
            if d > after:
                return d
        m += 1
        if m > 12:
            y, m = y + 1, 1
    return None


def add_months(d: date, n: int) -> date:
    """The same day n months later (the month's last day when it is shorter)."""
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def quarter_end(year: int, quarter: int) -> date:
    return month_end(year, quarter * 3)


def _roll(d: date, ref: date | None, year_given: bool) -> date:
    """A date written without its year that falls well before the document is next year's."""
    if not year_given and ref is not None and d < ref - timedelta(days=60):
        try:
            return d.replace(year=d.year + 1)
        except ValueError:
            return d + timedelta(days=365)
    return d


def resolve_time(m: re.Match[str], ref_year: int | None, ref_date: date | None = None,
                 before: bool = False) -> tuple[date | None, str]:
    """The date a matched time expression stands for (`before`: the day before the period starts)."""
    g = m.groupdict()
    try:
        if g.get("wd") or g.get("d"):
            day = int(g.get("wd") or g["d"])
            month = int(g.get("wm") or g["m"])
            y = g.get("wy") or g.get("y")
            if not y and ref_year is None:
                return None, "date"
            d = date(int(y or ref_year), month, day)  # type: ignore[arg-type]
            return _roll(d, ref_date, bool(y)), "date"
        if g.get("half") or g.get("nine"):
            y = int(g["hy"]) if g.get("hy") else ref_year
            if y is None:
                return None, "half"
            if g.get("nine"):
                return date(y, 9, 30), "half"
            if g.get("hpart") and g["hpart"].lower() == "cuối":
                return date(y, 12, 31), "half"
            return (date(y, 1, 1) - timedelta(days=1) if before else date(y, 6, 30)), "half"
        if g.get("mm"):
            month = int(g["mm"])
            y = int(g["my"]) if g.get("my") else ref_year
            if y is None:
                return None, "month"
            if before:
                return date(y, month, 1) - timedelta(days=1), "month"
            return _roll(month_end(y, month), ref_date, bool(g.get("my"))), "month"
        if g.get("q"):
            q = _ROMAN_Q[g["q"].lower()]
            y = int(g["qy"]) if g.get("qy") else ref_year
            if y is None:
                return None, "quarter"
            if before:
                return date(y, 3 * q - 2, 1) - timedelta(days=1), "quarter"
            return quarter_end(y, q), "quarter"
        if g.get("yy"):
            y = int(g["yy"])
            return (date(y - 1, 12, 31) if before else date(y, 12, 31)), "year"
    except ValueError:
        return None, "date"
    return None, "date"


def find_deadline(text: str, ref_year: int | None = None, ref_date: date | None = None,
                  cell: bool = False, workdays: WorkdayAdder | None = None,
                  anchors: list[tuple[str, date]] | None = None) -> Deadline | None:
    """The deadline a task's text sets, or None. `cell`: the text is only a time (a table cell).

    Recurring deadlines ("trước ngày 25/12 hằng năm", "trước ngày 5 hằng tháng") give the next occurrence
    after the document date and a `recurrence`; relative ones ("trong thời hạn 15 ngày làm việc kể từ ngày
    ký") count from the document date, working days through `workdays` when given.
    """
    dl = _find_deadline(text, ref_year, ref_date, cell, workdays, anchors)
    if dl is None or dl.kind in ("relative", "vague"):
        # both patterns hold "tháng" (a substring test of the lower-cased text spares the two case-insensitive scans)
        monthly = (_MONTHLY_RE.search(text) or _MONTHLY_BEFORE_RE.search(text)) if "tháng" in text.lower() else None
        if monthly and (dl is None or dl.kind == "vague"):
            every = 3 if re.search(r"quý", monthly.group(0), re.IGNORECASE) else 1
            day = int(monthly.group("day"))
            rec: dict[str, int | str] = {"freq": "quarterly" if every == 3 else "monthly", "day": day}
            return Deadline(next_monthly(day, ref_date, every), monthly.group(0).strip(), monthly.start(), monthly.end(),
                            "recurring", recurrence=rec)
        return dl
    if dl.kind == "date" and not re.search(r"\d{4}", dl.text):
        after = _YEARLY_AFTER.match(text, dl.end)
        if after:
            m = _TIME_RE.search(dl.text)
            if m and (m.group("d") or m.group("wd")):
                day, month = int(m.group("wd") or m.group("d")), int(m.group("wm") or m.group("m"))
                from_year = int(after.group("from")) if after.group("from") else None
                nxt = next_yearly(month, day, ref_date, from_year) if 1 <= month <= 12 else None
                return Deadline(nxt, (dl.text + after.group(0)).strip(), dl.start, after.end(), "recurring", dl.strong,
                                recurrence={"freq": "yearly", "month": month, "day": day})
    return dl


# "gửi văn bản góp ý ...: Thời gian từ ngày 19/8/2015 đến 28/8/2015": a window for sending ends when it is due
SEND_WINDOW = re.compile(r"(?<![\w])(?:gửi|nộp)(?![\w])[^.;]*$", re.IGNORECASE)
# a month named with the cumulative period it ends ("tháng 6 và 6 tháng đầu năm", "tháng 3 và quý I")
_PERIOD_PAIR = re.compile(r"\s*(?:và|,)\s+(?:(?:6|sáu|9|chín)\s+tháng(?:\s+đầu\s+năm)?|quý\s+[IV1-4]+)(?![\w])",
                          re.IGNORECASE)


# "Đến năm 2015, hoàn thành chương trình ...", "trong quý III/2026 phải xong": the period is when it must be done
_COMPLETES = re.compile(r"\s*,?\s*(?:phải\s+|cần\s+|cơ\s+bản\s+)?(?:hoàn\s+thành|hoàn\s+tất|xong)(?![\w])", re.IGNORECASE)


_PERIOD_LIST = re.compile(r"\s*Quý\s+(?:(?:IV|I{1,3})\s*,\s*)*(?P<last>IV|I{1,3})\s*/\s*(?P<year>\d{4})"
                          r"(?:\s*,\s*(?:năm\s+)?(?P<later>\d{4}))?\s*", re.IGNORECASE)


def _find_deadline(text: str, ref_year: int | None, ref_date: date | None, cell: bool,
                   workdays: WorkdayAdder | None, anchors: list[tuple[str, date]] | None = None) -> Deadline | None:
    found: list[Deadline] = []
    for m in _CUE_RE.finditer(text):
        weak = bool(m.group("weak"))
        g = m.groupdict()
        before_cue = text[max(0, m.start() - 30):m.start()]
        if re.search(r"chốt\s+số\s+liệu\s*$", before_cue, re.IGNORECASE):
            continue  # "chốt số liệu đến ngày 31/12": a data cut-off, not a due date
        if weak and re.search(r"(?<![\w])(?:được\s+giao|đã\s+giao|đã|ban\s+hành)\s*$", before_cue, re.IGNORECASE):
            continue  # "các nhiệm vụ được giao trong tháng 3/2022": when it was given, not when it is due
        if weak and (g.get("yy") or (m.group("weak").lower().startswith("đến") and not (g.get("d") or g.get("wd")))) \
                and not _COMPLETES.match(text, m.end()):
            continue  # "trong năm 2024" is a period of activity, not a deadline ("Đến năm 2015, hoàn thành ..." is)
        if weak and m.group("weak").lower().startswith("đến") and re.search(
                r"(?<![\w])từ\s+(?:ngày\s+)?\d{1,2}(?:\s*[/.-]\s*\d{1,2}|\s+tháng\s+\d{1,2})[^.;]{0,20}$", before_cue + " ",
                re.IGNORECASE) and not SEND_WINDOW.search(text[max(0, m.start() - 120):m.start()]):
            continue  # "(từ ngày 30 tháng 4 đến ngày 03 tháng 5)": a window, not a due date
        if weak and _PERIOD_PAIR.match(text, m.end()):
            continue  # "tình hình ... trong tháng 6 và 6 tháng đầu năm 2020": the periods reported on, not a due date
        cue = m.group("cue") or ""
        before = bool(re.match(r"\s*trước\b", cue, re.IGNORECASE)) and not (g.get("d") or g.get("wd"))
        d, kind = resolve_time(m, ref_year, ref_date, before=before)
        found.append(Deadline(d, m.group(0).strip(), m.start(), m.end(), kind, strong=not weak))
    periods = _PERIOD_LIST.fullmatch(text) if cell else None
    if periods:
        # "Quý III, IV/2026", "Quý IV/2026, 2027": a table cell listing periods is due at the end of the last one
        if periods.group("later"):
            return Deadline(date(int(periods.group("later")), 12, 31), text.strip(), 0, len(text), "year")
        q = {"I": 1, "II": 2, "III": 3, "IV": 4}[periods.group("last").upper()]
        year = int(periods.group("year"))
        end = date(year, 12, 31) if q == 4 else date(year, 3 * q + 1, 1) - timedelta(days=1)
        return Deadline(end, text.strip(), 0, len(text), "quarter")
    span = re.fullmatch(r"\s*(?:(?:giai\s+đoạn|năm)\s+)?(\d{4})\s*[-–]\s*(\d{4})\s*", text, re.IGNORECASE)
    if cell and not found and span and int(span.group(1)) <= int(span.group(2)):
        # "2024 - 2025" in a completion column: due by the end of its last year
        return Deadline(date(int(span.group(2)), 12, 31), text.strip(), 0, len(text), "year")
    if cell and not found:
        m = _TIME_RE.search(text)
        if m:
            d, kind = resolve_time(m, ref_year, ref_date)
            found.append(Deadline(d, text.strip(), 0, len(text), kind))
    if found:
        strong = [f for f in found if f.strong]
        return (strong or found)[0]
    m = _RELATIVE_RE.search(text) if _RELATIVE_HINT.search(text) else None
    if m:
        d = None
        unit = m.group("unit").lower()
        months = unit in ("tháng", "năm")
        basis = "calendar_months" if months else "working_days" if m.group("work") else "calendar_days"
        rel = m.group("rel") or ""
        from_document = rel and re.match(r"(?:ngày\s+)?(?:ký|ban\s+hành|nhận được\s+(?:văn bản|công văn|thông báo))",
                                         rel, re.IGNORECASE)
        base = ref_date if from_document else None
        if base is None and anchors and re.search(r"(?:có|có\s+)?hiệu\s+lực", text[m.start():m.end() + 40], re.IGNORECASE):
            # "trong thời hạn 06 tháng, kể từ ngày Nghị định số 178/2026/NĐ-CP có hiệu lực thi hành": the
            # effective date the document states ("... có hiệu lực thi hành từ ngày 06/7/2026")
            named = [d0 for key, d0 in anchors if key and key in text[m.start():m.end() + 40]]
            act = re.match(r"(?:ngày\s+)?(?:Luật|Nghị định|Nghị quyết|Thông tư|Quyết định|Chỉ thị)(?![\w])", rel)
            base = named[0] if named else (anchors[0][1] if act and len({d0 for _, d0 in anchors}) == 1 else None)
        if base is not None and (from_document or anchors):
            n = int(m.group("n")) * (12 if unit == "năm" else 1)
            if months:
                d = add_months(base, n)  # "không quá 2 tháng kể từ ngày ban hành văn bản này"
            elif basis == "calendar_days":
                d = base + timedelta(days=n)
            elif workdays is not None:
                d = workdays(base, n)
        return Deadline(d, m.group(0).strip(), m.start(), m.end(), "relative", basis=basis)
    # case-sensitive, and each branch holds one of these words: tested first, they spare the search
    m = _VAGUE_RE.search(text) if any(w in text for w in ("ngay", "Tết", "đầu", "sớm")) else None
    if m:
        return Deadline(None, m.group(0).strip(), m.start(), m.end(), "vague")
    if cell and re.search(r"thường\s+xuyên|hằng\s+năm|hàng\s+năm|định\s+kỳ", text, re.IGNORECASE):
        return Deadline(None, text.strip(), 0, len(text), "vague")
    return None


def find_dates(text: str, ref_year: int | None = None, ref_date: date | None = None) -> list[tuple[date, int, int]]:
    """Every explicit calendar date in the text, with its position (cue or not)."""
    out = []
    for m in _TIME_RE.finditer(text):
        if m.group("d") or m.group("wd"):
            d, _ = resolve_time(m, ref_year, ref_date)
            if d:
                out.append((d, m.start(), m.end()))
    return out


def parse_date_phrase(text: str, ref_year: int | None = None) -> date | None:
    """The first explicit date in a phrase ('ngày 19/01/2024', 'Bình Sơn, ngày 05 tháng 3 năm 2024')."""
    found = find_dates(text, ref_year)
    return found[0][0] if found else None


# --- periodic reporting duties -------------------------------------------------------------------

_PERIOD_LABEL = re.compile(
    r"(?:báo\s+cáo\s+)?(?:quý\s+(?:IV|I{1,3}|[1-4])|(?:6|sáu|9|chín)\s+tháng(?:\s+(?:đầu|cuối))?(?:\s+năm)?"
    r"|tháng\s+\d{1,2}|năm)(?:\s*(?:/|năm)?\s*\d{4})?",
    re.IGNORECASE,
)
_WINDOW_RE = re.compile(
    r"từ\s+(?:ngày\s+)?(?P<a>[^,;]{4,30}?)\s*(?:,\s*)?(?:[^,;]{0,25}?)?đến\s+(?:hết\s+)?(?:ngày\s+)?(?P<b>[^,;.]{4,30})",
    re.IGNORECASE,
)


@dataclass
class ReportDuty:
    name: str
    assignee: str | None
    recipient: str | None
    due: date | None
    period_start: date | None = None
    period_end: date | None = None
    recurrence: dict[str, int | str] | None = None

    def as_dict(self) -> dict[str, object]:
        def iso(d: date | None) -> str | None:
            return d.isoformat() if d else None

        return {"name": self.name, "assignee": self.assignee, "recipient": self.recipient,
                "due": iso(self.due), "period_start": iso(self.period_start), "period_end": iso(self.period_end),
                "recurrence": self.recurrence}


def period_key(label: str) -> str:
    key = fold(label)
    key = re.sub(r"\bbao cao\b|[^\w\s]", " ", key)
    key = re.sub(r"\bnam\s+(?=\d{4})", "", key)
    return re.sub(r"\s+", " ", key).strip()


# "Báo cáo cải cách hành chính Quý I", "Báo cáo kết quả thực hiện 6 tháng đầu năm": a report named, then its period
_NAMED_PERIOD_LABEL = re.compile(r"báo\s+cáo\s+(?:[^\s:]+\s+){1,8}?(?P<period>" + _PERIOD_LABEL.pattern + r")",
                                 re.IGNORECASE)
# "thời hạn gửi chậm nhất là ngày 20 của tháng cuối kỳ báo cáo": each period's report is due that day of its last month
PERIOD_END_DAY = re.compile(r"ngày\s+(?P<day>\d{1,2})\s+(?:của\s+)?tháng\s+cuối\s+(?:cùng\s+)?(?:của\s+)?kỳ(?:\s+báo\s+cáo)?",
                            re.IGNORECASE)


def split_label(text: str) -> tuple[str, str] | None:
    """'Quý I năm 2024: Chậm nhất ngày 10/3/2024.' → ('Quý I năm 2024', 'Chậm nhất ...');
    'Báo cáo cải cách hành chính Quý I: Thời gian chốt số liệu ...' → ('Báo cáo cải cách hành chính Quý I', ...)."""
    head, sep, rest = text.partition(":")
    if not sep or len(head) > 80:
        return None
    head = head.strip()
    if (len(head) <= 40 and _PERIOD_LABEL.fullmatch(head)) or _NAMED_PERIOD_LABEL.fullmatch(head):
        return head, rest.strip()
    return None


def period_due(label: str, day: int, ref_year: int | None) -> tuple[date | None, int] | None:
    """The due date of a labelled period's report when reports are due on `day` of the period's last month
    ("Quý I" → 20/3, "6 tháng đầu năm" → 20/6, "năm" → 20/12), with that month; no year known: no date."""
    key = fold(label)
    m = re.search(r"quy\s+(iv|i{1,3}|[1-4])\b", key)
    if m:
        month = 3 * _ROMAN_Q[m.group(1)]
    elif re.search(r"\b(?:6|sau)\s+thang\s+cuoi", key):
        month = 12
    elif re.search(r"\b(?:6|sau)\s+thang", key):
        month = 6
    elif re.search(r"\b(?:9|chin)\s+thang", key):
        month = 9
    elif (mm := re.search(r"\bthang\s+(\d{1,2})\b", key)) and 1 <= int(mm.group(1)) <= 12:
        month = int(mm.group(1))
    elif re.search(r"\bnam\b", key):
        month = 12
    else:
        return None
    years = re.findall(r"\b(20\d{2})\b", key)
    year = int(years[-1]) if years else ref_year
    if year is None:
        return None, month
    return date(year, month, min(day, calendar.monthrange(year, month)[1])), month


def report_window(text: str, ref_year: int | None) -> tuple[date | None, date | None]:
    m = _WINDOW_RE.search(text)
    if not m:
        return None, None
    # the first date between "từ" and "đến" ("từ ngày 30 tháng 4 đến ...", "từ ngày 15/12/2024 đến ...")
    found = find_dates(text[m.start():m.start("b")], ref_year)
    a = found[0][0] if found else parse_date_phrase("ngày " + m.group("a"), ref_year)
    b = parse_date_phrase("ngày " + m.group("b"), ref_year)
    if a is not None and b is not None and a > b and a.year == b.year:
        try:
            if re.search(r"năm\s+trước", text[m.start():m.start("b")], re.IGNORECASE):
                a = a.replace(year=a.year - 1)  # "từ ngày 15 tháng 12 của năm trước kỳ báo cáo đến ngày 14 tháng 3"
            else:
                b = b.replace(year=b.year + 1)  # "từ ngày 30 tháng 12 đến ngày 02 tháng 01"
        except ValueError:  # 29 February
            pass
    return a, b


def recurring_reports(text: str, ref_year: int | None) -> list[tuple[str, date]]:
    """'báo cáo hằng quý ... trước ngày 15 của tháng cuối quý' → one (label, due) per instance."""
    if ref_year is None:
        return []
    out: list[tuple[str, date]] = []
    m = re.search(r"(?:hằng|hàng)\s+quý.{0,120}?(?:trước|chậm\s+nhất)\s+(?:ngày\s+)?(\d{1,2})\s+(?:của\s+)?tháng\s+cuối\s+quý",
                  text, re.IGNORECASE)
    if m:
        day = int(m.group(1))
        for q, roman in enumerate(("I", "II", "III", "IV"), start=1):
            out.append((f"Quý {roman} năm {ref_year}", date(ref_year, 3 * q, min(day, 30))))
        return out
    m = re.search(r"(?:hằng|hàng)\s+tháng.{0,120}?(?:trước|chậm\s+nhất)\s+(?:ngày\s+)?(\d{1,2})\s+(?:hằng|hàng)\s+tháng",
                  text, re.IGNORECASE)
    if m:
        day = int(m.group(1))
        for month in range(1, 13):
            last = calendar.monthrange(ref_year, month)[1]
            out.append((f"tháng {month:02d}/{ref_year}", date(ref_year, month, min(day, last))))
    return out


_EFFECTIVE_RE = re.compile(
    r"(?P<ref>(?:Luật|Nghị định|Nghị quyết|Thông tư|Quyết định|Chỉ thị)\s+(?:số\s+)?(?P<num>[\w./-]+/[\w.-]+))"
    r"[^.;]{0,200}?có\s+hiệu\s+lực(?:\s+thi\s+hành)?\s+(?:kể\s+)?từ\s+(?:ngày\s+)?",
    re.IGNORECASE,
)

# part of every _EFFECTIVE_RE match, same flags; a literal start, so searched for quickly
_EFFECTIVE_HINT = re.compile(r"có\s+hiệu\s+lực", re.IGNORECASE)


def effective_dates(text: str) -> list[tuple[str, date]]:
    """Effective dates a document states for the acts it implements: ("178/2026/NĐ-CP", 2026-07-06) from
    "Nghị định số 178/2026/NĐ-CP ..., có hiệu lực thi hành từ ngày 06/7/2026"."""
    out: list[tuple[str, date]] = []
    if not _EFFECTIVE_HINT.search(text):
        return out  # most documents: the full pattern (tried at every position) would take a few ms to say so
    for m in _EFFECTIVE_RE.finditer(text):
        t = _TIME_RE.match(text, m.end())
        if t and (t.group("d") or t.group("wd")) and (t.group("y") or t.group("wy")):
            try:
                d = date(int(t.group("y") or t.group("wy")), int(t.group("m") or t.group("wm")),
                         int(t.group("d") or t.group("wd")))
            except ValueError:
                continue
            out.append((m.group("num"), d))
    return out
