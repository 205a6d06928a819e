"""Dashboard of live figures (766 indicators) from the daily roll-ups, with charts."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.onestop.selectors import onestop_monthly, onestop_stats
from congvu.org import policy
from congvu.org.models import Unit
from congvu.org.roles import Action
from congvu.web.scope import parse_date, selected_unit, switcher_units


def _date(request: HttpRequest, name: str, default: dt.date) -> dt.date:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    day = parse_date(raw)
    if day is None:
        messages.warning(request, _("Ngày không hợp lệ: %(value)s. Nhập theo dạng dd/mm/yyyy.") % {"value": raw})
        return default
    return day


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("unit", "").strip()
    unit = get_object_or_404(Unit, code=code) if code else selected_unit(request)
    policy.require(request.user, Action.DOSSIER_VIEW, unit)
    today = timezone.localdate()
    date_from = _date(request, "from", dt.date(today.year, 1, 1))
    date_to = _date(request, "to", today)
    if date_to < date_from:
        messages.warning(request, _("Ngày kết thúc trước ngày bắt đầu; đã đổi chỗ hai ngày."))
        date_from, date_to = date_to, date_from
    units = list(switcher_units(request))
    if unit is not None and unit.pk not in {u.pk for u in units}:
        units.append(unit)
    context = {"unit": unit, "units": units, "date_from": date_from, "date_to": date_to}
    if unit is not None:
        s = onestop_stats(unit=unit, date_from=date_from, date_to=date_to)
        monthly = onestop_monthly(unit=unit, date_from=date_from, date_to=date_to)
        context.update({
            "s": s, "monthly": monthly,
            "charts": {
                "channels": {"labels": [_("Trực tiếp"), _("Trực tuyến"), _("Bưu chính công ích"), _("Tổng đài")],
                             "values": [s["in_person"], s["online"] - s["phone"], s["postal"], s["phone"]]},
                "verdicts": {"labels": [_("Trước hạn"), _("Đúng hạn"), _("Trễ hạn"), _("Đang giải quyết trong hạn"),
                                        _("Đang quá hạn")],
                             "values": [s["early"], s["on_time"], s["late"], s["in_progress"] - s["overdue"],
                                        s["overdue"]]},
                "monthly": {"labels": [m["month"] for m in monthly],
                            "series": [{"label": _("Tiếp nhận"), "values": [m["received"] for m in monthly]},
                                       {"label": _("Trực tuyến"), "values": [m["online"] for m in monthly]},
                                       {"label": _("Đã giải quyết"), "values": [m["finished"] for m in monthly]},
                                       {"label": _("Trễ hạn"), "values": [m["late"] for m in monthly]}]},
            },
        })
    return render(request, "onestop/stats.html", context)
