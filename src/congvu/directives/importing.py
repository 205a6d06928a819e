"""Import a document (paste or upload), keep the original, review the draft, confirm into tasks.

Bad input never leaves anything behind: the file is checked and read *before* anything is written;
the original is stored and the record created in one transaction, and the stored file is deleted
again if that transaction fails. Nothing becomes a Task before `notice_import_confirm`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from congvu.audit.services import audit_record, model_snapshot
from congvu.common import uploads
from congvu.common.errors import Conflict, DomainError
from congvu.common.text import clean, nfc
from congvu.directives import draft as drafts
from congvu.directives.models import ImportStatus, Notice, NoticeImport, ReportingDuty, Task, TaskKind
from congvu.directives.resolution import UnitResolver
from congvu.org.models import Unit
from congvu.org.policy import require
from congvu.org.roles import Action

ALLOWED_SUFFIXES = {".txt": "txt", ".docx": "docx", ".pdf": "pdf", ".doc": "doc"}
_OLE = bytes.fromhex("D0CF11E0A1B11AE1")


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


IMPORT_KINDS = ("txt", "docx", "pdf", "doc")


def check_upload(name: str, data: bytes) -> str:
    """The source kind of an upload, or a DomainError telling the clerk what to do.

    The one upload validator (`congvu.common.uploads`) judges the content first: type by magic bytes,
    size, zip bombs (refused from the ZIP directory, before any reader inflates a byte), PDF page
    count, macros and PDF JavaScript."""
    suffix = Path(name or "").suffix.lower()
    kind = ALLOWED_SUFFIXES.get(suffix)
    if kind is None:
        raise DomainError("import.type", f"Không nhận tệp {suffix or 'không có đuôi'}: chỉ nhận .txt, .docx, .pdf "
                          "(có lớp chữ) và .doc. Hãy lưu văn bản sang .docx hoặc .pdf rồi tải lên lại.",
                          message_en="Unsupported file type.")
    limit = settings.CONGVU_UPLOAD_MAX_BYTES
    if not data or not data.strip():
        raise DomainError("import.empty", "Tệp rỗng, không có nội dung. Hãy kiểm tra lại tệp rồi tải lên lại.",
                          message_en="The file is empty.")
    if len(data) > limit:
        raise DomainError("import.too_large", f"Tệp lớn {_mb(len(data))}, vượt giới hạn {_mb(limit)}. "
                          "Hãy tách văn bản hoặc bỏ ảnh, phụ lục không cần thiết rồi tải lên lại.",
                          message_en="The file is larger than the upload limit.")
    if kind == "docx" and data.startswith(_OLE):
        raise DomainError("import.encrypted", "Tệp .docx được đặt mật khẩu. Hãy mở tệp, gỡ mật khẩu "
                          "(Tệp → Thông tin → Bảo vệ tài liệu) rồi tải lên lại.", message_en="Password-protected.")
    if kind == "pdf" and not data.lstrip()[:5].startswith(b"%PDF"):
        raise DomainError("import.corrupt", "Tệp .pdf bị hỏng hoặc không phải PDF. Hãy xuất lại PDF từ văn bản "
                          "gốc rồi tải lên lại.", message_en="Corrupted PDF.")
    if kind == "doc" and not data.startswith(_OLE):
        raise DomainError("import.corrupt", "Tệp .doc bị hỏng hoặc không phải tệp Word 97-2003.",
                          message_en="Corrupted DOC.")
    if kind == "docx":  # reads the ZIP directory only
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                if "word/document.xml" not in zf.namelist():
                    raise zipfile.BadZipFile
        except zipfile.BadZipFile:
            raise DomainError("import.corrupt", "Tệp .docx bị hỏng hoặc không phải tệp Word. Hãy mở và lưu lại "
                              "tệp bằng Word/LibreOffice rồi tải lên lại.", message_en="Corrupted DOCX.") from None
    checked = uploads.validate_bytes(name, data.lstrip() if kind == "pdf" else data, allowed=IMPORT_KINDS,
                                     limits=uploads.limits_from(settings, max_bytes=limit))
    if checked.kind == "pdf" and checked.details.get("encrypted"):
        _check_pdf_password(data)
    if kind == "doc":
        if libreoffice() is None:
            raise DomainError("import.doc_unsupported", "Máy chủ chưa cài LibreOffice nên không đọc được tệp .doc. "
                              "Hãy mở tệp bằng Word, lưu thành .docx rồi tải lên lại.",
                              message_en="DOC needs LibreOffice on the server.")
    return kind


def _check_pdf_password(data: bytes) -> None:
    try:
        import pdfplumber

        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if pdf.pages:
                pdf.pages[0].extract_text()
    except Exception as exc:  # pdfminer raises PDFPasswordIncorrect and friends
        if "password" in type(exc).__name__.lower() or "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise DomainError("import.encrypted", "Tệp PDF được đặt mật khẩu. Hãy gỡ mật khẩu (in ra PDF mới) "
                              "rồi tải lên lại.", message_en="Password-protected PDF.") from None


def _input_error(exc: Exception) -> DomainError | None:
    if type(exc).__name__ == "ExtractionInputError":
        return DomainError("import.unreadable", str(exc) or "Không đọc được tệp.", message_en="Unreadable input.")
    return None


def run_extractor(*, path: str | None = None, text: str | None = None) -> tuple[str, dict]:
    """(document text the offsets refer to, contract dict) from the extractor."""
    try:
        from congvu.directives.extraction import api
        if text is None:
            from congvu.directives.extraction.readers import read_document
    except ImportError as exc:  # pragma: no cover - the extractor ships with the app
        raise DomainError("import.no_extractor", "Bộ trích xuất nhiệm vụ chưa sẵn sàng; hãy thử lại sau.") from exc
    try:
        if text is not None:
            raw = text
        else:
            raw = read_document(path)
        # Offsets of the extraction index document_text(raw) (NFC, legacy encodings converted).
        doc_text = api.document_text(raw) if hasattr(api, "document_text") else _prepare(raw)
        result = api.extract_text(raw)
    except DomainError:
        raise
    except Exception as exc:
        err = _input_error(exc)
        if err is not None:
            raise err from exc
        raise DomainError("import.failed", "Không đọc được nội dung văn bản (tệp có thể bị hỏng). Hãy mở và lưu lại "
                          "tệp, hoặc dán nội dung văn bản vào ô nhập.", message_en=f"Extraction failed: {exc}") from exc
    result = dict(result)
    result.pop("text", None)
    return doc_text or "", result


def _prepare(text: str) -> str:
    try:
        from congvu.directives.extraction.normalize import prepare
    except ImportError:  # pragma: no cover
        return nfc(text)
    return prepare(text)


def build_draft(result: dict, issuer: Unit) -> dict:
    try:
        doc_day = dt.date.fromisoformat(result.get("date") or "")
    except ValueError:
        doc_day = None
    resolver = UnitResolver.for_issuer(issuer, doc_day, issuer_text=result.get("issuer"))
    tasks = []
    for i, raw in enumerate(result.get("tasks") or [], start=1):
        lead = resolver.resolve(raw.get("assignee"))
        co_names = [c for c in (raw.get("co_assignees") or []) if c]
        co_ids = [r.unit_id for r in (resolver.resolve(c) for c in co_names) if r.unit_id]
        flags = [f for f in (raw.get("flags") or []) if isinstance(f, str)]
        if lead.generic or raw.get("generic"):
            flags.append("assignee_generic")
        tasks.append({
            "id": f"t{i}", "assignee": clean(raw.get("assignee") or ""), "unit_id": lead.unit_id,
            "candidates": lead.candidates, "co_assignees": co_names, "co_unit_ids": co_ids,
            "action": clean(raw.get("action") or ""), "deadline": raw.get("deadline"),
            "deadline_text": raw.get("deadline_text") or "", "source_text": raw.get("source_text") or "",
            "start": raw.get("start"), "end": raw.get("end"), "flags": flags,
            "confidence": raw.get("confidence"), "recurrence": raw.get("recurrence"),
            "deadline_basis": raw.get("deadline_basis"),
        })
    reports = []
    for i, raw in enumerate(result.get("reports") or [], start=1):
        res = resolver.resolve(raw.get("assignee"))
        reports.append({"id": f"r{i}", "name": clean(raw.get("name") or "Báo cáo"),
                        "assignee": raw.get("assignee") or "", "unit_id": res.unit_id,
                        "recipient": raw.get("recipient") or "", "due": raw.get("due"),
                        "period_start": raw.get("period_start"), "period_end": raw.get("period_end"),
                        "recurrence": raw.get("recurrence")})
    # sentences the extractor found but does not trust as tasks (docs/extraction.md, "Vetting"): offered on the
    # review screen, added with one click
    suggestions = [{"id": f"c{i}", "assignee": clean(raw.get("assignee") or ""), "action": clean(raw.get("action") or ""),
                    "co_assignees": [c for c in (raw.get("co_assignees") or []) if c], "deadline": raw.get("deadline"),
                    "deadline_text": raw.get("deadline_text") or "", "source_text": raw.get("source_text") or "",
                    "start": raw.get("start"), "end": raw.get("end"), "reason": raw.get("candidate_reason") or "",
                    "confidence": raw.get("confidence")}
                   for i, raw in enumerate(result.get("candidates") or [], start=1)]
    meta = {k: result.get(k) for k in ("doc_type", "number", "issuer", "date", "meeting_date", "title", "signer")}
    return drafts.refresh({"meta": meta, "tasks": tasks, "reports": reports, "suggestions": suggestions,
                           "next_id": len(tasks)})


def _meaningful_number(number: str) -> bool:
    """'12/TB-UBND' identifies a document; a blank 'Số: /TB-UBND' of a draft copy does not."""
    head = (number or "").split("/", 1)[0]
    return any(ch.isdigit() for ch in head)


def import_duplicate(*, unit: Unit, doc_text: str, sha256: str, meta: dict) -> Notice | None:
    """The notice this document already is (its tasks are tracked): the same file or text, or the same
    number, date and issuing unit. None when it is new. Open drafts do not count: nothing of theirs is
    counted until confirmed, and confirming checks again."""
    notice = Notice.objects.filter(text=doc_text).order_by("pk").first() if doc_text.strip() else None
    if notice is None:
        done = NoticeImport.objects.filter(sha256=sha256, notice__isnull=False).select_related("notice").first()
        notice = done.notice if done else None
    number, day = clean(meta.get("number") or ""), _date(meta.get("date"))
    if notice is None and _meaningful_number(number) and day is not None:
        notice = Notice.objects.filter(issuer_unit=unit, number__iexact=number, date=day).order_by("pk").first()
    return notice


def duplicate_error(found: Notice) -> Conflict:
    return Conflict("import.duplicate", f"Văn bản này đã được nhập: {found.label} — «{found.title[:120]}». Các nhiệm vụ của nó đã được "
                        "theo dõi; nhập lại sẽ tính trùng. Hãy mở văn bản đã có, hoặc chọn «Nhập thành phiên bản "
                        "mới» nếu đây là văn bản sửa đổi, thay thế.",
                        details={"notice_id": found.pk}, message_en="This notice was already imported.")


def notice_import_create(*, actor: Any, unit: Unit, text: str | None = None, upload: Any = None,
                         filename: str | None = None, as_new_version: bool = False) -> NoticeImport:
    """Import pasted text or an uploaded file (Django UploadedFile or bytes + filename) as a draft.

    A document already imported (same file or text, or same number + date + issuing unit) is refused
    with `import.duplicate` naming the existing notice or draft, unless `as_new_version`: then it is
    imported and the draft records which notice it supersedes."""
    require(actor, Action.DIRECTIVE_MANAGE, unit)
    if upload is None and not (text or "").strip():
        raise DomainError("import.empty", "Chưa có nội dung: hãy dán văn bản hoặc chọn tệp để tải lên.")
    data = b""
    name = ""
    if upload is not None:
        name = filename or getattr(upload, "name", "") or "van-ban"
        limit = settings.CONGVU_UPLOAD_MAX_BYTES
        size = getattr(upload, "size", None)
        if size is not None and size > limit:  # refuse before reading a huge body into memory
            raise DomainError("import.too_large", f"Tệp lớn {_mb(size)}, vượt giới hạn {_mb(limit)}. Hãy tách văn "
                              "bản hoặc bỏ ảnh, phụ lục không cần thiết rồi tải lên lại.")
        data = upload if isinstance(upload, bytes) else upload.read()
        kind = check_upload(name, data)
        suffix = Path(name).suffix.lower()
        fd, tmp = tempfile.mkstemp(suffix=suffix)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            doc_text, result = run_extractor(path=tmp)
        finally:
            os.unlink(tmp)
    else:
        kind = "paste"
        doc_text, result = run_extractor(text=text)
    if not doc_text.strip():
        raise DomainError("import.no_text", "Không tìm thấy chữ trong tệp — có thể là bản quét (ảnh). Hãy dùng tệp "
                          "có lớp chữ (xuất PDF từ Word), nhận dạng chữ (OCR) trước, hoặc dán nội dung văn bản.",
                          message_en="No text layer (scanned image?).")
    draft = build_draft(result, unit)
    sha = hashlib.sha256(data or doc_text.encode()).hexdigest()
    found = import_duplicate(unit=unit, doc_text=doc_text, sha256=sha, meta=draft.get("meta", {}))
    if found is not None and not as_new_version:
        raise duplicate_error(found)
    if found is not None:
        draft.setdefault("meta", {})["supersedes"] = {"notice_id": found.pk}
    record = NoticeImport(unit=unit, source_kind=kind, original_name=name[:255], original_size=len(data),
                          sha256=sha, text=doc_text,
                          result=result, draft=draft,
                          created_by=actor if getattr(actor, "is_authenticated", False) else None)
    try:
        with transaction.atomic():
            if data:
                record.original.save(Path(name).name or "van-ban", ContentFile(data), save=False)
            record.save()
            after = {"source_kind": kind, "original": record.original.name, "tasks": len(draft["tasks"])}
            if found is not None:
                after["new_version_of"] = draft["meta"]["supersedes"]
            audit_record(action="import", obj=record, after=after, actor=actor)
    except Exception:
        if record.original:
            record.original.storage.delete(record.original.name)
        raise
    return record


def notice_import_save_draft(*, actor: Any, record: NoticeImport, expected_version: int | None,
                             draft: dict) -> NoticeImport:
    require(actor, Action.DIRECTIVE_MANAGE, record.unit)
    with transaction.atomic():
        current = NoticeImport.objects.select_for_update().get(pk=record.pk)
        _check_draft_version(current, expected_version)
        before = {"draft": current.draft}
        current.draft = drafts.refresh(draft)
        current.version += 1
        current.save(update_fields=["draft", "version", "updated_at"])
        audit_record(action="update", obj=current, before=before, after={"draft": current.draft}, actor=actor)
    return current


def _check_draft_version(current: NoticeImport, expected_version: int | None) -> None:
    if current.status != ImportStatus.DRAFT:
        raise Conflict("import.closed", "Văn bản này đã được xác nhận hoặc hủy; không sửa bản nháp được nữa.")
    if expected_version is not None and current.version != int(expected_version):
        raise Conflict("import.stale", "Bản nháp vừa được người khác sửa; thay đổi của bạn chưa được lưu. "
                       "Hãy tải lại trang rồi sửa lại.", details={"current_version": current.version})


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def notice_create(*, actor: Any, issuer_unit: Unit, title: str, tasks: list[dict], reports: list[dict] | None = None,
                  doc_type: str = "TB", number: str = "", issuer: str = "", date: Any = None,
                  meeting_date: Any = None, signer: str = "", text: str = "") -> Notice:
    """Create a notice with its tasks and reporting duties (one transaction, audited, assignees notified).

    Each task dict: action, unit_id | unit, assignee, co_unit_ids, co_assignees, deadline, deadline_text,
    source_text, start, end, flags."""
    from congvu.directives.services import _notify, _people, task_context

    require(actor, Action.DIRECTIVE_MANAGE, issuer_unit)
    if not tasks and not reports:
        raise DomainError("notice.no_tasks", "Văn bản chưa có nhiệm vụ nào; hãy thêm ít nhất một nhiệm vụ.")
    for i, t in enumerate(tasks, start=1):
        if not clean(t.get("action") or ""):
            raise DomainError("notice.task_action", f"Nhiệm vụ thứ {i} chưa có nội dung.")
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        notice = Notice.objects.create(
            issuer_unit=issuer_unit, doc_type=(doc_type or "TB")[:10], number=clean(number or "")[:60],
            issuer=clean(issuer or "")[:255], date=_date(date), meeting_date=_date(meeting_date),
            title=clean(title or "") or "Văn bản chỉ đạo", signer=clean(signer or "")[:150], text=text or "",
            created_by=user)
        audit_record(action="create", obj=notice, after=model_snapshot(notice, exclude=("text",)), actor=actor)
        unit_ids = {t.get("unit_id") for t in tasks} | {r.get("unit_id") for r in reports or []}
        for t in tasks:
            unit_ids |= set(t.get("co_unit_ids") or [])
        units = Unit.objects.in_bulk([u for u in unit_ids if u])
        created: list[Task] = []
        for i, t in enumerate(tasks, start=1):
            unit = t.get("unit") or units.get(t.get("unit_id"))
            deadline = _date(t.get("deadline"))
            task = Task.objects.create(
                notice=notice, ordinal=i, unit=unit, lead_text=clean(t.get("assignee") or "")[:255],
                co_assignees_text=list(t.get("co_assignees") or []), action=clean(t["action"]),
                source_text=t.get("source_text") or "", start=t.get("start"), end=t.get("end"),
                deadline=deadline, original_deadline=deadline, deadline_text=(t.get("deadline_text") or "")[:255],
                flags=list(t.get("flags") or []), recurrence=_recurrence(t.get("recurrence")))
            co = [units[u] for u in (t.get("co_unit_ids") or []) if u in units]
            if co:
                task.co_assignees.set(co)
            created.append(task)
        for j, r in enumerate(reports or [], start=len(tasks) + 1):
            duty = ReportingDuty.objects.create(
                notice=notice, name=clean(r.get("name") or "Báo cáo")[:255], assignee_text=(r.get("assignee") or "")[:255],
                unit=units.get(r.get("unit_id")), recipient=(r.get("recipient") or "")[:255], due=_date(r.get("due")),
                period_start=_date(r.get("period_start")), period_end=_date(r.get("period_end")))
            period = ""
            if duty.period_start and duty.period_end:
                period = f" (số liệu từ {duty.period_start:%d/%m/%Y} đến {duty.period_end:%d/%m/%Y})"
            created.append(Task.objects.create(
                notice=notice, kind=TaskKind.REPORT, reporting_duty=duty, ordinal=j, unit=duty.unit,
                lead_text=duty.assignee_text, action=f"Gửi {duty.name}{period}", deadline=duty.due,
                original_deadline=duty.due, deadline_text=f"{duty.due:%d/%m/%Y}" if duty.due else "",
                recurrence=_recurrence(r.get("recurrence"))))
        for task in created:
            audit_record(action="create", obj=task, after=model_snapshot(task), actor=actor)
            _notify(_people(task.unit, heads=False), key=f"task:{task.pk}:assigned", template="task.assigned",
                    context=task_context(task))
    return notice


def _recurrence(value: Any) -> dict | None:
    """Keep the extractor's recurrence when it is one the tracking can schedule."""
    from congvu.directives.recurrence import valid

    return dict(value) if valid(value) else None


def notice_import_confirm(*, actor: Any, record: NoticeImport, expected_version: int | None = None) -> Notice:
    """Turn the reviewed draft into a Notice and its Tasks, all in one transaction."""
    require(actor, Action.DIRECTIVE_MANAGE, record.unit)
    with transaction.atomic():
        current = NoticeImport.objects.select_for_update(of=("self",)).select_related("unit").get(pk=record.pk)
        _check_draft_version(current, expected_version)
        draft = drafts.refresh(current.draft)
        meta = draft.get("meta", {})
        if not meta.get("supersedes"):  # another draft of the same document may have been confirmed meanwhile
            found = import_duplicate(unit=current.unit, doc_text=current.text, sha256=current.sha256, meta=meta)
            if found is not None:
                raise duplicate_error(found)
        notice = notice_create(
            actor=actor, issuer_unit=current.unit, title=meta.get("title") or current.original_name,
            tasks=draft.get("tasks", []), reports=draft.get("reports", []), doc_type=meta.get("doc_type") or "TB",
            number=meta.get("number") or "", issuer=meta.get("issuer") or "", date=meta.get("date"),
            meeting_date=meta.get("meeting_date"), signer=meta.get("signer") or "", text=current.text)
        before = {"status": current.status}
        current.status = ImportStatus.CONFIRMED
        current.notice = notice
        current.draft = draft
        current.version += 1
        current.save()
        audit_record(action="transition:confirm", obj=current, before=before,
                     after={"status": current.status, "notice": notice.pk}, actor=actor)
    return notice


def notice_import_discard(*, actor: Any, record: NoticeImport) -> NoticeImport:
    require(actor, Action.DIRECTIVE_MANAGE, record.unit)
    with transaction.atomic():
        current = NoticeImport.objects.select_for_update().get(pk=record.pk)
        _check_draft_version(current, None)
        current.status = ImportStatus.DISCARDED
        current.version += 1
        current.save()
        audit_record(action="transition:discard", obj=current, before={"status": "draft"},
                     after={"status": current.status}, actor=actor)
    return current
