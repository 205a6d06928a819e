"""Writes of the indices app: load a framework version (YAML → rows), keyword-only, transactional,
audited. The assessment workflow's writes live in `congvu.indices.workflow` (built on these models).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from congvu.audit.services import audit_record
from congvu.indices.models import Framework, FrameworkVersion, Node, Result, ResultStatus
from congvu.indices.scoring.tree import (
    FrameworkDef,
    FrameworkError,
    FrameworkInvalid,
    NodeDef,
    framework_check,
    framework_load_yaml,
    framework_to_dict,
)


def metric_names() -> list[str]:
    from congvu.metrics.registry import metrics_catalogue

    return [m.name for m in metrics_catalogue()]


def _dec(x: float | None) -> Decimal | None:
    return None if x is None else Decimal(str(round(x, 3)))


def _node_rows(version: FrameworkVersion, nodes: list[NodeDef]) -> None:
    order = 0

    def add(n: NodeDef, parent: Node | None) -> None:
        nonlocal order
        order += 1
        row = Node.objects.create(
            version=version, parent=parent, code=n.code, name=n.name, order=order, max_points=_dec(n.max_points),
            method="group" if n.children else n.method, metric=n.metric, threshold=_dec(n.threshold),
            threshold_assumed=n.threshold_assumed, formula=n.formula.as_dict(),
            evidence_required=list(n.evidence_required), description=n.description)
        for c in n.children:
            add(c, row)

    for n in nodes:
        add(n, None)


def framework_version_locked(version: FrameworkVersion | None) -> str | None:
    """Why a version's tree may no longer change (published results, assessments), or None."""
    if version is None or version.pk is None:
        return None
    name = f"phiên bản {version.version} của bộ chỉ số {version.framework.code}"
    if Result.objects.filter(version=version, status=ResultStatus.PUBLISHED).exists():
        return f"{name} đã có kết quả công bố, không sửa được; hãy nạp thành phiên bản mới."
    if version.assessments.exists():
        return f"{name} đang có kỳ đánh giá; hãy nạp thành phiên bản mới."
    return None


@transaction.atomic
def framework_load(*, definition: FrameworkDef, actor: Any = None, replace: bool = True,
                   check_metrics: bool = True) -> FrameworkVersion:
    """Create or replace a framework version from its definition (validated first; nothing is
    written when it is invalid). A version some published result was scored under cannot change:
    loading it again with a different tree is refused."""
    framework_check(definition, metrics=metric_names() if check_metrics else None)
    document = framework_to_dict(definition)
    framework, created = Framework.objects.get_or_create(
        code=definition.code, defaults={"name": definition.name, "description": definition.description})
    if not created and (framework.name, framework.description) != (definition.name, definition.description):
        framework.name, framework.description = definition.name, definition.description
        framework.save(update_fields=["name", "description", "updated_at"])
    version = FrameworkVersion.objects.select_for_update().filter(framework=framework,
                                                                   version=definition.version).first()
    before = None
    if version is not None:
        if version.tree == document:
            return version
        if not replace:
            raise FrameworkInvalid([FrameworkError("", f"phiên bản {definition.version} của bộ chỉ số "
                                                       f"{definition.code} đã có.")])
        locked = framework_version_locked(version)
        if locked:
            raise FrameworkInvalid([FrameworkError("", locked)])
        before = {"tree": version.tree}
        version.nodes.all().delete()
    else:
        version = FrameworkVersion(framework=framework, version=definition.version)
    version.levels = list(definition.levels)
    version.effective_from = definition.effective_from
    version.effective_to = definition.effective_to
    version.source = definition.source[:500]
    version.is_template = definition.template
    version.bands = [{"name": b.name, "min_percent": b.min_percent} for b in definition.bands]
    version.max_points = _dec(definition.max_points)
    version.tree = document
    version.save()
    _node_rows(version, definition.nodes)
    from congvu.indices.metrics import provider_refresh

    provider_refresh({framework.code})
    audit_record(action="create" if before is None else "update", obj=version, actor=actor, before=before,
                 after={"framework": framework.code, "version": version.version, "levels": version.levels,
                        "max_points": str(version.max_points), "nodes": version.nodes.count()},
                 note="indices:framework_load")
    return version


def framework_load_text(*, text: str, actor: Any = None, replace: bool = True) -> FrameworkVersion:
    return framework_load(definition=framework_load_yaml(text), actor=actor, replace=replace)


SHIPPED_DIR = Path(__file__).resolve().parent / "data"


def shipped_framework_files() -> list[Path]:
    """The framework files shipped with congvu (`indices/data/*.yaml`)."""
    return sorted(SHIPPED_DIR.glob("*.yaml"))


def frameworks_load_shipped(*, codes: Iterable[str] | None = None, actor: Any = None) -> list[FrameworkVersion]:
    """Load the shipped frameworks (all, or those whose code is in `codes`); unchanged ones are left
    as they are. Returns the versions loaded or found."""
    wanted = set(codes) if codes is not None else None
    out: list[FrameworkVersion] = []
    for path in shipped_framework_files():
        definition = framework_load_yaml(path.read_text(encoding="utf-8"))
        if wanted is None or definition.code in wanted:
            out.append(framework_load(definition=definition, actor=actor))
    return out
