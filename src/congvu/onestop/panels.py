"""Start-page panels of the one-stop app (registered into `congvu.web.panels` from ready()).

Counts come from `selectors.dossier_queue_counts` (one COUNT per tab) and the online-submissions
source of `hooks` (one COUNT); rows from one sliced query. Fixed number of queries.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congvu.onestop import hooks
from congvu.onestop.models import Dossier
from congvu.onestop.selectors import dossier_queue, dossier_queue_counts, dossiers_at_my_steps

ROWS = 6


def _when(value: dt.datetime) -> str:
    return f"{timezone.localtime(value):%d/%m/%Y %H:%M}"


def _units_q(units) -> Q:
    cond = Q(pk__in=[])
    for unit in units:
        cond |= Q(unit__path__startswith=unit.path)
    return cond


def _desk(tab: str = "") -> str:
    return reverse("onestop:index") + (f"?tab={tab}" if tab else "")


def officer(ctx):
    """Cán bộ một cửa: queue counts (online submissions waiting included), due soon, my steps."""
    from congvu.web.panels import PanelCount, PanelData, PanelRow

    units = [u for u in ctx.units_for("onestop_officer") if u.exists_on(ctx.today)] or ctx.units_for("onestop_officer")
    base = Dossier.objects.filter(_units_q(units))
    now = timezone.now()
    counts = dossier_queue_counts(qs=base, now=now)
    source = hooks.online_submissions_source()
    online = 0
    if source is not None:
        for unit in units:
            online += source(unit).count()
    mine = dossiers_at_my_steps(qs=base, unit_ids=[u.pk for u in units])
    data = [
        PanelCount(gettext_lazy("Nộp trực tuyến chờ tiếp nhận"), online, _desk("to_receive"), "warn"),
        PanelCount(gettext_lazy("Đang giải quyết"), counts["in_process"], _desk("in_process")),
        PanelCount(gettext_lazy("Sắp đến hạn"), counts["due_soon"], _desk("due_soon"), "warn"),
        PanelCount(gettext_lazy("Quá hạn"), counts["overdue"], _desk("overdue"), "danger"),
        PanelCount(gettext_lazy("Chờ bổ sung"), counts["supplement"], _desk("supplement")),
        PanelCount(gettext_lazy("Chờ trả kết quả"), counts["to_return"], _desk("to_return"), "ok"),
        PanelCount(gettext_lazy("Ở bước của tôi"), mine.count(), reverse("onestop:my_steps")),
    ]
    soon = dossier_queue(qs=base.select_related("procedure"), tab="due_soon", now=now)[:ROWS]
    rows = [PanelRow(f"{d.code} — {d.procedure.name[:100]}", reverse("onestop:dossier", args=[d.code]),
                     _("hẹn trả %(d)s · %(n)s") % {"d": _when(d.due_at), "n": d.applicant_name}, "warn")
            for d in soon]
    return PanelData(counts=data, rows=rows, rows_title=gettext_lazy("Hồ sơ sắp đến hạn"),
                     empty=gettext_lazy("Không có hồ sơ nào sắp đến hạn."),
                     more_url=_desk(), more_label=gettext_lazy("Mở quầy một cửa"))


def leader(ctx):
    """Lãnh đạo: the one-stop figures of the subtree today."""
    from congvu.web.panels import PanelCount, PanelData

    units = ctx.units_for("unit_leader")
    base = Dossier.objects.filter(_units_q(units))
    counts = dossier_queue_counts(qs=base, now=timezone.now())
    if not any(counts.values()):
        return None
    data = [
        PanelCount(gettext_lazy("Hồ sơ đang giải quyết"), counts["in_process"], _desk("in_process")),
        PanelCount(gettext_lazy("Sắp đến hạn"), counts["due_soon"], _desk("due_soon"), "warn"),
        PanelCount(gettext_lazy("Quá hạn"), counts["overdue"], _desk("overdue"), "danger"),
    ]
    return PanelData(counts=data, more_url=reverse("onestop:stats"), more_label=gettext_lazy("Thống kê một cửa"))


def specialist(ctx):
    """Chuyên viên: dossiers at a processing step of my units."""
    from congvu.org.policy import decide
    from congvu.web.panels import PanelCount, PanelData, PanelRow

    units = ctx.units_for("specialist")
    linked = bool(decide(ctx.user, "dossier.view"))
    mine = dossiers_at_my_steps(qs=Dossier.objects.all(), unit_ids=[u.pk for u in units])
    rows = [PanelRow(f"{d.code} — {d.current_step.name[:100] if d.current_step_id else ''}",
                     reverse("onestop:dossier", args=[d.code]) if linked else "",
                     _("hẹn trả %(d)s") % {"d": _when(d.due_at)})
            for d in mine[:ROWS]]
    return PanelData(counts=[PanelCount(gettext_lazy("Hồ sơ ở bước của tôi"), mine.count())],
                     rows=rows, rows_title=gettext_lazy("Bước xử lý của tôi"),
                     empty=gettext_lazy("Không có hồ sơ thủ tục hành chính nào đang chờ ở bước của bạn."))


def register() -> None:
    from congvu.web.panels import Panel, register_panel

    register_panel(Panel("onestop.officer", gettext_lazy("Quầy một cửa hôm nay"), roles={"onestop_officer"},
                         build=officer, app="congvu.onestop", order=10))
    register_panel(Panel("onestop.leader", gettext_lazy("Thủ tục hành chính"), roles={"unit_leader"},
                         build=leader, app="congvu.onestop", order=20))
    register_panel(Panel("onestop.specialist", gettext_lazy("Hồ sơ ở bước của tôi"), roles={"specialist"},
                         build=specialist, app="congvu.onestop", order=30))
