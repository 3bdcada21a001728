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

import atexit
import json
import multiprocessing
import os
import runpy
import subprocess
import sys
import tempfile
import traceback
from functools import cache
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager

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


@cache
def _interpreter_path() -> tuple[str, ...]:
    """`sys.path` of a new interpreter, without its first entry or PYTHONPATH."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run(
        [sys.executable, "-c", "import json, sys; print(json.dumps(sys.path[1:]))"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    return tuple(json.loads(out))


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
            args=(list(args), str(cwd), dict(env), _interpreter_path(), out, err),
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
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    if args[0] == "-m":
        first, argv = os.getcwd(), [args[1], *args[2:]]
    else:
        first, argv = str(Path(args[0]).resolve().parent), list(args)
    extra = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    sys.path[:] = [first, *extra, *interpreter_path]
    sys.argv = argv
    if out is not None:
        with open(out, "w") as stdout, open(err, "w") as stderr:
            os.dup2(stdout.fileno(), 1)
            os.dup2(stderr.fileno(), 2)
    code = 0
    try:
        if args[0] == "-m":
            runpy.run_module(args[1], run_name="__main__", alter_sys=True)
        else:
            runpy.run_path(args[0], run_name="__main__")
    except SystemExit as exit_:
        if exit_.code is None or isinstance(exit_.code, int):
            code = exit_.code or 0
        else:
            print(exit_.code, file=sys.stderr)
            code = 1
    except BaseException:
        traceback.print_exc()
        code = 1
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


class _Child:
    """The part of `subprocess.Popen` that Jupyter's provisioner uses."""

    stdin = stdout = stderr = None

    def __init__(self, process):
        self._process = process
        self.pid = process.pid

    def poll(self) -> int | None:
        return self._process.exitcode

    def wait(self, timeout: float | None = None) -> int | None:
        self._process.join(timeout)
        return self._process.exitcode

    def send_signal(self, signum: int) -> None:
        os.kill(self.pid, signum)

    def kill(self) -> None:
        self._process.kill()

    def terminate(self) -> None:
        self._process.terminate()


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
            args=(kernel_cmd[1:], cwd, dict(env), _interpreter_path(), None, None),
            kwargs={"new_session": True},
            daemon=False,
        )
        process.start()
        provisioner.process = _Child(process)
        provisioner.pid = process.pid
        # the kernel leads a process group of its own once it has started;
        # until then its group is the server's: signal the kernel alone
        provisioner.pgid = None
        provisioner.cwd = cwd
        self._reconcile_connection_info(provisioner.connection_info)
