"""congvu.dbwrite writes the rows `Model.save(force_insert=True)` writes: same columns, defaults,
auto_now values, signals, primary keys, Django's errors, execute wrappers (SQLite and PostgreSQL)."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import post_save, pre_save
from django.test.utils import CaptureQueriesContext

from congvu import dbwrite
from congvu.audit.services import model_snapshot
from congvu.onestop import services as s
from congvu.onestop.models import DailyCounter, Dossier, DossierEvent, ProcedureStep, ReceiptSlip
from factories import make_unit

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def dossier():
    unit = make_unit("Một cửa thử ghi", kind="onestop_desk", code="W01")
    field = s.field_get_or_create(code="HT", name="Hộ tịch")
    proc = s.procedure_create(code="1.001193", name="Đăng ký khai sinh", field=field, level="commune",
                              processing_time=3)
    return s.dossier_receive(procedure=proc, unit=unit, applicant_name="Nguyễn Văn Ghi", channel="online",
                             received_at=dt.datetime(2024, 3, 4, 9, 0, tzinfo=VN))


def _row(obj) -> dict:
    fresh = type(obj).objects.get(pk=obj.pk)
    return {k: v for k, v in model_snapshot(fresh).items() if k != "id"}


def test_insert_writes_the_row_save_writes(dossier):
    kw = {"dossier": dossier, "at": dossier.received_at, "transition": "receive", "from_state": "",
          "to_state": "received", "note": "Ghi chú có dấu", "data": {"a": [1, "hai"], "b": None}}
    by_orm = DossierEvent(**kw)
    by_orm.save(force_insert=True)
    fast = dbwrite.insert(DossierEvent(**kw))
    assert fast.pk is not None and fast.pk != by_orm.pk
    assert not fast._state.adding and fast._state.db == "default"
    assert _row(fast) == _row(by_orm)


def test_defaults_auto_now_and_decimals(dossier):
    copy = Dossier(procedure=dossier.procedure, unit=dossier.unit, applicant_name="Trần Thị Hai", channel="postal",
                   sync_channel=3, received_at=dossier.received_at, due_at=dossier.due_at,
                   due_at_original=dossier.due_at, rule_version=dossier.rule_version, state="received",
                   code="W01-240304-9999", fee_amount=Decimal("12500"))
    before = dt.datetime.now(dt.UTC)
    dbwrite.insert(copy)
    row = Dossier.objects.get(pk=copy.pk)
    assert row.created_at >= before and row.updated_at >= before  # auto_now_add / auto_now ran
    assert row.fee_amount == Decimal("12500")
    assert row.paused_intervals == [] and row.supplement_count == 0 and row.version == 1  # model defaults
    step = dbwrite.insert(ProcedureStep(procedure=dossier.procedure, name="Thẩm định", share=Decimal("0.5")))
    assert ProcedureStep.objects.get(pk=step.pk).share == Decimal("0.5000")


def test_signals_are_sent_as_save_sends_them(dossier):
    seen = []

    def pre(sender, instance, raw, using, update_fields, **kw):
        instance.note = "đổi bởi pre_save"  # a pre_save receiver's change is written
        seen.append(("pre", instance.pk))

    def post(sender, instance, created, raw, using, update_fields, **kw):
        seen.append(("post", instance.pk, created, raw, using))

    pre_save.connect(pre, sender=DossierEvent, dispatch_uid="test_dbwrite_pre")
    post_save.connect(post, sender=DossierEvent, dispatch_uid="test_dbwrite_post")
    try:
        event = dbwrite.insert(DossierEvent(dossier=dossier, at=dossier.received_at, transition="note"))
    finally:
        pre_save.disconnect(dispatch_uid="test_dbwrite_pre", sender=DossierEvent)
        post_save.disconnect(dispatch_uid="test_dbwrite_post", sender=DossierEvent)
    assert seen == [("pre", None), ("post", event.pk, True, False, "default")]
    assert DossierEvent.objects.get(pk=event.pk).note == "đổi bởi pre_save"


def test_insert_together_one_statement_on_postgresql(dossier):
    ReceiptSlip.objects.filter(dossier=dossier).delete()
    slip = ReceiptSlip(dossier=dossier, form="Mẫu 01", issued_at=dossier.received_at, content={"code": dossier.code})
    event = DossierEvent(dossier=dossier, at=dossier.received_at, transition="note", note="cùng lúc")
    step = ProcedureStep(procedure=dossier.procedure, name="Thẩm định", share=Decimal("0.25"))
    with CaptureQueriesContext(connection) as ctx:
        out = dbwrite.insert_together(slip, event, step)
    assert out == (slip, event, step) and slip.pk and event.pk and step.pk
    assert len(ctx.captured_queries) == (1 if connection.vendor == "postgresql" else 3)
    assert ReceiptSlip.objects.get(pk=slip.pk).content == {"code": dossier.code}
    assert DossierEvent.objects.get(pk=event.pk).note == "cùng lúc"
    assert ProcedureStep.objects.get(pk=step.pk).share == Decimal("0.25")


def test_errors_are_djangos_and_roll_back(dossier):
    day = dt.date(2024, 3, 4)
    dbwrite.insert(DailyCounter(unit=dossier.unit, day=day, name="x", value=1))
    with pytest.raises(IntegrityError), transaction.atomic():
        dbwrite.insert(DailyCounter(unit=dossier.unit, day=day, name="x", value=2))
    assert list(DailyCounter.objects.filter(name="x").values_list("value", flat=True)) == [1]


def test_unsaved_related_object_is_refused_as_save_refuses(dossier):
    with pytest.raises(ValueError, match="unsaved related object"):
        dbwrite.insert(DossierEvent(dossier=Dossier(), at=dossier.received_at, transition="note"))


def test_execute_wrappers_see_the_statements(dossier):
    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        dbwrite.insert(DossierEvent(dossier=dossier, at=dossier.received_at, transition="note"))
        assert dbwrite.fetchone("SELECT count(*) FROM onestop_dossierevent WHERE dossier_id = %s",
                                [dossier.pk])[0] == 2
    assert len(seen) == 2 and seen[0].startswith("INSERT INTO")
