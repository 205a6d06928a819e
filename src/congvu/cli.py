"""The `congvu` console command.

Every Django management command works as `congvu <command>`; `congvu extract` runs without Django
(and without a database) so that it starts fast and works anywhere; give it the installation's
units with `congvu registry_export > units.json` and `congvu extract FILE --json --registry units.json`.
`congvu emulation check --facts ...` / `reward` / `rules` run the pure rule engine the same way;
only `--person` / `--unit` (which read the database) go through the Django command.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "extract":
        from congvu.directives.extraction.cli import main as extract_main

        return extract_main(args[1:])
    if args and args[0] == "emulation" and not {"--person", "--unit"} & {a.split("=")[0] for a in args}:
        from congvu.emulation.rules.cli import main as emulation_main

        return emulation_main(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congvu.settings")
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError, ProgrammingError

    try:
        execute_from_command_line(["congvu", *args])
    except (OperationalError, ProgrammingError) as exc:
        if not _database_missing(exc):
            raise
        sys.stderr.write(_database_help(exc))
        return 2
    return 0


_MISSING = ("no such table", "does not exist", "could not connect", "connection refused", "unable to open database",
            "connection to server", "no such file or directory", "password authentication failed")


def _database_missing(exc: Exception) -> bool:
    text = str(exc).lower()
    return any(marker in text for marker in _MISSING)


def _database_help(exc: Exception) -> str:
    from django.db import connection

    where = connection.settings_dict.get("NAME", "?")
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if any(m in str(exc).lower() for m in ("no such table", "does not exist")) and "database" not in first_line:
        hint = "Cơ sở dữ liệu chưa có bảng: chạy `congvu migrate` (rồi `congvu demo` nếu muốn dữ liệu mẫu)."
    else:
        hint = ("Không kết nối được cơ sở dữ liệu: đặt DATABASE_URL cho đúng (ví dụ "
                "postgres://user@127.0.0.1:5432/congvu), hoặc bỏ trống để dùng SQLite trong var/, rồi chạy "
                "`congvu migrate`.")
    return (f"congvu: {hint}\n  cơ sở dữ liệu: {where}\n  lỗi: {first_line}\n"
            "  (run `congvu migrate` / set `DATABASE_URL`)\n")


if __name__ == "__main__":
    raise SystemExit(main())
