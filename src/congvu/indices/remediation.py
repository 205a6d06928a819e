"""Points within reach → tasks: the remediation plan (kế hoạch khắc phục, nâng cao chỉ số) that seeds
002 and 004 ask for. Selected leaves become tasks of one directive document created through the
directives service (`congvu.directives.importing.notice_create`: audited, assignees notified, tracked
like any task), each assigned to a responsible body of the unit with a working-day deadline.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from congvu.audit.services import audit_record
from congvu.common.errors import DomainError
from congvu.common.text import clean
from congvu.indices import board
from congvu.indices.models import FrameworkVersion
from congvu.indices.scoring.reach import fmt_points
from congvu.indices.workflow import deadline_after, workflow_config
from congvu.org.models import Unit
from congvu.org.policy import require
from congvu.org.roles import Action

MAX_DAYS = 250


def responsible_bodies(unit: Unit) -> list[Unit]:
    """The unit and the bodies under it that can be given a remediation task."""
    return list(Unit.objects.filter(path__startswith=unit.path).filter(valid_to__isnull=True)
                .order_by("path")[:200]) or [unit]


def default_responsible(unit: Unit, metric: str, bodies: list[Unit] | None = None) -> Unit:
    bodies = bodies if bodies is not None else responsible_bodies(unit)
    kinds = (workflow_config().get("responsible_by_metric_app") or {}).get(metric.split(".")[0] if metric else "", [])
    for body in bodies:
        if body.kind in kinds and body.pk != unit.pk:
            return body
    return unit


def remediation_create(*, actor: Any, unit: Unit, version: FrameworkVersion, period: str, items: list[dict[str, Any]],
                       today: dt.date | None = None, title: str = "") -> Any:
    """Create the remediation tasks. Each item: `code` (a leaf that lost points), optional `unit_id`
    (a body of the unit; default by the metric's app), `days` (working days; default from the
    workflow configuration), `action` (text; default: what was lost and the step that earns the next
    points). Refusals name the node code; nothing is created then."""
    from congvu.directives.importing import notice_create

    require(actor, Action.INDEX_VIEW, unit)
    require(actor, Action.DIRECTIVE_MANAGE, unit)
    if not items:
        raise DomainError("remediation.empty", "Chưa chọn chỉ số nào để giao nhiệm vụ khắc phục.")
    today = today or timezone.localdate()
    sheet = board.unit_sheet(version, unit, period, with_rank=False)
    opps = {o["code"]: o for o in board.opportunities(sheet)}
    bodies = {b.pk: b for b in responsible_bodies(unit)}
    default_days = int(workflow_config().get("remediation_days", 20))
    tasks, seen = [], set()
    for item in items:
        code = str(item.get("code") or "").strip()
        if code in seen:
            continue
        seen.add(code)
        opp = opps.get(code)
        if opp is None:
            raise DomainError("remediation.node", f"Chỉ số {code} không có điểm bị mất trong kỳ {period} "
                              "(hoặc không thuộc bộ chỉ số này).", details={"node": code})
        body_id = item.get("unit_id")
        if body_id in (None, ""):
            body = default_responsible(unit, opp["metric"], list(bodies.values()))
        else:
            try:
                body = bodies.get(int(body_id))
            except (TypeError, ValueError):
                body = None
            if body is None:
                raise DomainError("remediation.assignee", f"Chỉ số {code}: đơn vị được giao phải là {unit.name} "
                                  "hoặc một cơ quan, bộ phận trực thuộc.", details={"node": code})
        try:
            days = int(item.get("days") or default_days)
        except (TypeError, ValueError):
            days = -1
        if not 1 <= days <= MAX_DAYS:
            raise DomainError("remediation.days", f"Chỉ số {code}: số ngày làm việc phải từ 1 đến {MAX_DAYS}.",
                              details={"node": code})
        deadline = deadline_after(today, days)
        action = clean(item.get("action") or "") or _action_text(version, period, opp)
        tasks.append({"action": action, "unit": body, "assignee": body.name, "deadline": deadline,
                      "deadline_text": f"{deadline:%d/%m/%Y} ({days} ngày làm việc)",
                      "source_text": f"{version.framework.name} {period}, chỉ số {code}"})
    title = clean(title or "") or (f"Kế hoạch khắc phục, nâng cao {version.framework.name} năm {period[:4]} "
                                   f"— {unit.name}")
    text = "\n".join(f"- {t['action']}" for t in tasks)
    with transaction.atomic():
        notice = notice_create(actor=actor, issuer_unit=unit, title=title, tasks=tasks, doc_type="KH",
                               issuer=unit.name, date=today, text=text)
        audit_record(action="remediation", object_type="indices.remediation", object_id=notice.pk, actor=actor,
                     after={"unit": unit.pk, "version": version.pk, "period": period,
                            "codes": sorted(seen), "notice": notice.pk},
                     note=f"giao {len(tasks)} nhiệm vụ khắc phục chỉ số")
    return notice


def _action_text(version: FrameworkVersion, period: str, opp: dict[str, Any]) -> str:
    lost = fmt_points(opp["lost"])
    head = f"Khắc phục chỉ số {opp['code']} “{opp['name']}” ({version.framework.name} {period}: mất {lost} điểm"
    head += f"/{fmt_points(opp['max_points'])})"
    if opp.get("next_text"):
        return f"{head}: {opp['next_text']}."
    if opp.get("status") == "no_data":
        return f"{head}: chưa có số liệu, cần cập nhật đầy đủ số liệu và tài liệu kiểm chứng."
    return f"{head}: rà soát nguyên nhân, bổ sung tài liệu kiểm chứng, thực hiện đầy đủ yêu cầu của chỉ số."
