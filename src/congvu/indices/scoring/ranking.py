"""Ranking with ties: standard competition ranking ("1, 2, 2, 4"); units without a score are not
ranked. `rank_label(10, 19)` → "10/19"."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Ranked:
    key: Hashable
    score: float | None
    rank: int | None
    of: int  # how many were ranked

    @property
    def label(self) -> str:
        return rank_label(self.rank, self.of)


def rank_label(rank: int | None, of: int) -> str:
    return f"{rank}/{of}" if rank is not None else f"—/{of}"


def rank_scores(scores: Mapping[Hashable, float | None], *, ndigits: int = 2) -> list[Ranked]:
    """Rank keys by score (higher first; scores equal after rounding to `ndigits` share a rank).
    Keys with `None` come last, unranked. Stable: ties keep the input order."""
    scored = [(k, round(float(s), ndigits)) for k, s in scores.items() if s is not None]
    scored.sort(key=lambda ks: -ks[1])
    n = len(scored)
    out: list[Ranked] = []
    prev: float | None = None
    rank = 0
    for i, (k, s) in enumerate(scored):
        if prev is None or s != prev:
            rank = i + 1
            prev = s
        out.append(Ranked(k, s, rank, n))
    out.extend(Ranked(k, None, None, n) for k, s in scores.items() if s is None)
    return out
