"""Every reuse of a citizen's digitised document is audited (issue 13).

Reusing earlier digitised components and results (TT 01/2023) lets a desk officer attach a document
another unit received to a new dossier — and then open it. That is lawful, but never silent: each
reuse writes a `dossier:reuse` audit entry naming the source dossier and its unit (`cross_unit`
when they differ), and the citizen sees it on the lookup page (`congvu.citizen.selectors`). A search
of another unit's documents by ID number is audited too (`reuse_search_audit`).

Connected in `OnestopConfig.ready()` to DossierComponent saves, so it holds whichever service path
sets `reused_from` / `reused_result_of`.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models.signals import post_save, pre_save


def _sources(instance: Any) -> tuple[Any, Any]:
    return instance.reused_from_id, instance.reused_result_of_id


def _remember(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    before = (None, None)
    if instance.pk:
        before = tuple(sender.objects.filter(pk=instance.pk).values_list("reused_from_id", "reused_result_of_id")
                       .first() or (None, None))
    instance._reuse_before = before


def _audit(sender: Any, instance: Any, created: bool = False, raw: bool = False, **kwargs: Any) -> None:
    if raw or _sources(instance) == (None, None) or _sources(instance) == getattr(instance, "_reuse_before", None):
        return
    from congvu.audit.services import audit_record
    from congvu.onestop.models import Dossier

    source = None
    if instance.reused_from_id:
        source = Dossier.objects.select_related("unit").filter(component_rows__pk=instance.reused_from_id).first()
    elif instance.reused_result_of_id:
        source = Dossier.objects.select_related("unit").filter(pk=instance.reused_result_of_id).first()
    target = Dossier.objects.select_related("unit").get(pk=instance.dossier_id)
    cross = source is not None and source.unit_id != target.unit_id
    audit_record(action="dossier:reuse", obj=target,
                 after={"component": instance.name, "component_id": instance.pk,
                        "source_dossier": source.code if source else None,
                        "source_unit": source.unit.name if source else None,
                        "target_unit": target.unit.name, "cross_unit": cross},
                 note=(f"Tái sử dụng giấy tờ của hồ sơ {source.code} ({source.unit.name})" if source
                       else "Tái sử dụng giấy tờ")[:255])


def reuse_search_audit(*, actor: Any, items: list[dict[str, Any]], id_number: str = "", name: str = "",
                       unit: Any = None) -> None:
    """Audit a search that showed documents of other units (the ID number is kept as a hash only)."""
    if not items:
        return
    from congvu.audit.services import audit_record
    from congvu.onestop.models import Dossier

    codes = sorted({i["dossier"] for i in items})
    units = set(Dossier.objects.filter(code__in=codes).values_list("unit_id", flat=True))
    if unit is not None and units <= {unit.pk}:
        return  # only the officer's own unit's documents
    who = hashlib.sha256(f"{id_number}|{name}".encode()).hexdigest()[:16]
    audit_record(action="dossier:reuse_search", object_type="onestop.citizen", object_id=who, actor=actor,
                 after={"dossiers": codes[:50], "items": len(items)},
                 note="Tìm giấy tờ đã số hóa của công dân để tái sử dụng")


def connect() -> None:
    from congvu.onestop.models import DossierComponent

    pre_save.connect(_remember, sender=DossierComponent, dispatch_uid="congvu.onestop.reuse.remember")
    post_save.connect(_audit, sender=DossierComponent, dispatch_uid="congvu.onestop.reuse.audit")
