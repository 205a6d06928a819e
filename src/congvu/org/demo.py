"""`congvu demo`: the demo province, Quảng Ngãi as it stood in 2023-2024, and its 2025 successors.

Loads, from the YAML files in `congvu/org/data/`:

- `quangngai_divisions.yaml`: the province, its 13 districts and 173 communes of 2023-2024 (codes of
  the General Statistics Office), the changes of 01/01/2025 (Resolution 1279/NQ-UBTVQH15), the
  two-level list of 01/07/2025 (Resolution 1677/NQ-UBTVQH15, Kon Tum merged in by 202/2025/QH15)
  and the lineage of every old commune into its new one;
- `quangngai_agencies.yaml`: provincial departments, the district agencies of Bình Sơn, Mộ Đức and
  Ba Tơ, the commune agencies of Ba Bích, and the 2025 mergers of departments;
- `quangngai_groups.yaml`: emulation blocks and clusters of 2023 and 2024;
- `quangngai_people.yaml`: officials with their position history, and one demo user per role.

It is idempotent: units are matched by code and updated only where they differ, lineage by its pair,
groups by (year, owner, name), people by staff code, users by username. Every write goes through the
org services, so each one is validated and audited (one audit entry per created/changed row).

After the org part, each callable named in `settings.CONGVU_DEMO_STEPS` (dotted paths) is called as
`fn(stdout=stdout)`, so later apps can add their demo data; what it returns is kept in the summary.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any, TextIO

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.module_loading import import_string

from congvu.audit.services import audit_record, model_snapshot
from congvu.common.text import clean
from congvu.org.importers import division_unit_code
from congvu.org.models import (
    EmulationGroup,
    LineageKind,
    Person,
    PositionHistory,
    RoleGrant,
    Unit,
    UnitKind,
    UnitLineage,
)
from congvu.org.roles import ROLE_LABELS, Role
from congvu.org.services import (
    emulation_group_create,
    person_create,
    person_link_user,
    person_position_assign,
    role_grant,
    unit_create,
    unit_lineage_create,
    unit_update,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
# Local-only password of the demo users (printed by the command). Override with CONGVU_DEMO_PASSWORD.
DEMO_PASSWORD = "congvu-demo-2024"
PROVINCE_CODE = "51"

_PREFIX_KINDS = (
    ("Thị trấn ", UnitKind.TOWNSHIP), ("Phường ", UnitKind.WARD), ("Xã ", UnitKind.COMMUNE),
    ("Đặc khu ", UnitKind.SPECIAL_ZONE), ("Huyện ", UnitKind.DISTRICT), ("Thị xã ", UnitKind.DISTRICT),
    ("Thành phố ", UnitKind.DISTRICT), ("Tỉnh ", UnitKind.PROVINCE),
)


@cache
def load_data(name: str) -> dict[str, Any]:
    with (DATA_DIR / name).open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _kind_and_short(name: str) -> tuple[str | None, str]:
    for prefix, kind in _PREFIX_KINDS:
        if name.startswith(prefix):
            return kind, name[len(prefix):]
    return None, name


def _source(text: str, verified: bool = True) -> str:
    text = clean(text or "")
    if not verified:
        text = f"{text} (chưa xác minh)" if text else "chưa xác minh"
    return text[:255]


class _Loader:
    def __init__(self, *, stdout: TextIO | None, password: str | None) -> None:
        self.stdout = stdout
        self.password = password
        self.units: dict[str, Unit] = {u.code: u for u in Unit.objects.all()}
        self.pairs = set(UnitLineage.objects.values_list("predecessor_id", "successor_id"))
        self.created: Counter[str] = Counter()
        self.logins: list[dict[str, Any]] = []

    def say(self, text: str) -> None:
        if self.stdout is not None:
            self.stdout.write(text + "\n")

    # -- units and lineage ------------------------------------------------------------------

    def unit(self, code: str, *, name: str, kind: str | None = None, parent: str | None = None, admin_code: str = "",
             short_name: str = "", valid_from: dt.date | None = None, valid_to: dt.date | None = None,
             aliases: list[str] | None = None, source: str = "") -> Unit:
        guessed, short = _kind_and_short(name)
        kind = kind or guessed or UnitKind.AGENCY
        wanted: dict[str, Any] = {
            "name": clean(name), "kind": kind, "parent": self.units[parent] if parent else None,
            "admin_code": admin_code, "short_name": clean(short_name or (short if guessed else "")),
            "valid_from": valid_from, "valid_to": valid_to, "aliases": [clean(a) for a in aliases or []],
            "source": source[:255],
        }
        unit = self.units.get(code)
        if unit is None:
            unit = unit_create(code=code, **wanted)
            self.created["units"] += 1
        else:
            changes = {}
            for field, value in wanted.items():
                current = unit.parent_id if field == "parent" else getattr(unit, field)
                if (value.pk if field == "parent" and value is not None else value) != current:
                    changes[field] = value
            if changes:
                unit = unit_update(unit=unit, **changes)
                self.created["units_updated"] += 1
        self.units[code] = unit
        return unit

    def lineage(self, predecessor: str, successor: str, *, effective_on: dt.date, kind: str = LineageKind.MERGE,
                share: float = 1, source: str = "") -> None:
        pred, succ = self.units[predecessor], self.units[successor]
        if (pred.pk, succ.pk) in self.pairs:
            return
        unit_lineage_create(predecessor=pred, successor=succ, effective_on=effective_on, kind=kind, share=share,
                            source=source[:255])
        self.pairs.add((pred.pk, succ.pk))
        self.created["lineages"] += 1

    def divisions(self) -> None:
        data = load_data("quangngai_divisions.yaml")
        prov = data["province"]
        self.unit(prov["code"], name=prov["name"], kind=UnitKind.PROVINCE, admin_code=prov["admin_code"],
                  short_name=prov["short_name"], source=_source(prov["source"]))

        legacy = data["legacy"]
        r2024, r2025 = data["reform_2024"], data["reform_2025"]
        ended_2024: dict[str, dt.date] = {}
        day_before_2024 = r2024["effective_on"] - dt.timedelta(days=1)
        for item in r2024["units"]:
            for pred in item["predecessors"]:
                ended_2024[pred if isinstance(pred, str) else pred["code"]] = day_before_2024
        for item in r2024.get("transfers", []):
            ended_2024[item["predecessor"]] = day_before_2024

        legacy_source = _source(legacy["source"], legacy.get("verified", True))
        for district in legacy["districts"]:
            dcode = f"{PROVINCE_CODE}-{district['admin_code']}"
            self.unit(dcode, name=district["name"], kind=UnitKind.DISTRICT, parent=PROVINCE_CODE,
                      admin_code=district["admin_code"], valid_to=legacy["valid_to"], source=legacy_source)
            for commune in district["communes"]:
                code = f"{dcode}-{commune['admin_code']}"
                self.unit(code, name=commune["name"], parent=dcode, admin_code=commune["admin_code"],
                          valid_to=ended_2024.get(code, legacy["valid_to"]), source=legacy_source)
        self.say(f"  đơn vị hành chính 2023-2024: {sum(len(d['communes']) for d in legacy['districts'])} xã, "
                 f"{len(legacy['districts'])} huyện")

        # 01/01/2025: Resolution 1279/NQ-UBTVQH15.
        for item in r2024["units"]:
            verified = item.get("verified", r2024.get("verified", True))
            self.unit(item["code"], name=item["name"], parent=f"{PROVINCE_CODE}-{item['district']}",
                      admin_code=item["admin_code"], valid_from=r2024["effective_on"], valid_to=legacy["valid_to"],
                      source=_source(r2024["source"], verified))
            for pred in item["predecessors"]:
                spec = {"code": pred} if isinstance(pred, str) else pred
                self.lineage(spec["code"], item["code"], effective_on=r2024["effective_on"],
                             kind=spec.get("kind", LineageKind.MERGE), share=spec.get("share", 1),
                             source=_source(r2024["source"], verified))
        for item in r2024.get("transfers", []):
            self.lineage(item["predecessor"], item["successor"], effective_on=r2024["effective_on"],
                         kind=item.get("kind", LineageKind.SPLIT),
                         source=_source(r2024["source"], item.get("verified", True)))

        # 01/07/2025: two-level local government; Kon Tum merged into Quảng Ngãi.
        eff = r2025["effective_on"]
        source_2025 = _source(r2025["source"], r2025.get("verified", True))
        for other in r2025.get("merged_provinces", []):
            self.unit(other["code"], name=other["name"], kind=UnitKind.PROVINCE, admin_code=other["admin_code"],
                      short_name=other.get("short_name", ""), valid_to=other["valid_to"], source=_source(other["source"]))
            self.lineage(other["code"], other["successor"], effective_on=eff, source=_source(other["source"]))
        for item in r2025["units"]:
            code = division_unit_code(PROVINCE_CODE, item["admin_code"])
            self.unit(code, name=item["name"], kind=item["kind"], parent=PROVINCE_CODE, admin_code=item["admin_code"],
                      valid_from=eff, source=source_2025)
            for pred in item["predecessors"]:
                spec = {"code": pred} if isinstance(pred, str) else pred
                self.lineage(spec["code"], code, effective_on=eff, kind=spec.get("kind", LineageKind.MERGE),
                             share=spec.get("share", 1), source=source_2025)
        special = r2025.get("special_district_successors", {})
        for district in legacy["districts"]:
            dcode = f"{PROVINCE_CODE}-{district['admin_code']}"
            if district["admin_code"] in special:
                self.lineage(dcode, special[district["admin_code"]], effective_on=eff, source=source_2025)
            else:
                self.lineage(dcode, r2025["district_successor"], effective_on=eff, kind=LineageKind.TRANSFER,
                             source=_source("Kết thúc cấp huyện từ 01/07/2025 (Luật Tổ chức chính quyền địa phương 2025)"))
        self.say(f"  đơn vị hành chính từ 01/07/2025: {len(r2025['units'])} xã, phường, đặc khu")

    def agencies(self) -> None:
        data = load_data("quangngai_agencies.yaml")
        block = data["province_agencies"]
        for item in block["units"]:
            self._agency(item, block["source"])
        block = data["district_agencies"]
        extra = block.get("extra_aliases", {})
        for district in block["districts"]:
            dcode = f"{PROVINCE_CODE}-{district['admin_code']}"
            for tpl in block["templates"]:
                code = f"{dcode}-{tpl['suffix']}"
                fill = {"huyen": district["label"]}
                self._agency({
                    "code": code, "parent": f"{dcode}-{tpl['parent']}" if tpl["parent"] else dcode,
                    "name": tpl["name"].format(**fill), "kind": tpl.get("kind"),
                    "aliases": [a.format(**fill) for a in tpl.get("aliases", [])] + extra.get(code, []),
                    "valid_to": tpl.get("valid_to", block.get("valid_to")), "verified": tpl.get("verified", True),
                }, block["source"])
        block = data["commune_agencies"]
        for item in block["units"]:
            self._agency(item, block["source"])
        for item in data["lineage"]:
            self.lineage(item["predecessor"], item["successor"], effective_on=item["effective_on"], kind=item["kind"],
                         source=_source(item["source"], item.get("verified", True)))
        self.say(f"  cơ quan, đơn vị: {sum(1 for u in self.units.values() if u.kind in _AGENCY_KINDS)}")

    def _agency(self, item: dict[str, Any], block_source: str) -> None:
        self.unit(item["code"], name=item["name"], kind=item.get("kind") or UnitKind.AGENCY, parent=item["parent"],
                  short_name=item.get("short_name", ""), valid_from=item.get("valid_from"),
                  valid_to=item.get("valid_to"), aliases=item.get("aliases"),
                  source=_source(item.get("source") or block_source, item.get("verified", True)))

    # -- groups, people, users --------------------------------------------------------------

    def groups(self) -> None:
        data = load_data("quangngai_groups.yaml")
        existing = set(EmulationGroup.objects.values_list("year", "owner_id", "name"))
        for item in data["groups"]:
            owner = self.units[item["owner"]]
            for year in item["years"]:
                name = clean(item["name"])
                if (year, owner.pk, name) in existing:
                    continue
                leader = item.get("leader", {}).get(year)
                emulation_group_create(year=year, kind=item["kind"], name=name, owner=owner,
                                       members=[self.units[c] for c in item["members"]],
                                       leader_unit=self.units[leader] if leader else None)
                existing.add((year, owner.pk, name))
                self.created["groups"] += 1
        self.say(f"  khối, cụm thi đua: {EmulationGroup.objects.count()}")

    def people(self) -> dict[str, Person]:
        data = load_data("quangngai_people.yaml")
        by_code = {p.staff_code: p for p in Person.objects.filter(staff_code__in=[i["staff_code"] for i in data["people"]])}
        for item in data["people"]:
            positions = item["positions"]
            person = by_code.get(item["staff_code"])
            if person is None:
                first = positions[0]
                person = person_create(full_name=item["full_name"], category=item["category"],
                                       unit=self.units[first["unit"]], position=first["position"],
                                       is_head=first.get("is_head", False), staff_code=item["staff_code"],
                                       birth_date=item.get("birth_date"), gender=item.get("gender", ""),
                                       email=item.get("email", ""), since=first["start"])
                self.created["people"] += 1
            history = set(PositionHistory.objects.filter(person=person).values_list("start", "position"))
            latest = max((start for start, _ in history), default=None)
            for pos in positions[1:]:
                if (pos["start"], clean(pos["position"])) in history or (latest and pos["start"] <= latest):
                    continue
                person = person_position_assign(person=person, unit=self.units[pos["unit"]], position=pos["position"],
                                                start=pos["start"], is_head=pos.get("is_head", False),
                                                decision=pos.get("decision", ""))
                latest = pos["start"]
                self.created["positions"] += 1
            by_code[item["staff_code"]] = person
        self.say(f"  cán bộ: {Person.objects.count()}")
        return by_code

    def users(self, people: dict[str, Person]) -> None:
        data = load_data("quangngai_people.yaml")
        User = get_user_model()
        for item in data["users"]:
            person = people[item["person"]]
            user = User.objects.filter(username=item["username"]).first()
            created = user is None
            if created:
                user = User(username=item["username"])
            family, _, given = person.full_name.rpartition(" ")
            before = None if created else model_snapshot(user)
            user.first_name, user.last_name = given, family
            user.email = person.email
            user.is_active = True
            user.is_staff = user.is_superuser = bool(item.get("superuser"))
            if self.password is not None:
                password = self.password
                user.set_password(password)
            elif created:
                password = secrets.token_urlsafe(9)
                user.set_password(password)
            else:
                password = "(không đổi)"
            user.save()
            after = model_snapshot(user)
            if created or before != after:
                audit_record(action="create" if created else "update", obj=user, before=before, after=after, note="demo")
                self.created["users" if created else "users_updated"] += 1
            grants_before = RoleGrant.objects.filter(user=user).count()
            for spec in item["units"]:
                spec = {"unit": spec} if isinstance(spec, str) else spec
                role_grant(user=user, role=item["role"], unit=self.units[spec["unit"]],
                           valid_from=spec.get("valid_from"), valid_to=spec.get("valid_to"))
            new_grants = RoleGrant.objects.filter(user=user).count() - grants_before
            if new_grants:
                self.created["role_grants"] += new_grants
            if person.user_id != user.pk:
                for other in Person.objects.filter(user=user).exclude(pk=person.pk):
                    person_link_user(person=other, user=None)
                person = person_link_user(person=person, user=user)
            self.logins.append({
                "username": user.username, "password": password, "role": item["role"],
                "role_label": ROLE_LABELS[Role(item["role"])], "person": person.full_name,
                "units": [_grant_label(self.units[spec if isinstance(spec, str) else spec["unit"]], spec)
                          for spec in item["units"]],
            })


_AGENCY_KINDS = {UnitKind.AGENCY, UnitKind.ONESTOP_DESK}


def _grant_label(unit: Unit, spec: Any) -> str:
    if isinstance(spec, str):
        return unit.name
    if spec.get("valid_to"):
        return f"{unit.name} (đến {spec['valid_to']:%d/%m/%Y})"
    if spec.get("valid_from"):
        return f"{unit.name} (từ {spec['valid_from']:%d/%m/%Y})"
    return unit.name


def demo_password() -> str | None:
    """The fixed local password (CONGVU_DEMO_PASSWORD or the default) when DEBUG; None → random, set once."""
    value = os.environ.get("CONGVU_DEMO_PASSWORD", "").strip()
    if value:
        return value
    return DEMO_PASSWORD if settings.DEBUG else None


def demo_counts() -> dict[str, int]:
    return {
        "units": Unit.objects.count(),
        "lineages": UnitLineage.objects.count(),
        "groups": EmulationGroup.objects.count(),
        "people": Person.objects.count(),
        "positions": PositionHistory.objects.count(),
        "users": get_user_model().objects.count(),
        "role_grants": RoleGrant.objects.count(),
    }


def run_demo_steps(stdout: TextIO | None = None) -> dict[str, Any]:
    """Call each dotted path of settings.CONGVU_DEMO_STEPS as fn(stdout=stdout), in order."""
    results: dict[str, Any] = {}
    for path in getattr(settings, "CONGVU_DEMO_STEPS", None) or []:
        results[path] = import_string(path)(stdout=stdout)
    return results


def demo_load(*, stdout: TextIO | None = None, password: str | None = None) -> dict[str, Any]:
    """Load the demo province (idempotent). Returns counts, what this run created, logins and step results.

    `password`: the demo users' password; default `demo_password()` (fixed when DEBUG, else random
    for new users and unchanged for existing ones).
    """
    loader = _Loader(stdout=stdout, password=password if password is not None else demo_password())
    loader.say("Nạp tỉnh mẫu Quảng Ngãi (2023-2024 và sắp xếp 2025)...")
    with transaction.atomic():
        loader.divisions()
        loader.agencies()
        loader.groups()
        people = loader.people()
        loader.users(people)
    steps = run_demo_steps(stdout)
    return {"counts": demo_counts(), "created": dict(loader.created), "logins": loader.logins, "steps": steps}


def format_logins(logins: list[dict[str, Any]]) -> str:
    rows = [("Tài khoản", "Mật khẩu", "Vai trò", "Phạm vi")]
    rows += [(x["username"], x["password"], f"{x['role']} ({x['role_label']})", "; ".join(x["units"])) for x in logins]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = ["  ".join(r[i].ljust(widths[i]) for i in range(3)) + "  " + r[3] for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths) + "  " + "-" * 20)
    return "\n".join(lines)
