"""Templates as data: the `NotificationTemplate` in force on a day, else the shipped text.

`notification_templates_sync()` seeds version 1 of every shipped template that has no row yet
(run after `migrate`); it never overwrites what an admin edited.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from congvu.notifications.templates import ALIASES, Template, shipped, shipped_template

SEED_EFFECTIVE_FROM = dt.date(2000, 1, 1)


def template_for(key: str, on: dt.date, cache: dict | None = None) -> Template:
    """The template of `key` in force on `on`: latest active row by (effective_from, version)."""
    from congvu.notifications.models import NotificationTemplate

    key = ALIASES.get(key, key)
    if cache is not None and (key, on) in cache:
        return cache[(key, on)]
    row = (NotificationTemplate.objects.filter(key=key, active=True, effective_from__lte=on)
           .order_by("-effective_from", "-version").first())
    if row is None:
        template = shipped_template(key)
    else:
        template = Template(subject=row.subject, body=row.body, sms=row.sms,
                            zalo_params=tuple(row.zalo_params or ()), zalo_template_id=row.zalo_template_id,
                            version=row.version)
    if cache is not None:
        cache[(key, on)] = template
    return template


def notification_templates_sync(**_kwargs) -> int:
    """Create version 1 of each shipped template without a row. Returns how many were created."""
    from congvu.notifications.models import NotificationTemplate

    have = set(NotificationTemplate.objects.values_list("key", flat=True).distinct())
    rows = [NotificationTemplate(key=key, version=1, effective_from=SEED_EFFECTIVE_FROM, subject=t.subject,
                                 body=t.body, sms=t.sms, zalo_params=list(t.zalo_params),
                                 note="Mẫu mặc định của hệ thống")
            for key, t in shipped().items() if key not in have and key != "generic"]
    with transaction.atomic():
        NotificationTemplate.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
