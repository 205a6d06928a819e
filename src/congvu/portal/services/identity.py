"""Identity at receipt against the population database (Seed 004 §2.4; QĐ 766 leaf 4.5).

- `population_lookup` (the desk's / online form's "fill from the ID number"): asks the provider,
  keeps the answer a short while (`PopulationLookup`) and audits who looked up which number.
- `identity_check_row` / `identity_check_at_receipt` (inside the receipt's transaction; the dossier
  listener writes the row with the sync cursor and record in one statement): never calls the network. A recent answer for the number marks the dossier verified, mismatch or unknown;
  without one (provider down, never looked up) it is "unverified", to be checked later.
- `identity_recheck` / `identity_check_dossier`: the later check, outside any dossier transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from congvu import dbwrite
from congvu.audit.services import audit_record, model_snapshot
from congvu.common.text import clean
from congvu.onestop.models import Dossier
from congvu.portal import conf
from congvu.portal.models import IdentityCheck, IdentityState, PopulationLookup, SyncDossier
from congvu.portal.population import Citizen, PopulationUnavailable, get_population_provider
from congvu.portal.population.idnumber import id_number_check
from congvu.portal.services.counters import identity_verified_count


@dataclass(frozen=True)
class LookupOutcome:
    status: str  # found | unknown | invalid | unavailable
    id_number: str
    message: str
    citizen: Citizen | None = None

    def as_dict(self, *, with_data: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {"status": self.status, "id_number": self.id_number, "message": self.message}
        if self.citizen is not None and with_data:
            out.update(full_name=self.citizen.full_name, birth_date=self.citizen.birth_date.isoformat(),
                       birth_date_display=self.citizen.birth_date.strftime("%d/%m/%Y"),
                       permanent_address=self.citizen.permanent_address)
        return out


def names_match(a: str, b: str) -> bool:
    """Same name, case and spacing aside; accents count (“Lan” is not “Lân”)."""
    return " ".join(clean(a or "").split()).casefold() == " ".join(clean(b or "").split()).casefold()


def _mask(id_number: str) -> str:
    return id_number[:3] + "******" + id_number[-3:] if len(id_number) == 12 else id_number


def population_lookup(*, id_number: str, actor: Any = None, channel: str = "desk") -> LookupOutcome:
    """Ask the population-data provider. Never raises for a bad number or a provider outage: the
    outcome says so (the desk goes on and the dossier is checked later)."""
    check = id_number_check(id_number)
    if not check.ok:
        return LookupOutcome("invalid", check.value, check.message)
    try:
        provider = get_population_provider()
        citizen = provider.lookup(check.value)
    except (PopulationUnavailable, KeyError) as exc:
        msg = str(exc) if isinstance(exc, PopulationUnavailable) else "Chưa cấu hình CSDL dân cư."
        return LookupOutcome("unavailable", check.value,
                             f"{msg} Vẫn tiếp nhận được hồ sơ; danh tính sẽ được kiểm tra lại sau.")
    now = timezone.now()
    with transaction.atomic():
        PopulationLookup.objects.update_or_create(id_number=check.value, defaults={
            "provider": provider.key, "found": citizen is not None,
            "full_name": citizen.full_name if citizen else "",
            "birth_date": citizen.birth_date if citizen else None,
            "permanent_address": citizen.permanent_address if citizen else "", "looked_up_at": now})
        audit_record(action="portal:population_lookup", object_type="portal.populationlookup",
                     object_id=_mask(check.value), actor=actor,
                     note=f"{channel}: {'found' if citizen else 'unknown'}")
    if citizen is None:
        return LookupOutcome("unknown", check.value,
                             "Không tìm thấy số định danh này trong CSDL dân cư. Kiểm tra lại giấy tờ của người nộp.")
    return LookupOutcome("found", check.value, "Đã lấy thông tin từ CSDL dân cư.", citizen)


def _judge(row: IdentityCheck, applicant_name: str, citizen: Citizen | None, found: bool, provider: str) -> None:
    row.provider = provider
    row.checked_at = timezone.now()
    if not found or citizen is None:
        row.state, row.differences = IdentityState.UNKNOWN, []
        row.message = "Số định danh không có trong CSDL dân cư."
        row.full_name, row.birth_date, row.permanent_address = "", None, ""
        return
    row.full_name, row.birth_date, row.permanent_address = citizen.full_name, citizen.birth_date, citizen.permanent_address
    if names_match(applicant_name, citizen.full_name):
        row.state, row.differences, row.message = IdentityState.VERIFIED, [], "Khớp họ tên với CSDL dân cư."
    else:
        row.state = IdentityState.MISMATCH
        row.differences = [{"field": "applicant_name", "dossier": applicant_name, "population": citizen.full_name}]
        row.message = f"Họ tên trên hồ sơ “{applicant_name}” khác CSDL dân cư “{citizen.full_name}”."


def identity_check_at_receipt(d: Dossier) -> IdentityCheck:
    """In the receipt's transaction; no network."""
    return dbwrite.insert(identity_check_row(d))


def identity_check_row(d: Dossier) -> IdentityCheck:
    """The receipt's identity check, not saved yet (the receipt writes it with its other rows)."""
    row = IdentityCheck(dossier_id=d.pk, unit_id=d.unit_id, received_day=timezone.localtime(d.received_at).date(),
                        id_number=d.applicant_id_number or "")
    check = id_number_check(d.applicant_id_number or "")
    if not (d.applicant_id_number or "").strip():
        row.state, row.message = IdentityState.NOT_PROVIDED, "Hồ sơ không ghi số định danh cá nhân."
    elif not check.ok:
        row.state, row.message = IdentityState.INVALID, check.message
    else:
        row.id_number = check.value
        ttl = dt.timedelta(seconds=int(conf.get("CONGVU_POPULATION_LOOKUP_TTL")))
        hit = PopulationLookup.objects.filter(id_number=check.value, looked_up_at__gte=timezone.now() - ttl).first()
        if hit is None:
            row.state = IdentityState.UNVERIFIED
            row.message = "Chưa đối chiếu được với CSDL dân cư (chưa tra cứu hoặc CSDL không phản hồi); sẽ kiểm tra lại."
        else:
            citizen = Citizen(hit.id_number, hit.full_name, hit.birth_date, hit.permanent_address) if hit.found else None
            _judge(row, d.applicant_name, citizen, hit.found, hit.provider)
    identity_verified_count(row, d)  # 766 4.5 counter, in the receipt's transaction (the row is saved by the caller)
    return row


def identity_check_dossier(*, actor: Any = None, dossier: Dossier) -> IdentityCheck:
    """Check (again) now: for an unverified dossier, or after the applicant's details were corrected."""
    if actor is not None:
        from congvu.org.policy import require
        from congvu.org.roles import Action

        require(actor, Action.DOSSIER_PROCESS, dossier)
    d = Dossier.objects.get(pk=dossier.pk)
    row = IdentityCheck.objects.filter(dossier=d).first()
    if row is None:
        with transaction.atomic():
            row = identity_check_at_receipt(d)
    outcome = population_lookup(id_number=d.applicant_id_number, actor=actor, channel="recheck")
    with transaction.atomic():
        row = IdentityCheck.objects.select_for_update().get(pk=row.pk)
        before = model_snapshot(row)
        row.attempts += 1
        if outcome.status == "invalid":
            row.state, row.message = IdentityState.INVALID, outcome.message
        elif outcome.status == "unavailable":
            row.state, row.message = IdentityState.UNVERIFIED, outcome.message
        else:
            _judge(row, d.applicant_name, outcome.citizen, outcome.status == "found", conf.get("CONGVU_POPULATION_PROVIDER"))
        identity_verified_count(row, d)  # first verification: 766 4.5 counter, in this transaction
        row.save()
        SyncDossier.objects.filter(dossier_id=d.pk).update(population_verified=row.state == IdentityState.VERIFIED)
        audit_record(action="portal:identity_check", obj=row, before=before, after=model_snapshot(row), actor=actor)
    return row


def identity_recheck(*, limit: int = 200) -> dict[str, int]:
    """Check the unverified dossiers again (the worker does it in its loop); stops at the first outage."""
    out = {"checked": 0, "verified": 0, "still_unverified": 0}
    for row in IdentityCheck.objects.filter(state=IdentityState.UNVERIFIED).order_by("attempts", "id")[:limit]:
        row = identity_check_dossier(dossier=row.dossier)
        out["checked"] += 1
        out["verified"] += row.state == IdentityState.VERIFIED
        if row.state == IdentityState.UNVERIFIED:
            break
    out["still_unverified"] = IdentityCheck.objects.filter(state=IdentityState.UNVERIFIED).count()
    return out


def population_lookups_purge(*, today: dt.date | None = None) -> int:
    """Daily job: forget population answers older than CONGVU_POPULATION_LOOKUP_TTL (they were kept only
    to mark receipts verified without a network call); the dossiers keep their own IdentityCheck."""
    ttl = dt.timedelta(seconds=int(conf.get("CONGVU_POPULATION_LOOKUP_TTL")))
    deleted, _ = PopulationLookup.objects.filter(looked_up_at__lt=timezone.now() - ttl).delete()
    return deleted
