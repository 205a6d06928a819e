"""Resolve assignee names as written ("Phòng Nội vụ huyện") to units of the registry.

Never guesses: one clear match resolves; several equally good matches are "ambiguous" and the
clerk chooses; none is "unmatched". Collective addressees ("Thủ trưởng các cơ quan, đơn vị") are
"generic".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from congvu.common.text import search_key
from congvu.org.models import Unit

_GENERIC = re.compile(r"^(thu truong|lanh dao|nguoi dung dau)?\s*(cac|tat ca|toan the)\b|^cac\b")
_LEVEL_WORDS = {"huyen", "tinh", "xa", "thi", "tran", "phuong", "thanh", "pho"}
_EXPAND = [(re.compile(r"\bubnd\b"), "uy ban nhan dan"), (re.compile(r"\bhdnd\b"), "hoi dong nhan dan"),
           (re.compile(r"\bvh tt\b"), "van hoa va thong tin"), (re.compile(r"\btc kh\b"), "tai chinh ke hoach"),
           (re.compile(r"\bcchc\b"), "cai cach hanh chinh"), (re.compile(r"\bct\b"), "cong an")]
_THRESHOLD = 88


@dataclass
class Resolution:
    unit_id: int | None
    candidates: list[dict] = field(default_factory=list)
    generic: bool = False


def _key(text: str) -> str:
    key = search_key(text)
    for pattern, repl in _EXPAND:
        key = pattern.sub(repl, key)
    return key


def _core(key: str) -> str:
    words = key.split()
    while words and words[-1] in _LEVEL_WORDS:
        words.pop()
    return " ".join(words)


class UnitResolver:
    """Built once per import over the units in the issuer's tree (its top ancestor's subtree)."""

    def __init__(self, units: list[Unit]):
        self.entries: list[tuple[Unit, list[str]]] = []
        for unit in units:
            keys = {_key(unit.name), _core(_key(unit.name))}
            if unit.short_name:
                keys |= {_key(unit.short_name), _core(_key(unit.short_name))}
            for alias in unit.aliases or []:
                keys |= {_key(alias), _core(_key(alias))}
            self.entries.append((unit, [k for k in keys if k]))

    @classmethod
    def for_issuer(cls, issuer: Unit) -> UnitResolver:
        root_path = "/" + issuer.path.strip("/").split("/")[0] + "/" if issuer.path else ""
        qs = Unit.objects.filter(path__startswith=root_path) if root_path else Unit.objects.all()
        return cls(list(qs.filter(valid_to__isnull=True)))

    def resolve(self, text: str | None) -> Resolution:
        key = _key(text or "")
        if not key:
            return Resolution(None)
        if _GENERIC.search(key):
            return Resolution(None, generic=True)
        core = _core(key)
        scored: list[tuple[float, Unit]] = []
        for unit, keys in self.entries:
            best = 0.0
            for k in keys:
                if k == key or k == core:
                    best = 100.0
                    break
                best = max(best, fuzz.ratio(core, _core(k)), fuzz.token_sort_ratio(core, _core(k)))
                mine, theirs = set(core.split()), set(_core(k).split())
                if len(mine) >= 2 and mine < theirs:
                    best = max(best, 90.0)  # "Phòng Văn hóa" names every "Phòng Văn hóa ..." equally
                elif len(theirs) >= 2 and theirs < mine:
                    best = max(best, 95.0)  # "Phòng Nội vụ huyện Bình Sơn" → "Phòng Nội vụ"
            if best >= _THRESHOLD:
                scored.append((best, unit))
        if not scored:
            return Resolution(None)
        scored.sort(key=lambda s: -s[0])
        top = scored[0][0]
        best_units = [u for s, u in scored if s >= top - 2]
        candidates = [{"id": u.pk, "name": u.name} for _s, u in scored[:8]]
        if len(best_units) == 1:
            return Resolution(best_units[0].pk, candidates)
        return Resolution(None, candidates)
