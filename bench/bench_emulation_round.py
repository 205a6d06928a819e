"""Opening a round: the engine pre-fills every person and collective of a scope from the database.

    .venv/bin/python bench/bench_emulation_round.py            # 10,000 people, 500 units (SQLite scratch db)
    BENCH_PEOPLE=2000 .venv/bin/python bench/bench_emulation_round.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/congvu_bench .venv/bin/python bench/bench_emulation_round.py

Prints the figure (seconds for `round_open` with pre-fill of every title), the anchor (the same
verdicts obtained one candidate at a time through `candidate_facts`, timed on a sample and scaled)
and their ratio. Nothing is asserted: speed is reported, not tested.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congvu.settings.test")
if not os.environ.get("DATABASE_URL"):
    os.environ.setdefault("CONGVU_VAR", str(ROOT / "var" / "bench"))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

N = int(os.environ.get("BENCH_PEOPLE", "10000"))
UNITS = max(2, int(os.environ.get("BENCH_UNITS", str(max(2, N // 20)))))
SAMPLE = min(200, N)
RATINGS = ("excellent", "good", "good", "complete")


def main() -> int:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        from congvu.emulation.models import AwardRecord, EmulationProfile, PersonYearRecord, UnitYearRecord
        from congvu.emulation.rules import evaluate_all
        from congvu.emulation.selectors import candidate_facts
        from congvu.emulation.services import round_open
        from congvu.org.models import Person, Unit

        root = Unit.objects.create(code="B0", name="Huyện thử", kind="district", path="/")
        root.path = f"/{root.pk}/"
        root.save()
        units = []
        for i in range(UNITS):
            u = Unit.objects.create(code=f"B{i + 1}", name=f"Phòng thử {i}", kind="agency", parent=root)
            u.path = f"{root.path}{u.pk}/"
            u.save()
            units.append(u)
        t0 = time.perf_counter()
        people = Person.objects.bulk_create([Person(full_name=f"Người {i}", category="cong_chuc",
                                                    unit=units[i % UNITS], staff_code=f"S{i}") for i in range(N)],
                                            batch_size=2000)
        if not people[0].pk:
            people = list(Person.objects.order_by("pk"))
        EmulationProfile.objects.bulk_create([EmulationProfile(person=p, recruited_on=dt.date(2015 + i % 10, 3, 1))
                                              for i, p in enumerate(people)], batch_size=2000)
        PersonYearRecord.objects.bulk_create([PersonYearRecord(person=p, year=y, rating=RATINGS[(i + y) % 4])
                                              for i, p in enumerate(people) for y in (2022, 2023, 2024)],
                                             batch_size=5000)
        AwardRecord.objects.bulk_create([AwardRecord(person=p, title_code="CSTDCS", year=2023)
                                         for p in people[::7]], batch_size=2000)
        UnitYearRecord.objects.bulk_create([UnitYearRecord(unit=u, year=2024, rating=RATINGS[i % 4])
                                            for i, u in enumerate(units)])
        print(f"{connection.vendor}: {N} people, {UNITS} units, 3 years of ratings "
              f"(set up in {time.perf_counter() - t0:.1f} s)")

        t0 = time.perf_counter()
        rnd = round_open(actor=None, unit=root, year=2024)
        figure = time.perf_counter() - t0
        candidates = rnd.candidates.count()

        t0 = time.perf_counter()
        for p in people[:SAMPLE]:
            evaluate_all(candidate_facts(person_id=p.pk, year=2024), 2024)
        anchor = (time.perf_counter() - t0) * N / SAMPLE
        print(f"# {N} people + {UNITS} collectives, {candidates} candidates, rule set {rnd.rule_set}")
        print(f"emulation.round_prefill: {figure:.2f} s")
        print(f"emulation.anchor_one_candidate_at_a_time (scaled from {SAMPLE}): {anchor:.2f} s")
        print(f"emulation.round_ratio: {anchor / figure:.1f}x faster than the anchor")
        return 0
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    raise SystemExit(main())
