"""Receipt at the desk and the dossier page: header, timeline, slips, and the allowed actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congvu.common.errors import Conflict, DomainError
from congvu.onestop import hooks, services
from congvu.onestop.models import (
    ApologyLetter,
    Dossier,
    DossierComponent,
    DossierResultFile,
    Procedure,
    ReceiptSlip,
    Refusal,
)
from congvu.onestop.selectors import TIMELINESS_LABELS, dossier_timeliness, procedures_for_desk
from congvu.onestop.views import actions
from congvu.onestop.views.forms import RETURN_METHODS, ReceiveForm
from congvu.onestop.workflow import STATE_LABELS, TABLE, State, Transition
from congvu.org import policy
from congvu.org.models import Unit
from congvu.org.roles import Action
from congvu.web.scope import selected_unit

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# ------------------------------------------------------------------------------------------------
# Receipt
# ------------------------------------------------------------------------------------------------


def _receiving_units(request: HttpRequest):
    return policy.scoped_units(request.user, Action.DOSSIER_PROCESS).order_by("path")


@login_required
def receive(request: HttpRequest) -> HttpResponse:
    """Tiếp nhận hồ sơ: the form calls `dossier_receive`, then the dossier page shows the slip."""
    policy.require(request.user, Action.DOSSIER_PROCESS)
    units = _receiving_units(request)
    procedures = Procedure.objects.all()
    if request.method == "POST":
        form = ReceiveForm(request.POST, request.FILES, units=units, procedures=procedures)
        if form.is_valid():
            data = form.cleaned_data
            applicant = {"procedure": data["procedure"], "unit": data["unit"], "channel": data["channel"],
                         "applicant_name": data["applicant_name"], "applicant_phone": data["applicant_phone"],
                         "applicant_id_number": data["applicant_id_number"],
                         "applicant_address": data["applicant_address"]}
            items = form.component_items(request.FILES) if data["intent"] == "receive" else []
            try:
                if data["intent"] == "guidance":
                    d = services.dossier_guidance_create(actor=request.user, note=data["guidance_note"], **applicant)
                    messages.success(request, _("Đã lưu hồ sơ đang hướng dẫn %(code)s (chờ tiếp nhận).")
                                     % {"code": d.code})
                    return redirect(d_url(d))
                if data["intent"] == "refuse":
                    d = services.dossier_refuse_at_receipt(actor=request.user, reason=data["refusal_reason"],
                                                           legal_basis=data["refusal_legal_basis"], **applicant)
                    messages.success(request, _("Đã từ chối tiếp nhận; in Phiếu từ chối (Mẫu 03) giao người nộp."))
                    return redirect(d_url(d))
                # Files first (content and size): a bad file refuses the receipt with nothing saved.
                services.onestop_files_check({i: it["file"] for i, it in enumerate(items) if it["file"]})
                with transaction.atomic():
                    d = services.dossier_receive(
                        actor=request.user, procedure=data["procedure"], unit=data["unit"],
                        applicant_name=data["applicant_name"], channel=data["channel"],
                        applicant_phone=data["applicant_phone"], applicant_id_number=data["applicant_id_number"],
                        applicant_address=data["applicant_address"], digitized_components=form.digitized_components,
                        reused_data=data["reused_data"],
                    )
                    if items:
                        services.dossier_components_record(actor=request.user, dossier=d, items=items)
            except DomainError as exc:
                for message in (exc.details.get("files") or {}).values() or [exc.message]:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Đã tiếp nhận hồ sơ %(code)s.") % {"code": d.code})
                return redirect(f"{d_url(d)}?slip=1")
    else:
        current = selected_unit(request)
        initial = {"unit": current.pk} if current is not None and units.filter(pk=current.pk).exists() else {}
        form = ReceiveForm(initial=initial, units=units, procedures=procedures)
    options = list(procedures_for_desk())
    if form.procedure_obj is not None and form.procedure_obj not in options:
        options.insert(0, form.procedure_obj)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "onestop/receive.html", {"form": form, "procedure_options": options}, status=status)


@login_required
def procedure_options(request: HttpRequest) -> HttpResponse:
    """htmx: the <option>s of the procedure picker for what was typed (accent-insensitive)."""
    policy.require(request.user, Action.DOSSIER_VIEW)
    return render(request, "onestop/_procedure_options.html",
                  {"procedure_options": procedures_for_desk(query=request.GET.get("proc_q", ""))})


@login_required
def procedure_components(request: HttpRequest) -> HttpResponse:
    """htmx: the components checklist of the chosen procedure."""
    policy.require(request.user, Action.DOSSIER_VIEW)
    initial = {name: request.GET.get(name, "") for name in
               ("procedure", "applicant_id_number", "applicant_name", "applicant_phone")}
    form = ReceiveForm(initial=initial, units=Unit.objects.none(), procedures=Procedure.objects.none())
    return render(request, "onestop/_components.html", {"form": form})


# ------------------------------------------------------------------------------------------------
# Dossier page
# ------------------------------------------------------------------------------------------------


def d_url(d: Dossier) -> str:
    from django.urls import reverse

    return reverse("onestop:dossier", args=[d.code])


def _dossier(request: HttpRequest, code: str) -> Dossier:
    d = get_object_or_404(Dossier.objects.select_related("procedure", "unit", "current_step"), code=code)
    policy.require_found(request.user, Action.DOSSIER_VIEW, d)  # out of scope reads like not found
    return d


def _transition_label(name: str) -> str:
    try:
        return TABLE[Transition(name)].label.capitalize()
    except ValueError:
        return name


def _state_label(value: str) -> str:
    return STATE_LABELS[State(value)] if value else ""


def _page(request: HttpRequest, d: Dossier, *, failed: str = "", failed_form=None, error: str = "",
          status: int = 200) -> HttpResponse:
    now = timezone.now()
    can_process = bool(policy.decide(request.user, Action.DOSSIER_PROCESS, d))
    offered = []
    if can_process:
        for a in actions.actions_for(d):
            form = failed_form if a.name == failed and failed_form is not None else a.form(
                initial={"version": d.version}, prefix=a.name)
            offered.append({"action": a, "form": form, "open": a.name == failed})
    lost_input = None
    if failed and failed_form is not None and failed not in {o["action"].name for o in offered}:
        # The action is no longer possible (someone moved the dossier): still show what was typed.
        lost_input = [(str(failed_form.fields[n].label), failed_form.data.get(f"{failed}-{n}", ""))
                      for n in failed_form.fields if n != "version" and failed_form.data.get(f"{failed}-{n}")]
    events = [{"e": e, "label": _transition_label(e.transition), "from": _state_label(e.from_state),
               "to": _state_label(e.to_state)}
              for e in d.events.select_related("actor", "step").order_by("at", "id")]
    pauses = services.dossier_pauses(d)
    key = dossier_timeliness(d, now)
    context = {
        "d": d, "state_label": STATE_LABELS[State(d.state)], "timeliness": key,
        "timeliness_label": TIMELINESS_LABELS[key], "events": events, "offered": offered,
        "paused_since": pauses[-1].start if pauses and pauses[-1].end is None else None,
        "pauses": pauses, "slip": ReceiptSlip.objects.filter(dossier=d).first(),
        "supplements": d.supplement_requests.order_by("requested_at"),
        "apology": ApologyLetter.objects.filter(dossier=d).first(),
        "refusal": Refusal.objects.filter(dossier=d).first(),
        "steps": list(d.procedure.steps.select_related("responsible_unit").order_by("order")),
        "show_slip": request.GET.get("slip") == "1", "error": error, "failed": failed, "lost_input": lost_input,
        "can_process": can_process, "printable": _printable(d),
        "component_rows": list(DossierComponent.objects.filter(dossier=d).select_related(
            "reused_from__dossier", "reused_result_of")),
        "result_file": DossierResultFile.objects.filter(dossier=d).first(),
        "panels": hooks.dossier_panels(request, d),
    }
    return render(request, "onestop/dossier.html", context, status=status)


def _printable(d: Dossier) -> list[dict]:
    """The printable forms (Mẫu 01–06) that apply to the dossier now, if the documents package is there."""
    try:
        from congvu.onestop import documents
    except ImportError:  # pragma: no cover - documents are optional (weasyprint, python-docx)
        return []
    return [f for f in documents.available_forms(d) if f["applies"]]


@login_required
def form_download(request: HttpRequest, code: str, form_no: str, ext: str) -> HttpResponse:
    """One printable form of the dossier as PDF or Word (rendered by `congvu.onestop.documents`)."""
    from congvu.onestop import documents

    d = _dossier(request, code)
    if ext == "pdf":
        body, ctype = documents.dossier_form_pdf(d, form_no), "application/pdf"
    elif ext == "docx":
        body, ctype = documents.dossier_form_docx(d, form_no), DOCX
    else:
        raise Http404
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{documents.dossier_form_filename(d, form_no, ext)}"'
    return response


@login_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    return _page(request, _dossier(request, code))


@login_required
@require_POST
def act(request: HttpRequest, code: str, name: str) -> HttpResponse:
    """One action from the dossier page. A refusal re-renders the page with the reason and keeps
    what the officer typed; a stale version (someone else acted first) is a 409 with the same."""
    d = _dossier(request, code)
    action = actions.ACTIONS.get(name)
    if action is None:
        raise Http404
    policy.require(request.user, Action.DOSSIER_PROCESS, d)
    form = action.form(request.POST, prefix=name)
    if not form.is_valid():
        return _page(request, d, failed=name, failed_form=form, status=400)
    try:
        actions.run(action, actor=request.user, dossier=d, form=form)
    except Conflict as exc:
        fresh = Dossier.objects.select_related("procedure", "unit", "current_step").get(pk=d.pk)
        data = request.POST.copy()
        data[f"{name}-version"] = str(fresh.version)  # a second submit is then a deliberate retry
        kept = action.form(data, prefix=name)
        kept.is_valid()
        return _page(request, fresh, failed=name, failed_form=kept, error=exc.message, status=409)
    except DomainError as exc:
        fresh = Dossier.objects.select_related("procedure", "unit", "current_step").get(pk=d.pk)
        return _page(request, fresh, failed=name, failed_form=form, error=exc.message, status=exc.status)
    done = str(action.done)
    if name == "return_result":
        done = f"{done.rstrip('.')} ({dict(RETURN_METHODS)[form.cleaned_data['method']].lower()})."
    messages.success(request, done)
    return redirect(d_url(d))



# ------------------------------------------------------------------------------------------------
# Files of the dossier (components and result), for users who may view the dossier
# ------------------------------------------------------------------------------------------------

FILE_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


def _serve(stored, kind: str, filename: str) -> FileResponse:
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=FILE_TYPES.get(kind, "application/octet-stream"),
                            filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


@login_required
def component_file(request: HttpRequest, code: str, pk: int) -> FileResponse:
    d = _dossier(request, code)
    row = get_object_or_404(DossierComponent, pk=pk, dossier=d)
    return _serve(row.file, row.file_kind, f"{d.code}-{row.pk}.{row.file_kind}")


@login_required
def result_file(request: HttpRequest, code: str) -> FileResponse:
    d = _dossier(request, code)
    row = get_object_or_404(DossierResultFile, dossier=d)
    return _serve(row.file, row.file_kind, f"{d.code}-ket-qua.{row.file_kind}")


@login_required
@require_POST
def result_file_upload(request: HttpRequest, code: str) -> HttpResponse:
    """Attach the digitised result document from the dossier page."""
    d = _dossier(request, code)
    policy.require(request.user, Action.DOSSIER_PROCESS, d)
    upload = request.FILES.get("result_file")
    if upload is None:
        return _page(request, d, error=_("Hãy chọn tệp kết quả (PDF, JPG hoặc PNG)."), status=400)
    try:
        services.dossier_result_file_attach(actor=request.user, dossier=d, file=upload)
    except DomainError as exc:
        return _page(request, d, error=exc.message, status=exc.status)
    messages.success(request, _("Đã lưu tệp kết quả đã số hóa."))
    return redirect(d_url(d))
