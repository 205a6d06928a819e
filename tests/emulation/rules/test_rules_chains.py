"""Property tests on the consecutive-year chains, against plain oracles written from the law's words."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from congvu.emulation.rules import evaluate

YEARS = range(2016, 2031)
RATING_WORDS = ["excellent", "good", "complete", "incomplete"]

years_sets = st.sets(st.sampled_from(list(YEARS)), max_size=12)
eval_year = st.integers(min_value=2018, max_value=2030)


def _person(cstdcs_years, year, **extra):
    facts = {"kind": "person", "recruited": "2010-01-01", "discipline": [], "research": [], "initiatives": [],
             "ratings": {str(year): "good"},
             "titles": [{"year": y, "code": "CSTDCS"} for y in sorted(cstdcs_years)]}
    facts.update(extra)
    return facts


def _condition(v, cid):
    return [c for c in v.conditions if c.id == cid][0]


@settings(max_examples=150, deadline=None)
@given(cstdcs=years_sets, year=eval_year)
def test_cstd_tinh_chain_is_three_consecutive_cstdcs_ending_in_the_year(cstdcs, year) -> None:
    v = evaluate(_person(cstdcs, year), "CSTD_TINH", year)
    expected = all(y in cstdcs for y in (year - 2, year - 1, year))
    assert _condition(v, "chain").met is expected


@settings(max_examples=150, deadline=None)
@given(cstdcs=years_sets, year=eval_year, extra=st.sampled_from(list(YEARS)))
def test_more_titles_never_break_a_chain(cstdcs, year, extra) -> None:
    """Monotone: adding an earlier title can only keep or complete a chain, never break it."""
    before = _condition(evaluate(_person(cstdcs, year), "CSTD_TINH", year), "chain").met
    after = _condition(evaluate(_person(cstdcs | {extra}, year), "CSTD_TINH", year), "chain").met
    assert not (before and not after)


ratings_map = st.dictionaries(st.sampled_from(list(YEARS)), st.sampled_from(RATING_WORDS), max_size=15)
initiative_years = st.lists(st.sampled_from(list(YEARS)), max_size=5)


@settings(max_examples=200, deadline=None)
@given(ratings=ratings_map, cstdcs=years_sets, initiatives=initiative_years,
       year=st.integers(min_value=2024, max_value=2030))
def test_bang_khen_point_d_against_the_law_text(ratings, cstdcs, initiatives, year) -> None:
    """Điều 74.1.d (Luật 2022, so years from 2024): 2 consecutive CSTĐCS, OR 2 consecutive years
    excellent with 2 initiatives in them. With every rating year given, the answer is never "unknown"
    and equals the oracle."""
    ratings = {y: ratings.get(y, "good") for y in YEARS}  # complete records: no unknowns
    facts = _person(cstdcs, year, ratings={str(y): w for y, w in ratings.items()},
                    initiatives=[{"year": y, "scope": "co_so", "recognised_on": f"{y}-11-01", "applied": True}
                                 for y in initiatives])
    two_titles = {year - 1, year} <= cstdcs
    excellent = all(ratings[y] == "excellent" for y in (year - 1, year))
    enough = sum(1 for y in initiatives if year - 1 <= y <= year) >= 2
    v = evaluate(facts, "BK_TINH", year)
    assert _condition(v, "point_d").met is (two_titles or (excellent and enough))


@settings(max_examples=150, deadline=None)
@given(ratings=ratings_map, year=eval_year)
def test_rating_chain_three_valued(ratings, year) -> None:
    """A missing year is unknown unless a known year already breaks the chain."""
    facts = {"kind": "collective", "ratings": {str(y): w for y, w in ratings.items()}, "titles": []}
    got = _condition(evaluate(facts, "BK_TINH", year), "excellent_chain").met
    window = [ratings.get(y) for y in (year - 1, year)]
    if any(w is not None and w != "excellent" for w in window):
        assert got is False
    elif None in window:
        assert got is None
    else:
        assert got is True


@settings(max_examples=150, deadline=None)
@given(recruited=st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2026, 12, 31)),
       year=st.integers(min_value=2024, max_value=2026))
def test_six_month_rule(recruited, year) -> None:
    """TT 01/2024: no LĐTT when recruited less than 6 months before the end of the year, i.e. the
    rule holds exactly for recruitment on or before 1 July of the year."""
    v = evaluate({"kind": "person", "recruited": recruited.isoformat(), "ratings": {str(year): "good"},
                  "discipline": []}, "LDTT", year)
    assert _condition(v, "recruited").met is (recruited <= dt.date(year, 7, 1))
