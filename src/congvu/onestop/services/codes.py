"""Dossier codes: the receiving unit's identifier, and gapless numbering per unit and day."""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection

from congvu import dbwrite
from congvu.onestop.models import DossierCodeCounter, UnitProfile
from congvu.onestop.rules import OnestopRules, rules_for
from congvu.org.models import Unit

# ------------------------------------------------------------------------------------------------
# Dossier codes (TT 01/2018 Điều 19; §2.5)
# ------------------------------------------------------------------------------------------------

_PREFIX_OK = re.compile(r"^[0-9A-Z]{2,3}(\.[0-9A-Z]{2,3}){0,3}$")


def _derived_prefix(unit: Unit) -> str:
    raw = re.sub(r"[^0-9A-Z]+", ".", (unit.code or str(unit.pk)).upper()).strip(".")
    return raw if _PREFIX_OK.match(raw) else raw or str(unit.pk)


def unit_code_prefix(unit: Unit) -> str:
    """The receiving unit's identifier code: the one-stop profile's, else derived from `unit.code`."""
    profile = UnitProfile.objects.filter(unit=unit).values_list("identifier_code", flat=True).first()
    return profile or _derived_prefix(unit)


_ALLOCATE_SQL: dict[str, str] = {}


def dossier_code_allocate(*, unit: Unit, day: dt.date, rules: OnestopRules | None = None) -> str:
    """Next code `<unit>-YYMMDD-NNNN` for `unit` on `day`: gapless and unique under concurrency.

    One statement: `INSERT … ON CONFLICT (unit, period) DO UPDATE SET last_seq = last_seq + 1
    RETURNING last_seq` (with the unit's identifier code read in the same statement). It runs in the
    caller's transaction, so the counter row stays locked until that transaction ends and a
    rolled-back receipt gives its number back: no gap, no duplicate.
    """
    rules = rules or rules_for(day)
    period = day.strftime("%y%m%d")
    sql = _ALLOCATE_SQL.get(connection.vendor)
    if sql is None:
        qn = connection.ops.quote_name
        table, profiles = qn(DossierCodeCounter._meta.db_table), qn(UnitProfile._meta.db_table)
        sql = _ALLOCATE_SQL[connection.vendor] = (
            f"INSERT INTO {table} (unit_id, period, last_seq) VALUES (%s, %s, 1) "
            f"ON CONFLICT (unit_id, period) DO UPDATE SET last_seq = {table}.last_seq + 1 "
            f"RETURNING last_seq, (SELECT identifier_code FROM {profiles} WHERE unit_id = %s ORDER BY id LIMIT 1)")
    # Autocommit outside a transaction: the statement is its own transaction, as before.
    seq, profile = dbwrite.fetchone(sql, [unit.pk, period, unit.pk])
    return rules.code_format.format(prefix=profile or _derived_prefix(unit), yymmdd=period, seq=seq,
                                    digits=rules.code_seq_digits)


CODE_RE = re.compile(r"^(?P<unit>[0-9A-Z]{2,3}(\.[0-9A-Z]{2,3}){0,3})-(?P<date>\d{6})-(?P<seq>\d{4,7})$")
