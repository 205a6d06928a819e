"""Framework documents: dataclasses, load from / dump to plain data (YAML), validation.

A framework file (see docs/indices.md)::

    code: "766"
    name: Bộ chỉ số phục vụ người dân, doanh nghiệp
    version: "2022"
    levels: [province, department, commune]
    effective_from: 2022-06-23
    source: QĐ 766/QĐ-TTg ngày 23/6/2022
    bands: [{name: Xuất sắc, min_percent: 90}, ...]
    nodes:
      - code: "2"
        name: Tiến độ, kết quả giải quyết
        max_points: 20
        children:
          - {code: "2.1", name: ..., max_points: 20, method: live, metric: onestop.on_time_rate,
             threshold: 100, threshold_assumed: true}

Every error names the node code it is about (`FrameworkError.code`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

LEVELS = ("province", "department", "commune")
METHODS = ("group", "live", "self_assessment", "survey", "appraisal")
LEAF_METHODS = METHODS[1:]
SHAPES = ("linear", "binary", "steps", "lower_better", "monitor", "points")
MISSING_RULES = ("exclude", "zero")
_EPS = 1e-6


@dataclass(frozen=True)
class FrameworkError:
    code: str  # the node code ("" for the framework itself)
    message: str

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}" if self.code else self.message


class FrameworkInvalid(ValueError):
    def __init__(self, errors: Iterable[FrameworkError]):
        self.errors = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors))


@dataclass(frozen=True)
class Band:
    name: str
    min_percent: float


@dataclass(frozen=True)
class Formula:
    """How a leaf turns a rate (percent) into points.

    - `linear` (default): max × min(1, rate / threshold) — the 766 rule;
    - `binary`: max if rate ≥ threshold else 0;
    - `steps`: the fraction of max of the highest step whose `min` the rate reaches
      (`steps: [[90, 1], [80, 0.75], [50, 0.5]]`);
    - `lower_better`: for a rate where less is better (overdue): max × min(1, threshold / rate),
      full points at 0;
    - `monitor`: shown, never scored (max 0);
    - `points`: the leaf is scored in points directly (self-assessment, appraisal, survey).
    """

    shape: str = "linear"
    steps: tuple[tuple[float, float], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"shape": self.shape}
        if self.steps:
            out["steps"] = [[a, b] for a, b in self.steps]
        return out


@dataclass
class NodeDef:
    code: str
    name: str
    max_points: float
    method: str = "group"
    metric: str = ""
    metric_optional: bool = False  # the metric's provider may not be installed yet: no data until it is
    threshold: float | None = None
    threshold_assumed: bool = False
    formula: Formula = field(default_factory=Formula)
    evidence_required: tuple[str, ...] = ()
    description: str = ""
    source: str = ""
    children: list[NodeDef] = field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return not self.children and self.method != "group"

    def walk(self) -> Iterator[NodeDef]:
        yield self
        for c in self.children:
            yield from c.walk()


@dataclass
class FrameworkDef:
    code: str
    name: str
    version: str
    levels: tuple[str, ...]
    effective_from: dt.date
    nodes: list[NodeDef]
    effective_to: dt.date | None = None
    source: str = ""
    description: str = ""
    template: bool = False
    bands: tuple[Band, ...] = ()
    bands_assumed: bool = False
    missing: str = "exclude"  # how a node without data counts in its parent's percent
    rank_min_coverage: float = 0.0  # % of max_points that must have data for a unit to be ranked
    notes: str = ""

    @property
    def max_points(self) -> float:
        return round(sum(n.max_points for n in self.nodes), 6)

    def walk(self) -> Iterator[NodeDef]:
        for n in self.nodes:
            yield from n.walk()

    def leaves(self) -> list[NodeDef]:
        return [n for n in self.walk() if n.is_leaf]

    def node(self, code: str) -> NodeDef:
        for n in self.walk():
            if n.code == code:
                return n
        raise KeyError(code)

    def metrics(self) -> list[str]:
        return list(dict.fromkeys(n.metric for n in self.leaves() if n.metric))


# ---------------------------------------------------------------- parsing

def _num(value: Any, code: str, field_name: str, errors: list[FrameworkError]) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool):
        errors.append(FrameworkError(code, f"“{field_name}” phải là số, không phải {value!r}."))
        return None
    try:
        out = float(str(value).replace(",", "."))
    except ValueError:
        errors.append(FrameworkError(code, f"“{field_name}” phải là số, không phải {value!r}."))
        return None
    if not math.isfinite(out):
        errors.append(FrameworkError(code, f"“{field_name}” phải là số hữu hạn."))
        return None
    return out


def _date(value: Any, code: str, field_name: str, errors: list[FrameworkError]) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors.append(FrameworkError(code, f"“{field_name}” phải là ngày dạng YYYY-MM-DD, không phải {value!r}."))
        return None


_NODE_KEYS = {"code", "name", "max_points", "method", "metric", "metric_optional", "threshold", "threshold_assumed",
              "formula", "evidence_required", "description", "source", "children"}


def _parse_formula(raw: Any, code: str, errors: list[FrameworkError]) -> Formula:
    if raw is None or raw == {}:
        return Formula()
    if isinstance(raw, str):
        raw = {"shape": raw}
    if not isinstance(raw, Mapping):
        errors.append(FrameworkError(code, f"“formula” phải là tên dạng công thức hoặc một bảng, không phải {raw!r}."))
        return Formula()
    shape = str(raw.get("shape", "linear"))
    if shape not in SHAPES:
        errors.append(FrameworkError(code, f"dạng công thức “{shape}” không có; chọn một trong {', '.join(SHAPES)}."))
        return Formula()
    steps: list[tuple[float, float]] = []
    for i, step in enumerate(raw.get("steps") or []):
        if not isinstance(step, list | tuple) or len(step) != 2:
            errors.append(FrameworkError(code, f"bậc {i + 1} của công thức phải là [tỷ lệ tối thiểu, phần điểm]."))
            continue
        lo = _num(step[0], code, "steps", errors)
        frac = _num(step[1], code, "steps", errors)
        if lo is None or frac is None:
            continue
        if not 0 <= frac <= 1:
            errors.append(FrameworkError(code, f"bậc {i + 1}: phần điểm {frac:g} phải trong [0, 1]."))
        steps.append((lo, frac))
    if shape == "steps" and not steps:
        errors.append(FrameworkError(code, "công thức dạng “steps” cần ít nhất một bậc."))
    return Formula(shape=shape, steps=tuple(sorted(steps, reverse=True)))


def _parse_node(raw: Any, path: str, errors: list[FrameworkError]) -> NodeDef | None:
    if not isinstance(raw, Mapping):
        errors.append(FrameworkError(path, f"mỗi chỉ số phải là một bảng khóa–giá trị, không phải {raw!r}."))
        return None
    code = str(raw.get("code") or "").strip()
    where = code or path
    if not code:
        errors.append(FrameworkError(path, "chỉ số thiếu “code”."))
    unknown = set(raw) - _NODE_KEYS
    if unknown:
        errors.append(FrameworkError(where, f"khóa không có trong định dạng: {', '.join(sorted(map(str, unknown)))}."))
    name = str(raw.get("name") or "").strip()
    if not name:
        errors.append(FrameworkError(where, "chỉ số thiếu “name”."))
    max_points = _num(raw.get("max_points"), where, "max_points", errors)
    if max_points is None:
        if "max_points" not in raw:
            errors.append(FrameworkError(where, "chỉ số thiếu “max_points”."))
        max_points = 0.0
    elif max_points < 0:
        errors.append(FrameworkError(where, f"điểm tối đa {max_points:g} không được âm."))
    children_raw = raw.get("children") or []
    if not isinstance(children_raw, list):
        errors.append(FrameworkError(where, "“children” phải là một danh sách."))
        children_raw = []
    children = [c for i, r in enumerate(children_raw)
                if (c := _parse_node(r, f"{where}/{i + 1}", errors)) is not None]
    method = str(raw.get("method") or ("group" if children else "")).strip()
    if children and method not in ("", "group"):
        errors.append(FrameworkError(where, f"chỉ số có chỉ số con phải là nhóm, không dùng phương pháp “{method}”."))
        method = "group"
    if not children and method not in LEAF_METHODS:
        errors.append(FrameworkError(where, f"chỉ số lá cần “method” là một trong {', '.join(LEAF_METHODS)}"
                                            + (f" (không phải “{method}”)." if method else ".")))
    evidence = raw.get("evidence_required") or []
    if isinstance(evidence, str):
        evidence = [evidence]
    default_shape = "linear" if raw.get("metric") else ("points" if not children else "linear")
    formula_raw = raw.get("formula")
    formula = _parse_formula(formula_raw if formula_raw is not None else default_shape, where, errors)
    return NodeDef(
        code=code, name=name, max_points=max_points, method=method or "group",
        metric=str(raw.get("metric") or "").strip(), metric_optional=bool(raw.get("metric_optional", False)),
        threshold=_num(raw.get("threshold"), where, "threshold", errors),
        threshold_assumed=bool(raw.get("threshold_assumed", False)), formula=formula,
        evidence_required=tuple(str(e) for e in evidence), description=str(raw.get("description") or ""),
        source=str(raw.get("source") or ""), children=children)


_TOP_KEYS = {"code", "name", "version", "levels", "effective_from", "effective_to", "source", "description",
             "template", "bands", "bands_assumed", "missing", "rank_min_coverage", "notes", "nodes"}


def framework_from_dict(data: Any) -> FrameworkDef:
    """Parse a framework document; structural problems raise `FrameworkInvalid` (all at once)."""
    errors: list[FrameworkError] = []
    if not isinstance(data, Mapping):
        raise FrameworkInvalid([FrameworkError("", "tệp bộ chỉ số phải là một bảng khóa–giá trị (YAML mapping).")])
    unknown = set(data) - _TOP_KEYS
    if unknown:
        errors.append(FrameworkError("", f"khóa không có trong định dạng: {', '.join(sorted(map(str, unknown)))}."))
    code = str(data.get("code") or "").strip()
    for key in ("code", "name", "version", "effective_from"):
        if not data.get(key):
            errors.append(FrameworkError("", f"thiếu “{key}”."))
    levels = data.get("levels") or []
    if isinstance(levels, str):
        levels = [levels]
    if not levels:
        errors.append(FrameworkError("", f"thiếu “levels” (một hoặc nhiều cấp: {', '.join(LEVELS)})."))
    for lv in levels:
        if lv not in LEVELS:
            errors.append(FrameworkError("", f"cấp “{lv}” không có; chọn trong {', '.join(LEVELS)}."))
    bands: list[Band] = []
    for i, b in enumerate(data.get("bands") or []):
        if not isinstance(b, Mapping) or "name" not in b or "min_percent" not in b:
            errors.append(FrameworkError("", f"xếp loại thứ {i + 1} cần “name” và “min_percent”."))
            continue
        lo = _num(b["min_percent"], "", "min_percent", errors)
        if lo is not None:
            bands.append(Band(str(b["name"]), lo))
    missing = str(data.get("missing") or "exclude")
    if missing not in MISSING_RULES:
        errors.append(FrameworkError("", f"“missing” phải là một trong {', '.join(MISSING_RULES)}."))
    coverage = _num(data.get("rank_min_coverage", 0), "", "rank_min_coverage", errors) or 0.0
    if not 0 <= coverage <= 100:
        errors.append(FrameworkError("", "“rank_min_coverage” phải trong [0, 100]."))
    nodes_raw = data.get("nodes") or []
    if not isinstance(nodes_raw, list) or not nodes_raw:
        errors.append(FrameworkError("", "thiếu “nodes” (danh sách chỉ số)."))
        nodes_raw = []
    nodes = [n for i, r in enumerate(nodes_raw) if (n := _parse_node(r, f"#{i + 1}", errors)) is not None]
    effective_from = _date(data.get("effective_from"), "", "effective_from", errors)
    effective_to = _date(data.get("effective_to"), "", "effective_to", errors)
    if errors:
        raise FrameworkInvalid(errors)
    return FrameworkDef(
        code=code, name=str(data["name"]).strip(), version=str(data["version"]).strip(), levels=tuple(levels),
        effective_from=effective_from or dt.date.min, effective_to=effective_to, source=str(data.get("source") or ""),
        description=str(data.get("description") or ""), template=bool(data.get("template", False)),
        bands=tuple(sorted(bands, key=lambda b: -b.min_percent)), bands_assumed=bool(data.get("bands_assumed")),
        missing=missing, rank_min_coverage=coverage, notes=str(data.get("notes") or ""), nodes=nodes)


def framework_load_yaml(text: str) -> FrameworkDef:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise FrameworkInvalid([FrameworkError("", f"YAML không đọc được: {exc}")]) from exc
    return framework_from_dict(data)


# ---------------------------------------------------------------- dumping

def _num_out(x: float) -> int | float:
    return int(x) if float(x).is_integer() else round(float(x), 6)


def node_to_dict(n: NodeDef) -> dict[str, Any]:
    out: dict[str, Any] = {"code": n.code, "name": n.name, "max_points": _num_out(n.max_points)}
    if n.children:
        out["children"] = [node_to_dict(c) for c in n.children]
        if n.description:
            out["description"] = n.description
        if n.source:
            out["source"] = n.source
        return out
    out["method"] = n.method
    if n.metric:
        out["metric"] = n.metric
    if n.metric_optional:
        out["metric_optional"] = True
    if n.threshold is not None:
        out["threshold"] = _num_out(n.threshold)
    if n.threshold_assumed:
        out["threshold_assumed"] = True
    default_shape = "linear" if n.metric else "points"
    if n.formula.shape != default_shape or n.formula.steps:
        out["formula"] = n.formula.as_dict() if n.formula.steps else n.formula.shape
    if n.evidence_required:
        out["evidence_required"] = list(n.evidence_required)
    if n.description:
        out["description"] = n.description
    if n.source:
        out["source"] = n.source
    return out


def framework_to_dict(fw: FrameworkDef) -> dict[str, Any]:
    out: dict[str, Any] = {"code": fw.code, "name": fw.name, "version": fw.version, "levels": list(fw.levels),
                           "effective_from": fw.effective_from.isoformat()}
    if fw.effective_to:
        out["effective_to"] = fw.effective_to.isoformat()
    for key in ("source", "description", "notes"):
        if getattr(fw, key):
            out[key] = getattr(fw, key)
    if fw.template:
        out["template"] = True
    if fw.missing != "exclude":
        out["missing"] = fw.missing
    if fw.rank_min_coverage:
        out["rank_min_coverage"] = _num_out(fw.rank_min_coverage)
    if fw.bands:
        out["bands"] = [{"name": b.name, "min_percent": _num_out(b.min_percent)} for b in fw.bands]
    if fw.bands_assumed:
        out["bands_assumed"] = True
    out["nodes"] = [node_to_dict(n) for n in fw.nodes]
    return out


def framework_dump_yaml(fw: FrameworkDef) -> str:
    return yaml.safe_dump(framework_to_dict(fw), allow_unicode=True, sort_keys=False, width=110)


# ---------------------------------------------------------------- validation

def framework_validate(fw: FrameworkDef, *, metrics: Iterable[str] | None = None) -> list[FrameworkError]:
    """The semantic checks: codes unique; children add up to their parent; leaves have a method and
    a metric where live (a known one when `metrics`, the catalogue's names, is given); thresholds in
    (0, 100]; bands ordered within [0, 100]; effective period not inverted. Returns the errors
    (empty = valid). Orphans cannot exist in a nested document; `nodes_from_rows` checks them for
    flat rows."""
    errors: list[FrameworkError] = []
    known = set(metrics) if metrics is not None else None
    seen: dict[str, int] = {}
    for n in fw.walk():
        seen[n.code] = seen.get(n.code, 0) + 1
    for code, count in seen.items():
        if count > 1:
            errors.append(FrameworkError(code, f"mã chỉ số “{code}” bị trùng ({count} lần)."))
    if fw.effective_to and fw.effective_to < fw.effective_from:
        errors.append(FrameworkError("", "ngày hết hiệu lực trước ngày có hiệu lực."))
    for b in fw.bands:
        if not 0 <= b.min_percent <= 100:
            errors.append(FrameworkError("", f"xếp loại “{b.name}”: ngưỡng {b.min_percent:g}% phải trong [0, 100]."))
    for n in fw.walk():
        if n.children:
            total = sum(c.max_points for c in n.children)
            if abs(total - n.max_points) > _EPS:
                errors.append(FrameworkError(
                    n.code, f"tổng điểm các chỉ số con ({_num_out(total)}) khác điểm tối đa của chỉ số "
                            f"({_num_out(n.max_points)}): " + ", ".join(f"{c.code}={_num_out(c.max_points)}"
                                                                         for c in n.children) + "."))
            continue
        if n.threshold is not None and not (0 < n.threshold <= 100):
            errors.append(FrameworkError(n.code, f"ngưỡng {n.threshold:g}% phải lớn hơn 0 và không quá 100."))
        if n.method == "live" and not n.metric:
            errors.append(FrameworkError(n.code, "chỉ số tính tự động cần “metric” (tên số liệu trong danh mục)."))
        if n.metric and n.formula.shape in ("linear", "binary", "lower_better") and n.threshold is None:
            errors.append(FrameworkError(n.code, "công thức theo tỷ lệ cần “threshold” (ngưỡng, %)."))
        if n.metric and n.formula.shape == "points":
            errors.append(FrameworkError(n.code, "chỉ số có số liệu không dùng công thức “points”."))
        if n.formula.shape == "monitor" and n.max_points:
            errors.append(FrameworkError(n.code, "chỉ số chỉ theo dõi (monitor) phải có điểm tối đa 0."))
        if n.metric.startswith(f"index.{fw.code}."):
            errors.append(FrameworkError(n.code, f"số liệu “{n.metric}” là chính bộ chỉ số này (vòng lặp)."))
        if n.metric and known is not None and n.metric not in known and not n.metric_optional:
            errors.append(FrameworkError(n.code, f"số liệu “{n.metric}” không có trong danh mục số liệu."))
    return errors


def framework_check(fw: FrameworkDef, *, metrics: Iterable[str] | None = None) -> FrameworkDef:
    errors = framework_validate(fw, metrics=metrics)
    if errors:
        raise FrameworkInvalid(errors)
    return fw


@dataclass(frozen=True)
class FlatNode:
    """A node as a row (database, spreadsheet): `parent` is the parent's code ("" for a top node)."""

    code: str
    parent: str
    data: Mapping[str, Any]  # the node's own keys (without children)


def nodes_from_rows(rows: Iterable[FlatNode]) -> list[NodeDef]:
    """Rebuild a nested tree from flat rows in order; a row whose parent code is not a node is an
    orphan and refused (the error names it)."""
    rows = list(rows)
    errors: list[FrameworkError] = []
    codes = {r.code for r in rows}
    children: dict[str, list[FlatNode]] = {}
    for r in rows:
        if r.parent and r.parent not in codes:
            errors.append(FrameworkError(r.code, f"chỉ số mồ côi: không có chỉ số cha “{r.parent}”."))
        children.setdefault(r.parent, []).append(r)

    def build(r: FlatNode) -> dict[str, Any]:
        d = dict(r.data)
        kids = [build(c) for c in children.get(r.code, [])]
        if kids:
            d["children"] = kids
        return d

    reached: set[str] = set()
    stack = [r.code for r in children.get("", [])]
    while stack:
        c = stack.pop()
        if c not in reached:
            reached.add(c)
            stack.extend(k.code for k in children.get(c, []))
    for r in rows:
        if r.code not in reached and r.parent in codes:
            errors.append(FrameworkError(r.code, "chỉ số mồ côi: vòng lặp cha–con, không nối tới gốc."))
    if errors:
        raise FrameworkInvalid(errors)
    out: list[NodeDef] = []
    for i, r in enumerate(children.get("", [])):
        node = _parse_node(build(r), f"#{i + 1}", errors)
        if node is not None:
            out.append(node)
    if errors:
        raise FrameworkInvalid(errors)
    return out
