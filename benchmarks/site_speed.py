"""Measure how fast the site builds and rebuilds, and how heavy its pages are.

Prints, in one run: cold build, unchanged rebuild, prose-edit rebuild,
notebook-edit rebuild, package-edit rebuild (medians of --runs runs each),
the plain execution time of the notebooks as scripts and the ratio of the
cold build to it, the test-suite time (with --tests), and each page's
weight with the total site size.

All edits happen in a temporary copy of the repository; the working tree
is never touched. Cold build and unchanged rebuild run `mkdocs build`; the
three edit rebuilds run under `mkdocs serve` and are timed from the moment
the file is saved to the moment the server reports the new build done,
which is what an author waits for.

Usage: .venv/bin/python benchmarks/site_speed.py [--runs 3] [--tests]
"""

from __future__ import annotations

import argparse
import os
import queue
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _copy_repo(dest: Path) -> Path:
    """Copy the tracked and untracked-but-not-ignored files of the repo."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for rel in filter(None, listed.split("\0")):
        src = ROOT / rel
        if src.is_file():
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
    (dest / "node_modules").symlink_to(ROOT / "node_modules")
    return dest


def _env(repo: Path) -> dict[str, str]:
    # the copy's package must shadow the editable install of the original
    return {
        **os.environ,
        "PYTHONPATH": str(repo / "src"),
        "NO_MKDOCS_2_WARNING": "1",
    }


def _timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{result.stderr[-3000:]}")
    return elapsed


def _build(repo: Path, out: Path) -> float:
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)]
    return _timed(cmd, repo, _env(repo))


class _Server:
    """`mkdocs serve` on a free port, with its log lines in a queue."""

    def __init__(self, repo: Path):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        cmd = [sys.executable, "-m", "mkdocs", "serve", "--strict"]
        cmd += ["--dev-addr", f"127.0.0.1:{port}"]
        self.process = subprocess.Popen(
            cmd,
            cwd=repo,
            env=_env(repo),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.wait_built(timeout=600)

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_built(self, timeout: float = 300) -> float:
        """Block until the next "Documentation built" line; return when."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                continue
            if "Aborted" in line or "Error" in line:
                sys.exit(f"mkdocs serve failed: {line}")
            if "Documentation built" in line:
                return time.perf_counter()
        sys.exit("mkdocs serve did not rebuild in time")

    def time_edit(self, edit) -> float:
        time.sleep(1.5)  # let the watcher settle after the previous build
        start = time.perf_counter()
        edit()
        return self.wait_built() - start

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(text)


def _plain_execution(repo: Path) -> float:
    """Run every notebook as a plain Python script; return the total time."""
    total = 0.0
    for notebook in sorted((repo / "docs" / "notebooks").glob("*.py")):
        cmd = [sys.executable, str(notebook)]
        total += _timed(cmd, notebook.parent, _env(repo))
    return total


def _weights(site: Path) -> list[tuple[str, int]]:
    pages = sorted(site.rglob("index.html"))
    return [(p.relative_to(site).as_posix(), p.stat().st_size) for p in pages]


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main() -> int:
    """Run the measurements and print them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure")
    parser.add_argument("--tests", action="store_true", help="also time pytest")
    args = parser.parse_args()

    timings: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        for run in range(args.runs):
            repo = _copy_repo(tmp_path / f"repo{run}")
            out = tmp_path / f"site{run}"
            page = repo / "docs" / "analogy.md"
            if not page.exists():
                page = repo / "docs" / "index.md"
            notebook = repo / "docs" / "notebooks" / "pytorch_example.py"
            module = repo / "src" / "activation_tutorial" / "facts.py"

            edits = {
                "prose-edit rebuild": lambda p=page: _append(p, "\nOne more line.\n"),
                "notebook-edit rebuild": lambda n=notebook: _append(
                    n, "\n# %%\nprint('edited')\n"
                ),
                "package-edit rebuild": lambda m=module: _append(m, "\n# edited\n"),
            }
            for name in ("cold build", "unchanged rebuild"):
                timings.setdefault(name, []).append(_build(repo, out))
                print(f"  run {run + 1}: {name} {timings[name][-1]:.2f} s", flush=True)
            server = _Server(repo)
            try:
                for name, edit in edits.items():
                    timings.setdefault(name, []).append(server.time_edit(edit))
                    print(
                        f"  run {run + 1}: {name} {timings[name][-1]:.2f} s", flush=True
                    )
            finally:
                server.stop()

        plain = [_plain_execution(_copy_repo(tmp_path / "plain"))]
        weights = _weights(tmp_path / "site0")
        total = _size(tmp_path / "site0")

    print("\nmedian of", args.runs, "runs (seconds)")
    for name, values in timings.items():
        print(f"  {name:<24} {statistics.median(values):7.2f}")
    cold = statistics.median(timings["cold build"])
    print(f"  {'notebooks as scripts':<24} {plain[0]:7.2f}")
    print(f"  {'cold build / scripts':<24} {cold / plain[0]:7.2f}")

    if args.tests:
        import suite_time  # here: it imports this module's helpers

        runs = []
        for run in range(args.runs):
            with tempfile.TemporaryDirectory() as tmp:
                runs.append(suite_time.measure(Path(tmp)))
            print(f"  run {run + 1}: test suite done", flush=True)
        suite_time.report(runs)

    print("\npage weight (own HTML, kB)")
    for page, size in weights:
        print(f"  {page:<48} {size / 1000:7.1f}")
    print(f"  {'total site':<48} {total / 1000:7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
