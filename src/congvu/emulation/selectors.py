"""Reads of the emulation app: movement scope and registration, and the facts the rule engine reads,
built from the database records (`candidate_facts` is what `congvu emulation check --person/--unit`
uses)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from congvu.emulation.models import (
    AwardRecord,
    EmulationProfile,
    Initiative,
    InitiativeStatus,
    Movement,
    MovementScope,
    PersonYearRecord,
    Pledge,
    PledgeSubject,
    ResearchProject,
    Round,
    UnitYearRecord,
)
from congvu.emulation.rules import RATING_LEVELS, TITLES
from congvu.org.models import EmulationGroup, Person, Unit

# -- movements -------------------------------------------------------------------------------------


def _living(qs: QuerySet[Unit], on: dt.date) -> QuerySet[Unit]:
    return qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def movement_participants(*, movement: Movement) -> list[Unit]:
    """The units a movement addresses (its registration list): the launching unit's direct
    subordinates (subtree scope), the chosen units, or the members of its block/cluster."""
    if movement.scope == MovementScope.UNITS:
        return list(movement.scope_units.order_by("path"))
    if movement.scope == MovementScope.BLOCK and movement.scope_block_id:
        return list(movement.scope_block.members.order_by("path"))
    qs = Unit.objects.filter(parent_id=movement.unit_id)
    return list(_living(qs, movement.period_start).order_by("path"))


def movement_covers(*, movement: Movement, unit: Unit) -> bool:
    """Whether `unit` may take part: a participant, or (subtree scope) any unit below the launcher."""
    if movement.scope == MovementScope.SUBTREE:
        return unit.pk != movement.unit_id and unit.path.startswith(movement.unit.path)
    return unit.pk in {u.pk for u in movement_participants(movement=movement)}


@dataclass
class RegistrationStatus:
    registered: list[tuple[Unit, Pledge]] = field(default_factory=list)
    missing: list[Unit] = field(default_factory=list)
    blocks: list[Pledge] = field(default_factory=list)
    people: list[Pledge] = field(default_factory=list)

    @property
    def signed(self) -> list[tuple[Unit, Pledge]]:
        return [(u, p) for u, p in self.registered if p.signed_at]

    @property
    def unsigned(self) -> list[tuple[Unit, Pledge]]:
        return [(u, p) for u, p in self.registered if not p.signed_at]


def movement_registration(*, movement: Movement) -> RegistrationStatus:
    """Who has and has not registered (and signed) for a movement."""
    pledges = list(movement.pledges.select_related("unit", "block", "person", "person__unit"))
    by_unit = {p.unit_id: p for p in pledges if p.subject == PledgeSubject.UNIT}
    status = RegistrationStatus(blocks=[p for p in pledges if p.subject == PledgeSubject.BLOCK],
                                people=[p for p in pledges if p.subject == PledgeSubject.PERSON])
    for unit in movement_participants(movement=movement):
        pledge = by_unit.get(unit.pk)
        if pledge is None:
            status.missing.append(unit)
        else:
            status.registered.append((unit, pledge))
    return status


def movements_missing_pledges(*, movements: Iterable[Movement]) -> dict[int, tuple[int, int]]:
    """{movement id: (units on its registration list, units of it that have not pledged)} for many
    movements in four queries whatever their number — the counts `movement_registration` gives one
    movement at a time (start-page panels)."""
    movements = list(movements)
    if not movements:
        return {}
    ids = [m.pk for m in movements]
    expected: dict[int, set[int]] = {m.pk: set() for m in movements}
    subtree = [m for m in movements if m.scope not in (MovementScope.UNITS, MovementScope.BLOCK)
               or (m.scope == MovementScope.BLOCK and not m.scope_block_id)]
    if subtree:
        children = Unit.objects.filter(parent_id__in={m.unit_id for m in subtree}).values_list(
            "pk", "parent_id", "valid_from", "valid_to")
        by_parent: dict[int, list[tuple[int, Any, Any]]] = defaultdict(list)
        for pk, parent_id, valid_from, valid_to in children:
            by_parent[parent_id].append((pk, valid_from, valid_to))
        for m in subtree:
            on = m.period_start
            expected[m.pk] = {pk for pk, vf, vt in by_parent.get(m.unit_id, [])
                              if (vf is None or vf <= on) and (vt is None or vt >= on)}
    chosen = [m.pk for m in movements if m.scope == MovementScope.UNITS]
    if chosen:
        through = Movement.scope_units.through
        for movement_id, unit_id in through.objects.filter(movement_id__in=chosen).values_list("movement_id", "unit_id"):
            expected[movement_id].add(unit_id)
    blocks = {m.scope_block_id: m.pk for m in movements if m.scope == MovementScope.BLOCK and m.scope_block_id}
    if blocks:
        members = EmulationGroup.members.through.objects.filter(emulationgroup_id__in=list(blocks))
        by_block: dict[int, set[int]] = defaultdict(set)
        for group_id, unit_id in members.values_list("emulationgroup_id", "unit_id"):
            by_block[group_id].add(unit_id)
        for m in movements:
            if m.scope == MovementScope.BLOCK and m.scope_block_id:
                expected[m.pk] = by_block.get(m.scope_block_id, set())
    pledged: dict[int, set[int]] = defaultdict(set)
    for movement_id, unit_id in Pledge.objects.filter(movement_id__in=ids, subject=PledgeSubject.UNIT).values_list(
            "movement_id", "unit_id"):
        pledged[movement_id].add(unit_id)
    return {mid: (len(units), len(units - pledged[mid])) for mid, units in expected.items()}


def movements_visible(*, units: QuerySet[Unit] | Iterable[Unit]) -> QuerySet[Movement]:
    """Movements launched by a unit of `units`, or addressed to one of them."""
    ids = [u.pk for u in units]
    return (Movement.objects.filter(Q(unit_id__in=ids) | Q(scope_units__in=ids) | Q(scope_block__members__in=ids)
                                    | Q(unit__children__in=ids))
            .distinct().select_related("unit").order_by("-year", "-created_at"))


# -- facts for the rule engine ---------------------------------------------------------------------

HISTORY_YEARS = 12  # how far back the chains look (CSTĐ tỉnh: 3 × CSTĐCS; BK TTg: 5 years)


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _achievement(item: Initiative | ResearchProject, *, research: bool) -> dict[str, Any]:
    on = item.accepted_on if research else item.recognised_on
    out: dict[str, Any] = {"id": item.ref, "year": item.year, "scope": item.scope,
                           "applied": item.applied_effectively}
    out["accepted_on" if research else "recognised_on"] = _iso(on)
    return out


def _award_entry(a: AwardRecord) -> dict[str, Any]:
    return {"year": a.year, "code": a.title_code, "decision": a.decision_number or None}


def person_facts_many(people: Iterable[Person], year: int, *, exclude_award: int | None = None) -> dict[int, dict]:
    """Facts of many people at once (a handful of queries whatever their number).

    Absent knowledge stays absent (a person with no profile has no `recruited`); lists the app
    keeps are always given (an empty list is "none")."""
    people = list(people)
    ids = [p.pk for p in people]
    first = year - HISTORY_YEARS
    profiles = {p.person_id: p for p in EmulationProfile.objects.filter(person_id__in=ids)}
    years: dict[int, list[PersonYearRecord]] = defaultdict(list)
    for r in PersonYearRecord.objects.filter(person_id__in=ids, year__gte=first, year__lte=year):
        years[r.person_id].append(r)
    awards: dict[int, list[AwardRecord]] = defaultdict(list)
    award_qs = AwardRecord.objects.filter(person_id__in=ids, revoked_on__isnull=True, year__gte=first)
    if exclude_award:
        award_qs = award_qs.exclude(pk=exclude_award)
    for a in award_qs:
        awards[a.person_id].append(a)
    inits: dict[int, list[Initiative]] = defaultdict(list)
    for link in (Initiative.authors.through.objects.filter(person_id__in=ids,
                                                           initiative__status=InitiativeStatus.RECOGNISED,
                                                           initiative__year__gte=first)
                 .select_related("initiative")):
        inits[link.person_id].append(link.initiative)
    research: dict[int, list[ResearchProject]] = defaultdict(list)
    for link in (ResearchProject.authors.through.objects.filter(person_id__in=ids, researchproject__year__gte=first)
                 .select_related("researchproject")):
        research[link.person_id].append(link.researchproject)
    out: dict[int, dict] = {}
    for person in people:
        facts: dict[str, Any] = {"kind": "person", "id": str(person.pk), "name": person.full_name}
        profile = profiles.get(person.pk)
        if profile is not None and profile.recruited_on:
            facts["recruited"] = profile.recruited_on.isoformat()
        if profile is not None and profile.employment_end:
            facts["employment_end"] = profile.employment_end.isoformat()
        records = years.get(person.pk, [])
        facts["ratings"] = {str(r.year): r.rating for r in records if r.rating and _employed(profile, r.year)}
        facts["discipline"] = [{"year": r.year, "form": r.discipline} for r in records if r.discipline]
        facts["leave"] = [{"from": r.leave_from.isoformat(), "to": r.leave_to.isoformat(), "counts": r.leave_counts}
                          for r in records if r.leave_from and r.leave_to]
        person_awards = awards.get(person.pk, [])
        facts["titles"] = [_award_entry(a) for a in person_awards if a.title_code in TITLES
                           and TITLES[a.title_code].category == "title"]
        facts["awards"] = [_award_entry(a) for a in person_awards if a.title_code not in TITLES
                           or TITLES[a.title_code].category != "title"]
        facts["achievements_awarded"] = [{"ref": a.achievement_ref, "code": a.title_code, "year": a.year}
                                         for a in person_awards if a.achievement_ref]
        facts["initiatives"] = [_achievement(i, research=False) for i in inits.get(person.pk, [])]
        facts["research"] = [_achievement(r, research=True) for r in research.get(person.pk, [])]
        out[person.pk] = facts
    return out


def _employed(profile: EmulationProfile | None, year: int) -> bool:
    if profile is None:
        return True
    if profile.recruited_on and year < profile.recruited_on.year:
        return False
    return not (profile.employment_end and year > profile.employment_end.year)


def unit_members(unit: Unit) -> QuerySet[Person]:
    """The members of a collective: the active people of the unit itself (not of its sub-units)."""
    return Person.objects.filter(unit=unit, active=True)


def unit_facts_many(units: Iterable[Unit], year: int, *, person_verdicts: dict[int, dict[str, str]] | None = None,
                    exclude_award: int | None = None) -> dict[int, dict]:
    """Facts of collectives: their rating, awards and member ratios.

    Member ratios count the members' rating of the year (complete or better) and their LĐTT /
    CSTĐCS — awarded for the year, or, when `person_verdicts` is given (a round pre-fill), judged
    eligible by the engine."""
    units = list(units)
    ids = [u.pk for u in units]
    first = year - HISTORY_YEARS
    records = {(r.unit_id, r.year): r for r in UnitYearRecord.objects.filter(unit_id__in=ids, year__gte=first)}
    members: dict[int, list[int]] = defaultdict(list)
    for pid, uid in Person.objects.filter(unit_id__in=ids, active=True).values_list("pk", "unit_id"):
        members[uid].append(pid)
    all_members = [pid for pids in members.values() for pid in pids]
    ratings = dict(PersonYearRecord.objects.filter(person_id__in=all_members, year=year)
                   .exclude(rating="").values_list("person_id", "rating"))
    disciplined = list(PersonYearRecord.objects.filter(person_id__in=all_members, year=year)
                       .exclude(discipline="").values_list("person_id", "discipline"))
    discipline_by: dict[int, list[str]] = defaultdict(list)
    for pid, form in disciplined:
        discipline_by[pid].append(form)
    held: dict[int, set[str]] = defaultdict(set)
    for pid, code in AwardRecord.objects.filter(person_id__in=all_members, year=year, revoked_on__isnull=True,
                                                title_code__in=("LDTT", "CSTDCS")).values_list("person_id", "title_code"):
        held[pid].add(code)
    awards: dict[int, list[AwardRecord]] = defaultdict(list)
    award_qs = AwardRecord.objects.filter(unit_id__in=ids, revoked_on__isnull=True, year__gte=first)
    if exclude_award:
        award_qs = award_qs.exclude(pk=exclude_award)
    for a in award_qs:
        awards[a.unit_id].append(a)
    complete_level = RATING_LEVELS["complete"]
    out: dict[int, dict] = {}
    for unit in units:
        facts: dict[str, Any] = {"kind": "collective", "id": unit.code, "code": unit.code, "name": unit.name}
        rec = records.get((unit.pk, year))
        if rec is not None and rec.rating:
            facts["rating"] = rec.rating
        if rec is not None and rec.leads_group is not None:
            facts["leads_group"] = rec.leads_group
        earlier = {str(y): r.rating for (u, y), r in records.items() if u == unit.pk and y < year and r.rating}
        if earlier:
            facts["ratings"] = earlier
        pids = members.get(unit.pk, [])
        facts["members"] = len(pids)
        if pids and all(pid in ratings for pid in pids):
            facts["members_complete"] = sum(1 for pid in pids if RATING_LEVELS[ratings[pid]] >= complete_level)
        ldtt = cstdcs = 0
        for pid in pids:
            codes = set(held.get(pid, ()))
            if person_verdicts is not None:
                codes |= {c for c, v in person_verdicts.get(pid, {}).items() if v == "eligible"}
            ldtt += "LDTT" in codes or "CSTDCS" in codes
            cstdcs += "CSTDCS" in codes
        facts["members_ldtt"] = ldtt
        facts["members_cstdcs"] = cstdcs
        facts["discipline"] = [{"year": year, "form": f} for pid in pids for f in discipline_by.get(pid, [])]
        unit_awards = awards.get(unit.pk, [])
        facts["titles"] = [_award_entry(a) for a in unit_awards if a.title_code in TITLES
                           and TITLES[a.title_code].category == "title"]
        facts["awards"] = [_award_entry(a) for a in unit_awards if a.title_code not in TITLES
                           or TITLES[a.title_code].category != "title"]
        facts["achievements_awarded"] = [{"ref": a.achievement_ref, "code": a.title_code, "year": a.year}
                                         for a in unit_awards if a.achievement_ref]
        out[unit.pk] = facts
    return out


def person_lookup(value: str | int) -> Person | None:
    """A person by primary key, staff code or uid."""
    text = str(value).strip()
    qs = Person.objects.select_related("unit")
    if text.isdigit():
        found = qs.filter(pk=int(text)).first()
        if found:
            return found
    found = qs.filter(staff_code=text).first()
    if found:
        return found
    try:
        import uuid

        return qs.filter(uid=uuid.UUID(text)).first()
    except ValueError:
        return None


def candidate_facts(*, person_id: str | int | None = None, unit_code: str | None = None,
                    year: int) -> dict[str, Any] | None:
    """Facts of one person (id, staff code or uid) or one collective (unit code), or None if unknown."""
    if person_id is not None:
        person = person_lookup(person_id)
        return None if person is None else person_facts_many([person], year)[person.pk]
    unit = Unit.objects.filter(code=str(unit_code or "").strip()).first()
    return None if unit is None else unit_facts_many([unit], year)[unit.pk]



def rounds_visible(*, user: Any) -> QuerySet[Round]:
    """Rounds of a unit in the user's scope, or covering one (a department sees its district's round)."""
    from congvu.org.policy import scoped_units
    from congvu.org.roles import Action

    units = scoped_units(user, Action.EMULATION_VIEW)
    prefixes: set[str] = set()
    for path in units.values_list("path", flat=True)[:5000]:
        parts = [p for p in path.split("/") if p]
        prefixes.update("/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1))
    return Round.objects.filter(Q(unit__in=units) | Q(unit__path__in=prefixes)).select_related("unit").distinct()


def unit_and_predecessor_ids(*, unit: Unit) -> list[int]:
    """A unit and (transitively) the units merged into it: its awards register spans mergers."""
    from congvu.org.selectors import unit_predecessors_all

    return [unit.pk] + [u.pk for u in unit_predecessors_all(unit=unit)]
