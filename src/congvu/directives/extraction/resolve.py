"""Resolve an assignee as written ("Phòng Nội vụ huyện", "Ban CHQS huyện") to a unit of a registry.

The registry is plain data (`RegistryUnit`), so this module needs no database. Names are compared
on a key that ignores accents, tone placement, case, punctuation and "và", with common abbreviations
expanded (LĐ-TB&XH, TN&MT, CHQS, UBND...). A trailing "huyện"/"xã"/"tỉnh" without a name means the
issuer's own district/commune/province: "Phòng Nội vụ huyện" in a notice of UBND huyện Bình Sơn is
the Phòng Nội vụ under Bình Sơn.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from congvu.common.text import clean, search_key, unify_tone_placement

# accent-free token sequences → their expansion (longest first when applied)
ABBREVIATIONS: dict[str, str] = {
    "ubnd": "uy ban nhan dan", "hdnd": "hoi dong nhan dan", "ub": "uy ban",
    "ubmttqvn": "uy ban mat tran to quoc viet nam", "ubmttq": "uy ban mat tran to quoc",
    "mttqvn": "mat tran to quoc viet nam", "mttq": "mat tran to quoc",
    "ld tb xh": "lao dong thuong binh xa hoi", "ldtbxh": "lao dong thuong binh xa hoi",
    "tn mt": "tai nguyen moi truong", "tnmt": "tai nguyen moi truong",
    "vh tt dl": "van hoa the thao du lich", "vhttdl": "van hoa the thao du lich",
    "vh tt": "van hoa thong tin", "vhtt": "van hoa thong tin",
    "bchqs": "ban chi huy quan su", "chqs": "chi huy quan su", "bch": "ban chi huy",
    "nn ptnt": "nong nghiep phat trien nong thon", "nnptnt": "nong nghiep phat trien nong thon",
    "tt tt": "thong tin truyen thong", "tttt": "thong tin truyen thong",
    "gd dt": "giao duc dao tao", "gddt": "giao duc dao tao",
    "tc kh": "tai chinh ke hoach", "tckh": "tai chinh ke hoach",
    "kt ht": "kinh te ha tang", "ktht": "kinh te ha tang",
    "kh dt": "ke hoach dau tu", "khdt": "ke hoach dau tu",
    "gtvt": "giao thong van tai", "vp": "van phong", "bcd": "ban chi dao", "bql": "ban quan ly",
    "kbnn": "kho bac nha nuoc", "bhxh": "bao hiem xa hoi", "tp": "thanh pho", "tx": "thi xa",
    "cchc": "cai cach hanh chinh", "tw": "trung uong",
}
_ABBR_RE = re.compile(r"\b(" + "|".join(re.escape(k) for k in sorted(ABBREVIATIONS, key=len, reverse=True)) + r")\b")
_LEVEL_RE = re.compile(r"^(.*?)\s*\b(tỉnh|huyện|xã(?! hội)|thị trấn|phường|thành phố|thị xã|quận)(?:\s+(.+))?$")
_LEVEL_KINDS = {
    "tỉnh": {"province"}, "huyện": {"district"}, "quận": {"district"}, "thị xã": {"district"},
    "thành phố": {"district", "province"}, "xã": {"commune"}, "phường": {"ward", "commune"},
    "thị trấn": {"township", "commune"},
}
_ADMIN_KINDS = {"province", "district", "commune", "ward", "township"}
_LEVEL_NAME = {"province": "tỉnh", "district": "huyện", "commune": "xã", "ward": "phường", "township": "thị trấn"}


@dataclass(frozen=True)
class RegistryUnit:
    code: str
    name: str
    aliases: tuple[str, ...] = ()
    kind: str = "agency"
    parent_code: str | None = None

    @classmethod
    def from_dict(cls, d: dict) -> RegistryUnit:
        return cls(code=str(d["code"]), name=d["name"], aliases=tuple(d.get("aliases") or ()),
                   kind=d.get("kind") or "agency", parent_code=d.get("parent_code"))


@dataclass
class Resolution:
    code: str | None
    confidence: float
    status: str  # matched, ambiguous, unmatched
    candidates: list[tuple[str, float]] = field(default_factory=list)


def match_key(name: str) -> str:
    """Accent-, tone-, case- and punctuation-free key with abbreviations expanded and "và" dropped."""
    key = search_key(name.replace("&", " "))
    key = _ABBR_RE.sub(lambda m: ABBREVIATIONS[m.group(1)], key)
    return " ".join(w for w in key.split() if w != "va")


def split_locality(name: str) -> tuple[str, str | None, str | None]:
    """'Phòng Nội vụ huyện Bình Sơn' → ('phong noi vu', 'huyện', 'binh son')."""
    low = unify_tone_placement(clean(name)).lower()
    low = re.sub(r"\s*\([^)]*\)", "", low)
    m = _LEVEL_RE.match(low)
    if not m:
        return match_key(low), None, None
    core, level, place = m.group(1), m.group(2), m.group(3)
    return match_key(core), level, (match_key(place) if place else None)


@dataclass
class _Entry:
    unit: RegistryUnit
    keys: list[tuple[str, str | None, str | None]]


class Resolver:
    def __init__(self, registry: Iterable[RegistryUnit], issuer: str | None = None) -> None:
        self.units = {u.code: u for u in registry}
        self.entries = [_Entry(u, self._keys(u)) for u in self.units.values()]
        self.issuer_code: str | None = None
        if issuer:
            self.issuer_code = self._issuer_code(issuer)

    def _issuer_code(self, issuer: str) -> str | None:
        """'UBND huyện Bình Sơn' names the district and its People's Committee alike: either anchors
        the context, so prefer the administrative unit of the named level."""
        res = self.resolve(issuer, use_context=False)
        if res.status == "matched":
            return res.code
        if res.status != "ambiguous":
            return None
        _core, level, _place = split_locality(issuer)
        kinds = _LEVEL_KINDS.get(level or "", set())
        admin = [code for code, _conf in res.candidates if self.units[code].kind in kinds]
        return admin[0] if len(admin) == 1 else None

    def _keys(self, u: RegistryUnit) -> list[tuple[str, str | None, str | None]]:
        names = [u.name, *u.aliases]
        if u.kind in _ADMIN_KINDS:
            # an administrative unit is also called "UBND <level> <name>"
            core, level, place = split_locality(u.name)
            place = place or core
            lv = level or _LEVEL_NAME.get(u.kind, "")
            names.append(f"UBND {lv} {place}")
        return [split_locality(n) for n in names]

    def ancestors(self, code: str | None) -> list[str]:
        out: list[str] = []
        seen: set[str] = set()
        while code and code in self.units and code not in seen:
            seen.add(code)
            out.append(code)
            code = self.units[code].parent_code
        return out

    def _place_of(self, code: str) -> set[str]:
        """Place names of a unit and its ancestors ("binh son", "quang ngai")."""
        places: set[str] = set()
        for c in self.ancestors(code):
            for core, _level, place in self._keys(self.units[c]):
                if place:
                    places.add(place)
                if self.units[c].kind in _ADMIN_KINDS:
                    places.add(core)
        return places

    def resolve(self, name: str, use_context: bool = True) -> Resolution:
        from rapidfuzz import fuzz  # imported here: the CLI without a registry never needs it

        core, level, place = split_locality(name)
        if not core and not place:
            return Resolution(None, 0.0, "unmatched")
        scored: list[tuple[float, _Entry]] = []
        for e in self.entries:
            best = 0.0
            for k_core, k_level, k_place in e.keys:
                s = 100.0 if k_core == core else fuzz.token_sort_ratio(core, k_core)
                words, k_words = set(core.split()), set(k_core.split())
                if len(words) >= 3 and words < k_words:
                    # "Phòng Văn hóa" names every "Phòng Văn hóa ..." alike: a candidate, never a sure match
                    s = max(s, 85.0)
                if place and k_place:
                    s = min(s, 100.0) if k_place == place else s - 15
                if level and k_level and _LEVEL_KINDS.get(level, set()) != _LEVEL_KINDS.get(k_level, set()):
                    s -= 10
                best = max(best, s)
            if best >= 80:
                scored.append((best, e))
        if not scored:
            return Resolution(None, 0.0, "unmatched")
        scored.sort(key=lambda x: -x[0])
        top = scored[0][0]
        near = [(s, e) for s, e in scored if s >= top - 3]
        if len(near) > 1 and use_context:
            near = self._by_context(near, level, place) or near
        candidates = [(e.unit.code, round(s / 100, 3)) for s, e in scored[:5]]
        if len(near) == 1 and near[0][0] >= 88:
            s, e = near[0]
            return Resolution(e.unit.code, round(s / 100, 3), "matched", candidates)
        if len(near) > 1:
            return Resolution(None, round(top / 100 / len(near), 3), "ambiguous",
                              [(e.unit.code, round(s / 100, 3)) for s, e in near[:5]])
        return Resolution(None, round(top / 100, 3), "unmatched", candidates)

    def _by_context(self, near: list[tuple[float, _Entry]], level: str | None, place: str | None
                    ) -> list[tuple[float, _Entry]]:
        if place:
            return [(s, e) for s, e in near if place in self._place_of(e.unit.code)]
        if not self.issuer_code:
            return []
        chain = self.ancestors(self.issuer_code)
        if level:
            kinds = _LEVEL_KINDS.get(level, set())
            anchor = next((c for c in chain if self.units[c].kind in kinds), None)
            if anchor is None:
                return []
            picked = [(s, e) for s, e in near if anchor in self.ancestors(e.unit.code)]
            # "UBND huyện" names the district itself; prefer the unit right under it otherwise
            direct = [(s, e) for s, e in picked if e.unit.parent_code == anchor or e.unit.code == anchor]
            return direct or picked
        # no level word: the nearest unit around the issuer
        for c in chain:
            picked = [(s, e) for s, e in near if c in self.ancestors(e.unit.code)]
            if picked:
                return picked
        return []


def load_registry(data: object) -> list[RegistryUnit]:
    """A registry from parsed JSON: a list of units or {"units": [...]}."""
    if isinstance(data, dict):
        data = data.get("units", [])
    if not isinstance(data, list):
        raise ValueError("registry JSON must be a list of units or {\"units\": [...]}")
    return [RegistryUnit.from_dict(d) for d in data]
