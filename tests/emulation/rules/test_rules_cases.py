"""Cases from the law and the issue's bad-input list, beyond one condition at a time."""

from __future__ import annotations

import datetime as dt

import pytest
from emr_helpers import collective, met, person

from congvu.emulation.rules import (
    FactsError,
    UnknownTitle,
    evaluate,
    evaluate_all,
    parse_facts,
    rule_set_for,
)


def test_moha_worked_example_bang_khen() -> None:
    """Bộ Nội vụ (spec §1.4): 2023 HTXSNV + 1 sáng kiến (no CSTĐCS), 2024 HTXSNV + 1 sáng kiến + CSTĐCS
    ⇒ eligible for the provincial chairman's Bằng khen under Điều 74.1.d."""
    facts = {
        "kind": "person", "recruited": "2015-09-01", "discipline": [],
        "ratings": {"2023": "excellent", "2024": "excellent"},
        "titles": [{"year": 2024, "code": "CSTDCS"}],
        "initiatives": [
            {"year": 2023, "scope": "co_so", "recognised_on": "2023-12-05", "applied": True},
            {"year": 2024, "scope": "co_so", "recognised_on": "2024-11-20", "applied": True},
        ],
        "research": [],
    }
    v = evaluate(facts, "BK_TINH", 2024)
    assert v.verdict == "eligible"
    point_d = [c for c in v.conditions if c.id == "point_d"][0]
    assert point_d.article == "Luật TĐKT 2022, Điều 74 khoản 1 điểm d"
    assert "Đạt: liên tục hoàn thành xuất sắc" in point_d.detail  # carried by the second alternative
    # Only one CSTĐCS: the first alternative alone would not do; with one initiative the second fails too.
    one = {**facts, "initiatives": facts["initiatives"][1:]}
    assert evaluate(one, "BK_TINH", 2024).verdict == "not_eligible"


def test_initiative_recognised_after_the_decision_is_not_counted() -> None:
    facts = person(titles=[], ratings={"2024": "good"}, research=[],
                   initiatives=[{"year": 2024, "scope": "co_so", "recognised_on": "2024-12-22", "applied": True}])
    assert evaluate(facts, "CSTDCS", 2024).verdict == "eligible"  # no decision date: counted
    late = evaluate(facts, "CSTDCS", 2024, decided=dt.date(2024, 12, 20))
    assert late.verdict == "not_eligible"
    detail = [c for c in late.conditions if c.id == "achievement"][0].detail
    assert "22/12/2024" in detail and "sau ngày quyết định 20/12/2024" in detail
    assert evaluate(facts, "CSTDCS", 2024, decided="2024-12-22").verdict == "eligible"  # same day counts


def test_one_achievement_one_award_by_reference() -> None:
    """An initiative already relied on by another award cannot support a second one."""
    used = [{"ref": "SK-2023", "code": "BK_TINH", "year": 2023}, {"ref": "SK-2024", "code": "GIAY_KHEN", "year": 2024}]
    facts = person(titles=[], ratings={"2023": "excellent", "2024": "excellent"}, achievements_awarded=used)
    v = evaluate(facts, "BK_TINH", 2024)
    assert v.verdict == "not_eligible"
    detail = [c for c in v.conditions if c.id == "point_d"][0].detail
    assert "đã dùng cho khen thưởng Bằng khen tỉnh năm 2023" in detail
    # The award the achievement was recorded for may re-check itself.
    again = person(titles=[], achievements_awarded=[{"ref": "SK-2023", "code": "BK_TINH", "year": 2024},
                                                    {"ref": "SK-2024", "code": "BK_TINH", "year": 2024}])
    assert evaluate(again, "BK_TINH", 2024).verdict == "eligible"


def test_ratings_outside_employment_are_ignored_with_a_reason() -> None:
    facts = person(recruited="2024-03-01", titles=[], ratings={"2022": "excellent", "2023": "excellent", "2024": "excellent"})
    v = evaluate(facts, "BK_TINH", 2024)
    assert any("Bỏ qua xếp loại năm 2022" in n and "01/03/2024" in n for n in v.notes)
    assert any("năm 2023" in n for n in v.notes)
    # 2023 is outside employment: the two-year chain is definitely not met (not "unknown").
    assert v.verdict == "not_eligible"
    ended = person(employment_end="2023-06-30", ratings={"2023": "good", "2024": "excellent"})
    v = evaluate(ended, "LDTT", 2024)
    assert met(v, "rating") is False and any("thôi việc ngày 30/06/2023" in n for n in v.notes)


def test_rule_set_versions_by_effective_date() -> None:
    assert rule_set_for(dt.date(2023, 12, 31)).id == "nd91-2017"
    assert rule_set_for(dt.date(2024, 1, 1)).id == "nd98-2023"
    assert rule_set_for(dt.date(2025, 6, 30)).id == "nd98-2023"
    assert rule_set_for(dt.date(2025, 7, 1)).id == "nd152-2025"
    assert rule_set_for("2024-12-20").effective_to == dt.date(2025, 6, 30)
    # NĐ 152's date is ⚠️: a province may move it.
    moved = {"rule_sets": {"nd152-2025": {"effective_from": "2025-08-15"}}}
    assert rule_set_for(dt.date(2025, 7, 20), config=moved).id == "nd98-2023"
    assert evaluate(person(), "LDTT", 2025, config=moved).rule_set == "nd152-2025"
    assert evaluate(person(), "LDTT", 2023).rule_set == "nd91-2017"
    assert evaluate(person(), "LDTT", 2023, rule_set="nd98-2023").rule_set == "nd98-2023"


def test_rule_set_by_decision_date_option() -> None:
    by_decision = {"options": {"rule_set_date": "decided"}}
    v = evaluate(person(titles=[]), "CSTDCS", 2023, config=by_decision, decided="2024-01-15")
    assert (v.rule_set, v.verdict) == ("nd98-2023", "eligible")
    assert evaluate(person(titles=[], initiatives=[]), "CSTDCS", 2023, config=by_decision,
                    decided="2024-01-15").verdict == "eligible"  # 2022 law: excellence alone suffices
    assert evaluate(person(titles=[], initiatives=[]), "CSTDCS", 2023).verdict == "not_eligible"  # old law


def test_evaluate_all_gives_every_title_of_the_kind() -> None:
    verdicts = evaluate_all(person(), 2024)
    assert set(verdicts) == {"LDTT", "CSTDCS", "CSTD_TINH", "CSTD_TOAN_QUOC", "BK_TINH", "GIAY_KHEN"}
    assert verdicts["CSTD_TINH"].eligible and not verdicts["CSTDCS"].eligible  # CSTĐCS 2024 already awarded
    group = evaluate_all(collective(titles=[]), 2024)
    assert set(group) == {"TTLDTT", "TTLDXS", "CO_TINH", "BK_TINH", "GIAY_KHEN"}
    assert all(v.eligible for v in group.values())
    parsed = parse_facts(person())  # parse once, judge many titles
    assert evaluate(parsed, "LDTT", 2024).eligible


@pytest.mark.parametrize(("facts", "title", "message"), [
    ({"kind": "person", "ratings": {"2024": "rất tốt"}}, "LDTT", "Xếp loại không hợp lệ"),
    ({"kind": "person", "recruited": "2024-02-30"}, "LDTT", "Ngày không hợp lệ ở 'recruited'"),
    ({"kind": "person", "discipline": [{"year": 2024, "form": "phê bình"}]}, "LDTT", "Hình thức kỷ luật không hợp lệ"),
    ({"kind": "person", "initiatives": [{"year": 2024, "scope": "huyen"}]}, "CSTDCS", "Phạm vi không hợp lệ"),
    ({"kind": "person", "titles": [{"year": 2024, "code": "CSTD"}]}, "LDTT", "Mã danh hiệu không hợp lệ"),
    ({"kind": "person", "ratings": {"năm nay": "good"}}, "LDTT", "Năm không hợp lệ"),
    ({"kind": "robot"}, "LDTT", "'kind' không hợp lệ"),
    ({"kind": "collective", "members": 10, "members_ldtt": 12}, "TTLDTT", "lớn hơn tổng số thành viên"),
    ({"kind": "collective", "members": -1}, "TTLDTT", "Số lượng không hợp lệ"),
    ({"kind": "collective", "leads_group": "có"}, "CO_TINH", "true hoặc false"),
    ({"kind": "person"}, "TTLDXS", "xét cho tập thể, dữ liệu là của cá nhân"),
    ({"kind": "collective"}, "LDTT", "xét cho cá nhân, dữ liệu là của tập thể"),
    ({"kind": "person", "leave": [{"from": "2024-03-01", "to": "2024-02-01", "counts": False}]}, "LDTT", "ngày kết thúc trước"),
    ({"kind": "person", "leave": [{"from": "2024-01-01", "to": "2024-02-01"}]}, "LDTT", "'leave[0].counts'"),
    (["not", "an", "object"], "LDTT", "phải là một đối tượng JSON"),
])
def test_bad_facts_are_refused_with_a_vietnamese_reason(facts, title, message) -> None:
    with pytest.raises(FactsError) as err:
        evaluate(facts, title, 2024)
    assert message in str(err.value)


def test_unknown_title_and_bad_year() -> None:
    with pytest.raises(UnknownTitle, match="Mã danh hiệu không hợp lệ"):
        evaluate(person(), "LAO_DONG_GIOI", 2024)
    with pytest.raises(FactsError, match="Năm không hợp lệ"):
        evaluate(person(), "LDTT", "hai nghìn")
    with pytest.raises(FactsError, match="trước năm xét"):
        evaluate(person(), "LDTT", 2024, decided="2023-12-31")


def test_unknown_keys_are_noted_not_fatal() -> None:
    v = evaluate({**person(), "ratting": {"2024": "good"}}, "LDTT", 2024)
    assert v.eligible and any("ratting" in n for n in v.notes)


def test_verdict_as_dict_is_the_cli_shape() -> None:
    d = evaluate(person(), "LDTT", 2024).as_dict()
    assert {"title", "year", "verdict", "rule_set", "conditions"} <= set(d)
    assert d["title"] == "LDTT" and d["year"] == 2024 and d["rule_set"] == "nd98-2023"
    assert all({"text", "article", "met"} <= set(c) for c in d["conditions"])
