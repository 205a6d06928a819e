"""Initiatives (sáng kiến): proposed by a unit → reviewed by the initiative council (Hội đồng sáng
kiến) → recognised (or not) by decision of the head, in congvu itself. Imported history enters
already recognised through `initiative_record`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from congvu.audit.services import audit_record, model_snapshot
from congvu.common.errors import DomainError
from congvu.common.text import clean
from congvu.emulation.models import AwardRecord, Initiative, InitiativeStatus, RecordSource, Scope
from congvu.emulation.services._common import check, dates_ok, texts_ok, year_ok
from congvu.org.models import Person, Unit
from congvu.org.roles import Action


def _fields(title: str, summary: str, scope: str, authors: list[Person]) -> str:
    title = clean(title or "")
    if not title:
        raise DomainError("initiative.title", "Tên sáng kiến không được để trống.")
    texts_ok({"Tên sáng kiến": (title, 400), "Tóm tắt": (summary, 20000)})
    if scope not in Scope.values:
        raise DomainError("initiative.scope", f"Phạm vi sáng kiến không hợp lệ: {scope!r} (dùng co_so, tinh, toan_quoc).")
    if not authors:
        raise DomainError("initiative.authors", "Sáng kiến cần ít nhất một tác giả.")
    return title


def initiative_propose(*, actor: Any, unit: Unit, title: str, authors: list[Person], year: int,
                       summary: str = "", scope: str = Scope.CO_SO, applied_on: dt.date | None = None) -> Initiative:
    """A unit files a request for recognition (đơn yêu cầu công nhận sáng kiến)."""
    check(actor, Action.EMULATION_NOMINATE, unit)
    title = _fields(title, summary, scope, authors)
    year = year_ok(year)
    dates_ok(**{"Ngày áp dụng": applied_on})
    with transaction.atomic():
        initiative = Initiative.objects.create(unit=unit, title=title, summary=clean(summary or ""), year=year,
                                               scope=scope, applied_on=applied_on)
        initiative.authors.set(authors)
        audit_record(action="create", obj=initiative,
                     after=model_snapshot(initiative) | {"authors": sorted(p.pk for p in authors)}, actor=actor)
    return initiative


def _locked(initiative: Initiative) -> Initiative:
    return Initiative.objects.select_for_update().get(pk=initiative.pk)


def initiative_review(*, actor: Any, initiative: Initiative, recommends: bool, score: Any = None, note: str = "",
                      reviewed_on: dt.date | None = None) -> Initiative:
    """The initiative council's assessment: recommends recognition (→ reviewed) or not (→ rejected)."""
    if actor is not None and not getattr(actor, "is_superuser", False):
        from congvu.org.policy import decide

        if not (decide(actor, Action.EMULATION_MANAGE, initiative.unit) or decide(actor, Action.COUNCIL_VOTE,
                                                                               initiative.unit)):
            check(actor, Action.EMULATION_MANAGE, initiative.unit)
    texts_ok({"Ý kiến hội đồng": (note, 20000)})
    value = None
    if score not in (None, ""):
        try:
            value = Decimal(str(score).replace(",", "."))
        except InvalidOperation:
            raise DomainError("initiative.score", f"Điểm hội đồng phải là số (nhận được {score!r}).") from None
        if not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
            raise DomainError("initiative.score", "Điểm hội đồng phải từ 0 đến 100.")
    reviewed_on = reviewed_on or timezone.localdate()
    dates_ok(**{"Ngày xét": reviewed_on})
    with transaction.atomic():
        initiative = _locked(initiative)
        if initiative.status != InitiativeStatus.PROPOSED:
            raise DomainError("initiative.state", f"Sáng kiến đang ở trạng thái “{initiative.get_status_display()}”: "
                              "chỉ xét được sáng kiến mới đề nghị.")
        if initiative.applied_on and reviewed_on < initiative.applied_on:
            raise DomainError("initiative.review_date", "Ngày xét trước ngày áp dụng sáng kiến.")
        before = model_snapshot(initiative)
        initiative.review_recommends = bool(recommends)
        initiative.review_score, initiative.review_note = value, clean(note or "")
        initiative.reviewed_on = reviewed_on
        initiative.status = InitiativeStatus.REVIEWED if recommends else InitiativeStatus.REJECTED
        initiative.save()
        audit_record(action="transition:review", obj=initiative, before=before, after=model_snapshot(initiative),
                     actor=actor)
    return initiative


def initiative_recognise(*, actor: Any, initiative: Initiative, decision_number: str, recognised_on: dt.date,
                         recognised_by: str = "", scope: str | None = None,
                         applied_effectively: bool | None = True, replicable: bool | None = None) -> Initiative:
    """The head's recognition decision (quyết định công nhận sáng kiến) after a favourable review.

    Refused when an award already relies on this initiative with a decision dated before the
    recognition (an initiative cannot back a decision taken before it was recognised)."""
    check(actor, Action.EMULATION_MANAGE, initiative.unit)
    decision_number = clean(decision_number or "")
    if not decision_number:
        raise DomainError("initiative.decision", "Ghi số quyết định công nhận sáng kiến.")
    texts_ok({"Số quyết định": (decision_number, 120), "Cấp công nhận": (recognised_by, 200)})
    dates_ok(**{"Ngày công nhận": recognised_on})
    if scope is not None and scope not in Scope.values:
        raise DomainError("initiative.scope", f"Phạm vi sáng kiến không hợp lệ: {scope!r}.")
    with transaction.atomic():
        initiative = _locked(initiative)
        if initiative.status != InitiativeStatus.REVIEWED or not initiative.review_recommends:
            raise DomainError("initiative.not_reviewed", "Sáng kiến chưa được Hội đồng sáng kiến xét đề nghị công "
                              "nhận: không ra quyết định công nhận được.")
        if initiative.reviewed_on and recognised_on < initiative.reviewed_on:
            raise DomainError("initiative.recognition_date",
                              f"Ngày công nhận {recognised_on:%d/%m/%Y} trước ngày Hội đồng xét "
                              f"{initiative.reviewed_on:%d/%m/%Y}.")
        earlier = (AwardRecord.objects.filter(achievement_ref=initiative.ref, revoked_on__isnull=True,
                                              decision_date__lt=recognised_on).first())
        if earlier is not None:
            raise DomainError("initiative.after_decision",
                              f"Quyết định khen thưởng {earlier.decision_number or ''} ngày "
                              f"{earlier.decision_date:%d/%m/%Y} đã dựa vào sáng kiến này: không công nhận sau "
                              "ngày quyết định đó được.")
        before = model_snapshot(initiative)
        initiative.status = InitiativeStatus.RECOGNISED
        initiative.decision_number, initiative.recognised_on = decision_number, recognised_on
        initiative.recognised_by = clean(recognised_by or initiative.unit.name)
        if scope is not None:
            initiative.scope = scope
        initiative.applied_effectively, initiative.replicable = applied_effectively, replicable
        initiative.save()
        audit_record(action="transition:recognise", obj=initiative, before=before, after=model_snapshot(initiative),
                     actor=actor)
    return initiative


def initiative_reject(*, actor: Any, initiative: Initiative, note: str = "") -> Initiative:
    """The head declines recognition after review."""
    check(actor, Action.EMULATION_MANAGE, initiative.unit)
    with transaction.atomic():
        initiative = _locked(initiative)
        if initiative.status not in (InitiativeStatus.PROPOSED, InitiativeStatus.REVIEWED):
            raise DomainError("initiative.state", "Sáng kiến đã có quyết định.")
        before = model_snapshot(initiative)
        initiative.status = InitiativeStatus.REJECTED
        if note:
            initiative.review_note = clean(f"{initiative.review_note}\n{note}".strip())
        initiative.save()
        audit_record(action="transition:reject", obj=initiative, before=before, after=model_snapshot(initiative),
                     actor=actor)
    return initiative


def initiative_record(*, actor: Any, unit: Unit, title: str, authors: list[Person], year: int, scope: str,
                      decision_number: str, recognised_on: dt.date, recognised_by: str = "",
                      applied_effectively: bool | None = True, summary: str = "",
                      source: str = RecordSource.IMPORT) -> Initiative:
    """An initiative recognised before congvu (history): entered directly as recognised."""
    check(actor, Action.EMULATION_MANAGE, unit)
    title = _fields(title, summary, scope, authors)
    year = year_ok(year)
    dates_ok(**{"Ngày công nhận": recognised_on})
    texts_ok({"Số quyết định": (decision_number, 120), "Cấp công nhận": (recognised_by, 200)})
    if recognised_on.year < year:
        raise DomainError("initiative.recognition_date", f"Ngày công nhận {recognised_on:%d/%m/%Y} trước năm {year}.")
    with transaction.atomic():
        initiative = Initiative.objects.create(unit=unit, title=title, summary=clean(summary or ""), year=year,
                                               scope=scope, status=InitiativeStatus.RECOGNISED,
                                               decision_number=clean(decision_number or ""),
                                               recognised_on=recognised_on,
                                               recognised_by=clean(recognised_by or ""),
                                               applied_effectively=applied_effectively, source=source)
        initiative.authors.set(authors)
        audit_record(action="import" if source == RecordSource.IMPORT else "create", obj=initiative,
                     after=model_snapshot(initiative) | {"authors": sorted(p.pk for p in authors)}, actor=actor)
    return initiative
