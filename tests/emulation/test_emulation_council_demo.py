"""The council demo step: a secret vote, decisions and exemplars on a round submitted to the council."""

from __future__ import annotations

import io

import pytest

from congvu.emulation import demo_council
from congvu.emulation.models import AwardRecord, Candidate, Round
from congvu.emulation.models_council import CouncilSession, Decision, Exemplar
from congvu.org.roles import Role
from factories import make_person, make_unit, make_user_with_role

pytestmark = pytest.mark.django_db


def test_demo_votes_decides_and_publishes_once():
    out = io.StringIO()
    assert demo_council.load(stdout=out)["sessions"] == 0  # no round yet: skipped with a message
    province = make_unit("Tỉnh Quảng Ngãi", kind="province", code="51")
    dept = make_unit("Sở Nội vụ", parent=province)
    make_user_with_role(Role.EMULATION_OFFICER, province, "thiduakt")
    make_user_with_role(Role.COUNCIL_MEMBER, province, "hoidong")
    rnd = Round.objects.create(year=2024, unit=province, rule_set="nd98-2023", state="council")
    for title in ("CSTD_TINH", "LDTT", "LDTT"):
        Candidate.objects.create(round=rnd, person=make_person(dept), unit=dept, title_code=title,
                                 verdict="eligible", rule_set="nd98-2023", nominated=True)
    result = demo_council.load(stdout=out)
    assert result["sessions"] == 1
    session = CouncilSession.objects.get()
    assert session.state == "published" and session.members.count() == 5
    secret = session.items.get(title_code="CSTD_TINH")
    assert (secret.ballot, secret.yes, secret.no, secret.approved) == ("secret", 5, 0, True)
    assert Decision.objects.count() == 2 and AwardRecord.objects.filter(title_code="LDTT").count() == 2
    assert Decision.objects.get(title_code="CSTD_TINH").authority == "chu_tich_ubnd_tinh"
    assert Exemplar.objects.filter(state="published").count() == 2
    assert demo_council.load(stdout=out)["sessions"] == 0  # idempotent
    assert CouncilSession.objects.count() == 1


def test_demo_on_an_open_round_adds_a_secret_ballot_title():
    from emu_factories import staffed_person

    from congvu.emulation import services as es

    out = io.StringIO()
    province = make_unit("Tỉnh Quảng Ngãi", kind="province", code="51")
    district = make_unit("Huyện Bình Sơn", kind="district", parent=province, code="51-524")
    dept = make_unit("Phòng Nội vụ", parent=district)
    make_user_with_role(Role.EMULATION_OFFICER, province, "thiduakt")
    make_user_with_role(Role.COUNCIL_MEMBER, province, "hoidong")
    people = [staffed_person(dept, ratings={2022: "excellent", 2023: "excellent", 2024: "excellent"}) for _ in range(2)]
    rnd = es.round_open(actor=None, unit=district, year=2024, titles=["CSTDCS", "CSTD_TINH"])
    for p in people:
        cand = es.candidate_nominate(actor=None, candidate=Candidate.objects.get(round=rnd, person=p, title_code="CSTDCS"))
        es.candidate_update(actor=None, candidate=cand, checklist={k: True for k in cand.checklist})
    result = demo_council.load(stdout=out)
    assert result["sessions"] == 1, out.getvalue()
    secret = CouncilSession.objects.get().items.get(title_code="CSTD_TINH")
    assert (secret.ballot, secret.yes, secret.approved) == ("secret", 5, True)
    provincial = Decision.objects.get(title_code="CSTD_TINH")
    assert (provincial.authority, provincial.unit, provincial.amount_each) == ("chu_tich_ubnd_tinh", province, 7_020_000)
    assert Decision.objects.get(title_code="CSTDCS").authority == "chu_tich_ubnd_huyen"
