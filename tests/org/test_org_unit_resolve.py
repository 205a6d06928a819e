"""Issue 13: `--unit` accepts a code, an accent-free or partial name that is unique, and lists the
candidates otherwise (congvu.org.selectors.unit_resolve; onestop's unit_find is an alias)."""

from __future__ import annotations

import datetime as dt

import pytest

from congvu.common.errors import NotFound
from congvu.onestop.selectors import unit_find
from congvu.org.selectors import unit_resolve
from factories import make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(province):
    district = make_unit("Huyện Ba Tơ", kind="district", parent=province, code="51-BT")
    ba_bich = make_unit("Xã Ba Bích", kind="commune", parent=district, code="51-BB")
    desk = make_unit("Bộ phận một cửa xã Ba Bích", kind="onestop_desk", parent=ba_bich, code="H55.BB")
    ba_dong = make_unit("Xã Ba Động", kind="commune", parent=district, code="51-BD")
    old = make_unit("Xã Ba Vì", kind="commune", parent=district, code="51-BV-OLD", valid_to=dt.date(2025, 6, 30))
    new = make_unit("Xã Ba Vì", kind="commune", parent=district, code="51-BV", valid_from=dt.date(2025, 7, 1))
    return {"ba_bich": ba_bich, "desk": desk, "ba_dong": ba_dong, "old": old, "new": new, "district": district}


def test_code_name_accent_free_and_bare_name(tree):
    assert unit_resolve("51-BB") == tree["ba_bich"]
    assert unit_resolve("Xã Ba Bích") == tree["ba_bich"]
    assert unit_resolve("xa ba bich") == tree["ba_bich"]
    assert unit_resolve("Ba Bích") == tree["ba_bich"]  # was "not found"
    assert unit_resolve("ba bich") == tree["ba_bich"]
    assert unit_resolve("mot cua ba bich") == tree["desk"]  # unique partial name
    assert unit_find("Ba Bích") == tree["ba_bich"]  # the one-stop alias


def test_ambiguous_lists_candidates_and_unknown_is_not_found(tree):
    with pytest.raises(NotFound) as exc:
        unit_resolve("Ba")
    assert exc.value.code == "unit.ambiguous" and "51-BB" in exc.value.message and "51-BD" in exc.value.message
    with pytest.raises(NotFound) as exc:
        unit_resolve("Không có đâu")
    assert exc.value.code == "unit.not_found"


def test_the_unit_existing_today_wins_a_tie(tree):
    assert unit_resolve("Ba Vì", day=dt.date(2026, 1, 1)) == tree["new"]
    assert unit_resolve("Ba Vì", day=dt.date(2024, 1, 1)) == tree["old"]
