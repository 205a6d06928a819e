"""The sender against the real `fakeportal` server on a local port: once, in order, resumable."""

import datetime as dt
import time

import pytest
from django.utils import timezone

from congvu.onestop import services as s
from congvu.portal.models import SyncCursor, SyncRecord, SyncState
from congvu.portal.services import portal_reconcile, portal_send, sync_record_resend

pytestmark = pytest.mark.django_db


def _later(minutes=60):
    return timezone.now() + dt.timedelta(minutes=minutes)


def _lifecycle(d, step):
    fn = [s.dossier_transfer, s.dossier_step_complete, s.dossier_step_complete, s.dossier_record_result,
          s.dossier_return][step]
    fn(dossier=d)


def _assert_once_in_order(portal):
    stats = portal.stats()
    assert stats["records"] == SyncRecord.objects.count()
    assert stats["out_of_order"] == 0
    for d_id in SyncRecord.objects.values_list("dossier_id", flat=True).distinct():
        seqs = [a["sequence"] for a in portal.arrivals(d_id)]
        assert seqs == sorted(seqs) == list(range(1, len(seqs) + 1))
    assert not SyncRecord.objects.exclude(state=SyncState.ACKNOWLEDGED).exists()


def test_outage_during_a_burst_drains_once_and_in_order(fakeportal, receive):
    dossiers = [receive(applicant_name=f"Người nộp {i}") for i in range(12)]
    for step in range(3):
        for d in dossiers[: 12 if step == 0 else 8]:
            _lifecycle(d, step)
        if step == 0:
            r = portal_send(batch_size=5, max_batches=2)  # part of the burst goes out
            assert r.sent == 10 and r.acknowledged == 10
            fakeportal.stop()  # the portal goes down mid-burst
        if step == 1:
            r = portal_send(batch_size=5)
            assert r.failed and r.sent == 0 and r.paused_until is not None
            assert portal_send().paused_until is not None  # backing off: not even tried
    more = [receive(applicant_name="Sau sự cố") for _ in range(3)]
    fakeportal.start()  # back, with everything it stored before
    r = portal_send(batch_size=7, now=_later())
    assert not r.failed and r.sent == SyncRecord.objects.count() - 10
    assert SyncCursor.objects.get(provider="local").consecutive_failures == 0
    _assert_once_in_order(fakeportal)
    assert all(SyncRecord.objects.filter(dossier=d).exists() for d in more)


def test_lost_answer_is_resent_and_stored_once(fakeportal, receive):
    for _ in range(4):
        receive()
    fakeportal.control(delay=2.5)  # longer than the client's timeout: stored, but the answer is lost
    r = portal_send()
    assert r.failed and SyncRecord.objects.filter(state=SyncState.PENDING).count() == 4
    for _ in range(50):
        if fakeportal.stats()["records"] == 4:
            break
        time.sleep(0.1)
    fakeportal.control(delay=0)
    r = portal_send(ignore_backoff=True)
    assert r.duplicates == 4 and r.acknowledged == 4
    _assert_once_in_order(fakeportal)
    assert fakeportal.stats()["duplicates"] == 4


@pytest.mark.parametrize("mode", ["async", "twice", "shuffle"])
def test_late_duplicate_and_out_of_order_acknowledgements(fakeportal, receive, mode):
    fakeportal.control(ack=mode)
    ds = [receive() for _ in range(6)]
    for d in ds:
        s.dossier_transfer(dossier=d)
    r = portal_send(batch_size=4)
    assert r.sent == 12
    assert SyncRecord.objects.filter(state=SyncState.ACKNOWLEDGED).count() == 12
    portal_send()  # feed read again: nothing changes, nothing sent twice
    _assert_once_in_order(fakeportal)


def test_rejection_holds_the_dossier_until_corrected(fakeportal, receive, officer):
    d = receive()
    other = receive()
    fakeportal.control(reject=[{"field": "MaTTHC", "value": "1.000893", "reason": "Mã TTHC không có trong CSDL"}])
    r = portal_send()
    assert r.rejected == 2
    rec = SyncRecord.objects.get(dossier=d, sequence=1)
    assert rec.state == SyncState.REJECTED and rec.reject_reason == "Mã TTHC không có trong CSDL"
    s.dossier_transfer(dossier=d)
    fakeportal.control(reject=[])
    assert portal_send().sent == 0  # the transfer waits behind the rejected receipt
    sync_record_resend(actor=officer, record=rec, changes={"MaTTHC": "1.000894"})
    assert portal_send().sent == 2
    arrivals = fakeportal.arrivals(d.pk)
    assert [a["sequence"] for a in arrivals] == [1, 2] and arrivals[0]["payload"]["MaTTHC"] == "1.000894"
    assert SyncRecord.objects.get(dossier=other).state == SyncState.REJECTED
    from congvu.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="portal:resend").count() == 1


def test_reconcile_finds_and_resends_a_deleted_record(fakeportal, receive, desk):
    ds = [receive() for _ in range(3)]
    s.dossier_transfer(dossier=ds[0])
    portal_send()
    gone = SyncRecord.objects.get(dossier=ds[0], sequence=1)
    assert fakeportal.forget(gone.key)
    today = timezone.localdate()
    report = portal_reconcile(unit=desk, date_from=today - dt.timedelta(days=1), date_to=today)
    assert report.requeued == 1 and report.differing[0].missing == [gone.key]
    assert portal_send().sent == 1
    assert fakeportal.stats()["records"] == 4
    assert portal_reconcile(unit=desk, date_from=today, date_to=today).differing == []


def test_sender_command_once(fakeportal, receive, capsys):
    from django.core.management import call_command

    receive()
    call_command("portal", "send")
    assert "Đã gửi 1 bản ghi" in capsys.readouterr().out
    assert SyncRecord.objects.get().state == SyncState.ACKNOWLEDGED


def test_reconcile_and_status_commands(fakeportal, receive, desk, capsys):
    from django.core.management import CommandError, call_command

    d = receive()
    portal_send()
    fakeportal.forget(SyncRecord.objects.get(dossier=d).key)
    today = timezone.localdate().isoformat()
    call_command("portal", "reconcile", "--unit", desk.code, "--from", today, "--to", today, "--dry-run")
    out = capsys.readouterr().out
    assert "1 lệch" in out and "thiếu trên cổng 1" in out and "sẽ gửi lại" in out
    assert SyncRecord.objects.get(dossier=d).state == SyncState.ACKNOWLEDGED  # dry run: nothing changed
    call_command("portal", "reconcile", "--unit", desk.code, "--from", today, "--to", today)
    assert SyncRecord.objects.get(dossier=d).state == SyncState.PENDING
    call_command("portal", "send")
    assert fakeportal.stats()["records"] == 1
    with pytest.raises(CommandError, match="Ngày không hợp lệ"):
        call_command("portal", "reconcile", "--unit", desk.code, "--from", "31/02/2026", "--to", today)
    call_command("portal", "status")
    assert '"ok": true' in capsys.readouterr().out


def test_one_sender_at_a_time(fakeportal, receive):
    receive()
    SyncCursor.objects.update_or_create(provider="local", defaults={"lease_owner": "other-host:1",
                                                                    "lease_until": _later(1)})
    r = portal_send()
    assert r.busy and r.sent == 0
    SyncCursor.objects.filter(provider="local").update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    assert portal_send().sent == 1  # an expired lease is taken over


def test_the_worker_round_sends(fakeportal, receive, settings):
    from django.core.management import call_command

    receive()
    settings.CONGVU_WORKER_TICKS = ["congvu.portal.services.sender.portal_tick"]
    call_command("worker", "--once")
    assert SyncRecord.objects.get().state == SyncState.ACKNOWLEDGED
    fakeportal.stop()
    receive()
    call_command("worker", "--once")  # the portal is down: the worker goes on, the record waits
    assert SyncRecord.objects.filter(state=SyncState.PENDING).count() == 1


def test_wrong_credentials_fail_visibly_and_lose_nothing(fakeportal, receive, settings):
    from congvu.portal.selectors import portal_health

    receive()
    settings.CONGVU_PORTAL_PROVIDERS["local"]["token"] = "wrong"
    r = portal_send()
    assert r.failed and "HTTP 401" in r.error and "mã truy cập" in r.error
    h = portal_health()
    assert "HTTP 401" in h["sender"]["last_error"] and h["backlog"]["pending"] == 1


def test_accepted_but_never_acknowledged_is_asked_about_and_resent(fakeportal, receive):
    from congvu.portal.providers import get_provider
    from congvu.portal.services.sender import _outbound, next_batch, sent_recheck

    fakeportal.control(ack="async")
    receive()
    rec = SyncRecord.objects.get()
    # the portal accepts, then loses the record before acknowledging it
    provider = get_provider()
    provider.send([_outbound(next_batch(10, _later())[0], "congvu")])
    SyncRecord.objects.filter(pk=rec.pk).update(state=SyncState.SENT, sent_at=timezone.now() - dt.timedelta(hours=2))
    fakeportal.forget(rec.key)
    fakeportal.control(ack="sync")
    assert sent_recheck(provider) == 1
    assert portal_send().acknowledged == 1 and fakeportal.stats()["records"] == 1
