"""Directive endpoints (mounted at /api/directives by `congvu.api.core.autodiscover`).

Reads go through `congvu.directives.selectors` (scope-filtered), writes through the services;
optimistic locking via `expected_version` (409 `task.stale` / `import.stale`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile

from congvu.api.schemas import ERRORS_READ, ERRORS_WRITE, MAX_PAGE_SIZE, paginate
from congvu.directives import importing, selectors, services
from congvu.directives.draft import flag_label
from congvu.directives.models import Extension, Task
from congvu.directives.workflow import STATE_LABELS, State
from congvu.org.models import Unit
from congvu.org.policy import require
from congvu.org.roles import Action

router = Router(tags=["directives"])


class DirectiveUnitRef(Schema):
    id: int
    code: str
    name: str


class FlagOut(Schema):
    code: str
    label: str


class TaskOut(Schema):
    id: int
    notice_id: int
    kind: str
    ordinal: int
    action: str
    lead: DirectiveUnitRef | None
    lead_text: str
    co_assignees: list[DirectiveUnitRef]
    deadline: dt.date | None
    deadline_text: str
    original_deadline: dt.date | None
    state: str
    state_label: str
    overdue: bool
    days_left: int | None
    days_overdue: int | None
    flags: list[FlagOut]
    source_text: str
    start: int | None
    end: int | None
    version: int


class TaskPage(Schema):
    items: list[TaskOut]
    total: int
    page: int
    page_size: int
    pages: int


class NoticeOut(Schema):
    id: int
    doc_type: str
    number: str
    issuer: str
    issuer_unit: DirectiveUnitRef
    date: dt.date | None
    meeting_date: dt.date | None
    title: str
    task_count: int


class NoticeDetailOut(NoticeOut):
    tasks: list[TaskOut]


class TaskTransitionIn(Schema):
    name: str
    expected_version: int
    note: str = ""


class TaskPatchIn(Schema):
    expected_version: int
    action: str | None = None
    unit_id: int | None = None
    deadline: dt.date | None = None
    deadline_text: str | None = None


class CommentIn(Schema):
    text: str


class ExtensionIn(Schema):
    new_deadline: dt.date
    reason: str


class ExtensionOut(Schema):
    id: int
    task_id: int
    old_deadline: dt.date | None
    new_deadline: dt.date
    reason: str
    status: str


class DecisionIn(Schema):
    approve: bool
    note: str = ""


class ImportOut(Schema):
    id: int
    status: str
    source_kind: str
    original_name: str
    text: str
    draft: dict[str, Any]
    version: int
    notice_id: int | None


class DraftIn(Schema):
    expected_version: int
    draft: dict[str, Any]


class ConfirmIn(Schema):
    expected_version: int


class RateOut(Schema):
    unit_id: int | None
    unit_name: str
    total: int
    on_time: int
    late: int
    open_overdue: int
    rate: float


def _unit_ref(unit: Unit | None) -> dict | None:
    return {"id": unit.pk, "code": unit.code, "name": unit.name} if unit is not None else None


def task_out(task: Task, today: dt.date) -> dict[str, Any]:
    status = selectors.task_status(task, today)
    return {
        "id": task.pk, "notice_id": task.notice_id, "kind": task.kind, "ordinal": task.ordinal, "action": task.action,
        "lead": _unit_ref(task.unit), "lead_text": task.lead_text,
        "co_assignees": [_unit_ref(u) for u in task.co_assignees.all()], "deadline": task.deadline,
        "deadline_text": task.deadline_text, "original_deadline": task.original_deadline, "state": task.state,
        "state_label": STATE_LABELS[State(task.state)], "overdue": status["overdue"],
        "days_left": status["days_left"], "days_overdue": status["days_overdue"],
        "flags": [{"code": f, "label": flag_label(f)} for f in task.flags], "source_text": task.source_text,
        "start": task.start, "end": task.end, "version": task.version,
    }


def _notice_out(notice, today, with_tasks=False) -> dict[str, Any]:
    tasks = list(notice.tasks.select_related("unit").prefetch_related("co_assignees"))
    out = {"id": notice.pk, "doc_type": notice.doc_type, "number": notice.number, "issuer": notice.issuer,
           "issuer_unit": _unit_ref(notice.issuer_unit), "date": notice.date, "meeting_date": notice.meeting_date,
           "title": notice.title, "task_count": len(tasks)}
    if with_tasks:
        out["tasks"] = [task_out(t, today) for t in tasks]
    return out


def _task(request: HttpRequest, task_id: int) -> Task:
    task = get_object_or_404(selectors.tasks_visible(user=request.auth), pk=task_id)
    require(request.auth, Action.DIRECTIVE_VIEW, task)
    return task


@router.get("/notices", response={200: list[NoticeOut], **ERRORS_READ})
def list_notices(request: HttpRequest):
    today = timezone.localdate()
    return [_notice_out(n, today) for n in selectors.notices_visible(user=request.auth)[:MAX_PAGE_SIZE]]


@router.get("/notices/{notice_id}", response={200: NoticeDetailOut, **ERRORS_READ})
def get_notice(request: HttpRequest, notice_id: int):
    notice = get_object_or_404(selectors.notices_visible(user=request.auth), pk=notice_id)
    return _notice_out(notice, timezone.localdate(), with_tasks=True)


@router.get("/notices/{notice_id}/followup.{fmt}", response={200: None, **ERRORS_READ},
            summary="Báo cáo tình hình thực hiện các nội dung kết luận (docx | xlsx)")
def export_followup(request: HttpRequest, notice_id: int, fmt: str):
    from congvu.directives.views import followup_response

    notice = get_object_or_404(selectors.notices_visible(user=request.auth), pk=notice_id)
    return followup_response(notice, fmt)


class TaskFilter(Schema):
    unit: str | None = None
    notice: int | None = None
    state: str | None = None
    view: str | None = None  # overdue | due_soon | mine
    page: int = 1
    page_size: int = 50


@router.get("/tasks", response={200: TaskPage, **ERRORS_READ},
            summary="Nhiệm vụ: theo đơn vị, văn bản, trạng thái; view=overdue | due_soon")
def list_tasks(request: HttpRequest, filters: Query[TaskFilter]):
    today = timezone.localdate()
    qs = selectors.tasks_visible(user=request.auth).prefetch_related("co_assignees")
    if filters.unit:
        unit = get_object_or_404(Unit, code=filters.unit)
        qs = selectors.tasks_of_unit(unit=unit, qs=qs)
    if filters.notice:
        qs = qs.filter(notice_id=filters.notice)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.view == "overdue":
        qs = selectors.tasks_overdue(today=today, qs=qs)
    elif filters.view == "due_soon":
        qs = selectors.tasks_due_soon(today=today, qs=qs)
    items, meta = paginate(qs, max(1, filters.page), min(MAX_PAGE_SIZE, max(1, filters.page_size)))
    return {"items": [task_out(t, today) for t in items], **meta}


@router.get("/tasks/{task_id}", response={200: TaskOut, **ERRORS_READ})
def get_task(request: HttpRequest, task_id: int):
    return task_out(_task(request, task_id), timezone.localdate())


@router.patch("/tasks/{task_id}", response={200: TaskOut, **ERRORS_WRITE})
def patch_task(request: HttpRequest, task_id: int, payload: TaskPatchIn):
    task = _task(request, task_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("expected_version")
    if "unit_id" in changes:
        changes["unit"] = get_object_or_404(Unit, pk=changes.pop("unit_id")) if changes["unit_id"] else None
    task = services.task_update(actor=request.auth, task=task, expected_version=version, **changes)
    return task_out(task, timezone.localdate())


@router.post("/tasks/{task_id}/transitions", response={200: TaskOut, **ERRORS_WRITE},
             summary="start | report_done | accept | return | resume | cancel")
def transition_task(request: HttpRequest, task_id: int, payload: TaskTransitionIn):
    task = services.task_transition(actor=request.auth, task=_task(request, task_id), name=payload.name,
                                    expected_version=payload.expected_version, note=payload.note)
    return task_out(task, timezone.localdate())


@router.post("/tasks/{task_id}/progress", response={201: dict, **ERRORS_WRITE})
def report_progress(request: HttpRequest, task_id: int, text: Form[str], percent: Form[int | None] = None,
                    attachment: File[UploadedFile | None] = None):
    report = services.progress_report_create(actor=request.auth, task=_task(request, task_id), text=text,
                                             percent=percent, attachment=attachment)
    return 201, {"id": report.pk, "text": report.text, "percent": report.percent,
                 "attachment": report.attachment.name or None}


@router.post("/tasks/{task_id}/comments", response={201: dict, **ERRORS_WRITE})
def comment_task(request: HttpRequest, task_id: int, payload: CommentIn):
    comment = services.task_comment_create(actor=request.auth, task=_task(request, task_id), text=payload.text)
    return 201, {"id": comment.pk, "text": comment.text}


@router.post("/tasks/{task_id}/extensions", response={201: ExtensionOut, **ERRORS_WRITE})
def request_extension(request: HttpRequest, task_id: int, payload: ExtensionIn):
    ext = services.extension_request(actor=request.auth, task=_task(request, task_id),
                                     new_deadline=payload.new_deadline, reason=payload.reason)
    return 201, ext


@router.post("/extensions/{extension_id}/decision", response={200: ExtensionOut, **ERRORS_WRITE})
def decide_extension(request: HttpRequest, extension_id: int, payload: DecisionIn):
    ext = get_object_or_404(Extension, pk=extension_id, task__in=selectors.tasks_visible(user=request.auth))
    return services.extension_decide(actor=request.auth, extension=ext, approve=payload.approve, note=payload.note)


@router.post("/imports", response={201: ImportOut, **ERRORS_WRITE},
             summary="Nhập văn bản: dán nội dung (text) hoặc tải tệp .txt/.docx/.pdf/.doc (file)")
def create_import(request: HttpRequest, unit: Form[str], text: Form[str | None] = None,
                  file: File[UploadedFile | None] = None, as_new_version: Form[bool] = False):
    """A notice already imported (same text/file, or number + date + issuer) answers 409
    `import.duplicate` with `details.notice_id`; `as_new_version=true` imports it as a new version."""
    unit_obj = get_object_or_404(Unit, code=unit)
    record = importing.notice_import_create(actor=request.auth, unit=unit_obj, text=text, upload=file,
                                            as_new_version=as_new_version)
    return 201, _import_out(record)


def _import_out(record) -> dict[str, Any]:
    return {"id": record.pk, "status": record.status, "source_kind": record.source_kind,
            "original_name": record.original_name, "text": record.text, "draft": record.draft,
            "version": record.version, "notice_id": record.notice_id}


@router.get("/imports/{import_id}", response={200: ImportOut, **ERRORS_READ})
def get_import(request: HttpRequest, import_id: int):
    return _import_out(get_object_or_404(selectors.imports_visible(user=request.auth), pk=import_id))


@router.put("/imports/{import_id}/draft", response={200: ImportOut, **ERRORS_WRITE})
def save_import_draft(request: HttpRequest, import_id: int, payload: DraftIn):
    record = get_object_or_404(selectors.imports_visible(user=request.auth), pk=import_id)
    record = importing.notice_import_save_draft(actor=request.auth, record=record,
                                                expected_version=payload.expected_version, draft=payload.draft)
    return _import_out(record)


@router.post("/imports/{import_id}/confirm", response={201: NoticeDetailOut, **ERRORS_WRITE})
def confirm_import(request: HttpRequest, import_id: int, payload: ConfirmIn):
    record = get_object_or_404(selectors.imports_visible(user=request.auth), pk=import_id)
    notice = importing.notice_import_confirm(actor=request.auth, record=record,
                                             expected_version=payload.expected_version)
    return 201, _notice_out(notice, timezone.localdate(), with_tasks=True)


@router.get("/stats/completion", response={200: list[RateOut], **ERRORS_READ},
            summary="Tỷ lệ hoàn thành đúng hạn theo đơn vị chủ trì, với thời hạn trong [start, end]")
def completion_stats(request: HttpRequest, start: dt.date, end: dt.date):
    rates = selectors.completion_rates(start=start, end=end, qs=selectors.tasks_visible(user=request.auth))
    return [{**r.__dict__, "rate": r.rate} for r in rates]


