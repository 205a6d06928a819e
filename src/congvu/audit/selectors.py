"""Reads of the audit trail that other apps (the web audit browser) call."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet

from .models import AuditEntry

_FIELDS = {"action", "object_type"}


def audit_distinct_values(*, field: str) -> list[str]:
    """Every distinct value of `field` ("action" or "object_type") in the whole trail, in order.

    A skip scan written as a recursive query: each step asks the index for the next value above the last
    one, so the cost grows with the number of distinct values (a few dozen), not with the entries
    (millions at province scale), where ``SELECT DISTINCT`` reads the whole index. Both databases
    run it; the column is a fixed name checked above, never user input.
    """
    if field not in _FIELDS:
        raise ValueError(f"not a distinct-able audit field: {field}")
    table = AuditEntry._meta.db_table
    sql = (
        f"WITH RECURSIVE vals(v) AS ("
        f" SELECT MIN({field}) FROM {table}"
        f" UNION ALL"
        f" SELECT (SELECT MIN({field}) FROM {table} WHERE {field} > vals.v) FROM vals WHERE vals.v IS NOT NULL"
        f") SELECT v FROM vals WHERE v IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]


@dataclass(frozen=True)
class AuditPage:
    """One page of a trail, newest first, addressed by `seq` (keyset) rather than by page number.

    `newer`/`older` are the cursors of the neighbouring pages (None at either end). `count` is the number
    of matching entries up to `count_cap`; `count_capped` says there are more. A page number would make
    the database count and skip every entry before it, and at province scale the trail holds millions.
    """

    entries: list[AuditEntry]
    newer: int | None
    older: int | None
    count: int
    count_capped: bool

    @property
    def span(self) -> tuple[int, int] | None:
        """(newest seq, oldest seq) shown on this page, None when it is empty."""
        return (self.entries[0].seq, self.entries[-1].seq) if self.entries else None


def audit_page(qs: QuerySet[AuditEntry], *, before: int | None = None, after: int | None = None,
               size: int = 50, count_cap: int = 10_000) -> AuditPage:
    """The page of `qs` just older than `before`, or just newer than `after`, or the newest one."""
    if after is not None:
        # the page above a cursor: read upwards from it, then show newest first
        chunk = list(qs.filter(seq__gt=after).order_by("seq")[: size + 1])
        more_newer = len(chunk) > size
        entries = list(reversed(chunk[:size]))
        more_older = qs.filter(seq__lte=after).exists()
    else:
        page_qs = qs.filter(seq__lt=before) if before is not None else qs
        chunk = list(page_qs.order_by("-seq")[: size + 1])
        more_older = len(chunk) > size
        entries = chunk[:size]
        more_newer = before is not None and qs.filter(seq__gte=before).exists()
    counted = qs.order_by()[: count_cap + 1].count()
    newer = entries[0].seq if entries and more_newer else None
    if not entries and more_newer and before is not None:
        newer = before - 1  # a stale link past the oldest entry still leads back up
    return AuditPage(
        entries=entries,
        newer=newer,
        older=entries[-1].seq if entries and more_older else None,
        count=min(counted, count_cap),
        count_capped=counted > count_cap,
    )
