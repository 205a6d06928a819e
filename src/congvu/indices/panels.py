"""Start-page panel of the indices app for the assessor (registered into `congvu.web.panels`).

Counts and rows in two queries whatever the data: assessments of the assessor's units waiting for
appraisal (submitted or answered), the nearest appraisal deadline first.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy

from congvu.indices.models import Assessment
from congvu.indices.states import APPRAISABLE

ROWS = 6


def assessor(ctx):
    from congvu.web.panels import PanelCount, PanelData, PanelRow

    cond = Q(pk__in=[])
    for unit in ctx.units_for("home_affairs_assessor"):
        cond |= Q(unit__path__startswith=unit.path)
    waiting = Assessment.objects.filter(cond, state__in=[s.value for s in APPRAISABLE])
    rows = [PanelRow(f"{a.unit.name} — {a.version.framework.name} {a.period}",
                     reverse("indices:assessment", args=[a.pk]),
                     f"hạn thẩm định {a.appraisal_deadline:%d/%m/%Y}" if a.appraisal_deadline else "",
                     "warn")
            for a in waiting.select_related("unit", "version", "version__framework")
            .order_by("appraisal_deadline", "pk")[:ROWS]]
    return PanelData(counts=[PanelCount(gettext_lazy("Chờ thẩm định"), waiting.count(), reverse("indices:assessments"),
                                        "warn")],
                     rows=rows, rows_title=gettext_lazy("Hồ sơ tự đánh giá chờ thẩm định"),
                     empty=gettext_lazy("Không có hồ sơ tự đánh giá nào chờ bạn thẩm định."),
                     more_url=reverse("indices:index"), more_label=gettext_lazy("Chỉ số"))


def register() -> None:
    from congvu.web.panels import Panel, register_panel

    register_panel(Panel("indices.assessor", gettext_lazy("Thẩm định chỉ số"), roles={"home_affairs_assessor"},
                         build=assessor, app="congvu.indices", order=10))
