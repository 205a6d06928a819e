"""Reads behind the index screens, exports and workflow API: a unit's score sheet (frozen when
published, otherwise live leaves from the metrics + the round's assessed leaves), its peers, the
ranking table with group percentages and change, points within reach and the year-end projection.

Every figure comes from `congvu.metrics` (one call per provider for all units) and the assessment
rows; nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.db.models import Q
from django.utils import timezone

from congvu.indices import projection as proj
from congvu.indices import reach
from congvu.indices.models import Assessment, FrameworkVersion, LeafAssessment, Method, Result, ResultStatus
from congvu.indices.scoring.periods import period_bounds, period_previous
from congvu.indices.scoring.ranking import rank_scores
from congvu.indices.scoring.rollup import LeafInput, score_framework
from congvu.indices.selectors import version_definition
from congvu.org.models import Unit

LEVEL_KINDS: dict[str, tuple[str, ...]] = {
    "commune": ("commune", "ward", "township"),
    "department": ("agency",),
    "province": ("province",),
    "district": ("district",),
}
LEVEL_LABELS = {"commune": "cấp xã", "department": "sở, ban, ngành", "province": "cấp tỉnh", "district": "cấp huyện"}


def unit_level(unit: Unit) -> str | None:
    for level, kinds in LEVEL_KINDS.items():
        if unit.kind in kinds:
            return level
    return None


def _existing_in(start: dt.date, end: dt.date) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=end)) & (Q(valid_to__isnull=True) | Q(valid_to__gte=start))


def peers_of(unit: Unit, period: str) -> list[Unit]:
    """Units of the same level under the same parent that existed during the period ("10/19 communes
    of its district"), the unit included."""
    level = unit_level(unit)
    start, end = period_bounds(period)
    if level is None or unit.parent_id is None:
        return [unit]
    return list(Unit.objects.filter(parent_id=unit.parent_id, kind__in=LEVEL_KINDS[level])
                .filter(_existing_in(start, end)).order_by("path"))


def units_under(parent: Unit, level: str, period: str) -> list[Unit]:
    start, end = period_bounds(period)
    return list(Unit.objects.filter(path__startswith=parent.path, kind__in=LEVEL_KINDS.get(level, ()))
                .filter(_existing_in(start, end)).order_by("path"))


# -- inputs -------------------------------------------------------------------------------------------

def live_inputs_many(definition: Any, units: list[Unit], period: str,
                     date_to: dt.date | None = None) -> dict[int, dict[str, LeafInput]]:
    """{unit id: {leaf code: LeafInput}} of the live leaves, one metrics call per provider."""
    from congvu.metrics.registry import metric_exists
    from congvu.metrics.selectors import metric_values

    out: dict[int, dict[str, LeafInput]] = {u.pk: {} for u in units}
    leaves = [n for n in definition.leaves() if n.method == Method.LIVE and n.metric and metric_exists(n.metric)]
    if not leaves or not units:
        return out
    start, end = period_bounds(period)
    if date_to is not None:
        end = min(end, date_to)
    values = metric_values(names=[n.metric for n in leaves], units=units, date_from=start, date_to=end)
    for unit in units:
        for n in leaves:
            v = values.get(unit.pk, {}).get(n.metric)
            if v is not None and v.value is not None:
                out[unit.pk][n.code] = LeafInput(rate=v.value, numerator=v.numerator, denominator=v.denominator,
                                                 origin="live")
    return out


def assessed_inputs_many(version: FrameworkVersion, units: list[Unit], period: str) -> dict[int, dict[str, LeafInput]]:
    """{unit id: {leaf code: LeafInput}} from the rounds: appraised score, else the self-score."""
    out: dict[int, dict[str, LeafInput]] = {u.pk: {} for u in units}
    rows = (LeafAssessment.objects.filter(assessment__version=version, assessment__period=period,
                                          assessment__unit__in=units)
            .values_list("assessment__unit_id", "node__code", "node__method", "self_score", "appraised_score"))
    for unit_id, code, method, self_score, appraised in rows:
        if appraised is not None:
            out[unit_id][code] = LeafInput(points=float(appraised), origin="survey" if method == Method.SURVEY else "appraised")
        elif self_score is not None:
            out[unit_id][code] = LeafInput(points=float(self_score), origin="self")
    return out


# -- sheets -------------------------------------------------------------------------------------------

@dataclass
class Sheet:
    """A unit's scores under one version and period, as plain dicts (the shape of `index compute`)."""

    version: FrameworkVersion
    unit: Unit
    period: str
    points: float | None
    max_points: float
    percent: float | None
    band: str | None
    nodes: list[dict[str, Any]]
    published: bool = False
    result: Result | None = None
    assessment: Assessment | None = None
    rank: int | None = None
    of: int = 0
    change: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def leaves(self) -> list[dict[str, Any]]:
        return [leaf for leaf, _ in reach.iter_leaves(self.nodes)]

    def groups(self) -> dict[str, float | None]:
        return {n["code"]: n.get("rate") for n in self.nodes}


def _decorate(nodes: list[dict[str, Any]], definition: Any) -> list[dict[str, Any]]:
    """Add each node's formula, method and required evidence from the definition (for reach)."""
    by_code = {n.code: n for n in definition.walk()}

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            d = by_code.get(item.get("code"))
            if d is not None:
                item.setdefault("method", d.method)
                item.setdefault("metric", d.metric or None)
                item.setdefault("threshold", d.threshold)
                item["formula"] = d.formula.as_dict()
                item["evidence_required"] = list(d.evidence_required)
            walk(item.get("children") or [])

    walk(nodes)
    return nodes


def _from_result(result: Result, definition: Any) -> Sheet:
    return Sheet(version=result.version, unit=result.unit, period=result.period,
                 points=None if result.points is None else float(result.points), max_points=float(result.max_points),
                 percent=None if result.percent is None else float(result.percent), band=result.band or None,
                 nodes=_decorate([dict(n) for n in result.nodes], definition), published=True, result=result,
                 assessment=result.assessment)


def sheets_for(version: FrameworkVersion, units: list[Unit], period: str, *,
               date_to: dt.date | None = None) -> dict[int, Sheet]:
    """Every unit's sheet: a published result as frozen; otherwise scored now (live + rounds)."""
    definition = version_definition(version=version)
    published = {r.unit_id: r for r in Result.objects.filter(version=version, period=period, unit__in=units,
                                                              status=ResultStatus.PUBLISHED)
                 .select_related("unit", "version", "assessment")}
    rest = [u for u in units if u.pk not in published]
    live = live_inputs_many(definition, rest, period, date_to=date_to)
    assessed = assessed_inputs_many(version, rest, period)
    rounds = {a.unit_id: a for a in Assessment.objects.filter(version=version, period=period, unit__in=rest)}
    out: dict[int, Sheet] = {}
    for unit in units:
        if unit.pk in published:
            out[unit.pk] = _from_result(published[unit.pk], definition)
            continue
        inputs = {**live.get(unit.pk, {}), **assessed.get(unit.pk, {})}
        scored = score_framework(definition, inputs)
        out[unit.pk] = Sheet(version=version, unit=unit, period=period, points=_r(scored.points),
                             max_points=float(scored.max_points), percent=_r(scored.percent), band=scored.band,
                             nodes=_decorate([n.as_dict(detail=True) for n in scored.nodes], definition),
                             assessment=rounds.get(unit.pk))
    return out


def _r(x: float | None) -> float | None:
    return None if x is None else round(float(x), 2)


def unit_sheet(version: FrameworkVersion, unit: Unit, period: str, *, with_rank: bool = True) -> Sheet:
    """The unit's sheet with its rank among its peers and the change against the previous period."""
    peers = peers_of(unit, period) if with_rank else [unit]
    if unit not in peers:
        peers.append(unit)
    sheets = sheets_for(version, peers, period)
    sheet = sheets[unit.pk]
    if with_rank:
        ranked = {r.key: r for r in rank_scores({u.pk: sheets[u.pk].percent for u in peers})}
        sheet.rank, sheet.of = ranked[unit.pk].rank, ranked[unit.pk].of
        prev = sheets_for(version, [unit], period_previous(period))[unit.pk]
        if sheet.percent is not None and prev.percent is not None:
            sheet.change = round(sheet.percent - prev.percent, 2)
    return sheet


def ranking(version: FrameworkVersion, units: list[Unit], period: str) -> list[Sheet]:
    """Sheets of `units` in rank order (percent of the maximum; ties share a rank; no data last),
    each with its change against the previous period."""
    sheets = sheets_for(version, units, period)
    previous = sheets_for(version, units, period_previous(period))
    ranked = rank_scores({u.pk: sheets[u.pk].percent for u in units})
    out: list[Sheet] = []
    for r in ranked:
        s = sheets[r.key]
        s.rank, s.of = r.rank, r.of
        before = previous[r.key].percent
        s.change = round(s.percent - before, 2) if s.percent is not None and before is not None else None
        out.append(s)
    return out


# -- points within reach, projection ------------------------------------------------------------------

@cache
def _phrases() -> dict[str, dict[str, str]]:
    path = Path(__file__).resolve().parent / "data" / "reach_phrases.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def step_text(opp: reach.Opportunity, step: reach.Step | None, period: str = "trong kỳ") -> str:
    if step is None:
        return ""
    table = _phrases()
    words = {**table.get("default", {}), **table.get(opp.metric, {})}
    return reach.describe_step(opp, step, noun=words.get("noun", "hồ sơ"), verb_increase=words.get("increase", ""),
                               verb_decrease=words.get("decrease", ""), period=period)


def opportunities(sheet: Sheet) -> list[dict[str, Any]]:
    """Leaves that lost points, most first, with the step that earns the next points (live leaves)."""
    out = []
    for opp in reach.points_within_reach(sheet.nodes):
        item = opp.as_dict()
        item["next_text"] = step_text(opp, opp.next_step)
        item["full_text"] = step_text(opp, opp.full_step) if opp.full_step and opp.full_step != opp.next_step else ""
        out.append(item)
    return out


def monthly_counters(version: FrameworkVersion, unit: Unit, year: int, months: int) -> dict[str, list[tuple[float, float]]]:
    """{live leaf code: [(numerator, denominator) per month]} for the first `months` months of `year`."""
    from congvu.metrics.registry import metric_exists
    from congvu.metrics.selectors import metric_values

    definition = version_definition(version=version)
    leaves = [n for n in definition.leaves() if n.method == Method.LIVE and n.metric and metric_exists(n.metric)]
    out: dict[str, list[tuple[float, float]]] = {n.code: [] for n in leaves}
    if not leaves:
        return out
    for m in range(1, months + 1):
        start, end = period_bounds(f"{year}-{m:02d}")
        values = metric_values(names=[n.metric for n in leaves], units=[unit], date_from=start, date_to=end)[unit.pk]
        for n in leaves:
            v = values.get(n.metric)
            num = v.numerator if v is not None and v.numerator is not None else 0.0
            den = v.denominator if v is not None and v.denominator is not None else 0.0
            out[n.code].append((float(num), float(den)))
    return out


def year_projection(version: FrameworkVersion, unit: Unit, year: int, *, today: dt.date | None = None,
                    sheet: Sheet | None = None) -> proj.Projection | None:
    """Year-to-date score and the year-end score if the monthly pace of the last three months holds.
    None for a year that has ended (its score is final) or not started."""
    today = today or timezone.localdate()
    if today.year != year:
        return None
    months = today.month - 1 if today.day < 15 and today.month > 1 else today.month
    sheet = sheet or unit_sheet(version, unit, str(year), with_rank=False)
    monthly = monthly_counters(version, unit, year, months)
    bands = list(version.bands or [])
    return proj.project_year_end(sheet.leaves(), monthly, months_elapsed=months, bands=bands,
                                 max_points=sheet.max_points)


# -- exports ------------------------------------------------------------------------------------------

def ranking_export_data(version: FrameworkVersion, rows: list[Sheet], period: str, level: str,
                        title: str = "") -> dict[str, Any]:
    groups = [{"code": n["code"], "name": n["name"], "max_points": n.get("max_points")}
              for n in (rows[0].nodes if rows else [])]
    return {
        "title": title or f"Xếp hạng {version.framework.name} kỳ {period}",
        "framework": version.framework.name, "version": version.version, "period": period, "level": level,
        "level_label": LEVEL_LABELS.get(level, level), "generated": f"{timezone.localdate():%d/%m/%Y}",
        "groups": groups,
        "rows": [{"rank": s.rank, "of": s.of, "unit": s.unit.name, "points": s.points, "max_points": s.max_points,
                  "pct": s.percent, "band": s.band, "change": s.change, "groups": s.groups()} for s in rows],
    }


def sheet_export_data(sheet: Sheet) -> dict[str, Any]:
    leaf_rows: dict[str, Any] = {}
    if sheet.assessment is not None:
        leaf_rows = {row.node.code: row for row in sheet.assessment.leaves.select_related("node")}

    def node(n: dict[str, Any]) -> dict[str, Any]:
        row = leaf_rows.get(n["code"])
        status = n.get("status")
        return {"code": n["code"], "name": n["name"], "max_points": n.get("max_points"), "points": n.get("points"),
                "rate": n.get("rate"), "status": status,
                "self_points": None if row is None or row.self_score is None else float(row.self_score),
                "appraised_points": None if row is None or row.appraised_score is None else float(row.appraised_score),
                "note": (row.reason if row is not None else "") or "",
                "children": [node(c) for c in n.get("children") or []]}

    return {"title": f"Bảng điểm {sheet.version.framework.name} — {sheet.unit.name}",
            "framework": sheet.version.framework.name, "version": sheet.version.version, "unit": sheet.unit.name,
            "period": sheet.period, "points": sheet.points, "max_points": sheet.max_points, "pct": sheet.percent,
            "band": sheet.band, "rank": sheet.rank, "of": sheet.of, "generated": f"{timezone.localdate():%d/%m/%Y}",
            "nodes": [node(n) for n in sheet.nodes]}
