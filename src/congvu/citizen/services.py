"""Writes of the citizen app: online filing, acceptance (the clock starts, §2.6), ratings, PAKN.

Keyword-only, transactional, audited. Officer operations take `actor` and are policy-checked with
`dossier.process` on the receiving unit (`actor=None` = the system: demo, tests, bench).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import re
import secrets
import uuid
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from congvu.audit.services import audit_record, model_snapshot
from congvu.citizen import conf, criteria
from congvu.citizen.models import (
    Complaint,
    ComplaintKind,
    ComplaintState,
    OnlineSubmission,
    Rating,
    SubmissionFile,
    SubmissionStatus,
)
from congvu.common.errors import Conflict, DomainError, NotAllowed
from congvu.common.text import clean
from congvu.common.uploads import check_file, limits_from
from congvu.onestop.models import Dossier, OnlineLevel, Procedure
from congvu.org.models import Unit
from congvu.org.policy import require
from congvu.org.roles import Action

security_log = logging.getLogger("congvu.security")


class InvalidSubmission(DomainError):
    """Refused filing: `details` = {"fields": {name: message}, "files": {component id: message}}."""


def _now(at: dt.datetime | None) -> dt.datetime:
    return at if at is not None else timezone.now()


def _local_date(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date()


def _calendar():
    from congvu.workdays.selectors import work_calendar

    return work_calendar()


def _real_user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


# ------------------------------------------------------------------------------------------------
# Online filing
# ------------------------------------------------------------------------------------------------

_RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def phone_normalise(value: str) -> str:
    digits = re.sub(r"\D", "", value or "")
    if digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def _receipt_number(day: dt.date) -> str:
    """`TT-YYMMDD-XXXXXX`: random, so receipt numbers are not sequential."""
    return f"TT-{day:%y%m%d}-" + "".join(secrets.choice(_RECEIPT_ALPHABET) for _ in range(6))


def online_filing_allowed(procedure: Procedure, day: dt.date | None = None) -> bool:
    day = day or timezone.localdate()
    return (procedure.citizen_facing and procedure.online_level != OnlineLevel.NONE
            and (procedure.effective_from is None or procedure.effective_from <= day)
            and (procedure.effective_to is None or day <= procedure.effective_to))


def submission_create(
    *,
    procedure: Procedure,
    unit: Unit,
    applicant_name: str,
    applicant_phone: str,
    applicant_id_number: str,
    files: Mapping[int, UploadedFile],
    applicant_email: str = "",
    applicant_address: str = "",
    at: dt.datetime | None = None,
    idempotency_key: str | None = None,
    validate_only: bool = False,
) -> OnlineSubmission | None:
    """File a dossier online: every component needs a file; any bad field or file refuses the whole
    filing with one message per problem, and nothing is saved (no row, no stored file).

    `idempotency_key` (the form's single-use token): a key already used returns that submission
    (`submission.duplicate` is set on it) instead of filing a second one."""
    at = _now(at)
    if idempotency_key:
        existing = submission_by_key(idempotency_key)
        if existing is not None:
            return existing
    if not online_filing_allowed(procedure, _local_date(at)):
        raise DomainError("submission.not_online", f"Thủ tục {procedure.code} chưa cung cấp dịch vụ nộp trực tuyến.")
    fields: dict[str, str] = {}
    name = clean(applicant_name)
    phone = phone_normalise(applicant_phone)
    id_number = re.sub(r"\s", "", applicant_id_number or "")
    if not name:
        fields["applicant_name"] = "Chưa nhập họ và tên người nộp."
    if not re.fullmatch(r"0\d{9,10}", phone):
        fields["applicant_phone"] = "Số điện thoại không hợp lệ (10 hoặc 11 chữ số, bắt đầu bằng 0)."
    if not re.fullmatch(r"\d{12}", id_number):
        fields["applicant_id_number"] = "Số định danh cá nhân (căn cước) phải gồm 12 chữ số."
    components = list(procedure.components.all())
    max_bytes = int(conf.get("CONGVU_CITIZEN_UPLOAD_MAX_BYTES"))
    allowed = tuple(conf.get("CONGVU_CITIZEN_UPLOAD_TYPES"))
    file_errors: dict[int, str] = {}
    kinds: dict[int, str] = {}
    for comp in components:
        upload = files.get(comp.pk)
        if upload is None:
            file_errors[comp.pk] = f"Chưa đính kèm “{comp.name}”."
            continue
        result = check_file(upload.name or "", upload.size or 0, upload, allowed=allowed,
                            limits=limits_from(settings, max_bytes=max_bytes))
        if result.kind is None:
            file_errors[comp.pk] = result.error
        else:
            kinds[comp.pk] = result.kind
    if fields or file_errors:
        n = len(fields) + len(file_errors)
        raise InvalidSubmission("submission.invalid", f"Hồ sơ chưa được nộp: có {n} mục cần sửa. Chưa có gì được lưu.",
                                details={"fields": fields, "files": file_errors})
    if validate_only:  # the form checks every field at once, then says what else is missing (the desk)
        return None
    stored: list[str] = []
    try:
        with transaction.atomic():
            sub = None
            for _attempt in range(5):
                try:
                    with transaction.atomic():
                        sub = OnlineSubmission.objects.create(
                            idempotency_key=idempotency_key or None,
                            receipt_number=_receipt_number(_local_date(at)), procedure=procedure, unit=unit,
                            applicant_name=name, applicant_phone=phone, applicant_email=(applicant_email or "").strip(),
                            applicant_id_number=id_number, applicant_address=clean(applicant_address or ""),
                            submitted_at=at,
                        )
                    break
                except IntegrityError:
                    if idempotency_key and submission_by_key(idempotency_key) is not None:
                        raise _Duplicate() from None  # the same form posted twice at once
                    continue
            if sub is None:
                raise Conflict("submission.receipt_collision", "Không cấp được số biên nhận, vui lòng thử lại.")
            for comp in components:
                upload = files[comp.pk]
                upload.seek(0)
                digest = hashlib.sha256()
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
                row = SubmissionFile(submission=sub, component=comp, component_name=comp.name,
                                     original_name=clean(upload.name or "")[:255], kind=kinds[comp.pk],
                                     size=upload.size, sha256=digest.hexdigest())
                row.file.save(f"{uuid.uuid4().hex}.{kinds[comp.pk]}", upload, save=False)
                stored.append(row.file.name)
                row.save()
            audit_record(action="create", obj=sub, after=model_snapshot(sub), note="Nộp hồ sơ trực tuyến")
    except _Duplicate:
        return submission_by_key(idempotency_key or "")
    except BaseException:
        from django.core.files.storage import default_storage

        for stored_name in stored:
            default_storage.delete(stored_name)
        raise
    return sub


class _Duplicate(Exception):
    pass


def submission_by_key(key: str) -> OnlineSubmission | None:
    sub = OnlineSubmission.objects.filter(idempotency_key=key[:64]).first()
    if sub is not None:
        sub.duplicate = True
    return sub


def submission_accept(*, actor: Any, submission: OnlineSubmission, at: dt.datetime | None = None) -> Dossier:
    """Tiếp nhận: creates the onestop dossier (channel online) with `received_at` = now, so the clock
    starts at acceptance, not at submission (§2.6); `submitted_at` keeps the filing time."""
    from congvu.onestop.services import dossier_receive

    at = _now(at)
    with transaction.atomic():
        sub = OnlineSubmission.objects.select_for_update().select_related("procedure", "unit").get(pk=submission.pk)
        if actor is not None:
            require(actor, Action.DOSSIER_PROCESS, sub.unit)
        if sub.status != SubmissionStatus.SUBMITTED:
            raise Conflict("submission.decided", f"Hồ sơ {sub.receipt_number} đã được xử lý "
                                                 f"({sub.get_status_display().lower()}).")
        before = model_snapshot(sub)
        dossier = dossier_receive(
            actor=actor, procedure=sub.procedure, unit=sub.unit, applicant_name=sub.applicant_name,
            channel="online", applicant_phone=sub.applicant_phone, applicant_id_number=sub.applicant_id_number,
            applicant_address=sub.applicant_address, received_at=at, submitted_at=sub.submitted_at,
            digitized_components=True,
        )
        sub.status, sub.decided_at, sub.decided_by, sub.dossier = SubmissionStatus.ACCEPTED, at, _real_user(actor), dossier
        sub.save(update_fields=["status", "decided_at", "decided_by", "dossier"])
        audit_record(action="transition:accept", obj=sub, before=before, after=model_snapshot(sub), actor=actor,
                     note=f"Tiếp nhận thành hồ sơ {dossier.code}")
    submission.__dict__.update({k: v for k, v in sub.__dict__.items() if not k.startswith("_")})
    return dossier


def submission_reject(*, actor: Any, submission: OnlineSubmission, reason: str, supplement: bool = False,
                      at: dt.datetime | None = None) -> OnlineSubmission:
    """Return for supplement (what is missing, once and in writing) or refuse, with the reason."""
    at = _now(at)
    if not clean(reason):
        raise DomainError("submission.reason_required",
                          "Cần ghi rõ nội dung cần bổ sung." if supplement else "Cần ghi rõ lý do từ chối.")
    with transaction.atomic():
        sub = OnlineSubmission.objects.select_for_update().select_related("unit").get(pk=submission.pk)
        if actor is not None:
            require(actor, Action.DOSSIER_PROCESS, sub.unit)
        if sub.status != SubmissionStatus.SUBMITTED:
            raise Conflict("submission.decided", f"Hồ sơ {sub.receipt_number} đã được xử lý.")
        before = model_snapshot(sub)
        sub.status = SubmissionStatus.RETURNED_FOR_SUPPLEMENT if supplement else SubmissionStatus.REJECTED
        sub.decided_at, sub.decided_by, sub.reason = at, _real_user(actor), clean(reason)
        sub.save(update_fields=["status", "decided_at", "decided_by", "reason"])
        audit_record(action="transition:" + ("return_for_supplement" if supplement else "reject"), obj=sub,
                     before=before, after=model_snapshot(sub), actor=actor, note=clean(reason))
    submission.__dict__.update({k: v for k, v in sub.__dict__.items() if not k.startswith("_")})
    return sub


# ------------------------------------------------------------------------------------------------
# Ratings
# ------------------------------------------------------------------------------------------------


def rating_token(rating: Rating) -> str:
    mac = hmac.new(settings.SECRET_KEY.encode(), f"citizen.rating:{rating.nonce}".encode(), hashlib.sha256)
    return mac.hexdigest()[:40]


def token_hash(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


def rating_url(rating: Rating, *, absolute: bool = True) -> str:
    path = reverse("citizen:rate", args=[rating_token(rating)])
    return settings.CONGVU_SITE_URL.rstrip("/") + path if absolute else path


def rating_invitation_create(dossier: Dossier, *, at: dt.datetime | None = None, notify: bool = True) -> str:
    """The rating link for a returned dossier (idempotent: one invitation per dossier). Sends it
    through `congvu.onestop.notify.dossier_notify(dossier, "rating_invitation", extra={"url": ...})`
    after commit when that function exists."""
    at = _now(at)
    rating = Rating.objects.filter(dossier=dossier).first()
    if rating is None:
        nonce = secrets.token_hex(16)
        rating = Rating(dossier=dossier, unit_id=dossier.unit_id, nonce=nonce, created_at=at,
                        expires_at=at + dt.timedelta(days=int(conf.get("CONGVU_CITIZEN_RATING_TTL_DAYS"))))
        rating.token_hash = token_hash(rating_token(rating))
        with transaction.atomic():
            rating.save(force_insert=True)
            audit_record(action="create", obj=rating, note="Gửi lời mời đánh giá")
        if notify and rating.expires_at > timezone.now():
            _notify_invitation(dossier, rating_url(rating))
    return rating_url(rating)


def _notify_invitation(dossier: Dossier, url: str) -> None:
    """Queue the invitation in the caller's transaction (the outbox row commits with the return)."""
    try:
        from congvu.onestop.notify import dossier_notify
    except ImportError:
        return
    try:
        with transaction.atomic():
            dossier_notify(dossier, "rating_invitation", extra={"url": url})
    except Exception:  # a failing notification must not undo the return of the result
        logging.getLogger(__name__).exception("rating invitation notification failed for %s", dossier.pk)


class RatingRefused(DomainError):
    status = 410

    def __init__(self, code: str, message: str, rating: Rating | None):
        super().__init__(code, message)
        self.rating = rating


def _log_refusal(exc: RatingRefused, client: str) -> None:
    """Security log + audit entry, outside the refused transaction so they are kept."""
    security_log.warning("citizen rating token refused (%s) from %s", exc.code, client or "?")
    rating = exc.rating
    audit_record(action=f"security:{exc.code.replace('.', '_')}", obj=rating,
                 object_type=None if rating else "citizen.rating", object_id=None if rating else "unknown",
                 note=f"{exc.message} (máy khách {client or '?'})")


def _open_rating(token: str, at: dt.datetime, lock: bool) -> Rating:
    qs = Rating.objects.select_related("dossier", "dossier__procedure", "dossier__unit")
    if lock:
        qs = qs.select_for_update(of=("self",))
    rating = qs.filter(token_hash=token_hash(token)).first()
    if rating is None:
        raise RatingRefused("rating.token_invalid", "Đường dẫn đánh giá không hợp lệ.", None)
    if rating.used_at is not None:
        raise RatingRefused("rating.token_used", "Hồ sơ này đã được đánh giá; mỗi lời mời chỉ dùng một lần.", rating)
    if rating.expires_at <= at:
        raise RatingRefused("rating.token_expired",
                            f"Lời mời đánh giá đã hết hạn ngày {timezone.localtime(rating.expires_at):%d/%m/%Y}.",
                            rating)
    return rating


def rating_for_token(token: str, *, at: dt.datetime | None = None, client: str = "") -> Rating:
    """The open rating of `token`, or RatingRefused (unknown / expired / already used), logged."""
    try:
        return _open_rating(token, _now(at), lock=False)
    except RatingRefused as exc:
        _log_refusal(exc, client)
        raise


def computed_scores(dossier: Dossier) -> dict[str, int | None]:
    time = criteria.time_points(dossier.verdict)
    steps = list(dossier.events.exclude(step_verdict="").values_list("step_verdict", flat=True))
    return {"processing_time": time, "agency_time": criteria.agency_points(steps, time)}


def _rollup_rating(rating: Rating) -> None:
    """Bump the onestop daily counters of the rating (count, like / dislike, each criterion) in the
    rating's transaction; a dislike flags its dossier (766 5.4) unless a PAKN already did."""
    from congvu.onestop.services import rollup_add

    rollup_add(unit_id=rating.unit_id, day=_local_date(rating.used_at), **rating_counters(rating))
    if rating.overall == 0:
        _dossier_flag(rating.dossier_id, new_rating=rating.pk)


def rating_counters(rating: Rating) -> dict[str, int]:
    """What one used rating adds to the counters of its unit on the day it was given: `rating_count`,
    `rating_satisfied` / `rating_dissatisfied`, and per criterion `rating_<key>_n` (answered) and
    `rating_<key>_ok` (1 or 2 points)."""
    out = {"rating_count": 1, "rating_satisfied" if rating.overall else "rating_dissatisfied": 1}
    for c in criteria.CRITERIA:
        value = (rating.scores or {}).get(c.key)
        if isinstance(value, int):
            out[f"rating_{c.key}_n"] = 1
            if value >= 1:
                out[f"rating_{c.key}_ok"] = 1
    return out


def _dossier_flag(dossier_id: int, *, new_complaint: int | None = None, new_rating: int | None = None) -> None:
    """766 5.4 counts a dossier complained about or rated "Không hài lòng" once, on its day of receipt:
    the first such PAKN or rating adds 1 to `flagged` (the dossier row is locked, so two at once
    cannot both be first)."""
    from congvu.onestop.services import dossier_counts, rollup_add

    d = Dossier.objects.select_for_update().only("unit_id", "received_at", "state", "receipt_refused").get(
        pk=dossier_id)
    if not dossier_counts(d):
        return
    complained = Complaint.objects.filter(dossier_id=dossier_id).exclude(pk=new_complaint).exists()
    disliked = (Rating.objects.filter(dossier_id=dossier_id, overall=0, used_at__isnull=False)
                .exclude(pk=new_rating).exists())
    if not (complained or disliked):
        rollup_add(unit_id=d.unit_id, day=_local_date(d.received_at), flagged=1)


def complaint_counters(c: Complaint) -> dict[str, int]:
    """What one PAKN adds to the counters of its unit on its day of receipt (766 5.2)."""
    handled = c.state in (ComplaintState.ANSWERED, ComplaintState.CLOSED)
    return {"pakn_received": 1, "pakn_handled": int(handled), "pakn_on_time": int(bool(handled and c.on_time))}


def _rollup_complaint(c: Complaint, before: Mapping[str, int] | None) -> None:
    from congvu.onestop.services import rollup_add

    after = complaint_counters(c)
    changes = {k: v - (before or {}).get(k, 0) for k, v in after.items()}
    if any(changes.values()):
        rollup_add(unit_id=c.unit_id, day=_local_date(c.received_at), **changes)


def rating_submit(*, token: str, overall: int, scores: Mapping[str, int | None], comment: str = "",
                  at: dt.datetime | None = None, client: str = "") -> Rating:
    at = _now(at)
    if overall not in (0, 1, 2):
        raise DomainError("rating.overall_required", "Hãy chọn mức độ hài lòng chung.")
    answers: dict[str, int | None] = {}
    for c in criteria.ASKED:
        value = scores.get(c.key)
        if value is None and not c.optional:
            raise DomainError("rating.score_required", f"Hãy chấm tiêu chí “{c.label}”.")
        if value is not None and value not in (0, 1, 2):
            raise DomainError("rating.score_invalid", f"Điểm không hợp lệ ở tiêu chí “{c.label}”.")
        answers[c.key] = value
    try:
        with transaction.atomic():
            rating = _open_rating(token, at, lock=True)
            rating.scores = {**computed_scores(rating.dossier), **answers}
            rating.overall, rating.comment, rating.used_at = overall, clean(comment or "")[:4000], at
            rating.save(update_fields=["scores", "overall", "comment", "used_at"])
            _rollup_rating(rating)
            audit_record(action="rating:submit", obj=rating, after=model_snapshot(rating))
    except RatingRefused as exc:
        _log_refusal(exc, client)
        raise
    return rating


# ------------------------------------------------------------------------------------------------
# PAKN (complaints and recommendations)
# ------------------------------------------------------------------------------------------------


def complaint_create(*, kind: str, text: str, contact_name: str, unit: Unit | None = None,
                     dossier: Dossier | None = None, contact_phone: str = "", contact_email: str = "",
                     at: dt.datetime | None = None) -> Complaint:
    """Receive a PAKN. About a dossier, it goes to the leader of the dossier's receiving unit and
    re-opens review there. Deadlines (§1.3, 5.2): answer ≤ 15, refuse ≤ 2 working days."""
    at = _now(at)
    if kind not in ComplaintKind.values:
        raise DomainError("pakn.kind", "Hãy chọn phản ánh hoặc kiến nghị.")
    if len(clean(text or "")) < 10:
        raise DomainError("pakn.text", "Nội dung phản ánh, kiến nghị quá ngắn (ít nhất 10 ký tự).")
    if not clean(contact_name or ""):
        raise DomainError("pakn.contact", "Chưa nhập họ và tên người gửi.")
    unit = dossier.unit if dossier is not None else unit
    if unit is None:
        raise DomainError("pakn.unit", "Hãy chọn cơ quan tiếp nhận phản ánh, kiến nghị.")
    cal, day = _calendar(), _local_date(at)
    with transaction.atomic():
        c = Complaint.objects.create(
            dossier=dossier, unit=unit, kind=kind, text=clean(text)[:10000], contact_name=clean(contact_name),
            contact_phone=phone_normalise(contact_phone), contact_email=(contact_email or "").strip(), received_at=at,
            due_date=cal.add_working_days(day, int(conf.get("CONGVU_CITIZEN_PAKN_ANSWER_DAYS"))),
            refuse_due_date=cal.add_working_days(day, int(conf.get("CONGVU_CITIZEN_PAKN_REFUSE_DAYS"))),
        )
        _rollup_complaint(c, None)
        if dossier is not None:
            _dossier_flag(dossier.pk, new_complaint=c.pk)
        audit_record(action="create", obj=c, after=model_snapshot(c),
                     note=f"PAKN về hồ sơ {dossier.code}: chuyển lãnh đạo xem xét lại" if dossier else "PAKN")
    return c


def leader_of(user: Any, unit: Unit) -> bool:
    """May `user` review and answer PAKN about `unit`? The policy's `pakn.answer` (unit leaders on
    the unit or an ancestor, system admins)."""
    from congvu.org.policy import decide
    from congvu.org.roles import Action

    return bool(decide(user, Action.PAKN_ANSWER, unit))


def _leader_check(actor: Any, complaint: Complaint) -> None:
    if actor is not None and not leader_of(actor, complaint.unit):
        raise NotAllowed("forbidden", f"Chỉ lãnh đạo {complaint.unit.name} được xem xét, trả lời phản ánh, kiến nghị này.")


def _complaint_transition(actor: Any, complaint: Complaint, allowed: set[str], change) -> Complaint:
    with transaction.atomic():
        c = Complaint.objects.select_for_update().select_related("unit").get(pk=complaint.pk)
        _leader_check(actor, c)
        if c.state not in allowed:
            raise Conflict("pakn.state", f"Phản ánh, kiến nghị đang ở trạng thái “{c.get_state_display()}”.")
        before, counted = model_snapshot(c), complaint_counters(c)
        action = change(c)
        c.save()
        _rollup_complaint(c, counted)
        audit_record(action=f"transition:{action}", obj=c, before=before, after=model_snapshot(c), actor=actor)
    complaint.__dict__.update({k: v for k, v in c.__dict__.items() if not k.startswith("_")})
    return c


def complaint_review_start(*, actor: Any, complaint: Complaint, at: dt.datetime | None = None) -> Complaint:
    at = _now(at)

    def change(c: Complaint) -> str:
        c.state, c.review_started_at = ComplaintState.UNDER_REVIEW, at
        return "review"

    return _complaint_transition(actor, complaint, {ComplaintState.RECEIVED}, change)


def complaint_answer(*, actor: Any, complaint: Complaint, answer: str, refuse: bool = False,
                     at: dt.datetime | None = None) -> Complaint:
    """Answer (on time ⇔ by `due_date`) or refuse to handle (on time ⇔ by `refuse_due_date`)."""
    at = _now(at)
    if len(clean(answer or "")) < 5:
        raise DomainError("pakn.answer", "Cần ghi nội dung trả lời" + (" (lý do từ chối)." if refuse else "."))

    def change(c: Complaint) -> str:
        c.state = ComplaintState.CLOSED if refuse else ComplaintState.ANSWERED
        c.answered_at, c.answer, c.answered_by = at, clean(answer), _real_user(actor)
        c.review_started_at = c.review_started_at or at
        c.on_time = _local_date(at) <= (c.refuse_due_date if refuse else c.due_date)
        return "refuse" if refuse else "answer"

    return _complaint_transition(actor, complaint, {ComplaintState.RECEIVED, ComplaintState.UNDER_REVIEW}, change)

