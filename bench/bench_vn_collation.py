"""Benchmark of Vietnamese collation (`congvu.common.text.vn_sort_key`) against code-point order.

Sorting happens in Python so SQLite and PostgreSQL give the same order; this measures what that costs
for the lists congvu sorts this way (a province's communes, a unit's children: hundreds; here up to
`--n` names). Figure: µs per name for key + sort; anchor: plain `sorted()` by code point.

    .venv/bin/python bench/bench_vn_collation.py [--n 20000] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import time

from congvu.common.text import vn_sort_key

PREFIXES = ["Xã", "Phường", "Thị trấn", "Đặc khu"]
SYLLABLES = ["Ba", "Bình", "Đông", "Đức", "Ân", "An", "Ea", "Ya", "Sơn", "Tơ", "Động", "Xa", "Hải", "Nghĩa", "Tịnh",
             "Phổ", "Ô", "Ơn", "Ư", "Kon", "Đăk", "Ly", "Trà", "Bồng", "Minh", "Long", "Mỹ", "Hòa", "Thạnh"]


def names(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [f"{rng.choice(PREFIXES)} {' '.join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3)))}"
            for _ in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    data = names(args.n, args.seed)
    t0 = time.perf_counter()
    sorted(data)
    plain = time.perf_counter() - t0
    t0 = time.perf_counter()
    ordered = sorted(data, key=vn_sort_key)
    vn = time.perf_counter() - t0
    first_dd = next(i for i, x in enumerate(ordered) if x.startswith("Xã Đ"))
    assert all(not x.startswith("Xã E") for x in ordered[:first_dd])  # Đ before E, after D
    print(f"vn_sort_key: {args.n} names in {vn * 1000:.1f} ms ({vn / args.n * 1e6:.2f} µs/name); "
          f"code point sorted(): {plain * 1000:.1f} ms; ratio {vn / plain:.0f}x")


if __name__ == "__main__":
    main()
