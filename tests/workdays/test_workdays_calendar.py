"""The pure calendar core (no database): calendar.md cases, own cases, rules, configuration."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest
from workdays_cases import OWN_CASES, SPEC_CASES

from congvu.workdays.calendar import (
    DAY_OFF,
    KIND_IN_LIEU,
    KIND_OVERRIDE_OFF,
    KIND_OVERRIDE_WORKING,
    KIND_WEEKEND,
    KIND_WORKING,
    WORKING_DAY,
    CalendarConfig,
    CalendarError,
    CalendarRangeError,
    Override,
    WorkCalendar,
    compute_holidays,
    parse_config,
    parse_date,
    shipped_calendar,
    shipped_config,
)

D = dt.date.fromisoformat
CULTURE_DAY = "ngay-van-hoa-viet-nam-2411"


def run_core(cal: WorkCalendar, action: str, a: str, b: str | None) -> str:
    """The pure-core equivalent of `congvu calendar ACTION A [B]`."""
    if action == "add":
        return cal.add_working_days(parse_date(a), int(b)).isoformat()
    if action == "between":
        return str(cal.working_days_between(parse_date(a), parse_date(b)))
    if action == "is-working":
        return "true" if cal.is_working_day(parse_date(a)) else "false"
    if action == "next":
        return cal.next_working_day(parse_date(a)).isoformat()
    raise AssertionError(action)


@pytest.mark.parametrize(("action", "a", "b", "expected"), SPEC_CASES)
def test_spec_cases_core(action: str, a: str, b: str | None, expected: str) -> None:
    assert run_core(shipped_calendar(), action, a, b) == expected


@pytest.mark.parametrize(("action", "a", "b", "expected"), OWN_CASES)
def test_own_cases_core(action: str, a: str, b: str | None, expected: str) -> None:
    assert run_core(shipped_calendar(), action, a, b) == expected


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2024-02-08", "2024-02-14"),
        ("2025-01-25", "2025-02-02"),
        ("2026-02-14", "2026-02-22"),
        ("2026-08-29", "2026-09-02"),
    ],
)
def test_announced_breaks_are_wholly_off(start: str, end: str) -> None:
    cal = shipped_calendar()
    a, b = D(start), D(end)
    assert cal.working_days_in_range(a, b) == []
    assert cal.is_working_day(a - dt.timedelta(days=1)) or (a - dt.timedelta(days=1)).weekday() >= 5
    assert cal.working_days_between(a - dt.timedelta(days=1), b) == 0


def rule_only(*, culture_day: bool = False) -> WorkCalendar:
    config = shipped_config().with_overrides(())
    return WorkCalendar(config.with_rule_switches({CULTURE_DAY: culture_day}))


def weekday_days_off(cal: WorkCalendar, year: int) -> set[dt.date]:
    return {i.date for i in cal.days_off(year) if i.date.weekday() < 5}


# Swap days of the PM's schedules: decided each year, the rule cannot know them.
SWAPS = {D("2024-04-29"), D("2025-05-02"), D("2026-01-02"), D("2026-08-31")}


@pytest.mark.parametrize("year", [2023, 2024, 2025, 2026, 2027])
def test_rule_alone_reproduces_the_shipped_schedules(year: int) -> None:
    """The computed Tết / in-lieu / Quốc khánh rule gives the announced weekday days off, except
    the swaps, so the YAML transcription and the rule back each other up."""
    shipped = {o.date for o in shipped_config().overrides if o.date.year == year and o.kind == DAY_OFF}
    assert weekday_days_off(rule_only(), year) == shipped - SWAPS


def test_rule_agrees_with_holidays_library_2014_2060() -> None:
    """Cross-check against `holidays` (VN): same weekday days off, apart from its swap table."""
    lib_swaps = {
        D("2014-05-02"), D("2014-09-01"), D("2015-01-02"), D("2015-02-16"), D("2015-04-29"),
        D("2018-12-31"), D("2019-04-29"), *SWAPS,
    }  # fmt: skip
    cal = rule_only(culture_day=True)  # holidays 0.109 lists 24/11 from 2026
    for year in range(2014, 2061):
        lib = {
            d for d in holidays.country_holidays("VN", years=[year]) if d.weekday() < 5 and d not in lib_swaps
        }
        assert weekday_days_off(cal, year) == lib, year


@pytest.mark.parametrize(
    ("year", "tet_first", "tet_last"),
    [(2023, "2023-01-20", "2023-01-26"), (2024, "2024-02-08", "2024-02-14"), (2027, "2027-02-04", "2027-02-10"),
     (2030, "2030-01-31", "2030-02-06")],
)  # fmt: skip
def test_tet_rule_for_any_year(year: int, tet_first: str, tet_last: str) -> None:
    """5 legal days = last day of the lunar year + mùng 1-4, weekend ones moved outwards."""
    cal = rule_only()
    tet = sorted(d for d in weekday_days_off(cal, year) if D(f"{year}-01-15") <= d <= D(f"{year}-02-28"))
    assert (tet[0], tet[-1]) == (D(tet_first), D(tet_last))
    assert len(tet) == 5


def test_tet_2030_uses_vietnamese_lunar_calendar() -> None:
    # libraries.md: Chinese (UTC+8) calendars put Tết 2030 on 03/02; Vietnam's is 02/02.
    reasons = {i.date: i.reason for i in rule_only().year_exceptions(2030)}
    assert "mùng 1" in reasons[D("2030-02-02")]


def test_national_day_adjacent_rule() -> None:
    cal = rule_only()
    # 2/9 on Thursday (2027) -> Friday 3/9; on Friday (2022) -> Thursday 1/9.
    assert not cal.is_working_day(D("2027-09-03")) and cal.is_working_day(D("2027-09-01"))
    assert not cal.is_working_day(D("2022-09-01")) and cal.is_working_day(D("2022-09-05"))
    # 2/9 on Sunday (2029) -> Monday 3/9 adjacent + Tuesday 4/9 in lieu (Art. 111.3).
    assert [cal.is_working_day(D(f"2029-09-0{i}")) for i in (3, 4, 5)] == [False, False, True]


def test_labour_code_2012_has_one_national_day() -> None:
    cal = rule_only()
    # 2/9/2019 was a Monday: under BLLĐ 2012 only 2/9 was off (no adjacent day).
    assert not cal.is_working_day(D("2019-09-02"))
    assert cal.is_working_day(D("2019-09-03"))
    # BLLĐ 2019 from 2021: 2/9/2024 Monday + 3/9.
    assert not cal.is_working_day(D("2024-09-03"))


def test_in_lieu_two_holidays_on_one_weekend_get_two_days() -> None:
    info = {i.date: i for i in rule_only().year_exceptions(2023)}
    assert info[D("2023-05-02")].kind == KIND_IN_LIEU and "Giỗ Tổ" in info[D("2023-05-02")].reason
    assert info[D("2023-05-03")].kind == KIND_IN_LIEU and "Chiến thắng" in info[D("2023-05-03")].reason


def test_culture_day_is_configuration() -> None:
    assert rule_only().is_working_day(D("2026-11-24"))
    cal = rule_only(culture_day=True)
    assert not cal.is_working_day(D("2026-11-24"))
    assert cal.off_reason(D("2026-11-24")) == "Ngày Văn hóa Việt Nam"
    assert cal.is_working_day(D("2025-11-24"))  # before its effective date
    # 24/11/2029 is a Saturday: Art. 111.3 gives Monday 26/11 in lieu.
    assert not cal.is_working_day(D("2029-11-26"))
    version = next(v for v in shipped_config().rule_versions if v.id == CULTURE_DAY)
    assert version.enabled is False and version.verified is False and version.source


def test_unknown_rule_switch_is_an_error() -> None:
    with pytest.raises(CalendarError):
        shipped_config().with_rule_switches({"no-such-rule": True})


def test_day_info_and_reasons() -> None:
    cal = shipped_calendar()
    assert cal.off_reason(D("2024-02-08")) == "Tết Nguyên đán Giáp Thìn (29 tháng Chạp)"
    assert "mùng 1" in cal.off_reason(D("2024-02-10"))  # legal day on a Saturday keeps its name
    assert cal.off_reason(D("2024-02-05")) is None
    assert cal.off_reason(D("2024-03-02")) == "Thứ Bảy"
    assert cal.day_info(D("2024-03-02")).kind == KIND_WEEKEND
    assert cal.day_info(D("2024-03-04")).kind == KIND_WORKING
    make_up = cal.day_info(D("2024-05-04"))
    assert make_up.is_working and make_up.kind == KIND_OVERRIDE_WORKING and "2450" in make_up.source
    swap = cal.day_info(D("2024-04-29"))
    assert swap.kind == KIND_OVERRIDE_OFF and swap.verified
    assert cal.day_info(D("2027-02-04")).verified is False  # 2027 is an estimate


def test_year_listing() -> None:
    cal = shipped_calendar()
    days = cal.year_exceptions(2026)
    assert [d.date for d in days] == sorted(d.date for d in days)
    working = [d.date for d in days if d.is_working]
    assert working == [D("2026-01-10"), D("2026-08-22")]
    off = {d.date for d in cal.days_off(2026)}
    assert {D("2026-01-02"), D("2026-02-16"), D("2026-04-27"), D("2026-08-31")} <= off


def test_working_days_in_range_inclusive() -> None:
    cal = shipped_calendar()
    assert cal.working_days_in_range(D("2024-05-02"), D("2024-05-06")) == [
        D("2024-05-02"),
        D("2024-05-03"),
        D("2024-05-04"),
        D("2024-05-06"),
    ]
    assert cal.working_days_in_range(D("2024-05-06"), D("2024-05-02")) == []
    assert cal.working_days_in_range(D("2024-02-07"), D("2024-02-15")) == [D("2024-02-07"), D("2024-02-15")]


def test_large_n_and_lazy_years() -> None:
    cal = WorkCalendar(shipped_config())
    start = D("2024-01-01")
    far = cal.add_working_days(start, 5000)
    assert cal.working_days_between(start, far) == 5000
    back = cal.add_working_days(far, -5000)
    assert cal.working_days_between(back, far) == 5000
    assert back == D("2023-12-29")  # 1/1/2024 is a holiday: the last working day before it
    assert cal.add_working_days(D("2099-06-01"), 100).year == 2099
    with pytest.raises(CalendarRangeError):
        cal.add_working_days(D("2090-01-01"), 10_000)
    with pytest.raises(CalendarRangeError):
        cal.add_working_days(D("1901-03-01"), -1000)
    with pytest.raises(CalendarRangeError):
        cal.is_working_day(D("2200-01-01"))


def test_overrides_win_over_rules() -> None:
    base = shipped_config()
    extra = (
        Override(D("2024-02-09"), WORKING_DAY, "test: 30 Tết worked"),
        Override(D("2024-03-05"), DAY_OFF, "test: local day off"),
    )
    cal = WorkCalendar(
        base.with_overrides((*(o for o in base.overrides if o.date != D("2024-02-09")), *extra))
    )
    assert cal.is_working_day(D("2024-02-09"))
    assert cal.add_working_days(D("2024-02-07"), 1) == D("2024-02-09")
    assert not cal.is_working_day(D("2024-03-05"))
    assert cal.off_reason(D("2024-03-05")) == "test: local day off"


def test_config_validation() -> None:
    with pytest.raises(CalendarError):
        Override(D("2024-01-01"), "holiday", "bad kind")
    with pytest.raises(CalendarError):
        CalendarConfig(
            overrides=(Override(D("2024-01-01"), DAY_OFF, "a"), Override(D("2024-01-01"), DAY_OFF, "b"))
        )
    with pytest.raises(CalendarError):
        parse_config({"overrides": [{"date": "2024-01-01", "kind": DAY_OFF}]})  # no name


def test_shipped_yaml_entries_are_complete() -> None:
    config = shipped_config()
    years = {o.date.year for o in config.overrides}
    assert years == {2023, 2024, 2025, 2026, 2027}
    for o in config.overrides:
        assert o.name and o.source, o
        # Only make-up days are listed on weekends; weekend days inside a break are off anyway.
        assert (o.kind == WORKING_DAY) == (o.date.weekday() >= 5), o
        assert o.verified is (o.date.year in (2024, 2025, 2026)), o
    ids = {v.id: v for v in config.rule_versions}
    assert ids["blld-2019-dieu-112"].effective_from == D("2021-01-01")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-02-07", "2024-02-07"),
        ("07/02/2024", "2024-02-07"),
        ("7/2/2024", "2024-02-07"),
        ("07-02-2024", "2024-02-07"),
    ],
)
def test_parse_date(text: str, expected: str) -> None:
    assert parse_date(text) == D(expected)


@pytest.mark.parametrize("text", ["2024-02-30", "31/02/2024", "hôm nay", "", "2024/13/01"])
def test_parse_date_errors(text: str) -> None:
    with pytest.raises(CalendarError, match="invalid date"):
        parse_date(text)


def test_compute_holidays_has_no_side_effects() -> None:
    config = shipped_config()
    assert compute_holidays(2026, config) == compute_holidays(2026, config)


def test_year_range_is_lunar_vn_s():
    import lunar_vn

    from congvu.workdays.calendar import MAX_YEAR, MIN_YEAR

    assert (MIN_YEAR, MAX_YEAR) == tuple(lunar_vn.SUPPORTED_YEAR_RANGE)
