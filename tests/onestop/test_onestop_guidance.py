"""Guidance before receipt and the check at the desk (§2.3 steps 0-1): a guided dossier waits in
"Chờ tiếp nhận" with a provisional code, is received later with its code and Mẫu 01; a dossier refused
at the desk (Mẫu 03) uses no code and stays out of the figures."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from congvu.common.errors import DomainError
from congvu.onestop import documents
from congvu.onestop import services as s
from congvu.onestop.models import DailyRollup, Dossier, ReceiptSlip, Refusal
from congvu.onestop.selectors import dossier_queue, onestop_stats, onestop_stats_from_rows
from factories import make_unit, make_user_with_role

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def T(*a):
    return dt.datetime(*a, tzinfo=VN)


@pytest.fixture
def desk(commune):
    return make_unit("Bộ phận một cửa xã Bình Thạnh", kind="onestop_desk", parent=commune, code="H55.01.12")


@pytest.fixture
def procedure(db):
    field = s.field_get_or_create(code="HT", name="Hộ tịch")
    return s.procedure_create(code="1.001193", name="Thủ tục đăng ký khai sinh", field=field, level="commune",
                              processing_time=3, components=[{"name": "Tờ khai", "originals": 1}])


def guide(procedure, desk, at, **kw):
    return s.dossier_guidance_create(procedure=procedure, unit=desk, applicant_name="Lê Thị Hướng",
                                     applicant_phone="0905000111", at=at, **kw)


def test_guidance_then_accept_gets_code_slip_and_clock_from_acceptance(procedure, desk):
    g = guide(procedure, desk, T(2024, 3, 4, 9, 0), note="Thiếu giấy chứng sinh, hẹn quay lại")
    assert g.state == "guidance" and g.code.startswith("HD-240304-") and not s.CODE_RE.match(g.code)
    assert not ReceiptSlip.objects.filter(dossier=g).exists()
    assert list(dossier_queue(qs=Dossier.objects.all(), tab="to_receive")) == [g]
    assert not DailyRollup.objects.filter(received__gt=0).exists()

    d = s.dossier_accept_guided(dossier=g, at=T(2024, 3, 6, 10, 0))
    assert d.state == "received" and d.code == "H55.01.12-240306-0001"
    assert d.received_at == T(2024, 3, 6, 10, 0) and d.due_at == T(2024, 3, 11, 17, 0)  # 3 working days
    assert ReceiptSlip.objects.get(dossier=d).content["code"] == d.code
    ev = d.events.order_by("at", "id")
    assert [e.transition for e in ev] == ["guidance", "receive"]
    assert ev[1].data["provisional_code"].startswith("HD-240304-")
    assert not dossier_queue(qs=Dossier.objects.all(), tab="to_receive").exists()
    figures = onestop_stats(unit=desk, date_from=dt.date(2024, 3, 1), date_to=dt.date(2024, 3, 31),
                            now=T(2024, 3, 7, 12, 0))
    assert figures["received"] == 1
    # The next receipt of the day continues the gapless numbering.
    d2 = s.dossier_receive(procedure=procedure, unit=desk, applicant_name="B", channel="in_person",
                           received_at=T(2024, 3, 6, 11, 0))
    assert d2.code == "H55.01.12-240306-0002"


def test_refuse_at_receipt_on_the_spot_uses_no_code_and_no_figures(procedure, desk):
    officer = make_user_with_role("onestop_officer", desk, "motcua")
    r = s.dossier_refuse_at_receipt(actor=officer, procedure=procedure, unit=desk, applicant_name="Trần Văn Từ",
                                    channel="in_person", reason="Thủ tục không thuộc thẩm quyền của xã",
                                    legal_basis="Điều 17 Nghị định 61/2018/NĐ-CP", at=T(2024, 3, 4, 9, 0))
    assert r.state == "refused" and r.receipt_refused and r.code.startswith("HD-")
    refusal = Refusal.objects.get(dossier=r)
    assert refusal.at_receipt and refusal.refused_by == officer
    assert not ReceiptSlip.objects.filter(dossier=r).exists()
    # Mẫu 03 renders, Mẫu 01 does not apply.
    data = documents.form_data_for(r, "03")
    forms = {f["form_no"]: f["applies"] for f in documents.available_forms(r)}
    assert forms.get("03") is True and not forms.get("01")
    assert data.at_receipt and data.signer_title == "Người tiếp nhận hồ sơ"
    assert b"%PDF" in documents.dossier_form_pdf(r, "03")[:8]
    # The next received dossier gets number 0001: no code was used up.
    d = s.dossier_receive(procedure=procedure, unit=desk, applicant_name="B", channel="in_person",
                          received_at=T(2024, 3, 4, 10, 0))
    assert d.code.endswith("-240304-0001")
    period = {"unit": desk, "date_from": dt.date(2024, 3, 1), "date_to": dt.date(2024, 3, 31), "now": T(2024, 3, 5)}
    figures = onestop_stats(**period)
    assert figures["received"] == 1 and figures["refused"] == 0
    assert onestop_stats_from_rows(**period) == figures
    s.onestop_rollups_rebuild()
    assert onestop_stats(**period) == figures


def test_guided_dossier_refused_at_receipt_and_received_one_cannot_be(procedure, desk):
    g = guide(procedure, desk, T(2024, 3, 4, 9, 0))
    r = s.dossier_refuse(dossier=g, reason="Hồ sơ giả mạo", at=T(2024, 3, 4, 9, 30))  # the desk action
    assert r.receipt_refused and Refusal.objects.get(dossier=g).at_receipt and r.verdict == ""
    d = s.dossier_receive(procedure=procedure, unit=desk, applicant_name="B", channel="in_person",
                          received_at=T(2024, 3, 4, 10, 0))
    with pytest.raises(DomainError) as exc:
        s.dossier_refuse_at_receipt(dossier=d, reason="x")
    assert exc.value.code == "dossier.already_received"
    with pytest.raises(DomainError):
        s.dossier_refuse_at_receipt(procedure=procedure, unit=desk, applicant_name="C", reason="  ")
    with pytest.raises(DomainError) as exc:
        s.dossier_accept_guided(dossier=d)
    assert exc.value.code == "dossier.transition_not_allowed"


def test_desk_pages_guidance_tab_accept_and_refusal(client, procedure, desk):
    officer = make_user_with_role("onestop_officer", desk, "motcua")
    client.force_login(officer)
    form = {"unit": desk.pk, "procedure": procedure.pk, "channel": "in_person", "applicant_name": "Phan Văn Chờ",
            "applicant_phone": "0988777666", "guidance_note": "Cần mang giấy chứng sinh"}
    r = client.post("/onestop/receive/", {**form, "intent": "guidance"}, follow=True)  # no component ticked
    g = Dossier.objects.get()
    assert r.status_code == 200 and g.state == "guidance" and g.events.get().note == "Cần mang giấy chứng sinh"
    r = client.get("/onestop/", {"tab": "to_receive"})
    assert f'data-code="{g.code}"' in r.content.decode()
    r = client.post(f"/onestop/d/{g.code}/receive/", {"receive-version": g.version}, follow=True)
    d = Dossier.objects.get()
    assert d.state == "received" and d.code == f"H55.01.12-{d.received_at.astimezone(VN):%y%m%d}-0001"
    assert r.redirect_chain[-1][0] == f"/onestop/d/{d.code}/"

    r = client.post("/onestop/receive/", {**form, "intent": "refuse"})
    assert r.status_code == 400 and "Cần nêu rõ lý do từ chối tiếp nhận" in r.content.decode()
    r = client.post("/onestop/receive/", {**form, "intent": "refuse", "refusal_reason": "Không thuộc thẩm quyền"},
                    follow=True)
    refused = Dossier.objects.get(receipt_refused=True)
    assert refused.state == "refused" and refused.refusal.at_receipt
    assert f"/onestop/d/{refused.code}/forms/03.pdf" in r.content.decode()
