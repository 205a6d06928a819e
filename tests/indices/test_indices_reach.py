"""Points within reach (`scoring.reach`, the one implementation) and the year-end projection
(`scoring.analysis`, the one implementation): pure functions over the framework definition, plain dicts
and score sheets."""

from __future__ import annotations

import datetime as dt
import math

from hypothesis import given
from hypothesis import strategies as st

from congvu.indices.scoring import analysis, reach
from congvu.indices.scoring.formulas import points_from_rate
from congvu.indices.scoring.rollup import LeafInput, band_for, score_framework
from congvu.indices.scoring.tree import Band, Formula, FrameworkDef, NodeDef

BANDS = [{"name": "Xuất sắc", "min": 90}, {"name": "Tốt", "min": 80}, {"name": "Khá", "min": 70},
         {"name": "Trung bình", "min": 50}, {"name": "Yếu", "min": 0}]


def _def(code, max_points, threshold=100, shape="linear", metric="onestop.digitized_rate", method="live"):
    return NodeDef(code=code, name=f"Chỉ số {code}", max_points=max_points, method=method,
                   metric=metric if method == "live" else "", threshold=threshold if method == "live" else None,
                   formula=Formula(shape=shape if method == "live" else "points"))


def _fw(*groups):
    nodes = [NodeDef(code=code, name=f"Nhóm {code}", max_points=sum(c.max_points for c in children),
                     children=list(children)) for code, children in groups]
    return FrameworkDef(code="t", name="Thử", version="1", levels=("commune",), effective_from=dt.date(2020, 1, 1),
                        nodes=nodes)


def _scored(d, num=None, den=None, points=None):
    """The scored leaf as `congvu index compute --detail` prints it."""
    if d.method == "live":
        rate = 100 * num / den if den else None
        points = points_from_rate(rate=rate, max_points=d.max_points, threshold=d.threshold, formula=d.formula)
        return {"code": d.code, "name": d.name, "max_points": d.max_points, "points": points, "rate": rate,
                "status": "scored" if den else "no_data", "method": "live", "metric": d.metric,
                "numerator": num, "denominator": den, "children": []}
    return {"code": d.code, "name": d.name, "max_points": d.max_points, "points": points, "rate": None,
            "status": "scored" if points is not None else "no_data", "method": d.method, "children": []}


def _one(d, num=None, den=None, step=None):
    return reach.opportunity_for(d, _scored(d, num, den), ("4",), step=step)


def test_ba_bich_digitisation_step():
    """Xã Ba Bích 2023: 48,4 % of 376 dossiers digitised (182); 766 indicator 4.2 with a 100 % threshold."""
    opp = _one(_def("4.2", 2.0), 182, 376, step=0.5)
    assert round(opp.lost, 4) == round(2 - 2 * 182 / 376, 4)
    step = opp.next_step
    # +0.5 point needs the rate to rise by 25 points: 0.25 × 376 = 94 dossiers
    assert step.count == 94 and step.direction == "increase"
    assert step.gain >= 0.5
    assert opp.full_step.count == 376 - 182
    assert opp.as_dict()["next_count"] == 94 and opp.as_dict()["full_count"] == 376 - 182
    text = reach.describe_step(opp, step, noun="hồ sơ", verb_increase="được số hóa")
    assert text.startswith("94 hồ sơ nữa được số hóa") and "182/376 → 276/376" in text and "+0,5 điểm" in text


def test_threshold_below_100_reaches_full_points_early():
    opp = _one(_def("2.1", 6.0, threshold=90), 325, 376)  # 86.4 % of a 90 % threshold
    need = math.ceil(0.9 * 376 - 325)  # 338.4 → 339 on time
    assert opp.full_step.count == need
    assert abs(opp.full_step.gain - opp.lost) < 1e-6


def test_lower_better_counts_fewer_records():
    """Overdue rate 13.56 % (51 of 376) against a 5 % threshold: points = max × 5 / rate."""
    d = _def("x", 4.0, threshold=5, shape="lower_better", metric="onestop.late_rate")
    opp = _one(d, 51, 376, step=1.0)
    step = opp.next_step
    assert step.direction == "decrease"

    def pts(n):
        return points_from_rate(rate=100 * n / 376, max_points=4.0, threshold=5, formula=d.formula)

    assert pts(51 - step.count) - pts(51) >= 1.0 - 1e-6
    assert pts(51 - step.count + 1) - pts(51) < 1.0
    assert opp.full_step.count == 51 - math.floor(0.05 * 376)  # down to 18 late: 4.79 % ≤ 5 %


def test_steps_and_binary_use_the_scoring_rule():
    steps = _def("s", 10.0, shape="steps")
    steps = NodeDef(**{**steps.__dict__, "formula": Formula(shape="steps", steps=((90, 1.0), (80, 0.75), (50, 0.5)))})
    opp = _one(steps, 70, 100)  # 70 % → half the points; 80 % → three quarters
    assert opp.points == 5.0 and opp.next_step.count == 10 and opp.next_step.gain == 2.5
    assert opp.full_step.count == 20
    binary = _one(_def("b", 3.0, threshold=95, shape="binary"), 90, 100)
    assert binary.next_step.count == 5 and binary.next_step.gain == 3.0


def test_ordering_no_data_last_and_full_leaves_left_out():
    d11, d12 = _def("1.1", 4), _def("1.2", 6)
    d21, d22 = _def("2.1", 8, method="self_assessment"), _def("2.2", 3)
    monitor = _def("2.3", 0, shape="monitor")
    fw = _fw(("1", [d11, d12]), ("2", [d21, d22, monitor]))
    tree = [{"code": "1", "name": "Nhóm 1", "max_points": 10, "children": [_scored(d11, 10, 10), _scored(d12, 30, 100)]},
            {"code": "2", "name": "Nhóm 2", "max_points": 11, "children": [
                _scored(d21, points=5), _scored(d22, 0, 0), {**_scored(monitor, 3, 10), "points": 0.0}]}]
    opps = reach.points_within_reach(fw, tree)
    assert [o.code for o in opps] == ["1.2", "2.1", "2.2"]  # 4.2 lost, 3 lost, then no data — full and monitor out
    assert opps[0].group == "1" and opps[0].kind == "live" and opps[1].kind == "self_assessment"
    assert opps[1].next_step is None and opps[2].status == "no_data" and opps[2].next_step is None
    assert opps[2].lost == 3
    assert [o.code for o in reach.points_within_reach(fw, tree, include_full=True)] == ["1.2", "2.1", "1.1", "2.2"]


def test_nothing_to_gain_or_no_denominator():
    r = reach.rule(2, 100, Formula())
    assert reach.smallest_step(max_points=2, numerator=5, denominator=0, gain=1, rule=r) is None
    assert reach.smallest_step(max_points=2, numerator=10, denominator=10, gain=1, rule=r) is None
    assert reach.rule(2, None, Formula(shape="points")) is None and reach.rule(0, 5, Formula(shape="monitor")) is None


@given(num=st.integers(0, 500), extra=st.integers(0, 500), threshold=st.integers(1, 100),
       max_points=st.sampled_from([1.0, 2.0, 2.5, 6.0, 10.0]), gain=st.floats(0.05, 3.0))
def test_smallest_step_is_smallest(num, extra, threshold, max_points, gain):
    den = num + extra
    r = reach.rule(max_points, threshold, Formula())
    step = reach.smallest_step(max_points=max_points, numerator=num, denominator=den, gain=gain, rule=r)
    if den == 0:
        assert step is None
        return
    score = r[0]
    now = score(100 * num / den)
    if step is None:
        assert score(100.0) - now < gain + 1e-6
        return
    wanted = min(gain, max_points - now)  # a gain within 0.001 of what is left aims at full points
    assert score(100 * (num + step.count) / den) - now >= wanted - 1e-6
    assert score(100 * (num + step.count - 1) / den) - now < wanted


def test_fmt_points():
    assert reach.fmt_points(1.5) == "1,5" and reach.fmt_points(2.0) == "2" and reach.fmt_points(0.126) == "0,13"


# -- projection (`scoring.analysis.project`, the one implementation, and the board's `year_end` view) ------

BAND_DEFS = tuple(Band(b["name"], b["min"]) for b in BANDS)


def _pfw(*leaves, missing="exclude"):
    """One group holding `leaves`, the bands above."""
    fw = _fw(("1", leaves))
    return FrameworkDef(**{**fw.__dict__, "bands": BAND_DEFS, "missing": missing})


def _live(num, den):
    return LeafInput(rate=100 * num / den if den else None, numerator=num, denominator=den, origin="live")


def _year_end(fw, ytd_inputs, recent_inputs, *, months=9, window=3):
    ytd = score_framework(fw, ytd_inputs)
    recent = score_framework(fw, recent_inputs)
    projected = analysis.project(fw, ytd, recent, recent_months=window, remaining_months=12 - months)
    return analysis.year_end(fw, ytd, projected, months_elapsed=months)


def test_pace_is_the_recent_months_numerator_and_denominator():
    fw = _pfw(_def("3.3", 50))
    # 2/10 a month for six months, then 8/10 for three: the last three months are the pace
    pr = _year_end(fw, {"3.3": _live(2 * 6 + 8 * 3, 90)}, {"3.3": _live(8 * 3, 30)})
    leaf = pr.leaves[0]
    assert leaf.rate_end == round(100 * (2 * 6 + 8 * 3 + 3 * 8) / 120, 4)
    # no recent data: the year to date is the projection
    assert _year_end(fw, {"3.3": _live(36, 90)}, {}).leaves[0].rate_end == 40.0


def test_band_for():
    assert band_for(90, BAND_DEFS) == "Xuất sắc"
    assert band_for(89.99, BAND_DEFS) == "Tốt"
    assert band_for(0, BAND_DEFS) == "Yếu"
    assert band_for(None, BAND_DEFS) is None


def test_year_end_and_deciders():
    manual = _def("6.1", 20, method="self_assessment")
    fw = _pfw(_def("3.3", 50, metric="onestop.online_rate"), _def("4.2", 30), manual)
    ytd = {"3.3": _live(9 * 2, 9 * 10), "4.2": _live(9 * 9, 9 * 10), "6.1": LeafInput(points=18, origin="self")}
    recent = {"3.3": _live(18, 30), "4.2": _live(27, 30)}  # 6/10 and 9/10 a month in the last three months
    pr = _year_end(fw, ytd, recent)
    leaves = {p.code: p for p in pr.leaves}
    assert leaves["3.3"].rate_end == round(100 * (18 + 18) / 120, 4)  # pace 6/10 for 3 more months
    assert leaves["4.2"].change == 0 and leaves["6.1"].points_end == 18 and not leaves["6.1"].live
    assert pr.points_ytd == round(10 + 27 + 18, 4)
    assert pr.points_end == round(15 + 27 + 18, 4)
    assert pr.band_ytd == "Trung bình" and pr.band_end == "Trung bình"
    assert pr.next_band == "Khá" and pr.gap_up == 10.0
    assert [p.code for p in pr.deciders_up] == ["3.3"]  # 35 lost points: alone it closes the gap


def test_falling_leaf_is_at_risk_and_no_data_stays_none():
    fw = _pfw(_def("2.1", 10), _def("4.1", 5))
    pr = _year_end(fw, {"2.1": _live(9 * 9, 9 * 10)}, {"2.1": _live(18, 30)})
    leaves = {p.code: p for p in pr.leaves}
    assert leaves["4.1"].points_end is None and leaves["4.1"].points_ytd is None
    assert [p.code for p in pr.at_risk] == ["2.1"]
    assert pr.pct_end is not None


def test_no_data_left_out_of_the_percent_and_the_deciders():
    fw = _pfw(_def("2.1", 10), _def("1.1", 30, method="self_assessment"))
    pr = _year_end(fw, {"2.1": _live(5 * 9, 10 * 9)}, {"2.1": _live(15, 30)})
    assert pr.pct_end == 50.0 and pr.band_end == "Trung bình"  # over the scored maximum, as "exclude" does
    assert [p.code for p in pr.deciders_up] == ["2.1"]


def test_every_phrase_names_a_known_metric_or_default():
    from congvu.indices.board import _phrases
    from congvu.metrics.registry import metric_exists

    for name in _phrases():
        assert name == "default" or metric_exists(name) or name.startswith("portal."), name


def test_reach_is_pure():
    import subprocess
    import sys

    code = ("import sys, congvu.indices.scoring.reach, congvu.indices.scoring.analysis; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
