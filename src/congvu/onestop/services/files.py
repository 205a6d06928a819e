"""Component files, result files and reuse of a citizen's earlier digitised data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from congvu.audit.services import audit_record, model_snapshot
from congvu.common.errors import DomainError
from congvu.common.text import clean
from congvu.onestop.models import Dossier
from congvu.onestop.services._base import _aware, _check
from congvu.onestop.services.rollups import _apply_rollup, dossier_contributions
from congvu.onestop.workflow import State

# ------------------------------------------------------------------------------------------------
# Components, result files and reuse of digitised data (TT 01/2023; QĐ 766 indicators 4.2–4.3)
# ------------------------------------------------------------------------------------------------

ONESTOP_FILE_TYPES = ("pdf", "jpg", "png")


def onestop_upload_max_bytes() -> int:
    from django.conf import settings

    return int(getattr(settings, "CONGVU_ONESTOP_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))


def onestop_files_check(files: dict[Any, Any]) -> dict[Any, str]:
    """`{key: upload}` → `{key: kind}` (pdf / jpg / png, judged by content). Any bad file raises one
    `DomainError` listing one Vietnamese message per bad file (`details["files"]`)."""
    from django.conf import settings

    from congvu.common.uploads import check_file, limits_from

    limits = limits_from(settings, max_bytes=onestop_upload_max_bytes())  # the one validator (issue 13)
    kinds: dict[Any, str] = {}
    errors: dict[Any, str] = {}
    for key, upload in files.items():
        result = check_file(upload.name or "", upload.size or 0, upload, allowed=ONESTOP_FILE_TYPES, limits=limits)
        if result.kind is None:
            errors[key] = result.error
        else:
            kinds[key] = result.kind
    if errors:
        raise DomainError("dossier.files_invalid",
                          "Chưa lưu gì: " + " ".join(errors.values()),
                          message_en="Some files were refused; nothing was saved.",
                          details={"files": {str(k): v for k, v in errors.items()}})
    return kinds


def _store(field, kind: str, upload: Any, stored: list[str]) -> None:
    import uuid

    upload.seek(0)
    field.save(f"{uuid.uuid4().hex}.{kind}", upload, save=False)
    stored.append(field.name)


def _discard(stored: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in stored:
        try:
            default_storage.delete(name)
        except OSError:  # pragma: no cover - best effort
            pass


def _derive_flags(d: Dossier) -> None:
    """Dossier flags from its component rows: digitised when every component is digitised (the
    desk's rule), reused when a component reuses earlier digitised data (or the dossier reuses an
    earlier result)."""
    from congvu.onestop.models import DossierComponent

    rows = list(DossierComponent.objects.filter(dossier=d))
    if rows:
        d.digitized_components = all(r.digitized for r in rows)
        d.reused_data = any(r.reused for r in rows) or d.reused_result_of_id is not None


def _reuse_source(d: Dossier, reuse_from_id: Any, reuse_result_id: Any):
    """The earlier component or result that an item reuses; it must belong to the same citizen."""
    from congvu.onestop.models import DossierComponent, DossierResultFile
    from congvu.onestop.selectors import same_citizen_dossiers

    same = same_citizen_dossiers(id_number=d.applicant_id_number, name=d.applicant_name,
                                 phone=d.applicant_phone).exclude(pk=d.pk)
    if reuse_from_id:
        src = DossierComponent.objects.filter(pk=reuse_from_id, dossier__in=same, digitized=True).exclude(file="")
        src = src.first()
        if src is None:
            raise DomainError("dossier.reuse_not_found",
                              "Không tìm thấy thành phần đã số hóa của chính người nộp này để tái sử dụng.")
        return src, None
    src = DossierResultFile.objects.filter(dossier_id=reuse_result_id, dossier__in=same).select_related(
        "dossier").first()
    if src is None:
        raise DomainError("dossier.reuse_not_found",
                          "Không tìm thấy kết quả đã số hóa của chính người nộp này để tái sử dụng.")
    return None, src


def dossier_components_record(*, actor: Any = None, dossier: Dossier, items: Iterable[dict[str, Any]],
                              at: dt.datetime | None = None) -> list:
    """Record the components of a received dossier: received / digitised ticks, a file each (checked
    by content and size) or the reuse of an earlier digitised component (`reuse_from_id`) or result
    (`reuse_result_id`) of the same citizen, whose stored file is referenced, not copied.

    Item keys: `component_id` (a `ProcedureComponent` of the dossier's procedure) or `name`, `kind`,
    `received`, `digitized`, `file`, `reuse_from_id`, `reuse_result_id`. One row per procedure
    component (updated in place). The dossier's `digitized_components` / `reused_data` are derived
    from the rows and the roll-up moves with them, in one transaction. A bad file refuses the whole
    call; nothing is saved (no row, no stored file)."""
    from congvu.onestop.models import ComponentKind, DossierComponent

    items = list(items)
    kinds = onestop_files_check({i: it["file"] for i, it in enumerate(items) if it.get("file") is not None})
    at = _aware(at)
    stored: list[str] = []
    try:
        with transaction.atomic():
            d = Dossier.objects.select_for_update().select_related("procedure", "unit").get(pk=dossier.pk)
            _check(actor, d)
            if d.state == State.GUIDANCE or d.receipt_refused:
                raise DomainError("dossier.not_received", f"Hồ sơ {d.code} chưa được tiếp nhận.")
            comps = {c.pk: c for c in d.procedure.components.all()}
            before, contrib_before = model_snapshot(d), dossier_contributions(d)
            rows = []
            for i, it in enumerate(items):
                comp = None
                if it.get("component_id"):
                    comp = comps.get(int(it["component_id"]))
                    if comp is None:
                        raise DomainError("dossier.component_unknown",
                                          f"Thành phần {it['component_id']} không thuộc thủ tục {d.procedure.code}.")
                    row = DossierComponent.objects.filter(dossier=d, component=comp).first()
                    row = row or DossierComponent(dossier=d, component=comp, name=comp.name, order=comp.order,
                                                  kind=ComponentKind.ORIGINAL if comp.originals or not comp.copies
                                                  else ComponentKind.COPY)
                else:
                    if not clean(it.get("name") or ""):
                        raise DomainError("dossier.component_name_required", "Chưa nhập tên thành phần hồ sơ.")
                    row = DossierComponent(dossier=d, name=clean(it["name"]), order=len(comps) + i + 1)
                if it.get("kind") in ComponentKind.values:
                    row.kind = it["kind"]
                if "received" in it:
                    row.received = bool(it["received"])
                if "digitized" in it:
                    has_file = bool(row.file) or i in kinds or it.get("reuse_from_id") or it.get("reuse_result_id")
                    if it["digitized"] and not has_file:  # a tick alone would inflate the 766 figure
                        raise DomainError("dossier.digitized_without_file",
                                          f"Thành phần «{row.name}»: chỉ ghi «Đã số hóa» khi có tệp của thành phần.",
                                          message_en="Digitised needs the file.")
                    row.digitized = bool(it["digitized"])
                if i in kinds:
                    upload = it["file"]
                    _store(row.file, kinds[i], upload, stored)
                    row.file_kind, row.size = kinds[i], upload.size
                    row.original_name = clean(upload.name or "")[:255]
                    row.digitized = row.received = True
                    row.reused_from, row.reused_result_of = None, None
                elif it.get("reuse_from_id") or it.get("reuse_result_id"):
                    src_comp, src_result = _reuse_source(d, it.get("reuse_from_id"), it.get("reuse_result_id"))
                    src = src_comp or src_result
                    row.file.name = src.file.name  # the reference, not the bytes
                    row.file_kind, row.size, row.original_name = src.file_kind, src.size, src.original_name
                    row.reused_from = src_comp
                    row.reused_result_of = src_result.dossier if src_result else None
                    row.digitized = row.received = True
                row.save()
                rows.append(row)
            _derive_flags(d)
            d.version += 1
            d.save()
            _apply_rollup(d.unit_id, contrib_before, dossier_contributions(d))
            audit_record(action="update", obj=d, before=before, after=model_snapshot(d), actor=actor,
                         note="Thành phần hồ sơ: " + "; ".join(
                             f"{r.name}{' (đã số hóa)' if r.digitized else ''}{' (tái sử dụng)' if r.reused else ''}"
                             for r in rows))
    except BaseException:
        _discard(stored)
        raise
    dossier.__dict__.update({k: v for k, v in d.__dict__.items() if not k.startswith("_")})
    return rows


def dossier_result_file_attach(*, actor: Any = None, dossier: Dossier, file: Any,
                               at: dt.datetime | None = None):
    """Attach the digitised result document (pdf / jpg / png): `digitized_result` becomes true and the
    roll-up's `digitized` counter follows. A new file replaces the reference to the previous one."""
    from congvu.onestop.models import DossierResultFile

    kind = onestop_files_check({"result": file})["result"]
    at = _aware(at)
    stored: list[str] = []
    try:
        with transaction.atomic():
            d = Dossier.objects.select_for_update().select_related("procedure", "unit").get(pk=dossier.pk)
            _check(actor, d)
            if d.state == State.GUIDANCE or d.receipt_refused:
                raise DomainError("dossier.not_received", f"Hồ sơ {d.code} chưa được tiếp nhận.")
            before, contrib_before = model_snapshot(d), dossier_contributions(d)
            row = DossierResultFile.objects.filter(dossier=d).first() or DossierResultFile(dossier=d)
            _store(row.file, kind, file, stored)
            row.file_kind, row.size, row.original_name = kind, file.size, clean(file.name or "")[:255]
            row.digitized, row.uploaded_at = True, at
            row.uploaded_by = actor if getattr(actor, "is_authenticated", False) else None
            row.save()
            d.digitized_result = True
            d.version += 1
            d.save()
            _apply_rollup(d.unit_id, contrib_before, dossier_contributions(d))
            audit_record(action="update", obj=d, before=before, after=model_snapshot(d), actor=actor,
                         note=f"Tệp kết quả giải quyết: {row.original_name}")
    except BaseException:
        _discard(stored)
        raise
    dossier.__dict__.update({k: v for k, v in d.__dict__.items() if not k.startswith("_")})
    return row
