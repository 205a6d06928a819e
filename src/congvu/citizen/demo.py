"""Demo data for the citizen site, after `congvu.onestop.demo.load`: online submissions waiting at the
Ba Bích desk, ratings of returned 2023 dossiers and a few PAKN. Idempotent; seeded RNG."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from congvu.citizen import services as cs
from congvu.citizen.models import Complaint, OnlineSubmission, Rating
from congvu.onestop.models import OnlineLevel, Procedure
from congvu.org.models import Unit

DESK_CODE = "51-535-21526-MC"
PDF = b"%PDF-1.4\n% congvu demo\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PEOPLE = [("Đinh Văn Lành", "0905111222"), ("Phạm Thị Mai", "0935222333"), ("Đinh Thị Hoa", "0976333444")]


def load(stdout=None) -> dict[str, Any]:
    desk = Unit.objects.filter(code=DESK_CODE).first()
    if desk is None:
        if stdout:
            stdout.write("citizen demo: bỏ qua (chưa có dữ liệu mẫu một cửa).")
        return {}
    rng = random.Random(2023)
    out = {"submissions": 0, "ratings": 0, "complaints": 0}
    if not OnlineSubmission.objects.filter(unit=desk).exists():
        procs = [p for p in Procedure.objects.exclude(online_level=OnlineLevel.NONE).filter(citizen_facing=True)
                 .prefetch_related("components") if cs.online_filing_allowed(p)][:3]
        now = timezone.now()
        for i, (proc, (name, phone)) in enumerate(zip(procs, PEOPLE, strict=False)):
            files = {c.pk: SimpleUploadedFile(f"giay-to-{c.order}.pdf", PDF) for c in proc.components.all()}
            cs.submission_create(procedure=proc, unit=desk, applicant_name=name, applicant_phone=phone,
                                 applicant_id_number=f"05119000{i:04d}", files=files,
                                 at=now - dt.timedelta(hours=3 * (i + 1)))
            out["submissions"] += 1
    if not Rating.objects.filter(unit=desk, used_at__isnull=False).exists():
        for rating in Rating.objects.filter(unit=desk, used_at__isnull=True).select_related("dossier")[:60]:
            at = rating.dossier.returned_at + dt.timedelta(hours=20)
            overall = rng.choices([2, 1, 0], weights=[6, 3, 1])[0]
            cs.rating_submit(token=cs.rating_token(rating), overall=overall, at=at, scores={
                "contacts": rng.choice([2, 2, 1]), "agencies": 2, "one_stop": max(overall, 1),
                "publicity": rng.choice([2, 1]), "attitude": overall})
            out["ratings"] += 1
    if not Complaint.objects.filter(unit=desk).exists():
        dossiers = list(Rating.objects.filter(unit=desk, overall=0).values_list("dossier", flat=True)[:4])
        from congvu.onestop.models import Dossier

        for i, d in enumerate(Dossier.objects.filter(pk__in=dossiers)):
            at = d.returned_at + dt.timedelta(days=1)
            c = cs.complaint_create(kind="complaint", dossier=d, contact_name=d.applicant_name, at=at,
                                    text="Phải đi lại nhiều lần mới nhận được kết quả, đề nghị xem xét.")
            cs.complaint_answer(actor=None, complaint=c, at=at + dt.timedelta(days=7 if i % 3 else 30),
                                answer="UBND xã đã kiểm tra, nhắc nhở cán bộ và xin lỗi ông/bà.")
            out["complaints"] += 1
    if stdout:
        stdout.write(f"citizen demo: {out['submissions']} hồ sơ trực tuyến chờ tiếp nhận, {out['ratings']} đánh giá, "
                     f"{out['complaints']} phản ánh.")
    return out
