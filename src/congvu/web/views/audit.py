"""Audit log browser (audit.view), with before/after diffs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from congvu.audit.models import AuditEntry
from congvu.audit.selectors import audit_distinct_values, audit_page
from congvu.audit.services import audit_changes
from congvu.org import policy
from congvu.org.models import Person
from congvu.org.roles import Action
from congvu.web import audit_labels as labels
from congvu.web.forms import AuditFilterForm
from congvu.web.scope import scope_is_global

PAGE_SIZE = 50
# Derived or bookkeeping fields: they change with every edit and would drown the real changes.
HIDDEN_FIELDS = {"search_key", "path", "created_at", "updated_at"}


def entry_changes(entry: AuditEntry) -> list[tuple[str, str, str]]:
    """(field label, before, after) worth showing, in Vietnamese; on a create only the fields that were set."""
    rows = []
    kind = entry.object_type
    for field, (old, new) in audit_changes(entry.before, entry.after).items():
        if field in HIDDEN_FIELDS:
            continue
        if entry.before is None and new in (None, "", [], {}):
            continue
        rows.append((labels.field_label(kind, field), labels.value_label(kind, field, old),
                     labels.value_label(kind, field, new)))
    return rows


def visible_entries(user: Any) -> QuerySet[AuditEntry]:
    """Entries the user may read. Entries carry no unit, so outside a global scope only the trail of
    units and people inside the scope is shown (other apps' records are added as they need it)."""
    qs = AuditEntry.objects.all()
    if scope_is_global(user, Action.AUDIT_VIEW):
        return qs
    units = policy.scoped_units(user, Action.AUDIT_VIEW)
    unit_ids = units.annotate(sid=Cast("pk", CharField())).values("sid")
    person_ids = Person.objects.filter(unit__in=units).annotate(sid=Cast("pk", CharField())).values("sid")
    return qs.filter(Q(object_type="org.unit", object_id__in=unit_ids)
                     | Q(object_type="org.person", object_id__in=person_ids))


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def _cursor(request: HttpRequest, name: str) -> int | None:
    """A page cursor (an entry's `seq`); anything else shows the newest page rather than an error."""
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 19 else None


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, Action.AUDIT_VIEW)
    base = visible_entries(request.user)
    if scope_is_global(request.user, Action.AUDIT_VIEW):
        # the whole trail: a skip scan over the indexes, not a DISTINCT over millions of entries
        object_types = audit_distinct_values(field="object_type")
        actions = audit_distinct_values(field="action")
    else:  # a scoped trail is the entries of a few units and people
        object_types = list(base.order_by().values_list("object_type", flat=True).distinct())
        actions = list(base.order_by().values_list("action", flat=True).distinct())
    form = AuditFilterForm(request.GET or None, object_types=object_types, actions=actions)
    qs = base
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["object_type"]:
            qs = qs.filter(object_type=data["object_type"])
        if data["action"]:
            qs = qs.filter(action=data["action"])
        if data["actor"]:
            qs = qs.filter(actor_label__icontains=data["actor"].strip())
        # Local days as a range of instants ("to 31/12" includes that whole local day), so the index
        # on `at` answers it (`at__date` would convert every row's instant first).
        if data["date_from"]:
            qs = qs.filter(at__gte=_local_midnight(data["date_from"]))
        if data["date_to"]:
            qs = qs.filter(at__lt=_local_midnight(data["date_to"] + dt.timedelta(days=1)))
    page = audit_page(qs, before=_cursor(request, "before"), after=_cursor(request, "after"), size=PAGE_SIZE)
    rows = [(entry, entry_changes(entry)) for entry in page.entries]
    for entry, _changes in rows:
        entry.action_label = labels.action_label(entry.action)
        entry.type_label = labels.object_type_label(entry.object_type)
    return render(request, "web/audit/list.html", {"form": form, "page": page, "rows": rows})
