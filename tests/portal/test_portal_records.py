"""Sync records are written in the dossier change's own transaction, in national field names."""

import pytest
from django.db import transaction

from congvu.onestop import services as s
from congvu.portal.mapping import payload_build, payload_correct, sync_spec_for, sync_specs
from congvu.portal.models import SyncRecord, SyncState

pytestmark = pytest.mark.django_db


def test_receipt_writes_a_record_in_national_names(receive):
    d = receive(applicant_id_number="001090012345")
    [r] = SyncRecord.objects.filter(dossier=d)
    assert (r.sequence, r.kind, r.state) == (1, "receive", SyncState.PENDING)
    p = r.payload
    assert p["MaHoSo"] == d.code and p["MaTTHC"] == "1.000893"
    assert p["NgayTiepNhan"].startswith(d.received_at.date().isoformat()[:4])
    assert p["NgayHenTra"] and p["NgayKetThucXuLy"] is None
    assert p["KenhThucHien"] == 1 and p["TrangThaiHoSo"] == "1"
    assert p["DuocThanhToanTrucTuyen"] == 0
    assert r.key.endswith(f"-{d.pk}-1") and r.spec_version == "dvcqg-sync-2025.07"


def test_every_change_in_order(receive):
    d = receive()
    s.dossier_transfer(dossier=d)
    s.dossier_request_supplement(dossier=d, items="Bản sao giấy khai sinh")
    s.dossier_supplement_received(dossier=d)
    s.dossier_step_complete(dossier=d)
    s.dossier_record_result(dossier=d)
    s.dossier_return(dossier=d)
    kinds = list(SyncRecord.objects.filter(dossier=d).order_by("sequence").values_list("kind", "sequence"))
    assert kinds == [("receive", 1), ("transfer", 2), ("request_supplement", 3), ("supplement_received", 4),
                     ("step_complete", 5), ("record_result", 6), ("return_result", 7)]
    last = SyncRecord.objects.get(dossier=d, sequence=7).payload
    assert last["TrangThaiHoSo"] == "5" and last["NgayKetThucXuLy"] and last["NgayTraKetQua"]


@pytest.mark.parametrize("exit_kind", ["stop", "withdraw", "refuse"])
def test_exits_carry_the_reason(receive, exit_kind):
    d = receive()
    fn = {"stop": s.dossier_stop, "withdraw": s.dossier_withdraw, "refuse": s.dossier_refuse}[exit_kind]
    fn(dossier=d, reason="Công dân đề nghị")
    r = SyncRecord.objects.get(dossier=d, sequence=2)
    assert r.kind == exit_kind and r.payload["LyDo"] == "Công dân đề nghị" and r.payload["NgayKetThucXuLy"]


def test_rolled_back_change_leaves_no_record(receive):
    d = receive()
    with pytest.raises(RuntimeError), transaction.atomic():
        s.dossier_transfer(dossier=d)
        raise RuntimeError
    assert SyncRecord.objects.filter(dossier=d).count() == 1


def test_guidance_and_refusal_at_receipt_are_not_synced(desk, procedure):
    g = s.dossier_guidance_create(procedure=procedure, unit=desk, applicant_name="Lê Văn Hùng")
    s.dossier_refuse_at_receipt(dossier=g, reason="Không thuộc thẩm quyền")
    assert not SyncRecord.objects.filter(dossier=g).exists()
    g2 = s.dossier_guidance_create(procedure=procedure, unit=desk, applicant_name="Lê Văn Hùng")
    s.dossier_accept_guided(dossier=g2)
    assert list(SyncRecord.objects.filter(dossier=g2).values_list("kind", flat=True)) == ["receive"]


def test_payment_online_sets_duoc_thanh_toan(receive):
    from congvu.onestop.hooks import DossierChange, dossier_changed

    d = receive()
    with transaction.atomic():
        dossier_changed(DossierChange(dossier=d, kind="payment", at=d.received_at, data={"method": "online"}))
    s.dossier_transfer(dossier=d)
    recs = {r.kind: r.payload for r in SyncRecord.objects.filter(dossier=d)}
    assert recs["payment"]["DuocThanhToanTrucTuyen"] == 2 and recs["transfer"]["DuocThanhToanTrucTuyen"] == 2


def test_spec_marks_unconfirmed_names():
    spec = sync_spec_for(__import__("datetime").date(2026, 1, 1))
    assert "MaHoSo" in spec.unconfirmed and "NgayTiepNhan" not in spec.unconfirmed
    assert len(sync_specs()) >= 1
    p = payload_build({"state": "received", "paid_online": False}, spec)
    assert p["TrangThaiHoSo"] == "1" and p["NgayTiepNhan"] is None


def test_correction_only_of_known_fields():
    with pytest.raises(ValueError, match="MaXYZ"):
        payload_correct({"MaTTHC": "1"}, {"MaXYZ": "2"})
    assert payload_correct({"MaTTHC": "1", "KenhThucHien": 1}, {"MaTTHC": " 2 ", "KenhThucHien": "2"}) == {
        "MaTTHC": "2", "KenhThucHien": 2}
