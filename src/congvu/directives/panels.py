"""Start-page panels of the directives app (registered into `congvu.web.panels` from ready()).

Every builder runs a fixed number of queries: counts from the selectors (one COUNT each), rows from
one sliced query with their relations joined.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congvu.directives import selectors
from congvu.directives.models import Extension, ExtensionStatus, TaskKind
from congvu.directives.workflow import PENDING_WORK_STATES, State

ROWS = 6
_PENDING = [s.value for s in PENDING_WORK_STATES]


def _vn(day) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def _index(view: str) -> str:
    return f"{reverse('directives:index')}?view={view}"


def _task_row(task, today, *, prefix: str = ""):
    from congvu.web.panels import PanelRow

    status = selectors.task_status(task, today)
    if status["overdue"]:
        meta, tone = _("quá hạn %(n)s ngày làm việc (hạn %(d)s)") % {
            "n": status["days_overdue"], "d": _vn(task.deadline)}, "danger"
    elif task.deadline:
        meta, tone = _("hạn %(d)s") % {"d": _vn(task.deadline)}, "warn" if status["days_left"] is not None else ""
    else:
        meta, tone = status["label"], ""
    unit = task.unit.name if task.unit_id else (task.lead_text or _("chưa xác định đơn vị chủ trì"))
    return PanelRow(f"{prefix}{task.action[:140]}", reverse("directives:task_detail", args=[task.pk]),
                    f"{unit} · {meta}", tone)


def _extension_rows(visible, today):
    from congvu.web.panels import PanelRow

    exts = (Extension.objects.filter(status=ExtensionStatus.PENDING, task__in=visible.values("pk"))
            .select_related("task", "task__unit").order_by("created_at", "id"))
    return [PanelRow(_("Đề nghị gia hạn: %(a)s") % {"a": e.task.action[:120]},
                     reverse("directives:task_detail", args=[e.task_id]),
                     _("xin đến %(d)s — %(u)s") % {"d": _vn(e.new_deadline),
                                                    "u": e.task.unit.name if e.task.unit_id else e.task.lead_text},
                     "warn") for e in exts[:ROWS]]


def clerk(ctx):
    """Văn thư: tasks and reports overdue / due soon, extension requests waiting."""
    from congvu.web.panels import PanelCount, PanelData

    visible = selectors.tasks_visible(user=ctx.user)
    overdue = selectors.tasks_overdue(today=ctx.today, qs=visible)
    due_soon = selectors.tasks_due_soon(today=ctx.today, qs=visible)
    pending_ext = Extension.objects.filter(status=ExtensionStatus.PENDING, task__in=visible.values("pk"))
    counts = [
        PanelCount(gettext_lazy("Nhiệm vụ quá hạn"), overdue.filter(kind=TaskKind.TASK).count(), _index("overdue"),
                   "danger"),
        PanelCount(gettext_lazy("Nhiệm vụ sắp đến hạn"), due_soon.filter(kind=TaskKind.TASK).count(),
                   _index("due_soon"), "warn"),
        PanelCount(gettext_lazy("Báo cáo quá hạn"), overdue.filter(kind=TaskKind.REPORT).count(), _index("overdue"),
                   "danger"),
        PanelCount(gettext_lazy("Báo cáo sắp đến hạn"), due_soon.filter(kind=TaskKind.REPORT).count(),
                   _index("due_soon"), "warn"),
        PanelCount(gettext_lazy("Đề nghị gia hạn chờ duyệt"), pending_ext.count(), "", "warn"),
    ]
    rows = _extension_rows(visible, ctx.today)
    rows += [_task_row(t, ctx.today) for t in (due_soon.select_related("unit")[:ROWS])]
    rows += [_task_row(t, ctx.today) for t in (overdue.select_related("unit")[:ROWS])]
    return PanelData(counts=counts, rows=rows[: ROWS * 2], rows_title=gettext_lazy("Cần xử lý trước"),
                     empty=gettext_lazy("Không có nhiệm vụ, báo cáo nào quá hạn hay sắp đến hạn."),
                     more_url=_index("all"), more_label=gettext_lazy("Tất cả nhiệm vụ"))


def leader(ctx):
    """Lãnh đạo: overdue tasks of the subtree, live figures, what waits for approval."""
    from congvu.web.panels import PanelCount, PanelData

    visible = selectors.tasks_visible(user=ctx.user)
    overdue = selectors.tasks_overdue(today=ctx.today, qs=visible)
    due_soon = selectors.tasks_due_soon(today=ctx.today, qs=visible)
    waiting = visible.filter(state=State.REPORTED_DONE)
    pending_ext = Extension.objects.filter(status=ExtensionStatus.PENDING, task__in=visible.values("pk"))
    counts = [
        PanelCount(gettext_lazy("Đang thực hiện"), visible.filter(state__in=_PENDING).count(), _index("all")),
        PanelCount(gettext_lazy("Quá hạn"), overdue.count(), _index("overdue"), "danger"),
        PanelCount(gettext_lazy("Sắp đến hạn"), due_soon.count(), _index("due_soon"), "warn"),
        PanelCount(gettext_lazy("Báo cáo hoàn thành chờ nghiệm thu"), waiting.count(), "", "warn"),
        PanelCount(gettext_lazy("Đề nghị gia hạn chờ duyệt"), pending_ext.count(), "", "warn"),
        PanelCount(gettext_lazy("Đã nghiệm thu"), visible.filter(state=State.ACCEPTED).count(), "", "ok"),
    ]
    rows = _extension_rows(visible, ctx.today)
    rows += [_task_row(t, ctx.today, prefix=_("Chờ nghiệm thu: "))
             for t in waiting.select_related("unit").order_by("done_on", "id")[:ROWS]]
    rows += [_task_row(t, ctx.today) for t in overdue.select_related("unit")[:ROWS]]
    return PanelData(counts=counts, rows=rows[: ROWS * 2], rows_title=gettext_lazy("Chờ ý kiến và quá hạn"),
                     empty=gettext_lazy("Không có việc chờ duyệt, không có nhiệm vụ quá hạn."),
                     more_url=reverse("directives:stats"), more_label=gettext_lazy("Tỷ lệ đúng hạn"))


def specialist(ctx):
    """Chuyên viên: tasks led by my units (today's and, through lineage, the ones they took over)."""
    from congvu.web.panels import PanelCount, PanelData

    mine = selectors.tasks_visible(user=ctx.user).filter(state__in=_PENDING)
    overdue = selectors.tasks_overdue(today=ctx.today, qs=mine)
    counts = [
        PanelCount(gettext_lazy("Nhiệm vụ đang làm"), mine.count(), _index("unit")),
        PanelCount(gettext_lazy("Quá hạn"), overdue.count(), _index("overdue"), "danger"),
        PanelCount(gettext_lazy("Sắp đến hạn"), selectors.tasks_due_soon(today=ctx.today, qs=mine).count(),
                   _index("due_soon"), "warn"),
    ]
    rows = [_task_row(t, ctx.today) for t in mine.select_related("unit").order_by("deadline", "id")[:ROWS]]
    return PanelData(counts=counts, rows=rows, rows_title=gettext_lazy("Nhiệm vụ của tôi"),
                     empty=gettext_lazy("Không có nhiệm vụ nào đang chờ bạn."),
                     more_url=_index("unit"), more_label=gettext_lazy("Tất cả nhiệm vụ của đơn vị"))


def register() -> None:
    from congvu.web.panels import Panel, register_panel

    register_panel(Panel("directives.clerk", gettext_lazy("Văn bản, nhiệm vụ cần theo dõi"), roles={"office_clerk"},
                         build=clerk, app="congvu.directives", order=10))
    register_panel(Panel("directives.leader", gettext_lazy("Chỉ đạo, nhiệm vụ"), roles={"unit_leader"},
                         build=leader, app="congvu.directives", order=10))
    register_panel(Panel("directives.specialist", gettext_lazy("Nhiệm vụ của tôi"), roles={"specialist"},
                         build=specialist, app="congvu.directives", order=20))
