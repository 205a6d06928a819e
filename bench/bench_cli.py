"""Cold start of the `congvu` command (issue 13: under a second), beside its anchor: a bare Python
interpreter and `django-admin --version`-like minimal Django start.

    .venv/bin/python bench/bench_cli.py [--runs 5]

Each figure is the median wall and CPU (user+sys) time of fresh processes. On a loaded machine wall time
grows with the load; CPU time does not, so both are printed.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    var = tempfile.mkdtemp(prefix="congvu-bench-cli-")
    env = {**os.environ, "CONGVU_VAR": var}
    env.pop("DATABASE_URL", None)
    congvu = [sys.executable, "-m", "congvu"]
    cases = {
        "python -c pass (anchor)": [sys.executable, "-c", "pass"],
        "django.setup() only (anchor)": [sys.executable, "-c", "import os; os.environ['DJANGO_SETTINGS_MODULE']="
                                         "'congvu.settings'; import django; django.setup()"],
        "congvu --help": [*congvu, "--help"],
        "congvu calendar add 2024-02-07 1": [*congvu, "calendar", "add", "2024-02-07", "1"],
    }
    results = {}
    for name, cmd in cases.items():
        samples = [run(cmd, env) for _ in range(args.runs)]
        results[name] = (statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples))
    anchor = results["python -c pass (anchor)"][1] or 0.001
    for name, (wall, cpu) in results.items():
        print(f"cli.{name}: wall {wall:.2f} s, cpu {cpu:.2f} s (target < 1 s; {cpu / anchor:.0f}x bare python)")


if __name__ == "__main__":
    main()
