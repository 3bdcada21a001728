"""Time the tutorial's experiments as a reader's script runs them, on the CPU.

Prints, in seconds: the 150-epoch example of the PyTorch example page (the
first run in a fresh process, and the median of the runs after it), and
the experiments of the comparison page: every activation on the noise
task, on the structured task, and the training playback's recording. Each
is the median of --runs runs, in one process, on one thread (as `make`
and the site build run them).

Usage: .venv/bin/python benchmarks/experiments.py [--runs 3] [--json]
(`benchmarks/site_speed.py` runs it on each of its clones.)
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time

# before torch is imported: as the Makefile and the site build set it
os.environ.setdefault("OMP_NUM_THREADS", "1")


def _seconds(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def measure(runs: int) -> dict[str, float]:
    """Median seconds of each experiment over `runs` runs."""
    from activation_tutorial.comparison import compare_noise, compare_structured
    from activation_tutorial.example import run_example
    from activation_tutorial.playback import record

    # the first run pays PyTorch's one-time set-up, as a reader's script does
    first = _seconds(run_example)
    experiments = {
        "example, 150 epochs": run_example,
        "noise comparison": compare_noise,
        "structured comparison": compare_structured,
        "playback recording": lambda: record(every=5),
    }
    found = {"example, first run in a process": first}
    for name, work in experiments.items():
        found[name] = statistics.median(_seconds(work) for _ in range(runs))
    found["comparison experiments"] = sum(
        found[name]
        for name in ("noise comparison", "structured comparison", "playback recording")
    )
    return found


def main() -> int:
    """Measure and print."""
    from site_speed import parser_with_runs

    parser = parser_with_runs(__doc__)
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    found = measure(args.runs)
    if args.json:
        print(json.dumps(found))
        return 0
    print(f"median of {args.runs} runs (seconds)")
    for name, seconds in found.items():
        print(f"  {name:<34} {seconds:7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
