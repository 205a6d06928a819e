"""The audit browser's filter choices: the skip scan gives exactly what SELECT DISTINCT gives."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congvu.audit.models import AuditEntry
from congvu.audit.selectors import audit_distinct_values
from congvu.audit.services import audit_record

pytestmark = pytest.mark.django_db

_words = st.sampled_from(["create", "update", "delete", "transition:accept", "import", "login", "Đăng nhập", ""])
_types = st.sampled_from(["org.unit", "org.person", "onestop.dossier", "a", "z.z", "directives.task"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(_words, _types), max_size=25))
def test_distinct_values_equal_select_distinct(entries):
    AuditEntry.objects.all().delete()  # the chain head is not read here; each example starts empty
    for action, object_type in entries:
        audit_record(action=action, object_type=object_type, object_id=1)
    for field in ("action", "object_type"):
        expected = sorted(set(AuditEntry.objects.values_list(field, flat=True)))
        assert sorted(audit_distinct_values(field=field)) == expected


def test_only_known_fields():
    with pytest.raises(ValueError):
        audit_distinct_values(field="note; DROP TABLE audit_auditentry")


def _walk(qs, *, size):
    """Every page from the newest one, following `older`, then back up following `newer`."""
    from congvu.audit.selectors import audit_page

    down, page = [], audit_page(qs, size=size)
    down.append(page)
    while page.older is not None:
        page = audit_page(qs, before=page.older, size=size)
        down.append(page)
    up = [page]
    while page.newer is not None:
        page = audit_page(qs, after=page.newer, size=size)
        up.append(page)
    return down, up


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(0, 23), size=st.integers(1, 7), keep=st.sets(st.integers(0, 22)))
def test_keyset_pages_cover_the_trail_once_in_order(n, size, keep):
    """Walking the pages down and back up shows every matching entry exactly once, newest first, and the
    pages going up are the pages going down (so "Mới hơn" returns to the page one came from)."""
    from congvu.audit.selectors import audit_page

    AuditEntry.objects.all().delete()
    for i in range(n):
        audit_record(action="update" if i in keep else "create", object_type="org.unit", object_id=i)
    qs = AuditEntry.objects.filter(action="update")
    expected = list(qs.order_by("-seq").values_list("seq", flat=True))
    down, up = _walk(qs, size=size)
    assert [e.seq for p in down for e in p.entries] == expected
    assert all(len(p.entries) == size for p in down[:-1])
    assert [[e.seq for e in p.entries] for p in reversed(up)] == [[e.seq for e in p.entries] for p in down]
    assert all(p.count == len(expected) and not p.count_capped for p in down)
    assert down[0].newer is None and down[-1].older is None
    if expected:  # a stale link past the oldest entry: nothing, and the way back to the oldest page
        empty = audit_page(qs, before=min(expected), size=size)
        assert empty.entries == [] and empty.older is None
        assert [e.seq for e in audit_page(qs, after=empty.newer, size=size).entries] == expected[-size:]


def test_count_is_capped():
    from congvu.audit.selectors import audit_page

    for i in range(5):
        audit_record(action="create", object_type="org.unit", object_id=i)
    page = audit_page(AuditEntry.objects.all(), size=2, count_cap=3)
    assert (page.count, page.count_capped, len(page.entries)) == (3, True, 2)
    assert audit_page(AuditEntry.objects.all(), size=2, count_cap=5).count_capped is False
