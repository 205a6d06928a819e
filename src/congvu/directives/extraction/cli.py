"""`congvu extract FILE [--json] [--registry FILE.json]` — runs without Django.

Exit codes: 0 done, 2 the input could not be read (message in Vietnamese on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from .readers import ExtractionInputError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="congvu extract",
                                description="Trích xuất nhiệm vụ, thời hạn và báo cáo định kỳ từ một văn bản.")
    p.add_argument("file", help="tệp .txt, .md, .docx, .pdf hoặc .doc")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.add_argument("--registry", metavar="FILE.json", help="danh mục đơn vị (JSON) để gắn mã đơn vị")
    return p


def main(argv: list[str]) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage; keep that code, let --help exit 0
        return int(exc.code or 0)
    try:
        from .api import extract_file

        registry = _load_registry(args.registry) if args.registry else None
        result = extract_file(args.file, registry, workdays=LazyWorkdays())
    except ExtractionInputError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    if args.json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(summary(result))
    return 0


class LazyWorkdays:
    """Adds working days with the installation's calendar (`congvu.workdays.selectors.work_calendar()`,
    with the overrides saved in the database); loaded only when a document counts in working days, so
    that the usual run stays free of Django. Without a usable database: the shipped calendar."""

    def __init__(self) -> None:
        self._add: Any = None

    def __call__(self, d: Any, n: int) -> Any:
        if self._add is None:
            self._add = _calendar().add_working_days
        return self._add(d, n)


def _calendar() -> Any:
    import os

    try:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congvu.settings")
        import django

        django.setup()
        from congvu.workdays.selectors import work_calendar

        return work_calendar()
    except Exception:  # no settings or no database here: the rules and the shipped overrides
        from congvu.workdays.calendar import WorkCalendar, shipped_config

        return WorkCalendar(shipped_config())


def _load_registry(path: str) -> list[Any]:
    from .resolve import load_registry

    try:
        with open(path, encoding="utf-8") as fh:
            return load_registry(json.load(fh))
    except FileNotFoundError as exc:
        raise ExtractionInputError(f"Không tìm thấy tệp danh mục đơn vị: {path}") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise ExtractionInputError(f"Tệp danh mục đơn vị không hợp lệ ({path}): {exc}") from exc


def _vn_date(iso: str | None) -> str:
    if not iso:
        return "—"
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"


def summary(r: dict[str, Any]) -> str:
    """A short Vietnamese summary for a person reading the terminal."""
    lines = [
        f"Loại văn bản: {r.get('doc_type') or '—'}    Số: {r.get('number') or '—'}    Ngày: {_vn_date(r.get('date'))}",
        f"Cơ quan ban hành: {r.get('issuer') or '—'}",
    ]
    if r.get("meeting_date"):
        lines.append(f"Ngày họp: {_vn_date(r['meeting_date'])}")
    if r.get("title"):
        lines.append(f"Trích yếu: {r['title']}")
    tasks = r.get("tasks") or []
    lines.append("")
    lines.append(f"Nhiệm vụ ({len(tasks)}):")
    for n, t in enumerate(tasks, 1):
        who = t.get("assignee") or "(chưa rõ đơn vị)"
        if t.get("co_assignees"):
            who += " (phối hợp: " + ", ".join(t["co_assignees"]) + ")"
        when = f" — hạn {_vn_date(t['deadline'])}" if t.get("deadline") else (
            f" — {t['deadline_text']}" if t.get("deadline_text") else "")
        lines.append(f"{n:>3}. [{who}] {t.get('action')}{when}")
        if t.get("flags"):
            lines.append(f"     cần xem lại: {', '.join(t['flags'])}")
    reports = r.get("reports") or []
    if reports:
        lines.append("")
        lines.append(f"Báo cáo phải gửi ({len(reports)}):")
        for rep in reports:
            window = ""
            if rep.get("period_start") or rep.get("period_end"):
                window = f" (số liệu từ {_vn_date(rep.get('period_start'))} đến {_vn_date(rep.get('period_end'))})"
            lines.append(f"  - {rep.get('name')}: hạn {_vn_date(rep.get('due'))}{window}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
