"""Public pages (no account) and the officer desk for online submissions and PAKN."""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from congvu.citizen import conf, criteria, lookup_page, ratelimit, selectors, services, stash
from congvu.citizen.models import (
    Complaint,
    ComplaintKind,
    ComplaintState,
    OnlineSubmission,
    SubmissionFile,
    SubmissionStatus,
)
from congvu.common.errors import DomainError
from congvu.common.uploads import CONTENT_TYPES, KINDS
from congvu.onestop.models import Dossier, Procedure
from congvu.org import policy
from congvu.org.models import Unit
from congvu.org.roles import Action

_RECEIPT_SALT = "citizen.receipt"
_PAKN_SALT = "citizen.pakn-dossier"


def _too_many(request: HttpRequest) -> HttpResponse:
    window = int(conf.get("CONGVU_CITIZEN_LOOKUP_WINDOW"))
    response = render(request, "citizen/too_many.html", {"minutes": max(1, window // 60)}, status=429)
    response["Retry-After"] = str(window)
    return response


def _form_limit_ok(request: HttpRequest, bucket: str) -> bool:
    return ratelimit.hit(request, bucket, limit=int(conf.get("CONGVU_CITIZEN_FORM_LIMIT")),
                         window=int(conf.get("CONGVU_CITIZEN_LOOKUP_WINDOW")))


# ------------------------------------------------------------------------------------------------
# Catalogue and filing
# ------------------------------------------------------------------------------------------------


def catalogue(request: HttpRequest) -> HttpResponse:
    query = (request.GET.get("q") or "").strip()[:200]
    procedures = list(selectors.catalogue_search(query))
    return render(request, "citizen/catalogue.html", {"q": query, "procedures": procedures})


def _procedure(code: str) -> Procedure:
    proc = Procedure.objects.select_related("field", "competent_unit").filter(code=code, citizen_facing=True).first()
    if proc is None:
        raise Http404("Không tìm thấy thủ tục.")
    return proc


def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    proc = _procedure(code)
    return render(request, "citizen/procedure.html", {
        "p": proc, "components": list(proc.components.all()), "desks": selectors.filing_desks(proc),
        "online": services.online_filing_allowed(proc),
        "processing_time": f"{proc.processing_time.normalize():f} {proc.get_time_unit_display()}",
    })


@require_http_methods(["GET", "POST"])
def file_online(request: HttpRequest, code: str) -> HttpResponse:
    proc = _procedure(code)
    if not services.online_filing_allowed(proc):
        return redirect("citizen:procedure", code=proc.code)
    components = list(proc.components.all())
    desks = selectors.filing_desks(proc)
    ctx = {"p": proc, "components": components, "desks": desks, "values": {}, "errors": {}, "file_errors": {},
           "max_mb": int(conf.get("CONGVU_CITIZEN_UPLOAD_MAX_BYTES")) // 1048576,
           "accept": ",".join(ext for k in conf.get("CONGVU_CITIZEN_UPLOAD_TYPES") for ext in KINDS[k][1])}
    if request.method == "GET":
        ctx["form_token"] = form_token_new()
        return render(request, "citizen/file.html", ctx)
    token = form_token_check(request.POST.get("form_token", ""))
    if token is None:
        ctx.update(form_token=form_token_new(), error="Biểu mẫu đã hết hạn hoặc không hợp lệ; hãy kiểm tra và bấm "
                   "nộp lại. Chưa có gì được lưu.")
        return render(request, "citizen/file.html", ctx, status=400)
    ctx["form_token"] = request.POST["form_token"]
    done = services.submission_by_key(token)
    if done is not None:  # the same form posted again (double click, reload): point at the first
        messages.info(request, f"Hồ sơ này đã được nộp (số biên nhận {done.receipt_number}); không nộp lần hai.")
        return redirect("citizen:receipt", token=signing.dumps(done.pk, salt=_RECEIPT_SALT))
    if not _form_limit_ok(request, "filing"):
        return _too_many(request)
    values = {k: request.POST.get(k, "") for k in ("applicant_name", "applicant_phone", "applicant_id_number",
                                                   "applicant_email", "applicant_address", "unit")}
    ctx["values"] = values
    desk = next((d for d in desks if str(d.pk) == values["unit"]), None)
    if desk is None and len(desks) == 1:
        desk = desks[0]
    form_key = request.POST["form_token"]
    fresh = {c.pk: request.FILES[f"file_{c.pk}"] for c in components if f"file_{c.pk}" in request.FILES}
    # Files kept from an earlier failed submit of this form, unless attached again (issue 15).
    files = {**stash.stash_files(form_key, [c.pk for c in components if c.pk not in fresh]), **fresh}
    try:
        sub = services.submission_create(
            procedure=proc, unit=desk or (desks[0] if desks else None), applicant_name=values["applicant_name"],
            applicant_phone=values["applicant_phone"], applicant_id_number=values["applicant_id_number"],
            applicant_email=values["applicant_email"], applicant_address=values["applicant_address"], files=files,
            idempotency_key=token, validate_only=desk is None)
        if desk is None:  # every other field is right: only the place is missing
            raise services.InvalidSubmission("submission.invalid", "Hãy chọn nơi nộp hồ sơ. Chưa có gì được lưu.",
                                             details={"fields": {"unit": "Hãy chọn nơi nộp hồ sơ."}, "files": {}})
    except services.InvalidSubmission as exc:
        fields, file_errors = dict(exc.details.get("fields", {})), exc.details.get("files", {})
        if desk is None:
            fields["unit"] = "Hãy chọn nơi nộp hồ sơ."
        n = len(fields) + len(file_errors)
        stash.stash_save(form_key, {pk: f for pk, f in fresh.items() if pk not in file_errors})
        kept_note = " Các tệp hợp lệ đã được giữ lại, không cần chọn lại." if any(
            pk not in file_errors for pk in files) else ""
        ctx.update(error=f"Hồ sơ chưa được nộp: có {n} mục cần sửa. Chưa có gì được lưu.{kept_note}", errors=fields,
                   file_errors=file_errors, kept=_kept(form_key, file_errors))
        return render(request, "citizen/file.html", ctx, status=400)
    except DomainError as exc:
        ctx["error"] = exc.message
        return render(request, "citizen/file.html", ctx, status=400)
    stash.stash_clear(form_key)
    token = signing.dumps(sub.pk, salt=_RECEIPT_SALT)
    return redirect("citizen:receipt", token=token)


def _kept(form_key: str, file_errors: dict) -> dict[int, str]:
    """{component id: file name} kept for the form (shown beside each file field)."""
    return {int(pk): info["name"] for pk, info in stash.stash_names(form_key).items() if int(pk) not in file_errors}


_FORM_SALT = "citizen.filing-form"


def form_token_new() -> str:
    """A single-use token for one filing form (signed: only tokens this site issued are accepted)."""
    return signing.dumps(uuid.uuid4().hex, salt=_FORM_SALT)


def form_token_check(value: str) -> str | None:
    """The key inside a form token, or None when it is missing, forged or older than a day."""
    try:
        key = signing.loads(value[:200], salt=_FORM_SALT, max_age=86400)
    except signing.BadSignature:
        return None
    return key if isinstance(key, str) and len(key) == 32 else None


def receipt(request: HttpRequest, token: str) -> HttpResponse:
    try:
        pk = signing.loads(token, salt=_RECEIPT_SALT, max_age=7 * 86400)
    except signing.BadSignature as exc:
        raise Http404("Biên nhận không hợp lệ hoặc đã hết hạn xem.") from exc
    sub = get_object_or_404(OnlineSubmission.objects.select_related("procedure", "unit"), pk=pk)
    return render(request, "citizen/receipt.html", {"s": sub, "files": list(sub.files.all()),
                                                    "phone4": sub.applicant_phone[-4:]})


# ------------------------------------------------------------------------------------------------
# Lookup
# ------------------------------------------------------------------------------------------------


_PAKN_KEYS: dict[str, bytes] = {}


def pakn_ref_for(dossier_id: int) -> str:
    """`signing.dumps(dossier_id, salt=_PAKN_SALT)`, byte for byte (the complaint form `signing.loads` it,
    a day at most), with the HMAC key derived once per secret instead of on every lookup."""
    secret = settings.SECRET_KEY
    key = _PAKN_KEYS.get(secret)
    if key is None:
        key = _PAKN_KEYS[secret] = hashlib.sha256(f"{_PAKN_SALT}signer".encode() + force_bytes(secret)).digest()
    value = f"{signing.b64_encode(str(int(dossier_id)).encode()).decode()}:{signing.b62_encode(int(time.time()))}"
    return f"{value}:{signing.b64_encode(hmac.new(key, value.encode(), hashlib.sha256).digest()).decode()}"


_CHROME: dict[str, dict[str, Any]] = {}
_CHROME_MSGIDS = {  # gettext_noop: extracted by makemessages, translated once per language in _chrome()
    "portal": gettext_noop("Cổng dịch vụ công"), "title": gettext_noop("Hồ sơ %(code)s"),
    "procedure": gettext_noop("Thủ tục"), "unit": gettext_noop("Nơi tiếp nhận"),
    "submitted": gettext_noop("Nộp trực tuyến lúc"), "received": gettext_noop("Tiếp nhận lúc"),
    "due": gettext_noop("Ngày hẹn trả kết quả"), "due_fmt": gettext_noop("%(time)s ngày %(date)s"),
    "timeline": gettext_noop("Quá trình xử lý"), "complain": gettext_noop("Gửi phản ánh, kiến nghị về hồ sơ này"),
}


def _chrome() -> dict[str, Any]:
    """What every lookup result shows whatever the dossier, translated and rendered once per language
    (labels, the header and footer, static and complaint URLs) instead of on every request."""
    lang = translation.get_language() or settings.LANGUAGE_CODE
    chrome = _CHROME.get(lang)
    if chrome is None:
        chrome = {key: gettext(msgid) for key, msgid in _CHROME_MSGIDS.items()}
        chrome.update(header=mark_safe(render_to_string("citizen/_pub_header.html")),  # noqa: S308 - our template
                      footer=mark_safe(render_to_string("citizen/_pub_footer.html")),  # noqa: S308 - our template
                      css=static("citizen/citizen.css"), complaint_url=reverse("citizen:complaint"))
        _CHROME[lang] = chrome
    return chrome


@csrf_exempt  # a read; no token in the page keeps "not found" byte-identical whatever was asked
@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":  # ?code= prefilled from the notification links (onestop.notify.lookup_url)
        return render(request, "citizen/lookup.html", {"code": (request.GET.get("code") or "")[:60]})
    code = request.POST.get("code", "")[:80]
    # Per client, then per code: one Redis command, sent now and answered after the statement below
    # (the two round trips overlap). A refused request never sees the statement's result.
    answer = ratelimit.lookup_gate_start(request, code)
    try:
        result = selectors.lookup(code, request.POST.get("phone4", "")[:20])
    finally:
        gate = answer()
    if gate == "flood":
        return _too_many(request)
    if gate == "locked":
        window = int(conf.get("CONGVU_CITIZEN_LOOKUP_CODE_WINDOW"))
        response = render(request, "citizen/too_many.html", {"minutes": max(1, window // 60), "code_locked": True},
                          status=429)
        response["Retry-After"] = str(window)
        return response
    if result is None:
        ratelimit.code_failed(code, request)
        return render(request, "citizen/lookup.html", {"not_found": True}, status=404)
    pakn_ref = pakn_ref_for(result.dossier_id) if result.dossier_id is not None else ""
    chrome = _chrome()
    result.title = chrome["title"] % {"code": result.code}
    result.submitted_text = selectors.when_text(result.submitted_at)
    result.received_text = selectors.when_text(result.received_at)
    if result.due_at is not None:
        time_text, _, date_text = selectors.when_text(result.due_at).partition(" ")
        result.due_text = chrome["due_fmt"] % {"time": time_text, "date": date_text}
    page = lookup_page.render(result, pakn_ref, chrome)  # the template compiled once per language and shape
    if page is None:  # rare shapes (apology letter, reused documents): the template itself
        response = render(request, lookup_page.TEMPLATE, {"r": result, "pakn_ref": pakn_ref, "chrome": chrome})
    else:
        response = HttpResponse(page)
    response["Cache-Control"] = "no-store"
    return response


# ------------------------------------------------------------------------------------------------
# Rating
# ------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, token: str) -> HttpResponse:
    if not _form_limit_ok(request, "rating"):
        return _too_many(request)
    client = ratelimit.client_ip(request)
    try:
        rating = services.rating_for_token(token, client=client)
        if request.method == "POST":
            overall = request.POST.get("overall", "")
            scores = {c.key: int(v) if (v := request.POST.get(c.key, "")).isdigit() else None for c in criteria.ASKED}
            try:
                rating = services.rating_submit(token=token, overall=int(overall) if overall.isdigit() else -1,
                                                scores=scores, comment=request.POST.get("comment", ""), client=client)
            except services.RatingRefused:
                raise
            except DomainError as exc:
                return render(request, "citizen/rate.html", _rate_ctx(rating, error=exc.message, post=request.POST),
                              status=400)
            return render(request, "citizen/rate_done.html", {"rating": rating})
    except services.RatingRefused as exc:
        return render(request, "citizen/refused.html", {"message": exc.message}, status=410)
    return render(request, "citizen/rate.html", _rate_ctx(rating))


def _rate_ctx(rating, error: str = "", post=None) -> dict:
    computed = services.computed_scores(rating.dossier)
    shown = [(c, dict(c.choices).get(computed.get(c.key))) for c in criteria.CRITERIA if c.computed]
    return {"rating": rating, "d": rating.dossier, "computed": shown, "asked": criteria.ASKED,
            "overall_choices": criteria.OVERALL_CHOICES, "error": error, "post": post or {}}


# ------------------------------------------------------------------------------------------------
# PAKN
# ------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def complaint(request: HttpRequest) -> HttpResponse:
    ref = request.GET.get("ref") or request.POST.get("ref") or ""
    dossier = None
    if ref:
        try:
            dossier = Dossier.objects.select_related("unit").filter(
                pk=signing.loads(ref, salt=_PAKN_SALT, max_age=86400)).first()
        except signing.BadSignature:
            ref = ""
    units = list(Unit.objects.filter(kind="onestop_desk").order_by("path"))
    ctx = {"ref": ref, "dossier": dossier, "units": units, "kinds": ComplaintKind.choices, "values": {}}
    if request.method == "GET":
        return render(request, "citizen/complaint.html", ctx)
    if not _form_limit_ok(request, "pakn"):
        return _too_many(request)
    values = {k: request.POST.get(k, "") for k in ("kind", "text", "contact_name", "contact_phone", "contact_email",
                                                   "unit")}
    ctx["values"] = values
    unit = next((u for u in units if str(u.pk) == values["unit"]), None)
    try:
        c = services.complaint_create(kind=values["kind"], text=values["text"], contact_name=values["contact_name"],
                                      contact_phone=values["contact_phone"], contact_email=values["contact_email"],
                                      unit=unit, dossier=dossier)
    except DomainError as exc:
        ctx["error"] = exc.message
        return render(request, "citizen/complaint.html", ctx, status=400)
    return render(request, "citizen/complaint_done.html", {"c": c})


def bench_ping(request: HttpRequest) -> HttpResponse:
    """A bare view through the same middleware, for the bench's ratio (DEBUG or CONGVU_CITIZEN_BENCH)."""
    if not (settings.DEBUG or conf.get("CONGVU_CITIZEN_BENCH")):
        raise Http404
    return HttpResponse(b"ok", content_type="text/plain")


# ------------------------------------------------------------------------------------------------
# Officer desk
# ------------------------------------------------------------------------------------------------


def _scope_ids(user, action: Action) -> set[int] | None:
    if user.is_superuser:
        return None
    return set(policy.scoped_units(user, action).values_list("pk", flat=True))


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, Action.DOSSIER_PROCESS)
    rows = list(selectors.submissions_pending(unit_ids=_scope_ids(request.user, Action.DOSSIER_PROCESS))[:200])
    return render(request, "citizen/desk/pending.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def desk_submission(request: HttpRequest, pk: int) -> HttpResponse:
    sub = get_object_or_404(OnlineSubmission.objects.select_related("procedure", "unit", "dossier"), pk=pk)
    policy.require(request.user, Action.DOSSIER_PROCESS, sub.unit)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                d = services.submission_accept(actor=request.user, submission=sub)
                messages.success(request, f"Đã tiếp nhận hồ sơ {d.code}; hẹn trả "
                                          f"{timezone.localtime(d.due_at):%H:%M ngày %d/%m/%Y}.")
            elif action in ("supplement", "reject"):
                services.submission_reject(actor=request.user, submission=sub, reason=request.POST.get("reason", ""),
                                           supplement=action == "supplement")
                messages.success(request, f"Đã xử lý hồ sơ {sub.receipt_number}: {sub.get_status_display()}.")
            else:
                raise DomainError("desk.action", "Thao tác không hợp lệ.")
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("citizen:desk_submission", pk=sub.pk)
        return redirect("citizen:desk")
    return render(request, "citizen/desk/submission.html", {
        "s": sub, "files": list(sub.files.all()), "pending": sub.status == SubmissionStatus.SUBMITTED})


@login_required
def desk_file(request: HttpRequest, pk: int) -> FileResponse:
    f = get_object_or_404(SubmissionFile.objects.select_related("submission__unit"), pk=pk)
    policy.require(request.user, Action.DOSSIER_VIEW, f.submission.unit)
    response = FileResponse(f.file.open("rb"), as_attachment=True, filename=f"{f.pk}-{f.original_name}",
                            content_type=CONTENT_TYPES.get(f.kind, "application/octet-stream"))
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def desk_complaints(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, Action.DOSSIER_VIEW)
    rows = list(selectors.complaints_for_leader(request.user)[:300])
    return render(request, "citizen/desk/complaints.html", {"rows": rows, "today": timezone.localdate()})


@login_required
@require_http_methods(["GET", "POST"])
def desk_complaint(request: HttpRequest, pk: int) -> HttpResponse:
    c = get_object_or_404(Complaint.objects.select_related("unit", "dossier"), pk=pk)
    policy.require(request.user, Action.DOSSIER_VIEW, c.unit)
    is_leader = services.leader_of(request.user, c.unit)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "review":
                services.complaint_review_start(actor=request.user, complaint=c)
            elif action in ("answer", "refuse"):
                services.complaint_answer(actor=request.user, complaint=c, answer=request.POST.get("answer", ""),
                                          refuse=action == "refuse")
                messages.success(request, "Đã trả lời phản ánh, kiến nghị.")
            else:
                raise DomainError("desk.action", "Thao tác không hợp lệ.")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(reverse("citizen:desk_complaint", args=[c.pk]))
    return render(request, "citizen/desk/complaint.html", {
        "c": c, "is_leader": is_leader,
        "open": c.state in (ComplaintState.RECEIVED, ComplaintState.UNDER_REVIEW)})
