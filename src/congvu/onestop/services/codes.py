"""Dossier codes: the receiving unit's identifier, and gapless numbering per unit and day."""

from __future__ import annotations

import datetime as dt
import re

from django.db import IntegrityError, transaction

from congvu.onestop.models import DossierCodeCounter, UnitProfile
from congvu.onestop.rules import OnestopRules, rules_for
from congvu.org.models import Unit

# ------------------------------------------------------------------------------------------------
# Dossier codes (TT 01/2018 Điều 19; §2.5)
# ------------------------------------------------------------------------------------------------

_PREFIX_OK = re.compile(r"^[0-9A-Z]{2,3}(\.[0-9A-Z]{2,3}){0,3}$")


def unit_code_prefix(unit: Unit) -> str:
    """The receiving unit's identifier code: the one-stop profile's, else derived from `unit.code`."""
    profile = UnitProfile.objects.filter(unit=unit).values_list("identifier_code", flat=True).first()
    if profile:
        return profile
    raw = re.sub(r"[^0-9A-Z]+", ".", (unit.code or str(unit.pk)).upper()).strip(".")
    return raw if _PREFIX_OK.match(raw) else raw or str(unit.pk)


def dossier_code_allocate(*, unit: Unit, day: dt.date, rules: OnestopRules | None = None) -> str:
    """Next code `<unit>-YYMMDD-NNNN` for `unit` on `day`: gapless and unique under concurrency.

    Runs inside the caller's transaction when there is one, so a rolled-back receipt gives its
    number back. The counter row is locked (SELECT ... FOR UPDATE) until the transaction ends.
    """
    rules = rules or rules_for(day)
    period = day.strftime("%y%m%d")
    with transaction.atomic():
        counter = DossierCodeCounter.objects.select_for_update().filter(unit=unit, period=period).first()
        if counter is None:
            try:
                with transaction.atomic():
                    DossierCodeCounter.objects.create(unit=unit, period=period, last_seq=0)
            except IntegrityError:
                pass  # created meanwhile by a concurrent receipt
            counter = DossierCodeCounter.objects.select_for_update().get(unit=unit, period=period)
        counter.last_seq += 1
        counter.save(update_fields=["last_seq"])
    return rules.code_format.format(prefix=unit_code_prefix(unit), yymmdd=period, seq=counter.last_seq,
                                    digits=rules.code_seq_digits)


CODE_RE = re.compile(r"^(?P<unit>[0-9A-Z]{2,3}(\.[0-9A-Z]{2,3}){0,3})-(?P<date>\d{6})-(?P<seq>\d{4,7})$")
