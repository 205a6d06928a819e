"""Reconciliation with the portal: counts per unit × day compared, missing records queued again."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from congvu.audit.services import audit_record
from congvu.org.models import Unit
from congvu.org.selectors import unit_subtree
from congvu.portal import conf
from congvu.portal.models import SyncRecord, SyncState
from congvu.portal.providers import PortalProvider, get_provider

DELIVERED = (SyncState.ACKNOWLEDGED, SyncState.SENT)


@dataclass
class DayDiff:
    unit_code: str
    day: dt.date
    ours: int
    portal: int
    missing: list[str] = field(default_factory=list)  # keys we delivered that the portal lacks
    extra: int = 0


@dataclass
class ReconcileReport:
    days_checked: int = 0
    differing: list[DayDiff] = field(default_factory=list)
    requeued: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"days_checked": self.days_checked, "requeued": self.requeued,
                "differing": [{"unit": d.unit_code, "day": d.day.isoformat(), "ours": d.ours, "portal": d.portal,
                               "missing": d.missing, "extra": d.extra} for d in self.differing]}


def portal_reconcile(*, unit: Unit, date_from: dt.date, date_to: dt.date, provider: PortalProvider | None = None,
                     resend: bool = True, actor: Any = None) -> ReconcileReport:
    """Compare, for the unit and its subtree, records delivered per unit × day with what the portal
    holds; the keys the portal lacks go back to the queue (same key: stored once when they arrive)."""
    if date_to < date_from:
        raise ValueError("--to trước --from")
    provider = provider or get_provider(conf.get("CONGVU_PORTAL_PROVIDER"))
    unit_ids = list(unit_subtree(unit=unit).values_list("pk", flat=True))
    ours: dict[tuple[str, dt.date], int] = {}
    for row in (SyncRecord.objects.filter(unit_id__in=unit_ids, day__gte=date_from, day__lte=date_to,
                                          state__in=DELIVERED)
                .values("unit_code", "day").annotate(n=Count("id"))):
        ours[(row["unit_code"], row["day"])] = row["n"]
    codes = sorted({c for c, _ in ours} | set(SyncRecord.objects.filter(unit_id__in=unit_ids)
                                                  .values_list("unit_code", flat=True).distinct()))
    theirs = provider.counts(codes, date_from, date_to) if codes else {}
    report = ReconcileReport(days_checked=len(set(ours) | set(theirs)))
    for slot in sorted(set(ours) | set(theirs)):
        mine, portal = ours.get(slot, 0), theirs.get(slot, 0)
        if mine == portal:
            continue
        code, day = slot
        have = provider.keys(code, day)
        delivered = dict(SyncRecord.objects.filter(unit_id__in=unit_ids, unit_code=code, day=day, state__in=DELIVERED)
                         .values_list("key", "pk"))
        missing = sorted(set(delivered) - have)
        report.differing.append(DayDiff(code, day, mine, portal, missing, len(have - set(delivered))))
        if resend and missing:
            with transaction.atomic():
                n = SyncRecord.objects.filter(pk__in=[delivered[k] for k in missing], state__in=DELIVERED).update(
                    state=SyncState.PENDING, next_attempt_at=timezone.now(), acknowledged_at=None,
                    last_error="Đối soát: cổng không có bản ghi, gửi lại.")
                report.requeued += n
                audit_record(action="portal:reconcile_resend", object_type="portal.syncrecord",
                             object_id=f"{code}/{day.isoformat()}", actor=actor,
                             after={"missing": missing[:50], "ours": mine, "portal": portal})
    return report
