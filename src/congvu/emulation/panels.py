"""Start-page panels of the emulation app (registered into `congvu.web.panels` from `ready()`).

- emulation officer: launched movements with units still to pledge, rounds taking nominations,
  rounds submitted to the council and waiting for its vote, and council results approved but not yet
  in an award decision (the decision to draft and have signed);
- council member: the council sessions open for my vote (voting, with items I have not voted on) and
  the sessions convened (roll call not yet started).

Each builder runs a fixed number of queries whatever the data (aggregates and sliced rows; the
registration counts through `selectors.movements_missing_pledges`), as the start page asserts.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from congvu.emulation.models import Movement, MovementState, Round, RoundState
from congvu.emulation.models_council import CouncilItem, CouncilMember, DecisionLine, SessionState

ROWS = 6


def _in_scope(units: list[Any], field: str) -> Q:
    cond = Q(pk__in=[])
    for unit in units:
        cond |= Q(**{f"{field}__path__startswith": unit.path})
    return cond


def officer(ctx):
    from congvu.emulation.selectors import movements_missing_pledges
    from congvu.web.panels import PanelCount, PanelData, PanelRow

    units = ctx.units_for("emulation_officer")
    movements = list(Movement.objects.filter(_in_scope(units, "unit"), state=MovementState.LAUNCHED)
                     .select_related("unit").order_by("pledge_deadline", "pk"))
    missing = movements_missing_pledges(movements=movements)
    short = [m for m in movements if missing[m.pk][1] > 0]
    rounds = list(Round.objects.filter(_in_scope(units, "unit"), state__in=[RoundState.OPEN, RoundState.COUNCIL])
                  .select_related("unit")
                  .annotate(n_nominated=Count("candidates", filter=Q(candidates__nominated=True), distinct=True),
                            n_sessions=Count("council_sessions", distinct=True),
                            n_done=Count("council_sessions", filter=Q(council_sessions__state__in=[
                                SessionState.CLOSED, SessionState.PUBLISHED]), distinct=True))
                  .order_by("nomination_deadline", "pk"))
    nominating = [r for r in rounds if r.state == RoundState.OPEN]
    awaiting_vote = [r for r in rounds if r.state == RoundState.COUNCIL and not r.n_done]
    decided = DecisionLine.objects.filter(item__isnull=False).values("item_id")
    to_decide = list(CouncilItem.objects.filter(_in_scope(units, "session__unit"), approved=True,
                                                session__state__in=[SessionState.CLOSED, SessionState.PUBLISHED])
                     .exclude(pk__in=decided).values("session_id", "session__name")
                     .annotate(n=Count("pk")).order_by("session_id"))
    index = reverse("emulation:index")
    counts = [
        PanelCount(gettext_lazy("Phong trào còn đơn vị chưa đăng ký"), len(short), index, "warn" if short else ""),
        PanelCount(gettext_lazy("Đợt bình xét đang nhận đề nghị"), len(nominating), index),
        PanelCount(gettext_lazy("Đợt bình xét chờ Hội đồng bỏ phiếu"), len(awaiting_vote),
                   reverse("emulation:council_index"), "warn" if awaiting_vote else ""),
        PanelCount(gettext_lazy("Kết quả Hội đồng chờ ra quyết định"), sum(row["n"] for row in to_decide),
                   reverse("emulation:council_index"), "warn" if to_decide else ""),
    ]
    rows: list[PanelRow] = []
    for row in to_decide[:ROWS]:
        rows.append(PanelRow(gettext("Ra quyết định khen thưởng: %(session)s") % {"session": row["session__name"]},
                             reverse("emulation:council_session", args=[row["session_id"]]),
                             gettext("%(n)s kết quả đạt chưa có quyết định") % {"n": row["n"]}, "warn"))
    for r in awaiting_vote[:ROWS - len(rows)]:
        text = (gettext("Hội đồng đang xét: %(round)s") if r.n_sessions else
                gettext("Triệu tập Hội đồng: %(round)s")) % {"round": r.name or r.unit.name}
        rows.append(PanelRow(text, reverse("emulation:council_index"),
                             gettext("%(n)s đề nghị đã trình Hội đồng") % {"n": r.n_nominated}))
    for r in nominating[:max(0, ROWS - len(rows))]:
        meta = gettext("%(n)s đề nghị") % {"n": r.n_nominated}
        if r.nomination_deadline:
            meta += " · " + gettext("hạn %(date)s") % {"date": f"{r.nomination_deadline:%d/%m/%Y}"}
        tone = "danger" if r.nomination_deadline and r.nomination_deadline < ctx.today else ""
        rows.append(PanelRow(gettext("Bình xét: %(round)s") % {"round": r.name or r.unit.name},
                             reverse("emulation:round_detail", args=[r.pk]), meta, tone))
    for m in short[:max(0, ROWS - len(rows))]:
        expected, lacking = missing[m.pk]
        meta = gettext("%(missing)s/%(total)s đơn vị chưa đăng ký") % {"missing": lacking, "total": expected}
        if m.pledge_deadline:
            meta += " · " + gettext("hạn %(date)s") % {"date": f"{m.pledge_deadline:%d/%m/%Y}"}
        tone = "danger" if m.pledge_deadline and m.pledge_deadline < ctx.today else "warn"
        rows.append(PanelRow(gettext("Đăng ký thi đua: %(movement)s") % {"movement": m.name},
                             reverse("emulation:movement_detail", args=[m.pk]), meta, tone))
    return PanelData(counts=counts, rows=rows, rows_title=gettext_lazy("Việc thi đua, khen thưởng cần làm"),
                     empty=gettext_lazy("Không có phong trào, đợt bình xét hay kết quả nào chờ bạn."),
                     more_url=index, more_label=gettext_lazy("Thi đua, khen thưởng"))


def council_member(ctx):
    from congvu.web.panels import PanelCount, PanelData, PanelRow

    mine = list(CouncilMember.objects.filter(user=ctx.user, session__state__in=[SessionState.OPEN, SessionState.VOTING])
                .select_related("session")
                .annotate(n_items=Count("session__items", distinct=True),
                          n_secret=Count("participations", distinct=True),
                          n_open=Count("open_votes", distinct=True))
                .order_by("session__held_on", "session_id"))
    to_vote = [m for m in mine if m.session.state == SessionState.VOTING and m.n_items > m.n_secret + m.n_open]
    convened = [m for m in mine if m.session.state == SessionState.OPEN]
    council = reverse("emulation:council_index")
    rows = [PanelRow(gettext("Bỏ phiếu: %(session)s") % {"session": m.session.name},
                     reverse("emulation:council_session", args=[m.session_id]),
                     gettext("còn %(n)s nội dung chưa bỏ phiếu") % {"n": m.n_items - m.n_secret - m.n_open}, "warn")
            for m in to_vote[:ROWS]]
    rows += [PanelRow(gettext("Họp Hội đồng: %(session)s") % {"session": m.session.name},
                      reverse("emulation:council_session", args=[m.session_id]),
                      gettext("ngày họp %(date)s · %(n)s nội dung") % {"date": f"{m.session.held_on:%d/%m/%Y}",
                                                                       "n": m.n_items})
             for m in convened[:max(0, ROWS - len(rows))]]
    return PanelData(counts=[PanelCount(gettext_lazy("Phiên họp chờ phiếu của tôi"), len(to_vote), council,
                                        "warn" if to_vote else ""),
                             PanelCount(gettext_lazy("Phiên họp đã triệu tập"), len(convened), council)],
                     rows=rows, rows_title=gettext_lazy("Phiên họp Hội đồng Thi đua - Khen thưởng"),
                     empty=gettext_lazy("Không có phiên họp nào chờ phiếu của bạn."),
                     more_url=council, more_label=gettext_lazy("Hội đồng thi đua"))


def register() -> None:
    from congvu.web.panels import Panel, register_panel

    register_panel(Panel("emulation.officer", gettext_lazy("Thi đua, khen thưởng"), roles={"emulation_officer"},
                         build=officer, app="congvu.emulation", order=20))
    register_panel(Panel("emulation.council", gettext_lazy("Hội đồng Thi đua - Khen thưởng"), roles={"council_member"},
                         build=council_member, app="congvu.emulation", order=21))
