"""Services of the emulation app: movements, criteria, pledges, records, initiatives, awards."""

from __future__ import annotations

import datetime as dt

import pytest
from emu_factories import launched_movement, leader, make_tree, officer, staffed_person

from congvu.audit.models import AuditEntry
from congvu.common.errors import Conflict, DomainError, NotAllowed
from congvu.emulation import services as es
from congvu.emulation.models import (
    AwardRecord,
    InitiativeStatus,
    MovementState,
    PersonYearRecord,
    Pledge,
)
from congvu.emulation.selectors import candidate_facts, movement_registration
from factories import make_person, make_unit

pytestmark = pytest.mark.django_db


def test_movement_launch_needs_criteria_and_is_audited():
    root, a, b = make_tree()
    m = es.movement_create(actor=officer(root), unit=root, name="Đẩy mạnh cải cách hành chính", year=2024,
                           kind="thematic", theme="Cải cách hành chính", period_start=dt.date(2024, 1, 1),
                           period_end=dt.date(2024, 12, 31))
    with pytest.raises(DomainError, match="chưa có tiêu chí"):
        es.movement_launch(actor=None, movement=m)
    crit = es.criterion_add(actor=None, movement=m, name="Kết quả PAR INDEX", weight=30, measure="index_result",
                            parameters={"framework": "par"})
    assert crit.metric_name == "index.par.percent"
    crit2 = es.criterion_add(actor=None, movement=m, name="Nhiệm vụ đúng hạn", weight=30, measure="task_completion")
    assert crit2.metric_name == "directives.task_on_time_rate"
    m = es.movement_launch(actor=None, movement=m, launched_on=dt.date(2024, 2, 1))
    assert m.state == MovementState.LAUNCHED
    with pytest.raises(DomainError, match="đã phát động"):
        es.criterion_add(actor=None, movement=m, name="Thêm", weight=10)
    actions = set(AuditEntry.objects.filter(object_type__icontains="movement").values_list("action", flat=True))
    assert {"create", "transition:launch"} <= actions


def test_movement_bad_input_refused():
    root, a, b = make_tree()
    with pytest.raises(DomainError, match="chủ đề"):
        es.movement_create(actor=None, unit=root, name="X", year=2024, kind="thematic",
                           period_start=dt.date(2024, 1, 1), period_end=dt.date(2024, 12, 31))
    with pytest.raises(DomainError, match="trước ngày bắt đầu"):
        es.movement_create(actor=None, unit=root, name="X", year=2024, period_start=dt.date(2024, 5, 1),
                           period_end=dt.date(2024, 1, 1))
    other = make_unit("Đơn vị ngoài")
    with pytest.raises(DomainError, match="không thuộc phạm vi"):
        es.movement_create(actor=None, unit=root, name="X", year=2024, scope="units", scope_units=[other],
                           period_start=dt.date(2024, 1, 1), period_end=dt.date(2024, 12, 31))


def test_movement_create_policy():
    root, a, b = make_tree()
    with pytest.raises(NotAllowed):
        es.movement_create(actor=leader(root), unit=root, name="X", year=2024, period_start=dt.date(2024, 1, 1),
                           period_end=dt.date(2024, 12, 31))
    with pytest.raises(NotAllowed):
        es.movement_create(actor=officer(a), unit=root, name="X", year=2024, period_start=dt.date(2024, 1, 1),
                           period_end=dt.date(2024, 12, 31))


def test_pledges_and_who_has_not_registered():
    root, a, b = make_tree()
    m = launched_movement(root)
    pledge = es.pledge_register(actor=leader(a), movement=m, subject="unit", unit=a, titles=["TTLDXS"],
                                targets="100% hồ sơ đúng hạn")
    status = movement_registration(movement=m)
    assert [u.pk for u, _ in status.registered] == [a.pk]
    assert [u.pk for u in status.missing] == [b.pk]
    assert status.unsigned and not status.signed
    es.pledge_sign(actor=leader(a), pledge=pledge, signed_by="Trưởng phòng Nội vụ")
    assert movement_registration(movement=m).signed
    with pytest.raises(Conflict):
        es.pledge_sign(actor=None, pledge=pledge, signed_by="Lần hai")
    with pytest.raises(Conflict, match="đã đăng ký"):
        es.pledge_register(actor=None, movement=m, subject="unit", unit=a, titles=["TTLDTT"])
    with pytest.raises(DomainError, match="không xét cho cá nhân"):
        es.pledge_register(actor=None, movement=m, subject="person", person=make_person(b), titles=["TTLDXS"])
    with pytest.raises(NotAllowed):
        es.pledge_register(actor=leader(a), movement=m, subject="unit", unit=b, titles=["TTLDTT"])
    outsider = make_unit("Xã ngoài phạm vi")
    with pytest.raises(DomainError, match="không thuộc phạm vi"):
        es.pledge_register(actor=None, movement=m, subject="unit", unit=outsider, titles=["TTLDTT"])
    person_pledge = es.pledge_register(actor=None, movement=m, subject="person", person=make_person(b),
                                       titles=["CSTDCS"])
    assert movement_registration(movement=m).people == [person_pledge]
    assert Pledge.objects.count() == 2


def test_rating_outside_employment_refused_and_unchanged():
    root, a, b = make_tree()
    p = staffed_person(a, recruited=dt.date(2022, 7, 1), ratings={2023: "excellent"})
    with pytest.raises(DomainError, match="trước khi .* được tuyển dụng"):
        es.person_year_record_set(actor=None, person=p, year=2021, rating="good")
    assert not PersonYearRecord.objects.filter(person=p, year=2021).exists()
    es.profile_set(actor=None, person=p, recruited_on=dt.date(2022, 7, 1), employment_end=dt.date(2023, 12, 31))
    with pytest.raises(DomainError, match="sau khi .* thôi việc"):
        es.person_year_record_set(actor=None, person=p, year=2024, rating="good")


def test_initiative_propose_review_recognise():
    root, a, b = make_tree()
    p = staffed_person(a)
    ini = es.initiative_propose(actor=leader(a), unit=a, title="Số hóa sổ hộ tịch", authors=[p], year=2024,
                                applied_on=dt.date(2024, 3, 1))
    with pytest.raises(DomainError, match="chưa được Hội đồng sáng kiến xét"):
        es.initiative_recognise(actor=None, initiative=ini, decision_number="12/QĐ-UBND",
                                recognised_on=dt.date(2024, 11, 20))
    ini = es.initiative_review(actor=officer(root), initiative=ini, recommends=True, score=85,
                               reviewed_on=dt.date(2024, 11, 10))
    assert ini.status == InitiativeStatus.REVIEWED
    with pytest.raises(DomainError, match="trước ngày Hội đồng xét"):
        es.initiative_recognise(actor=None, initiative=ini, decision_number="12/QĐ-UBND",
                                recognised_on=dt.date(2024, 11, 1))
    ini = es.initiative_recognise(actor=officer(root), initiative=ini, decision_number="12/QĐ-UBND",
                                  recognised_on=dt.date(2024, 11, 20), recognised_by="Chủ tịch UBND huyện")
    assert ini.status == InitiativeStatus.RECOGNISED
    facts = candidate_facts(person_id=p.pk, year=2024)
    assert facts["initiatives"] == [{"id": ini.ref, "year": 2024, "scope": "co_so", "applied": True,
                                     "recognised_on": "2024-11-20"}]


def test_initiative_rejected_by_council_cannot_be_recognised():
    root, a, b = make_tree()
    ini = es.initiative_propose(actor=None, unit=a, title="Ý tưởng", authors=[staffed_person(a)], year=2024)
    ini = es.initiative_review(actor=None, initiative=ini, recommends=False, note="Chưa có tính mới")
    assert ini.status == InitiativeStatus.REJECTED
    with pytest.raises(DomainError):
        es.initiative_recognise(actor=None, initiative=ini, decision_number="1", recognised_on=dt.date(2024, 12, 1))


def test_initiative_recognised_after_the_decision_relying_on_it_refused():
    root, a, b = make_tree()
    p = staffed_person(a)
    ini = es.initiative_propose(actor=None, unit=a, title="Một cửa không giấy", authors=[p], year=2024)
    es.initiative_review(actor=None, initiative=ini, recommends=True, reviewed_on=dt.date(2024, 10, 1))
    with pytest.raises(DomainError, match="chưa được công nhận"):
        es.award_record_create(actor=None, person=p, title_code="CSTDCS", year=2024, decision_number="50/QĐ-UBND",
                               decision_date=dt.date(2024, 12, 1), achievement_ref=ini.ref)
    es.initiative_recognise(actor=None, initiative=ini, decision_number="60/QĐ", recognised_on=dt.date(2024, 12, 5))
    with pytest.raises(DomainError, match="sau quyết định khen thưởng"):
        es.award_record_create(actor=None, person=p, title_code="CSTDCS", year=2024, decision_number="50/QĐ-UBND",
                               decision_date=dt.date(2024, 12, 1), achievement_ref=ini.ref)
    assert not AwardRecord.objects.exists()
    award = es.award_record_create(actor=None, person=p, title_code="CSTDCS", year=2024, decision_number="70/QĐ",
                                   decision_date=dt.date(2024, 12, 20), achievement_ref=ini.ref)
    with pytest.raises(Conflict, match="đã là căn cứ"):
        es.award_record_create(actor=None, person=p, title_code="BK_TINH", year=2024, achievement_ref=ini.ref)
    assert award.achievement_ref == ini.ref


def test_award_register_one_achievement_one_award():
    root, a, b = make_tree()
    p = staffed_person(a)
    es.award_record_create(actor=None, person=p, title_code="LDTT", year=2023, decision_number="10/QĐ",
                           decision_date=dt.date(2024, 1, 10))
    with pytest.raises(Conflict, match="mỗi thành tích chỉ khen một lần"):
        es.award_record_create(actor=None, person=p, title_code="LDTT", year=2023, decision_number="11/QĐ")
    with pytest.raises(DomainError, match="trước năm thành tích"):
        es.award_record_create(actor=None, person=p, title_code="CSTDCS", year=2023,
                               decision_date=dt.date(2022, 12, 1))
    es.award_record_create(actor=None, person=p, title_code="BK_TTG", year=2023, decision_number="99/QĐ-TTg")
    es.award_record_create(actor=None, unit=a, title_code="TTLDXS", year=2023)
    with pytest.raises(DomainError, match="không xét cho tập thể"):
        es.award_record_create(actor=None, unit=a, title_code="LDTT", year=2023)
    assert AwardRecord.objects.count() == 3
    facts = candidate_facts(person_id=p.pk, year=2024)
    assert facts["titles"] == [{"year": 2023, "code": "LDTT", "decision": "10/QĐ"}]
    assert facts["awards"] == [{"year": 2023, "code": "BK_TTG", "decision": "99/QĐ-TTg"}]


def test_collective_facts_member_ratios():
    root, a, b = make_tree()
    people = [staffed_person(a, ratings={2024: r}) for r in ("excellent", "good", "good", "complete")]
    es.award_record_create(actor=None, person=people[0], title_code="CSTDCS", year=2024)
    es.award_record_create(actor=None, person=people[1], title_code="LDTT", year=2024)
    es.unit_year_record_set(actor=None, unit=a, year=2024, rating="excellent")
    facts = candidate_facts(unit_code=a.code, year=2024)
    assert facts["members"] == 4
    assert facts["members_complete"] == 4
    assert facts["members_ldtt"] == 2
    assert facts["members_cstdcs"] == 1
    assert facts["rating"] == "excellent"
    assert candidate_facts(unit_code="KHONG-CO", year=2024) is None
