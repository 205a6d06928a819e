"""Reads of the audit trail that other apps (the web audit browser) call."""

from __future__ import annotations

from django.db import connection

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
