"""Reads of the directives app: scoped task lists, overdue / due soon, completion rates, report data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from congvu.directives import calendar as wd
from congvu.directives.models import Extension, ExtensionStatus, Notice, NoticeImport, Task
from congvu.directives.workflow import PENDING_WORK_STATES, STATE_LABELS, State
from congvu.org.models import Unit
from congvu.org.policy import scope_roots
from congvu.org.roles import Action
from congvu.reports.followup import FollowupReport, FollowupRow

_PENDING = [s.value for s in PENDING_WORK_STATES]


def _scope_q(user: Any, prefix: str) -> Q | None:
    """Q limiting rows to units in the user's DIRECTIVE_VIEW scope; None = everything."""
    if user is not None and getattr(user, "is_superuser", False):
        return None
    roots = scope_roots(user, Action.DIRECTIVE_VIEW)
    if not roots:
        return Q(pk__in=[])
    if any(r.parent_id is None for r in roots) and Unit.objects.filter(parent__isnull=True).count() == \
            sum(1 for r in roots if r.parent_id is None):
        return None
    cond = Q()
    for root in roots:
        cond |= Q(**{f"{prefix}__path__startswith": root.path})
    return cond


def tasks_visible(*, user: Any) -> QuerySet[Task]:
    """Tasks whose lead unit or issuing unit is in the user's scope."""
    qs = Task.objects.select_related("notice", "notice__issuer_unit", "unit")
    lead, issuer = _scope_q(user, "unit"), _scope_q(user, "notice__issuer_unit")
    if lead is None or issuer is None:
        return qs
    return qs.filter(lead | issuer)


def notices_visible(*, user: Any) -> QuerySet[Notice]:
    qs = Notice.objects.select_related("issuer_unit")
    issuer, lead = _scope_q(user, "issuer_unit"), _scope_q(user, "tasks__unit")
    if issuer is None or lead is None:
        return qs
    return qs.filter(pk__in=Notice.objects.filter(issuer | lead).values("pk"))


def imports_visible(*, user: Any) -> QuerySet[NoticeImport]:
    qs = NoticeImport.objects.select_related("unit")
    cond = _scope_q(user, "unit")
    return qs if cond is None else qs.filter(cond)


def tasks_of_unit(*, unit: Unit, include_subunits: bool = True, qs: QuerySet[Task] | None = None) -> QuerySet[Task]:
    qs = qs if qs is not None else Task.objects.select_related("notice", "unit")
    if include_subunits:
        return qs.filter(Q(unit__path__startswith=unit.path) | Q(co_assignees__path__startswith=unit.path)).distinct()
    return qs.filter(Q(unit=unit) | Q(co_assignees=unit)).distinct()


def tasks_overdue(*, today: dt.date | None = None, qs: QuerySet[Task] | None = None) -> QuerySet[Task]:
    """Open tasks past their (working-day adjusted) deadline — a single indexed range query."""
    today = today or timezone.localdate()
    qs = qs if qs is not None else Task.objects.all()
    return qs.filter(state__in=_PENDING, deadline__lte=wd.overdue_cutoff(today)).order_by("deadline", "id")


def tasks_due_soon(*, today: dt.date | None = None, qs: QuerySet[Task] | None = None,
                   working_days: int | None = None) -> QuerySet[Task]:
    today = today or timezone.localdate()
    n = settings.CONGVU_DUE_SOON_WORKING_DAYS if working_days is None else working_days
    qs = qs if qs is not None else Task.objects.all()
    return qs.filter(state__in=_PENDING, deadline__gt=wd.overdue_cutoff(today),
                     deadline__lte=wd.due_soon_until(today, n)).order_by("deadline", "id")


def task_status(task: Task, today: dt.date | None = None) -> dict[str, Any]:
    """State label plus derived overdue / days left for display."""
    today = today or timezone.localdate()
    out: dict[str, Any] = {"state": task.state, "label": STATE_LABELS[State(task.state)], "overdue": False,
                           "days_left": None, "days_overdue": None}
    if task.deadline and task.state in _PENDING:
        try:
            if wd.is_overdue(task.deadline, today):
                out["overdue"] = True
                out["days_overdue"] = wd.working_days_overdue(task.deadline, today)
            else:
                out["days_left"] = wd.working_days_left(task.deadline, today)
        except ValueError:  # a stored date outside the calendar (1900-2100) must not break the page
            out["overdue"] = task.deadline < today
    return out


def deadline_history(*, task: Task) -> list[Extension]:
    return list(task.extensions.filter(status=ExtensionStatus.APPROVED).order_by("decided_at", "id"))


@dataclass
class UnitRate:
    unit_id: int | None
    unit_name: str
    total: int = 0
    on_time: int = 0
    late: int = 0
    open_overdue: int = 0

    @property
    def rate(self) -> float:
        return round(100.0 * self.on_time / self.total, 1) if self.total else 0.0


def completion_rates(*, start: dt.date, end: dt.date, qs: QuerySet[Task] | None = None,
                     today: dt.date | None = None) -> list[UnitRate]:
    """On-time completion by lead unit for tasks whose deadline falls in [start, end].

    On time = reported done on or before the effective deadline (and not returned since)."""
    today = today or timezone.localdate()
    qs = (qs if qs is not None else Task.objects.all()).filter(deadline__gte=start, deadline__lte=end).exclude(
        state=State.CANCELLED)
    rows: dict[int | None, UnitRate] = {}
    for task in qs.select_related("unit"):
        key = task.unit_id
        entry = rows.setdefault(key, UnitRate(key, task.unit.name if task.unit_id else "Chưa xác định đơn vị"))
        entry.total += 1
        done = task.state in (State.REPORTED_DONE, State.ACCEPTED) and task.done_on is not None
        if done and task.done_on <= wd.effective_deadline(task.deadline):
            entry.on_time += 1
        elif done:
            entry.late += 1
        elif wd.is_overdue(task.deadline, today):
            entry.open_overdue += 1
    return sorted(rows.values(), key=lambda r: (-r.rate, r.unit_name))


def followup_data(*, notice: Notice, today: dt.date | None = None, place: str = "") -> FollowupReport:
    """Plain data for "Báo cáo tình hình thực hiện các nội dung kết luận" (DOCX / XLSX generators)."""
    today = today or timezone.localdate()
    issuer_unit = notice.issuer_unit
    rows: list[FollowupRow] = []
    summary = {"total": 0, "done": 0, "in_progress": 0, "overdue": 0, "cancelled": 0}
    tasks = notice.tasks.select_related("unit").prefetch_related("co_assignees", "progress_reports")
    for i, task in enumerate(tasks, start=1):
        status = task_status(task, today)
        label = status["label"] + (f" — quá hạn {status['days_overdue']} ngày làm việc" if status["overdue"] else "")
        last = task.progress_reports.all()
        result = last[len(last) - 1].text if last else ""
        co = ", ".join([u.name for u in task.co_assignees.all()] or task.co_assignees_text or [])
        rows.append(FollowupRow(i, task.action, task.assignee_label, co,
                                f"{task.deadline:%d/%m/%Y}" if task.deadline else (task.deadline_text or ""),
                                label, result))
        summary["total"] += 1
        if task.state in (State.ACCEPTED, State.REPORTED_DONE):
            summary["done"] += 1
        elif task.state == State.CANCELLED:
            summary["cancelled"] += 1
        else:
            summary["in_progress"] += 1
        if status["overdue"]:
            summary["overdue"] += 1
    parent = issuer_unit.parent.name if issuer_unit.parent_id else ""
    return FollowupReport(
        issuer=issuer_unit.name, parent_issuer=parent, number="", place=place or _place_of(issuer_unit),
        date=today, title="Báo cáo tình hình thực hiện các nội dung kết luận", notice_label=notice.label,
        rows=rows, summary=summary, recipients=[issuer_unit.name, "Lưu: VT"],
    )


def _place_of(unit: Unit) -> str:
    name = unit.name
    for prefix in ("UBND ", "Ủy ban nhân dân ", "Huyện ", "Tỉnh ", "Xã ", "Phường ", "Thị trấn "):
        if name.startswith(prefix):
            name = name[len(prefix):]
    return name
