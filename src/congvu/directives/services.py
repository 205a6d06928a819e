"""Writes of the directives app. Keyword-only, transactional, each one writes its audit entry.

Import / review / confirm live in `importing.py`; this module holds the task lifecycle,
extensions, progress reports, comments, reminders and the overdue sweep.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from congvu.audit.services import audit_record, model_snapshot
from congvu.common import uploads
from congvu.common.bounds import date_in_range, text_ok
from congvu.common.errors import Conflict, DomainError, NotAllowed
from congvu.common.text import clean
from congvu.directives import calendar as wd
from congvu.directives.models import (
    Extension,
    ExtensionStatus,
    ProgressReport,
    Reminder,
    Task,
    TaskComment,
    TaskTransitionLog,
)
from congvu.directives.workflow import PENDING_WORK_STATES, STATE_LABELS, State, transition_for
from congvu.notifications.models import Channel
from congvu.notifications.services import notification_enqueue
from congvu.org.models import Person, Unit
from congvu.org.policy import decide, require
from congvu.org.roles import Action

TASK_EDITABLE = ("action", "unit", "lead_text", "deadline", "deadline_text")


def _locked(task: Task, expected_version: int | None) -> Task:
    """Re-read `task` FOR UPDATE and refuse if someone saved it since `expected_version` was read."""
    current = (Task.objects.select_for_update(of=("self",))
               .select_related("notice", "notice__issuer_unit", "unit").get(pk=task.pk))
    if expected_version is not None and current.version != int(expected_version):
        raise Conflict("task.stale",
                       "Nhiệm vụ vừa được người khác cập nhật; thay đổi của bạn chưa được lưu. "
                       "Hãy tải lại trang để xem nội dung mới rồi thực hiện lại.",
                       message_en="The task was changed by someone else; reload and retry.",
                       details={"current_version": current.version})
    return current


ATTACHMENT_KINDS = ("pdf", "docx", "xlsx", "doc", "jpg", "png")


def _check_file(upload: Any) -> str:
    """The kind of a progress-report attachment, judged by the one upload validator (content, size,
    zip bombs, macros); a bad file raises `UploadRefused` with its Vietnamese message."""
    limit = settings.CONGVU_UPLOAD_MAX_BYTES
    size = getattr(upload, "size", 0) or 0
    if size == 0:
        raise DomainError("upload.empty", "Tệp đính kèm rỗng; hãy chọn lại tệp.")
    if size > limit:
        raise DomainError("upload.too_large",
                          f"Tệp đính kèm lớn hơn giới hạn {limit // (1024 * 1024)} MB; hãy nén hoặc tách tệp.")
    return uploads.validate(getattr(upload, "name", "") or "", size, upload, allowed=ATTACHMENT_KINDS,
                            limits=uploads.limits_from(settings, max_bytes=limit)).kind or ""


# -- notifications ----------------------------------------------------------------------------------

def task_context(task: Task) -> dict[str, Any]:
    action = clean(task.action)
    return {
        "action": action,
        "action_short": action if len(action) <= 80 else action[:77] + "...",
        "notice": task.notice.label,
        "deadline": f"{task.deadline:%d/%m/%Y}" if task.deadline else (task.deadline_text or "không ghi thời hạn"),
        "unit": task.assignee_label,
        "url": f"{settings.CONGVU_SITE_URL.rstrip('/')}/directives/tasks/{task.pk}/",
        "state": task.state_label,
    }


def _people(unit: Unit | None, *, heads: bool) -> list[Person]:
    if unit is None:
        return []
    qs = Person.objects.filter(unit=unit, active=True).select_related("user")
    people = list(qs.filter(is_head=True)) if heads else list(qs.filter(is_head=False))
    if not heads and not people:
        people = list(qs.filter(is_head=True))
    return people


def _notify(people: list[Person], *, key: str, template: str, context: dict[str, Any]) -> list[str]:
    """E-mail and in-app message to each person, with per-recipient idempotency keys."""
    sent: list[str] = []
    for person in people:
        ctx = context | {"head": person.full_name}
        if person.email:
            notification_enqueue(idempotency_key=f"{key}:email:{person.pk}", channel=Channel.EMAIL,
                                 recipient=person.email, template_key=template, context=ctx,
                                 recipient_user=person.user)
            sent.append(person.email)
        if person.user_id:
            notification_enqueue(idempotency_key=f"{key}:in_app:{person.pk}", channel=Channel.IN_APP,
                                 recipient=person.user.get_username(), template_key=template, context=ctx,
                                 recipient_user=person.user)
    return sent


# -- lifecycle ---------------------------------------------------------------------------------------

def task_transition(*, actor: Any, task: Task, name: str, expected_version: int | None = None, note: str = "",
                    today: dt.date | None = None) -> Task:
    """Move `task` along the workflow (start, report_done, accept, return, resume, cancel)."""
    note = clean(note or "")
    with transaction.atomic():
        current = _locked(task, expected_version)
        transition = transition_for(name, current.state)
        require(actor, transition.action, current if transition.actor_side == "assignee" else current.notice)
        if transition.note_required and not note:
            raise DomainError("task.note_required", f"Cần ghi lý do khi «{transition.label.lower()}».")
        before = model_snapshot(current)
        old_state = current.state
        current.state = transition.target
        today = today or timezone.localdate()
        if transition.target == State.REPORTED_DONE:
            current.done_on = today
        elif transition.target == State.ACCEPTED:
            current.accepted_on = today
        elif transition.target in (State.RETURNED, State.IN_PROGRESS):
            current.done_on = None if transition.target == State.RETURNED else current.done_on
        current.version += 1
        current.save()
        TaskTransitionLog.objects.create(task=current, name=name, from_state=old_state, to_state=current.state,
                                         note=note, actor=actor if getattr(actor, "is_authenticated", False) else None)
        audit_record(action=f"transition:{name}", obj=current, before=before, after=model_snapshot(current),
                     actor=actor, note=note)
        if transition.target in (State.ACCEPTED, State.RETURNED):
            ctx = task_context(current) | {"note": note}
            _notify(_people(current.unit, heads=False), key=f"task:{current.pk}:transition:{current.version}",
                    template="task.transition", context=ctx)
        if transition.target == State.ACCEPTED and current.recurrence:
            _schedule_next(current, actor)
    return current


def _schedule_next(done: Task, actor: Any) -> Task | None:
    """A recurring task (báo cáo hằng năm, hằng quý ...) that is completed opens its next instance."""
    from congvu.directives.recurrence import next_due

    due = next_due(done.recurrence, done.deadline or done.accepted_on)
    if due is None:
        return None
    nxt = Task.objects.create(
        notice=done.notice, kind=done.kind, reporting_duty=None, ordinal=done.ordinal, unit=done.unit,
        lead_text=done.lead_text, co_assignees_text=list(done.co_assignees_text or []), action=done.action,
        source_text=done.source_text, start=done.start, end=done.end, deadline=due, original_deadline=due,
        deadline_text=done.deadline_text, flags=list(done.flags or []), recurrence=done.recurrence, previous=done)
    co = list(done.co_assignees.all())
    if co:
        nxt.co_assignees.set(co)
    audit_record(action="create", obj=nxt, after=model_snapshot(nxt), actor=actor, note=f"lặp lại sau nhiệm vụ #{done.pk}")
    _notify(_people(nxt.unit, heads=False), key=f"task:{nxt.pk}:assigned", template="task.assigned",
            context=task_context(nxt))
    return nxt


def task_update(*, actor: Any, task: Task, expected_version: int | None, **changes: Any) -> Task:
    """Edit a confirmed task (issuer side). Deadline changes are kept in the deadline history."""
    unknown = set(changes) - set(TASK_EDITABLE)
    if unknown:
        raise DomainError("task.unknown_field", f"Trường không hợp lệ: {', '.join(sorted(unknown))}.")
    date_in_range(changes.get("deadline"), "Thời hạn")
    for field, limit in (("action", 4000), ("deadline_text", 255), ("lead_text", 500)):
        text_ok(changes.get(field), "Nội dung" if field == "action" else "Thời hạn (ghi chữ)", limit)
    with transaction.atomic():
        current = _locked(task, expected_version)
        require(actor, Action.DIRECTIVE_MANAGE, current.notice)
        before = model_snapshot(current)
        if "deadline" in changes and changes["deadline"] != current.deadline:
            Extension.objects.create(task=current, requested_by=_user(actor), old_deadline=current.deadline,
                                     new_deadline=changes["deadline"], reason="Điều chỉnh thời hạn",
                                     status=ExtensionStatus.APPROVED, decided_by=_user(actor),
                                     decided_at=timezone.now())
        for field, value in changes.items():
            setattr(current, field, clean(value) if isinstance(value, str) else value)
        if not current.action:
            raise DomainError("task.action_required", "Nội dung nhiệm vụ không được để trống.")
        current.version += 1
        current.save()
        audit_record(action="update", obj=current, before=before, after=model_snapshot(current), actor=actor)
    return current


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def progress_report_create(*, actor: Any, task: Task, text: str, percent: int | None = None,
                           attachment: Any = None) -> ProgressReport:
    text_ok(text, "Nội dung báo cáo", 10000)
    text = clean(text or "")
    if not text:
        raise DomainError("report.text_required", "Nội dung báo cáo tiến độ không được để trống.")
    if percent is not None and not 0 <= int(percent) <= 100:
        raise DomainError("report.percent", "Tiến độ phải từ 0 đến 100%.")
    require(actor, Action.TASK_REPORT, task)
    if task.state in (State.ACCEPTED, State.CANCELLED):
        raise DomainError("report.closed", f"Nhiệm vụ đã ở trạng thái «{task.state_label}», không nhận báo cáo.")
    if attachment is not None:
        _check_file(attachment)
    with transaction.atomic():
        report = ProgressReport(task=task, unit=task.unit, author=_user(actor), text=text, percent=percent)
        if attachment is not None:
            report.attachment_name = getattr(attachment, "name", "")[:255]
            report.attachment.save(report.attachment_name or "dinh-kem", attachment, save=False)
        try:
            report.save()
            # (model_snapshot cannot read an empty FileField: it touches .url) — record the name ourselves.
            after = model_snapshot(report, exclude=("attachment",)) | {"attachment": report.attachment.name or None}
            audit_record(action="create", obj=report, after=after, actor=actor)
        except Exception:
            if report.attachment:
                report.attachment.delete(save=False)
            raise
    return report


def comment_allowed(actor: Any, task: Task) -> bool:
    """Commenting is a write: the assignee side (report), or whoever accepts or manages the notice.
    Seeing a task (a council member, an assessor) is not enough."""
    return bool(decide(actor, Action.TASK_REPORT, task) or decide(actor, Action.TASK_ACCEPT, task.notice)
                or decide(actor, Action.DIRECTIVE_MANAGE, task.notice))


def comment_require(actor: Any, task: Task) -> None:
    require(actor, Action.DIRECTIVE_VIEW, task)
    if not comment_allowed(actor, task):
        raise NotAllowed("comment.forbidden", "Chỉ người thực hiện, theo dõi hoặc nghiệm thu nhiệm vụ mới được "
                         "ghi ý kiến.", message_en="Commenting needs a write permission on the task.")


def task_comment_create(*, actor: Any, task: Task, text: str) -> TaskComment:
    text_ok(text, "Ý kiến", 4000)
    text = clean(text or "")
    if not text:
        raise DomainError("comment.empty", "Ý kiến không được để trống.")
    comment_require(actor, task)
    with transaction.atomic():
        comment = TaskComment.objects.create(task=task, author=_user(actor), text=text)
        audit_record(action="create", obj=comment, after=model_snapshot(comment), actor=actor)
    return comment


def extension_request(*, actor: Any, task: Task, new_deadline: dt.date, reason: str) -> Extension:
    date_in_range(new_deadline, "Thời hạn đề nghị")
    text_ok(reason, "Lý do", 4000)
    reason = clean(reason or "")
    require(actor, Action.TASK_REPORT, task)
    if not reason:
        raise DomainError("extension.reason_required", "Cần nêu lý do đề nghị gia hạn.")
    if State(task.state) not in PENDING_WORK_STATES:
        raise DomainError("extension.closed", f"Không thể gia hạn nhiệm vụ ở trạng thái «{task.state_label}».")
    if task.deadline and new_deadline <= task.deadline:
        raise DomainError("extension.not_later",
                          f"Thời hạn đề nghị phải sau thời hạn hiện tại ({task.deadline:%d/%m/%Y}).")
    with transaction.atomic():
        if Extension.objects.filter(task=task, status=ExtensionStatus.PENDING).exists():
            raise Conflict("extension.pending", "Nhiệm vụ đang có một đề nghị gia hạn chờ duyệt.")
        ext = Extension.objects.create(task=task, requested_by=_user(actor), old_deadline=task.deadline,
                                       new_deadline=new_deadline, reason=reason)
        audit_record(action="create", obj=ext, after=model_snapshot(ext), actor=actor)
    return ext


def extension_decide(*, actor: Any, extension: Extension, approve: bool, note: str = "") -> Extension:
    """The issuer approves (the deadline moves; the old one stays in the history) or rejects."""
    with transaction.atomic():
        ext = Extension.objects.select_for_update().get(pk=extension.pk)
        task = Task.objects.select_for_update(of=("self",)).select_related("notice", "notice__issuer_unit").get(
            pk=ext.task_id)
        require(actor, Action.TASK_ACCEPT, task.notice)
        if ext.status != ExtensionStatus.PENDING:
            raise Conflict("extension.decided", "Đề nghị gia hạn này đã được xử lý.")
        before = model_snapshot(ext)
        ext.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
        ext.decided_by = _user(actor)
        ext.decided_at = timezone.now()
        ext.decision_note = clean(note or "")
        ext.old_deadline = task.deadline
        ext.save()
        audit_record(action="update", obj=ext, before=before, after=model_snapshot(ext), actor=actor)
        if approve:
            task_before = model_snapshot(task)
            if task.original_deadline is None:
                task.original_deadline = task.deadline
            task.deadline = ext.new_deadline
            task.overdue_since = None
            task.version += 1
            task.save()
            audit_record(action="update", obj=task, before=task_before, after=model_snapshot(task), actor=actor,
                         note="gia hạn")
        ctx = task_context(task) | {"new_deadline": f"{ext.new_deadline:%d/%m/%Y}",
                                    "decision": "đồng ý" if approve else "không đồng ý", "note": ext.decision_note}
        _notify(_people(task.unit, heads=False), key=f"extension:{ext.pk}:decided", template="task.extension.decided",
                context=ctx)
    return ext


# -- reminders and the overdue sweep ------------------------------------------------------------------

def _reminder_kind(deadline: dt.date, today: dt.date) -> tuple[str, int, bool] | None:
    """(kind, working days, escalate) of the reminder due on `today` for `deadline`, or None."""
    eff = wd.effective_deadline(deadline)
    if today == eff:
        return "due", 0, False
    if today < eff:
        left = wd.working_days_left(deadline, today)
        fitting = [n for n in settings.CONGVU_REMINDER_BEFORE_DAYS if left <= n]
        return (f"before-{min(fitting)}", left, False) if fitting else None
    late = wd.working_days_overdue(deadline, today)
    reached = [n for n in settings.CONGVU_REMINDER_AFTER_DAYS if late >= n]
    return (f"after-{max(reached)}", late, True) if reached else None


def reminders_schedule(*, today: dt.date | None = None) -> int:
    """Enqueue the reminders due on `today` (a working day). Running it twice sends nothing twice:
    each reminder is a `Reminder` row unique per (task, kind, deadline), and each message has the
    idempotency key `task:{id}:reminder:{kind}:{deadline}:{channel}:{person}` in the outbox.
    Returns the number of reminders decided."""
    today = today or timezone.localdate()
    c = wd.cal()
    if not c.is_working_day(today):
        return 0
    before_max = max(settings.CONGVU_REMINDER_BEFORE_DAYS or [0])
    horizon = wd.due_soon_until(today, before_max)
    candidates = (Task.objects.filter(state__in=[s.value for s in PENDING_WORK_STATES], deadline__isnull=False,
                                      deadline__lte=horizon, unit__isnull=False)
                  .select_related("notice", "notice__issuer_unit", "unit"))
    done = set(Reminder.objects.filter(task__in=candidates).values_list("task_id", "kind", "for_deadline"))
    count = 0
    for task in candidates.iterator(chunk_size=500):
        decided = _reminder_kind(task.deadline, today)
        if decided is None:
            continue
        kind, days, escalate = decided
        if (task.pk, kind, task.deadline) in done:
            continue
        with transaction.atomic():
            reminder, created = Reminder.objects.get_or_create(task=task, kind=kind, for_deadline=task.deadline,
                                                               defaults={"sent_on": today, "escalated": escalate})
            if not created:
                continue
            people = _people(task.unit, heads=escalate)
            template = "task.reminder.after" if escalate else ("task.reminder.due" if kind == "due"
                                                               else "task.reminder.before")
            reminder.recipients = _notify(people, key=f"task:{task.pk}:reminder:{kind}:{task.deadline.isoformat()}",
                                          template=template, context=task_context(task) | {"days": days})
            reminder.save(update_fields=["recipients"])
        count += 1
    return count


def tasks_overdue_sweep(*, today: dt.date | None = None) -> dict[str, int]:
    """Stamp `overdue_since` on tasks that became overdue and clear it on those that no longer are.

    Two set-based UPDATEs over the (state, deadline) index: O(1) round trips for any number of
    tasks. Overdue itself is always derived (selectors); the stamp records since when."""
    today = today or timezone.localdate()
    cutoff = wd.overdue_cutoff(today)
    pending = [s.value for s in PENDING_WORK_STATES]
    with transaction.atomic():
        newly = Task.objects.filter(state__in=pending, deadline__lte=cutoff, overdue_since__isnull=True).update(
            overdue_since=today)
        cleared = Task.objects.filter(overdue_since__isnull=False).filter(
            ~Q(state__in=pending) | Q(deadline__isnull=True) | Q(deadline__gt=cutoff)).update(overdue_since=None)
    return {"newly_overdue": newly, "cleared": cleared, "cutoff": cutoff.toordinal()}


def state_label(state: str) -> str:
    return STATE_LABELS[State(state)]
