"""Reads of the indices app: frameworks and versions, a version's definition."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from congvu.indices.models import Framework, FrameworkVersion
from congvu.indices.scoring.tree import FrameworkDef, framework_from_dict


class FrameworkNotFound(LookupError):
    pass


def frameworks_list() -> QuerySet[Framework]:
    return Framework.objects.all()


def version_definition(*, version: FrameworkVersion) -> FrameworkDef:
    """The framework definition a version stores (its YAML document)."""
    return framework_from_dict(version.tree)


def version_for(*, code: str, day: dt.date | None = None, version: str | None = None) -> FrameworkVersion:
    """The version of framework `code` named `version`, else the one in force on `day`, else the
    latest."""
    qs = FrameworkVersion.objects.select_related("framework").filter(framework__code=code)
    if version:
        found = qs.filter(version=version).first()
    else:
        found = None
        if day is not None:
            found = (qs.filter(effective_from__lte=day).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
                     .order_by("-effective_from").first())
        found = found or qs.order_by("-effective_from").first()
    if found is None:
        raise FrameworkNotFound(f"Không có bộ chỉ số “{code}”" + (f" phiên bản {version}" if version else "") + ".")
    return found
