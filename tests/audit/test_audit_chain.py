"""The audit trail is append-only and hash-chained: editing or deleting a row in SQL is found."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from congvu.audit.chain import GENESIS, entry_digest, verify_chain
from congvu.audit.models import AuditEntry
from congvu.audit.services import audit_chain_verify, audit_record


def _payloads(texts):
    rows, prev = [], GENESIS
    for i, t in enumerate(texts, start=1):
        payload = {"seq": i, "note": t}
        h = entry_digest(prev, payload)
        rows.append((i, prev, h, payload))
        prev = h
    return rows


@given(st.lists(st.text(max_size=20), min_size=1, max_size=30), st.data())
def test_chain_pure_detects_any_single_edit(texts, data):
    rows = _payloads(texts)
    assert verify_chain(rows) is None
    idx = data.draw(st.integers(0, len(rows) - 1))
    seq, prev, h, payload = rows[idx]
    rows[idx] = (seq, prev, h, payload | {"note": payload["note"] + "x"})
    broken = verify_chain(rows)
    assert broken is not None and broken.seq == seq


@pytest.mark.django_db
def test_services_write_entries_with_actor_and_before_after(province):
    from congvu.org.services import unit_update
    from factories import UserFactory

    user = UserFactory(username="clerk1")
    unit_update(actor=user, unit=province, name="Tỉnh Quảng Ngãi (mới)")
    entry = AuditEntry.objects.filter(object_type="org.unit", action="update").last()
    assert entry.actor == user
    assert entry.before["name"] == "Tỉnh Quảng Ngãi"
    assert entry.after["name"] == "Tỉnh Quảng Ngãi (mới)"
    assert entry.object_id == str(province.pk)


@pytest.mark.django_db
def test_verify_finds_row_altered_in_sql(province):
    for i in range(5):
        audit_record(action="test", object_type="x.y", object_id=i, after={"i": i})
    assert audit_chain_verify() is None
    target = AuditEntry.objects.order_by("seq")[3]
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditentry SET note = %s WHERE seq = %s", ["sửa trộm", target.seq])
    broken = audit_chain_verify()
    assert broken is not None and broken.seq == target.seq
    with pytest.raises(CommandError, match=f"seq={target.seq}"):
        call_command("audit", "verify")


@pytest.mark.django_db
def test_verify_finds_deleted_row_and_deleted_tail(province):
    for i in range(4):
        audit_record(action="test", object_type="x.y", object_id=i)
    last_seq = AuditEntry.objects.order_by("-seq").first().seq
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditentry WHERE seq = %s", [last_seq])
    broken = audit_chain_verify()
    assert broken is not None and broken.seq == last_seq
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditentry WHERE seq = %s", [2])
    assert audit_chain_verify().seq == 2  # the first missing entry


@pytest.mark.django_db
def test_verify_command_ok(province, capsys):
    call_command("audit", "verify")
    assert "chain intact" in capsys.readouterr().out


@pytest.mark.django_db
def test_audit_entry_rolls_back_with_its_change(province):
    from django.db import transaction

    from congvu.org.services import unit_update

    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        unit_update(unit=province, name="Tên tạm")
        raise RuntimeError("boom")
    assert AuditEntry.objects.count() == before
    province.refresh_from_db()
    assert province.name == "Tỉnh Quảng Ngãi"
