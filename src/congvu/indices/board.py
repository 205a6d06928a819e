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

from congvu.indices.models import Assessment, FrameworkVersion, Result, ResultStatus
from congvu.indices.scoring import analysis, reach
from congvu.indices.scoring.periods import period_bounds, period_previous
from congvu.indices.scoring.ranking import rank_scores
from congvu.indices.selectors import LEVEL_KINDS as SELECTOR_LEVELS
from congvu.indices.selectors import PeerSet, unit_rank, units_scored, version_definition
from congvu.org.models import Unit

LEVEL_KINDS: dict[str, tuple[str, ...]] = dict(SELECTOR_LEVELS)
LEVEL_LABELS = {"commune": "cấp xã", "department": "sở, ban, ngành", "province": "cấp tỉnh", "district": "cấp huyện"}


def _existing_in(start: dt.date, end: dt.date) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=end)) & (Q(valid_to__isnull=True) | Q(valid_to__gte=start))


def units_under(parent: Unit, level: str, period: str) -> list[Unit]:
    start, end = period_bounds(period)
    return list(Unit.objects.filter(path__startswith=parent.path, kind__in=LEVEL_KINDS.get(level, ()))
                .filter(_existing_in(start, end)).order_by("path"))


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
    peers: PeerSet | None = None  # what `rank` is among (`selectors.rank_peers`)
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


def sheets_for(version: FrameworkVersion, units: list[Unit], period: str, *,
               now: dt.datetime | None = None) -> dict[int, Sheet]:
    """Every unit's sheet through `selectors.units_scored` (the numbers of `congvu index compute`): a
    published result as frozen; otherwise live leaves from the metrics and the rounds' leaves."""
    definition = version_definition(version=version)
    scored = units_scored(version=version, units=units, period=period, now=now, detail=True)
    published = {r.unit_id: r for r in Result.objects.filter(version=version, period=period, unit__in=units,
                                                              status=ResultStatus.PUBLISHED)
                 .select_related("assessment")}
    rounds = {a.unit_id: a for a in Assessment.objects.filter(version=version, period=period, unit__in=units)}
    floor = definition.max_points * getattr(definition, "rank_min_coverage", 0.0) / 100.0
    out: dict[int, Sheet] = {}
    for unit in units:
        s = scored[unit.pk]
        answer = s.answer
        covered = answer.get("scored_max")
        rankable = s.source == "published" or covered is None or covered + 1e-9 >= floor
        out[unit.pk] = Sheet(version=version, unit=unit, period=period, points=_r(answer["points"]),
                             max_points=float(answer["max_points"] or 0), percent=_r(answer["percent"]),
                             band=answer["band"], nodes=_decorate([dict(n) for n in answer["nodes"]], definition),
                             published=s.source == "published", result=published.get(unit.pk),
                             assessment=rounds.get(unit.pk), extra={"rankable": rankable,
                                                                    "status": answer.get("status")})
    return out


def _rankable(sheets: dict[int, Sheet]) -> dict[int, float | None]:
    """{unit id: percent}; a unit below the version's coverage floor is not ranked."""
    return {uid: (s.percent if s.extra.get("rankable", True) else None) for uid, s in sheets.items()}


def _r(x: float | None) -> float | None:
    return None if x is None else round(float(x), 2)


def unit_sheet(version: FrameworkVersion, unit: Unit, period: str, *, with_rank: bool = True,
               peers: str = "province") -> Sheet:
    """The unit's sheet with its rank among its peers — `selectors.unit_rank`, the rank of `congvu
    index compute` and of the API: the units of its level in its province, or under its parent unit
    with `peers="parent"` — and the change against the previous period."""
    sheet = sheets_for(version, [unit], period)[unit.pk]
    if with_rank:
        sheet.rank, sheet.of, sheet.peers = unit_rank(version=version, unit=unit, period=period, scope=peers)
        prev = sheets_for(version, [unit], period_previous(period))[unit.pk]
        if sheet.percent is not None and prev.percent is not None:
            sheet.change = round(sheet.percent - prev.percent, 2)
    return sheet


def ranking(version: FrameworkVersion, units: list[Unit], period: str) -> list[Sheet]:
    """Sheets of `units` in rank order (percent of the maximum; ties share a rank; no data last),
    each with its change against the previous period."""
    sheets = sheets_for(version, units, period)
    previous = sheets_for(version, units, period_previous(period))
    ranked = rank_scores(_rankable(sheets))
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
    path = Path(__file__).resolve().parent / "data" / "workflow" / "reach_phrases.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def step_text(opp: reach.Opportunity, step: reach.Step | None, period: str = "trong kỳ") -> str:
    if step is None:
        return ""
    table = _phrases()
    words = {**table.get("default", {}), **table.get(opp.metric, {})}
    return reach.describe_step(opp, step, noun=words.get("noun", "hồ sơ"), verb_increase=words.get("increase", ""),
                               verb_decrease=words.get("decrease", ""), period=period)


def opportunities(sheet: Sheet) -> list[dict[str, Any]]:
    """Leaves that lost points, most first, with the step that earns the next points (live leaves):
    `scoring.reach.points_within_reach` over the sheet's nodes — the figures of
    `selectors.unit_points_within_reach` and of the API — plus the sentences the screen shows."""
    out = []
    for opp in reach.points_within_reach(version_definition(version=sheet.version), sheet.nodes):
        item = opp.as_dict()
        item["next_text"] = step_text(opp, opp.next_step)
        item["full_text"] = step_text(opp, opp.full_step) if opp.full_step and opp.full_step != opp.next_step else ""
        out.append(item)
    return out


def months_elapsed(year: int, as_of: dt.date) -> int:
    """Full months of `year` before `as_of` (a month counts once its last day is reached)."""
    if as_of.year < year:
        return 0
    if as_of.year > year:
        return 12
    last = period_bounds(f"{year}-{as_of.month:02d}")[1]
    return as_of.month if as_of >= last else as_of.month - 1


def year_projection(version: FrameworkVersion, unit: Unit, year: int, *,
                    as_of: dt.date | None = None) -> analysis.YearEnd | None:
    """The year-to-date score at the end of the last full month before `as_of` (default today) and the
    year-end score if the pace of the last (up to) three full months holds (`scoring.analysis.project`,
    the one implementation, which the detail API's projection uses too). None before the first full
    month and once the year is over (its score is final)."""
    from congvu.indices.selectors import units_score

    as_of = as_of or timezone.localdate()
    months = months_elapsed(year, as_of)
    if not 1 <= months <= 11:
        return None
    ytd_end = period_bounds(f"{year}-{months:02d}")[1]
    ytd = units_score(version=version, units=[unit], date_from=dt.date(year, 1, 1), date_to=ytd_end,
                      period=str(year))[unit.pk]
    window = min(3, months)
    recent = units_score(version=version, units=[unit], date_from=dt.date(year, months - window + 1, 1),
                         date_to=ytd_end, period=None)[unit.pk]
    definition = version_definition(version=version)
    projected = analysis.project(definition, ytd, recent, recent_months=window, remaining_months=12 - months)
    return analysis.year_end(definition, ytd, projected, months_elapsed=months)


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
            "band": sheet.band, "rank": sheet.rank, "of": sheet.of,
            "peers": sheet.peers.label if sheet.peers is not None else "", "generated": f"{timezone.localdate():%d/%m/%Y}",
            "nodes": [node(n) for n in sheet.nodes]}
