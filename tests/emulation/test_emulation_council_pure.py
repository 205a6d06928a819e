"""Council arithmetic: quorum, approval over ALL members, tallies, who may vote (pure, no database)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from congvu.emulation import council as c
from congvu.emulation.rules import rule_set_for

RS = rule_set_for(dt.date(2024, 12, 20))


def test_quorum_two_thirds_of_members():
    assert c.quorum_check(RS, members=9, present=6).met
    q = c.quorum_check(RS, members=9, present=5)
    assert not q.met and q.required == 6
    assert "chưa đủ" in q.text and "5/9" in q.text


@pytest.mark.parametrize("present", [-1, 10])
def test_quorum_refuses_impossible_counts(present):
    with pytest.raises(c.CouncilError):
        c.quorum_check(RS, members=9, present=present)


def test_secret_ballot_and_ninety_percent_of_all_members_for_cstd_tinh():
    rules = RS.title_rules("CSTD_TINH")
    assert rules.ballot == c.SECRET
    # 10 members, 8 present and 1 written vote: 9 yes = 90 % of ALL members → approved
    assert c.outcome(rules, c.Tally(yes=9, no=0, abstain=0), members=10).approved
    r = c.outcome(rules, c.Tally(yes=8, no=0, abstain=0), members=10)  # 100 % of votes cast, 80 % of members
    assert not r.approved and r.required == 9
    assert "KHÔNG ĐẠT" in r.text and "8/10" in r.text


def test_open_ballot_more_than_half_for_ldtt():
    rules = RS.title_rules("LDTT")
    assert rules.ballot == c.OPEN
    assert not c.outcome(rules, c.Tally(yes=5, no=5), members=10).approved  # 50 % is not more than half
    assert c.outcome(rules, c.Tally(yes=6, no=4), members=10).approved
    assert c.outcome(rules, c.Tally(yes=6), members=10).required == 6


def test_more_votes_than_members_refused():
    with pytest.raises(c.CouncilError, match="nhiều hơn"):
        c.outcome(RS.title_rules("LDTT"), c.Tally(yes=11), members=10)


def test_tally_from_words():
    assert c.Tally.of(["đồng ý", "Dong y", "yes", "không đồng ý", "phiếu trắng"]) == c.Tally(3, 1, 1)
    with pytest.raises(c.CouncilError, match="Lựa chọn không hợp lệ"):
        c.Tally.of(["có lẽ"])


@given(members=st.integers(1, 60), num=st.integers(1, 99), strict=st.booleans())
def test_approval_required_is_the_least_passing_count(members, num, strict):
    ratio = Fraction(num, 100)
    need = c.approval_required(ratio, strict, members)

    def passes(yes):
        return yes * 100 > num * members if strict else yes * 100 >= num * members

    assert passes(need)
    assert need == 0 or not passes(need - 1)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"state": "closed"}, "đã kết thúc"),
    ({"state": "open"}, "chưa bắt đầu"),
    ({"is_member": False}, "Chỉ thành viên"),
    ({"already_voted": True}, "đã bỏ phiếu"),
    ({"written": True, "present": True}, "có mặt"),
    ({"written": False, "present": False}, "vắng mặt"),
])
def test_who_may_vote(kwargs, message):
    args = {"state": "voting", "is_member": True, "present": True, "written": False, "already_voted": False}
    args.update(kwargs)
    with pytest.raises(c.CouncilError, match=message):
        c.check_can_vote(**args)


def test_absent_member_votes_in_writing():
    assert c.check_can_vote(state="voting", is_member=True, present=False, written=True, already_voted=False) is None
