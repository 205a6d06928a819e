"""Issue 14: every counter the 766 and the dashboards publish is kept in the change's own transaction,
and the rebuild from rows gives exactly the live counters, for random histories (receipts on any
channel, supplements, results early / late, stops, withdrawals, refusals at the desk, online
payments, ratings with criteria and dislikes, PAKN answered on time or late, PAKN left open).

The figures read from the counters also equal the same figures recomputed from the rows."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congvu.citizen import services as cs
from congvu.citizen.models import Rating
from congvu.citizen.selectors import satisfaction_stats, satisfaction_stats_from_rows
from congvu.metrics.selectors import metric_values
from congvu.onestop import services as s
from congvu.onestop.selectors import onestop_stats, onestop_stats_from_rows
from congvu.payments import services as ps
from congvu.payments.providers import get_provider
from factories import make_unit

VN = ZoneInfo("Asia/Ho_Chi_Minh")
START = dt.datetime(2024, 3, 4, 7, 0, tzinfo=VN)  # a Monday

dossier_plan = st.fixed_dictionaries({
    "paid_proc": st.booleans(),
    "channel": st.sampled_from(["in_person", "online", "postal", "phone"]),
    "day": st.integers(0, 4),
    "hour": st.integers(0, 15),
    "start": st.sampled_from(["receive", "receive", "receive", "guidance", "refuse_at_receipt"]),
    "digitized": st.booleans(),
    "pay": st.booleans(),
    "supplement": st.booleans(),
    "end": st.sampled_from(["open", "result", "result", "stop", "withdraw"]),
    "finish_days": st.integers(0, 12),
    "e_result": st.booleans(),
    "rating": st.one_of(st.none(), st.tuples(st.integers(0, 2), st.integers(0, 2), st.booleans())),
    "complaint": st.sampled_from([None, "open", "on_time", "late"]),
})


@pytest.fixture
def world(commune):
    desk_a = make_unit("Một cửa A", kind="onestop_desk", parent=commune)
    desk_b = make_unit("Một cửa B", kind="onestop_desk", parent=commune)
    field = s.field_get_or_create(code="HT", name="Hộ tịch")
    paid = s.procedure_create(code="1.000893", name="Kết hôn", field=field, level="commune", processing_time=3,
                              online_level="full", fee_amount=50000,
                              steps=[{"name": "Thẩm định", "share": "1"}])
    free = s.procedure_create(code="1.001193", name="Khai sinh", field=field, level="commune", processing_time=2,
                              online_level="partial", requires_written_result=False)
    return {"desks": [desk_a, desk_b], "paid": paid, "free": free, "commune": commune}


def _pay_online(dossier, at) -> None:
    payment, _ = ps.payment_start(dossier=dossier)
    data = get_provider("demo").build_callback(payment, status="succeeded")
    decision = ps.payment_callback_receive(provider="demo", data=data)
    assert decision.ok, decision.reason


def _play(world, i: int, plan: dict) -> None:
    unit = world["desks"][i % 2]
    proc = world["paid"] if plan["paid_proc"] else world["free"]
    at = START + dt.timedelta(days=plan["day"], hours=plan["hour"], minutes=i)
    kw = {"procedure": proc, "unit": unit, "applicant_name": f"Nguyễn Văn {i}", "channel": plan["channel"]}
    if plan["start"] == "guidance":
        s.dossier_guidance_create(**kw, at=at)
        return
    if plan["start"] == "refuse_at_receipt":
        g = s.dossier_guidance_create(**kw, at=at)
        s.dossier_refuse_at_receipt(dossier=g, reason="Thiếu giấy tờ theo quy định", at=at)
        return
    d = s.dossier_receive(**kw, received_at=at, digitized_components=plan["digitized"])
    if plan["pay"] and plan["paid_proc"]:
        _pay_online(d, at)
        d.refresh_from_db()
    d = s.dossier_transfer(dossier=d, at=at + dt.timedelta(minutes=30))
    t = at + dt.timedelta(hours=1)
    if plan["supplement"]:
        d = s.dossier_request_supplement(dossier=d, items="Bản sao giấy tờ", at=t)
        t += dt.timedelta(days=1)
        d = s.dossier_supplement_received(dossier=d, at=t)
    end_at = t + dt.timedelta(days=plan["finish_days"])
    if plan["end"] == "open":
        pass
    elif plan["end"] == "stop":
        d = s.dossier_stop(dossier=d, reason="Dừng theo đề nghị", at=end_at)
    elif plan["end"] == "withdraw":
        d = s.dossier_withdraw(dossier=d, reason="Rút hồ sơ", at=end_at)
    else:
        d = s.dossier_record_result(dossier=d, at=end_at, e_result=plan["e_result"],
                                    digitized_result=plan["e_result"])
        d = s.dossier_return(dossier=d, at=end_at + dt.timedelta(hours=1))
        if plan["rating"] is not None:
            overall, score, answer_online = plan["rating"]
            cs.rating_invitation_create(d, at=end_at + dt.timedelta(hours=1), notify=False)
            rating = Rating.objects.get(dossier=d)
            scores = {c.key: score for c in cs.criteria.ASKED}
            if not answer_online:
                scores["online"] = None
            cs.rating_submit(token=cs.rating_token(rating), overall=overall, scores=scores,
                             at=end_at + dt.timedelta(hours=2))
    if plan["complaint"] is not None:
        c = cs.complaint_create(kind="complaint", text="Cán bộ hẹn nhiều lần chưa giải quyết", contact_name="Nguyễn A",
                                dossier=d, at=at + dt.timedelta(hours=3))
        if plan["complaint"] != "open":
            answer_at = at + dt.timedelta(days=2 if plan["complaint"] == "on_time" else 40)
            cs.complaint_answer(actor=None, complaint=c, answer="Đã chấn chỉnh cán bộ", at=answer_at)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(plans=st.lists(dossier_plan, min_size=1, max_size=8))
@pytest.mark.django_db
def test_rebuild_equals_live_counters_for_random_histories(world, plans):
    for i, plan in enumerate(plans):
        _play(world, i, plan)
    live = s.counters_snapshot()
    figures_live = _figures(world)
    s.onestop_rollups_rebuild()
    assert s.counters_snapshot() == live
    assert _figures(world) == figures_live
    # what the counters publish equals what the rows say
    commune = world["commune"]
    period = {"unit": commune, "date_from": dt.date(2024, 3, 1), "date_to": dt.date(2024, 5, 31),
              "now": START + dt.timedelta(days=20)}
    assert onestop_stats(**period) == onestop_stats_from_rows(**period)
    ids = [u.pk for u in world["desks"]] + [commune.pk]
    for now in (START + dt.timedelta(days=3), START + dt.timedelta(days=60)):
        args = (ids, dt.date(2024, 3, 1), dt.date(2024, 3, 31))
        assert satisfaction_stats(*args, now=now) == satisfaction_stats_from_rows(*args, now=now)


def _figures(world) -> dict:
    names = ["onestop.received", "onestop.full_online_rate", "onestop.late_rate", "payments.online_payment_rate",
             "citizen.satisfaction_rate", "citizen.pakn_on_time_rate", "citizen.rating_count",
             "citizen.rating_online_rate", "citizen.rating_attitude_rate"]
    return metric_values(names=names, units=[world["commune"], *world["desks"]], date_from=dt.date(2024, 3, 1),
                         date_to=dt.date(2024, 4, 30), now=START + dt.timedelta(days=30))


@pytest.mark.django_db
def test_rebuild_command_checks_and_repairs(world):
    from io import StringIO

    from django.core.management import CommandError, call_command

    from congvu.onestop.models import DailyRollup

    _play(world, 0, {"paid_proc": True, "channel": "online", "day": 0, "hour": 2, "start": "receive",
                     "digitized": True, "pay": True, "supplement": False, "end": "result", "finish_days": 9,
                     "e_result": True, "rating": (0, 1, True), "complaint": "late"})
    live = s.counters_snapshot()
    assert {name for (_u, _d, name) in live} >= {"received", "late_received", "fee_bearing", "paid_online",
                                                   "flagged", "pakn_received", "pakn_handled", "rating_count",
                                                   "rating_attitude_n", "rating_attitude_ok"}
    DailyRollup.objects.filter(received__gt=0).update(received=99)
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("onestop", "rebuild-rollups", "--check", stdout=out)
    assert "received: 99 → 1" in out.getvalue()
    assert DailyRollup.objects.filter(received=99).exists()  # --check changed nothing
    call_command("onestop", "rebuild-rollups", stdout=out)
    assert s.counters_snapshot() == live
