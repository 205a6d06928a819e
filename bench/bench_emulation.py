"""Benchmark of the emulation rule engine: eligibility of 10,000 people and 500 collectives for every
title of a year, from facts (the issue's target for the whole job, database included: under 5 s; the
pure engine's share should stay well under 1 s).

Anchor, measured in the same run: a naive engine that re-reads and re-compiles the rule-set files
for every verdict (what one gets without loading rules once), on a sample, per verdict.

Plain script, no Django: the pure engine + the shipped YAML.

    .venv/bin/python bench/bench_emulation.py [--people 10000] [--collectives 500] [--seed 1] [--tiny]

`--tiny` (or CONGVU_BENCH_TINY=1) runs a small size so the test suite can run it once.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections import Counter
from typing import Any

from congvu.emulation.rules import apply_caps, evaluate, evaluate_all, load_rule_sets, rule_set_for

YEAR = 2024
RATINGS = ["excellent", "good", "good", "good", "complete", "incomplete"]
TARGET_WHOLE_JOB_S = 5.0
TARGET_PURE_S = 1.0


def make_person(rnd: random.Random, i: int) -> dict[str, Any]:
    """A civil servant with a plausible history: ratings, discipline, earlier titles, initiatives."""
    recruited = f"{rnd.randint(1995, YEAR)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
    first = max(int(recruited[:4]), YEAR - 6)
    ratings = {str(y): rnd.choice(RATINGS) for y in range(first, YEAR + 1)}
    titles = [{"year": y, "code": "CSTDCS"} for y in range(first, YEAR) if ratings[str(y)] == "excellent" and rnd.random() < .6]
    titles += [{"year": y, "code": "LDTT"} for y in range(first, YEAR) if rnd.random() < .5]
    if rnd.random() < 0.05:
        titles.append({"year": YEAR - rnd.randint(1, 4), "code": "CSTD_TINH"})
    facts: dict[str, Any] = {
        "kind": "person", "id": f"P{i}", "recruited": recruited, "ratings": ratings,
        "discipline": [{"year": rnd.randint(YEAR - 3, YEAR), "form": rnd.choice(["khiển trách", "cảnh cáo"])}]
        if rnd.random() < 0.03 else [],
        "titles": titles,
        "initiatives": [{"id": f"SK{i}-{k}", "year": rnd.randint(YEAR - 3, YEAR), "scope": rnd.choice(["co_so", "co_so", "tinh"]),
                         "recognised_on": f"{rnd.randint(YEAR - 3, YEAR)}-{rnd.randint(1, 12):02d}-15", "applied": rnd.random() < .9}
                        for k in range(rnd.choice([0, 0, 0, 1, 1, 2, 3]))],
        "research": [{"year": rnd.randint(YEAR - 3, YEAR), "scope": "co_so", "accepted_on": f"{YEAR}-06-01", "applied": True}]
        if rnd.random() < 0.05 else [],
    }
    if rnd.random() < 0.1:  # some records incomplete: verdicts say what is missing
        facts.pop(rnd.choice(["discipline", "initiatives", "recruited"]))
    return facts


def make_collective(rnd: random.Random, i: int) -> dict[str, Any]:
    members = rnd.randint(5, 60)
    complete = members if rnd.random() < .7 else rnd.randint(members // 2, members)
    ldtt = rnd.randint(members // 3, complete)
    return {
        "kind": "collective", "id": f"U{i}", "rating": rnd.choice(RATINGS[:4]),
        "ratings": {str(YEAR - 1): rnd.choice(RATINGS[:4])},
        "members": members, "members_complete": complete, "members_ldtt": ldtt,
        "members_cstdcs": rnd.randint(0, max(1, ldtt // 6)), "leads_group": rnd.random() < .1,
        "titles": [{"year": YEAR - 1, "code": "TTLDXS"}] if rnd.random() < .2 else [],
        "discipline": [],
    }


def make_population(people: int, collectives: int, seed: int) -> tuple[list[dict], list[dict]]:
    rnd = random.Random(seed)
    return ([make_person(rnd, i) for i in range(people)], [make_collective(rnd, i) for i in range(collectives)])


def pure_job(people: list[dict], collectives: list[dict], year: int = YEAR) -> dict[str, Any]:
    """Every title of the year for every candidate, then the CSTĐCS cap per unit of 20 people."""
    rs = rule_set_for(f"{year}-12-31")
    person_titles, group_titles = rs.titles_for("person"), rs.titles_for("collective")
    counts: Counter[str] = Counter()
    cstdcs = []
    for facts in people:
        verdicts = evaluate_all(facts, year, person_titles, rule_set=rs)  # facts read once, every title
        for v in verdicts.values():
            counts[v.verdict] += 1
        cstdcs.append((facts["id"], verdicts["CSTDCS"], len(facts.get("initiatives") or ())))
    for facts in collectives:
        for v in evaluate_all(facts, year, group_titles, rule_set=rs).values():
            counts[v.verdict] += 1
    refused = sum(len(apply_caps(cstdcs[i:i + 20], "CSTDCS")) for i in range(0, len(cstdcs), 20))
    return {"verdicts": sum(counts.values()), "counts": counts, "cap_refused": refused}


def naive_verdict(facts: dict, code: str, year: int = YEAR) -> str:
    """The anchor: read and compile the rule files again for this one verdict."""
    return evaluate(facts, code, year, config=load_rule_sets()).verdict


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--collectives", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--naive", type=int, default=12, help="verdicts timed with the naive anchor")
    parser.add_argument("--tiny", action="store_true", default=os.environ.get("CONGVU_BENCH_TINY") == "1",
                        help="small size for the test suite (also CONGVU_BENCH_TINY=1)")
    args = parser.parse_args()
    if args.tiny:
        args.people, args.collectives, args.naive = 200, 20, 2

    people, collectives = make_population(args.people, args.collectives, args.seed)
    rule_set_for(f"{YEAR}-12-31")  # load the shipped rules outside the timing, as a running app has them

    start = time.perf_counter()
    result = pure_job(people, collectives)
    pure_s = time.perf_counter() - start
    per_fast = pure_s / result["verdicts"]

    # Anchor on a sample; the two engines must agree before their speeds mean anything.
    rs = rule_set_for(f"{YEAR}-12-31")
    sample = [(p, code) for p in people[: args.naive] for code in rs.titles_for("person")][: args.naive]
    sample += [(c, code) for c in collectives[:1] for code in rs.titles_for("collective")][:1]
    start = time.perf_counter()
    slow = [naive_verdict(facts, code) for facts, code in sample]
    per_naive = (time.perf_counter() - start) / len(sample)
    fast = [evaluate(facts, code, YEAR).verdict for facts, code in sample]
    assert slow == fast, "naive and compiled engines disagree"

    c = result["counts"]
    print(f"# {args.people} people + {args.collectives} collectives, every title of {YEAR} "
          f"({result['verdicts']} verdicts: {c['eligible']} eligible, {c['not_eligible']} not eligible, "
          f"{c['needs_information']} need information; CSTĐCS cap refused {result['cap_refused']})")
    print(f"emulation.eligibility_pure: {pure_s:.3f} s = {result['verdicts'] / pure_s:,.0f} verdicts/s "
          f"({per_fast * 1e6:.1f} µs/verdict; target for the pure part < {TARGET_PURE_S:.0f} s, "
          f"whole job with the database < {TARGET_WHOLE_JOB_S:.0f} s)")
    print(f"emulation.anchor_reload_rules_per_verdict: {per_naive * 1000:.1f} ms/verdict on {len(sample)} verdicts "
          f"(≈ {per_naive * result['verdicts']:,.0f} s for the job)")
    print(f"emulation.ratio: {per_naive / per_fast:,.0f}x faster than the anchor; "
          f"{'target met' if pure_s < TARGET_PURE_S or args.tiny else 'TARGET MISSED'}")


if __name__ == "__main__":
    main()
