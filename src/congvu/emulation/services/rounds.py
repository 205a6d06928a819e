"""The yearly evaluation round (bình xét): open → the engine pre-fills every person and collective of
the scope with its verdicts → units nominate with an achievement report and the dossier checklist →
public disclosure for the working days the rules require → submitted to the council (whose vote and
decision are the council part of the app)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from congvu.audit.services import audit_record, model_snapshot
from congvu.common.errors import DomainError
from congvu.common.text import clean
from congvu.emulation.models import Candidate, Round, RoundState, Verdict
from congvu.emulation.rules import COLLECTIVE, PERSON, default_book, evaluate_all, parse_facts
from congvu.emulation.services._common import check, dates_ok, texts_ok, title_ok, year_ok
from congvu.org.models import Person, Unit
from congvu.org.roles import Action

# Dossier items the council produces itself (not asked of the nominating unit).
COUNCIL_ITEMS = frozenset({"bien_ban_hoi_dong", "ket_qua_phieu_kin"})
# Items congvu fills in by itself: the electronic file is the dossier in congvu.
AUTO_ITEMS = frozenset({"ho_so_dien_tu"})


def _rule_set(year: int, on: dt.date | None = None):  # noqa: ANN202 - RuleSet
    return default_book().for_year(year, on)


def round_open(*, actor: Any, unit: Unit, year: int, titles: list[str] | None = None, name: str = "",
               nomination_deadline: dt.date | None = None, prefill: bool = True) -> Round:
    """Open the round of `unit`'s subtree for `year` under the rule set in force at the end of the
    year, with the disclosure period the rule set asks for (the longest among the titles)."""
    check(actor, Action.EMULATION_MANAGE, unit)
    year = year_ok(year)
    texts_ok({"Tên đợt": (name, 300)})
    dates_ok(**{"Hạn đề nghị": nomination_deadline})
    if Round.objects.filter(unit=unit, year=year).exclude(state=RoundState.CLOSED).exists():
        raise DomainError("round.exists", f"{unit.name} đã có đợt bình xét năm {year} đang mở.")
    rs = _rule_set(year)
    codes = [title_ok(c) for c in titles] if titles else list(rs.titles)
    missing = [c for c in codes if c not in rs.titles]
    if missing:
        raise DomainError("round.titles", f"Bộ quy tắc {rs.id} không có danh hiệu {', '.join(missing)}.")
    days = max([rs.titles[c].disclosure_working_days for c in codes if rs.titles[c].disclosure_required] or [0])
    with transaction.atomic():
        rnd = Round.objects.create(unit=unit, year=year, name=clean(name or f"Bình xét thi đua năm {year}"),
                                   rule_set=rs.id, titles=codes, nomination_deadline=nomination_deadline,
                                   disclosure_working_days=days,
                                   opened_by=actor if getattr(actor, "pk", None) else None)
        audit_record(action="create", obj=rnd, after=model_snapshot(rnd), actor=actor)
    if prefill:
        round_prefill(actor=actor, round=rnd)
    return rnd


def scope_people(rnd: Round) -> list[Person]:
    return list(Person.objects.filter(unit__path__startswith=rnd.unit.path, active=True)
                .select_related("unit").order_by("unit__path", "full_name"))


def scope_units(rnd: Round) -> list[Unit]:
    """Collectives of the round: the scope's units that have members."""
    ids = set(Person.objects.filter(unit__path__startswith=rnd.unit.path, active=True)
              .values_list("unit_id", flat=True))
    return list(Unit.objects.filter(pk__in=ids).order_by("path"))


def round_prefill(*, actor: Any, round: Round) -> dict[str, int]:  # noqa: A002 - the domain word
    """(Re-)judge every person and collective of the scope for every title of the round.

    Verdicts are replaced; nominations, reports and checklists are kept. Returns counts."""
    from congvu.emulation.selectors import person_facts_many, unit_facts_many

    rnd = round
    check(actor, Action.EMULATION_MANAGE, rnd.unit)
    if rnd.state != RoundState.OPEN:
        raise DomainError("round.state", "Chỉ xét lại được khi đợt bình xét đang mở.")
    book = default_book()
    rs = book.get(rnd.rule_set)
    person_codes = [c for c in rnd.titles if PERSON in rs.titles[c].variants]
    unit_codes = [c for c in rnd.titles if COLLECTIVE in rs.titles[c].variants]
    people = scope_people(rnd)
    units = scope_units(rnd)
    results: dict[tuple[str, int, str], tuple[Any, int]] = {}
    person_verdicts: dict[int, dict[str, str]] = {}
    for pid, facts in person_facts_many(people, rnd.year).items():
        f = parse_facts(facts)
        verdicts = evaluate_all(f, rnd.year, person_codes, rule_set=rs) if person_codes else {}
        person_verdicts[pid] = {c: v.verdict for c, v in verdicts.items()}
        for code, v in verdicts.items():
            results[("p", pid, code)] = (v, pid)
    for uid, facts in unit_facts_many(units, rnd.year, person_verdicts=person_verdicts).items():
        f = parse_facts(facts)
        for code, v in (evaluate_all(f, rnd.year, unit_codes, rule_set=rs) if unit_codes else {}).items():
            results[("u", uid, code)] = (v, uid)
    unit_of_person = {p.pk: p.unit_id for p in people}
    with transaction.atomic():
        existing = {("p" if c.person_id else "u", c.person_id or c.unit_id, c.title_code): c
                    for c in Candidate.objects.filter(round=rnd)}
        new: list[tuple[Any, ...]] = []
        changed: list[Candidate] = []
        for key, (v, _) in results.items():
            kind, ident, code = key
            detail = v.as_dict()
            cand = existing.get(key)
            if cand is None:
                new.append((ident if kind == "p" else None, unit_of_person[ident] if kind == "p" else ident, code,
                            v.verdict, detail, v.rule_set))
            elif (cand.verdict, cand.verdict_detail, cand.rule_set) != (v.verdict, detail, v.rule_set):
                cand.verdict, cand.verdict_detail, cand.rule_set = v.verdict, detail, v.rule_set
                changed.append(cand)
        _insert_candidates(rnd, new)
        _update_candidates(changed)
        counts = {"people": len(people), "collectives": len(units), "candidates": len(results), "changed": len(changed),
                  "eligible": sum(1 for v, _ in results.values() if v.verdict == Verdict.ELIGIBLE)}
        audit_record(action="transition:prefill", obj=rnd, after=counts | {"rule_set": rs.id}, actor=actor)
    return counts


_INSERT_COLUMNS = ("round_id", "person_id", "unit_id", "title_code", "verdict", "verdict_detail", "rule_set",
                   "checked_at", "nominated", "nominated_at", "report", "checklist")


def _insert_candidates(rnd: Round, rows: list[tuple[Any, ...]]) -> None:
    """Insert new candidates with one prepared statement (the ORM's per-field preparation dominated the
    pre-fill of tens of thousands of candidates). Every column of `Candidate` is listed: a field added
    later without a database default makes this fail loudly (and the round test with it)."""
    if not rows:
        return
    names = {f.column for f in Candidate._meta.concrete_fields if not f.primary_key}
    if names != set(_INSERT_COLUMNS):  # a new field: fall back to the ORM rather than guess its value
        Candidate.objects.bulk_create([Candidate(round=rnd, person_id=p, unit_id=u, title_code=c, verdict=v,
                                                 verdict_detail=d, rule_set=r) for p, u, c, v, d, r in rows],
                                      batch_size=1000)
        return
    qn = connection.ops.quote_name
    json_ph = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    placeholders = ["%s"] * len(_INSERT_COLUMNS)
    placeholders[_INSERT_COLUMNS.index("verdict_detail")] = json_ph
    placeholders[_INSERT_COLUMNS.index("checklist")] = json_ph
    sql = (f"INSERT INTO {qn(Candidate._meta.db_table)} ({', '.join(qn(c) for c in _INSERT_COLUMNS)}) "
           f"VALUES ({', '.join(placeholders)})")
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    dumps = json.dumps
    params = [(rnd.pk, p, u, c, v, dumps(d, ensure_ascii=False), r, now, False, None, "", "{}")
              for p, u, c, v, d, r in rows]
    with connection.cursor() as cursor:
        for i in range(0, len(params), 2000):
            cursor.executemany(sql, params[i:i + 2000])


def _update_candidates(changed: list[Candidate]) -> None:
    """Write re-judged verdicts with one prepared UPDATE (bulk_update's CASE WHEN is quadratic-ish)."""
    if not changed:
        return
    qn = connection.ops.quote_name
    json_ph = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    sql = (f"UPDATE {qn(Candidate._meta.db_table)} SET {qn('verdict')} = %s, {qn('verdict_detail')} = {json_ph}, "
           f"{qn('rule_set')} = %s, {qn('checked_at')} = %s WHERE {qn('id')} = %s")
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    params = [(c.verdict, json.dumps(c.verdict_detail, ensure_ascii=False), c.rule_set, now, c.pk) for c in changed]
    with connection.cursor() as cursor:
        for i in range(0, len(params), 2000):
            cursor.executemany(sql, params[i:i + 2000])


def _open_round(cand: Candidate) -> None:
    if cand.round.state != RoundState.OPEN:
        raise DomainError("round.state", "Đợt bình xét không còn nhận đề nghị.")


def _checklist(cand: Candidate, report: str) -> dict[str, Any]:
    rs = default_book().get(cand.rule_set)
    items = {}
    for item in rs.title_rules(cand.title_code).dossier:
        if item.code in COUNCIL_ITEMS:
            continue
        done = bool(cand.checklist.get(item.code, {}).get("done")) if isinstance(cand.checklist.get(item.code),
                                                                               dict) else False
        if item.code in AUTO_ITEMS or (item.code == "bao_cao_thanh_tich" and report.strip()):
            done = True
        items[item.code] = {"name": item.name, "required": item.required, "done": done}
    return items


def candidate_nominate(*, actor: Any, candidate: Candidate, report: str | None = None) -> Candidate:
    """The unit proposes a candidate; the achievement report is drafted from its records when not given.

    A candidate the engine found not eligible is refused with the unmet conditions."""
    from congvu.emulation.achievements import achievement_report

    check(actor, Action.EMULATION_NOMINATE, candidate.unit)
    _open_round(candidate)
    if candidate.verdict == Verdict.NOT_ELIGIBLE:
        unmet = [c for c in candidate.verdict_detail.get("conditions", []) if c.get("met") is False]
        reasons = "; ".join(f"{c['text']} ({c['article']})" for c in unmet[:5])
        raise DomainError("candidate.not_eligible", f"{candidate} chưa đủ điều kiện: {reasons}.")
    if candidate.round.nomination_deadline and timezone.localdate() > candidate.round.nomination_deadline:
        raise DomainError("candidate.deadline",
                          f"Đã hết hạn đề nghị ({candidate.round.nomination_deadline:%d/%m/%Y}).")
    text = clean(report) if report else achievement_report(candidate=candidate)
    texts_ok({"Báo cáo thành tích": (text, 50000)})
    with transaction.atomic():
        cand = Candidate.objects.select_for_update().select_related("round").get(pk=candidate.pk)
        before = model_snapshot(cand)
        cand.nominated, cand.nominated_at, cand.report = True, timezone.now(), text
        cand.checklist = _checklist(cand, text)
        cand.save(update_fields=["nominated", "nominated_at", "report", "checklist"])
        audit_record(action="transition:nominate", obj=cand, before=before, after=model_snapshot(cand), actor=actor)
    return cand


def candidate_withdraw(*, actor: Any, candidate: Candidate) -> Candidate:
    check(actor, Action.EMULATION_NOMINATE, candidate.unit)
    _open_round(candidate)
    with transaction.atomic():
        cand = Candidate.objects.select_for_update().get(pk=candidate.pk)
        before = model_snapshot(cand)
        cand.nominated, cand.nominated_at = False, None
        cand.save(update_fields=["nominated", "nominated_at"])
        audit_record(action="transition:withdraw", obj=cand, before=before, after=model_snapshot(cand), actor=actor)
    return cand


def candidate_update(*, actor: Any, candidate: Candidate, report: str | None = None,
                     checklist: dict[str, bool] | None = None) -> Candidate:
    """Edit a nominated candidate's achievement report and tick dossier items."""
    check(actor, Action.EMULATION_NOMINATE, candidate.unit)
    _open_round(candidate)
    with transaction.atomic():
        cand = Candidate.objects.select_for_update().select_related("round").get(pk=candidate.pk)
        if not cand.nominated:
            raise DomainError("candidate.not_nominated", "Chưa đề nghị đối tượng này.")
        before = model_snapshot(cand)
        if report is not None:
            texts_ok({"Báo cáo thành tích": (report, 50000)})
            cand.report = clean(report)
        items = _checklist(cand, cand.report)
        for code, done in (checklist or {}).items():
            if code not in items:
                raise DomainError("candidate.checklist", f"Hồ sơ {cand.title_code} không có thành phần {code!r}.")
            if code not in AUTO_ITEMS and code != "bao_cao_thanh_tich":
                items[code]["done"] = bool(done)
        cand.checklist = items
        cand.save(update_fields=["report", "checklist"])
        audit_record(action="update", obj=cand, before=before, after=model_snapshot(cand), actor=actor)
    return cand


def dossier_gaps(rnd: Round) -> list[str]:
    gaps = []
    for cand in rnd.candidates.filter(nominated=True).select_related("person", "unit"):
        missing = [v["name"] for v in cand.checklist.values() if v.get("required") and not v.get("done")]
        if missing:
            gaps.append(f"{cand}: thiếu {', '.join(missing)}")
    return gaps


def required_disclosure_days(rnd: Round) -> int:
    """Working days of public disclosure the nominated candidates' titles require (0: none)."""
    rs = default_book().get(rnd.rule_set)
    codes = set(rnd.candidates.filter(nominated=True).values_list("title_code", flat=True))
    return max([rs.titles[c].disclosure_working_days for c in codes
                if c in rs.titles and rs.titles[c].disclosure_required] or [0])


def round_disclose(*, actor: Any, round: Round, start: dt.date | None = None) -> Round:  # noqa: A002
    """Publish the nominees for the disclosure period: `disclosure_working_days` working days from
    `start` (or the next working day), on the working-day calendar."""
    from congvu.workdays.selectors import work_calendar

    rnd = round
    check(actor, Action.EMULATION_MANAGE, rnd.unit)
    if rnd.state != RoundState.OPEN:
        raise DomainError("round.state", "Chỉ công khai được đợt bình xét đang mở.")
    if not rnd.candidates.filter(nominated=True).exists():
        raise DomainError("round.no_nominees", "Chưa có đối tượng nào được đề nghị.")
    gaps = dossier_gaps(rnd)
    if gaps:
        raise DomainError("round.dossier_incomplete", "Hồ sơ chưa đủ: " + "; ".join(gaps[:10]))
    n = required_disclosure_days(rnd)
    if n <= 0:
        raise DomainError("round.no_disclosure", "Các danh hiệu của đợt không yêu cầu công khai; trình Hội đồng.")
    cal = work_calendar()
    start = start or timezone.localdate()
    dates_ok(**{"Ngày bắt đầu công khai": start})
    if not cal.is_working_day(start):
        start = cal.add_working_days(start, 1)
    with transaction.atomic():
        rnd = Round.objects.select_for_update().get(pk=rnd.pk)
        before = model_snapshot(rnd)
        rnd.state = RoundState.DISCLOSURE
        rnd.disclosure_working_days = n
        rnd.disclosure_start = start
        rnd.disclosure_end = cal.add_working_days(start, n - 1)
        rnd.save(update_fields=["state", "disclosure_working_days", "disclosure_start", "disclosure_end"])
        audit_record(action="transition:disclose", obj=rnd, before=before, after=model_snapshot(rnd), actor=actor)
    return rnd


def round_submit(*, actor: Any, round: Round, on: dt.date | None = None) -> Round:  # noqa: A002
    """Hand the nominees to the emulation council: after the disclosure period when one is required."""
    rnd = round
    check(actor, Action.EMULATION_MANAGE, rnd.unit)
    on = on or timezone.localdate()
    if rnd.state == RoundState.OPEN:
        days = required_disclosure_days(rnd)
        if days > 0:
            raise DomainError("round.disclosure_required",
                              f"Phải công khai danh sách {days} ngày làm việc trước khi trình Hội đồng.")
        if not rnd.candidates.filter(nominated=True).exists():
            raise DomainError("round.no_nominees", "Chưa có đối tượng nào được đề nghị.")
        gaps = dossier_gaps(rnd)
        if gaps:
            raise DomainError("round.dossier_incomplete", "Hồ sơ chưa đủ: " + "; ".join(gaps[:10]))
    elif rnd.state == RoundState.DISCLOSURE:
        if rnd.disclosure_end and on <= rnd.disclosure_end:
            raise DomainError("round.disclosure_running",
                              f"Đang công khai đến hết ngày {rnd.disclosure_end:%d/%m/%Y}: chưa trình Hội đồng được.")
    else:
        raise DomainError("round.state", "Đợt bình xét đã trình Hội đồng hoặc đã kết thúc.")
    with transaction.atomic():
        rnd = Round.objects.select_for_update().get(pk=rnd.pk)
        before = model_snapshot(rnd)
        rnd.state = RoundState.COUNCIL
        rnd.save(update_fields=["state"])
        audit_record(action="transition:submit", obj=rnd, before=before, after=model_snapshot(rnd), actor=actor)
    return rnd
