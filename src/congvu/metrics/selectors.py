"""Reading metric values: units → the ids whose rows count for them → each provider once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from congvu.metrics.registry import MetricQuery, MetricValue, providers_for
from congvu.org.models import Unit
from congvu.org.selectors import units_rollup_ids


def metric_values(*, names: Iterable[str], units: Iterable[Unit], date_from: dt.date, date_to: dt.date,
                  now: dt.datetime | None = None, lineage: bool = True) -> dict[int, dict[str, MetricValue]]:
    """{unit id: {metric name: value}} for every requested unit and metric over [date_from, date_to].

    With `lineage` (the default) a unit's figures include its subtree and, transitively, its
    predecessors' (a merged commune's 2023 dossiers count for its successor). A metric a provider
    has no figure for is "no data" (`MetricValue(None)`)."""
    names = list(dict.fromkeys(names))
    units = list(units)
    groups = units_rollup_ids(units=units, lineage=lineage)
    now = now or timezone.now()
    out: dict[int, dict[str, MetricValue]] = {u.pk: {} for u in units}
    for provider, wanted in providers_for(names).values():
        result = provider.compute(MetricQuery(groups=groups, date_from=date_from, date_to=date_to, now=now,
                                              names=wanted))
        for unit_id in out:
            values = result.get(unit_id, {})
            for name in wanted:
                out[unit_id][name] = values.get(name, MetricValue(None))
    return out


def metric_value(*, name: str, unit: Unit, date_from: dt.date, date_to: dt.date,
                 now: dt.datetime | None = None, lineage: bool = True) -> MetricValue:
    return metric_values(names=[name], units=[unit], date_from=date_from, date_to=date_to, now=now,
                         lineage=lineage)[unit.pk][name]
