"""`congvu calendar ...`: working-day arithmetic from the console.

congvu calendar add 2024-02-07 1          -> 2024-02-15
congvu calendar between 2026-02-13 2026-02-23   -> 1
congvu calendar is-working 29/04/2024     -> false
congvu calendar next 2024-02-07           -> 2024-02-15
congvu calendar why 2024-02-10            -> Tết Nguyên đán Giáp Thìn (mùng 1) (Thứ Bảy)
congvu calendar show 2026                 -> the year's days off / make-up days with reasons
congvu calendar load                      -> import the shipped YAML into the database
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from congvu.workdays.calendar import (
    MAX_YEAR,
    MIN_YEAR,
    WEEKDAY_NAMES_VI,
    CalendarError,
    WorkCalendar,
    parse_date,
)


def _date(value: str) -> dt.date:
    try:
        return parse_date(value)
    except CalendarError as exc:
        raise CommandError(str(exc)) from exc


def _int(value: str, what: str = "Số ngày không hợp lệ / invalid number of days") -> int:
    try:
        return int(value)
    except ValueError as exc:
        raise CommandError(f"{what}: {value!r}") from exc


class Command(BaseCommand):
    help = "Lịch ngày làm việc / working-day calendar: add, between, is-working, next, why, show, load."
    # Pure arithmetic: skip the system checks so the command is fast and works on a bare install.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--shipped",
            action="store_true",
            help="Chỉ dùng dữ liệu kèm phần mềm (bỏ qua CSDL) / use the shipped YAML only, ignore the database.",
        )
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        p = sub.add_parser("add", help="Ngày làm việc thứ N sau D / the N-th working day after D.")
        p.add_argument("date", help="YYYY-MM-DD | dd/mm/yyyy")
        p.add_argument("n")
        p = sub.add_parser("between", help="Số ngày làm việc w với A < w <= B / working days in (A, B].")
        p.add_argument("start")
        p.add_argument("end")
        p = sub.add_parser("is-working", help="true nếu D là ngày làm việc / true if D is a working day.")
        p.add_argument("date", help="YYYY-MM-DD | dd/mm/yyyy")
        p = sub.add_parser("next", help="Ngày làm việc kế tiếp sau D / next working day after D.")
        p.add_argument("date", help="YYYY-MM-DD | dd/mm/yyyy")
        p = sub.add_parser("why", help="Lý do D là ngày nghỉ / why D is (not) a working day.")
        p.add_argument("date", help="YYYY-MM-DD | dd/mm/yyyy")
        p = sub.add_parser(
            "show", help="Các ngày nghỉ, làm bù trong năm / the year's days off and make-up days."
        )
        p.add_argument("year")
        sub.add_parser(
            "load", help="Nạp dữ liệu kèm phần mềm vào CSDL / load the shipped YAML into the database."
        )

    def _calendar(self, shipped: bool) -> WorkCalendar:
        from congvu.workdays.selectors import work_calendar

        return work_calendar(shipped_only=shipped)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "load":
            self._load()
            return
        cal = self._calendar(options["shipped"])
        try:
            if action == "add":
                self.stdout.write(
                    cal.add_working_days(_date(options["date"]), _int(options["n"])).isoformat()
                )
            elif action == "between":
                self.stdout.write(
                    str(cal.working_days_between(_date(options["start"]), _date(options["end"])))
                )
            elif action == "is-working":
                self.stdout.write("true" if cal.is_working_day(_date(options["date"])) else "false")
            elif action == "next":
                self.stdout.write(cal.next_working_day(_date(options["date"])).isoformat())
            elif action == "why":
                info = cal.day_info(_date(options["date"]))
                state = "làm việc / working" if info.is_working else "nghỉ / day off"
                self.stdout.write(f"{info.date.isoformat()} {WEEKDAY_NAMES_VI[info.date.weekday()]}: {state}")
                if info.reason:
                    self.stdout.write(f"  {info.reason}" + (f"  [{info.source}]" if info.source else ""))
            elif action == "show":
                year = _int(options["year"], "Năm không hợp lệ / invalid year")
                if not MIN_YEAR <= year <= MAX_YEAR:
                    raise CommandError(f"Năm ngoài phạm vi / year out of range {MIN_YEAR}-{MAX_YEAR}: {year}")
                self._show(cal, year)
        except CalendarError as exc:
            raise CommandError(str(exc)) from exc

    def _show(self, cal: WorkCalendar, year: int) -> None:
        for info in cal.year_exceptions(year):
            mark = "LÀM BÙ" if info.is_working else "nghỉ  "
            flag = "" if info.verified else "  (chưa xác minh / unverified)"
            self.stdout.write(
                f"{info.date.isoformat()}  {WEEKDAY_NAMES_VI[info.date.weekday()]:<8}  {mark}  {info.reason}{flag}"
            )

    def _load(self) -> None:
        from congvu.workdays.selectors import calendar_table_ready
        from congvu.workdays.services import calendar_overrides_load_shipped

        if not calendar_table_ready():
            raise CommandError(
                "Chưa có bảng lịch: chạy `congvu migrate` trước / the calendar table does not exist: run `congvu migrate` first."
            )
        result = calendar_overrides_load_shipped()
        self.stdout.write(
            f"created={len(result.created)} updated={len(result.updated)} unchanged={len(result.unchanged)} "
            f"kept_manual={len(result.kept_manual)}"
        )
