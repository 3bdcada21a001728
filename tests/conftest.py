"""Shared fixtures: the repository's paths and one strict build of the site.

The suite runs on every core with pytest-xdist (`-n auto` in pyproject.toml).
The workers share one build of the site: the first worker that needs it
builds it under a file lock, the others wait for it and reuse it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from filelock import FileLock

sys.path.insert(0, str(Path(__file__).resolve().parent))
import codeblocks as cb
import summaries

# the same one-thread setting as `make test` and the build (see Makefile),
# also when pytest is run directly: set before torch is first imported
os.environ.setdefault("OMP_NUM_THREADS", "1")
# headless, in every process of the run: matplotlib reads it when imported,
# and the warm interpreter (tests/warm.py) imports it once for its children
os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _build_env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def _run_folder(tmp_path_factory) -> Path:
    """A folder shared by every worker of this run (pytest-xdist or not)."""
    base = tmp_path_factory.getbasetemp()
    # each xdist worker's base folder is a subfolder of the run's
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """With SUITE_TIMELINE=<file>: note when each test ran, and on which worker.

    For `benchmarks/suite_time.py`, which shows from it where the workers
    wait: one JSON line per test, appended by every worker.
    """
    timeline = os.environ.get("SUITE_TIMELINE")
    if not timeline:
        return (yield)
    start = time.time()
    try:
        return (yield)
    finally:
        line = {
            "worker": os.environ.get("PYTEST_XDIST_WORKER", "main"),
            "test": item.nodeid,
            "start": start,
            "stop": time.time(),
        }
        with open(timeline, "a", encoding="utf-8") as f:
            f.write(json.dumps(line) + "\n")


def pytest_sessionfinish(session):
    """In a pytest-xdist worker: hand the summary sections to the controller."""
    if hasattr(session.config, "workeroutput"):
        session.config.workeroutput["summaries"] = dict(summaries.SECTIONS)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """In the pytest-xdist controller: collect a finished worker's sections."""
    summaries.SECTIONS.update(getattr(node, "workeroutput", {}).get("summaries", {}))


def pytest_terminal_summary(terminalreporter):
    """Print what the fixtures measured (see tests/summaries.py)."""
    for title, lines in sorted(summaries.SECTIONS.items()):
        terminalreporter.section(title, sep="-")
        for line in lines:
            terminalreporter.write_line(line)


# the longest files first: pytest-xdist hands files out in this order
# (--no-loadscope-reorder), so no long file is left for the end of the run
# while the other workers idle; the files that need no built site go while
# the first one builds it
LONGEST_FILES = (
    "browser/test_reader.py",  # builds the shared site, then the survey
    "test_regressions.py",  # builds of small broken projects; needs no site
    "test_codeblocks.py",  # runs every notebook again, as plain code
    "test_oracle.py",  # trains the original recipe
    "test_comparison.py",  # trains every activation
    "test_serve.py",  # three builds of two copies
    "test_site.py",  # the site's figures drawn again
)


def _rank(item) -> int:
    path = Path(str(item.path))
    here = Path(__file__).parent
    # the doctests of src/ are outside tests/
    rel = path.relative_to(here).as_posix() if path.is_relative_to(here) else ""
    return LONGEST_FILES.index(rel) if rel in LONGEST_FILES else len(LONGEST_FILES)


def pytest_collection_modifyitems(items):
    """Put the longest test files first, in the order of LONGEST_FILES."""
    items.sort(key=_rank)


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    """The site, built once per test run with `--strict`.

    Set SITE_DIR to reuse a site that is already built (e.g. while working
    on the browser tests).
    """
    if os.environ.get("SITE_DIR"):
        # absolute: some tests run processes in folders of their own
        return Path(os.environ["SITE_DIR"]).resolve()
    shared = _run_folder(tmp_path_factory)
    dest, outcome = shared / "site", shared / "site-build.json"
    with FileLock(shared / "site-build.lock"):
        if not outcome.exists():
            before = watched_files()
            result = subprocess.run(
                cb.build_command(ROOT / "mkdocs.yml", dest),
                cwd=ROOT,
                capture_output=True,
                text=True,
                env=_build_env(),
            )
            after = watched_files()
            changed = sorted(
                path
                for path in before.keys() | after.keys()
                if before.get(path) != after.get(path)
            )
            # a failed build is recorded too, so that no other worker retries it
            outcome.write_text(
                json.dumps(
                    {
                        "returncode": result.returncode,
                        "log": result.stderr,
                        "written_into_watched_folders": changed,
                    }
                )
            )
        built = json.loads(outcome.read_text())
    assert built["returncode"] == 0, f"strict build failed:\n{built['log'][-4000:]}"
    return dest


@pytest.fixture(scope="session")
def site_build(site_dir, tmp_path_factory) -> dict:
    """What the build of `site_dir` reported: its log, what it wrote where."""
    if os.environ.get("SITE_DIR"):
        pytest.skip("SITE_DIR is set: this run did not build the site")
    return json.loads((_run_folder(tmp_path_factory) / "site-build.json").read_text())


def watched_files() -> dict[str, tuple[int, int]]:
    """Every file `mkdocs serve` watches, with its size and modification time.

    A build that writes into these folders would set off another build, and
    under `mkdocs serve` that one another: a loop.
    """
    config = cb.mkdocs_config()
    roots = [ROOT / "mkdocs.yml", DOCS, *(ROOT / w for w in config.get("watch", []))]
    found = {}
    for root in roots:
        for path in [root] if root.is_file() else root.rglob("*"):
            if path.is_file():
                stat = path.stat()
                found[path.relative_to(ROOT).as_posix()] = (
                    stat.st_size,
                    stat.st_mtime_ns,
                )
    return found
