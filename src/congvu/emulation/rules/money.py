"""Reward money (tiền thưởng): coefficient × the base salary in force on the decision date, rounded
UP to the next 10,000 đồng (spec §1.8; NĐ 98/2023 Điều 54). Coefficients and the base-salary
history are data (data/rulesets/*.yaml, data/base_salary.yaml)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, NamedTuple

from .engine import Config
from .errors import FactsError, RulesError, UnknownTitle
from .facts import parse_date
from .ruleset import resolve_book
from .titles import COLLECTIVE, KINDS, PERSON, TITLES


class Reward(NamedTuple):
    coefficient: Decimal
    base_salary: int
    amount: int
    title: str = ""
    kind: str = ""
    rule_set: str = ""
    decided: dt.date | None = None
    base_salary_source: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The CLI's JSON: the coefficient as a number, money in đồng."""
        return {"coefficient": float(self.coefficient), "base_salary": self.base_salary, "amount": self.amount}


def round_up(value: Decimal, step: int) -> int:
    """The smallest multiple of `step` that is ≥ value (exact decimal arithmetic)."""
    whole = -(-value // step)  # Decimal floor division truncates toward zero; value ≥ 0 here
    if whole * step < value:
        whole += 1
    return int(whole) * step


def reward(title: str = "LDTT", decided: dt.date | str = dt.date(2024, 12, 20), kind: str | None = None,
           config: Config = None) -> Reward:
    """Money for one award of `title` decided on `decided`. `kind` (person/collective) matters for
    forms given to both (Bằng khen, Giấy khen); it defaults to the title's own kind, else person."""
    if title not in TITLES:
        raise UnknownTitle(f"Mã danh hiệu không hợp lệ: {title!r} (dùng {', '.join(TITLES)})")
    day = parse_date(decided, "decided")
    if kind is not None and kind not in KINDS:
        raise FactsError(f"'kind' không hợp lệ: {kind!r} (dùng person hoặc collective)")
    book = resolve_book(config)
    rs = book.for_date(day)
    rules = rs.title_rules(title)
    if kind is None:
        kind = PERSON if PERSON in rules.rewards else COLLECTIVE
    rule = rules.rewards.get(kind)
    if rule is None:
        who = "tập thể" if kind == COLLECTIVE else "cá nhân"
        raise RulesError(f"{TITLES[title].name_vi} không có mức thưởng cho {who} trong bộ quy tắc {rs.id}")
    salary = book.base_salary_on(day)
    amount = round_up(rule.coefficient * salary.amount, rs.rounding_step)
    return Reward(rule.coefficient, salary.amount, amount, title, kind, rs.id, day, salary.source)
