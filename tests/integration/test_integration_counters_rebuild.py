"""Issue 14: every counter the 766 and the dashboards publish is kept in the change's own transaction,
and the rebuild from rows gives exactly the live counters, for random histories (receipts on any
channel, supplements, results early / late, stops, withdrawals, refusals at the desk, online
payments, ratings with criteria and dislikes, PAKN answered on time or late, PAKN left open, the
national portal acknowledging, accepting then acknowledging, rejecting or losing records, identities
verified at receipt, mismatched, verified on a recheck).

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
    "identity": st.sampled_from([None, "match", "mismatch", "recheck"]),
    "portal": st.sampled_from([None, "ack", "accept", "reject", "requeue"]),
})

LOCAL_POPULATION = "congvu.portal.population.local.LocalPopulationProvider"


class StubPortal:
    """The national portal as a test double: what it answers for each dossier's records is the plan's."""

    key, label = "stub", "stub"

    def __init__(self):
        self.mode: dict[str, str] = {}
        self.feed: list = []

    def send(self, records):
        from congvu.portal.providers import Ack, SendResult

        out = []
        for r in records:
            mode = self.mode.get(r.dossier)
            if mode is None:
                out.append(SendResult(r.key, "accepted"))  # accepted, never acknowledged
            elif mode == "accept":
                out.append(SendResult(r.key, "accepted"))
                self.feed.append(Ack(r.key, "acknowledged"))
            elif mode == "reject":
                out.append(SendResult(r.key, "rejected", reason="Sai mã TTHC"))
            else:
                out.append(SendResult(r.key, "acknowledged"))
        return out

    def acks(self, after):
        start = int(after or 0)
        return self.feed[start:], str(len(self.feed))


@pytest.fixture
def world(commune, settings):
    from congvu.portal.population import get_population_provider

    settings.CONGVU_POPULATION_PROVIDER = "local"
    settings.CONGVU_POPULATION_PROVIDERS = {"local": {"class": LOCAL_POPULATION, "size": 200, "seed": "rebuild"}}
    people = list(get_population_provider().citizens().values())
    desk_a = make_unit("Một cửa A", kind="onestop_desk", parent=commune)
    desk_b = make_unit("Một cửa B", kind="onestop_desk", parent=commune)
    field = s.field_get_or_create(code="HT", name="Hộ tịch")
    paid = s.procedure_create(code="1.000893", name="Kết hôn", field=field, level="commune", processing_time=3,
                              online_level="full", fee_amount=50000,
                              steps=[{"name": "Thẩm định", "share": "1"}])
    free = s.procedure_create(code="1.001193", name="Khai sinh", field=field, level="commune", processing_time=2,
                              online_level="partial", requires_written_result=False)
    return {"desks": [desk_a, desk_b], "paid": paid, "free": free, "commune": commune, "people": people,
            "portal": StubPortal(), "requeue": set()}


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
    person = world["people"][i % len(world["people"])]
    if plan.get("identity") is not None:
        from congvu.portal.services.identity import population_lookup

        population_lookup(id_number=person["id_number"])
        kw["applicant_id_number"] = person["id_number"]
        if plan["identity"] != "match":
            kw["applicant_name"] = "Người Khác Hẳn"
    d = s.dossier_receive(**kw, received_at=at, digitized_components=plan["digitized"])
    if plan.get("portal") is not None:
        world["portal"].mode[str(d.pk)] = "ack" if plan["portal"] == "requeue" else plan["portal"]
        if plan["portal"] == "requeue":
            world["requeue"].add(d.pk)
    if plan.get("identity") == "recheck":
        from congvu.portal.services.identity import identity_check_dossier

        d.applicant_name = person["full_name"]
        d.save(update_fields=["applicant_name"])
        identity_check_dossier(dossier=d)
        d.refresh_from_db()
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
    _portal_rounds(world)
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
    # the distinct-procedure and portal figures equal the rows, for a year, months and single days
    for period in ((dt.date(2024, 1, 1), dt.date(2024, 12, 31)), (dt.date(2024, 3, 1), dt.date(2024, 4, 30)),
                   (dt.date(2024, 3, 5), dt.date(2024, 3, 6)), (dt.date(2023, 12, 30), dt.date(2024, 3, 4))):
        got = metric_values(names=list(ROW_FIGURES), units=[commune, *world["desks"]], date_from=period[0],
                            date_to=period[1])
        for unit in [commune, *world["desks"]]:
            assert {k: v.value for k, v in got[unit.pk].items()} == _from_rows(unit, *period), (unit, period)


def _portal_rounds(world) -> None:
    """Send everything to the stub portal; "requeue" records go back to the queue as a reconciliation
    does (the portal lost them) and are sent again (duplicates)."""
    from congvu.portal.models import SyncRecord
    from congvu.portal.services import portal_send

    portal = world["portal"]
    portal_send(provider=portal, ignore_backoff=True)
    lost = [int(k) for k, m in portal.mode.items() if m == "ack" and int(k) in world["requeue"]]
    SyncRecord.objects.filter(dossier_id__in=lost, state="acknowledged").update(state="pending",
                                                                                      acknowledged_at=None)
    portal_send(provider=portal, ignore_backoff=True)


ROW_FIGURES = ("portal.synced_rate", "portal.shared_to_citizen_store_rate", "portal.identity_verified_rate",
               "portal.identity_procedures_rate", "payments.procedures_paid_online_rate")


def _from_rows(unit, date_from, date_to) -> dict:
    """The same five figures from the rows (what the providers scanned before the counters)."""
    from django.db.models import Exists, OuterRef

    from congvu.metrics.registry import MetricValue
    from congvu.onestop.models import Dossier
    from congvu.org.selectors import unit_rollup_ids
    from congvu.payments.models import Payment
    from congvu.portal.models import IdentityCheck, SyncRecord

    ids = unit_rollup_ids(unit=unit)
    start = dt.datetime.combine(date_from, dt.time(), tzinfo=VN)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(), tzinfo=VN)
    received = (Dossier.objects.filter(unit_id__in=ids, received_at__gte=start, received_at__lt=end,
                                        receipt_refused=False).exclude(state="guidance"))
    acked = SyncRecord.objects.filter(dossier=OuterRef("pk"), state="acknowledged")
    verified = IdentityCheck.objects.filter(dossier=OuterRef("pk"), state="verified")
    rows = list(received.annotate(sy=Exists(acked.filter(kind="receive")), sh=Exists(acked.filter(shares_to_store=True)),
                                  ve=Exists(verified), pay=Exists(Payment.objects.filter(
                                      dossier=OuterRef("pk"), method="online", state__in=["succeeded", "refunded"])))
                .values_list("sy", "sh", "ve", "pay", "procedure_id", "procedure__citizen_facing", "fee_amount"))
    n = len(rows)
    fee = {r[4] for r in rows if r[6] and r[6] > 0}
    paid = {r[4] for r in rows if r[6] and r[6] > 0 and r[3]}
    facing = {r[4] for r in rows if r[5]}
    facing_verified = {r[4] for r in rows if r[5] and r[2]}
    return {
        "portal.synced_rate": MetricValue.rate(sum(r[0] for r in rows), n).value,
        "portal.shared_to_citizen_store_rate": MetricValue.rate(sum(r[1] for r in rows), n).value,
        "portal.identity_verified_rate": MetricValue.rate(sum(r[2] for r in rows), n).value,
        "portal.identity_procedures_rate": MetricValue.rate(len(facing_verified), len(facing)).value,
        "payments.procedures_paid_online_rate": MetricValue.rate(len(paid), len(fee)).value,
    }


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

    from congvu.onestop.models import DailyRollup, ProcedureCounter

    _play(world, 0, {"paid_proc": True, "channel": "online", "day": 0, "hour": 2, "start": "receive",
                     "digitized": True, "pay": True, "supplement": False, "end": "result", "finish_days": 9,
                     "e_result": True, "rating": (0, 1, True), "complaint": "late", "identity": "recheck",
                     "portal": "ack"})
    _portal_rounds(world)
    live = s.counters_snapshot()
    pid = world["paid"].pk
    assert {name for (_u, _d, name) in live} >= {"received", "late_received", "fee_bearing", "paid_online",
                                                   "flagged", "pakn_received", "pakn_handled", "rating_count",
                                                   "rating_attitude_n", "rating_attitude_ok", "portal_synced",
                                                   "portal_shared", "portal_verified", f"received@{pid}/y",
                                                   f"fee_bearing@{pid}/m", f"paid_online@{pid}/d",
                                                   f"portal_verified@{pid}/y"}
    DailyRollup.objects.filter(received__gt=0).update(received=99)
    ProcedureCounter.objects.filter(name="paid_online", span="y").update(value=7)
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("onestop", "rebuild-rollups", "--check", stdout=out)
    assert "received: 99 → 1" in out.getvalue()
    assert f"paid_online@{pid}/y: 7 → 1" in out.getvalue()
    assert DailyRollup.objects.filter(received=99).exists()  # --check changed nothing
    call_command("onestop", "rebuild-rollups", stdout=out)
    assert s.counters_snapshot() == live
