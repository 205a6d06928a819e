"""The working-day calendar of Vietnamese public bodies, as pure Python (no Django import here).

Layers, each one winning over the one before (docs: /work/shared/spec/calendar.md):

1. Weekends (Saturday, Sunday) are days off; Monday-Friday are working days.
2. Public holidays of the Labour Code (BLLĐ 2019 Art. 112), computed for any year from *rule
   versions* (data with an effective date, so that a change of the Code such as the proposed
   24/11 "Ngày Văn hóa Việt Nam" is a switch in the YAML, not a code change):
   - Tết Âm lịch, default rule when no official schedule exists: the 5 legal days are the last
     day of the lunar year (29 or 30 tháng Chạp) and mùng 1-4; a legal day that falls on a
     Saturday moves to the nearest earlier weekday that is not yet a holiday, one that falls on a
     Sunday to the nearest later such weekday. This reproduces every announced civil-servant
     schedule 2023-2026 (and the `holidays` library's VN rule since 2014).
   - Quốc khánh: 2/9 plus one adjacent day chosen by the weekday of 2/9 (the offsets are data).
3. Art. 111.3: a non-Tết holiday falling on a weekend gives a day off in lieu (nghỉ bù) on the
   next weekday that is not already a holiday.
4. Yearly overrides (the Prime Minister's schedule: swaps, make-up Saturdays, exact Tết days) as
   data: `day_off` / `working_day`, each with a name and a source. They win over everything.

Queries are answered from a precomputed index over a contiguous span of years, built lazily and
extended when a query needs more years: `cum[i]` is the number of working days among the first
`i` days of the span, `work` the sorted list of working days. Hence `is_working_day`,
`working_days_between` and `add_working_days` are O(1) for any n (the span grows by whole years
only when n reaches past it), instead of walking day by day.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Any

DAY_OFF = "day_off"
WORKING_DAY = "working_day"
OVERRIDE_KINDS = (DAY_OFF, WORKING_DAY)

# DayInfo.kind values.
KIND_WORKING = "working"
KIND_WEEKEND = "weekend"
KIND_HOLIDAY = "holiday"
KIND_IN_LIEU = "in_lieu"
KIND_OVERRIDE_OFF = "override_day_off"
KIND_OVERRIDE_WORKING = "override_working_day"

WEEKDAY_NAMES_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
_WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# lunar-vn computes lunar dates (UTC+7, the Vietnamese calendar) only in this range; outside it we
# could not place Tết, so the calendar refuses instead of silently treating Tết as working days.
# lunar_vn's SUPPORTED_YEAR_RANGE (checked by tests/workdays): lunar_vn itself is imported on first use,
# so that every `congvu` command does not pay its import (about 0.1 s) at start-up.
MIN_YEAR, MAX_YEAR = 1900, 2100


class _LazyLunar:
    def __getattr__(self, name: str) -> Any:
        import lunar_vn as module

        globals()["lunar_vn"] = module
        return getattr(module, name)


lunar_vn: Any = _LazyLunar()

SHIPPED_YAML = Path(__file__).resolve().parent / "data" / "calendar_overrides.yaml"

HOLIDAY_SOLAR = "solar"
HOLIDAY_LUNAR = "lunar"
HOLIDAY_LUNAR_NEW_YEAR = "lunar_new_year"
HOLIDAY_NATIONAL_DAY = "national_day"
_HOLIDAY_KINDS = (HOLIDAY_SOLAR, HOLIDAY_LUNAR, HOLIDAY_LUNAR_NEW_YEAR, HOLIDAY_NATIONAL_DAY)


class CalendarError(ValueError):
    """Bad calendar data or a date the calendar cannot answer for."""


class CalendarRangeError(CalendarError):
    """The query needs a year outside MIN_YEAR..MAX_YEAR."""


# --------------------------------------------------------------------------------------------
# Configuration (all of it data; see data/calendar_overrides.yaml)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Override:
    """One day of an announced schedule; wins over anything computed for that date."""

    date: dt.date
    kind: str
    name: str
    source: str = ""
    verified: bool = False
    note: str = ""

    def __post_init__(self) -> None:
        if self.kind not in OVERRIDE_KINDS:
            raise CalendarError(
                f"override {self.date}: kind must be one of {OVERRIDE_KINDS}, got {self.kind!r}"
            )


@dataclass(frozen=True, slots=True)
class HolidayRule:
    """One holiday of a rule version.

    kind: `solar` (month/day), `lunar` (lunar month/day of the lunar year = the solar year),
    `lunar_new_year` (`days` legal days starting `days_before` days before mùng 1),
    `national_day` (month/day plus an adjacent day at `adjacent_offsets[weekday]`, 0 = none).
    """

    key: str
    name: str
    kind: str
    month: int = 0
    day: int = 0
    days: int = 1
    days_before: int = 0
    adjacent_offsets: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in _HOLIDAY_KINDS:
            raise CalendarError(f"holiday {self.key}: unknown kind {self.kind!r}")
        if self.kind == HOLIDAY_NATIONAL_DAY and self.adjacent_offsets and len(self.adjacent_offsets) != 7:
            raise CalendarError(f"holiday {self.key}: adjacent_offsets needs one value per weekday")


@dataclass(frozen=True, slots=True)
class RuleVersion:
    """A list of legal holidays in force from `effective_from` to `effective_to` (inclusive)."""

    id: str
    title: str
    effective_from: dt.date
    effective_to: dt.date | None = None
    enabled: bool = True
    verified: bool = False
    source: str = ""
    note: str = ""
    holidays: tuple[HolidayRule, ...] = ()

    def in_force_on(self, d: dt.date) -> bool:
        return (
            self.enabled
            and self.effective_from <= d
            and (self.effective_to is None or d <= self.effective_to)
        )

    def touches_year(self, year: int) -> bool:
        return (
            self.enabled
            and self.effective_from.year <= year
            and (self.effective_to is None or self.effective_to.year >= year)
        )


@dataclass(frozen=True, slots=True)
class CalendarConfig:
    rule_versions: tuple[RuleVersion, ...] = ()
    overrides: tuple[Override, ...] = ()
    weekend: frozenset[int] = frozenset({5, 6})
    # Art. 111.3 BLLĐ 2019 (nghỉ bù); a switch only so that tests can look at the raw rule.
    in_lieu: bool = True

    def __post_init__(self) -> None:
        seen: set[dt.date] = set()
        for o in self.overrides:
            if o.date in seen:
                raise CalendarError(f"two overrides for {o.date.isoformat()}")
            seen.add(o.date)
        ids = [v.id for v in self.rule_versions]
        if len(ids) != len(set(ids)):
            raise CalendarError("rule version ids must be unique")

    def with_overrides(self, overrides: Iterable[Override]) -> CalendarConfig:
        """The same rules with another set of overrides (e.g. the ones edited in the database)."""
        return replace(self, overrides=tuple(overrides))

    def with_rule_switches(self, switches: Mapping[str, bool]) -> CalendarConfig:
        """Turn rule versions on/off by id (e.g. the uncertain 24/11 Culture Day)."""
        unknown = set(switches) - {v.id for v in self.rule_versions}
        if unknown:
            raise CalendarError(f"unknown rule version(s): {', '.join(sorted(unknown))}")
        return replace(
            self,
            rule_versions=tuple(
                replace(v, enabled=bool(switches[v.id])) if v.id in switches else v
                for v in self.rule_versions
            ),
        )


@dataclass(frozen=True, slots=True)
class DayInfo:
    """What a date is and why, for display (`reason` is empty for an ordinary working day)."""

    date: dt.date
    is_working: bool
    kind: str
    reason: str = ""
    source: str = ""
    verified: bool = True


# --------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------

_DMY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")


def parse_date(value: str | dt.date) -> dt.date:
    """ISO `2024-02-07` or Vietnamese `07/02/2024` (also 7/2/2024, 07-02-2024, 07.02.2024)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    m = _DMY.match(text)
    try:
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CalendarError(
            f"Ngày không hợp lệ / invalid date: {text!r} — dùng / use YYYY-MM-DD hoặc / or dd/mm/yyyy"
        ) from exc


def _as_bool(value: Any, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def _weekday_index(value: Any) -> int:
    if isinstance(value, int) and 0 <= value <= 6:
        return value
    key = str(value).strip().lower()[:3]
    if key not in _WEEKDAY_KEYS:
        raise CalendarError(f"unknown weekday {value!r}")
    return _WEEKDAY_KEYS.index(key)


def parse_override(raw: Mapping[str, Any]) -> Override:
    try:
        return Override(
            date=parse_date(raw["date"]),
            kind=str(raw["kind"]),
            name=str(raw["name"]),
            source=str(raw.get("source") or ""),
            verified=_as_bool(raw.get("verified"), False),
            note=str(raw.get("note") or ""),
        )
    except KeyError as exc:
        raise CalendarError(f"override {dict(raw)!r} lacks {exc.args[0]!r}") from exc


def _parse_holiday(raw: Mapping[str, Any]) -> HolidayRule:
    offsets: tuple[int, ...] = ()
    if raw.get("adjacent_offsets"):
        by_day = {_weekday_index(k): int(v) for k, v in dict(raw["adjacent_offsets"]).items()}
        offsets = tuple(by_day.get(i, 0) for i in range(7))
    return HolidayRule(
        key=str(raw["key"]),
        name=str(raw["name"]),
        kind=str(raw["kind"]),
        month=int(raw.get("month", 0)),
        day=int(raw.get("day", 0)),
        days=int(raw.get("days", 1)),
        days_before=int(raw.get("days_before", 0)),
        adjacent_offsets=offsets,
    )


def _parse_rule_version(raw: Mapping[str, Any]) -> RuleVersion:
    return RuleVersion(
        id=str(raw["id"]),
        title=str(raw.get("title") or raw["id"]),
        effective_from=parse_date(raw["effective_from"]),
        effective_to=parse_date(raw["effective_to"]) if raw.get("effective_to") else None,
        enabled=_as_bool(raw.get("enabled"), True),
        verified=_as_bool(raw.get("verified"), False),
        source=str(raw.get("source") or ""),
        note=str(raw.get("note") or ""),
        holidays=tuple(_parse_holiday(h) for h in raw.get("holidays") or ()),
    )


def parse_config(data: Mapping[str, Any]) -> CalendarConfig:
    """Build a CalendarConfig from the parsed YAML document (see data/calendar_overrides.yaml)."""
    weekend = frozenset(_weekday_index(w) for w in data.get("weekend") or ("sat", "sun"))
    return CalendarConfig(
        rule_versions=tuple(_parse_rule_version(v) for v in data.get("rule_versions") or ()),
        overrides=tuple(parse_override(o) for o in data.get("overrides") or ()),
        weekend=weekend,
        in_lieu=_as_bool(data.get("in_lieu"), True),
    )


def load_config(path: str | Path | None = None) -> CalendarConfig:
    """Read a calendar YAML file (the shipped one by default)."""
    import yaml  # local: only needed when reading files, keeps `import calendar` light

    with open(path or SHIPPED_YAML, encoding="utf-8") as fh:
        return parse_config(yaml.safe_load(fh) or {})


@lru_cache(maxsize=1)
def shipped_config() -> CalendarConfig:
    return load_config(SHIPPED_YAML)


@lru_cache(maxsize=1)
def shipped_calendar() -> WorkCalendar:
    """The calendar of the shipped YAML alone (no database): for scripts, benchmarks, fallbacks."""
    return WorkCalendar(shipped_config())


# --------------------------------------------------------------------------------------------
# Legal holidays of one year
# --------------------------------------------------------------------------------------------


def _lunar_year_name(lunar_year: int) -> str:
    return lunar_vn.can_chi.get_year_can_chi(lunar_year)


def _ddmm(d: dt.date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


@dataclass(slots=True)
class _Computed:
    kind: str  # KIND_HOLIDAY | KIND_IN_LIEU
    name: str
    source: str
    verified: bool


def compute_holidays(year: int, config: CalendarConfig) -> dict[dt.date, _Computed]:
    """Legal holidays and days in lieu of `year` from the rule versions (no overrides)."""
    weekend = config.weekend
    result: dict[dt.date, _Computed] = {}
    weekend_tet: list[tuple[dt.date, str, str, RuleVersion]] = []
    weekend_other: list[tuple[dt.date, str, RuleVersion]] = []

    def put(d: dt.date, name: str, version: RuleVersion, kind: str = KIND_HOLIDAY) -> None:
        if d.year != year:
            return
        if d in result:  # two rules on one day (cannot happen with the shipped data): keep both names
            result[d].name += f"; {name}"
            return
        result[d] = _Computed(kind, name, version.source, version.verified)

    for version in config.rule_versions:
        if not version.touches_year(year):
            continue
        for rule in version.holidays:
            if rule.kind == HOLIDAY_LUNAR_NEW_YEAR:
                first = lunar_vn.convert_lunar_to_solar(1, 1, year)
                if not version.in_force_on(first):
                    continue
                tet = f"Tết Nguyên đán {_lunar_year_name(year)}"
                for i in range(rule.days):
                    d = first + dt.timedelta(days=i - rule.days_before)
                    if d < first:
                        label = f"{lunar_vn.solar_to_lunar(d).day} tháng Chạp"
                    else:
                        label = f"mùng {(d - first).days + 1}"
                    put(d, f"{tet} ({label})", version)
                    if d.weekday() in weekend:
                        weekend_tet.append((d, tet, label, version))
            elif rule.kind == HOLIDAY_LUNAR:
                d = lunar_vn.convert_lunar_to_solar(rule.day, rule.month, year)
                if version.in_force_on(d):
                    put(d, rule.name, version)
                    if d.weekday() in weekend:
                        weekend_other.append((d, rule.name, version))
            else:
                try:
                    d = dt.date(year, rule.month, rule.day)
                except ValueError:  # e.g. 29/2 in a common year
                    continue
                if not version.in_force_on(d):
                    continue
                put(d, rule.name, version)
                if d.weekday() in weekend:
                    weekend_other.append((d, rule.name, version))
                if rule.kind == HOLIDAY_NATIONAL_DAY and rule.adjacent_offsets:
                    offset = rule.adjacent_offsets[d.weekday()]
                    if offset:
                        adjacent = d + dt.timedelta(days=offset)
                        put(adjacent, f"{rule.name} (ngày liền kề)", version)

    def free_weekday(d: dt.date, step: int) -> dt.date:
        while d.weekday() in weekend or d in result:
            d += dt.timedelta(days=step)
        return d

    # Tết: the PM's schedules keep 5 weekday days off around mùng 1; a Saturday legal day is taken
    # before the break, a Sunday one after it (see the module docstring).
    for d, tet, label, version in sorted(weekend_tet, key=lambda t: t[0]):
        step = -1 if d.weekday() == 5 else 1
        target = free_weekday(d + dt.timedelta(days=step), step)
        put(target, f"{tet} (nghỉ thay {label}, {WEEKDAY_NAMES_VI[d.weekday()]} {_ddmm(d)})", version)

    if config.in_lieu:
        # Art. 111.3: in date order, so that two holidays on one weekend get two distinct days.
        for d, name, version in sorted(weekend_other, key=lambda t: t[0]):
            target = free_weekday(d + dt.timedelta(days=1), 1)
            put(target, f"Nghỉ bù {name} ({WEEKDAY_NAMES_VI[d.weekday()]} {_ddmm(d)})", version, KIND_IN_LIEU)
    return result


# --------------------------------------------------------------------------------------------
# The calendar and its index
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Year:
    year: int
    flags: bytes  # one byte per day of the year: 1 = working day
    info: dict[dt.date, DayInfo]  # every day that is not a plain weekday/weekend


@dataclass(frozen=True, slots=True)
class _Span:
    """Immutable index over the years first..last; replaced as a whole when it grows, so readers
    never see a half-built index (one attribute read, no lock on the query path)."""

    first: int
    last: int
    base: int  # ordinal of 1 January of `first`
    ndays: int
    flags: bytes  # flags[i] == 1: ordinal base+i is a working day
    cum: list[int]  # len ndays+1; cum[i] = working days among ordinals base .. base+i-1
    work: list[dt.date]  # the working days, ascending (dates, so `add` allocates nothing)
    # date → index in `work` of the last working day <= it (-1 when none) / working days strictly
    # before it, counted from `base`: the query path is one dict lookup and one list index, no
    # ordinal arithmetic (work[last[d] + n] is the n-th working day after d, n >= 1).
    last_index: dict[dt.date, int]
    before: dict[dt.date, int]


_EMPTY_SPAN = _Span(0, -1, 0, 0, b"", [0], [], {}, {})


def _fast_queries(span: _Span, add_general: Any, between_general: Any) -> tuple[Any, Any]:
    """`add_working_days` and `working_days_between` bound to one span: the index lives in the
    closure's cells, so a call is one dict lookup and one list index with no attribute read and no
    argument normalisation (about a third of the former per-call cost). Anything the span cannot
    answer (n <= 0, a date outside it, a datetime, a result past its last year) goes to the
    general method, which grows the span and installs new closures; a closure someone kept stays
    correct because spans only grow (ranks of the old years do not change)."""
    work, last_index = span.work, span.last_index

    def add_working_days(d: dt.date, n: int) -> dt.date:
        """The n-th working day after d (d itself never counts).

        n == 0 returns d unchanged (even when d is a day off). n < 0 returns the |n|-th working
        day strictly before d, so that for a working day d: add(add(d, -n), n) == d.
        """
        if n > 0:
            try:
                return work[last_index[d] + n]
            except (KeyError, IndexError):
                pass
        return add_general(d, n)

    def working_days_between(a: dt.date, b: dt.date) -> int:
        """Number of working days w with a < w <= b; 0 when b <= a."""
        try:
            n = last_index[b] - last_index[a]
        except KeyError:
            return between_general(a, b)
        return n if n > 0 else 0

    return add_working_days, working_days_between


@dataclass(slots=True)
class WorkCalendar:
    """Working days from a CalendarConfig. Cheap to create; years are computed on first use."""

    config: CalendarConfig
    # The two hot queries are closures over the current span (see `_fast_queries`), stored in
    # slots and replaced whenever the span grows: `cal.add_working_days(d, n)` calls them directly.
    add_working_days: Any = field(init=False, repr=False, compare=False)
    working_days_between: Any = field(init=False, repr=False, compare=False)
    _overrides: dict[dt.date, Override] = field(init=False, repr=False, compare=False)
    _years: dict[int, _Year] = field(init=False, repr=False, compare=False)
    _span: _Span = field(init=False, repr=False, compare=False)
    _lock: threading.Lock = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._overrides = {o.date: o for o in self.config.overrides}
        self._years = {}
        self._lock = threading.Lock()
        self._install(_EMPTY_SPAN)

    def _install(self, span: _Span) -> None:
        self.add_working_days, self.working_days_between = _fast_queries(
            span, self._add_general, self._between_general)
        self._span = span

    @classmethod
    def from_yaml(cls, path: str | Path | None = None) -> WorkCalendar:
        return cls(load_config(path))

    # -- building ------------------------------------------------------------------------------

    def _year(self, year: int) -> _Year:
        cached = self._years.get(year)
        if cached is not None:
            return cached
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise CalendarRangeError(
                f"Năm {year} ngoài phạm vi lịch {MIN_YEAR}-{MAX_YEAR} / year outside the calendar range"
            )
        weekend = self.config.weekend
        computed = compute_holidays(year, self.config)
        start = dt.date(year, 1, 1).toordinal()
        ndays = dt.date(year + 1, 1, 1).toordinal() - start
        flags = bytearray(ndays)
        info: dict[dt.date, DayInfo] = {}
        for i in range(ndays):
            d = dt.date.fromordinal(start + i)
            override = self._overrides.get(d)
            hol = computed.get(d)
            if override is not None:
                working = override.kind == WORKING_DAY
                kind = KIND_OVERRIDE_WORKING if working else KIND_OVERRIDE_OFF
                info[d] = DayInfo(d, working, kind, override.name, override.source, override.verified)
            elif hol is not None:
                working = False
                info[d] = DayInfo(d, False, hol.kind, hol.name, hol.source, hol.verified)
            else:
                working = d.weekday() not in weekend
            flags[i] = working
        built = _Year(year, bytes(flags), info)
        self._years[year] = built
        return built

    def _ensure(self, first: int, last: int) -> _Span:
        """A span covering at least the years first..last (grown, never shrunk)."""
        span = self._span
        if span.first <= first and last <= span.last:
            return span
        with self._lock:
            span = self._span
            if span.first <= first and last <= span.last:
                return span
            if span.last >= span.first:
                first, last = min(first, span.first), max(last, span.last)
            years = [self._year(y) for y in range(first, last + 1)]
            flags = b"".join(y.flags for y in years)
            base = dt.date(first, 1, 1).toordinal()
            dates = [dt.date.fromordinal(base + i) for i in range(len(flags))]
            work = [d for d, f in zip(dates, flags, strict=True) if f]
            cum = list(accumulate(flags, initial=0))
            span = _Span(first, last, base, len(flags), flags, cum, work,
                         dict(zip(dates, [c - 1 for c in cum[1:]], strict=True)), dict(zip(dates, cum, strict=False)))
            self._install(span)
            return span

    def _span_for(self, *dates: dt.date) -> _Span:
        span = self._span
        lo, hi = min(d.year for d in dates), max(d.year for d in dates)
        if span.first <= lo and hi <= span.last:
            return span
        if lo < MIN_YEAR or hi > MAX_YEAR:
            raise CalendarRangeError(
                f"Ngày ngoài phạm vi lịch {MIN_YEAR}-{MAX_YEAR} / date outside the calendar range: "
                f"{', '.join(d.isoformat() for d in dates)}"
            )
        # Build a little around the request: deadlines nearly always reach into the next year.
        return self._ensure(max(MIN_YEAR, lo - 1), min(MAX_YEAR, hi + 1))

    # -- queries ---------------------------------------------------------------------------------

    # The public queries first try the current span inline (the common case, kept to a few
    # list lookups), and fall back to the _slow variants that grow the span.

    def is_working_day(self, d: dt.date) -> bool:
        span = self._span
        i = d.toordinal() - span.base
        if 0 <= i < span.ndays:
            return span.flags[i] == 1
        span = self._span_for(d)
        return span.flags[d.toordinal() - span.base] == 1

    def _add_general(self, d: dt.date, n: int) -> dt.date:
        """`add_working_days` for what its fast closure does not answer (see `_fast_queries`)."""
        span = self._span
        if n > 0:
            try:
                return span.work[span.last_index[d] + n]
            except (KeyError, IndexError):
                return self._add_slow(d, n)
        if n < 0:
            j = span.before.get(d, -1) + n  # working days strictly before d, minus |n|
            if j >= 0:
                return span.work[j]
            return self._add_slow(d, n)
        return d

    def _add_slow(self, d: dt.date, n: int) -> dt.date:
        if n == 0:
            return d
        o = d.toordinal()
        span = self._span_for(d)
        if n > 0:
            while True:
                j = span.cum[o - span.base + 1] + n - 1
                if j < len(span.work):
                    return span.work[j]
                if span.last >= MAX_YEAR:
                    raise CalendarRangeError(f"{d.isoformat()} + {n} ngày làm việc vượt quá năm {MAX_YEAR}")
                # About 245 working days a year: grow by enough whole years in one go.
                missing = j - len(span.work) + 1
                span = self._ensure(span.first, min(MAX_YEAR, span.last + missing // 200 + 1))
        while True:
            j = span.cum[o - span.base] + n
            if j >= 0:
                return span.work[j]
            if span.first <= MIN_YEAR:
                raise CalendarRangeError(f"{d.isoformat()} - {-n} ngày làm việc trước năm {MIN_YEAR}")
            span = self._ensure(max(MIN_YEAR, span.first - (-j) // 200 - 1), span.last)

    def subtract_working_days(self, d: dt.date, n: int) -> dt.date:
        return self.add_working_days(d, -n)

    def next_working_day(self, d: dt.date) -> dt.date:
        return self.add_working_days(d, 1)

    def previous_working_day(self, d: dt.date) -> dt.date:
        return self.add_working_days(d, -1)

    def _between_general(self, a: dt.date, b: dt.date) -> int:
        """`working_days_between` for what its fast closure does not answer (see `_fast_queries`)."""
        last_index = self._span.last_index
        try:
            n = last_index[b] - last_index[a]
        except KeyError:
            if b <= a:
                return 0
            span = self._span_for(a, b)
            return span.cum[b.toordinal() - span.base + 1] - span.cum[a.toordinal() - span.base + 1]
        return n if n > 0 else 0

    def working_days_in_range(self, a: dt.date, b: dt.date) -> list[dt.date]:
        """The working days w with a <= w <= b (both ends included: a list for display)."""
        if b < a:
            return []
        span = self._span_for(a, b)
        lo = span.cum[a.toordinal() - span.base]
        hi = span.cum[b.toordinal() - span.base + 1]
        return span.work[lo:hi]

    def day_info(self, d: dt.date) -> DayInfo:
        """Whether d is a working day and why (holiday / override name, source)."""
        self._span_for(d)
        info = self._year(d.year).info.get(d)
        if info is not None:
            if not info.is_working and info.kind == KIND_HOLIDAY and d.weekday() in self.config.weekend:
                # A legal holiday on a weekend: still say which one, the weekend alone explains it.
                return replace(info, reason=f"{info.reason} ({WEEKDAY_NAMES_VI[d.weekday()]})")
            return info
        if d.weekday() in self.config.weekend:
            return DayInfo(d, False, KIND_WEEKEND, WEEKDAY_NAMES_VI[d.weekday()])
        return DayInfo(d, True, KIND_WORKING)

    def off_reason(self, d: dt.date) -> str | None:
        """Why d is not a working day (for display), or None when it is one."""
        info = self.day_info(d)
        return None if info.is_working else info.reason

    def year_exceptions(self, year: int) -> list[DayInfo]:
        """Every day of `year` that differs from plain Mon-Fri work or carries a holiday name:
        holidays (also those on weekends), days in lieu, overrides (days off and make-up days)."""
        self._span_for(dt.date(year, 7, 1))
        return [self.day_info(d) for d in sorted(self._year(year).info)]

    def days_off(self, year: int) -> list[DayInfo]:
        """Days off of `year` other than ordinary weekends, with their reasons."""
        return [i for i in self.year_exceptions(year) if not i.is_working]
