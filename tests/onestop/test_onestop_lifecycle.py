"""Dossier lifecycle through the services: codes, slip, clock, supplement, apology, result, refusals,
optimistic locking, policy, audit, and roll-ups equal to a recomputation from rows."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from congvu.audit.models import AuditEntry
from congvu.common.errors import Conflict, DomainError, NotAllowed
from congvu.onestop import services as s
from congvu.onestop.models import DailyRollup, Dossier, ReceiptSlip
from congvu.onestop.selectors import onestop_stats, onestop_stats_from_rows
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
    return s.procedure_create(
        code="1.001193", name="Thủ tục đăng ký khai sinh", field=field, level="commune", processing_time=5,
        online_level="full", components=[{"name": "Tờ khai đăng ký khai sinh", "originals": 1}],
        steps=[{"name": "Tiếp nhận", "share": "0.2"}, {"name": "Thẩm định", "share": "0.6"},
               {"name": "Ký duyệt", "share": "0.2"}],
    )


def receive(procedure, desk, at, channel="in_person", **kw):
    return s.dossier_receive(procedure=procedure, unit=desk, applicant_name="Nguyễn Thị Hoa", channel=channel,
                             received_at=at, applicant_id_number="051190000123", **kw)


def test_receipt_code_slip_due_and_rule_version(procedure, desk):
    d = receive(procedure, desk, T(2024, 2, 7, 10, 0))
    assert d.code == "H55.01.12-240207-0001"
    assert s.CODE_RE.match(d.code)
    assert d.due_at == T(2024, 2, 21, 17, 0)  # 5 working days across Tết Giáp Thìn
    assert d.rule_version == "nd61-2018" and d.sync_channel == 1 and d.state == "received"
    assert d.search_key == "nguyen thi hoa 051190000123"
    slip = ReceiptSlip.objects.get(dossier=d)
    assert slip.content["due"] == "17 giờ 00 phút, ngày 21/02/2024"
    assert slip.content["components"][0]["name"] == "Tờ khai đăng ký khai sinh"
    d2 = receive(procedure, desk, T(2024, 2, 7, 15, 30), channel="online")
    assert d2.code.endswith("-240207-0002") and d2.sync_channel == 2
    d3 = receive(procedure, desk, T(2025, 7, 2, 9, 0))
    assert d3.code.endswith("-250702-0001") and d3.rule_version == "nd118-2025"
    assert AuditEntry.objects.filter(action="transition:receive", object_id=str(d.pk)).exists()


def test_full_path_with_supplement_and_steps(procedure, desk):
    d = receive(procedure, desk, T(2024, 3, 4, 8, 0))  # Mon; due Mon 11/03 17:00
    assert d.due_at == T(2024, 3, 11, 17, 0)
    s.dossier_transfer(dossier=d, at=T(2024, 3, 4, 9, 0))
    assert d.current_step.name == "Tiếp nhận"
    s.dossier_step_complete(dossier=d, at=T(2024, 3, 4, 11, 0))  # 2h of a 8h budget: early
    ev = d.events.get(transition="step_complete")
    assert ev.step_verdict == "early" and ev.data["allotted_seconds"] == 5 * 8 * 3600 // 5
    s.dossier_request_supplement(dossier=d, items="Bản sao giấy chứng sinh", at=T(2024, 3, 5, 9, 0))
    assert d.state == "supplement_requested"
    with pytest.raises(DomainError) as err:
        s.dossier_record_result(dossier=d, at=T(2024, 3, 5, 10, 0))
    assert err.value.code == "dossier.transition_not_allowed"
    s.dossier_supplement_received(dossier=d, at=T(2024, 3, 7, 9, 0))  # covers 06/03, 07/03
    assert d.state == "processing" and d.due_at == T(2024, 3, 13, 17, 0)
    with pytest.raises(DomainError) as err:
        s.dossier_request_supplement(dossier=d, items="Thêm giấy tờ", at=T(2024, 3, 7, 10, 0))
    assert err.value.code == "dossier.supplement_once" and "một lần" in err.value.message
    with pytest.raises(DomainError) as err:
        s.dossier_return(dossier=d, at=T(2024, 3, 8, 10, 0))
    assert "chưa có kết quả" in err.value.message
    # finished 12/03 10:00, 48h of supplement wait excluded ⇒ 10/03 10:00 < due date 11/03 ⇒ early
    s.dossier_record_result(dossier=d, at=T(2024, 3, 12, 10, 0), e_result=True, result_code="KS-12/2024")
    assert d.state == "result_ready" and d.verdict == "early"
    assert d.processing_seconds == (8 * 24 + 2) * 3600 - 48 * 3600
    s.dossier_return(dossier=d, at=T(2024, 3, 12, 14, 0))
    s.dossier_close(dossier=d, at=T(2024, 3, 12, 14, 5))
    assert list(d.events.values_list("transition", flat=True)) == [
        "receive", "transfer", "step_complete", "request_supplement", "supplement_received",
        "record_result", "return_result", "close"]
    row = DailyRollup.objects.get(unit=desk, day=dt.date(2024, 3, 12))
    assert (row.finished, row.early, row.e_results) == (1, 1, 1)


def test_late_dossier_and_apology_rules(procedure, desk):
    d = receive(procedure, desk, T(2024, 3, 4, 8, 0))  # due 11/03
    s.dossier_transfer(dossier=d, at=T(2024, 3, 4, 9, 0))
    with pytest.raises(DomainError) as err:  # Mon 11/03 is the due date itself: too late
        s.dossier_apologise(dossier=d, reason="Chờ xác minh", new_due_at=T(2024, 3, 14, 17, 0),
                            at=T(2024, 3, 11, 8, 0))
    assert err.value.code == "dossier.apology_too_late" and "11/03/2024" in err.value.message
    s.dossier_apologise(dossier=d, reason="Chờ xác minh", new_due_at=T(2024, 3, 14, 17, 0), at=T(2024, 3, 8, 16, 0))
    assert d.due_at == T(2024, 3, 14, 17, 0)
    with pytest.raises(DomainError) as err:
        s.dossier_apologise(dossier=d, reason="Lần nữa", new_due_at=T(2024, 3, 20, 17, 0), at=T(2024, 3, 11, 8, 0))
    assert err.value.code == "dossier.apology_once"
    s.dossier_record_result(dossier=d, at=T(2024, 3, 13, 9, 0))
    assert d.verdict == "late"  # an apology does not make a late dossier on time (766)


def test_withdraw_while_waiting_and_refusal(procedure, desk):
    d = receive(procedure, desk, T(2024, 3, 4, 8, 0))
    s.dossier_request_supplement(dossier=d, items="Tờ khai", at=T(2024, 3, 4, 9, 0))
    s.dossier_withdraw(dossier=d, reason="Công dân rút hồ sơ", at=T(2024, 4, 30, 9, 0))
    assert d.state == "withdrawn" and d.verdict == "early"  # the end is the request time (§1.3)
    d2 = receive(procedure, desk, T(2024, 3, 4, 8, 0))
    s.dossier_refuse(dossier=d2, reason="Không thuộc thẩm quyền", legal_basis="Điều 17 NĐ 61/2018",
                     at=T(2024, 3, 5, 8, 0))
    assert d2.state == "refused" and d2.refusal.legal_basis == "Điều 17 NĐ 61/2018"
    with pytest.raises(DomainError):
        s.dossier_transfer(dossier=d2, at=T(2024, 3, 5, 9, 0))


def test_stale_dossier_is_a_conflict(procedure, desk):
    d = receive(procedure, desk, T(2024, 3, 4, 8, 0))
    other = Dossier.objects.get(pk=d.pk)
    s.dossier_transfer(dossier=d, at=T(2024, 3, 4, 9, 0))
    with pytest.raises(Conflict) as err:
        s.dossier_withdraw(dossier=other, at=T(2024, 3, 4, 10, 0))
    assert err.value.status == 409 and "người khác" in err.value.message
    assert Dossier.objects.get(pk=d.pk).state == "transferred"


def test_policy_scope(procedure, desk, province):
    officer = make_user_with_role("onestop_officer", desk)
    d = receive(procedure, desk, T(2024, 3, 4, 8, 0), actor=officer)
    elsewhere = make_unit("Xã khác", kind="commune", parent=province)
    outsider = make_user_with_role("onestop_officer", elsewhere)
    with pytest.raises(NotAllowed):
        s.dossier_transfer(actor=outsider, dossier=d, at=T(2024, 3, 4, 9, 0))
    leader = make_user_with_role("unit_leader", desk)  # may view, not process
    with pytest.raises(NotAllowed):
        s.dossier_transfer(actor=leader, dossier=d, at=T(2024, 3, 4, 9, 0))
    s.dossier_transfer(actor=officer, dossier=d, at=T(2024, 3, 4, 9, 0))
    assert d.events.last().actor == officer


def test_rollup_equals_recomputation_and_rolls_up_the_tree(procedure, desk, commune, district):
    plan = [  # (received, channel, finish or None, digitized)
        (T(2024, 1, 3, 9, 0), "online", T(2024, 1, 5, 9, 0), True),
        (T(2024, 1, 3, 16, 0), "in_person", T(2024, 1, 20, 9, 0), False),
        (T(2024, 1, 31, 10, 0), "postal", None, True),
        (T(2024, 2, 1, 10, 0), "phone", T(2024, 2, 2, 9, 0), True),
    ]
    for at, channel, finish, digitized in plan:
        d = receive(procedure, desk, at, channel=channel, digitized_components=digitized)
        s.dossier_transfer(dossier=d, at=at + dt.timedelta(hours=1))
        if finish:
            s.dossier_record_result(dossier=d, at=finish, e_result=digitized)
    receive(procedure, commune, T(2024, 1, 10, 9, 0))
    now = T(2024, 3, 1, 9, 0)
    for unit in (desk, commune, district):
        live = onestop_stats(unit=unit, date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 2, 29), now=now)
        assert live == onestop_stats_from_rows(unit=unit, date_from=dt.date(2024, 1, 1),
                                               date_to=dt.date(2024, 2, 29), now=now)
    got = onestop_stats(unit=district, date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 2, 29), now=now)
    assert got["received"] == 5 and got["online"] == 2 and got["online_rate"] == 40.0
    assert (got["early"], got["on_time"], got["late"]) == (2, 0, 1)
    assert got["in_progress"] == 2 and got["overdue"] == 2  # open since January, now in March
    assert got["digitized"] == 2  # the postal one has no e-result yet
    january = onestop_stats(unit=desk, date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 1, 31), now=now)
    assert january["received"] == 3 and january["late"] == 1 and january["late_rate"] == 33.33
    s.onestop_rollups_rebuild()
    assert onestop_stats(unit=district, date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 2, 29), now=now) == got
