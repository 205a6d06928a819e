"""The demo reproduces the 2023 figures of the seeds through the real clock, and the stats command
prints them with glossary keys."""

import datetime as dt
import json
from io import StringIO

from django.core.management import call_command

from congvu.onestop.demo import load
from congvu.onestop.models import Dossier, DossierEvent
from congvu.onestop.selectors import onestop_stats, onestop_stats_from_rows
from congvu.onestop.services import CODE_RE


def test_demo_2023_figures(db):
    figures = load()
    b, c = figures["commune"], figures["centre"]
    assert (b["received"], b["online"], b["late"]) == (376, 162, 51)
    assert (b["online_rate"], b["late_rate"], b["digitized_rate"]) == (43.09, 13.56, 48.4)
    assert b["in_progress"] == 0 and b["overdue"] == 0
    assert c["received"] == 2000 and c["late"] == 2 and c["on_time_rate"] == 99.9
    assert c["phone"] > 0  # the fishing-vessel hotline
    # verdicts come from the clock: every late dossier finished after its promised time
    late = Dossier.objects.filter(unit__code="51-535-21526-MC", verdict="late")
    assert late.count() == 51 and all(d.finished_at > d.due_at for d in late)
    assert all(CODE_RE.match(code) for code in Dossier.objects.values_list("code", flat=True)[:500])
    for unit_key in ("commune", "centre"):
        unit = Dossier.objects.filter(unit__code={"commune": "51-535-21526-MC", "centre": "51-VP-TTPV"}[unit_key]
                                      ).first().unit
        period = {"date_from": dt.date(2023, 1, 1), "date_to": dt.date(2023, 12, 31)}
        assert onestop_stats(unit=unit, **period) == onestop_stats_from_rows(unit=unit, **period)

    out = StringIO()
    call_command("onestop", "stats", "--unit", "Xã Ba Bích", "--from", "2023-01-01", "--to", "2023-12-31", "--json",
                 stdout=out)
    printed = json.loads(out.getvalue())
    assert printed["received"] == 376 and printed["online_rate"] == 43.09 and printed["late_rate"] == 13.56
    assert printed["digitized"] == 182

    before = (Dossier.objects.count(), DossierEvent.objects.count())
    load()  # idempotent
    assert (Dossier.objects.count(), DossierEvent.objects.count()) == before
