"""Demo step: import the demo notices, confirm their tasks and move some of them along.

Wire as `congvu.directives.demo.load` in CONGVU_DEMO_STEPS. The notices ship with the project in
`data/demo_notices/` (five public documents of Quảng Ngãi, 2023-2024; `notices.yaml` names the unit
that issued each and its source), so a fresh clone loads them with nothing beside it. Each notice is
attached to its issuing unit (an old unit for 2023-2024: reachable today through unit lineage).
`CONGVU_SEEDS_DIR` points at another folder of .txt/.docx/.pdf instead (no manifest: first unit).
Running it twice imports nothing twice (files are recognised by their SHA-256).
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth import get_user_model
from django.utils import timezone

DEMO_DIR = Path(__file__).resolve().parent / "data" / "demo_notices"


def seeds_dir() -> Path:
    return Path(os.environ.get("CONGVU_SEEDS_DIR") or DEMO_DIR)


def manifest(folder: Path) -> dict[str, dict[str, Any]]:
    """{file name: {issuer, source}} from the folder's notices.yaml (empty when there is none)."""
    path = folder / "notices.yaml"
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {item["file"]: item for item in data.get("notices", [])}


def _actor():
    User = get_user_model()
    user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if user is None:
        user, _ = User.objects.get_or_create(username="congvu-demo", defaults={"is_superuser": True, "is_staff": True})
        user.set_unusable_password()
        user.save()
    return user


def _issuer(code: str | None = None):
    from congvu.org.models import Unit

    if code:
        unit = Unit.objects.filter(code=code).first()
        if unit is not None:
            return unit
    for kind in ("district", "province", "commune"):
        unit = Unit.objects.filter(kind=kind, valid_to__isnull=True).order_by("path").first() or \
            Unit.objects.filter(kind=kind).order_by("path").first()
        if unit is not None:
            return unit
    return Unit.objects.order_by("path").first()


def load(stdout=None) -> int:
    """Import and confirm every seed; returns the number of notices created."""
    from congvu.common.errors import DomainError
    from congvu.directives import importing, services
    from congvu.directives.models import NoticeImport, Task

    out = stdout or sys.stdout
    folder = seeds_dir()
    if not folder.is_dir():
        out.write(f"directives: không thấy thư mục văn bản mẫu {folder}; bỏ qua.\n")
        return 0
    if _issuer() is None:
        out.write("directives: chưa có đơn vị nào; hãy nạp danh mục đơn vị trước. Bỏ qua.\n")
        return 0
    listed = manifest(folder)
    actor = _actor()
    created = 0
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in importing.ALLOWED_SUFFIXES:
            continue
        data = path.read_bytes()
        if NoticeImport.objects.filter(sha256=hashlib.sha256(data).hexdigest()).exists():
            continue
        issuer = _issuer(listed.get(path.name, {}).get("issuer"))
        try:
            record = importing.notice_import_create(actor=actor, unit=issuer, upload=data, filename=path.name)
            # Unresolved assignees stay unresolved (flagged on the notice), as a clerk would leave them
            # rather than pick a wrong unit.
            d = record.draft
            if not d["tasks"] and not d.get("reports"):
                out.write(f"directives: {path.name}: không tìm thấy nhiệm vụ; bỏ qua.\n")
                importing.notice_import_discard(actor=actor, record=record)
                continue
            record = importing.notice_import_save_draft(actor=actor, record=record, expected_version=None, draft=d)
            notice = importing.notice_import_confirm(actor=actor, record=record)
        except DomainError as exc:
            out.write(f"directives: {path.name}: {exc.message}\n")
            continue
        created += 1
        out.write(f"directives: {path.name} ({issuer.name}): {notice.tasks.count()} nhiệm vụ.\n")
    if created:
        _move_along(actor, services, Task)
    return created


def _move_along(actor, services, Task) -> None:
    """Give every screen content: some started, reported, accepted, returned, one extension, reminders."""
    from congvu.directives.calendar import cal
    from congvu.directives.workflow import State

    today = timezone.localdate()
    tasks = list(Task.objects.filter(state=State.ASSIGNED).order_by("notice_id", "ordinal"))
    for i, task in enumerate(tasks):
        step = i % 6
        if step in (1, 2, 3):
            task = services.task_transition(actor=actor, task=task, name="start")
        if step in (2, 3):
            services.progress_report_create(actor=actor, task=task, text="Đã triển khai, đang tổng hợp kết quả.",
                                            percent=70 if step == 2 else 100)
        if step == 3:
            task = services.task_transition(actor=actor, task=task, name="report_done",
                                            today=task.deadline or today)
            if i % 12 == 3:
                services.task_transition(actor=actor, task=task, name="accept")
    # Live work relative to today, in every notice: one task due in a few working days (an approved
    # extension) and one extension request waiting for the issuer's decision.
    by_notice: dict[int, list] = {}
    for task in Task.objects.filter(state__in=[State.ASSIGNED, State.IN_PROGRESS], deadline__isnull=False) \
            .order_by("notice_id", "ordinal"):
        by_notice.setdefault(task.notice_id, []).append(task)
    for k, tasks_of_notice in enumerate(by_notice.values()):
        if tasks_of_notice:
            task = tasks_of_notice[0]
            ext = services.extension_request(actor=actor, task=task, new_deadline=cal().add_working_days(today, 2 + k % 3),
                                             reason="Chờ ý kiến của cơ quan cấp trên")
            services.extension_decide(actor=actor, extension=ext, approve=True, note="Đồng ý gia hạn")
        if len(tasks_of_notice) > 1:
            services.extension_request(actor=actor, task=tasks_of_notice[1], new_deadline=cal().add_working_days(today, 10),
                                       reason="Cần thêm thời gian phối hợp với các đơn vị liên quan")
    services.tasks_overdue_sweep(today=today)
    services.reminders_schedule(today=today)

