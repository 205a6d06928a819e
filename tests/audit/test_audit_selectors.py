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
