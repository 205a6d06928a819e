"""`congvu emulation check|reward|rules` as a Django management command.

`congvu emulation ...` normally runs the pure CLI (congvu.emulation.rules.cli) without Django; it
comes here only for `--person` / `--unit`, which read the database through
`congvu.emulation.selectors.candidate_facts` (imported lazily: the selectors belong to the app).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from congvu.emulation.rules.cli import main as rules_main
from congvu.emulation.rules.errors import FactsError


def db_facts(person: str | None, unit: str | None, year: int) -> Mapping[str, Any]:
    try:
        from congvu.emulation.selectors import candidate_facts
    except ImportError:
        raise FactsError("Chưa có phần đọc dữ liệu thi đua từ cơ sở dữ liệu "
                         "(congvu.emulation.selectors.candidate_facts); dùng --facts FILE.json") from None
    try:
        facts = candidate_facts(person_id=person, unit_code=unit, year=year)
    except FactsError:
        raise
    except Exception as exc:  # noqa: BLE001 - any lookup failure becomes a message, never a traceback
        who = f"cá nhân {person}" if person else f"đơn vị {unit}"
        raise FactsError(f"Không đọc được dữ liệu của {who}: {exc}") from None
    if facts is None:
        raise FactsError(f"Không tìm thấy {'cá nhân ' + person if person else 'đơn vị ' + str(unit)}")
    return facts


class Command(BaseCommand):
    help = "Xét điều kiện danh hiệu thi đua (check), tính tiền thưởng (reward), xem bộ quy tắc (rules)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("argv", nargs=argparse.REMAINDER, help="check | reward | rules và tham số của chúng")

    def run_from_argv(self, argv: list[str]) -> None:
        # Hand the raw arguments to the engine's own parser (its options, its Vietnamese errors).
        sys.exit(rules_main(argv[2:], db_facts=db_facts))

    def handle(self, *args: Any, **options: Any) -> None:
        code = rules_main(list(options.get("argv") or []), db_facts=db_facts)
        if code:
            raise CommandError("Lệnh emulation không thành công", returncode=code)
