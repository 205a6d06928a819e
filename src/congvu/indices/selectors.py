"""Reads of the indices app: frameworks and versions, and scores.

Scoring many units costs one `metric_values` call (one query per provider for all units), one
query for the assessment rows and one for the published results, whatever the number of units.

- `units_score`: live score sheets of many units over a date range (leaves with a metric read
  `congvu.metrics`; self-assessed / appraised / survey leaves read the assessment rows);
- `unit_score` / `units_ranking`: the `congvu index compute` / `rank` answers (published result
  if one exists, else live), rank among peers of the same level ("10/19");
- `unit_score_detail`: plus change against the previous period, year-end projection at the
  current monthly pace and the leaves that decide the band.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import FloatField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from congvu.indices.models import (
    Assessment,
    AssessmentState,
    Framework,
    FrameworkVersion,
    LeafAssessment,
    Node,
    Result,
    ResultStatus,
)
from congvu.indices.scoring.analysis import band_decisive, change, project
from congvu.indices.scoring.periods import period_bounds, period_normalise, period_previous
from congvu.indices.scoring.plan import Totals, plan_for, totals
from congvu.indices.scoring.ranking import rank_label, rank_scores
from congvu.indices.scoring.reach import points_within_reach
from congvu.indices.scoring.rollup import LeafInput, ScoreSheet, band_for, score_framework
from congvu.indices.scoring.tree import Band, FrameworkDef, framework_from_dict
from congvu.metrics.registry import metric_exists
from congvu.metrics.selectors import metric_values
from congvu.org.models import Unit

# Unit kinds scored at each level of a framework.
LEVEL_KINDS = {
    "province": ("province",),
    "department": ("agency",),
    "commune": ("commune", "ward", "township", "special_zone"),
    "district": ("district",),  # before 01/07/2025
}
LEVEL_PEERS_VI = {"province": "tỉnh, thành phố", "department": "sở, ban, ngành", "commune": "xã, phường, thị trấn, đặc khu",
                  "district": "huyện, thị xã, thành phố thuộc tỉnh"}
# Which units a unit's rank is among: the units of its level in its province (the default, the CLI's and
# the API's), or those under its parent unit (e.g. the communes of its district before 2025).
PEER_SCOPES = ("province", "parent")
# Self-assessed points count in the live score once submitted; appraised points always.
_SELF_COUNTS = (AssessmentState.SUBMITTED, AssessmentState.RETURNED, AssessmentState.ANSWERED,
                AssessmentState.APPRAISED, AssessmentState.PUBLISHED)


class FrameworkNotFound(LookupError):
    pass


def frameworks_list() -> QuerySet[Framework]:
    return Framework.objects.all()


def version_definition(*, version: FrameworkVersion) -> FrameworkDef:
    """The framework definition a version stores (its YAML document); cached on the instance."""
    cached = getattr(version, "_definition", None)
    if cached is None:
        cached = framework_from_dict(version.tree)
        version._definition = cached
    return cached


def version_for(*, code: str, day: dt.date | None = None, version: str | None = None) -> FrameworkVersion:
    """The version of framework `code` named `version`, else the one in force on `day`, else the
    latest."""
    qs = FrameworkVersion.objects.select_related("framework").filter(framework__code=code)
    if version:
        found = qs.filter(version=version).first()
    else:
        found = None
        if day is not None:
            found = (qs.filter(effective_from__lte=day).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
                     .order_by("-effective_from").first())
        found = found or qs.order_by("-effective_from").first()
    if found is None:
        raise FrameworkNotFound(f"Không có bộ chỉ số “{code}”" + (f" phiên bản {version}" if version else "") + ".")
    return found


def unit_level(unit: Unit) -> str | None:
    """The level a unit is scored and ranked at: a province, a department (an agency directly under
    the province), a commune (commune, ward, township, special zone) or — before 2025 — a district."""
    if unit.kind in LEVEL_KINDS["commune"]:
        return "commune"
    if unit.kind == "province":
        return "province"
    if unit.kind == "district":
        return "district"
    if unit.kind == "agency" and unit.parent_id is not None:
        parent_kind = Unit.objects.filter(pk=unit.parent_id).values_list("kind", flat=True).first()
        return "department" if parent_kind == "province" else None
    return None


def peers_of_level(*, level: str, day: dt.date, within: Unit | None = None) -> list[Unit]:
    """Units of `level` existing on `day` (under `within`, e.g. their province)."""
    qs = Unit.objects.filter(kind__in=LEVEL_KINDS[level]).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    if within is not None:
        qs = qs.filter(path__startswith=within.path)
    if level == "department":
        qs = qs.filter(parent__kind="province")
    return list(qs.order_by("path"))


def _province_of(unit: Unit) -> Unit | None:
    ids = [int(x) for x in unit.path.strip("/").split("/") if x]
    return Unit.objects.filter(pk__in=ids, kind="province").first()


@dataclass(frozen=True)
class PeerSet:
    """The units a unit's rank is among: `scope` province (the units of its level in its province) or
    parent (those under its parent unit); `within` the province / parent (None: every unit of the level,
    e.g. provinces); `units` existing at the end of the period (or today, within it)."""

    scope: str
    level: str | None
    within: Unit | None
    units: list[Unit]

    @property
    def label(self) -> str:
        """"các xã, phường, đặc khu của Tỉnh Quảng Ngãi" — what the screen says the rank is among."""
        if self.level is None:
            return "không xếp hạng (đơn vị không thuộc cấp nào của bộ chỉ số)"
        what = f"các {LEVEL_PEERS_VI.get(self.level, self.level)}"
        return f"{what} thuộc {self.within.name}" if self.within is not None else what

    def as_dict(self) -> dict[str, Any]:
        return {"scope": self.scope, "level": self.level, "within": self.within.code if self.within else None,
                "within_name": self.within.name if self.within else None, "units": len(self.units),
                "label": self.label}


def rank_peers(*, unit: Unit, period: str, scope: str = "province", now: dt.datetime | None = None) -> PeerSet:
    """The peer set of `unit`'s rank (see `PEER_SCOPES`): the level's peers — communes among communes,
    departments among departments — existing at the end of the period (today while it runs), in the
    unit's province (default) or under its parent unit. The unit itself is always in it."""
    if scope not in PEER_SCOPES:
        raise ValueError(f"Phạm vi so sánh “{scope}” không có; chọn một trong {', '.join(PEER_SCOPES)}.")
    level = unit_level(unit)
    if level is None:
        return PeerSet(scope, None, None, [unit])
    if scope == "parent":
        within = unit.parent if unit.parent_id else None
    else:
        within = None if level == "province" else _province_of(unit)
    date_to = period_bounds(period_normalise(period))[1]
    peers = peers_of_level(level=level, day=_as_of(date_to, now), within=within)
    if level == "department" and scope == "parent":
        peers = [u for u in peers if u.parent_id == unit.parent_id]
    if unit.pk not in {u.pk for u in peers}:
        peers.append(unit)
    return PeerSet(scope, level, within, peers)


def unit_rank(*, version: FrameworkVersion, unit: Unit, period: str, scope: str = "province",
              now: dt.datetime | None = None) -> tuple[int | None, int, PeerSet]:
    """(rank, how many ranked, peer set) of `unit` among its peers (totals only: one metrics call)."""
    peers = rank_peers(unit=unit, period=period, scope=scope, now=now)
    if peers.level is None:
        return None, 0, peers
    ranks = _rank(version, units_totals(version=version, units=peers.units, period=period, now=now))
    rank, of = ranks[unit.pk]
    return rank, of, peers


# ---------------------------------------------------------------- live scores

def _assessment_inputs(version: FrameworkVersion, units: list[Unit], period: str | None,
                       fw: FrameworkDef) -> dict[int, dict[str, LeafInput]]:
    """Leaf inputs from the assessment rows of the period: appraised points, else a survey score,
    else the self score once submitted. Two queries, scores read as floats (no Decimal per row)."""
    if not period or not units:
        return {}
    rounds = {a_id: (unit_id, state) for a_id, unit_id, state in
              Assessment.objects.filter(version=version, period=period, unit__in=units)
              .values_list("pk", "unit_id", "state")}
    if not rounds:
        return {}
    leaves = {n.code for n in fw.leaves()}
    node_code = {pk: code for pk, code in Node.objects.filter(version=version).values_list("pk", "code")
                 if code in leaves}
    out: dict[int, dict[str, LeafInput]] = {}
    rows = (LeafAssessment.objects.filter(assessment_id__in=list(rounds))
            .annotate(s=Cast("self_score", FloatField()), a=Cast("appraised_score", FloatField()),
                      v=Cast("survey_score", FloatField()))
            .values_list("assessment_id", "node_id", "s", "a", "v"))
    sql, params = rows.query.sql_with_params()  # rows as the driver gives them: no per-value converters
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    for a_id, node_id, self_score, appraised, survey in fetched:
        code = node_code.get(node_id)
        if code is None:
            continue
        unit_id, state = rounds[a_id]
        if appraised is not None:
            given, origin = appraised, "appraised"
        elif survey is not None:
            given, origin = survey, "survey"
        elif self_score is not None and state in _SELF_COUNTS:
            given, origin = self_score, "self"
        else:
            continue
        out.setdefault(unit_id, {})[code] = LeafInput(points=given, origin=origin)
    return out


def units_inputs(*, version: FrameworkVersion, units: Iterable[Unit], date_from: dt.date, date_to: dt.date,
                 period: str | None = None, now: dt.datetime | None = None) -> dict[int, dict[str, LeafInput]]:
    """{unit id: {leaf code: input}}: live leaves from one `metric_values` call for all units,
    assessed leaves from the assessment rows of the period (one query)."""
    units = list(units)
    fw = version_definition(version=version)
    names = [m for m in fw.metrics() if metric_exists(m)]
    values = metric_values(names=names, units=units, date_from=date_from, date_to=date_to, now=now) if names else {}
    assessed = _assessment_inputs(version, units, period, fw)
    live_leaves = [(leaf.code, leaf.metric) for leaf in fw.leaves() if leaf.metric]
    out: dict[int, dict[str, LeafInput]] = {}
    for unit in units:
        inputs: dict[str, LeafInput] = dict(assessed.get(unit.pk, {}))
        uv = values.get(unit.pk, {})
        for code, metric in live_leaves:
            if code not in inputs:
                mv = uv.get(metric)
                if mv is not None and mv.value is not None:
                    inputs[code] = LeafInput(rate=mv.value, numerator=mv.numerator, denominator=mv.denominator,
                                             origin="live")
        out[unit.pk] = inputs
    return out


def units_score(*, version: FrameworkVersion, units: Iterable[Unit], date_from: dt.date, date_to: dt.date,
                period: str | None = None, now: dt.datetime | None = None) -> dict[int, ScoreSheet]:
    """Live score sheets {unit id: sheet} of `units` over [date_from, date_to]."""
    fw = version_definition(version=version)
    inputs = units_inputs(version=version, units=units, date_from=date_from, date_to=date_to, period=period, now=now)
    return {uid: score_framework(fw, inp) for uid, inp in inputs.items()}


def _totals_answer(t: Totals, max_points: float) -> dict[str, Any]:
    return {"points": _r(t.points), "max_points": _r(max_points), "scored_max": _r(t.scored_max),
            "percent": _r(t.percent), "band": t.band, "status": t.status,
            "groups": [{"code": c, "points": _r(p), "max_points": _r(m), "rate": _r(r)} for c, p, m, r in t.groups]}


def units_totals(*, version: FrameworkVersion, units: Iterable[Unit], period: str | None = None,
                 date_from: dt.date | None = None, date_to: dt.date | None = None,
                 now: dt.datetime | None = None) -> dict[int, Scored]:
    """Totals only (points, percent, band, top-level groups) for many units — what rankings need,
    without building the node trees. For a period: a published result if any, else live; for a
    bare date range: live."""
    units = list(units)
    published: dict[int, Result] = {}
    if period is not None:
        period = period_normalise(period)
        date_from, date_to = period_bounds(period)
        published = {r.unit_id: r for r in Result.objects.filter(version=version, period=period, unit__in=units,
                                                                 status=ResultStatus.PUBLISHED)}
    assert date_from is not None and date_to is not None
    live_units = [u for u in units if u.pk not in published]
    fw = version_definition(version=version)
    plan = plan_for(fw)
    inputs = units_inputs(version=version, units=live_units, date_from=date_from, date_to=date_to, period=period,
                          now=now) if live_units else {}
    out: dict[int, Scored] = {}
    for u in units:
        r = published.get(u.pk)
        if r is not None:
            answer = _result_answer(r)
            answer["groups"] = [{"code": n.get("code"), "points": n.get("points"), "max_points": n.get("max_points"),
                                 "rate": n.get("rate")} for n in r.nodes]
            answer.pop("nodes")
            out[u.pk] = Scored(u, answer, "published", r.published_at)
        else:
            out[u.pk] = Scored(u, _totals_answer(totals(plan, inputs[u.pk]), fw.max_points), "live")
    return out


# ---------------------------------------------------------------- answers (compute / rank)

def _sheet_answer(sheet: ScoreSheet, *, detail: bool) -> dict[str, Any]:
    return {"points": _r(sheet.points), "max_points": _r(sheet.max_points), "scored_max": _r(sheet.scored_max),
            "percent": _r(sheet.percent), "band": sheet.band, "status": sheet.status,
            "nodes": [n.as_dict(detail=detail) for n in sheet.nodes]}


def _result_answer(result: Result) -> dict[str, Any]:
    return {"points": _r(result.points), "max_points": _r(result.max_points),
            "scored_max": None,
            "percent": _r(result.percent), "band": result.band or None, "status": "published",
            "nodes": result.nodes}


def _r(x: Any, nd: int = 2) -> float | None:
    return None if x is None else round(float(x), nd)


@dataclass
class Scored:
    unit: Unit
    answer: dict[str, Any]  # points, max_points, scored_max, percent, band, status, nodes
    source: str  # live / published
    published_at: dt.datetime | None = None


def units_scored(*, version: FrameworkVersion, units: Iterable[Unit], period: str, now: dt.datetime | None = None,
                 detail: bool = False, live_only: bool = False) -> dict[int, Scored]:
    """{unit id: Scored} for a period: a unit's published result if it has one (frozen), else live."""
    period = period_normalise(period)
    units = list(units)
    published: dict[int, Result] = {}
    if not live_only:
        published = {r.unit_id: r for r in Result.objects.filter(version=version, period=period, unit__in=units,
                                                                 status=ResultStatus.PUBLISHED)}
    live_units = [u for u in units if u.pk not in published]
    date_from, date_to = period_bounds(period)
    sheets = units_score(version=version, units=live_units, date_from=date_from, date_to=date_to, period=period,
                         now=now) if live_units else {}
    out: dict[int, Scored] = {}
    for u in units:
        if u.pk in published:
            r = published[u.pk]
            out[u.pk] = Scored(u, _result_answer(r), "published", r.published_at)
        else:
            out[u.pk] = Scored(u, _sheet_answer(sheets[u.pk], detail=detail), "live")
    return out


def _rankable(version: FrameworkVersion, scored: dict[int, Scored]) -> dict[int, float | None]:
    """{unit id: percent} for ranking; a unit whose scored maximum is below the version's
    `rank_min_coverage` (% of max) is not ranked (None)."""
    fw = version_definition(version=version)
    floor = fw.max_points * fw.rank_min_coverage / 100.0
    out: dict[int, float | None] = {}
    for uid, s in scored.items():
        covered = s.answer.get("scored_max")
        enough = s.source == "published" or covered is None or covered + 1e-9 >= floor
        out[uid] = s.answer["percent"] if enough else None
    return out


def _rank(version: FrameworkVersion, scored: dict[int, Scored]) -> dict[int, tuple[int | None, int]]:
    ranked = rank_scores(_rankable(version, scored))
    return {r.key: (r.rank, r.of) for r in ranked}


def unit_score(*, code: str, unit: Unit, period: str, version: str | None = None, now: dt.datetime | None = None,
               detail: bool = False, with_rank: bool = True, peers: str = "province") -> dict[str, Any]:
    """The `congvu index compute` answer: {framework, version, unit, period, points, max_points, band,
    rank, peers, nodes, ...}; `rank` is "r/n" among the unit's peers (`rank_peers`: the units of its
    level in its province by default, `peers="parent"` under its parent unit), `peers` says which."""
    period = period_normalise(period)
    date_from, date_to = period_bounds(period)
    fv = version_for(code=code, day=date_to, version=version)
    level = unit_level(unit)
    rank_text: str | None = None
    peer_set: PeerSet | None = None
    if with_rank and level is not None:
        rank, of, peer_set = unit_rank(version=fv, unit=unit, period=period, scope=peers, now=now)
        rank_text = rank_label(rank, of) if rank is not None else None
    mine = units_scored(version=fv, units=[unit], period=period, now=now, detail=detail)[unit.pk]
    return {"framework": fv.framework.code, "version": fv.version, "unit": unit.name, "unit_code": unit.code,
            "level": level, "period": period, **{k: mine.answer[k] for k in ("points", "max_points")},
            "band": mine.answer["band"], "rank": rank_text, "peers": peer_set.as_dict() if peer_set else None,
            "percent": mine.answer["percent"], "scored_max": mine.answer.get("scored_max"),
            "status": mine.answer["status"], "source": mine.source, "nodes": mine.answer["nodes"]}


def _as_of(date_to: dt.date, now: dt.datetime | None) -> dt.date:
    today = timezone.localdate(now) if now is not None else timezone.localdate()
    return min(date_to, today) if today >= dt.date(date_to.year, 1, 1) else date_to


def units_ranking(*, code: str, level: str, period: str, version: str | None = None, within: Unit | None = None,
                  now: dt.datetime | None = None, units: Iterable[Unit] | None = None) -> dict[str, Any]:
    """The `congvu index rank` answer: every unit of `level` (in `within`) existing in the period,
    ranked by percent of the points scored (ties share a rank; units without data unranked)."""
    if level not in LEVEL_KINDS:
        raise ValueError(f"Cấp “{level}” không có; chọn một trong {', '.join(LEVEL_KINDS)}.")
    period = period_normalise(period)
    date_from, date_to = period_bounds(period)
    fv = version_for(code=code, day=date_to, version=version)
    peers = list(units) if units is not None else peers_of_level(level=level, day=_as_of(date_to, now), within=within)
    scored = units_totals(version=fv, units=peers, period=period, now=now)
    ranked = rank_scores(_rankable(fv, scored))
    rows = []
    for r in ranked:
        s = scored[r.key]
        rows.append({"rank": r.rank, "rank_label": r.label if r.rank is not None else None, "unit": s.unit.name,
                     "unit_code": s.unit.code, "points": s.answer["points"], "max_points": s.answer["max_points"],
                     "percent": s.answer["percent"], "band": s.answer["band"], "status": s.answer["status"],
                     "source": s.source, "groups": s.answer["groups"]})
    return {"framework": fv.framework.code, "version": fv.version, "level": level, "period": period,
            "ranked": sum(1 for r in ranked if r.rank is not None), "units": len(rows), "ranking": rows}


def _months_between(a: dt.date, b: dt.date) -> float:
    return ((b - a).days + 1) / (365.2425 / 12)


def unit_live_sheet(*, version: FrameworkVersion, unit: Unit, period: str, now: dt.datetime | None = None,
                    date_to: dt.date | None = None) -> ScoreSheet:
    period = period_normalise(period)
    start, end = period_bounds(period)
    return units_score(version=version, units=[unit], date_from=start, date_to=date_to or end, period=period,
                       now=now)[unit.pk]


def unit_projection(*, version: FrameworkVersion, unit: Unit, period: str,
                    now: dt.datetime | None = None) -> dict[str, Any] | None:
    """Score at the end of the period if the pace of the last (up to) three complete months holds
    (None once the period is over or before it starts), and the leaves that decide the band."""
    period = period_normalise(period)
    start, end = period_bounds(period)
    today = timezone.localdate(now) if now is not None else timezone.localdate()
    if not (start <= today < end):
        return None
    fw = version_definition(version=version)
    ytd = unit_live_sheet(version=version, unit=unit, period=period, now=now, date_to=today)
    month_start = today.replace(day=1)
    recent_to = month_start - dt.timedelta(days=1)
    if recent_to < start:  # no complete month yet: the month so far is the pace
        recent_from, recent_to = start, today
    else:
        m = recent_to.month - 2
        y = recent_to.year
        if m < 1:
            m, y = m + 12, y - 1
        recent_from = max(start, dt.date(y, m, 1))
    recent = units_score(version=version, units=[unit], date_from=recent_from, date_to=recent_to, period=None,
                         now=now)[unit.pk]
    projected = project(fw, ytd, recent, recent_months=_months_between(recent_from, recent_to),
                        remaining_months=max(0.0, _months_between(today, end) - 1 / 30.44))
    return {"as_of": today.isoformat(), "pace_from": recent_from.isoformat(), "pace_to": recent_to.isoformat(),
            "points": _r(projected.points), "percent": _r(projected.percent), "band": projected.band,
            "nodes": [n.as_dict() for n in projected.nodes],
            "band_decisive": band_decisive(fw, projected)}


def unit_score_detail(*, code: str, unit: Unit, period: str, version: str | None = None,
                      now: dt.datetime | None = None, peers: str = "province") -> dict[str, Any]:
    """`unit_score` with the leaves' figures, the previous period and the change against it, the
    year-end projection at the current pace, the leaves deciding the band, the points within reach."""
    period = period_normalise(period)
    answer = unit_score(code=code, unit=unit, period=period, version=version, now=now, detail=True, peers=peers)
    fv = version_for(code=code, day=period_bounds(period)[1], version=version)
    fw = version_definition(version=fv)
    answer["within_reach"] = [o.as_dict() for o in points_within_reach(fw, answer["nodes"])]
    prev_period = period_previous(period)
    try:
        prev = unit_score(code=code, unit=unit, period=prev_period, now=now, with_rank=False)
    except FrameworkNotFound:
        prev = None
    answer["previous"] = (None if prev is None else
                          {"period": prev_period, "version": prev["version"], "points": prev["points"],
                           "percent": prev["percent"], "band": prev["band"]})
    answer["change"] = change(answer, prev)
    answer["projection"] = unit_projection(version=fv, unit=unit, period=period, now=now)
    if answer["source"] == "live":
        sheet = unit_live_sheet(version=fv, unit=unit, period=period, now=now)
        answer["band_decisive"] = band_decisive(fw, sheet)
    else:
        answer["band_decisive"] = None
    return answer


def unit_points_within_reach(*, code: str, unit: Unit, period: str, version: str | None = None,
                             now: dt.datetime | None = None, step: float | None = None) -> list[dict[str, Any]]:
    """The leaves that lost points, most first, with the change of a live metric that earns the next
    `step` points ("12 more dossiers digitised → +1.5 points"): `scoring.reach.points_within_reach`
    over the unit's sheet of the period (a published result as frozen, else live) — the very figures
    the unit screen (`board.opportunities`) and `within_reach` of the score detail show."""
    period = period_normalise(period)
    fv = version_for(code=code, day=period_bounds(period)[1], version=version)
    nodes = units_scored(version=fv, units=[unit], period=period, now=now, detail=True)[unit.pk].answer["nodes"]
    return [o.as_dict() for o in points_within_reach(version_definition(version=fv), nodes, step=step)]


def bands_of(version: FrameworkVersion) -> tuple[Band, ...]:
    return version_definition(version=version).bands


def band_of_percent(version: FrameworkVersion, percent: float | None) -> str | None:
    return band_for(percent, bands_of(version))


__all__ = ["FrameworkNotFound", "LEVEL_KINDS", "PEER_SCOPES", "PeerSet", "Scored", "band_of_percent", "frameworks_list", "peers_of_level",
           "period_previous", "rank_peers", "unit_level", "unit_rank", "unit_points_within_reach", "unit_projection", "unit_score",
           "unit_score_detail", "units_inputs", "units_totals", "units_ranking", "units_score", "units_scored",
           "version_definition", "version_for"]
