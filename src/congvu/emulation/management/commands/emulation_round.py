"""`congvu emulation_round --unit CODE --year 2024 [--titles LDTT,CSTDCS] [--prefill ROUND_ID]`: open a
round (or re-check one) from the command line — for large scopes, where the engine's pre-fill of
tens of thousands of candidates takes longer than a web request should."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from congvu.common.errors import DomainError


class Command(BaseCommand):
    help = "Mở đợt bình xét thi đua và xét điều kiện mọi cá nhân, tập thể trong phạm vi (hoặc xét lại một đợt)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--unit", help="mã đơn vị phạm vi")
        parser.add_argument("--year", type=int, help="năm bình xét")
        parser.add_argument("--titles", default="", help="mã danh hiệu, cách nhau bởi dấu phẩy (mặc định: tất cả)")
        parser.add_argument("--name", default="")
        parser.add_argument("--prefill", type=int, metavar="ROUND_ID", help="xét lại đợt đã mở theo dữ liệu mới")

    def handle(self, *args: Any, **options: Any) -> None:
        from congvu.emulation.models import Round
        from congvu.emulation.services import round_open, round_prefill
        from congvu.org.models import Unit

        try:
            if options["prefill"]:
                rnd = Round.objects.filter(pk=options["prefill"]).first()
                if rnd is None:
                    raise CommandError(f"Không có đợt bình xét {options['prefill']}")
                counts = round_prefill(actor=None, round=rnd)
            else:
                if not options["unit"] or not options["year"]:
                    raise CommandError("Cần --unit và --year (hoặc --prefill ROUND_ID)")
                unit = Unit.objects.filter(code=options["unit"]).first()
                if unit is None:
                    raise CommandError(f"Không có đơn vị mã {options['unit']}")
                titles = [t.strip() for t in options["titles"].split(",") if t.strip()] or None
                rnd = round_open(actor=None, unit=unit, year=options["year"], titles=titles, name=options["name"],
                                 prefill=False)
                counts = round_prefill(actor=None, round=rnd)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(json.dumps({"round": rnd.pk, "rule_set": rnd.rule_set, **counts}, ensure_ascii=False))
