"""Demo step after `congvu.citizen.demo.load`: live work at today's desks, relative to today.

The 2023 dossiers of the one-stop demo sit under Xã Ba Bích, which ended on 30/06/2025. This step
gives the desk that exists today (Trung tâm Phục vụ hành chính công xã Ba Tơ) a live queue: online
submissions waiting, dossiers in processing (some due soon, one overdue), one with its result ready,
and a few returned in the last days whose rating invitations are still valid. Every write goes
through the services (codes, slips, timeline, audit). Idempotent: skipped when the desk already has
dossiers received in the last 30 days. Seeded RNG.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DESK_CODE = "51-21484-TTPV"
PDF = b"%PDF-1.4\n% congvu demo\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Fictional applicants (no real person).
PEOPLE = [("Đinh Văn Lành", "0905111222"), ("Phạm Thị Hương", "0935222333"), ("Đinh Thị Thu", "0976333444"),
          ("Phạm Văn Lực", "0914555666"), ("Đinh Thị Bông", "0988777888"), ("Phạm Văn Tùng", "0977999000"),
          ("Đinh Văn Sáu", "0903444555"), ("Phạm Thị Nga", "0916222111"), ("Đinh Văn Kiên", "0918333222")]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=VN)


def load(stdout=None) -> dict[str, Any]:
    from congvu.citizen import services as cs
    from congvu.onestop import services as s
    from congvu.onestop.models import Dossier, OnlineLevel, Procedure
    from congvu.org.models import Unit
    from congvu.workdays.selectors import work_calendar

    out = {"submissions": 0, "in_process": 0, "result_ready": 0, "returned": 0}
    desk = Unit.objects.filter(code=DESK_CODE).first()
    procs = [p for p in Procedure.objects.exclude(online_level=OnlineLevel.NONE).filter(citizen_facing=True)
             .order_by("code").prefetch_related("components") if cs.online_filing_allowed(p)]
    if desk is None or not procs:
        if stdout:
            stdout.write("citizen demo (hôm nay): bỏ qua (chưa có Trung tâm PVHCC xã Ba Tơ hoặc thủ tục).\n")
        return out
    now = timezone.now()
    today = timezone.localdate()
    if Dossier.objects.filter(unit=desk, received_at__gte=now - dt.timedelta(days=30)).exists():
        return out
    cal = work_calendar()
    rng = random.Random(2025)

    def back(n: int) -> dt.date:
        return cal.subtract_working_days(today, n)

    people = iter(PEOPLE)
    # Online submissions waiting for the desk (the clock starts when the officer accepts one).
    for i, proc in enumerate(procs[:3]):
        name, phone = next(people)
        files = {c.pk: SimpleUploadedFile(f"giay-to-{c.order}.pdf", PDF) for c in proc.components.all()}
        cs.submission_create(procedure=proc, unit=desk, applicant_name=name, applicant_phone=phone,
                             applicant_id_number=f"05120500{i:04d}", files=files,
                             at=now - dt.timedelta(hours=2 * (i + 1)))
        out["submissions"] += 1
    # Received in the past working days: in processing (due soon / overdue), result ready, returned.
    timed = sorted((p for p in procs if p.processing_time and p.processing_time >= 3),
                   key=lambda p: (p.processing_time, p.code)) or procs
    plan = [("process", 0), ("process", 1), ("process", 2), ("process", 12), ("ready", 2),
            ("return", 2), ("return", 3)]
    for j, (what, days_ago) in enumerate(plan):
        proc = timed[j % len(timed)]
        name, phone = next(people, (f"Người nộp {j}", f"09050000{j:02d}"))
        received = _at(back(days_ago), 8 + j % 3, 15 * (j % 4)) if days_ago else now - dt.timedelta(minutes=30)
        d = s.dossier_receive(procedure=proc, unit=desk, applicant_name=name, applicant_phone=phone,
                              applicant_id_number=f"05120600{j:04d}", channel="in_person", received_at=received,
                              digitized_components=False)
        d = s.dossier_transfer(dossier=d, at=received + dt.timedelta(minutes=10))
        if what == "process":
            out["in_process"] += 1
            continue
        finished = min(received + dt.timedelta(days=1), now - dt.timedelta(hours=3))
        d = s.dossier_record_result(dossier=d, at=finished, result_code=f"{proc.code}/{today.year}/{j + 1:04d}")
        if what == "ready":
            out["result_ready"] += 1
            continue
        s.dossier_return(dossier=d, at=min(finished + dt.timedelta(hours=rng.randint(1, 3)), now))
        out["returned"] += 1
    if stdout:
        stdout.write(f"citizen demo (hôm nay): {DESK_CODE}: {out['submissions']} hồ sơ trực tuyến chờ tiếp nhận, "
                     f"{out['in_process']} đang giải quyết, {out['result_ready']} chờ trả, {out['returned']} đã trả "
                     "(lời mời đánh giá còn hạn).\n")
    return out

