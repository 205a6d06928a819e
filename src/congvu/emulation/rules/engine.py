"""Evaluation: a candidate's facts against a title of the rule set in force → a Verdict listing every
condition with its article and whether it is met; caps over a group of candidates; who may award.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from .checks import Ctx
from .errors import FactsError, RulesError, UnknownTitle
from .facts import Facts, parse_date, parse_facts, parse_year
from .ruleset import RuleBook, RuleSet, resolve_book
from .titles import COLLECTIVE, TITLES

ELIGIBLE, NOT_ELIGIBLE, NEEDS_INFORMATION = "eligible", "not_eligible", "needs_information"
VERDICT_VI = {ELIGIBLE: "Đủ điều kiện", NOT_ELIGIBLE: "Không đủ điều kiện", NEEDS_INFORMATION: "Cần bổ sung thông tin"}
_MAX_DEPTH = 3  # nested evaluation ("TTLĐXS in the same round" for the Cờ) never goes deeper

Config = RuleBook | str | Path | Mapping[str, Any] | None


class Condition(NamedTuple):
    """One legal condition as judged for one candidate. `met` is None when the facts lack it."""

    text: str
    article: str
    met: bool | None
    id: str = ""
    detail: str | None = None
    group: str | None = None  # the title whose standard this condition belongs to (CSTĐCS ⊃ LĐTT)
    confidence: str = "verified"

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "article": self.article, "met": self.met, "detail": self.detail,
                "id": self.id, "confidence": self.confidence}


@dataclass(slots=True)
class Verdict:
    title: str
    year: int
    kind: str
    verdict: str  # eligible, not_eligible, needs_information
    rule_set: str
    conditions: list[Condition]
    notes: list[str] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return self.verdict == ELIGIBLE

    @property
    def unmet(self) -> list[Condition]:
        return [c for c in self.conditions if c.met is False]

    @property
    def unknown(self) -> list[Condition]:
        return [c for c in self.conditions if c.met is None]

    def group_met(self, code: str) -> bool | None:
        """Whether this candidate meets the standard of `code` as far as this verdict shows (the
        LĐTT standard inside a CSTĐCS verdict); None when the verdict holds no such conditions."""
        if code == self.title:
            return self.eligible
        mets = [c.met for c in self.conditions if c.group == code]
        if not mets:
            return None
        if False in mets:
            return False
        return None if None in mets else True

    def as_dict(self) -> dict[str, Any]:
        return {"title": self.title, "year": self.year, "verdict": self.verdict, "rule_set": self.rule_set,
                "conditions": [c.as_dict() for c in self.conditions], "kind": self.kind, "notes": list(self.notes)}


def _nested(code: str, f: Facts, ctx: Ctx) -> str:
    """The verdict on another title for the same candidate and year ("xét cùng đợt")."""
    if ctx.depth >= _MAX_DEPTH:
        return NEEDS_INFORMATION
    rules = ctx.rule_set.title_rules(code)
    conditions = rules.variants.get(f.kind)
    if conditions is None:
        return NOT_ELIGIBLE
    inner = Ctx(ctx.year, ctx.decided, code, ctx.rule_set, ctx.depth + 1, _nested)
    verdict = ELIGIBLE
    for c in conditions:
        met, _ = c.fn(f, inner)
        if met is False:
            return NOT_ELIGIBLE
        if met is None:
            verdict = NEEDS_INFORMATION
    return verdict


def _rule_set(book: RuleBook, rule_set: RuleSet | str | None, year: int, decided: dt.date | None) -> RuleSet:
    if isinstance(rule_set, RuleSet):
        return rule_set
    if isinstance(rule_set, str):
        return book.get(rule_set)
    return book.for_year(year, decided)


def _year(year: Any) -> int:
    return year if type(year) is int and 1900 <= year <= 2200 else parse_year(year, "year")


def _decided(decided: Any, year: int) -> dt.date | None:
    if decided is None:
        return None
    day = parse_date(decided, "decided")
    if day < dt.date(year, 1, 1):
        raise FactsError(f"Ngày quyết định {day:%d/%m/%Y} trước năm xét {year}")
    return day


def evaluate(facts: Mapping[str, Any] | Facts, title: str = "CSTDCS", year: int = 2024,
             rule_set: RuleSet | str | None = None, config: Config = None, *,
             decided: dt.date | str | None = None) -> Verdict:
    """Judge one candidate for one title and year.

    `facts` is the CLI's JSON mapping (or `parse_facts` of it, to judge many titles without
    re-reading). `rule_set` defaults to the one in force at the end of `year` (option
    `rule_set_date`). `decided` is the date of the decision the title would be awarded by: an
    initiative recognised after it is not counted.
    """
    year = _year(year)
    day = _decided(decided, year)
    f = parse_facts(facts)
    rs = rule_set if isinstance(rule_set, RuleSet) else _rule_set(resolve_book(config), rule_set, year, day)
    return _evaluate(f, title, year, rs, day)


def _evaluate(f: Facts, title: str, year: int, rs: RuleSet, day: dt.date | None) -> Verdict:
    rules = rs.title_rules(title)
    plan = rules.plans.get(f.kind)
    if plan is None:
        who = "tập thể" if f.kind == COLLECTIVE else "cá nhân"
        allowed = " hoặc ".join("tập thể" if k == COLLECTIVE else "cá nhân" for k in rules.variants)
        raise FactsError(f"{rules.title.name_vi} ({title}) xét cho {allowed}, dữ liệu là của {who}")
    ctx = Ctx(year, day, title, rs, 0, _nested)
    results = []
    verdict = ELIGIBLE
    new = tuple.__new__  # NamedTuple construction without the keyword machinery: this is the hot loop
    append = results.append
    for fn, text, article, cid, group, confidence in plan:
        met, detail = fn(f, ctx)
        if met is not True:
            if met is False:
                verdict = NOT_ELIGIBLE
            elif verdict is ELIGIBLE:
                verdict = NEEDS_INFORMATION
        append(new(Condition, (text, article, met, cid, detail, group, confidence)))
    return Verdict(title, year, f.kind, verdict, rs.id, results, list(f.notes) if f.notes else [])


def evaluate_all(facts: Mapping[str, Any] | Facts, year: int, titles: Sequence[str] | None = None,
                 rule_set: RuleSet | str | None = None, config: Config = None, *,
                 decided: dt.date | str | None = None) -> dict[str, Verdict]:
    """Every title of the rule set that applies to the candidate's kind (or those named)."""
    year = _year(year)
    day = _decided(decided, year)
    f = parse_facts(facts)
    rs = rule_set if isinstance(rule_set, RuleSet) else _rule_set(resolve_book(config), rule_set, year, day)
    codes = titles if titles is not None else rs.titles_for(f.kind)
    return {code: _evaluate(f, code, year, rs, day) for code in codes}


def rule_set_for(day: dt.date | str, config: Config = None) -> RuleSet:
    """The rule set in force on a day (NĐ 91/2017 → NĐ 98/2023 from 2024-01-01 → NĐ 152/2025)."""
    return resolve_book(config).for_date(parse_date(day, "ngày"))


# --- caps ------------------------------------------------------------------------------------------


def apply_caps(verdicts: Sequence[tuple[Hashable, Verdict, float | int | None]], title: str,
               config: Config = None, *, base: int | None = None) -> list[Hashable]:
    """Keys of the eligible candidates a cap refuses (e.g. CSTĐCS ≤ 15 % of the LĐTT).

    The best `score`s keep their place (None scores last; ties keep the given order). `base` is how
    many hold the base title in the same scope; when not given it is counted from the verdicts
    (candidates meeting the base title's standard, e.g. the LĐTT conditions inside CSTĐCS ones).
    """
    if not verdicts:
        return []
    book = resolve_book(config)
    rs = book.get(verdicts[0][1].rule_set)
    cap = rs.title_rules(title).cap
    if cap is None:
        return []
    eligible = [(i, key, score) for i, (key, v, score) in enumerate(verdicts) if v.title == title and v.eligible]
    if base is None:
        if cap.of is None:
            base = len(verdicts)
        else:
            groups = [v.group_met(cap.of) for _, v, _ in verdicts]
            if all(g is None for g in groups):
                raise RulesError(f"Cần số {TITLES[cap.of].short_vi} (base) để áp hạn mức: {cap.text}")
            base = sum(1 for g in groups if g)
    allowed = cap.allowance(base)
    ranked = sorted(eligible, key=lambda e: (e[2] is None, -(e[2] or 0), e[0]))
    return [key for _, key, _ in ranked[allowed:]]


def cap_allowance(title: str, base: int, on: dt.date | str | None = None, config: Config = None,
                  rule_set: RuleSet | str | None = None) -> int | None:
    """How many `title` awards the cap allows when `base` hold its base title; None: no cap."""
    book = resolve_book(config)
    rs = rule_set if isinstance(rule_set, RuleSet) else (
        book.get(rule_set) if rule_set else book.for_date(parse_date(on or dt.date.today(), "ngày")))
    cap = rs.title_rules(title).cap
    return None if cap is None else cap.allowance(base)


# --- authority -------------------------------------------------------------------------------------


def may_award(authority: str, title: str, on: dt.date | str, config: Config = None) -> tuple[bool, str]:
    """Whether `authority` (chu_tich_ubnd_tinh, chu_tich_ubnd_xa, thu_truong_co_quan ...) may award
    `title` on a day, with the reason in Vietnamese."""
    if title not in TITLES:
        raise UnknownTitle(f"Mã danh hiệu không hợp lệ: {title!r} (dùng {', '.join(TITLES)})")
    day = parse_date(on, "ngày")
    rs = resolve_book(config).for_date(day)
    name = TITLES[title].name_vi
    holder = rs.authority.get(authority)
    if holder is None:
        return False, (f"Không có thẩm quyền {authority!r} trong bộ quy tắc {rs.id} "
                       f"(có: {', '.join(rs.authority)})")
    if holder.abolished:
        return False, f"{holder.name} không còn thẩm quyền từ {rs.effective_from:%d/%m/%Y}: {holder.abolished}"
    if title in holder.titles:
        return True, f"{holder.name} được quyết định tặng {name} ({holder.article})"
    others = [a.name for a in rs.authority.values() if title in a.titles and not a.abolished]
    who = "; ".join(others) if others else "không có cấp nào trong bộ quy tắc này"
    return False, f"{holder.name} không có thẩm quyền tặng {name} ({holder.article}); thẩm quyền thuộc: {who}"
