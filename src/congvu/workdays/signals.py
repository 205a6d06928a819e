"""Any saved or deleted override makes the cached WorkCalendar stale (also for edits that bypass
the services, e.g. a shell or a fixture)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from congvu.workdays.models import CalendarOverride
from congvu.workdays.selectors import work_calendar_invalidate


@receiver(post_save, sender=CalendarOverride, dispatch_uid="workdays_override_saved")
@receiver(post_delete, sender=CalendarOverride, dispatch_uid="workdays_override_deleted")
def _override_changed(sender: Any, **kwargs: Any) -> None:
    # Now, for reads later in the same transaction; and again at commit, because a read between
    # the save and the commit may have cached a calendar built inside the transaction.
    work_calendar_invalidate()
    transaction.on_commit(work_calendar_invalidate)
