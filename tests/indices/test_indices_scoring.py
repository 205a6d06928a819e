"""The pure scoring package: formulas, roll-up with "no data", bands, ranking with ties, periods,
validation messages naming the node (hypothesis for the formulas and the roll-up)."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from congvu.indices.scoring.formulas import points_from_rate, rate_for_points
from congvu.indices.scoring.periods import (
    PeriodInvalid,
    period_bounds,
    period_elapsed_fraction,
    period_previous,
)
from congvu.indices.scoring.ranking import rank_label, rank_scores
from congvu.indices.scoring.rollup import LeafInput, band_for, score_framework
from congvu.indices.scoring.tree import (
    Band,
    FlatNode,
    Formula,
    FrameworkInvalid,
    framework_dump_yaml,
    framework_from_dict,
    framework_load_yaml,
    framework_validate,
    nodes_from_rows,
)

rates = st.one_of(st.none(), st.floats(min_value=-10, max_value=150, allow_nan=False))
maxes = st.floats(min_value=0.5, max_value=100, allow_nan=False)
thresholds = st.floats(min_value=1, max_value=100, allow_nan=False)


def doc(**over):
    d = {"code": "t", "name": "Thử", "version": "1", "levels": ["commune"], "effective_from": "2024-01-01",
         "bands": [{"name": "Tốt", "min_percent": 80}, {"name": "Khá", "min_percent": 50}, {"name": "Yếu", "min_percent": 0}],
         "nodes": [
             {"code": "A", "name": "Nhóm A", "max_points": 10, "children": [
                 {"code": "A.1", "name": "Lá 1", "max_points": 6, "method": "live", "metric": "m.one", "threshold": 80},
                 {"code": "A.2", "name": "Lá 2", "max_points": 4, "method": "self_assessment"}]},
             {"code": "B", "name": "Nhóm B", "max_points": 10, "children": [
                 {"code": "B.1", "name": "Lá 3", "max_points": 10, "method": "survey", "metric": "m.two",
                  "threshold": 100}]}]}
    d.update(over)
    return d


@settings(deadline=None)  # a shared, loaded machine: no per-example deadline
@given(rate=rates, mx=maxes, t=thresholds)
def test_indices_linear_formula_bounds(rate, mx, t):
    pts = points_from_rate(rate=rate, max_points=mx, threshold=t)
    if rate is None:
        assert pts is None
        return
    assert 0 <= pts <= mx + 1e-9
    if rate >= t:
        assert pts == pytest.approx(mx)
    elif rate > 0:
        assert pts == pytest.approx(mx * rate / t)


@settings(deadline=None)  # a shared, loaded machine: no per-example deadline
@given(a=st.floats(0, 100), b=st.floats(0, 100), mx=maxes, t=thresholds,
       shape=st.sampled_from(["linear", "binary", "steps"]))
def test_indices_formulas_monotone(a, b, mx, t, shape):
    f = Formula(shape, ((90.0, 1.0), (70.0, 0.5))) if shape == "steps" else Formula(shape)
    lo, hi = sorted((a, b))
    assert points_from_rate(rate=lo, max_points=mx, threshold=t, formula=f) <= \
        points_from_rate(rate=hi, max_points=mx, threshold=t, formula=f) + 1e-9


@settings(deadline=None)  # a shared, loaded machine: no per-example deadline
@given(p_frac=st.floats(0.01, 1), mx=maxes, t=thresholds)
def test_indices_rate_for_points_inverts_linear(p_frac, mx, t):
    target = mx * p_frac
    need = rate_for_points(points=target, max_points=mx, threshold=t)
    assert points_from_rate(rate=need, max_points=mx, threshold=t) == pytest.approx(target, rel=1e-6, abs=1e-9)


def test_indices_766_examples():
    # 5.4: 6 × min(1, rate / 90%)
    assert points_from_rate(rate=81, max_points=6, threshold=90) == pytest.approx(5.4)
    assert points_from_rate(rate=95, max_points=6, threshold=90) == 6
    assert points_from_rate(rate=0, max_points=6, threshold=90) == 0
    assert points_from_rate(rate=20, max_points=4, threshold=None, formula=Formula("lower_better")) == 4 * 100 / 100
    assert points_from_rate(rate=50, max_points=4, threshold=25, formula=Formula("lower_better")) == 2
    assert points_from_rate(rate=50, max_points=0, threshold=None, formula=Formula("monitor")) == 0


@settings(deadline=None)  # a shared, loaded machine: no per-example deadline
@given(r1=rates, p2=st.one_of(st.none(), st.floats(0, 4)), r3=rates)
def test_indices_rollup_sums_and_no_data(r1, p2, r3):
    fw = framework_from_dict(doc())
    inputs = {}
    if r1 is not None:
        inputs["A.1"] = LeafInput(rate=r1)
    if p2 is not None:
        inputs["A.2"] = LeafInput(points=p2)
    if r3 is not None:
        inputs["B.1"] = LeafInput(rate=r3)
    sheet = score_framework(fw, inputs)
    leaves = {n.code: n for n in sheet.leaves()}
    for code, n in leaves.items():
        assert (n.points is None) == (code not in inputs)
        assert (n.status == "no_data") == (code not in inputs)
    have = [n for n in leaves.values() if n.points is not None]
    if not have:
        assert sheet.points is None and sheet.percent is None and sheet.band is None and sheet.status == "no_data"
        return
    assert sheet.points == pytest.approx(sum(n.points for n in have))
    assert sheet.scored_max == pytest.approx(sum(n.max_points for n in have))
    assert 0 <= sheet.percent <= 100 + 1e-9
    for group in sheet.nodes:
        kids = [k for k in group.children if k.points is not None]
        if kids:
            assert group.points == pytest.approx(sum(k.points for k in kids))
            assert group.status == ("ok" if len(kids) == len(group.children) else "partial")
        else:
            assert group.points is None and group.rate is None and group.status == "no_data"


def test_indices_missing_zero_counts_full_max():
    fw = framework_from_dict(doc(missing="zero"))
    sheet = score_framework(fw, {"A.1": LeafInput(rate=80)})
    assert sheet.points == 6 and sheet.percent == pytest.approx(30) and sheet.band == "Yếu"
    assert sheet.node("A.2").status == "no_data" and sheet.node("A.2").points is None
    # exclude (default): the same data is 100 % of what was scored — the survey-less rule
    sheet = score_framework(framework_from_dict(doc()), {"A.1": LeafInput(rate=80)})
    assert sheet.percent == pytest.approx(100) and sheet.band == "Tốt" and sheet.status == "partial"


def test_indices_given_points_clamped_and_rate_from_points():
    sheet = score_framework(framework_from_dict(doc()), {"A.2": LeafInput(points=9), "B.1": LeafInput(rate=55.5)})
    assert sheet.node("A.2").points == 4 and sheet.node("A.2").rate == 100
    assert sheet.node("B.1").points == pytest.approx(5.55)


def test_indices_bands():
    bands = (Band("Xuất sắc", 90), Band("Tốt", 80), Band("Yếu", 0))
    assert band_for(90, bands) == "Xuất sắc"
    assert band_for(89.999, bands) == "Tốt"
    assert band_for(None, bands) is None
    assert band_for(3, bands) == "Yếu"


def test_indices_ranking_ties():
    ranked = rank_scores({"a": 91.0, "b": 85.004, "c": 85.001, "d": None, "e": 70})
    by = {r.key: r for r in ranked}
    assert (by["a"].rank, by["b"].rank, by["c"].rank, by["e"].rank, by["d"].rank) == (1, 2, 2, 4, None)
    assert by["e"].label == "4/4" and by["d"].label == "—/4" and rank_label(10, 19) == "10/19"


@settings(deadline=None)  # a shared, loaded machine: no per-example deadline
@given(st.dictionaries(st.integers(0, 50), st.one_of(st.none(), st.floats(0, 100)), max_size=30))
def test_indices_ranking_properties(scores):
    ranked = rank_scores(scores)
    assert len(ranked) == len(scores)
    for r in ranked:
        if r.score is not None:
            assert r.rank == 1 + sum(1 for o in ranked if o.score is not None and o.score > r.score)


def test_indices_validation_names_the_node():
    bad = doc()
    bad["nodes"][0]["children"][0]["max_points"] = 7  # A no longer adds up
    bad["nodes"][1]["children"][0]["threshold"] = 120
    bad["nodes"][1]["children"][0]["metric"] = "m.unknown"
    bad["nodes"][0]["children"][1]["code"] = "A.1"
    errors = framework_validate(framework_from_dict(bad), metrics=["m.one", "m.two"])
    text = "\n".join(map(str, errors))
    assert "[A] tổng điểm các chỉ số con (11) khác điểm tối đa của chỉ số (10)" in text
    assert "[B.1] ngưỡng 120% phải lớn hơn 0" in text
    assert "[B.1] số liệu “m.unknown” không có trong danh mục" in text
    assert "[A.1] mã chỉ số “A.1” bị trùng" in text
    assert not framework_validate(framework_from_dict(doc()), metrics=["m.one", "m.two"])


def test_indices_structural_errors():
    with pytest.raises(FrameworkInvalid) as exc:
        framework_from_dict(doc(nodes=[{"code": "X", "name": "x", "max_points": "abc", "method": "live"}]))
    assert "[X] “max_points” phải là số" in str(exc.value)
    with pytest.raises(FrameworkInvalid, match=r"\[Y\] chỉ số lá cần “method”"):
        framework_from_dict(doc(nodes=[{"code": "Y", "name": "y", "max_points": 1}]))
    with pytest.raises(FrameworkInvalid, match="YAML"):
        framework_load_yaml("code: [")
    with pytest.raises(FrameworkInvalid, match="orphan|mồ côi"):
        nodes_from_rows([FlatNode("A", "", {"code": "A", "name": "a", "max_points": 1, "method": "appraisal"}),
                         FlatNode("B.1", "B", {"code": "B.1", "name": "b", "max_points": 1, "method": "appraisal"})])


def test_indices_yaml_roundtrip():
    fw = framework_from_dict(doc())
    assert framework_load_yaml(framework_dump_yaml(fw)) == fw


def test_indices_periods():
    assert period_bounds("2023") == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert period_bounds("2024-q1") == (dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    assert period_bounds("2024-02") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert period_previous("2023") == "2022" and period_previous("2023-Q1") == "2022-Q4"
    assert period_previous("2023-01") == "2022-12"
    assert period_elapsed_fraction("2023", dt.date(2023, 7, 2)) == pytest.approx(183 / 365)
    with pytest.raises(PeriodInvalid):
        period_bounds("2023-13")


@settings(deadline=None)  # a shared, loaded machine: no per-example deadline
@given(data=st.dictionaries(st.sampled_from(["A.1", "A.2", "B.1", "M.1"]),
                            st.tuples(st.booleans(), st.floats(-5, 120, allow_nan=False)), max_size=4),
       missing=st.sampled_from(["exclude", "zero"]))
def test_indices_plan_totals_equal_the_tree(data, missing):
    from congvu.indices.scoring.plan import plan_for, totals

    d = doc(missing=missing)
    d["nodes"].append({"code": "M", "name": "Theo dõi", "max_points": 0, "children": [
        {"code": "M.1", "name": "m", "max_points": 0, "method": "live", "metric": "m.three", "formula": "monitor"}]})
    d["nodes"][1]["children"][0]["formula"] = {"shape": "steps", "steps": [[90, 1], [50, 0.5]]}
    fw = framework_from_dict(d)
    inputs = {c: (LeafInput(points=v) if is_points else LeafInput(rate=v)) for c, (is_points, v) in data.items()}
    sheet = score_framework(fw, inputs)
    t = totals(plan_for(fw), inputs)
    assert (t.points is None) == (sheet.points is None)
    if t.points is not None:
        assert t.points == pytest.approx(sheet.points) and t.scored_max == pytest.approx(sheet.scored_max)
        assert t.percent == pytest.approx(sheet.percent)
    assert t.band == sheet.band and t.status == sheet.status
    for (code, pts, mx, rate), node in zip(t.groups, sheet.nodes, strict=True):
        assert code == node.code and mx == node.max_points
        assert (pts is None) == (node.points is None)
        if pts is not None:
            assert pts == pytest.approx(node.points)
            assert (rate is None) == (node.rate is None)
            if rate is not None:
                assert rate == pytest.approx(node.rate)
