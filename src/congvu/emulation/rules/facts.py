"""Facts about a candidate, read once from the JSON-like mapping the CLI and the app pass in.

A key that is absent is *unknown* (conditions that need it are `met: None`); an empty list is
*none*. Words are accepted in English codes (the CLI's format) and in Vietnamese, with or without
accents. Bad input raises `FactsError` with a Vietnamese message. See docs/emulation-rules.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from congvu.common.text import search_key

from .errors import FactsError
from .titles import COLLECTIVE, PERSON, TITLES

# Yearly quality rating (xếp loại chất lượng, NĐ 90/2020) as an ordered level.
RATING_LEVELS: dict[str, int] = {"incomplete": 0, "complete": 1, "good": 2, "excellent": 3}
RATING_VI: dict[str, str] = {
    "excellent": "hoàn thành xuất sắc nhiệm vụ",
    "good": "hoàn thành tốt nhiệm vụ",
    "complete": "hoàn thành nhiệm vụ",
    "incomplete": "không hoàn thành nhiệm vụ",
}
LEVEL_VI = {RATING_LEVELS[k]: v for k, v in RATING_VI.items()}
_RATING_ALIASES = {
    "excellent": ["htxsnv", "hoan thanh xuat sac nhiem vu", "hoan thanh xuat sac", "xuat sac"],
    "good": ["httnv", "hoan thanh tot nhiem vu", "hoan thanh tot", "tot"],
    "complete": ["htnv", "hoan thanh nhiem vu", "hoan thanh", "completed"],
    "incomplete": ["khtnv", "khong hoan thanh nhiem vu", "khong hoan thanh"],
}

# Disciplinary forms (Luật CBCC / Luật Viên chức), by severity.
DISCIPLINE_FORMS: dict[str, tuple[int, str]] = {
    "khien_trach": (1, "khiển trách"),
    "canh_cao": (2, "cảnh cáo"),
    "ha_bac_luong": (3, "hạ bậc lương"),
    "giang_chuc": (4, "giáng chức"),
    "cach_chuc": (5, "cách chức"),
    "buoc_thoi_viec": (6, "buộc thôi việc"),
}
_DISCIPLINE_ALIASES = {"reprimand": "khien_trach", "warning": "canh_cao", "dismissal": "buoc_thoi_viec"}

# Scope of an initiative or a research project.
SCOPES: dict[str, tuple[int, str]] = {
    "co_so": (1, "cơ sở"),
    "tinh": (2, "tỉnh, bộ, ngành"),
    "toan_quoc": (3, "toàn quốc"),
}
SCOPE_VI = {level: name for level, name in SCOPES.values()}
_SCOPE_ALIASES = {"cap co so": "co_so", "cap tinh": "tinh", "bo": "tinh", "nganh": "tinh", "bo nganh tinh": "tinh",
                  "tinh bo nganh": "tinh", "quoc gia": "toan_quoc", "cap quoc gia": "toan_quoc"}

NOT_EMPLOYED = -1  # rating level of a year outside the person's employment: known, and no rating

_PERSON_KEYS = {"kind", "recruited", "employment_end", "ratings", "rating", "discipline", "titles", "awards",
                "initiatives", "research", "leave", "achievements_awarded", "name", "id"}
_COLLECTIVE_KEYS = {"kind", "rating", "ratings", "members", "members_complete", "members_ldtt", "members_cstdcs",
                    "titles", "awards", "leads_group", "discipline", "achievements_awarded", "initiatives",
                    "research", "name", "id", "code"}


Where = str | tuple  # ("discipline", 0, "year") → "discipline[0].year", formatted only for a message


def _w(where: Where) -> str:
    if isinstance(where, str):
        return where
    return f"{where[0]}[{where[1]}].{where[2]}" if len(where) == 3 else f"{where[0]}.{where[1]}"


def _key(word: str) -> str:
    return search_key(word.replace("_", " "))


def _build(aliases: dict[str, list[str]] | dict[str, str], codes) -> dict[str, str]:
    table = {_key(code): code for code in codes}
    for code, words in aliases.items():
        if isinstance(words, str):  # alias -> code mapping
            table[_key(code)] = words
        else:
            table.update({_key(w): code for w in words})
    return table


_RATING_TABLE = _build(_RATING_ALIASES, RATING_LEVELS)
_DISCIPLINE_TABLE = _build(_DISCIPLINE_ALIASES, DISCIPLINE_FORMS)
_DISCIPLINE_TABLE.update({_key(vi): code for code, (_, vi) in DISCIPLINE_FORMS.items()})
_SCOPE_TABLE = _build(_SCOPE_ALIASES, SCOPES)
_SCOPE_TABLE.update({"toan quoc": "toan_quoc", "co so": "co_so", "tinh": "tinh"})
_TABLES = {"rating": _RATING_TABLE, "discipline": _DISCIPLINE_TABLE, "scope": _SCOPE_TABLE}


@lru_cache(maxsize=4096)
def _lookup(table: str, word: str) -> str | None:
    """Word → code through the accent-free key; cached because the same few words repeat."""
    return _TABLES[table].get(_key(word))


def rating_code(word: Any, where: Where = "xếp loại") -> str:
    if isinstance(word, str):
        code = _lookup("rating", word)
        if code:
            return code
    raise FactsError(f"Xếp loại không hợp lệ ở '{_w(where)}': {word!r} (dùng excellent, good, complete, incomplete "
                     "hoặc hoàn thành xuất sắc / tốt / hoàn thành / không hoàn thành nhiệm vụ)")


def discipline_code(word: Any, where: Where = "discipline") -> str:
    if isinstance(word, str):
        code = _lookup("discipline", word)
        if code:
            return code
    raise FactsError(f"Hình thức kỷ luật không hợp lệ ở '{_w(where)}': {word!r} (dùng khiển trách, cảnh cáo, "
                     "hạ bậc lương, giáng chức, cách chức, buộc thôi việc)")


def scope_code(word: Any, where: Where = "scope") -> str:
    if isinstance(word, str):
        code = _lookup("scope", word)
        if code:
            return code
    raise FactsError(f"Phạm vi không hợp lệ ở '{_w(where)}': {word!r} (dùng co_so, tinh, toan_quoc)")


def parse_date(value: Any, where: Where) -> dt.date:
    """ISO (2024-12-20) or Vietnamese (20/12/2024)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if "/" not in text:
                return dt.date.fromisoformat(text)
            d, m, y = text.split("/")
            return dt.date(int(y), int(m), int(d))
        except ValueError:
            pass
    raise FactsError(f"Ngày không hợp lệ ở '{_w(where)}': {value!r} (cần dạng YYYY-MM-DD hoặc dd/mm/yyyy)")


def parse_year(value: Any, where: Where) -> int:
    if type(value) is int and 1900 <= value <= 2200:  # the common case, first
        return value
    if type(value) is str and value.isdigit() and 1900 <= int(value) <= 2200:
        return int(value)
    if isinstance(value, bool):
        raise FactsError(f"Năm không hợp lệ ở '{_w(where)}': {value!r}")
    try:
        year = int(value) if isinstance(value, int | str) else None
    except ValueError:
        year = None
    if year is None or not 1900 <= year <= 2200:
        raise FactsError(f"Năm không hợp lệ ở '{_w(where)}': {value!r}")
    return year


def _bool(value: Any, where: Where) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise FactsError(f"Giá trị đúng/sai không hợp lệ ở '{_w(where)}': {value!r} (dùng true hoặc false)")


def _count(value: Any, where: Where) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise FactsError(f"Số lượng không hợp lệ ở '{_w(where)}': {value!r} (cần số nguyên không âm)")
    return value


def _list(facts: Mapping[str, Any], key: str) -> list[Mapping[str, Any]] | None:
    value = facts.get(key)
    if value is None:
        return None
    if type(value) is list and all(type(item) is dict for item in value):  # JSON's shape: the fast check
        return value
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        raise FactsError(f"'{key}' phải là một danh sách các đối tượng")
    return value


def vn_date(d: dt.date | None) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}" if d else "—"  # not strftime: this is on the hot path


class Achievement:
    """An initiative (sáng kiến) or a research project (đề tài, đề án, công trình KH&CN)."""

    __slots__ = ("kind", "year", "scope", "on", "applied", "ref")

    def __init__(self, kind: str, year: int, scope: int, on: dt.date | None, applied: bool | None, ref: str | None):
        self.kind, self.year, self.scope, self.on, self.applied, self.ref = kind, year, scope, on, applied, ref

    def label(self) -> str:
        noun = "sáng kiến" if self.kind == "initiative" else "đề tài"
        ref = f" {self.ref}" if self.ref else ""
        return f"{noun}{ref} ({SCOPE_VI[self.scope]}, năm {self.year})"


class Facts:
    """Parsed facts of one candidate. Build with `parse_facts`; the engine never mutates it."""

    __slots__ = ("kind", "recruited", "employment_end", "ratings", "rating", "discipline", "titles", "awarded",
                 "initiatives", "research", "leave", "used", "members", "members_complete", "members_ldtt",
                 "members_cstdcs", "leads_group", "notes")

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.recruited: dt.date | None = None
        self.employment_end: dt.date | None = None
        self.ratings: dict[int, int] | None = None
        self.rating: int | None = None  # collectives: the rating of the evaluated year ("rating" key)
        self.discipline: list[tuple[int, int]] | None = None
        self.titles: set[tuple[str, int]] | None = None  # titles and earlier commendations: (code, year)
        self.awarded: list[tuple[str, int, str]] | None = None  # (code, year, decision) for messages
        self.initiatives: list[Achievement] | None = None
        self.research: list[Achievement] | None = None
        self.leave: list[tuple[dt.date, dt.date]] | None = None  # leave that does NOT count as working time
        self.used: dict[str, set[tuple[str, int]]] = {}
        self.members = self.members_complete = self.members_ldtt = self.members_cstdcs = None
        self.leads_group: bool | None = None
        self.notes: list[str] = []

    # -- reading ---------------------------------------------------------------------------------

    def employed_in(self, year: int) -> bool | None:
        """Whether the person worked in that year; None if the recruitment date is unknown."""
        if self.kind != PERSON:
            return True
        if self.employment_end is not None and year > self.employment_end.year:
            return False
        if self.recruited is None:
            return None
        return year >= self.recruited.year

    def rating_level(self, year: int, evaluated_year: int) -> int | None:
        """Level 0..3, NOT_EMPLOYED, or None (unknown)."""
        if (self.recruited is not None and year < self.recruited.year) or (
                self.employment_end is not None and year > self.employment_end.year):
            return NOT_EMPLOYED
        ratings = self.ratings
        if ratings is not None and year in ratings:
            return ratings[year]
        if year == evaluated_year and self.rating is not None:
            return self.rating
        return None

    def has_title(self, code: str, year: int) -> bool | None:
        if self.titles is None:
            return None
        return (code, year) in self.titles


def parse_facts(facts: Mapping[str, Any] | Facts, kind: str | None = None) -> Facts:
    """Read a facts mapping (the CLI's JSON). `kind` is used when the mapping does not say."""
    if type(facts) is Facts:
        return facts
    if type(facts) is not dict and not isinstance(facts, Mapping):
        raise FactsError("Dữ liệu ứng viên phải là một đối tượng JSON ({...})")
    raw_kind = facts.get("kind", kind)
    if raw_kind is None:
        raw_kind = COLLECTIVE if "members" in facts else PERSON
    if raw_kind not in (PERSON, COLLECTIVE):
        raise FactsError(f"'kind' không hợp lệ: {raw_kind!r} (dùng person hoặc collective)")
    out = Facts(raw_kind)
    known = _PERSON_KEYS if raw_kind == PERSON else _COLLECTIVE_KEYS
    unknown = sorted(str(k) for k in facts if k not in known)
    if unknown:
        out.notes.append("Bỏ qua các khóa không dùng: " + ", ".join(unknown))

    if raw_kind == PERSON:
        if facts.get("recruited") is not None:
            out.recruited = parse_date(facts["recruited"], "recruited")
        if facts.get("employment_end") is not None:
            out.employment_end = parse_date(facts["employment_end"], "employment_end")
            if out.recruited and out.employment_end < out.recruited:
                raise FactsError("'employment_end' trước ngày tuyển dụng 'recruited'")
    else:
        for key in ("members", "members_complete", "members_ldtt", "members_cstdcs"):
            setattr(out, key, _count(facts.get(key), key))
        if out.members is not None:
            for key in ("members_complete", "members_ldtt", "members_cstdcs"):
                value = getattr(out, key)
                if value is not None and value > out.members:
                    raise FactsError(f"'{key}' ({value}) lớn hơn tổng số thành viên 'members' ({out.members})")
        out.leads_group = _bool(facts.get("leads_group"), "leads_group")

    if facts.get("rating") is not None:
        out.rating = RATING_LEVELS[rating_code(facts["rating"], "rating")]
    ratings = facts.get("ratings")
    if ratings is not None:
        if not isinstance(ratings, Mapping):
            raise FactsError("'ratings' phải là một đối tượng {\"năm\": \"xếp loại\"}")
        out.ratings = {}
        first = out.recruited.year if out.recruited else 0
        last = out.employment_end.year if out.employment_end else 9999
        for year_key, word in ratings.items():
            year = parse_year(year_key, ("ratings", year_key))
            level = RATING_LEVELS.get(word)  # the CLI's codes directly; other words through the table
            if level is None:
                level = RATING_LEVELS[rating_code(word, ("ratings", year_key))]
            if not first <= year <= last:
                span = f"tuyển dụng ngày {vn_date(out.recruited)}" if out.recruited and year < out.recruited.year \
                    else f"thôi việc ngày {vn_date(out.employment_end)}"
                out.notes.append(f"Bỏ qua xếp loại năm {year}: ngoài thời gian công tác ({span})")
                continue
            out.ratings[year] = level

    items = _list(facts, "discipline")
    if items is not None:
        out.discipline = []
        for i, item in enumerate(items):
            year = parse_year(item.get("year"), ("discipline", i, "year"))
            form = discipline_code(item.get("form"), ("discipline", i, "form"))
            out.discipline.append((year, DISCIPLINE_FORMS[form][0]))

    titles = _list(facts, "titles")
    awards = _list(facts, "awards")
    if titles is not None or awards is not None:
        out.titles, out.awarded = set(), []
        for key, entries in (("titles", titles or []), ("awards", awards or [])):
            for i, item in enumerate(entries):
                code = item.get("code")
                if code not in TITLES:
                    if not isinstance(code, str) or not code.strip():
                        raise FactsError(f"Thiếu mã danh hiệu ở '{key}[{i}].code'")
                    code = code.strip().upper()
                if key == "titles" and code not in TITLES:
                    raise FactsError(f"Mã danh hiệu không hợp lệ ở 'titles[{i}].code': {code!r} "
                                     f"(dùng {', '.join(TITLES)})")
                year = parse_year(item.get("year"), (key, i, "year"))
                out.titles.add((code, year))
                out.awarded.append((code, year, str(item.get("decision") or "")))

    for key, kind_name, date_key in (("initiatives", "initiative", "recognised_on"), ("research", "research", "accepted_on")):
        items = _list(facts, key)
        if items is None:
            continue
        parsed = []
        for i, item in enumerate(items):
            year = parse_year(item.get("year"), (key, i, "year"))
            scope = SCOPES[scope_code(item.get("scope"), (key, i, "scope"))][0]
            raw_on = item.get(date_key, item.get("recognized_on") if date_key == "recognised_on" else None)
            on = parse_date(raw_on, (key, i, date_key)) if raw_on is not None else None
            applied = _bool(item.get("applied"), (key, i, "applied"))
            ref = item.get("id", item.get("ref"))
            parsed.append(Achievement(kind_name, year, scope, on, applied, str(ref) if ref is not None else None))
        setattr(out, key, parsed)

    items = _list(facts, "leave")
    if items is not None:
        out.leave = []
        for i, item in enumerate(items):
            start = parse_date(item.get("from"), ("leave", i, "from"))
            end = parse_date(item.get("to"), ("leave", i, "to"))
            if end < start:
                raise FactsError(f"'leave[{i}]': ngày kết thúc trước ngày bắt đầu")
            counts = _bool(item.get("counts"), ("leave", i, "counts"))
            if counts is None:
                raise FactsError(f"'leave[{i}].counts' phải là true (được tính thời gian công tác) hoặc false")
            if not counts:
                out.leave.append((start, end))

    items = _list(facts, "achievements_awarded")
    for i, item in enumerate(items or []):
        ref = item.get("ref", item.get("id"))
        if ref is None:
            raise FactsError(f"Thiếu 'ref' ở 'achievements_awarded[{i}]'")
        code = str(item.get("code") or "").strip().upper()
        year = parse_year(item.get("year"), ("achievements_awarded", i, "year"))
        out.used.setdefault(str(ref), set()).add((code, year))
    return out
