"""Rule-set data: shipped files load and carry their sources; broken files are refused with a clear
message; the province override changes what is configuration; procedure data per title."""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from pathlib import Path

import pytest
import yaml
from emr_helpers import collective, person

from congvu.emulation.rules import (
    TITLES,
    RuleDataError,
    evaluate,
    load_rule_sets,
    rule_set_for,
)
from congvu.emulation.rules.ruleset import CONFIDENCE, RULESETS_DIR, iter_conditions


def test_shipped_rule_sets_load_with_sources_and_confidence() -> None:
    book = load_rule_sets()
    assert [rs.id for rs in book.rule_sets] == ["nd91-2017", "nd98-2023", "nd152-2025"]
    for rs in book.rule_sets:
        assert rs.legal_basis and rs.sources and rs.effective_confidence in CONFIDENCE
        assert set(rs.titles) == set(TITLES) | {"CSTD_TOAN_QUOC"} - set() and set(rs.titles) == set(TITLES)
        for _code, _kind, c in iter_conditions(rs):
            assert c.text and c.article and c.confidence in CONFIDENCE
        for rules in rs.titles.values():
            assert rules.rewards and rules.dossier and rules.ballot in ("open", "secret")
    assert [(b.start, b.amount) for b in book.base_salaries][-2:] == [(dt.date(2023, 7, 1), 1_800_000),
                                                                      (dt.date(2024, 7, 1), 2_340_000)]
    assert all(b.source for b in book.base_salaries)


def test_procedure_data_per_title() -> None:
    rs = rule_set_for(dt.date(2024, 12, 20))
    cstd = rs.title_rules("CSTD_TINH")
    assert cstd.ballot == "secret" and cstd.approval_percent == 90 and not cstd.approval_strict
    assert cstd.approved(9, 10) and not cstd.approved(8, 10)
    assert cstd.approved(27, 30) and not cstd.approved(26, 30)  # of ALL members, whoever attended
    assert cstd.disclosure_required and cstd.disclosure_working_days == 10
    assert [d.code for d in cstd.dossier][:4] == ["to_trinh", "bao_cao_thanh_tich", "bien_ban_hoi_dong", "ket_qua_phieu_kin"]
    ldtt = rs.title_rules("LDTT")
    assert ldtt.ballot == "open" and ldtt.approval_strict and ldtt.approved(6, 10) and not ldtt.approved(5, 10)
    assert not ldtt.disclosure_required
    assert rs.title_rules("CO_TINH").ballot == "secret"
    assert "chu_tich_ubnd_tinh" in rs.title_rules("TTLDXS").authorities
    gk = rs.title_rules("GIAY_KHEN")
    assert gk.kinds == ("person", "collective") and gk.time_limit_working_days == 10
    assert {d.code: d.required for d in rs.title_rules("CSTDCS").dossier}["chung_nhan_sang_kien"] is False
    assert rs.quorum_met(2, 3) and not rs.quorum_met(1, 3)
    as_dict = rs.as_dict()
    assert as_dict["titles"]["CSTD_TINH"]["approval"] == {"percent": 90.0, "strict": False, "confidence": "unverified"}
    assert rule_set_for(dt.date(2023, 6, 1)).title_rules("CSTD_TINH").approval_confidence == "verified"  # NĐ 91 Điều 45.8


def test_province_override_changes_configuration() -> None:
    override = {
        "province": "Quảng Ngãi",
        "all": {"titles": {
            "TTLDTT": {"collective": {"conditions": {"members_ldtt": {"min_ratio": "0.6", "strict": False}}},
                       "procedure": {"approval": {"ratio": "2/3", "strict": False}}},
            "CSTDCS": {"cap": {"max_ratio": "0.2"}},
            "LDTT": {"person": {"conditions": {"discipline": {"enabled": False}}}},
        }},
    }
    book = load_rule_sets(override=override)
    assert book.province == "Quảng Ngãi"
    rs = book.for_date(dt.date(2024, 12, 31))
    assert rs.title_rules("CSTDCS").cap.allowance(20) == 4
    assert rs.title_rules("TTLDTT").approved(2, 3)
    # 12/20 = 60 % now meets the TTLĐTT ratio; the text follows the parameter.
    v = evaluate(collective(members_ldtt=12), "TTLDTT", 2024, config=book)
    c = [c for c in v.conditions if c.id == "members_ldtt"][0]
    assert c.met is True and "từ 60% trở lên" in c.text
    assert evaluate(collective(members_ldtt=11), "TTLDTT", 2024, config=book).verdict == "not_eligible"
    # The discipline condition is gone: a reprimanded person is LĐTT under this province's rules.
    disciplined = person(discipline=[{"year": 2024, "form": "khiển trách"}])
    assert evaluate(disciplined, "LDTT", 2024, config=book).verdict == "eligible"
    assert evaluate(disciplined, "LDTT", 2024).verdict == "not_eligible"


def test_override_file_by_path_and_environment(tmp_path, monkeypatch) -> None:
    path = tmp_path / "quang_ngai.yaml"
    path.write_text("province: Quảng Ngãi\nall:\n  titles:\n    CSTDCS:\n      cap:\n        max_ratio: '0.1'\n",
                    encoding="utf-8")
    assert rule_set_for("2024-12-31", config=str(path)).title_rules("CSTDCS").cap.allowance(20) == 2
    monkeypatch.setenv("CONGVU_EMULATION_CONFIG", str(path))
    assert rule_set_for("2024-12-31").title_rules("CSTDCS").cap.allowance(20) == 2
    monkeypatch.delenv("CONGVU_EMULATION_CONFIG")
    assert rule_set_for("2024-12-31").title_rules("CSTDCS").cap.allowance(20) == 3


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "rulesets"
    shutil.copytree(RULESETS_DIR, target)
    return target


def _edit(directory: Path, name: str, change) -> None:
    path = directory / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _set(data, dotted: str, value) -> None:
    *parents, last = dotted.split(".")
    for key in parents:
        data = data[key]
    if value is ...:
        del data[last]
    else:
        data[last] = value


@pytest.mark.parametrize(("dotted", "value", "message"), [
    ("titles.LDTT.person.conditions.rating.check", "rating_above", "loại điều kiện 'rating_above' không có"),
    ("titles.LDTT.person.conditions.rating.article", ..., "thiếu 'article'"),
    ("titles.LDTT.person.conditions.rating.confidence", "sure", "độ tin cậy 'sure' không hợp lệ"),
    ("titles.LDTT.person.conditions.rating.min", "great", "'min' = 'great' không hợp lệ"),
    ("titles.LDTT.person.conditions.rating.colour", "blue", "tham số không dùng: colour"),
    ("titles.LDTT.person.conditions.recruited.months", "six", "'months' phải là số nguyên"),
    ("titles.LDTT.person.conditions.recruited.text", "Đủ {thang} tháng", "dùng tham số không có"),
    ("titles.TTLDTT.collective.conditions.members_ldtt.min_ratio", "1.5", "phải nằm trong khoảng 0..1"),
    ("titles.LDTT.collective", {"conditions": {}}, "Lao động tiên tiến không xét cho collective"),
    ("titles.LDTT.reward.person.coefficient", "ba", "hệ số không hợp lệ"),
    ("titles.LDTT.procedure.ballot", "raise_hands", "dùng open"),
    ("titles.LDTT.procedure.dossier", ["to_trinh", "anh_the"], "thành phần hồ sơ 'anh_the'"),
    ("titles.LDTT.procedure.approval.ratio", "0", "phải lớn hơn 0"),
    ("titles.CSTDCS.cap.rounding", "bankers", "dùng floor, ceil hoặc round"),
    ("titles.HUAN_CHUONG", {}, "mã danh hiệu 'HUAN_CHUONG' không có trong danh mục"),
    ("titles.CSTDCS.person.conditions.ldtt.include", "CSTDCS", "vòng tròn"),
    ("authority.chu_tich_ubnd_xa.titles", ["LDTT", "NHA_VAN_HOA"], "danh sách danh hiệu không hợp lệ"),
    ("effective_from", "2024-02-30", "ngày không hợp lệ"),
    ("id", "nd98", "phải trùng tên tệp"),
    ("council.quorum", "hai phần ba", "không phải một tỷ lệ"),
    ("colour", "blue", "khóa không hợp lệ: colour"),
])
def test_broken_rule_set_is_refused_with_a_clear_message(tmp_path, dotted, value, message) -> None:
    directory = _copy(tmp_path)
    _edit(directory, "nd98-2023.yaml", lambda data: _set(data, dotted, value))
    with pytest.raises(RuleDataError) as err:
        load_rule_sets(directory)
    text = str(err.value)
    assert message in text, text
    assert "nd98-2023.yaml" in text or "Hai bộ" in text


def test_broken_yaml_names_the_line(tmp_path) -> None:
    directory = _copy(tmp_path)
    (directory / "nd152-2025.yaml").write_text("id: nd152-2025\ntitles: [unclosed\n", encoding="utf-8")
    with pytest.raises(RuleDataError, match=r"Tệp nd152-2025.yaml: YAML không hợp lệ \(dòng 3"):
        load_rule_sets(directory)


def test_extends_cycle_and_missing_parent(tmp_path) -> None:
    directory = _copy(tmp_path)
    _edit(directory, "nd98-2023.yaml", lambda d: d.update(extends="nd152-2025"))
    with pytest.raises(RuleDataError, match="kế thừa vòng tròn"):
        load_rule_sets(directory)
    _edit(directory, "nd98-2023.yaml", lambda d: d.update(extends="nd00-2000"))
    with pytest.raises(RuleDataError, match="không có bộ quy tắc 'nd00-2000' để kế thừa"):
        load_rule_sets(directory)


def test_two_rule_sets_on_one_date_are_refused(tmp_path) -> None:
    directory = _copy(tmp_path)
    _edit(directory, "nd152-2025.yaml", lambda d: d.update(effective_from=dt.date(2024, 1, 1)))
    with pytest.raises(RuleDataError, match="cùng có hiệu lực từ 01/01/2024"):
        load_rule_sets(directory)


@pytest.mark.parametrize(("override", "message"), [
    ({"rule_sets": {"nd2030": {}}}, "không có bộ quy tắc 'nd2030'"),
    ({"colour": "blue"}, "khóa không hợp lệ: colour"),
    ({"all": {"id": "x"}}, "không được đổi id"),
    ({"options": {"rule_set_date": "whenever"}}, "tùy chọn không hợp lệ"),
    ({"base_salary": [{"from": "2026-07-01", "amount": -5, "source": "x", "confidence": "verified"}]}, "số nguyên ≥ 1"),
    ({"all": {"titles": {"CSTDCS": {"person": {"conditions": {"achievement": {"of": {
        "excellent": {"enabled": False}, "initiative": {"enabled": False}, "research": {"enabled": False}}}}}}}}},
     "không còn phương án nào"),
])
def test_broken_override_is_refused(override, message) -> None:
    with pytest.raises(RuleDataError) as err:
        load_rule_sets(override=override)
    assert message in str(err.value)


def test_override_file_with_bad_yaml(tmp_path) -> None:
    path = tmp_path / "tinh.yaml"
    path.write_text(textwrap.dedent("""\
        province: "Quảng Ngãi
        all: {}
        """), encoding="utf-8")
    with pytest.raises(RuleDataError, match="Tệp tinh.yaml: YAML không hợp lệ"):
        load_rule_sets(override=path)
    with pytest.raises(RuleDataError, match="Không tìm thấy tệp quy tắc"):
        load_rule_sets(override=tmp_path / "none.yaml")


def test_shipped_example_override_loads() -> None:
    example = RULESETS_DIR.parent / "province.example.yaml"
    book = load_rule_sets(override=example)
    assert book.province
