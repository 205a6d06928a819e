"""`congvu index compute 766 --unit "Xã Ba Bích" --period 2023 --json` on the demo data against the
leaves computed by hand from the commune's 376 dossiers (on-time 2.1, digitisation 4.2,
satisfaction 5.4), and `congvu index rank`."""

import datetime as dt
import json
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db.models import Q

from congvu.citizen import demo as citizen_demo
from congvu.citizen.models import Complaint, Rating
from congvu.metrics.registry import metric_exists
from congvu.metrics.selectors import metric_value
from congvu.onestop.demo import load as onestop_demo
from congvu.onestop.models import Dossier
from congvu.org.models import Unit
from congvu.payments import demo as payments_demo

VN = ZoneInfo("Asia/Ho_Chi_Minh")
START, END = dt.datetime(2023, 1, 1, tzinfo=VN), dt.datetime(2024, 1, 1, tzinfo=VN)
OPEN = ("received", "in_progress", "supplement_requested", "awaiting_payment", "transferred", "waiting")


def _nodes(nodes):
    for n in nodes:
        yield n
        yield from _nodes(n["children"])


def _by_hand(commune: Unit) -> dict[str, float]:
    """The three leaves from the dossier rows, with the 766 formulas written out here."""
    ids = list(Unit.objects.filter(path__startswith=commune.path).values_list("pk", flat=True))
    rows = list(Dossier.objects.filter(unit_id__in=ids, received_at__gte=START, received_at__lt=END,
                                       receipt_refused=False).exclude(state="guidance").select_related("procedure"))
    assert len(rows) == 376
    received = len(rows)
    finished = [d for d in rows if d.verdict in ("early", "on_time", "late")]
    still_open = [d for d in rows if d.finished_at is None and d.state in OPEN]
    open_overdue = [d for d in still_open if d.due_at < END and d.state != "supplement_requested"]
    on_time = sum(1 for d in finished if d.verdict in ("early", "on_time")) + len(still_open) - len(open_overdue)
    on_time_rate = 100 * on_time / (len(finished) + len(still_open))
    digitized = sum(1 for d in rows if d.digitized_components
                    and (d.digitized_result or not d.procedure.requires_written_result))
    digitized_rate = 100 * digitized / received
    late = sum(1 for d in rows if d.verdict == "late")
    flagged = {d.pk for d in rows if Complaint.objects.filter(dossier=d).exists()
               or Rating.objects.filter(Q(dossier=d), overall=0, used_at__isnull=False).exists()}
    satisfaction = max(0.0, 100 - 100 * (late + len(open_overdue)) / received - 100 * len(flagged) / received)
    return {
        "2.1": (on_time_rate, 20 * min(1, on_time_rate / 100)),
        "4.2": (digitized_rate, 4 * min(1, digitized_rate / 80)),
        "5.4": (satisfaction, 6 * min(1, satisfaction / 90)),
    }


@pytest.mark.django_db
def test_indices_compute_766_ba_bich_matches_hand_computation():
    onestop_demo()
    payments_demo.load()
    citizen_demo.load()
    commune = Unit.objects.get(name="Xã Ba Bích")
    expected = _by_hand(commune)

    out = StringIO()
    call_command("index", "compute", "766", "--unit", "Xã Ba Bích", "--period", "2023", "--json", stdout=out)
    answer = json.loads(out.getvalue())
    assert {"framework", "version", "unit", "period", "points", "max_points", "band", "rank", "nodes"} <= set(answer)
    assert (answer["framework"], answer["version"], answer["unit"], answer["period"]) == ("766", "2022", "Xã Ba Bích",
                                                                                           "2023")
    assert answer["max_points"] == 100
    nodes = {n["code"]: n for n in _nodes(answer["nodes"])}
    for n in nodes.values():
        assert set(n) == {"code", "name", "max_points", "points", "rate", "status", "children"}
    for code, (rate, points) in expected.items():
        assert nodes[code]["rate"] == pytest.approx(rate, abs=0.01), code
        assert nodes[code]["points"] == pytest.approx(points, abs=0.01), code
        assert nodes[code]["status"] == "ok"
    # the seed's figures: 51 late of 376, digitisation 48.4 %
    assert nodes["4.2"]["rate"] == 48.4
    # leaves congvu has no data for are "no data", never 0
    for code in ("1.1", "1.2", "4.x"):
        assert nodes[code]["points"] is None and nodes[code]["rate"] is None and nodes[code]["status"] == "no_data"
    # 1.4 (synced) reads the portal app's metric when it is installed, else no data
    if metric_exists("portal.synced_rate"):
        synced = metric_value(name="portal.synced_rate", unit=commune, date_from=dt.date(2023, 1, 1),
                              date_to=dt.date(2023, 12, 31))
        assert nodes["1.4"]["rate"] == (None if synced.value is None else round(synced.value, 2))
    else:
        assert nodes["1.4"]["status"] == "no_data"
    # roll-up: every group is the sum of its children with data; the total is the sum of the groups
    for n in nodes.values():
        if n["children"] and n["points"] is not None:
            assert n["points"] == pytest.approx(sum(c["points"] or 0 for c in n["children"]), abs=0.02)
    assert answer["points"] == pytest.approx(sum(g["points"] or 0 for g in answer["nodes"]), abs=0.02)
    assert answer["rank"].startswith("1/")  # the only commune of the demo with dossiers in 2023

    out = StringIO()
    call_command("index", "rank", "766", "--level", "commune", "--period", "2023", "--json", stdout=out)
    ranking = json.loads(out.getvalue())
    assert ranking["ranked"] == 1 and ranking["ranking"][0]["unit"] == "Xã Ba Bích"
    assert ranking["ranking"][0]["points"] == answer["points"] and ranking["ranking"][0]["rank_label"] == "1/1"
    assert all(r["rank"] is None for r in ranking["ranking"][1:])
