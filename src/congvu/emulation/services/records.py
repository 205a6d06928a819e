"""The records the rules read: recruitment, yearly ratings, discipline, leave, collectives' ratings,
research projects and the awards register."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q

from congvu.audit.services import audit_record, model_snapshot
from congvu.common.errors import Conflict, DomainError
from congvu.common.text import clean
from congvu.emulation.models import (
    AwardRecord,
    AwardSource,
    Discipline,
    EmulationProfile,
    Initiative,
    PersonYearRecord,
    Rating,
    RecordSource,
    ResearchProject,
    Scope,
    UnitYearRecord,
)
from congvu.emulation.rules import TITLES
from congvu.emulation.services._common import check, dates_ok, texts_ok, title_ok, year_ok
from congvu.org.models import Person, Unit
from congvu.org.roles import Action


def profile_set(*, actor: Any, person: Person, recruited_on: dt.date | None,
                employment_end: dt.date | None = None) -> EmulationProfile:
    """Recruitment date (start of continuous work) and end of employment of a person."""
    check(actor, Action.EMULATION_MANAGE, person.unit)
    dates_ok(**{"Ngày tuyển dụng": recruited_on, "Ngày thôi việc": employment_end})
    if recruited_on and employment_end and employment_end < recruited_on:
        raise DomainError("profile.dates", "Ngày thôi việc trước ngày tuyển dụng.")
    with transaction.atomic():
        profile, created = EmulationProfile.objects.select_for_update().get_or_create(person=person)
        before = None if created else model_snapshot(profile)
        profile.recruited_on, profile.employment_end = recruited_on, employment_end
        profile.save()
        audit_record(action="create" if created else "update", obj=profile, before=before,
                     after=model_snapshot(profile), actor=actor)
    return profile


def employment_check(*, person: Person, year: int, profile: EmulationProfile | None = None) -> None:
    """Refuse a yearly record for a year outside the person's employment."""
    if profile is None:
        profile = EmulationProfile.objects.filter(person=person).first()
    if profile is None:
        return
    if profile.recruited_on and year < profile.recruited_on.year:
        raise DomainError("record.outside_employment",
                          f"Năm {year} trước khi {person.full_name} được tuyển dụng "
                          f"({profile.recruited_on:%d/%m/%Y}): không có xếp loại năm này.")
    if profile.employment_end and year > profile.employment_end.year:
        raise DomainError("record.outside_employment",
                          f"Năm {year} sau khi {person.full_name} thôi việc ({profile.employment_end:%d/%m/%Y}).")


def person_year_record_set(*, actor: Any, person: Person, year: int, rating: str = "", discipline: str = "",
                           discipline_decision: str = "", leave_from: dt.date | None = None,
                           leave_to: dt.date | None = None, leave_counts: bool = True, note: str = "",
                           source: str = RecordSource.MANUAL) -> PersonYearRecord:
    """Create or replace a person's record for a year (rating, discipline, leave)."""
    check(actor, Action.EMULATION_MANAGE, person.unit)
    year = year_ok(year)
    if rating and rating not in Rating.values:
        raise DomainError("record.rating", f"Xếp loại không hợp lệ: {rating!r} (dùng {', '.join(Rating.values)}).")
    if discipline and discipline not in Discipline.values:
        raise DomainError("record.discipline", f"Hình thức kỷ luật không hợp lệ: {discipline!r}.")
    dates_ok(**{"Nghỉ từ ngày": leave_from, "Nghỉ đến ngày": leave_to})
    if (leave_from is None) != (leave_to is None):
        raise DomainError("record.leave", "Thời gian nghỉ cần cả ngày bắt đầu và ngày kết thúc.")
    if leave_from and leave_to and leave_to < leave_from:
        raise DomainError("record.leave", "Ngày kết thúc nghỉ trước ngày bắt đầu.")
    texts_ok({"Ghi chú": (note, 500), "Quyết định kỷ luật": (discipline_decision, 120)})
    employment_check(person=person, year=year)
    with transaction.atomic():
        record, created = PersonYearRecord.objects.select_for_update().get_or_create(person=person, year=year)
        before = None if created else model_snapshot(record)
        record.rating, record.discipline = rating, discipline
        record.discipline_decision = clean(discipline_decision or "")
        record.leave_from, record.leave_to, record.leave_counts = leave_from, leave_to, bool(leave_counts)
        record.note, record.source = clean(note or ""), source
        record.save()
        audit_record(action="create" if created else "update", obj=record, before=before,
                     after=model_snapshot(record), actor=actor)
    return record


def unit_year_record_set(*, actor: Any, unit: Unit, year: int, rating: str = "", leads_group: bool | None = None,
                         note: str = "", source: str = RecordSource.MANUAL) -> UnitYearRecord:
    check(actor, Action.EMULATION_MANAGE, unit)
    year = year_ok(year)
    if rating and rating not in Rating.values:
        raise DomainError("record.rating", f"Xếp loại không hợp lệ: {rating!r}.")
    texts_ok({"Ghi chú": (note, 500)})
    with transaction.atomic():
        record, created = UnitYearRecord.objects.select_for_update().get_or_create(unit=unit, year=year)
        before = None if created else model_snapshot(record)
        record.rating, record.leads_group, record.note, record.source = rating, leads_group, clean(note or ""), source
        record.save()
        audit_record(action="create" if created else "update", obj=record, before=before,
                     after=model_snapshot(record), actor=actor)
    return record


def research_record(*, actor: Any, unit: Unit, title: str, year: int, authors: list[Person],
                    scope: str = Scope.CO_SO, accepted_on: dt.date | None = None, decision_number: str = "",
                    applied_effectively: bool | None = None, source: str = RecordSource.MANUAL) -> ResearchProject:
    check(actor, Action.EMULATION_MANAGE, unit)
    title = clean(title or "")
    if not title:
        raise DomainError("research.title", "Tên đề tài không được để trống.")
    texts_ok({"Tên đề tài": (title, 400), "Số quyết định": (decision_number, 120)})
    year = year_ok(year)
    if scope not in Scope.values:
        raise DomainError("research.scope", f"Cấp đề tài không hợp lệ: {scope!r}.")
    dates_ok(**{"Ngày nghiệm thu": accepted_on})
    if not authors:
        raise DomainError("research.authors", "Đề tài cần ít nhất một chủ nhiệm hoặc thành viên.")
    with transaction.atomic():
        project = ResearchProject.objects.create(unit=unit, title=title, year=year, scope=scope,
                                                 accepted_on=accepted_on, decision_number=clean(decision_number or ""),
                                                 applied_effectively=applied_effectively, source=source)
        project.authors.set(authors)
        audit_record(action="create", obj=project,
                     after=model_snapshot(project) | {"authors": sorted(p.pk for p in authors)}, actor=actor)
    return project


_CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,29}$")


def award_code_ok(code: str, kind: str) -> str:
    """A title of the engine's catalogue, or another form of commendation by its code (BK_TTG, HCLD3…)."""
    code = (code or "").strip().upper()
    if code in TITLES:
        return title_ok(code, kind)
    if not _CODE.match(code):
        raise DomainError("emulation.title_unknown",
                          f"Mã danh hiệu, hình thức khen thưởng không hợp lệ: {code!r} (vd. {', '.join(TITLES)}).")
    return code


def _initiative_of(ref: str) -> Initiative | None:
    ref = (ref or "").strip().upper()
    if ref.startswith("SK-") and ref[3:].isdigit():
        return Initiative.objects.filter(pk=int(ref[3:])).first()
    return None


def award_record_create(*, actor: Any, title_code: str, year: int, person: Person | None = None,
                        unit: Unit | None = None, decision_number: str = "", decision_date: dt.date | None = None,
                        authority: str = "", signer: str = "", amount: Decimal | int | None = None,
                        achievement_ref: str = "", rule_set: str = "", source: str = AwardSource.IMPORT,
                        note: str = "") -> AwardRecord:
    """One line of the awards register. Refused: a second award of the same title to the same
    subject for the same year, and an achievement (an initiative `SK-<id>`) already relied on by
    another award, or recognised after the decision relying on it ("one achievement, one award")."""
    if (person is None) == (unit is None):
        raise DomainError("award.subject", "Khen thưởng phải cho đúng một cá nhân hoặc một tập thể.")
    check(actor, Action.EMULATION_MANAGE, person.unit if person else unit)
    code = award_code_ok(title_code, "person" if person else "collective")
    year = year_ok(year, "Năm thành tích")
    dates_ok(**{"Ngày quyết định": decision_date})
    texts_ok({"Số quyết định": (decision_number, 120), "Cấp quyết định": (authority, 200),
              "Người ký": (signer, 150), "Thành tích": (achievement_ref, 60), "Ghi chú": (note, 500)})
    if decision_date and decision_date < dt.date(year, 1, 1):
        raise DomainError("award.decision_before_year",
                          f"Quyết định ngày {decision_date:%d/%m/%Y} trước năm thành tích {year}.")
    if amount is not None and Decimal(amount) < 0:
        raise DomainError("award.amount", "Tiền thưởng không được âm.")
    live = AwardRecord.objects.filter(revoked_on__isnull=True)
    same = live.filter(title_code=code, year=year).filter(Q(person=person) if person else Q(unit=unit))
    if same.exists():
        first = same.first()
        raise Conflict("award.duplicate",
                       f"{person or unit} đã được tặng {code} năm {year}"
                       f"{' (QĐ ' + first.decision_number + ')' if first.decision_number else ''}: "
                       "mỗi thành tích chỉ khen một lần.")
    ref = (achievement_ref or "").strip().upper()
    if ref:
        used = live.filter(achievement_ref=ref).first()
        if used is not None:
            raise Conflict("award.achievement_used",
                           f"Thành tích {ref} đã là căn cứ của khen thưởng {used.title_code} năm {used.year}"
                           f"{' (QĐ ' + used.decision_number + ')' if used.decision_number else ''}.")
        initiative = _initiative_of(ref)
        if initiative is not None and decision_date is not None:
            if initiative.recognised_on is None:
                raise DomainError("award.initiative_unrecognised",
                                  f"Sáng kiến {ref} chưa được công nhận: không làm căn cứ khen thưởng được.")
            if initiative.recognised_on > decision_date:
                raise DomainError("award.initiative_after_decision",
                                  f"Sáng kiến {ref} được công nhận ngày {initiative.recognised_on:%d/%m/%Y}, "
                                  f"sau quyết định khen thưởng ngày {decision_date:%d/%m/%Y} dựa vào nó.")
    with transaction.atomic():
        award = AwardRecord.objects.create(person=person, unit=unit, title_code=code, year=year,
                                           decision_number=clean(decision_number or ""), decision_date=decision_date,
                                           authority=clean(authority or ""), signer=clean(signer or ""),
                                           amount=Decimal(amount) if amount is not None else None,
                                           achievement_ref=ref, rule_set=rule_set, source=source,
                                           note=clean(note or ""))
        audit_record(action="create", obj=award, after=model_snapshot(award), actor=actor)
    return award
