"""Directive figures in the metrics catalogue: on-time completion of tasks and overdue tasks, by
the tasks' lead unit. Registered from `DirectivesConfig.ready()`."""

from __future__ import annotations

from congvu.directives import calendar as wd
from congvu.directives.models import Task
from congvu.directives.workflow import PENDING_WORK_STATES, State
from congvu.metrics.registry import (
    Metric,
    MetricProvider,
    MetricQuery,
    MetricValue,
    ProviderResult,
    sum_by_group,
)

METRICS = (
    Metric("directives.task_on_time_rate", "Tỷ lệ nhiệm vụ hoàn thành đúng hạn", "rate", "%",
           "Nhiệm vụ có thời hạn trong kỳ đã báo cáo hoàn thành đúng hạn / nhiệm vụ có thời hạn trong kỳ đã "
           "hoàn thành hoặc đã quá hạn (không kể nhiệm vụ đã hủy và nhiệm vụ chưa đến hạn).",
           "Thông báo kết luận, chương trình công tác (theo dõi nhiệm vụ)", app="directives"),
    Metric("directives.tasks_due", "Nhiệm vụ có thời hạn trong kỳ", "count", "nhiệm vụ",
           "Nhiệm vụ (không kể đã hủy) có thời hạn trong kỳ.", app="directives"),
    Metric("directives.tasks_overdue", "Nhiệm vụ quá hạn chưa hoàn thành", "count", "nhiệm vụ",
           "Nhiệm vụ chưa hoàn thành đã quá hạn (ngày làm việc), tính tại hôm nay hoặc cuối kỳ.",
           app="directives"),
)


def compute(q: MetricQuery) -> ProviderResult:
    today = min(q.now.date(), q.date_to)
    per_unit: dict[int, dict[str, float]] = {}
    rows = (Task.objects.filter(unit_id__in=q.all_ids, deadline__gte=q.date_from, deadline__lte=q.date_to)
            .exclude(state=State.CANCELLED).values_list("unit_id", "state", "deadline", "done_on"))
    for unit_id, state, deadline, done_on in rows.iterator():
        row = per_unit.setdefault(unit_id, {"due": 0, "on_time": 0, "late": 0, "overdue": 0})
        row["due"] += 1
        done = state in (State.REPORTED_DONE, State.ACCEPTED) and done_on is not None
        if done and done_on <= wd.effective_deadline(deadline):
            row["on_time"] += 1
        elif done:
            row["late"] += 1
        elif state in PENDING_WORK_STATES and wd.is_overdue(deadline, today):
            row["overdue"] += 1
    totals = sum_by_group(per_unit, q.groups, ("due", "on_time", "late", "overdue"))
    out: dict[int, dict[str, MetricValue]] = {}
    for gid, t in totals.items():
        out[gid] = {
            "directives.task_on_time_rate": MetricValue.rate(t["on_time"], t["on_time"] + t["late"] + t["overdue"]),
            "directives.tasks_due": MetricValue.count(t["due"]),
            "directives.tasks_overdue": MetricValue.count(t["overdue"]),
        }
    return out


PROVIDER = MetricProvider(key="directives", metrics=METRICS, compute=compute)
