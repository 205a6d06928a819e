"""Reads of the org app: subtrees, search, lineage walks, scope."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from congvu.common.text import search_key
from congvu.org.models import Person, Unit, UnitLineage


def unit_subtree(*, unit: Unit, include_self: bool = True) -> QuerySet[Unit]:
    qs = Unit.objects.filter(path__startswith=unit.path)
    return qs if include_self else qs.exclude(pk=unit.pk)


def units_existing_on(*, day: dt.date, within: Unit | None = None) -> QuerySet[Unit]:
    """The units as they stood on `day` (a 2023 report lists the units of 2023)."""
    qs = Unit.objects.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    return qs.filter(path__startswith=within.path) if within is not None else qs


def unit_search(*, query: str, within: Iterable[int] | None = None, limit: int = 50) -> QuerySet[Unit]:
    """Accent-insensitive name / code / alias search: 'ba bich' finds 'Xã Ba Bích'."""
    key = search_key(query)
    qs = Unit.objects.all()
    if within is not None:
        qs = qs.filter(pk__in=list(within))
    if key:
        cond = Q()
        for word in key.split():
            cond &= Q(search_key__contains=word)
        qs = qs.filter(cond | Q(code__iexact=query.strip()) | Q(admin_code=query.strip()))
    return qs.order_by("path")[:limit]


_TERRITORIAL = ("tinh ", "thanh pho ", "huyen ", "quan ", "thi xa ", "xa ", "phuong ", "thi tran ", "dac khu ")


def _bare(key: str) -> str:
    """'xa ba bich' → 'ba bich': a territorial unit's name without its kind word."""
    for prefix in _TERRITORIAL:
        if key.startswith(prefix):
            return key[len(prefix):]
    return key


def unit_resolve(query: str, *, day: dt.date | None = None) -> Unit:
    """The one unit a person means by `query` (command-line `--unit`, import files): its code, its name or
    an alias (accent- and case-insensitive), the name without "Xã/Huyện/Tỉnh…" ("Ba Bích"), or a
    partial name — whichever first gives exactly one unit (units existing on `day`, default today,
    win a tie). Otherwise `NotFound` listing the candidates with their codes."""
    from django.utils import timezone

    from congvu.common.errors import NotFound

    query = (query or "").strip()
    if not query:
        raise NotFound("unit.not_found", "Chưa nhập mã hoặc tên đơn vị.")
    exact = Unit.objects.filter(Q(code=query) | Q(code__iexact=query)).first() or \
        Unit.objects.filter(admin_code=query).first()
    if exact is not None:
        return exact
    key = search_key(query)
    words = key.split()
    day = day or timezone.localdate()
    pool = list(Unit.objects.filter(*[Q(search_key__contains=w) for w in words]).order_by("path")) if words else []

    def name_key(u: Unit) -> str:
        return u.search_key.split(" | ")[0]

    def alias_keys(u: Unit) -> set[str]:
        return {search_key(a) for a in (u.aliases or [])}

    def living(units: list[Unit]) -> list[Unit]:
        alive = [u for u in units if (u.valid_from is None or u.valid_from <= day)
                 and (u.valid_to is None or u.valid_to >= day)]
        return alive or units

    tiers = [
        [u for u in pool if name_key(u) == key or key in alias_keys(u)],
        [u for u in pool if _bare(name_key(u)) == key or any(_bare(a) == key for a in alias_keys(u))],
        [u for u in pool if all(w in name_key(u).split() for w in words)],
    ]
    for found in tiers:
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            alive = living(found)
            if len(alive) == 1:
                return alive[0]
            listed = "; ".join(f"{u.code} ({u.name})" for u in alive[:10])
            more = f" và {len(alive) - 10} đơn vị khác" if len(alive) > 10 else ""
            raise NotFound("unit.ambiguous", f"Có {len(alive)} đơn vị khớp “{query}”, hãy dùng mã hoặc tên đầy đủ: "
                           f"{listed}{more}.", details={"candidates": [u.code for u in alive[:50]]})
    raise NotFound("unit.not_found", f"Không tìm thấy đơn vị có mã hoặc tên “{query}”.")


def person_search(*, query: str, limit: int = 50) -> QuerySet[Person]:
    key = search_key(query)
    qs = Person.objects.select_related("unit")
    for word in key.split():
        qs = qs.filter(search_key__contains=word)
    return qs[:limit]


def _lineage_map(direction: str) -> dict[int, list[tuple[int, dt.date]]]:
    out: dict[int, list[tuple[int, dt.date]]] = {}
    for pred, succ, day in UnitLineage.objects.values_list("predecessor_id", "successor_id", "effective_on"):
        if direction == "forward":
            out.setdefault(pred, []).append((succ, day))
        else:
            out.setdefault(succ, []).append((pred, day))
    return out


def _walk(start: int, graph: dict[int, list[tuple[int, dt.date]]]) -> list[int]:
    seen: list[int] = []
    stack = [start]
    while stack:
        node = stack.pop()
        for nxt, _day in graph.get(node, []):
            if nxt not in seen and nxt != start:
                seen.append(nxt)
                stack.append(nxt)
    return seen


def unit_successors_all(*, unit: Unit) -> list[Unit]:
    """Every unit that inherits from `unit`, transitively."""
    ids = _walk(unit.pk, _lineage_map("forward"))
    return list(Unit.objects.filter(pk__in=ids))


def unit_predecessors_all(*, unit: Unit) -> list[Unit]:
    """Every unit whose figures roll up to `unit`, transitively (merged communes, ended districts)."""
    ids = _walk(unit.pk, _lineage_map("backward"))
    return list(Unit.objects.filter(pk__in=ids))


def unit_successor_on(*, unit: Unit, day: dt.date) -> list[Unit]:
    """The unit(s) that carry `unit`'s figures on `day`: itself while it exists, else its successors."""
    if unit.exists_on(day):
        return [unit]
    forward = _lineage_map("forward")
    result: list[Unit] = []
    frontier = [unit.pk]
    seen: set[int] = set()
    while frontier:
        node = frontier.pop()
        for succ_id, eff in forward.get(node, []):
            if succ_id in seen or eff > day:
                continue
            seen.add(succ_id)
            succ = Unit.objects.get(pk=succ_id)
            if succ.exists_on(day):
                result.append(succ)
            else:
                frontier.append(succ_id)
    return result


def unit_rollup_ids(*, unit: Unit) -> set[int]:
    """Ids whose figures count for `unit`: its subtree plus, transitively, its predecessors' subtrees."""
    ids = set(unit_subtree(unit=unit).values_list("pk", flat=True))
    for pred in unit_predecessors_all(unit=unit):
        ids |= set(unit_subtree(unit=pred).values_list("pk", flat=True))
    return ids


def units_rollup_ids(*, units: Iterable[Unit], lineage: bool = True) -> dict[int, frozenset[int]]:
    """`unit_rollup_ids` for many units at once (two queries whatever their number): {unit id: ids
    whose figures count for it}. Without `lineage`, only each unit's subtree."""
    units = list(units)
    if not units:
        return {}
    paths = list(Unit.objects.values_list("pk", "path"))
    backward = _lineage_map("backward") if lineage else {}
    path_of = dict(paths)
    sorted_paths = sorted((path, pk) for pk, path in paths)

    def subtree(pk: int) -> set[int]:
        prefix = path_of[pk]
        i = bisect.bisect_left(sorted_paths, (prefix, -1))
        out: set[int] = set()
        while i < len(sorted_paths) and sorted_paths[i][0].startswith(prefix):
            out.add(sorted_paths[i][1])
            i += 1
        return out

    result: dict[int, frozenset[int]] = {}
    for unit in units:
        ids = subtree(unit.pk)
        for pred in _walk(unit.pk, backward):
            ids |= subtree(pred)
        result[unit.pk] = frozenset(ids)
    return result


def unit_tree(*, root: Unit | None = None, day: dt.date | None = None) -> list[tuple[Unit, int]]:
    """(unit, depth) in tree order, optionally as of `day`."""
    qs = Unit.objects.all() if day is None else units_existing_on(day=day)
    if root is not None:
        qs = qs.filter(path__startswith=root.path)
    units = list(qs.order_by("path"))
    base = root.path.count("/") if root is not None else 2
    return [(u, u.path.count("/") - base) for u in units]
