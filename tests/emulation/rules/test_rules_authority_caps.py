"""The authority matrix (who may award what, before and after the 2025 reform) and caps."""

from __future__ import annotations

import datetime as dt

import pytest
from emr_helpers import collective, person

from congvu.emulation.rules import RulesError, UnknownTitle, apply_caps, cap_allowance, evaluate, may_award

D = dt.date


@pytest.mark.parametrize(("authority", "title", "on", "allowed", "reason"), [
    ("chu_tich_ubnd_tinh", "CSTD_TINH", D(2024, 12, 20), True, "Chủ tịch UBND tỉnh được quyết định tặng"),
    ("chu_tich_ubnd_tinh", "BK_TINH", D(2025, 12, 20), True, "Bằng khen"),
    ("chu_tich_ubnd_tinh", "CO_TINH", D(2024, 12, 20), True, "Cờ thi đua"),
    ("chu_tich_ubnd_tinh", "CSTD_TOAN_QUOC", D(2024, 12, 20), False, "thẩm quyền thuộc: Thủ tướng Chính phủ"),
    ("chu_tich_ubnd_xa", "LDTT", D(2024, 12, 20), True, "Điều 80 khoản 3"),
    ("chu_tich_ubnd_xa", "GIAY_KHEN", D(2024, 12, 20), True, "Giấy khen"),
    ("chu_tich_ubnd_xa", "CSTDCS", D(2024, 12, 20), False, "không có thẩm quyền tặng Chiến sĩ thi đua cơ sở"),
    ("chu_tich_ubnd_xa", "CSTDCS", D(2025, 12, 20), True, "NĐ 152/2025"),  # after the reform (❓ default)
    ("chu_tich_ubnd_xa", "TTLDXS", D(2025, 12, 20), False, "Chủ tịch UBND tỉnh"),
    ("chu_tich_ubnd_huyen", "CSTDCS", D(2024, 12, 20), True, "Chủ tịch UBND cấp huyện"),
    ("chu_tich_ubnd_huyen", "LDTT", D(2025, 7, 1), False, "cấp huyện kết thúc hoạt động từ 01/07/2025"),
    ("thu_truong_co_quan", "TTLDTT", D(2024, 12, 20), True, "Thủ trưởng cơ quan chuyên môn"),
    ("thu_truong_co_quan", "BK_TINH", D(2024, 12, 20), False, "không có thẩm quyền tặng Bằng khen"),
    ("thu_truong_co_quan", "LDTT", D(2023, 12, 20), True, "Luật TĐKT 2003"),
    ("giam_doc_so", "LDTT", D(2024, 12, 20), False, "Không có thẩm quyền 'giam_doc_so'"),
])
def test_may_award(authority, title, on, allowed, reason) -> None:
    ok, why = may_award(authority, title, on)
    assert ok is allowed
    assert reason in why


def test_may_award_matrix_is_configuration() -> None:
    # A province that (say) learns NĐ 152 gave the commune chairman TTLĐXS too.
    override = {"rule_sets": {"nd152-2025": {"authority": {"chu_tich_ubnd_xa": {
        "titles": ["LDTT", "CSTDCS", "TTLDTT", "TTLDXS", "GIAY_KHEN"], "confidence": "province"}}}}}
    assert may_award("chu_tich_ubnd_xa", "TTLDXS", "2025-12-20", config=override)[0] is True
    assert may_award("chu_tich_ubnd_xa", "TTLDXS", "2024-12-20", config=override)[0] is False
    with pytest.raises(UnknownTitle):
        may_award("chu_tich_ubnd_xa", "HUAN_CHUONG", "2025-12-20")


def _cstdcs(n_eligible: int, n_ldtt_only: int, n_none: int):
    """CSTĐCS verdicts: eligible ones, LĐTT-standard-only ones, and ones below LĐTT."""
    rows = []
    for i in range(n_eligible):
        rows.append((f"e{i}", evaluate(person(titles=[]), "CSTDCS", 2024), 100 - i))
    for i in range(n_ldtt_only):
        rows.append((f"l{i}", evaluate(person(titles=[], ratings={"2024": "good"}, initiatives=[]), "CSTDCS", 2024), 50))
    for i in range(n_none):
        rows.append((f"n{i}", evaluate(person(titles=[], ratings={"2024": "complete"}), "CSTDCS", 2024), 10))
    return rows


def test_cstdcs_cap_fifteen_percent_of_ldtt() -> None:
    rows = _cstdcs(n_eligible=6, n_ldtt_only=14, n_none=5)
    assert [v.verdict for _, v, _ in rows].count("eligible") == 6
    # 20 meet the LĐTT standard (6 + 14): 15 % of 20 = 3 places; the 3 lowest-scored eligible are refused.
    assert apply_caps(rows, "CSTDCS") == ["e3", "e4", "e5"]
    assert apply_caps(rows, "CSTDCS", base=40) == []  # 6 places
    assert apply_caps(rows, "CSTDCS", base=6) == ["e0", "e1", "e2", "e3", "e4", "e5"]  # 15 % of 6 < 1: none
    assert apply_caps(rows, "CSTDCS", config={"all": {"titles": {"CSTDCS": {"cap": {"max_ratio": "0.25"}}}}}) == ["e5"]


def test_cap_ties_and_missing_scores_keep_order() -> None:
    v = evaluate(person(titles=[]), "CSTDCS", 2024)
    rows = [("a", v, None), ("b", v, 7), ("c", v, 7), ("d", v, 9)]
    # floor(15 % of 13) = 1 place: the best score keeps it; equal scores go in the given order, None last.
    assert apply_caps(rows, "CSTDCS", base=13) == ["b", "c", "a"]
    assert apply_caps(rows, "CSTDCS", base=14) == ["c", "a"]  # 2 places
    assert cap_allowance("CSTDCS", 13, on="2024-12-20") == 1


def test_ttldxs_cap_is_off_by_default_and_configurable() -> None:
    v = evaluate(collective(titles=[]), "TTLDXS", 2024)
    rows = [(f"u{i}", v, i) for i in range(4)]
    assert apply_caps(rows, "TTLDXS", base=10) == []
    on = {"all": {"titles": {"TTLDXS": {"cap": {"enabled": True}}}}}
    assert apply_caps(rows, "TTLDXS", config=on, base=10) == ["u1", "u0"]  # 20 % of 10 = 2 places
    assert apply_caps(rows, "TTLDXS", config=on, base=3) == ["u2", "u1", "u0"]  # less than 1 → 1
    with pytest.raises(RulesError, match="Cần số TTLĐTT"):
        apply_caps(rows, "TTLDXS", config=on)
    assert cap_allowance("TTLDXS", 10, on="2024-12-20") is None


def test_no_cap_title() -> None:
    v = evaluate(person(), "LDTT", 2024)
    assert apply_caps([("x", v, 1)], "LDTT") == []
    assert apply_caps([], "CSTDCS") == []
