"""Loading, validating and compiling the rule-set data (data/rulesets/*.yaml, data/base_salary.yaml
and an optional province override file) into a `RuleBook`.

A broken file is refused as a whole with a Vietnamese message naming the file and the place in it
(`RuleDataError`); nothing half-loaded is ever used. Loading compiles every condition into a
closure once, so evaluation does no parsing.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

from .checks import CHECKS, COMPOSITES, CheckFn, Params, combine_all, combine_any, percent_text
from .errors import RuleDataError, UnknownTitle
from .titles import KINDS, TITLES, Title

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
RULESETS_DIR = DATA_DIR / "rulesets"
BASE_SALARY_FILE = DATA_DIR / "base_salary.yaml"
# A province override file used when the caller passes no configuration (the app passes its setting).
ENV_OVERRIDE = "CONGVU_EMULATION_CONFIG"

CONFIDENCE = {"verified": "✅", "unverified": "⚠️", "not_found": "❓", "province": "tỉnh quy định"}
BALLOTS = ("open", "secret")
OPTIONS = {"rule_set_date": ("year_end", "decided")}


# --- compiled data ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CompiledCondition:
    id: str
    text: str
    article: str
    confidence: str
    group: str | None
    fn: CheckFn = field(repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class DossierItem:
    code: str
    name: str
    required: bool = True


@dataclass(frozen=True, slots=True)
class RewardRule:
    coefficient: Decimal
    article: str
    confidence: str


@dataclass(frozen=True, slots=True)
class Cap:
    title: str
    of: str | None  # the base title (CSTĐCS ≤ 15 % of LĐTT); None: of the candidates considered
    max_ratio: Fraction
    rounding: str  # floor, ceil, round (half up)
    minimum: int
    text: str
    article: str
    confidence: str

    def allowance(self, base: int) -> int:
        """How many may be awarded when `base` hold the base title."""
        raw = self.max_ratio * base
        if self.rounding == "floor":
            allowed = raw.numerator // raw.denominator
        elif self.rounding == "ceil":
            allowed = -(-raw.numerator // raw.denominator)
        else:
            allowed = int(raw + Fraction(1, 2))
        return max(allowed, self.minimum) if base > 0 else 0


@dataclass(frozen=True, slots=True)
class Authority:
    code: str
    name: str
    titles: frozenset[str]
    article: str
    confidence: str
    abolished: str | None = None


@dataclass(frozen=True, slots=True)
class TitleRules:
    """Everything a rule set says about one title: conditions per kind, money, cap, procedure."""

    code: str
    title: Title
    rule_set: str
    variants: dict[str, tuple[CompiledCondition, ...]]
    rewards: dict[str, RewardRule]
    cap: Cap | None
    dossier: tuple[DossierItem, ...]
    ballot: str  # "open" or "secret"
    approval_ratio: Fraction  # of ALL council members, not of those present
    approval_strict: bool  # True: more than the ratio; False: at least the ratio
    approval_confidence: str
    disclosure_required: bool
    disclosure_working_days: int
    disclosure_confidence: str
    time_limit_working_days: int | None
    time_limit_confidence: str | None
    authorities: tuple[str, ...]
    # Per kind, each condition as (fn, text, article, id, group, confidence): the evaluation loop's form.
    plans: dict[str, tuple[tuple[Any, ...], ...]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(self.variants)

    @property
    def approval_percent(self) -> Decimal:
        return (Decimal(self.approval_ratio.numerator) * 100 / Decimal(self.approval_ratio.denominator)).quantize(
            Decimal("0.01"))

    def approved(self, yes: int, members: int) -> bool:
        """Whether `yes` approving votes out of ALL `members` of the council pass the threshold."""
        if members <= 0:
            return False
        num, den = self.approval_ratio.numerator, self.approval_ratio.denominator
        return yes * den > num * members if self.approval_strict else yes * den >= num * members

    def conditions(self, kind: str | None = None) -> list[dict[str, Any]]:
        kind = kind or self.kinds[0]
        return [{"id": c.id, "text": c.text, "article": c.article, "confidence": c.confidence, "group": c.group}
                for c in self.variants.get(kind, ())]

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code, "name": self.title.name_vi, "kinds": list(self.kinds), "rule_set": self.rule_set,
            "conditions": {k: self.conditions(k) for k in self.kinds},
            "rewards": {k: {"coefficient": float(r.coefficient), "article": r.article, "confidence": r.confidence}
                        for k, r in self.rewards.items()},
            "cap": None if self.cap is None else {
                "of": self.cap.of, "max_ratio": float(self.cap.max_ratio), "rounding": self.cap.rounding,
                "minimum": self.cap.minimum, "text": self.cap.text, "article": self.cap.article,
                "confidence": self.cap.confidence},
            "dossier": [{"code": d.code, "name": d.name, "required": d.required} for d in self.dossier],
            "ballot": self.ballot,
            "approval": {"percent": float(self.approval_percent), "strict": self.approval_strict,
                         "confidence": self.approval_confidence},
            "disclosure": {"required": self.disclosure_required, "working_days": self.disclosure_working_days,
                           "confidence": self.disclosure_confidence},
            "time_limit_working_days": self.time_limit_working_days,
            "authorities": list(self.authorities),
        }


@dataclass(frozen=True, slots=True)
class RuleSet:
    id: str
    name: str
    legal_basis: tuple[str, ...]
    effective_from: dt.date
    effective_to: dt.date | None  # the day before the next rule set, None for the latest
    effective_confidence: str
    sources: tuple[str, ...]
    titles: dict[str, TitleRules]
    authority: dict[str, Authority]
    quorum: Fraction
    quorum_confidence: str
    dossier_items: dict[str, str]
    rounding_step: int
    rounding_article: str
    rounding_confidence: str

    def title_rules(self, code: str) -> TitleRules:
        try:
            return self.titles[code]
        except KeyError:
            if code in TITLES:
                raise UnknownTitle(f"Bộ quy tắc {self.id} không có danh hiệu {code}") from None
            raise UnknownTitle(f"Mã danh hiệu không hợp lệ: {code!r} (dùng {', '.join(TITLES)})") from None

    def titles_for(self, kind: str) -> list[str]:
        return [code for code, rules in self.titles.items() if kind in rules.variants]

    def quorum_met(self, present: int, members: int) -> bool:
        return members > 0 and present * self.quorum.denominator >= self.quorum.numerator * members

    def in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "legal_basis": list(self.legal_basis),
            "effective_from": self.effective_from.isoformat(),
            "effective_to": self.effective_to.isoformat() if self.effective_to else None,
            "effective_confidence": self.effective_confidence, "sources": list(self.sources),
            "quorum_percent": float(self.quorum * 100), "quorum_confidence": self.quorum_confidence,
            "titles": {code: rules.as_dict() for code, rules in self.titles.items()},
            "authority": {a.code: {"name": a.name, "titles": sorted(a.titles), "article": a.article,
                                   "confidence": a.confidence, "abolished": a.abolished}
                          for a in self.authority.values()},
        }


@dataclass(frozen=True, slots=True)
class BaseSalary:
    start: dt.date
    amount: int
    source: str
    confidence: str


@dataclass(frozen=True)
class RuleBook:
    """All rule sets in force over time, the base-salary history and the province's options."""

    rule_sets: tuple[RuleSet, ...]
    base_salaries: tuple[BaseSalary, ...]
    options: dict[str, str]
    province: str | None = None
    files: tuple[str, ...] = ()
    _by_id: dict[str, RuleSet] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({rs.id: rs for rs in self.rule_sets})

    def get(self, rule_set_id: str) -> RuleSet:
        try:
            return self._by_id[rule_set_id]
        except KeyError:
            raise RuleDataError(f"Không có bộ quy tắc {rule_set_id!r} (có: {', '.join(self._by_id)})") from None

    def for_date(self, day: dt.date) -> RuleSet:
        found = None
        for rs in self.rule_sets:
            if rs.effective_from <= day:
                found = rs
        if found is None:
            first = self.rule_sets[0].effective_from
            raise RuleDataError(f"Không có bộ quy tắc nào có hiệu lực ngày {day:%d/%m/%Y} "
                                f"(bộ sớm nhất từ {first:%d/%m/%Y})")
        return found

    def for_year(self, year: int, decided: dt.date | None = None) -> RuleSet:
        """The rule set a year's achievements are judged under (option `rule_set_date`)."""
        if decided is not None and self.options["rule_set_date"] == "decided":
            return self.for_date(decided)
        return self.for_date(dt.date(year, 12, 31))

    def base_salary_on(self, day: dt.date) -> BaseSalary:
        found = None
        for row in self.base_salaries:
            if row.start <= day:
                found = row
        if found is None:
            raise RuleDataError(f"Chưa có mức lương cơ sở áp dụng cho ngày {day:%d/%m/%Y}")
        return found


# --- reading files ---------------------------------------------------------------------------------


def _read_yaml(path: Path) -> Any:
    import yaml  # local: keeps `import congvu.emulation.rules` light until data is needed

    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except FileNotFoundError:
        raise RuleDataError(f"Không tìm thấy tệp quy tắc: {path}") from None
    except UnicodeDecodeError:
        raise RuleDataError(f"Tệp {path.name}: không phải văn bản UTF-8") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (dòng {mark.line + 1}, cột {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise RuleDataError(f"Tệp {path.name}: YAML không hợp lệ{where}: {problem}") from None


def deep_merge(base: Any, over: Any) -> Any:
    """Mappings merge key by key; anything else in `over` replaces."""
    if isinstance(base, Mapping) and isinstance(over, Mapping):
        out = dict(base)
        for key, value in over.items():
            out[key] = deep_merge(base[key], value) if key in base else value
        return out
    return over


class _Where:
    """Builds error messages that name the file and the dotted path inside it."""

    def __init__(self, file: str, path: str = "") -> None:
        self.file, self.path = file, path

    def __truediv__(self, key: Any) -> _Where:
        return _Where(self.file, f"{self.path}.{key}" if self.path else str(key))

    def __str__(self) -> str:
        return f"Tệp {self.file}" + (f", mục {self.path}" if self.path else "")

    def fail(self, message: str) -> RuleDataError:
        return RuleDataError(f"{self}: {message}")


def _mapping(value: Any, where: _Where, required: bool = True) -> Mapping[str, Any]:
    if value is None and not required:
        return {}
    if not isinstance(value, Mapping):
        raise where.fail("phải là một bảng khóa: giá trị")
    return value


def _str(value: Any, where: _Where) -> str:
    if not isinstance(value, str) or not value.strip():
        raise where.fail("phải là một chuỗi không rỗng")
    return value.strip()


def _date(value: Any, where: _Where) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise where.fail(f"ngày không hợp lệ: {value!r} (dạng YYYY-MM-DD)")


def _confidence(value: Any, where: _Where) -> str:
    if value not in CONFIDENCE:
        raise where.fail(f"độ tin cậy {value!r} không hợp lệ (dùng: {', '.join(CONFIDENCE)})")
    return value


def _bool(value: Any, where: _Where) -> bool:
    if not isinstance(value, bool):
        raise where.fail(f"phải là true hoặc false, không phải {value!r}")
    return value


def _int(value: Any, where: _Where, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise where.fail(f"phải là số nguyên ≥ {minimum}, không phải {value!r}")
    return value


def _ratio(value: Any, where: _Where) -> Fraction:
    try:
        ratio = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        raise where.fail(f"không phải một tỷ lệ: {value!r} (vd. \"0.9\" hoặc \"2/3\")") from None
    if not 0 < ratio <= 1:
        raise where.fail(f"tỷ lệ {value!r} phải lớn hơn 0 và không quá 1")
    return ratio


def _format(text: str, values: Mapping[str, Any], where: _Where) -> str:
    try:
        return text.format_map(values)
    except (KeyError, IndexError, ValueError) as exc:
        raise where.fail(f"văn bản {text!r} dùng tham số không có: {exc}") from None


# --- compiling -------------------------------------------------------------------------------------

def _compile_one(cid: str, spec: Any, where: _Where, kind: str, group: str | None,
                 article: str | None, confidence: str | None) -> CompiledCondition | None:
    spec = dict(_mapping(spec, where))
    if not _bool(spec.pop("enabled", True), where / "enabled"):
        return None
    check = spec.pop("check", None)
    if check is None:
        raise where.fail("thiếu 'check' (loại điều kiện)")
    text = _str(spec.pop("text", None), where / "text")
    if "article" in spec:
        article = _str(spec.pop("article"), where / "article")
    elif article is None:
        raise where.fail("thiếu 'article' (điều khoản làm căn cứ)")
    if "confidence" in spec:
        confidence = _confidence(spec.pop("confidence"), where / "confidence")
    elif confidence is None:
        raise where.fail("thiếu 'confidence' (verified, unverified, not_found, province)")
    params = Params(spec, str(where))
    if check in COMPOSITES:
        of = _mapping(params.spec.pop("of", None), where / "of")
        subs = [c for sid, sub in of.items()
                if (c := _compile_one(str(sid), sub, where / "of" / sid, kind, group, article, confidence))]
        if not subs:
            raise where.fail("không còn phương án nào (mọi điều kiện con đều bị tắt)")
        params.done()
        fns, texts = tuple(s.fn for s in subs), [s.text for s in subs]
        combine = combine_any if check == "any_of" else combine_all

        def fn(f, ctx, fns=fns, texts=texts, combine=combine):  # noqa: ANN001, ANN202 - hot path
            return combine([g(f, ctx) for g in fns], texts)
    else:
        if check not in CHECKS:
            raise where.fail(f"loại điều kiện {check!r} không có (dùng: {', '.join([*CHECKS, *COMPOSITES])})")
        compiler, kinds = CHECKS[check]
        if kind not in kinds:
            raise where.fail(f"loại điều kiện {check!r} không dùng được cho {kind}")
        fn = compiler(params, kind)
        params.done()
    text = _format(text, params.vars, where / "text")
    return CompiledCondition(cid if group is None else f"{group}.{cid}", text, article, confidence, group, fn)


def _compile_conditions(titles_raw: Mapping[str, Any], code: str, kind: str, where: _Where,
                        group: str | None = None, seen: tuple[str, ...] = ()) -> list[CompiledCondition]:
    variant = _mapping(_mapping(titles_raw.get(code), where).get(kind), where / kind)
    conditions = _mapping(variant.get("conditions"), where / kind / "conditions")
    out: list[CompiledCondition] = []
    for cid, spec in conditions.items():
        here = where / kind / "conditions" / cid
        spec = _mapping(spec, here)
        if "include" in spec:
            other = spec["include"]
            if set(spec) - {"include", "enabled"}:
                raise here.fail("mục 'include' chỉ có 'include' (và 'enabled')")
            if not _bool(spec.get("enabled", True), here / "enabled"):
                continue
            if other not in titles_raw or kind not in _mapping(titles_raw[other], here):
                raise here.fail(f"không có danh hiệu {other!r} cho {kind} để dùng lại tiêu chuẩn")
            if other in seen or other == code:
                raise here.fail(f"dùng lại tiêu chuẩn vòng tròn: {' → '.join([*seen, code, other])}")
            inner = _compile_conditions(titles_raw, other, kind, here.__class__(here.file, f"titles.{other}"),
                                        group=other, seen=(*seen, code))
            # The included title's own "already awarded" check is about that title, not this one.
            out.extend(c for c in inner if not c.id.endswith(".one_award"))
            continue
        compiled = _compile_one(str(cid), spec, here, kind, group, None, None)
        if compiled is not None:
            out.append(compiled)
    if not out:
        raise (where / kind).fail("không có điều kiện nào")
    return out


def _compile_title(code: str, raw: Any, titles_raw: Mapping[str, Any], rs_id: str, where: _Where,
                   dossier_items: Mapping[str, str], authorities: Mapping[str, Authority]) -> TitleRules:
    if code not in TITLES:
        raise where.fail(f"mã danh hiệu {code!r} không có trong danh mục (dùng: {', '.join(TITLES)})")
    title = TITLES[code]
    raw = _mapping(raw, where)
    unknown = set(raw) - {*KINDS, "reward", "cap", "procedure"}
    if unknown:
        raise where.fail("khóa không hợp lệ: " + ", ".join(sorted(unknown)))
    variants: dict[str, tuple[CompiledCondition, ...]] = {}
    for kind in KINDS:
        if kind in raw:
            if not title.accepts(kind):
                raise (where / kind).fail(f"{title.name_vi} không xét cho {kind}")
            variants[kind] = tuple(_compile_conditions(titles_raw, code, kind, where.__class__(where.file, "titles")
                                                       / code))
    if not variants:
        raise where.fail("không có điều kiện cho cá nhân (person) hay tập thể (collective)")

    rewards: dict[str, RewardRule] = {}
    reward_raw = _mapping(raw.get("reward"), where / "reward")
    for kind in variants:
        r = _mapping(reward_raw.get(kind), where / "reward" / kind)
        try:
            coefficient = Decimal(str(r.get("coefficient")))
        except InvalidOperation:
            coefficient = Decimal(-1)
        if not coefficient.is_finite() or coefficient < 0:
            raise (where / "reward" / kind / "coefficient").fail(f"hệ số không hợp lệ: {r.get('coefficient')!r}")
        rewards[kind] = RewardRule(coefficient, _str(r.get("article"), where / "reward" / kind / "article"),
                                   _confidence(r.get("confidence"), where / "reward" / kind / "confidence"))

    cap = None
    if raw.get("cap") is not None:
        w = where / "cap"
        c = dict(_mapping(raw["cap"], w))
        if _bool(c.pop("enabled", True), w / "enabled"):
            of = c.pop("of", None)
            if of is not None and of not in TITLES:
                raise (w / "of").fail(f"mã danh hiệu {of!r} không có")
            max_ratio = _ratio(c.pop("max_ratio", None), w / "max_ratio")
            rounding = c.pop("rounding", "floor")
            if rounding not in ("floor", "ceil", "round"):
                raise (w / "rounding").fail("dùng floor, ceil hoặc round")
            minimum = _int(c.pop("minimum", 0), w / "minimum")
            text = _format(_str(c.pop("text", None), w / "text"),
                           {"percent": percent_text(max_ratio), "minimum": minimum}, w / "text")
            cap = Cap(code, of, max_ratio, rounding, minimum, text, _str(c.pop("article", None), w / "article"),
                      _confidence(c.pop("confidence", None), w / "confidence"))
            if c:
                raise w.fail("khóa không hợp lệ: " + ", ".join(sorted(c)))

    w = where / "procedure"
    proc = _mapping(raw.get("procedure"), w)
    dossier = []
    for i, item in enumerate(proc.get("dossier") or []):
        item_code, required = (item, True) if isinstance(item, str) else (
            _mapping(item, w / "dossier" / i).get("code"), _bool(item.get("required", True), w / "dossier" / i))
        if item_code not in dossier_items:
            raise (w / "dossier" / i).fail(f"thành phần hồ sơ {item_code!r} không có trong dossier_items")
        dossier.append(DossierItem(item_code, dossier_items[item_code], required))
    if not dossier:
        raise (w / "dossier").fail("thiếu danh mục hồ sơ")
    ballot = proc.get("ballot")
    if ballot not in BALLOTS:
        raise (w / "ballot").fail("dùng open (biểu quyết công khai) hoặc secret (bỏ phiếu kín)")
    approval = _mapping(proc.get("approval"), w / "approval")
    disclosure = _mapping(proc.get("disclosure"), w / "disclosure")
    limit = _mapping(proc.get("time_limit_working_days"), w / "time_limit_working_days", required=False)
    unknown = set(proc) - {"dossier", "ballot", "approval", "disclosure", "time_limit_working_days"}
    if unknown:
        raise w.fail("khóa không hợp lệ: " + ", ".join(sorted(unknown)))
    return TitleRules(
        code=code, title=title, rule_set=rs_id, variants=variants, rewards=rewards, cap=cap,
        dossier=tuple(dossier), ballot=ballot,
        approval_ratio=_ratio(approval.get("ratio"), w / "approval" / "ratio"),
        approval_strict=_bool(approval.get("strict", False), w / "approval" / "strict"),
        approval_confidence=_confidence(approval.get("confidence"), w / "approval" / "confidence"),
        disclosure_required=_bool(disclosure.get("required", False), w / "disclosure" / "required"),
        disclosure_working_days=_int(disclosure.get("working_days", 0), w / "disclosure" / "working_days"),
        disclosure_confidence=_confidence(disclosure.get("confidence"), w / "disclosure" / "confidence"),
        time_limit_working_days=_int(limit["value"], w / "time_limit_working_days" / "value", 1) if limit else None,
        time_limit_confidence=_confidence(limit.get("confidence"), w / "time_limit_working_days") if limit else None,
        authorities=tuple(a.code for a in authorities.values() if code in a.titles),
        plans={kind: tuple((c.fn, c.text, c.article, c.id, c.group, c.confidence) for c in conditions)
               for kind, conditions in variants.items()},
    )


def _compile_rule_set(raw: Mapping[str, Any], file: str, effective_to: dt.date | None) -> RuleSet:
    where = _Where(file)
    rs_id = _str(raw.get("id"), where / "id")
    allowed = {"id", "extends", "name", "legal_basis", "effective_from", "effective_confidence", "sources",
               "council", "dossier_items", "authority", "rounding", "titles", "notes"}
    unknown = set(raw) - allowed
    if unknown:
        raise where.fail("khóa không hợp lệ: " + ", ".join(sorted(unknown)))
    dossier_items = {str(k): _str(v, where / "dossier_items" / k)
                     for k, v in _mapping(raw.get("dossier_items"), where / "dossier_items").items()}
    authorities: dict[str, Authority] = {}
    for code, a in _mapping(raw.get("authority"), where / "authority").items():
        w = where / "authority" / code
        a = _mapping(a, w)
        titles = a.get("titles") or []
        if not isinstance(titles, list) or any(t not in TITLES for t in titles):
            raise (w / "titles").fail(f"danh sách danh hiệu không hợp lệ: {titles!r}")
        abolished = a.get("abolished")
        authorities[str(code)] = Authority(str(code), _str(a.get("name"), w / "name"), frozenset(titles),
                                           _str(a.get("article"), w / "article"),
                                           _confidence(a.get("confidence"), w / "confidence"),
                                           _str(abolished, w / "abolished") if abolished is not None else None)
    titles_raw = _mapping(raw.get("titles"), where / "titles")
    titles = {str(code): _compile_title(str(code), spec, titles_raw, rs_id, where / "titles" / code,
                                        dossier_items, authorities)
              for code, spec in titles_raw.items()}
    council = _mapping(raw.get("council"), where / "council")
    rounding = _mapping(raw.get("rounding"), where / "rounding")
    legal = raw.get("legal_basis")
    if not isinstance(legal, list) or not legal:
        raise (where / "legal_basis").fail("cần danh sách căn cứ pháp lý")
    return RuleSet(
        id=rs_id, name=_str(raw.get("name"), where / "name"),
        legal_basis=tuple(_str(x, where / "legal_basis") for x in legal),
        effective_from=_date(raw.get("effective_from"), where / "effective_from"), effective_to=effective_to,
        effective_confidence=_confidence(raw.get("effective_confidence"), where / "effective_confidence"),
        sources=tuple(str(s) for s in raw.get("sources") or ()),
        titles=titles, authority=authorities,
        quorum=_ratio(council.get("quorum"), where / "council" / "quorum"),
        quorum_confidence=_confidence(council.get("quorum_confidence"), where / "council" / "quorum_confidence"),
        dossier_items=dossier_items,
        rounding_step=_int(rounding.get("step"), where / "rounding" / "step", 1),
        rounding_article=_str(rounding.get("article"), where / "rounding" / "article"),
        rounding_confidence=_confidence(rounding.get("confidence"), where / "rounding" / "confidence"),
    )


def _resolve_extends(raws: dict[str, tuple[str, Mapping[str, Any]]]) -> dict[str, tuple[str, Mapping[str, Any]]]:
    resolved: dict[str, tuple[str, Mapping[str, Any]]] = {}

    def resolve(rs_id: str, chain: tuple[str, ...]) -> Mapping[str, Any]:
        if rs_id in resolved:
            return resolved[rs_id][1]
        file, raw = raws[rs_id]
        parent = raw.get("extends")
        if parent is None:
            merged = raw
        else:
            if parent not in raws:
                raise _Where(file, "extends").fail(f"không có bộ quy tắc {parent!r} để kế thừa")
            if parent in chain:
                raise _Where(file, "extends").fail("kế thừa vòng tròn: " + " → ".join([*chain, rs_id, parent]))
            merged = deep_merge(resolve(parent, (*chain, rs_id)), raw)
        resolved[rs_id] = (file, merged)
        return merged

    for rs_id in raws:
        resolve(rs_id, ())
    return resolved


def _depth(raws: Mapping[str, tuple[str, Mapping[str, Any]]], rs_id: str) -> int:
    depth, seen = 0, set()
    while (parent := raws[rs_id][1].get("extends")) is not None and rs_id not in seen:
        seen.add(rs_id)
        depth, rs_id = depth + 1, parent
    return depth


def _base_salaries(rows: Any, where: _Where) -> list[BaseSalary]:
    if not isinstance(rows, list) or not rows:
        raise where.fail("cần một danh sách các mức lương cơ sở")
    out = []
    for i, row in enumerate(rows):
        w = where / i
        row = _mapping(row, w)
        out.append(BaseSalary(_date(row.get("from"), w / "from"), _int(row.get("amount"), w / "amount", 1),
                              _str(row.get("source"), w / "source"), _confidence(row.get("confidence"), w / "confidence")))
    return out


def load_rule_sets(directory: str | Path | None = None, override: str | Path | Mapping[str, Any] | None = None,
                   base_salary: str | Path | None = None) -> RuleBook:
    """Read every rule set in `directory` (default: the shipped data), apply a province override
    (a YAML file path or an equivalent mapping) and compile. Raises RuleDataError on any defect."""
    directory = Path(directory) if directory else RULESETS_DIR
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise RuleDataError(f"Không có tệp bộ quy tắc (*.yaml) trong {directory}")
    raws: dict[str, tuple[str, Mapping[str, Any]]] = {}
    for path in files:
        raw = _mapping(_read_yaml(path), _Where(path.name))
        rs_id = _str(raw.get("id"), _Where(path.name, "id"))
        if rs_id != path.stem:
            raise _Where(path.name, "id").fail(f"id {rs_id!r} phải trùng tên tệp {path.stem!r}")
        raws[rs_id] = (path.name, raw)
    salary_path = Path(base_salary) if base_salary else BASE_SALARY_FILE
    salaries = {row.start: row for row in _base_salaries(_read_yaml(salary_path), _Where(salary_path.name))}
    options = {name: choices[0] for name, choices in OPTIONS.items()}
    resolved = _resolve_extends(raws)
    province = None
    loaded = [str(p) for p in files] + [str(salary_path)]

    if override is not None:
        if isinstance(override, Mapping):
            o_file, o = "cấu hình tỉnh", override
        else:
            o_path = Path(override)
            o_file, o = o_path.name, _read_yaml(o_path)
            loaded.append(str(o_path))
        w = _Where(o_file)
        o = _mapping(o if o is not None else {}, w)
        unknown = set(o) - {"province", "source", "sources", "notes", "all", "rule_sets", "base_salary", "options"}
        if unknown:
            raise w.fail("khóa không hợp lệ: " + ", ".join(sorted(unknown)) +
                         " (dùng province, source, all, rule_sets, base_salary, options)")
        province = o.get("province")
        every = _mapping(o.get("all"), w / "all", required=False)
        if "id" in every or "extends" in every:
            raise (w / "all").fail("không được đổi id hay extends")
        per_set = _mapping(o.get("rule_sets"), w / "rule_sets", required=False)
        for rs_id in per_set:
            if rs_id not in resolved:
                raise (w / "rule_sets").fail(f"không có bộ quy tắc {rs_id!r} (có: {', '.join(resolved)})")
        for rs_id, (file, raw) in list(resolved.items()):
            extra = _mapping(per_set.get(rs_id), w / "rule_sets" / rs_id, required=False)
            if "id" in extra or "extends" in extra:
                raise (w / "rule_sets" / rs_id).fail("không được đổi id hay extends")
            merged = deep_merge(deep_merge(raw, every), extra)
            resolved[rs_id] = (f"{file} + {o_file}" if every or extra else file, merged)
        if o.get("base_salary") is not None:
            for row in _base_salaries(o["base_salary"], w / "base_salary"):
                salaries[row.start] = row
        for name, value in _mapping(o.get("options"), w / "options", required=False).items():
            if name not in OPTIONS or value not in OPTIONS[name]:
                raise (w / "options" / name).fail(
                    f"tùy chọn không hợp lệ: {name}={value!r} (có: " +
                    "; ".join(f"{k}: {', '.join(v)}" for k, v in OPTIONS.items()) + ")")
            options[name] = value

    dated = sorted(((_date(raw.get("effective_from"), _Where(file, "effective_from")), rs_id)
                    for rs_id, (file, raw) in resolved.items()))
    for (d1, a), (d2, b) in zip(dated, dated[1:], strict=False):
        if d1 == d2:
            raise RuleDataError(f"Hai bộ quy tắc {a} và {b} cùng có hiệu lực từ {d1:%d/%m/%Y}")
    ends = {rs_id: (dated[i + 1][0] - dt.timedelta(days=1) if i + 1 < len(dated) else None)
            for i, (_start, rs_id) in enumerate(dated)}
    compiled = {}
    # Parents first, so that a defect in inherited data is reported in the file that holds it.
    for rs_id in sorted(resolved, key=lambda r: _depth(raws, r)):
        file, raw = resolved[rs_id]
        parent = raws[rs_id][1].get("extends")
        label = f"{file} (kế thừa {raws[parent][0]})" if parent else file
        compiled[rs_id] = _compile_rule_set(raw, label, ends[rs_id])
    rule_sets = [compiled[rs_id] for _start, rs_id in dated]
    return RuleBook(tuple(rule_sets), tuple(salaries[d] for d in sorted(salaries)), options,
                    province=str(province) if province else None, files=tuple(loaded))


@lru_cache(maxsize=8)
def _cached_book(override: str | None, stamp: float | None) -> RuleBook:
    return load_rule_sets(override=override)


def _stamp(path: str | None) -> float | None:
    try:
        return os.stat(path).st_mtime if path else None
    except OSError:
        return None


def default_book() -> RuleBook:
    """The shipped rule sets plus the override named by $CONGVU_EMULATION_CONFIG, loaded once
    (reloaded when that file changes)."""
    path = os.environ.get(ENV_OVERRIDE) or None
    return _cached_book(path, _stamp(path))


def resolve_book(config: RuleBook | str | Path | Mapping[str, Any] | None) -> RuleBook:
    """`config` as the public functions accept it: None (shipped + $CONGVU_EMULATION_CONFIG), a
    RuleBook, a province override file path, or an override mapping."""
    if config is None:
        return default_book()
    if isinstance(config, RuleBook):
        return config
    if isinstance(config, str | Path):
        path = str(config)
        return _cached_book(path, _stamp(path))
    if isinstance(config, Mapping):
        return load_rule_sets(override=config)
    raise TypeError(f"config must be a RuleBook, a path or a mapping, not {type(config).__name__}")


def iter_conditions(rs: RuleSet) -> Iterable[tuple[str, str, CompiledCondition]]:
    """(title, kind, condition) for every condition of a rule set: for docs and the lead's report."""
    for code, rules in rs.titles.items():
        for kind, conditions in rules.variants.items():
            for c in conditions:
                yield code, kind, c
