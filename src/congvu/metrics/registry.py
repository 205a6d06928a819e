"""The registry of metrics and their providers. Pure: no Django import, no domain app.

A **metric** is a named figure of a unit over a period ("onestop.on_time_rate": 766 indicator 2.1).
A **provider** computes one or more metrics for many units at once (one pass over its counters),
so scoring a whole province costs one call per provider, not one per unit and metric.

Values: a rate carries its numerator and denominator; a period with nothing to count has
`value=None` ("no data" — never 0 %, never a division by zero).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

MetricKind = Literal["rate", "count", "amount", "average"]


@dataclass(frozen=True)
class Metric:
    name: str  # "<app>.<figure>", stable: index frameworks name it
    label: str  # Vietnamese, shown on screens
    kind: MetricKind
    unit: str  # "%", "hồ sơ", "đồng", "giờ"
    description: str  # how it is counted, numerator / denominator in words
    source: str = ""  # legal or methodological source ("QĐ 766/QĐ-TTg, chỉ số 2.1")
    app: str = ""


@dataclass(frozen=True)
class MetricValue:
    """`value` is the figure (a percentage for rates) or None when there is no data."""

    value: float | None
    numerator: float | None = None
    denominator: float | None = None

    @staticmethod
    def rate(numerator: float, denominator: float) -> MetricValue:
        if not denominator:
            return MetricValue(None, numerator, denominator)
        return MetricValue(round(100.0 * numerator / denominator, 4), numerator, denominator)

    @staticmethod
    def count(value: float) -> MetricValue:
        return MetricValue(value)

    @property
    def has_data(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class MetricQuery:
    """What a provider is asked: for each requested unit id, the unit ids whose rows count for it
    (its subtree and, through lineage, its predecessors'), a period of days, and "now" (for figures
    judged at a moment, such as overdue)."""

    groups: Mapping[int, frozenset[int]]
    date_from: dt.date
    date_to: dt.date
    now: dt.datetime
    names: frozenset[str] = field(default_factory=frozenset)

    @property
    def all_ids(self) -> frozenset[int]:
        out: set[int] = set()
        for ids in self.groups.values():
            out |= ids
        return frozenset(out)


ProviderResult = Mapping[int, Mapping[str, MetricValue]]  # {requested unit id: {metric name: value}}


@dataclass(frozen=True)
class MetricProvider:
    key: str
    metrics: tuple[Metric, ...]
    compute: Callable[[MetricQuery], ProviderResult]


def sum_by_group(per_unit: Mapping[int, Mapping[str, float | None]], groups: Mapping[int, Iterable[int]],
                 names: Iterable[str]) -> dict[int, dict[str, float]]:
    """Counters kept per unit ({unit id: {counter: value}}) summed for each requested group."""
    names = tuple(names)
    out: dict[int, dict[str, float]] = {}
    for gid, ids in groups.items():
        total: dict[str, float] = dict.fromkeys(names, 0)
        for uid in ids:
            row = per_unit.get(uid)
            if row:
                for n in names:
                    total[n] += row.get(n) or 0
        out[gid] = total
    return out


class UnknownMetric(KeyError):
    def __init__(self, name: str):
        super().__init__(name)
        self.name = name

    def __str__(self) -> str:
        return f"Không có số liệu nào tên “{self.name}” trong danh mục."


_providers: dict[str, MetricProvider] = {}
_by_metric: dict[str, MetricProvider] = {}


def provider_register(provider: MetricProvider) -> None:
    """Add or replace (same key) a provider; a metric name belongs to one provider only."""
    old = _providers.get(provider.key)
    if old is not None:
        for m in old.metrics:
            _by_metric.pop(m.name, None)
    for m in provider.metrics:
        owner = _by_metric.get(m.name)
        if owner is not None and owner.key != provider.key:
            raise ValueError(f"metric {m.name} is already provided by {owner.key}")
    _providers[provider.key] = provider
    for m in provider.metrics:
        _by_metric[m.name] = provider


def metrics_catalogue() -> list[Metric]:
    return sorted((m for p in _providers.values() for m in p.metrics), key=lambda m: m.name)


def metric_get(name: str) -> Metric:
    provider = _by_metric.get(name)
    if provider is None:
        raise UnknownMetric(name)
    return next(m for m in provider.metrics if m.name == name)


def metric_exists(name: str) -> bool:
    return name in _by_metric


def providers_for(names: Iterable[str]) -> dict[str, tuple[MetricProvider, frozenset[str]]]:
    """{provider key: (provider, the requested names it computes)}; unknown names raise."""
    out: dict[str, tuple[MetricProvider, set[str]]] = {}
    for name in names:
        provider = _by_metric.get(name)
        if provider is None:
            raise UnknownMetric(name)
        out.setdefault(provider.key, (provider, set()))[1].add(name)
    return {k: (p, frozenset(n)) for k, (p, n) in out.items()}
