"""Points within reach and the year-end projection: pure functions over plain dicts."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from congvu.indices import projection, reach

BANDS = [{"name": "Xuất sắc", "min": 90}, {"name": "Tốt", "min": 80}, {"name": "Khá", "min": 70},
         {"name": "Trung bình", "min": 50}, {"name": "Yếu", "min": 0}]


def _leaf(code, max_points, num, den, threshold=100, shape="linear", metric="onestop.digitized_rate"):
    rate = 100 * num / den if den else None
    fn = reach.SHAPES[shape][0]
    return {"code": code, "name": f"Chỉ số {code}", "max_points": max_points, "points": fn(max_points, rate, threshold),
            "rate": rate, "status": "scored" if den else "no_data",
            "method": {"kind": "formula", "metric": metric, "threshold": threshold, "shape": shape},
            "metric": {"value": rate, "numerator": num, "denominator": den}}


def test_ba_bich_digitisation_step():
    """Xã Ba Bích 2023: 48,4 % of 376 dossiers digitised (182); 766 indicator 4.2 with a 100 % threshold."""
    leaf = _leaf("4.2", 2.0, 182, 376)
    opp = reach.opportunity_for(leaf, ("4",), step=0.5)
    assert round(opp.lost, 4) == round(2 - 2 * 182 / 376, 4)
    step = opp.next_step
    # +0.5 point needs the rate to rise by 25 points: 0.25 × 376 = 94 dossiers
    assert step.count == 94 and step.direction == "increase"
    assert step.gain >= 0.5
    assert opp.full_step.count == 376 - 182
    text = reach.describe_step(opp, step, noun="hồ sơ", verb_increase="được số hóa")
    assert text.startswith("94 hồ sơ nữa được số hóa") and "182/376 → 276/376" in text and "+0,5 điểm" in text


def test_threshold_below_100_reaches_full_points_early():
    leaf = _leaf("2.1", 6.0, 325, 376, threshold=90)  # 86.4 % of a 90 % threshold
    opp = reach.opportunity_for(leaf)
    need = math.ceil(0.9 * 376 - 325)  # 338.4 → 339 on time
    assert opp.full_step.count == need
    assert abs(opp.full_step.gain - opp.lost) < 1e-6


def test_inverse_shape_counts_fewer_items():
    leaf = _leaf("x", 4.0, 51, 376, threshold=20, shape="inverse", metric="onestop.late_rate")
    opp = reach.opportunity_for(leaf, step=1.0)
    assert opp.next_step.direction == "decrease"
    after = 4.0 * (1 - (51 - opp.next_step.count) / 376 * 100 / 20)
    before = 4.0 * (1 - 51 / 376 * 100 / 20)
    assert after - before >= 1.0 - 1e-9
    smaller = 4.0 * (1 - (51 - opp.next_step.count + 1) / 376 * 100 / 20)
    assert smaller - before < 1.0


def test_ordering_and_no_data():
    tree = [{"code": "1", "name": "Nhóm 1", "max_points": 10, "children": [
        _leaf("1.1", 4, 10, 10), _leaf("1.2", 6, 30, 100)]},
        {"code": "2", "name": "Nhóm 2", "max_points": 8, "children": [
            {"code": "2.1", "name": "Tự đánh giá", "max_points": 8, "points": 5, "status": "published",
             "method": {"kind": "self_assessment"}},
            _leaf("2.2", 3, 0, 0)]}]
    opps = reach.points_within_reach(tree)
    assert [o.code for o in opps] == ["1.2", "2.1", "2.2"]  # 4.2 lost, 3 lost, 3 lost (no data) — full leaf left out
    assert opps[0].group == "1"
    assert opps[1].next_step is None and opps[2].status == "no_data" and opps[2].next_step is None
    assert all(o.code != "1.1" for o in opps)


def test_nothing_to_gain_or_no_denominator():
    assert reach.smallest_step(max_points=2, numerator=5, denominator=0, threshold=100, gain=1) is None
    assert reach.smallest_step(max_points=2, numerator=10, denominator=10, threshold=100, gain=1) is None


@given(num=st.integers(0, 500), extra=st.integers(0, 500), threshold=st.integers(1, 100),
       max_points=st.sampled_from([1.0, 2.0, 2.5, 6.0, 10.0]), gain=st.floats(0.05, 3.0))
def test_smallest_step_is_smallest(num, extra, threshold, max_points, gain):
    den = num + extra
    step = reach.smallest_step(max_points=max_points, numerator=num, denominator=den, threshold=threshold, gain=gain)
    if den == 0:
        assert step is None
        return
    now = reach.points_linear(max_points, 100 * num / den, threshold)
    if step is None:
        best = reach.points_linear(max_points, 100.0, threshold)
        assert best - now < gain + 1e-6
        return
    got = reach.points_linear(max_points, 100 * (num + step.count) / den, threshold)
    assert got - now >= gain - 1e-6
    prev = reach.points_linear(max_points, 100 * (num + step.count - 1) / den, threshold)
    assert prev - now < gain


def test_fmt_points():
    assert reach.fmt_points(1.5) == "1,5" and reach.fmt_points(2.0) == "2" and reach.fmt_points(0.126) == "0,13"


# -- projection ---------------------------------------------------------------------------------------

def test_pace_projection_uses_recent_months():
    months = [(2, 10)] * 6 + [(8, 10)] * 3  # the pace rose in the last three months
    num, den = projection.pace_projection(months, months_total=12, window=3)
    assert den == 120 and num == 2 * 6 + 8 * 3 + 3 * 8
    assert projection.pace_projection([], months_total=12) is None
    assert projection.pace_projection([(0, 0), (0, 0)]) is None


def test_band_for():
    assert projection.band_for(90, BANDS) == "Xuất sắc"
    assert projection.band_for(89.99, BANDS) == "Tốt"
    assert projection.band_for(0, BANDS) == "Yếu"
    assert projection.band_for(None, BANDS) is None


def test_project_year_end_and_deciders():
    online = _leaf("3.3", 50, 9 * 2, 9 * 10, metric="onestop.online_rate")  # 20 % so far
    digit = _leaf("4.2", 30, 9 * 9, 9 * 10)  # 90 %, steady
    manual = {"code": "6.1", "name": "Tự đánh giá", "max_points": 20, "points": 18, "method": {"kind": "self_assessment"}}
    monthly = {"3.3": [(0, 10)] * 6 + [(6, 10)] * 3, "4.2": [(9, 10)] * 9}
    pr = projection.project_year_end([online, digit, manual], monthly, months_elapsed=9, bands=BANDS)
    leaves = {p.code: p for p in pr.leaves}
    assert leaves["3.3"].rate_end == round(100 * (18 + 18) / 120, 4)  # pace 6/10 for 3 more months
    assert leaves["4.2"].change == 0 and leaves["6.1"].points_end == 18 and not leaves["6.1"].live
    assert pr.points_ytd == round(10 + 27 + 18, 4)
    assert pr.points_end == round(15 + 27 + 18, 4)
    assert pr.band_ytd == "Trung bình" and pr.band_end == "Trung bình"
    assert pr.next_band == "Khá" and pr.gap_up == 10.0
    assert [p.code for p in pr.deciders_up] == ["3.3"]  # 35 lost points: alone it closes the gap


def test_projection_falling_leaf_is_at_risk_and_no_data_stays_none():
    falling = _leaf("2.1", 10, 9 * 9, 9 * 10)
    empty = _leaf("4.1", 5, 0, 0)
    monthly = {"2.1": [(10, 10)] * 6 + [(6, 10)] * 3, "4.1": [(0, 0)] * 9}
    pr = projection.project_year_end([falling, empty], monthly, months_elapsed=9, bands=BANDS)
    leaves = {p.code: p for p in pr.leaves}
    assert leaves["4.1"].points_end is None and leaves["4.1"].points_ytd is None
    assert [p.code for p in pr.at_risk] == ["2.1"]
    assert pr.pct_end is not None


def test_projection_excludes_no_data_from_deciders():
    scored = _leaf("2.1", 10, 5, 10)
    empty = {"code": "1.1", "name": "Không có số liệu", "max_points": 30, "points": None, "method": {"kind": "self_assessment"}}
    pr = projection.project_year_end([scored, empty], {"2.1": [(5, 10)] * 9}, months_elapsed=9, bands=BANDS,
                                     max_points=10)
    assert pr.pct_end == 50.0 and pr.band_end == "Trung bình"  # over the scored maximum, as "exclude" does
    assert [p.code for p in pr.deciders_up] == ["2.1"]


def test_every_phrase_names_a_known_metric_or_default():
    from congvu.indices.board import _phrases
    from congvu.metrics.registry import metric_exists

    for name in _phrases():
        assert name == "default" or metric_exists(name) or name.startswith("portal."), name
