"""The registry itself (pure): one provider per metric name, replacement by key, rates without data."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from congvu.metrics import registry as r


def _provider(key: str, *names: str) -> r.MetricProvider:
    metrics = tuple(r.Metric(name=n, label=n, kind="count", unit="", description="") for n in names)
    return r.MetricProvider(key=key, metrics=metrics, compute=lambda q: {})


def test_a_name_belongs_to_one_provider_and_a_key_replaces(monkeypatch):
    monkeypatch.setattr(r, "_providers", {})
    monkeypatch.setattr(r, "_by_metric", {})
    r.provider_register(_provider("a", "a.x", "a.y"))
    with pytest.raises(ValueError, match="a.x"):
        r.provider_register(_provider("b", "a.x"))
    r.provider_register(_provider("a", "a.z"))  # ready() again with a new list: the old names go
    assert [m.name for m in r.metrics_catalogue()] == ["a.z"]
    assert not r.metric_exists("a.x")
    with pytest.raises(r.UnknownMetric) as exc:
        r.providers_for(["a.z", "nope"])
    assert "nope" in str(exc.value)


def test_rate_without_denominator_is_no_data_not_zero():
    v = r.MetricValue.rate(0, 0)
    assert v.value is None and not v.has_data
    assert r.MetricValue.rate(1, 4).value == 25.0


@given(st.dictionaries(st.integers(1, 20), st.dictionaries(st.sampled_from("abc"), st.integers(0, 100))),
       st.dictionaries(st.integers(100, 105), st.frozensets(st.integers(1, 25))))
@settings(deadline=None)  # pure and fast; a loaded CI machine must not turn slowness into a failure
def test_sum_by_group_adds_each_member_once(per_unit, groups):
    totals = r.sum_by_group(per_unit, groups, "abc")
    for gid, ids in groups.items():
        for n in "abc":
            assert totals[gid][n] == sum(per_unit.get(u, {}).get(n, 0) for u in ids)


def test_query_all_ids_is_the_union():
    q = r.MetricQuery(groups={1: frozenset({1, 2}), 3: frozenset({2, 3})}, date_from=dt.date(2024, 1, 1),
                      date_to=dt.date(2024, 12, 31), now=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    assert q.all_ids == {1, 2, 3}
