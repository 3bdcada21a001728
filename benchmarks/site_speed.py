"""Measure how fast the site builds and rebuilds, and how heavy its pages are.

Prints, in one run: cold build, unchanged rebuild, and the rebuilds under
`mkdocs serve` after editing prose (a plain page and a page with macros), a
notebook, or a package module that 0, 1 or all 6 notebooks import, the
plain execution time of the notebooks as scripts and the ratio of the cold
build to it, the time the example and the comparison experiments train
(`experiments.py`) (medians of --runs runs each), the test-suite time (with
--tests), each page's weight with the total site size, and the largest
figure.

All edits happen in a temporary clone of the repository (with its history,
for the page dates; uncommitted changes copied over); the working tree is
never touched. Cold build and unchanged rebuild run `mkdocs build`. The edit
rebuilds run under `mkdocs serve` and are timed as an author waits for
them: from the moment the file is saved until the page, fetched the way the
browser's live-reload script does it, shows the edit. The time until the
server notices the change is printed too: its file watcher polls every
0.5 s, so about 0.3 s of each edit's time is spent before the rebuild.

Usage: .venv/bin/python benchmarks/site_speed.py [--runs 3] [--tests]
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _copy_repo(dest: Path) -> Path:
    """Clone the repo, then copy its tracked and untracked-but-not-ignored files.

    The clone brings the history the page dates are read from; the copy
    brings the working tree as it is, uncommitted changes included.
    """
    subprocess.run(
        ["git", "clone", "--quiet", "--no-checkout", str(ROOT), str(dest)],
        check=True,
    )
    subprocess.run(["git", "checkout", "--quiet", "HEAD"], cwd=dest, check=True)
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
        self.url = ""
        threading.Thread(target=self._read, daemon=True).start()
        self.wait_for("Serving on", timeout=600)

    def _read(self) -> None:
        for line in self.process.stdout:
            if "Serving on" in line:
                self.url = line.split("Serving on ", 1)[1].strip()
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float = 300) -> float:
        """Block until a log line contains `text`; return when it was read."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self._line_with(text, wait=1):
                return time.perf_counter()
        sys.exit(f"mkdocs serve did not log {text!r} in time")

    def _line_with(self, text: str, wait: float) -> bool:
        """Whether the next log line, if one comes within `wait` s, has `text`."""
        try:
            line = self.lines.get(timeout=wait)
        except queue.Empty:
            return False
        if "Aborted" in line or "Error" in line:
            sys.exit(f"mkdocs serve failed: {line}")
        return text in line

    def _get(self, path: str, timeout: float = 120) -> str:
        with urllib.request.urlopen(self.url + path, timeout=timeout) as response:
            return response.read().decode("utf-8")

    def _poll(self, epoch: str, request: str) -> str:
        """The live-reload script's request: answered once a newer build is up."""
        root = self.url.split("/", 3)[:3]  # the poll lives at the server's root
        url = "/".join(root) + f"/livereload/{epoch}/{request}"
        with urllib.request.urlopen(url, timeout=600) as response:
            return response.read().decode("utf-8")

    def time_edit(self, edit, page: str, marker: str) -> tuple[float | None, float]:
        """Time `edit` until `page` shows `marker`, and until the server saw it.

        Like the browser's live-reload script: ask the server, with the
        epoch the page was served with, to answer once a newer build is
        visible; then fetch the page again. The first time is None if the
        rebuilt page does not show the edit: stale output.
        """
        html = self._get(page)
        if marker in html:
            sys.exit(f"{marker!r} is on {page} before the edit; change the marker")
        epoch, request = re.search(r"livereload\((\d+), (\d+)\)", html).groups()
        shown: queue.Queue[tuple[float, str]] = queue.Queue()

        def browser() -> None:
            newer = epoch
            while newer == epoch:  # the server answers after 60 s at most
                newer = self._poll(epoch, request)
            shown.put((time.perf_counter(), self._get(page)))

        time.sleep(1.5)  # let the watcher settle after the previous build
        threading.Thread(target=browser, daemon=True).start()
        time.sleep(0.2)  # the poll is waiting, as an open page's would be
        start = time.perf_counter()
        edit()
        # NOTE: not "Documentation built": MkDocs logs a message only once
        # per process, and two builds can take the same hundredths
        noticed = self.wait_for("Detected file changes") - start
        deadline = start + 600
        while shown.empty() and time.perf_counter() < deadline:
            self._line_with("", wait=0.1)  # fails on a build error
        if shown.empty():
            sys.exit(f"{page} was not reloaded within 600 s of the edit")
        at, html = shown.get()
        return (at - start if marker in html else None), noticed

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(text)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        sys.exit(f"{path}: {old!r} not found; update the benchmark's package edit")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _plain_execution(repo: Path) -> float:
    """Run every notebook as a plain Python script; return the total time."""
    total = 0.0
    for notebook in sorted((repo / "docs" / "notebooks").glob("*.py")):
        cmd = [sys.executable, str(notebook)]
        total += _timed(cmd, notebook.parent, _env(repo))
    return total


def _experiments(repo: Path) -> dict[str, float]:
    """Time the example and the comparison experiments (`experiments.py`)."""
    script = Path(__file__).resolve().parent / "experiments.py"
    cmd = [sys.executable, str(script), "--runs", "1", "--json"]
    result = subprocess.run(
        cmd, cwd=repo, env=_env(repo), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)


def _weights(site: Path) -> list[tuple[str, int]]:
    pages = sorted(site.rglob("index.html"))
    return [(p.relative_to(site).as_posix(), p.stat().st_size) for p in pages]


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def runs_argument(text: str) -> int:
    """`--runs`: a whole number, 1 or more."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def parser_with_runs(doc: str) -> argparse.ArgumentParser:
    """A parser described by `doc`'s first line, with `--runs` (default 3)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument(
        "--runs", type=runs_argument, default=3, help="runs per figure (1 or more)"
    )
    return parser


def main() -> int:
    """Run the measurements and print them."""
    parser = parser_with_runs(__doc__)
    parser.add_argument("--tests", action="store_true", help="also time pytest")
    args = parser.parse_args()

    timings: dict[str, list[float | None]] = {}
    noticed_at: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        for run in range(args.runs):
            repo = _copy_repo(tmp_path / f"repo{run}")
            out = tmp_path / f"site{run}"
            docs = repo / "docs"
            notebook = docs / "notebooks" / "pytorch_example.py"
            package = repo / "src" / "activation_tutorial"
            gallery = package / "gallery.py"
            approximation = package / "approximation.py"
            activations = package / "activations.py"
            # (name, edit, page that must show it, what it must show)
            edits = [
                (
                    "prose-edit rebuild",
                    lambda d=docs: _append(d / "analogy.md", "\nOne more line.\n"),
                    "analogy/",
                    "One more line.",
                ),
                (
                    "macro-page edit rebuild",
                    lambda d=docs: _append(d / "activations.md", "\nA new line.\n"),
                    "activations/",
                    "A new line.",
                ),
                (
                    "notebook-edit rebuild",
                    lambda n=notebook: _append(n, "\n# %%\nprint('edited ' * 2)\n"),
                    "notebooks/pytorch_example/",
                    "edited edited",
                ),
                (
                    # a module no notebook imports: the examples printed on a
                    # Markdown page change
                    "package edit, 0 notebooks",
                    lambda g=gallery: _replace(g, "1.0, 3.0)", "1.0, 2.5)"),
                    "activations/",
                    "2.5000",
                ),
                (
                    # a module one notebook imports: its page shows the
                    # function's source
                    "package edit, 1 notebook",
                    lambda a=approximation: _replace(
                        a, "a narrow bump on its side.", "a bump beside it."
                    ),
                    "notebooks/universal_approximation/",
                    "a bump beside it.",
                ),
                (
                    # a module every notebook imports
                    "package edit, 6 notebooks",
                    lambda a=activations: _replace(
                        a,
                        '"""The activation registry:',
                        '"""The registry of activations:',
                    ),
                    "api/core/",
                    "The registry of activations:",
                ),
            ]
            for name in ("cold build", "unchanged rebuild"):
                timings.setdefault(name, []).append(_build(repo, out))
                print(f"  run {run + 1}: {name} {timings[name][-1]:.2f} s", flush=True)
            server = _Server(repo)
            try:
                for name, edit, url, marker in edits:
                    seen, noticed = server.time_edit(edit, url, marker)
                    timings.setdefault(name, []).append(seen)
                    noticed_at.setdefault(name, []).append(noticed)
                    shown = f"{seen:.2f} s" if seen else f"STALE ({url}: no {marker!r})"
                    print(
                        f"  run {run + 1}: {name} {shown} "
                        f"(change noticed after {noticed:.2f} s)",
                        flush=True,
                    )
            finally:
                server.stop()

            # the same code as plain scripts, in the same run
            plain = _plain_execution(_copy_repo(tmp_path / f"plain{run}"))
            timings.setdefault("notebooks as scripts", []).append(plain)
            print(f"  run {run + 1}: notebooks as scripts {plain:.2f} s", flush=True)
            for name, seconds in _experiments(repo).items():
                timings.setdefault(name, []).append(seconds)
                print(f"  run {run + 1}: {name} {seconds:.2f} s", flush=True)
        weights = _weights(tmp_path / "site0")
        total = _size(tmp_path / "site0")
        figures = sorted(
            (p.stat().st_size, p.relative_to(tmp_path / "site0").as_posix())
            for p in (tmp_path / "site0").rglob("*")
            if p.suffix in (".svg", ".png") and "figures" in p.parts
        )

    print("\nmedian of", args.runs, "runs (seconds; edits: until the page shows it)")
    for name, values in timings.items():
        fresh = [v for v in values if v is not None]
        median = f"{statistics.median(fresh):7.2f}" if fresh else "    n/a"
        line = f"  {name:<28} {median}"
        if len(fresh) < len(values):
            line += f"   stale in {len(values) - len(fresh)} of {len(values)} runs"
        if name in noticed_at:
            line += f"   (noticed: {statistics.median(noticed_at[name]):.2f})"
        print(line)
    ratios = [
        cold / plain
        for cold, plain in zip(
            timings["cold build"], timings["notebooks as scripts"], strict=True
        )
    ]
    print(f"  {'cold build / scripts':<28} {statistics.median(ratios):7.2f}")

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
    size, name = figures[-1]
    print(f"\n{len(figures)} figure files; the largest: {name}, {size / 1000:.1f} kB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
