"""The kinds of condition a rule set may use (`check:` in the YAML), compiled once into closures.

Each compiler reads its parameters from the condition's mapping (unknown or ill-typed parameters
are refused when the rule set is loaded) and returns `fn(facts, ctx) -> (met, detail)`, where `met`
is True, False or None (unknown: the facts lack what the condition needs) and `detail` says why,
in Vietnamese. Adding a kind of condition = one compiler here + its name in CHECKS.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

from .errors import RuleDataError
from .facts import (
    DISCIPLINE_FORMS,
    LEVEL_VI,
    NOT_EMPLOYED,
    RATING_LEVELS,
    RATING_VI,
    SCOPES,
    Facts,
    vn_date,
)
from .titles import COLLECTIVE, PERSON, TITLES

Result = tuple[bool | None, str | None]
CheckFn = Callable[[Facts, "Ctx"], Result]

_REQUIRED = object()


class Ctx:
    """What one evaluation knows besides the facts: the year, the decision date, the title."""

    __slots__ = ("year", "decided", "title", "rule_set", "depth", "evaluate_nested")

    def __init__(self, year: int, decided: dt.date | None, title: str, rule_set: Any, depth: int,
                 evaluate_nested: Callable[[str, Facts, Ctx], str]) -> None:
        self.year, self.decided, self.title, self.rule_set = year, decided, title, rule_set
        self.depth, self.evaluate_nested = depth, evaluate_nested


class Params:
    """Typed access to a condition's parameters; whatever is left unread is an error."""

    def __init__(self, spec: Mapping[str, Any], where: str) -> None:
        self.spec = dict(spec)
        self.where = where
        self.vars: dict[str, Any] = {}

    def _fail(self, message: str) -> RuleDataError:
        return RuleDataError(f"{self.where}: {message}")

    def get(self, name: str, kind: type | tuple[type, ...], default: Any = _REQUIRED,
            choices: Any = None) -> Any:
        if name not in self.spec:
            if default is _REQUIRED:
                raise self._fail(f"thiếu tham số '{name}'")
            value = default
        else:
            value = self.spec.pop(name)
            if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
                raise self._fail(f"'{name}' phải là số nguyên, không phải {value!r}")
            if kind is not int and not isinstance(value, kind):
                raise self._fail(f"'{name}' có kiểu không hợp lệ: {value!r}")
        if choices is not None and value not in choices:
            raise self._fail(f"'{name}' = {value!r} không hợp lệ (dùng: {', '.join(map(str, choices))})")
        self.vars[name] = value
        return value

    def positive(self, name: str, default: Any = _REQUIRED, minimum: int = 1) -> int:
        value = self.get(name, int, default)
        if value < minimum:
            raise self._fail(f"'{name}' phải ≥ {minimum}")
        return value

    def ratio(self, name: str, default: Any = _REQUIRED) -> Fraction:
        raw = self.get(name, (str, int, float), default)
        try:
            value = Fraction(str(raw))
        except (ValueError, ZeroDivisionError) as exc:
            raise self._fail(f"'{name}' = {raw!r} không phải một tỷ lệ (vd. \"0.7\" hoặc \"2/3\")") from exc
        if not 0 <= value <= 1:
            raise self._fail(f"'{name}' = {raw!r} phải nằm trong khoảng 0..1")
        self.vars["percent"] = percent_text(value)
        return value

    def done(self) -> None:
        if self.spec:
            raise self._fail("tham số không dùng: " + ", ".join(sorted(self.spec)))


def percent_text(value: Fraction) -> str:
    pct = value * 100
    if pct.denominator == 1:
        return str(pct.numerator)
    return f"{float(pct):.2f}".rstrip("0").rstrip(".").replace(".", ",")


# --- person and collective checks ------------------------------------------------------------------


def rating_at_least(p: Params, kind: str) -> CheckFn:
    word = p.get("min", str, choices=tuple(RATING_LEVELS))
    minimum = RATING_LEVELS[word]
    p.vars["min_vi"] = RATING_VI[word]

    def fn(f: Facts, ctx: Ctx) -> Result:
        level = f.rating_level(ctx.year, ctx.year)
        if level is None:
            return None, f"Chưa có xếp loại năm {ctx.year}"
        if level == NOT_EMPLOYED:
            return False, f"Năm {ctx.year} không thuộc thời gian công tác"
        return level >= minimum, f"Năm {ctx.year}: {LEVEL_VI[level]}"

    return fn


def rating_chain(p: Params, kind: str) -> CheckFn:
    word = p.get("min", str, choices=tuple(RATING_LEVELS))
    years = p.positive("years")
    minimum = RATING_LEVELS[word]
    p.vars["min_vi"] = RATING_VI[word]

    def fn(f: Facts, ctx: Ctx) -> Result:
        met: bool | None = True
        parts = []
        for year in range(ctx.year - years + 1, ctx.year + 1):
            level = f.rating_level(year, ctx.year)
            if level is None:
                parts.append(f"{year}: chưa có xếp loại")
                if met:
                    met = None
            elif level == NOT_EMPLOYED:
                parts.append(f"{year}: ngoài thời gian công tác")
                met = False
            else:
                parts.append(f"{year}: {LEVEL_VI[level]}")
                if level < minimum:
                    met = False
        return met, "; ".join(parts)

    return fn


def _add_months(d: dt.date, months: int) -> dt.date:
    month0 = d.month - 1 + months
    year, month = d.year + month0 // 12, month0 % 12 + 1
    for day in (d.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def recruited_months(p: Params, kind: str) -> CheckFn:
    months = p.positive("months", minimum=0)

    def fn(f: Facts, ctx: Ctx) -> Result:
        if f.recruited is None:
            return None, "Chưa có ngày tuyển dụng"
        # "dưới N tháng" is counted to the end of the evaluated year: recruited 01/07 has 6 months.
        enough = _add_months(f.recruited, months) <= dt.date(ctx.year + 1, 1, 1)
        state = "đủ" if enough else "chưa đủ"
        return enough, f"Tuyển dụng ngày {vn_date(f.recruited)}: {state} {months} tháng tính đến 31/12/{ctx.year}"

    return fn


def no_discipline(p: Params, kind: str) -> CheckFn:
    form = p.get("min_form", str, choices=tuple(DISCIPLINE_FORMS))
    severity, form_vi = DISCIPLINE_FORMS[form]
    p.vars["min_form_vi"] = form_vi
    by_severity = {s: vi for s, vi in DISCIPLINE_FORMS.values()}
    who = "Thành viên bị" if kind == COLLECTIVE else "Bị"

    def fn(f: Facts, ctx: Ctx) -> Result:
        if f.discipline is None:
            return None, "Chưa có dữ liệu kỷ luật"
        worst = max((s for year, s in f.discipline if year == ctx.year), default=0)
        if worst >= severity:
            return False, f"{who} kỷ luật {by_severity[worst]} năm {ctx.year}"
        if worst:
            return True, f"Có kỷ luật {by_severity[worst]} năm {ctx.year}, nhẹ hơn mức {form_vi}"
        return True, f"Không có kỷ luật năm {ctx.year}"

    return fn


def absence_below(p: Params, kind: str) -> CheckFn:
    max_months = p.positive("max_months")
    limit_days = max_months * 30  # a month of absence counted as 30 calendar days

    def fn(f: Facts, ctx: Ctx) -> Result:
        if f.leave is None:
            return None, "Chưa có dữ liệu nghỉ"
        first, last = dt.date(ctx.year, 1, 1), dt.date(ctx.year, 12, 31)
        days = sum(max(0, (min(end, last) - max(start, first)).days + 1) for start, end in f.leave)
        return days < limit_days, f"Nghỉ không được tính thời gian công tác: {days} ngày năm {ctx.year}"

    return fn


def achievements(p: Params, kind: str) -> CheckFn:
    which = p.get("kind", str, choices=("initiative", "research", "any"))
    min_scope_word = p.get("min_scope", str, "co_so", choices=tuple(SCOPES))
    count = p.positive("count", 1)
    years = p.positive("years", 1)
    require_applied = p.get("require_applied", bool, True)
    min_scope = SCOPES[min_scope_word][0]
    p.vars["min_scope_vi"] = SCOPES[min_scope_word][1]
    noun = {"initiative": "sáng kiến", "research": "đề tài", "any": "sáng kiến, đề tài"}[which]

    def fn(f: Facts, ctx: Ctx) -> Result:
        if which == "initiative":
            items = f.initiatives
        elif which == "research":
            items = f.research
        else:
            items = None if f.initiatives is None and f.research is None else (f.initiatives or []) + (f.research or [])
        if items is None:
            return None, f"Chưa có dữ liệu {noun}"
        first = ctx.year - years + 1
        sure = maybe = 0
        skipped: list[str] = []
        for a in items:
            if a.year < first or a.year > ctx.year or a.scope < min_scope:
                continue
            if a.ref is not None and a.ref in f.used:
                other = sorted((c, y) for c, y in f.used[a.ref] if (c, y) != (ctx.title, ctx.year))
                if other:
                    code, year = other[0]
                    skipped.append(f"{a.label()} đã dùng cho khen thưởng {_short(code)} năm {year}")
                    continue
            if a.on is None:
                maybe += 1
                continue
            if ctx.decided is not None and a.on > ctx.decided:
                skipped.append(f"{a.label()} công nhận ngày {vn_date(a.on)}, sau ngày quyết định "
                               f"{vn_date(ctx.decided)}: không tính")
                continue
            if require_applied and not a.applied:
                if a.applied is None:
                    maybe += 1
                else:
                    skipped.append(f"{a.label()} chưa được áp dụng")
                continue
            sure += 1
        span = f"năm {ctx.year}" if years == 1 else f"{first}–{ctx.year}"
        detail = f"{sure} {noun} đủ điều kiện ({span}, cần {count})"
        if maybe:
            detail += f"; {maybe} {noun} thiếu ngày công nhận hoặc chưa rõ đã áp dụng"
        if skipped:
            detail += "; " + "; ".join(skipped)
        if sure >= count:
            return True, detail
        return (None if sure + maybe >= count else False), detail

    return fn


def _short(code: str) -> str:
    title = TITLES.get(code)
    return title.short_vi if title else code


def title_chain(p: Params, kind: str) -> CheckFn:
    code = p.get("code", str, choices=tuple(TITLES))
    length = p.positive("length")
    step = p.positive("step", 1)
    end_offset = p.positive("end_offset", 0, minimum=0)
    current = p.get("current", str, "titles", choices=("titles", "titles_or_eligible"))
    p.vars["title_vi"] = TITLES[code].name_vi
    short = _short(code)

    def fn(f: Facts, ctx: Ctx) -> Result:
        end = ctx.year - end_offset
        years = [end - i * step for i in range(length)][::-1]
        met: bool | None = True
        have, missing, unknown, notes = [], [], [], []
        for year in years:
            has = f.has_title(code, year)
            if not has and year == ctx.year and current == "titles_or_eligible":
                nested = ctx.evaluate_nested(code, f, ctx)
                if nested == "eligible":
                    has = True
                    notes.append(f"{short} năm {year} đủ điều kiện, xét cùng đợt")
                elif nested == "needs_information":
                    has = None
                else:
                    has = False
            if has:
                have.append(year)
            elif has is None:
                unknown.append(year)
                if met:
                    met = None
            else:
                missing.append(year)
                met = False
        parts = []
        if have:
            parts.append(f"có {short} năm " + ", ".join(map(str, have)))
        if missing:
            parts.append(f"không có {short} năm " + ", ".join(map(str, missing)))
        if unknown:
            parts.append(f"chưa rõ {short} năm " + ", ".join(map(str, unknown)))
        detail = "; ".join(parts + notes)
        return met, detail[:1].upper() + detail[1:]

    return fn


def one_award(p: Params, kind: str) -> CheckFn:
    window = p.positive("window", 1)

    def fn(f: Facts, ctx: Ctx) -> Result:
        if f.titles is None:
            # Only a recorded earlier award refuses; no record is not a reason to hold a candidate back.
            return True, "Không có dữ liệu khen thưởng trước đó"
        hits = [y for y in range(ctx.year - window + 1, ctx.year + 1) if (ctx.title, y) in f.titles]
        if hits:
            return False, f"Đã được tặng {_short(ctx.title)} năm {', '.join(map(str, hits))}"
        return True, f"Chưa được tặng {_short(ctx.title)} cho thành tích này"

    return fn


def member_ratio(p: Params, kind: str) -> CheckFn:
    field = p.get("field", str, choices=("members_complete", "members_ldtt", "members_cstdcs"))
    ratio = p.ratio("min_ratio")
    strict = p.get("strict", bool, False)
    num, den = ratio.numerator, ratio.denominator
    what = {"members_complete": "hoàn thành nhiệm vụ", "members_ldtt": "đạt LĐTT",
            "members_cstdcs": "đạt CSTĐCS"}[field]
    need = ("trên " if strict else "từ ") + percent_text(ratio) + "%"
    p.vars["need"] = need + ("" if strict else " trở lên")

    def fn(f: Facts, ctx: Ctx) -> Result:
        total, part = f.members, getattr(f, field)
        if total is None or part is None:
            return None, "Chưa có số thành viên" if total is None else f"Chưa có số thành viên {what}"
        if total == 0:
            return False, "Tập thể chưa có thành viên"
        ok = part * den > num * total if strict else part * den >= num * total
        return ok, f"{part}/{total} thành viên {what} ({percent_text(Fraction(part, total))}%, cần {need})"

    return fn


def member_count(p: Params, kind: str) -> CheckFn:
    field = p.get("field", str, choices=("members_complete", "members_ldtt", "members_cstdcs"))
    minimum = p.positive("min", 1, minimum=0)

    def fn(f: Facts, ctx: Ctx) -> Result:
        part = getattr(f, field)
        if part is None:
            return None, "Chưa có số thành viên"
        return part >= minimum, f"{part} thành viên (cần ít nhất {minimum})"

    return fn


def leads_group(p: Params, kind: str) -> CheckFn:
    def fn(f: Facts, ctx: Ctx) -> Result:
        if f.leads_group is None:
            return None, "Chưa có kết quả bình xét, suy tôn của khối, cụm thi đua"
        return f.leads_group, ("Dẫn đầu khối, cụm thi đua" if f.leads_group else "Không dẫn đầu khối, cụm thi đua")

    return fn


# --- composition -----------------------------------------------------------------------------------


def combine_any(results: list[Result], texts: list[str]) -> Result:
    met: bool | None = False
    for m, _ in results:
        if m:
            met = True
            break
        if m is None:
            met = None
    return met, _compose(met, results, texts, any_of=True)


def combine_all(results: list[Result], texts: list[str]) -> Result:
    met: bool | None = True
    for m, _ in results:
        if m is False:
            met = False
            break
        if m is None:
            met = None
    return met, _compose(met, results, texts, any_of=False)


def _compose(met: bool | None, results: list[Result], texts: list[str], any_of: bool) -> str:
    if met and any_of:
        for (m, d), t in zip(results, texts, strict=True):
            if m:
                return f"Đạt: {t}" + (f" ({d})" if d else "")
    parts = []
    for (m, d), t in zip(results, texts, strict=True):
        mark = "đạt" if m else ("chưa rõ" if m is None else "không đạt")
        parts.append(f"{t}: {mark}" + (f" ({d})" if d else ""))
    return "; ".join(parts)


CHECKS: dict[str, tuple[Callable[[Params, str], CheckFn], frozenset[str]]] = {
    "rating_at_least": (rating_at_least, frozenset({PERSON, COLLECTIVE})),
    "rating_chain": (rating_chain, frozenset({PERSON, COLLECTIVE})),
    "recruited_months": (recruited_months, frozenset({PERSON})),
    "no_discipline": (no_discipline, frozenset({PERSON, COLLECTIVE})),
    "absence_below": (absence_below, frozenset({PERSON})),
    "achievements": (achievements, frozenset({PERSON, COLLECTIVE})),
    "title_chain": (title_chain, frozenset({PERSON, COLLECTIVE})),
    "one_award": (one_award, frozenset({PERSON, COLLECTIVE})),
    "member_ratio": (member_ratio, frozenset({COLLECTIVE})),
    "member_count": (member_count, frozenset({COLLECTIVE})),
    "leads_group": (leads_group, frozenset({COLLECTIVE})),
}
COMPOSITES = ("any_of", "all_of")
