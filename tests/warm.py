"""New Python processes for the tests, forked from one warm interpreter.

The tests build throwaway sites and run page blocks in processes of their
own, dozens of times per run, so that nothing one build or block does leaks
into the next. A new interpreter pays a second or more to import MkDocs,
nbconvert, matplotlib and PyTorch before it does anything; on two cores
that was a tenth of the suite.

`run` is `subprocess.run([sys.executable, ...])` for the tests: it runs a
module (`-m mkdocs ...`) or a script in a child forked from
multiprocessing's fork server, which imported those libraries once (and
nothing of this project). The child is set up as a new interpreter would
be: its own arguments, working directory, environment, and `sys.path` made
from the script's folder, `PYTHONPATH` and the interpreter's own entries.
It exits through the `atexit` handlers, like an interpreter, and its
output is captured in files.

`KernelManager` starts the Jupyter kernels of the code block tests the
same way (each a fresh kernel, forked from the server, in a session of its
own, as Jupyter starts one).

Set TESTS_COLD_START=1 to run every such process as a new interpreter
instead (a suspected difference between the two is then easy to rule out).
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager

# how a forked child becomes a new interpreter is the build's own
# (hooks/kernels.py: the notebooks' kernels are forked the same way)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))
import kernels

# what the tests' processes import; third-party only, so that each child
# imports this project's code (or a test's copy of it) afresh. (Material's
# theme is not here: importing it prints a banner unless told not to.)
PRELOAD = [
    "mkdocs.__main__",
    "mkdocs.commands.build",
    "markdown",
    "pymdownx.superfences",
    "pymdownx.highlight",
    "pymdownx.snippets",
    "pymdownx.arithmatex",
    "bs4",
    "yaml",
    "jinja2",
    "pygments",
    "nbformat",
    "nbconvert",
    "nbclient",
    "jupytext",
    "mkdocs_jupyter.plugin",
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "numpy",
    "torch",
    # PyTorch imports it, with sympy, on the first optimizer made in a
    # process (torch._disable_dynamo): a second of every kernel that trains
    "torch._dynamo",
    "matplotlib.pyplot",
]


@cache
def _context():
    # the server starts with this process's environment: what the preloaded
    # libraries read when imported (OMP_NUM_THREADS, MPLBACKEND: see
    # conftest.py) holds for every child
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def run(
    args: list[str],
    *,
    cwd: Path | str,
    env: dict[str, str],
    timeout: float | None = None,
) -> subprocess.CompletedProcess:
    """Run `python *args` (`-m module ...` or `script ...`); capture its output.

    Returns what `subprocess.run(..., capture_output=True, text=True)` would.
    """
    command = [sys.executable, *args]
    if os.environ.get("TESTS_COLD_START"):
        return subprocess.run(
            command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
        )
    with tempfile.TemporaryDirectory(prefix="warm-") as tmp:
        out, err = Path(tmp) / "stdout", Path(tmp) / "stderr"
        child = _context().Process(
            target=_child,
            args=(
                list(args),
                str(cwd),
                dict(env),
                kernels.interpreter_path(),
                out,
                err,
            ),
            daemon=False,
        )
        child.start()
        child.join(timeout)
        if child.exitcode is None:
            child.kill()
            child.join()
            raise subprocess.TimeoutExpired(command, timeout)
        return subprocess.CompletedProcess(
            command,
            child.exitcode,
            out.read_text(encoding="utf-8", errors="replace"),
            err.read_text(encoding="utf-8", errors="replace"),
        )


def _child(args, cwd, env, interpreter_path, out, err, new_session=False) -> None:
    if new_session:
        os.setsid()
    kernels.become(args, cwd, env, interpreter_path)
    if out is not None:
        with open(out, "w") as stdout, open(err, "w") as stderr:
            os.dup2(stdout.fileno(), 1)
            os.dup2(stderr.fileno(), 2)
    kernels.run_and_exit(args)


class KernelManager(AsyncKernelManager):
    """Jupyter's kernel manager, its kernels forked from the warm interpreter."""

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        if os.environ.get("TESTS_COLD_START"):
            return await super()._async_launch_kernel(kernel_cmd, **kw)
        provisioner = self.provisioner
        env = kw.get("env") or dict(os.environ)
        cwd = str(kw.get("cwd") or Path.cwd())
        process = _context().Process(
            target=_child,
            args=(
                kernel_cmd[1:],
                cwd,
                dict(env),
                kernels.interpreter_path(),
                None,
                None,
            ),
            kwargs={"new_session": True},
            daemon=False,
        )
        process.start()
        provisioner.process = kernels.Child(process)
        provisioner.pid = process.pid
        # the kernel leads a process group of its own once it has started;
        # until then its group is the server's: signal the kernel alone
        provisioner.pgid = None
        provisioner.cwd = cwd
        self._reconcile_connection_info(provisioner.connection_info)
