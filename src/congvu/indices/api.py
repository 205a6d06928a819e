"""Indices endpoints (mounted at /api/indices by `congvu.api.core.autodiscover`).

- `GET /frameworks`                                   frameworks and their versions
- `GET /frameworks/{code}/versions/{version}`         a version's tree (the framework document)
- `GET /frameworks/{code}/scores/{unit_code}`         a unit's score sheet for a period (`?detail=true`:
                                                      figures, previous period, projection, points within reach)
- `GET /frameworks/{code}/ranking`                    the ranking of the units of a level for a period

All need `index.view`; a unit out of the user's scope reads as not found.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from congvu.api.schemas import ERRORS_READ, ApiValidationError
from congvu.common.errors import NotFound
from congvu.indices import selectors
from congvu.indices.models import Framework, FrameworkVersion
from congvu.indices.scoring.periods import PeriodInvalid, period_bounds
from congvu.org import policy
from congvu.org.models import Unit
from congvu.org.roles import Action

router = Router(tags=["indices"])


class VersionOut(Schema):
    version: str
    levels: list[str]
    effective_from: dt.date
    effective_to: dt.date | None
    source: str
    is_template: bool
    max_points: float
    bands: list[dict[str, Any]]


class FrameworkOut(Schema):
    code: str
    name: str
    description: str
    versions: list[VersionOut]


class TreeOut(Schema):
    framework: str
    version: str
    document: dict[str, Any] = Field(description="The framework document (the YAML file's content, see docs/indices.md)")


class NodeOut(Schema):
    code: str
    name: str
    max_points: float
    points: float | None = Field(description="null: no data")
    rate: float | None = Field(description="percent: the metric's rate for a live leaf, % of max otherwise; null: no data")
    status: str = Field(description="ok | partial | no_data | monitor | published")
    children: list[NodeOut]
    method: str | None = None
    metric: str | None = None
    threshold: float | None = None
    threshold_assumed: bool | None = None
    numerator: float | None = None
    denominator: float | None = None
    origin: str | None = None


NodeOut.model_rebuild()


class ScoreOut(Schema):
    framework: str
    version: str
    unit: str
    unit_code: str
    level: str | None
    period: str
    points: float | None
    max_points: float
    band: str | None
    rank: str | None = Field(description="\"10/19\": rank among the unit's peers (`peers`)")
    peers: dict[str, Any] | None = Field(None, description="The peer set of `rank`: scope (province | parent), level, "
                                                          "within (unit code), within_name, units, label")
    percent: float | None
    scored_max: float | None
    status: str
    source: str = Field(description="live | published")
    nodes: list[NodeOut]
    previous: dict[str, Any] | None = None
    change: dict[str, Any] | None = None
    projection: dict[str, Any] | None = None
    band_decisive: dict[str, Any] | None = None
    within_reach: list[dict[str, Any]] | None = None


class GroupOut(Schema):
    code: str
    points: float | None
    max_points: float
    rate: float | None


class RankRowOut(Schema):
    rank: int | None
    rank_label: str | None
    unit: str
    unit_code: str
    points: float | None
    max_points: float
    percent: float | None
    band: str | None
    status: str
    source: str
    groups: list[GroupOut]


class RankingOut(Schema):
    framework: str
    version: str
    level: str
    period: str
    ranked: int
    units: int
    ranking: list[RankRowOut]


class ScoreQuery(Schema):
    period: str = Field(description="2023, 2023-Q2 or 2023-06")
    version: str | None = None
    detail: bool = False
    peers: Literal["province", "parent"] = Field(
        "province", description="Whom `rank` is among: the units of the unit's level in its province (default) "
                                "or those under its parent unit (e.g. the communes of its district before 2025)")


class RankingQuery(Schema):
    level: str = Field(description="province | department | commune | district")
    period: str
    within: str | None = Field(None, description="Unit code: rank only the units under it")
    version: str | None = None


def _version(v: FrameworkVersion) -> dict[str, Any]:
    return {"version": v.version, "levels": v.levels, "effective_from": v.effective_from,
            "effective_to": v.effective_to, "source": v.source, "is_template": v.is_template,
            "max_points": float(v.max_points), "bands": v.bands}


def _period(period: str) -> tuple[dt.date, dt.date]:
    try:
        return period_bounds(period)
    except PeriodInvalid as exc:
        raise ApiValidationError(str(exc), message_en="period must be YYYY, YYYY-Qn or YYYY-MM",
                                 details={"field": "period"}) from exc


def _unit(request: HttpRequest, code: str) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise Http404
    policy.require_found(request.auth, Action.INDEX_VIEW, unit)
    return unit


def _known(code: str, version: str | None, day: dt.date | None = None) -> FrameworkVersion:
    try:
        return selectors.version_for(code=code, day=day, version=version)
    except selectors.FrameworkNotFound as exc:
        raise NotFound("index.framework_not_found", str(exc)) from exc


@router.get("/frameworks", response={200: list[FrameworkOut], **ERRORS_READ}, summary="Index frameworks and versions")
def frameworks(request: HttpRequest) -> tuple[int, list[dict[str, Any]]]:
    policy.require(request.auth, Action.INDEX_VIEW)
    out = []
    for f in Framework.objects.prefetch_related("versions").order_by("code"):
        out.append({"code": f.code, "name": f.name, "description": f.description,
                    "versions": [_version(v) for v in f.versions.all()]})
    return 200, out


@router.get("/frameworks/{code}/versions/{version}", response={200: TreeOut, **ERRORS_READ},
            summary="A framework version's tree")
def tree(request: HttpRequest, code: str, version: str) -> tuple[int, dict[str, Any]]:
    policy.require(request.auth, Action.INDEX_VIEW)
    v = _known(code, version)
    return 200, {"framework": v.framework.code, "version": v.version, "document": v.tree}


@router.get("/frameworks/{code}/scores/{unit_code}", response={200: ScoreOut, **ERRORS_READ},
            summary="A unit's score sheet for a period")
def score(request: HttpRequest, code: str, unit_code: str, q: Query[ScoreQuery]) -> tuple[int, dict[str, Any]]:
    policy.require(request.auth, Action.INDEX_VIEW)
    _, date_to = _period(q.period)
    _known(code, q.version, date_to)
    unit = _unit(request, unit_code)
    if q.detail:
        return 200, selectors.unit_score_detail(code=code, unit=unit, period=q.period, version=q.version,
                                                peers=q.peers)
    return 200, selectors.unit_score(code=code, unit=unit, period=q.period, version=q.version, peers=q.peers)


@router.get("/frameworks/{code}/ranking", response={200: RankingOut, **ERRORS_READ},
            summary="Ranking of the units of a level for a period")
def ranking(request: HttpRequest, code: str, q: Query[RankingQuery]) -> tuple[int, dict[str, Any]]:
    policy.require(request.auth, Action.INDEX_VIEW)
    _, date_to = _period(q.period)
    if q.level not in selectors.LEVEL_KINDS:
        raise ApiValidationError(f"Cấp “{q.level}” không có; chọn province, department hoặc commune.",
                                 message_en="level must be province, department or commune",
                                 details={"field": "level"})
    _known(code, q.version, date_to)
    within = _unit(request, q.within) if q.within else None
    return 200, selectors.units_ranking(code=code, level=q.level, period=q.period, version=q.version, within=within)


# The assessment workflow, points within reach → tasks and the projection endpoints (congvu.indices.api_workflow).
from congvu.indices.api_workflow import router as workflow_router  # noqa: E402

router.add_router("", workflow_router)
