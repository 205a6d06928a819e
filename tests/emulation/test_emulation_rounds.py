"""The evaluation round: pre-fill by the engine from DB records, nomination, disclosure, submission."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from emu_factories import leader, make_tree, officer, staffed_person

from congvu.common.errors import DomainError, NotAllowed
from congvu.emulation import services as es
from congvu.emulation.models import Candidate, RoundState

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle():
    root, a, b = make_tree()
    star = staffed_person(a, name="Lê Thị Sao", ratings={2023: "excellent", 2024: "excellent"})
    good = [staffed_person(a, ratings={2024: "good"}) for _ in range(3)]
    new = staffed_person(a, recruited=dt.date(2024, 10, 1), ratings={2024: "good"})  # < 6 months
    weak = staffed_person(b, ratings={2024: "complete"})
    es.unit_year_record_set(actor=None, unit=a, year=2024, rating="excellent")
    ini = es.initiative_propose(actor=None, unit=a, title="Tra cứu hồ sơ bằng mã QR", authors=[star], year=2024)
    es.initiative_review(actor=None, initiative=ini, recommends=True, reviewed_on=dt.date(2024, 11, 1))
    es.initiative_recognise(actor=None, initiative=ini, decision_number="88/QĐ-UBND", recognised_on=dt.date(2024, 11, 15),
                            scope="tinh", replicable=True)
    return root, a, b, star, good, new, weak


def cand(rnd, title, person=None, unit=None):
    qs = Candidate.objects.filter(round=rnd, title_code=title)
    return qs.get(person=person) if person else qs.get(person__isnull=True, unit=unit)


def test_round_prefill_verdicts_from_records(cycle):
    root, a, b, star, good, new, weak = cycle
    rnd = es.round_open(actor=officer(root), unit=root, year=2024)
    assert rnd.rule_set == "nd98-2023"
    assert cand(rnd, "LDTT", star).verdict == "eligible"
    assert cand(rnd, "CSTDCS", star).verdict == "eligible"
    assert cand(rnd, "LDTT", good[0]).verdict == "eligible"
    assert cand(rnd, "CSTDCS", good[0]).verdict == "not_eligible"
    assert cand(rnd, "LDTT", new).verdict == "not_eligible"  # recruited under 6 months
    months = [c for c in cand(rnd, "LDTT", new).verdict_detail["conditions"] if c["met"] is False]
    assert any("6" in c["text"] for c in months)
    assert cand(rnd, "LDTT", weak).verdict == "not_eligible"
    # collective a: 5 members all ≥ complete, LĐTT eligible 4 of 5 (> 50 %): TTLĐTT
    assert cand(rnd, "TTLDTT", unit=a).verdict == "eligible"
    assert cand(rnd, "TTLDTT", unit=b).verdict != "eligible"
    # re-running keeps nominations
    es.candidate_nominate(actor=leader(a), candidate=cand(rnd, "LDTT", star))
    es.round_prefill(actor=None, round=rnd)
    assert cand(rnd, "LDTT", star).nominated


def test_nominate_report_checklist_and_refusals(cycle):
    root, a, b, star, good, new, weak = cycle
    rnd = es.round_open(actor=None, unit=root, year=2024, titles=["LDTT", "CSTDCS", "TTLDTT"])
    c = es.candidate_nominate(actor=leader(a), candidate=cand(rnd, "CSTDCS", star))
    assert "Lê Thị Sao" in c.report and "Tra cứu hồ sơ bằng mã QR" in c.report
    assert "Năm 2024: hoàn thành xuất sắc nhiệm vụ" in c.report
    assert c.checklist["bao_cao_thanh_tich"]["done"] is True
    with pytest.raises(DomainError, match="chưa đủ điều kiện"):
        es.candidate_nominate(actor=None, candidate=cand(rnd, "LDTT", new))
    with pytest.raises(NotAllowed):
        es.candidate_nominate(actor=leader(b), candidate=cand(rnd, "LDTT", good[0]))
    collective = es.candidate_nominate(actor=None, candidate=cand(rnd, "TTLDTT", unit=a))
    assert "Tỷ lệ nhiệm vụ hoàn thành đúng hạn" in collective.report
    assert "Không có số liệu trong kỳ" in collective.report  # no published index result, no task
    gaps = es.dossier_gaps(rnd)
    assert gaps and "Tờ trình" in gaps[0]
    with pytest.raises(DomainError, match="Hồ sơ chưa đủ"):
        es.round_submit(actor=None, round=rnd)
    for c in Candidate.objects.filter(round=rnd, nominated=True):
        es.candidate_update(actor=None, candidate=c, checklist={k: True for k in c.checklist})
    assert es.dossier_gaps(rnd) == []
    rnd = es.round_submit(actor=None, round=rnd)
    assert rnd.state == RoundState.COUNCIL


def test_disclosure_in_working_days(cycle):
    root, a, b, star, good, new, weak = cycle
    es.award_record_create(actor=None, person=star, title_code="CSTDCS", year=2022)
    es.award_record_create(actor=None, person=star, title_code="CSTDCS", year=2023)
    rnd = es.round_open(actor=None, unit=root, year=2024, titles=["CSTDCS", "CSTD_TINH"])
    assert rnd.disclosure_working_days == 10
    c = cand(rnd, "CSTDCS", star)
    es.candidate_nominate(actor=None, candidate=c)
    es.candidate_update(actor=None, candidate=c, checklist={"to_trinh": True})
    assert es.required_disclosure_days(rnd) == 0  # CSTĐCS needs none
    rnd = es.round_submit(actor=None, round=rnd)
    assert rnd.state == RoundState.COUNCIL

    es.award_record_create(actor=None, person=star, title_code="CSTDCS", year=2024)  # decided after round 1
    rnd2 = es.round_open(actor=None, unit=a, year=2024, titles=["CSTD_TINH"])
    c2 = cand(rnd2, "CSTD_TINH", star)
    assert c2.verdict in ("eligible", "needs_information"), [x for x in c2.verdict_detail["conditions"] if x["met"] is False]
    c2 = es.candidate_nominate(actor=None, candidate=c2)
    es.candidate_update(actor=None, candidate=c2, checklist={k: True for k in c2.checklist})
    with pytest.raises(DomainError, match="10 ngày làm việc"):
        es.round_submit(actor=None, round=rnd2)
    # Friday 27/12/2024 + 10 working days: 27, 30, 31/12, 2, 3, 6, 7, 8, 9, 10/01 (1/1 is a holiday)
    rnd2 = es.round_disclose(actor=None, round=rnd2, start=dt.date(2024, 12, 27))
    assert rnd2.disclosure_start == dt.date(2024, 12, 27)
    assert rnd2.disclosure_end == dt.date(2025, 1, 10)
    with pytest.raises(DomainError, match="Đang công khai"):
        es.round_submit(actor=None, round=rnd2, on=dt.date(2025, 1, 10))
    assert es.round_submit(actor=None, round=rnd2, on=dt.date(2025, 1, 13)).state == RoundState.COUNCIL


def test_cli_check_reads_the_database(cycle, capsys):
    root, a, b, star, good, new, weak = cycle
    call_command("emulation", "check", "--person", str(star.pk), "--title", "CSTDCS", "--year", "2024", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["verdict"] == "eligible" and out["rule_set"] == "nd98-2023"
    call_command("emulation", "check", "--unit", a.code, "--title", "TTLDTT", "--year", "2024", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["title"] == "TTLDTT"


def test_round_command(cycle, capsys):
    root, a, b, star, good, new, weak = cycle
    call_command("emulation_round", "--unit", root.code, "--year", "2024", "--titles", "LDTT,TTLDTT")
    out = json.loads(capsys.readouterr().out)
    assert out["rule_set"] == "nd98-2023" and out["people"] == 6 and out["candidates"] == 6 + 2
    call_command("emulation_round", "--prefill", str(out["round"]))
    assert json.loads(capsys.readouterr().out)["round"] == out["round"]
    with pytest.raises(Exception, match="đã có đợt bình xét"):
        call_command("emulation_round", "--unit", root.code, "--year", "2024")


def test_prefill_again_updates_changed_verdicts_only(cycle):
    root, a, b, star, good, new, weak = cycle
    rnd = es.round_open(actor=None, unit=root, year=2024, titles=["LDTT"])
    assert cand(rnd, "LDTT", weak).verdict == "not_eligible"
    es.person_year_record_set(actor=None, person=weak, year=2024, rating="good")
    counts = es.round_prefill(actor=None, round=rnd)
    assert counts["changed"] == 1
    c = cand(rnd, "LDTT", weak)
    assert c.verdict == "eligible" and all(x["met"] for x in c.verdict_detail["conditions"] if x["met"] is not None)
    assert es.round_prefill(actor=None, round=rnd)["changed"] == 0
