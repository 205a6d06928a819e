"""Reads for the council screens, the awards register and the public exemplar page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from congvu.common.text import search_key
from congvu.emulation.models import AwardRecord
from congvu.emulation.models_council import (
    BallotParticipation,
    CouncilItem,
    CouncilMember,
    CouncilSession,
    Exemplar,
    ExemplarState,
    SessionState,
)
from congvu.org.models import Unit
from congvu.org.policy import decide, scoped_units
from congvu.org.roles import Action
from congvu.org.selectors import unit_predecessors_all, unit_subtree


def sessions_visible(*, user: Any) -> QuerySet[CouncilSession]:
    """Sessions the user manages (in scope) or sits on as a member."""
    qs = CouncilSession.objects.select_related("round", "unit")
    if getattr(user, "is_superuser", False):
        return qs
    managed = scoped_units(user, Action.EMULATION_MANAGE).values("pk")
    return qs.filter(Q(unit__in=managed) | Q(members__user=user)).distinct()


def session_member(session: CouncilSession, user: Any) -> CouncilMember | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return session.members.filter(user=user).first()


def items_voted_by(member: CouncilMember) -> set[int]:
    return set(BallotParticipation.objects.filter(member=member).values_list("item_id", flat=True))


def session_turnout(session: CouncilSession) -> dict[int, int]:
    """item id → number of members who have voted (never how)."""
    out: dict[int, int] = {i: 0 for i in session.items.values_list("pk", flat=True)}
    for item_id in BallotParticipation.objects.filter(item__session=session).values_list("item_id", flat=True):
        out[item_id] = out.get(item_id, 0) + 1
    return out


def results_visible(session: CouncilSession, user: Any) -> bool:
    """Results (and tallies) are shown only after the vote closes: a running secret tally would tell
    who chose what to anyone watching it change."""
    if session.state == SessionState.PUBLISHED:
        return True
    return session.state == SessionState.CLOSED and decide(user, Action.EMULATION_MANAGE, session.unit).allowed


def approved_items(session: CouncilSession) -> QuerySet[CouncilItem]:
    """Approved items no decision has used yet."""
    return (session.items.filter(approved=True).exclude(pk__in=_decided_item_ids(session))
            .select_related("candidate__person", "candidate__unit"))


def _decided_item_ids(session: CouncilSession) -> list[int]:
    from congvu.emulation.models_council import DecisionLine

    return list(DecisionLine.objects.filter(item__session=session).values_list("item_id", flat=True))


def awards_register(*, query: str = "", unit: Unit | None = None, person_id: int | None = None,
                    title_code: str = "", year: int | None = None, lineage: bool = True,
                    include_revoked: bool = True, user: Any = None) -> QuerySet[AwardRecord]:
    """The awards register (sổ khen thưởng), the one read behind the screen `/emulation/awards/` and the
    API (`/api/emulation/awards`, `/api/emulation/awards/register`). Searchable without accents (every
    word, over person and unit names) or by decision number. `unit`: awards of the unit and of its
    people, of its subtree (sub-units) and — across mergers — of its predecessors' subtrees (org
    lineage). `user`: only awards of units in the user's `emulation.view` scope (a superuser sees all)."""
    qs = AwardRecord.objects.select_related("person__unit", "unit").order_by("-year", "title_code", "pk")
    if user is not None and not getattr(user, "is_superuser", False):
        scope = scoped_units(user, Action.EMULATION_VIEW).values("pk")
        qs = qs.filter(Q(person__unit__in=scope) | Q(unit__in=scope))
    if unit is not None:
        units = set(unit_subtree(unit=unit).values_list("pk", flat=True))
        if lineage:
            for pred in unit_predecessors_all(unit=unit):
                units |= set(unit_subtree(unit=pred).values_list("pk", flat=True))
        qs = qs.filter(Q(unit__in=units) | Q(person__unit__in=units))
    if person_id is not None:
        qs = qs.filter(person_id=person_id)
    if title_code:
        qs = qs.filter(title_code__iexact=title_code.strip())
    if year:
        qs = qs.filter(year=year)
    if not include_revoked:
        qs = qs.filter(revoked_on__isnull=True)
    words = search_key(query or "").split()
    if words:
        by_name = Q()
        for word in words:
            by_name &= Q(person__search_key__contains=word) | Q(unit__search_key__contains=word)
        qs = qs.filter(by_name | Q(decision_number__icontains=query.strip()))
    return qs


def exemplars_public(*, query: str = "", month: dt.date | None = None) -> QuerySet[Exemplar]:
    qs = Exemplar.objects.filter(state=ExemplarState.PUBLISHED).select_related("unit")
    if month is not None:
        qs = qs.filter(month=month.replace(day=1))
    for word in search_key(query).split():
        qs = qs.filter(search_key__contains=word)
    return qs.order_by("-month", "-published_at", "-pk")


def exemplars_for_review(*, user: Any) -> QuerySet[Exemplar]:
    units = scoped_units(user, Action.EMULATION_MANAGE).values("pk")
    return Exemplar.objects.filter(unit__in=units).select_related("unit").order_by("state", "-month", "-pk")


def units_without_exemplar(*, within: Unit, month: dt.date) -> list[Unit]:
    """Direct sub-units of `within` that have proposed nothing for `month` (seed 001: one a month)."""
    month = month.replace(day=1)
    done = set(Exemplar.objects.filter(month=month).values_list("unit_id", flat=True))
    return [u for u in within.children.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=month))
            if u.pk not in done]
