"""Item 7: reform results in the emulation score and as (non-binding) evidence for the head's rating."""

from __future__ import annotations

from decimal import Decimal

import pytest
from emu_factories import launched_movement, make_tree

from congvu.emulation import services as es
from congvu.emulation.scoring import head_rating_evidence, movement_scores, reform_figures
from congvu.metrics import registry
from congvu.metrics.registry import Metric, MetricProvider, MetricValue

pytestmark = pytest.mark.django_db


@pytest.fixture
def par_index():
    """A stand-in for the indices app's published PAR score: 92 % for every unit asked."""
    values: dict[str, float] = {}

    def compute(q):
        return {uid: {"index.par.percent": MetricValue(values.get(uid))} for uid in q.groups}

    provider = MetricProvider("test-indices", (Metric("index.par.percent", "Chỉ số CCHC", "rate", "%", "thử"),),
                              compute)
    registry.provider_register(provider)
    yield values
    registry._providers.pop("test-indices", None)
    registry._by_metric.pop("index.par.percent", None)


def test_score_without_index_data_is_shown_as_missing():
    root, a, b = make_tree()
    m = launched_movement(root)
    manual = m.criteria.get(measure="manual")
    es.criterion_score_set(actor=None, criterion=manual, unit=a, score=80)
    scores = {s.unit.pk: s for s in movement_scores(movement=m)}
    sa = scores[a.pk]
    assert sa.total == Decimal("80.00")  # only the manual criterion has data
    assert not sa.complete and sa.weight_with_data == Decimal(60)
    index_part = [p for p in sa.parts if p.criterion.measure == "index_result"][0]
    assert index_part.value is None and index_part.source == "chưa có nguồn số liệu"
    assert scores[b.pk].total is None
    with pytest.raises(Exception, match="không chấm điểm tay"):
        es.criterion_score_set(actor=None, criterion=index_part.criterion, unit=a, score=50)


def test_index_result_weighs_in_the_score(par_index):
    root, a, b = make_tree()
    m = launched_movement(root)
    par_index[a.pk] = 92.0
    par_index[b.pk] = 60.0
    manual = m.criteria.get(measure="manual")
    es.criterion_score_set(actor=None, criterion=manual, unit=a, score=70)
    es.criterion_score_set(actor=None, criterion=manual, unit=b, score=90)
    ranked = movement_scores(movement=m)
    # a: (60×70 + 40×92)/100 = 78.8 ; b: (60×90 + 40×60)/100 = 78.0
    assert [(s.unit.pk, s.total) for s in ranked] == [(a.pk, Decimal("78.80")), (b.pk, Decimal("78.00"))]
    assert ranked[0].complete


def test_head_evidence_is_a_suggestion(par_index):
    root, a, b = make_tree()
    ev = head_rating_evidence(unit=a, year=2024)
    assert ev.suggestion is None and "Chưa có số liệu" in ev.reason
    par_index[a.pk] = 95.0
    ev = head_rating_evidence(unit=a, year=2024)
    assert ev.suggestion == "excellent"
    assert ev.as_dict()["binding"] is False
    figs = reform_figures(unit=a, year=2024)
    assert figs["index.par.percent"].value == 95.0
    assert figs["index.766.percent"].value is None  # provided by the indices app, no result yet
    assert figs["directives.task_on_time_rate"].provided and figs["directives.task_on_time_rate"].value is None
    par_index[a.pk] = 70.0
    assert head_rating_evidence(unit=a, year=2024).suggestion == "complete"
