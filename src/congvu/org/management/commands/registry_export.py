"""`congvu registry_export > units.json`: the unit registry as JSON for `congvu extract --registry`.

`congvu extract` runs without a database (fast, anywhere); this command is the bridge that lets
it resolve assignee names to unit codes of this installation.
"""

import json

from django.core.management.base import BaseCommand

from congvu.org.models import Unit


class Command(BaseCommand):
    help = "In danh mục đơn vị đang hoạt động dạng JSON (dùng cho congvu extract --registry)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="also units that have ended")

    def handle(self, *args, **opts):
        qs = Unit.objects.select_related("parent").order_by("path")
        if not opts["all"]:
            qs = qs.filter(valid_to__isnull=True)
        units = [
            {"code": u.code, "name": u.name, "aliases": [*(u.aliases or []), *([u.short_name] if u.short_name else [])],
             "kind": u.kind, "parent_code": u.parent.code if u.parent_id else None}
            for u in qs
        ]
        self.stdout.write(json.dumps({"units": units}, ensure_ascii=False, indent=1))
