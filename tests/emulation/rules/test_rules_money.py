"""Reward money: coefficient × the base salary in force on the decision date, rounded UP to 10,000 đ."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from congvu.emulation.rules import FactsError, RuleDataError, UnknownTitle, reward
from congvu.emulation.rules.money import round_up

D = dt.date


@pytest.mark.parametrize(("title", "decided", "kind", "coefficient", "base", "amount"), [
    ("LDTT", D(2024, 12, 20), None, "0.3", 2_340_000, 710_000),          # 702,000 → 710,000
    ("LDTT", D(2024, 6, 30), None, "0.3", 1_800_000, 540_000),           # day before NĐ 73/2024
    ("LDTT", D(2024, 7, 1), None, "0.3", 2_340_000, 710_000),
    ("CSTDCS", D(2024, 12, 20), None, "1.0", 2_340_000, 2_340_000),      # already a multiple: unchanged
    ("CSTD_TINH", D(2024, 12, 20), None, "3.0", 2_340_000, 7_020_000),
    ("CSTD_TOAN_QUOC", D(2025, 4, 30), None, "4.5", 2_340_000, 10_530_000),
    ("TTLDTT", D(2024, 12, 20), None, "0.8", 2_340_000, 1_880_000),      # 1,872,000 → 1,880,000
    ("TTLDXS", D(2024, 12, 20), None, "1.5", 2_340_000, 3_510_000),
    ("CO_TINH", D(2025, 1, 10), None, "8.0", 2_340_000, 18_720_000),
    ("BK_TINH", D(2024, 12, 20), None, "1.0", 2_340_000, 2_340_000),     # person by default
    ("BK_TINH", D(2024, 12, 20), "collective", "2.0", 2_340_000, 4_680_000),
    ("GIAY_KHEN", D(2024, 12, 20), "person", "0.3", 2_340_000, 710_000),
    ("GIAY_KHEN", D(2024, 12, 20), "collective", "0.6", 2_340_000, 1_410_000),  # 1,404,000 → 1,410,000
    ("LDTT", D(2023, 12, 20), None, "0.3", 1_800_000, 540_000),          # NĐ 91/2017 rule set
    ("LDTT", D(2020, 1, 15), None, "0.3", 1_490_000, 450_000),           # 447,000 → 450,000
    ("TTLDTT", D(2025, 9, 1), None, "0.8", 2_340_000, 1_880_000),        # NĐ 152/2025: unchanged
])
def test_reward_table(title, decided, kind, coefficient, base, amount) -> None:
    r = reward(title, decided, kind)
    assert (r.coefficient, r.base_salary, r.amount) == (Decimal(coefficient), base, amount)
    assert r.as_dict() == {"coefficient": float(coefficient), "base_salary": base, "amount": amount}


def test_reward_keeps_its_sources() -> None:
    r = reward("TTLDXS", "2024-12-20")
    assert r.rule_set == "nd98-2023" and r.kind == "collective" and "NĐ 73/2024" in r.base_salary_source
    assert reward("LDTT", "20/12/2024").amount == 710_000  # Vietnamese date form


def test_reward_bad_input() -> None:
    with pytest.raises(UnknownTitle):
        reward("HUAN_CHUONG", D(2024, 12, 20))
    with pytest.raises(FactsError, match="Ngày không hợp lệ"):
        reward("LDTT", "2024-02-31")
    with pytest.raises(FactsError, match="'kind' không hợp lệ"):
        reward("LDTT", D(2024, 12, 20), "team")
    with pytest.raises(Exception, match="không có mức thưởng cho tập thể"):
        reward("LDTT", D(2024, 12, 20), "collective")
    with pytest.raises(RuleDataError, match="Không có bộ quy tắc nào có hiệu lực ngày 01/01/2016"):
        reward("LDTT", D(2016, 1, 1))


def test_base_salary_and_coefficients_are_configuration() -> None:
    override = {"base_salary": [{"from": "2026-07-01", "amount": 2_530_000, "source": "NĐ giả định", "confidence": "unverified"}],
                "all": {"titles": {"GIAY_KHEN": {"reward": {"person": {"coefficient": "0.35"}}}}}}
    assert reward("LDTT", D(2026, 7, 1), config=override).amount == 760_000   # 0.3 × 2,530,000 = 759,000
    assert reward("LDTT", D(2026, 6, 30), config=override).amount == 710_000
    assert reward("GIAY_KHEN", D(2024, 12, 20), config=override).amount == 820_000  # 0.35 × 2,340,000 = 819,000


@settings(max_examples=300, deadline=None)
@given(coefficient=st.decimals(min_value=0, max_value=50, places=3, allow_nan=False, allow_infinity=False),
       base=st.integers(min_value=1, max_value=10_000_000))
def test_round_up_properties(coefficient, base) -> None:
    exact = coefficient * base
    amount = round_up(exact, 10_000)
    assert amount % 10_000 == 0
    assert amount >= exact
    assert amount - exact < 10_000


@settings(max_examples=200, deadline=None)
@given(title=st.sampled_from(["LDTT", "CSTDCS", "CSTD_TINH", "CSTD_TOAN_QUOC", "TTLDTT", "TTLDXS", "CO_TINH",
                              "BK_TINH", "GIAY_KHEN"]),
       decided=st.dates(min_value=D(2017, 10, 1), max_value=D(2030, 12, 31)))
def test_reward_properties_over_time(title, decided) -> None:
    r = reward(title, decided)
    exact = r.coefficient * r.base_salary
    assert r.amount % 10_000 == 0 and r.amount >= exact and r.amount - exact < 10_000
    expected_base = 2_340_000 if decided >= D(2024, 7, 1) else 1_800_000 if decided >= D(2023, 7, 1) else None
    if expected_base:
        assert r.base_salary == expected_base
