"""Live scoring from the metrics registry: leaves read the unit's figures (subtree and lineage),
self-assessed points count once submitted and appraised points replace them, peers are ranked
with ties, a published result is frozen and is what `index.<code>.points` returns, a period
without data is "no data", the detail has the previous period, the projection and the points
within reach."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from congvu.indices.models import Assessment, LeafAssessment, Node, Result
from congvu.indices.selectors import (
    unit_points_within_reach,
    unit_score,
    unit_score_detail,
    units_ranking,
)
from congvu.metrics.selectors import metric_value, metric_values

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def T(*a):
    return dt.datetime(*a, tzinfo=VN)


def _nodes(nodes):
    for n in nodes:
        yield n
        yield from _nodes(n["children"])


def test_indices_live_leaves_rank_and_no_data(world):
    a, b = world["a"], world["b"]
    ans = unit_score(code="thu", unit=a, period="2024")
    nodes = {n["code"]: n for n in _nodes(ans["nodes"])}
    on_time = metric_value(name="onestop.on_time_rate", unit=a, date_from=dt.date(2024, 1, 1),
                           date_to=dt.date(2024, 12, 31))
    assert (on_time.numerator, on_time.denominator) == (4, 5)
    assert nodes["A.1"]["rate"] == 80.0 and nodes["A.1"]["points"] == 8.0 and nodes["A.1"]["status"] == "ok"
    digit = metric_value(name="onestop.digitized_rate", unit=a, date_from=dt.date(2024, 1, 1),
                         date_to=dt.date(2024, 12, 31)).value
    assert nodes["B.1"]["rate"] == digit and nodes["B.1"]["points"] == pytest.approx(5 * min(1, digit / 80), abs=0.01)
    assert nodes["A.2"]["status"] == "no_data" and nodes["A.2"]["points"] is None
    assert nodes["A"]["status"] == "partial" and nodes["A"]["points"] == 8.0
    assert ans["max_points"] == 20 and ans["points"] == pytest.approx(8 + nodes["B.1"]["points"], abs=0.01)
    assert ans["percent"] == pytest.approx(100 * ans["points"] / 15, abs=0.01)
    # peers of the same level existing at the end of 2024: An Phú and Bình Minh (Xã Cũ merged)
    assert ans["rank"] == "2/2"
    assert unit_score(code="thu", unit=b, period="2024")["rank"] == "1/2"
    ranking = units_ranking(code="thu", level="commune", period="2024")
    assert [r["unit"] for r in ranking["ranking"]] == ["Xã Bình Minh", "Xã An Phú"]
    assert [r["rank_label"] for r in ranking["ranking"]] == ["1/2", "2/2"]
    # a period without data: no data, not 0, not ranked
    empty = unit_score(code="thu", unit=a, period="2023")
    assert empty["points"] is None and empty["percent"] is None and empty["band"] is None
    assert empty["status"] == "no_data" and empty["rank"] is None
    assert all(n["rate"] is None for n in _nodes(empty["nodes"]))


def test_indices_assessed_leaf_counts_once_submitted_appraisal_wins(world):
    a, version = world["a"], world["version"]
    node = Node.objects.get(version=version, code="A.2")
    ass = Assessment.objects.create(unit=a, version=version, period="2024")
    leaf = LeafAssessment.objects.create(assessment=ass, node=node, self_score=4)
    assert unit_score(code="thu", unit=a, period="2024", with_rank=False)["nodes"][0]["children"][1]["points"] is None
    ass.state = "submitted"
    ass.save()
    got = unit_score(code="thu", unit=a, period="2024", with_rank=False)["nodes"][0]["children"][1]
    assert got["points"] == 4 and got["status"] == "ok"
    leaf.appraised_score = 3
    leaf.save()
    got = unit_score(code="thu", unit=a, period="2024", with_rank=False)
    assert got["nodes"][0]["children"][1]["points"] == 3 and got["nodes"][0]["status"] == "ok"


def test_indices_published_result_is_frozen_and_is_the_metric(world):
    a, b, version = world["a"], world["b"], world["version"]
    live = unit_score(code="thu", unit=a, period="2024", with_rank=False)
    year = {"date_from": dt.date(2024, 1, 1), "date_to": dt.date(2024, 12, 31)}
    v = metric_values(names=["index.thu.points", "index.thu.percent"], units=[a, b], **year)
    assert v[a.pk]["index.thu.points"].value == pytest.approx(live["points"], abs=0.01)
    assert v[a.pk]["index.thu.points"].denominator == 20
    assert v[a.pk]["index.thu.percent"].value == pytest.approx(live["percent"], abs=0.01)
    # a range that is not a period is scored live too
    q1 = metric_value(name="index.thu.points", unit=a, date_from=dt.date(2024, 2, 1), date_to=dt.date(2024, 5, 15))
    assert q1.value == pytest.approx(live["points"], abs=0.01)
    assert metric_value(name="index.thu.points", unit=a, date_from=dt.date(2023, 1, 1),
                        date_to=dt.date(2023, 12, 31)).value is None

    Result.objects.create(unit=a, version=version, period="2024", status="published", points=20, max_points=20,
                          percent=100, band="Tốt", nodes=[{"code": "A", "name": "x", "max_points": 15, "points": 14,
                                                          "rate": 93.33, "status": "ok", "children": []}])
    frozen = unit_score(code="thu", unit=a, period="2024")
    assert (frozen["points"], frozen["percent"], frozen["band"], frozen["source"]) == (20, 100, "Tốt", "published")
    assert frozen["nodes"][0]["points"] == 14
    # a tie with Bình Minh's live 100 %: both first
    assert frozen["rank"] == "1/2" and unit_score(code="thu", unit=b, period="2024")["rank"] == "1/2"
    assert metric_value(name="index.thu.points", unit=a, **year).value == 20
    assert metric_value(name="index.thu.percent", unit=a, **year).value == 100


def test_indices_detail_previous_projection_reach(world):
    a = world["a"]
    detail = unit_score_detail(code="thu", unit=a, period="2024", now=T(2024, 7, 15, 9))
    assert detail["previous"]["period"] == "2023" and detail["previous"]["points"] is None
    assert detail["change"] == {"points": None, "percent": None}
    proj = detail["projection"]
    assert proj["as_of"] == "2024-07-15" and proj["pace_from"] == "2024-04-01" and proj["pace_to"] == "2024-06-30"
    # April–June: one dossier finished, late (0 % on time): at that pace the year ends lower;
    # digitisation had no receipts in those months, so its rate is kept
    p_nodes = {n["code"]: n for n in _nodes(proj["nodes"])}
    remaining = (dt.date(2024, 12, 31) - dt.date(2024, 7, 15)).days / (365.2425 / 12)
    k = remaining / ((dt.date(2024, 6, 30) - dt.date(2024, 4, 1)).days + 1) * (365.2425 / 12)
    assert p_nodes["A.1"]["rate"] == pytest.approx(100 * 4 / (5 + k), abs=0.5)
    assert p_nodes["B.1"]["rate"] == detail["nodes"][1]["children"][0]["rate"]
    assert proj["points"] < detail["points"]
    assert unit_score_detail(code="thu", unit=a, period="2024")["projection"] is None  # the period is over
    reach = unit_points_within_reach(code="thu", unit=a, period="2024")
    assert reach[0]["code"] == "A.1" and reach[0]["lost"] == 2.0
    # 4 on time of 5: one more dossier on time → 100 % → +2 points
    assert reach[0]["next_count"] == 1 and reach[0]["full_count"] == 1
    assert [r["code"] for r in reach][-1] == "A.2" and reach[-1]["points"] is None and reach[-1]["lost"] == 5
    bd = detail["band_decisive"]
    assert bd["band"] == detail["band"]
