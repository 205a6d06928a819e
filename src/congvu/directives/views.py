"""Pages of the directives module: import and review, tracking lists, task page, statistics, exports."""

from __future__ import annotations

import datetime as dt
import json
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from congvu.common.bounds import int_in_range
from congvu.common.errors import DomainError
from congvu.directives import draft as drafts
from congvu.directives import importing, selectors, services
from congvu.directives.models import (
    Extension,
    ExtensionStatus,
    ImportStatus,
    Notice,
    NoticeImport,
    ProgressReport,
)
from congvu.directives.workflow import STATE_LABELS, State, available
from congvu.org.models import Unit
from congvu.org.policy import decide, require, scoped_units
from congvu.org.roles import Action
from congvu.reports.followup import followup_docx, followup_xlsx
from congvu.web.scope import parse_date, selected_unit

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _rows(tasks, today):
    return [{"task": t, "status": selectors.task_status(t, today)} for t in tasks]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.DIRECTIVE_VIEW)
    today = timezone.localdate()
    visible = selectors.tasks_visible(user=request.user)
    view = request.GET.get("view", "unit")
    unit = selected_unit(request)
    if view == "overdue":
        tasks = selectors.tasks_overdue(today=today, qs=visible)
    elif view == "due_soon":
        tasks = selectors.tasks_due_soon(today=today, qs=visible)
    elif view == "all":
        tasks = visible.order_by("deadline", "id")
    else:
        view = "unit"
        tasks = selectors.tasks_of_unit(unit=unit, qs=visible).order_by("deadline", "id") if unit else visible.none()
    # Paged and searchable (issue 15): the words of `q`, accent-insensitive, in the task or its lead unit.
    query = (request.GET.get("q") or "").strip()[:200]
    if query:
        from congvu.common.text import search_key

        words = search_key(query).split()
        matches = [t.pk for t in tasks.select_related("unit")
                   if all(w in search_key(f"{t.action} {t.assignee_label} {t.notice.number}") for w in words)]
        tasks = tasks.filter(pk__in=matches)
    from django.core.paginator import Paginator

    page = Paginator(tasks, 25).get_page(request.GET.get("page"))
    context = {
        "view": view, "unit": unit, "rows": _rows(page.object_list, today), "page": page, "query": query,
        "counts": {"overdue": selectors.tasks_overdue(today=today, qs=visible).count(),
                   "due_soon": selectors.tasks_due_soon(today=today, qs=visible).count()},
        "notices": selectors.notices_visible(user=request.user)[:50],
        "imports": selectors.imports_visible(user=request.user).filter(status=ImportStatus.DRAFT)[:20],
        "can_manage": decide(request.user, Action.DIRECTIVE_MANAGE).allowed,
    }
    return render(request, "directives/index.html", context)


@login_required
def import_new(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.DIRECTIVE_MANAGE)
    units = scoped_units(request.user, Action.DIRECTIVE_MANAGE).order_by("path")[:500]
    current = selected_unit(request)
    wants_json = request.headers.get("X-Requested-With") == "XMLHttpRequest"
    duplicate = None
    if request.method == "POST":
        try:
            unit = get_object_or_404(Unit, pk=request.POST.get("unit") or 0)
            record = importing.notice_import_create(actor=request.user, unit=unit, text=request.POST.get("text"),
                                                    upload=request.FILES.get("file"),
                                                    as_new_version=request.POST.get("as_new_version") == "1")
        except DomainError as exc:
            if exc.code == "import.duplicate":
                duplicate = {"message": exc.message, "url": _duplicate_url(exc.details)}
            if wants_json:
                body = {"code": exc.code, "message": exc.message}
                if duplicate:
                    body["url"] = duplicate["url"]
                return JsonResponse(body, status=exc.status)
            if not duplicate:
                messages.error(request, exc.message)
        else:
            url = reverse("directives:import_review", args=[record.pk])
            if wants_json:
                return JsonResponse({"id": record.pk, "url": url}, status=201)
            return redirect(url)
    from django.conf import settings

    return render(request, "directives/import_new.html", {
        "units": units, "current": current, "limit_mb": settings.CONGVU_UPLOAD_MAX_BYTES // (1024 * 1024),
        "doc_supported": importing.libreoffice() is not None, "duplicate": duplicate,
        "text": request.POST.get("text", "") if request.method == "POST" else ""},
        status=409 if duplicate else 200)


def _duplicate_url(details: dict) -> str:
    if details.get("notice_id"):
        return reverse("directives:notice_detail", args=[details["notice_id"]])
    if details.get("import_id"):
        return reverse("directives:import_review", args=[details["import_id"]])
    return ""


def _highlighted(text: str, tasks: list[dict]) -> str:
    """The document as HTML with each task's span wrapped in <mark id="span-tN">, and the notice's own
    emphasis rendered (Markdown `**bold**` and `#` headings of the converted seeds) instead of its marks.
    Offsets index `text` as stored, marks included, so the marks are dropped only when writing out."""
    spans = sorted(((t["start"], t["end"], t["id"]) for t in tasks
                    if isinstance(t.get("start"), int) and isinstance(t.get("end"), int) and t["end"] > t["start"]),
                   key=lambda s: s[0])
    out: list[str] = []
    state = {"bold": False}

    def emit(piece: str) -> None:
        piece = re.sub(r"(?m)^#{1,6} +(.*)$", r"**\1**", piece) if "#" in piece else piece
        parts = piece.split("**")
        for i, part in enumerate(parts):
            if i:
                state["bold"] = not state["bold"]
            if part:
                out.append(f"<strong>{escape(part)}</strong>" if state["bold"] else escape(part))

    pos = 0
    for start, end, tid in spans:
        if start < pos:
            continue  # overlapping spans (after a merge): keep the first
        emit(text[pos:start])
        out.append(f'<mark id="span-{tid}" data-task="{tid}">')
        emit(text[start:end])
        out.append("</mark>")
        pos = end
    emit(text[pos:])
    return mark_safe("".join(out))


@login_required
def import_review(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(selectors.imports_visible(user=request.user), pk=pk)
    require(request.user, Action.DIRECTIVE_VIEW, record)
    if record.status == ImportStatus.CONFIRMED and record.notice_id:
        return redirect("directives:notice_detail", record.notice_id)
    if request.method == "POST":
        op = request.POST.get("op", "save")
        try:
            d = _draft_from_post(request, record.draft)
            selected = request.POST.getlist("selected")
            if op == "merge":
                d = drafts.merge_tasks(d, selected)
            elif op == "delete":
                d = drafts.delete_tasks(d, selected)
            elif op == "add":
                d, _ = drafts.add_task(d)
            elif op.startswith("adopt:"):
                d, _ = drafts.adopt_suggestion(d, op.split(":", 1)[1])
            elif op.startswith("split:"):
                tid = op.split(":", 1)[1]
                text = next(t["action"] for t in d["tasks"] if t["id"] == tid)
                parts = [p for p in text.replace(";", "\n").splitlines()]
                d = drafts.split_task(d, tid, parts)
            record = importing.notice_import_save_draft(actor=request.user, record=record,
                                                        expected_version=request.POST.get("version"), draft=d)
            if op == "confirm":
                gaps = _gaps(record.draft)
                if (gaps["no_unit"] or gaps["no_deadline"]) and request.POST.get("ack_gaps") != "1":
                    messages.error(request, _gaps_text(gaps) + " Hãy bổ sung, hoặc đánh dấu «Vẫn xác nhận» để "
                                   "theo dõi các nhiệm vụ này như hiện có.")
                    return redirect("directives:import_review", record.pk)
                notice = importing.notice_import_confirm(actor=request.user, record=record,
                                                         expected_version=record.version)
                messages.success(request, f"Đã xác nhận {notice.tasks.count()} nhiệm vụ.")
                return redirect("directives:notice_detail", notice.pk)
            if op == "discard":
                importing.notice_import_discard(actor=request.user, record=record)
                messages.info(request, "Đã hủy bản nhập.")
                return redirect("directives:index")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("directives:import_review", record.pk)
    d = record.draft
    units = list(Unit.objects.filter(path__startswith="/" + record.unit.path.strip("/").split("/")[0] + "/")
                 .filter(valid_to__isnull=True).order_by("path").values("id", "name")[:1000])
    for t in d.get("tasks", []):
        t["flag_labels"] = [drafts.flag_label(f) for f in t.get("flags", [])]
        t.update(drafts.review_hints(t))
    for sug in d.get("suggestions", []):
        sug["reason_label"] = drafts.suggestion_reason(sug.get("reason", ""))
    gaps = _gaps(d)
    return render(request, "directives/import_review.html", {
        "record": record, "draft": d, "meta": d.get("meta", {}), "units": units,
        "gaps": gaps, "gaps_text": _gaps_text(gaps) if gaps["no_unit"] or gaps["no_deadline"] else "",
        "duplicate_of": _duplicate_url(d.get("meta", {}).get("supersedes") or {}),
        "doc_html": _highlighted(record.text, d.get("tasks", [])), "editable": record.status == ImportStatus.DRAFT})


def _gaps(d: dict) -> dict[str, int]:
    """How many proposed tasks have no lead unit / no deadline (said before confirming)."""
    tasks = d.get("tasks", [])
    return {"total": len(tasks), "no_unit": sum(1 for t in tasks if not t.get("unit_id")),
            "no_deadline": sum(1 for t in tasks if not t.get("deadline"))}


def _gaps_text(gaps: dict[str, int]) -> str:
    parts = []
    if gaps["no_unit"]:
        parts.append(f"{gaps['no_unit']} nhiệm vụ chưa có đơn vị chủ trì")
    if gaps["no_deadline"]:
        parts.append(f"{gaps['no_deadline']} nhiệm vụ chưa có thời hạn")
    return f"Trong {gaps['total']} nhiệm vụ: " + ", ".join(parts) + "."


def _draft_from_post(request: HttpRequest, d: dict) -> dict:
    """Apply the edited fields of the review form to the stored draft."""
    d = json.loads(json.dumps(d))
    meta = d.setdefault("meta", {})
    for key in ("number", "title", "date"):
        if f"meta_{key}" in request.POST:
            value = request.POST[f"meta_{key}"].strip()
            meta[key] = (parse_date(value).isoformat() if parse_date(value) else None) if key == "date" else value
    for task in d.get("tasks", []):
        tid = task["id"]
        if f"action_{tid}" not in request.POST:
            continue
        fields = {"action": request.POST[f"action_{tid}"].strip()}
        unit_id = request.POST.get(f"unit_{tid}", "")
        fields["unit_id"] = int(unit_id) if unit_id.isdigit() else None
        deadline = parse_date(request.POST.get(f"deadline_{tid}", ""))
        fields["deadline"] = deadline.isoformat() if deadline else None
        d = drafts.update_task(d, tid, **fields)
    return drafts.refresh(d)


@login_required
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(selectors.notices_visible(user=request.user), pk=pk)
    today = timezone.localdate()
    tasks = notice.tasks.select_related("unit").prefetch_related("co_assignees")
    return render(request, "directives/notice_detail.html", {"notice": notice, "rows": _rows(tasks, today)})


def followup_response(notice: Notice, fmt: str) -> HttpResponse:
    data = selectors.followup_data(notice=notice)
    if fmt == "docx":
        body, ctype = followup_docx(data), DOCX
    elif fmt == "xlsx":
        body, ctype = followup_xlsx(data), XLSX
    else:
        raise DomainError("export.format", "Định dạng xuất chỉ có docx hoặc xlsx.")
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="bao-cao-thuc-hien-ket-luan-{notice.pk}.{fmt}"'
    return response


@login_required
def notice_followup(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    notice = get_object_or_404(selectors.notices_visible(user=request.user), pk=pk)
    try:
        return followup_response(notice, fmt)
    except DomainError as exc:
        return HttpResponse(exc.message, status=400)


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(selectors.tasks_visible(user=request.user), pk=pk)
    require(request.user, Action.DIRECTIVE_VIEW, task)
    if request.method == "POST":
        op = request.POST.get("op", "")
        try:
            if op.startswith("transition:"):
                services.task_transition(actor=request.user, task=task, name=op.split(":", 1)[1],
                                         expected_version=request.POST.get("version"), note=request.POST.get("note", ""))
            elif op == "progress":
                percent = request.POST.get("percent") or None
                services.progress_report_create(actor=request.user, task=task, text=request.POST.get("text", ""),
                                                percent=int_in_range(percent, "Tiến độ", 0, 100) if percent else None,
                                                attachment=request.FILES.get("attachment"))
            elif op == "comment":
                services.task_comment_create(actor=request.user, task=task, text=request.POST.get("text", ""))
            elif op == "extension":
                new = parse_date(request.POST.get("new_deadline"))
                if new is None:
                    raise DomainError("extension.date", "Hãy nhập thời hạn đề nghị (dd/mm/yyyy).")
                services.extension_request(actor=request.user, task=task, new_deadline=new,
                                           reason=request.POST.get("reason", ""))
            elif op in ("approve", "reject"):
                ext = get_object_or_404(Extension, pk=request.POST.get("extension"), task=task)
                services.extension_decide(actor=request.user, extension=ext, approve=op == "approve",
                                          note=request.POST.get("note", ""))
            messages.success(request, "Đã lưu.")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("directives:task_detail", task.pk)
    today = timezone.localdate()
    transitions = [t for t in available(task.state)
                   if decide(request.user, t.action, task if t.actor_side == "assignee" else task.notice)]
    return render(request, "directives/task_detail.html", {
        "task": task, "status": selectors.task_status(task, today), "transitions": transitions,
        "reports": task.progress_reports.all(), "comments": task.comments.all(),
        "extensions": task.extensions.all(), "history": selectors.deadline_history(task=task),
        "pending_extension": task.extensions.filter(status=ExtensionStatus.PENDING).first(),
        "log": task.transitions.all(), "labels": STATE_LABELS, "flags": [drafts.flag_label(f) for f in task.flags],
        "can_report": decide(request.user, Action.TASK_REPORT, task).allowed,
        "can_accept": decide(request.user, Action.TASK_ACCEPT, task.notice).allowed,
        "can_comment": services.comment_allowed(request.user, task),
    })


def _file_response(field, name: str) -> FileResponse:
    """A stored file sent as a download (never rendered inline, never from a public /media/ path)."""
    try:
        handle = field.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("Không tìm thấy tệp.") from exc
    response = FileResponse(handle, as_attachment=True, filename=name or field.name.rsplit("/", 1)[-1])
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def report_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """A progress report's attachment, to whoever may see its task (same 404 as a missing one)."""
    report = get_object_or_404(ProgressReport.objects.filter(task__in=selectors.tasks_visible(user=request.user),
                                                             attachment__gt=""), pk=pk)
    return _file_response(report.attachment, report.attachment_name)


@login_required
def notice_original(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(selectors.notices_visible(user=request.user), pk=pk)
    record = NoticeImport.objects.filter(notice=notice).first()
    if record is None or not record.original:
        raise Http404("Không tìm thấy tệp.")
    return _file_response(record.original, record.original_name)


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.DIRECTIVE_VIEW)
    today = timezone.localdate()
    visible = selectors.tasks_visible(user=request.user)
    year = today.year
    if not request.GET.get("start") and not request.GET.get("end"):
        # Open on the latest year with data (not an empty current year): the year of the latest deadline
        # up to the end of this year.
        from django.db.models import Max

        latest = visible.filter(deadline__lte=dt.date(today.year, 12, 31)).aggregate(m=Max("deadline"))["m"]
        year = latest.year if latest else today.year
    start = parse_date(request.GET.get("start")) or dt.date(year, 1, 1)
    end = parse_date(request.GET.get("end")) or dt.date(year, 12, 31)
    rates = selectors.completion_rates(start=start, end=end, qs=visible)
    bar_h = 26
    chart = {"height": bar_h * len(rates) + 10, "bars": [
        {"y": i * bar_h + 5, "w": r.rate * 4, "label": r.unit_name, "rate": r.rate, "text_y": i * bar_h + 22}
        for i, r in enumerate(rates)]}
    return render(request, "directives/stats.html", {"rates": rates, "start": start, "end": end, "chart": chart,
                                                     "states": State})
