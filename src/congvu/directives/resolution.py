"""Resolve assignee names as written ("Phòng Nội vụ huyện") to units of the registry.

A thin adapter: the matching itself is the pure `extraction.resolve.Resolver` (accent-, tone- and
abbreviation-insensitive, "huyện" read against the issuer's district), fed with the org registry.
Never guesses: one clear match resolves; several equally good matches are "ambiguous" and the
clerk chooses; none is "unmatched". Collective addressees ("Thủ trưởng các cơ quan, đơn vị") are
"generic".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Q

from congvu.common.text import search_key
from congvu.directives.extraction.resolve import RegistryUnit, Resolver
from congvu.org.models import Unit

_GENERIC = re.compile(r"^(thu truong|lanh dao|nguoi dung dau)?\s*(cac|tat ca|toan the)\b|^cac\b")


@dataclass
class Resolution:
    unit_id: int | None
    candidates: list[dict] = field(default_factory=list)
    generic: bool = False
    confidence: float = 0.0
    status: str = "unmatched"


class UnitResolver:
    """Built once per import over the units in the issuer's tree (its top ancestor's subtree)."""

    def __init__(self, units: list[Unit], issuer: Unit | None = None, issuer_text: str | None = None):
        by_pk = {u.pk: u for u in units}
        self.by_code = {u.code: u for u in units}
        registry = [
            RegistryUnit(code=u.code, name=u.name, aliases=tuple([*(u.aliases or []), *([u.short_name] if u.short_name else [])]),
                         kind=u.kind, parent_code=by_pk[u.parent_id].code if u.parent_id in by_pk else None)
            for u in units
        ]
        # The document's own issuer line ("UBND huyện Bình Sơn") anchors "huyện"/"xã" best; the
        # importing unit is the fallback when that line names nothing in the registry.
        self.resolver = Resolver(registry, issuer=issuer_text or (issuer.name if issuer is not None else None))
        if self.resolver.issuer_code is None and issuer is not None and issuer.code in self.by_code:
            self.resolver.issuer_code = issuer.code

    @classmethod
    def for_issuer(cls, issuer: Unit, day: dt.date | None = None, issuer_text: str | None = None) -> UnitResolver:
        """Units of the issuer's tree as they stood on `day` (the document's date): a 2024 notice
        names the district agencies that ended in 2025."""
        root_path = "/" + issuer.path.strip("/").split("/")[0] + "/" if issuer.path else ""
        qs = Unit.objects.filter(path__startswith=root_path) if root_path else Unit.objects.all()
        if day is not None:  # undated drafts ("ngày ... tháng ...") are matched against every period
            qs = qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day),
                           Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        return cls(list(qs), issuer=issuer, issuer_text=issuer_text)

    def resolve(self, text: str | None) -> Resolution:
        key = search_key(text or "")
        if not key:
            return Resolution(None)
        if _GENERIC.search(key):
            return Resolution(None, generic=True)
        found = self.resolver.resolve(text or "")
        candidates = [{"id": self.by_code[code].pk, "name": self.by_code[code].name, "confidence": conf}
                      for code, conf in found.candidates if code in self.by_code]
        unit = self.by_code.get(found.code) if found.status == "matched" and found.code else None
        return Resolution(unit.pk if unit else None, candidates, confidence=found.confidence, status=found.status)
