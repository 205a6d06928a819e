"""Index results in the metrics catalogue: `index.<framework code>.points` and
`index.<framework code>.percent` per unit and period — the unit's published result when the
period is exactly one it was published for (a year, quarter or month), else the live score.
Emulation reads reform results through these names only.

The metric names exist for the shipped frameworks from start-up (their file names are their codes)
and for any other framework once it is loaded in the process (`provider_refresh`).
Registered from `IndicesConfig.ready()`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from congvu.metrics.registry import (
    Metric,
    MetricProvider,
    MetricQuery,
    MetricValue,
    ProviderResult,
    provider_register,
)

_DATA = Path(__file__).resolve().parent / "data"
_codes: set[str] = set()


def _metrics(codes: set[str]) -> tuple[Metric, ...]:
    out: list[Metric] = []
    for code in sorted(codes):
        out.append(Metric(f"index.{code}.points", f"Điểm chỉ số {code}", "count", "điểm",
                          f"Tổng điểm bộ chỉ số {code} của đơn vị trong kỳ (kết quả đã công bố nếu có, nếu "
                          "không là điểm tính trực tiếp); mẫu số là điểm tối đa.", app="indices"))
        out.append(Metric(f"index.{code}.percent", f"Tỷ lệ điểm chỉ số {code}", "rate", "%",
                          f"Điểm bộ chỉ số {code} / điểm tối đa của các chỉ số có số liệu × 100 (kết quả đã công "
                          "bố nếu có, nếu không là điểm tính trực tiếp).", app="indices"))
    return tuple(out)


def _period_of(date_from: dt.date, date_to: dt.date) -> str | None:
    """"2023" / "2023-Q2" / "2023-06" when [date_from, date_to] is exactly that period."""
    from congvu.indices.scoring.periods import period_bounds

    y = date_from.year
    for p in (str(y), f"{y}-Q{(date_from.month - 1) // 3 + 1}", f"{y}-{date_from.month:02d}"):
        if period_bounds(p) == (date_from, date_to):
            return p
    return None


def compute(q: MetricQuery) -> ProviderResult:
    from congvu.indices.selectors import FrameworkNotFound, units_totals, version_for
    from congvu.org.models import Unit

    units = list(Unit.objects.filter(pk__in=list(q.groups)))
    out: dict[int, dict[str, MetricValue]] = {u.pk: {} for u in units}
    codes = {n.split(".", 2)[1] for n in q.names if n.startswith("index.")}
    period = _period_of(q.date_from, q.date_to)
    for code in codes:
        try:
            version = version_for(code=code, day=q.date_to)
        except FrameworkNotFound:
            continue
        scored = units_totals(version=version, units=units, period=period, date_from=q.date_from,
                              date_to=q.date_to, now=q.now)
        answers = {uid: s.answer for uid, s in scored.items()}
        for uid, a in answers.items():
            pts, mx = a["points"], a["max_points"]
            out[uid][f"index.{code}.points"] = MetricValue(None if pts is None else float(pts),
                                                           None if pts is None else float(pts), mx)
            pct = a["percent"]
            out[uid][f"index.{code}.percent"] = MetricValue(None if pct is None else float(pct),
                                                            None if pts is None else float(pts), a.get("scored_max"))
    return {uid: {k: v for k, v in vals.items() if k in q.names} for uid, vals in out.items()}


def provider_refresh(extra: set[str] | frozenset[str] = frozenset()) -> None:
    """(Re-)register the provider with the shipped framework codes plus `extra`."""
    _codes.update(p.stem for p in _DATA.glob("*.yaml"))
    _codes.update(extra)
    provider_register(MetricProvider(key="indices", metrics=_metrics(_codes), compute=compute))
