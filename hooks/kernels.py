"""The notebooks' Jupyter kernels, forked from a warm interpreter.

Each notebook runs in a kernel of its own, as Jupyter starts one: a new
process, in a session of its own, with its own working folder, environment
and arguments. Started as a new interpreter, a kernel spends seconds before
its first cell does any work of its own: importing PyTorch, and
`torch._dynamo`, which PyTorch imports, with sympy, when a process makes
its first optimizer. That is more than the work of some notebooks.

So `prerun.py` converts each notebook in a worker forked from a server that
imported those libraries once (`server()`, multiprocessing's fork server;
only those the build's notebooks import, `preload()`: a server importing
PyTorch for notebooks that never use it would only delay them),
and the worker forks the notebook's kernel from itself before it starts
(`fork_kernel`), for Jupyter to start (`KernelManager`).
The kernel is then set up as a new interpreter would be (`become`): it has
imported the libraries, and nothing of this project. matplotlib and
ipykernel are not imported in advance: they read their settings from the
environment when imported (matplotlib its backend, which the kernel sets
to the inline one as it starts). The server lives as long as MkDocs:
under `mkdocs serve`, an edited notebook's kernel starts warm too (restart
the server after reinstalling packages).

COLD_KERNELS=1 starts every kernel as a new interpreter instead.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import json
import multiprocessing
import os
import runpy
import signal
import subprocess
import sys
import traceback
from multiprocessing import get_all_start_methods
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager

# what the server imports: what the workers convert notebooks with, and the
# libraries that kernels spend their start on, when the notebooks import
# them. Third-party only, and none that reads, when imported, what Jupyter
# tells a kernel in its environment (ipykernel does: it takes its parent's
# process id so)
CONVERSION = ["nbconvert", "nbclient", "jupytext", "mkdocs_jupyter.nbconvert2"]
FOR_KERNELS = {"numpy": ["numpy"], "torch": ["numpy", "torch", "torch._dynamo"]}


def preload(libraries) -> list[str]:
    """What the server imports for notebooks that import `libraries` (top-level
    names): a notebook that imports no PyTorch should not wait for it.

        >>> preload({"torch", "math"})[:3]
        ['numpy', 'torch', 'torch._dynamo']
        >>> preload(set()) == CONVERSION
        True
    """
    chosen = [
        m
        for name in sorted(FOR_KERNELS)
        if name in libraries
        for m in FOR_KERNELS[name]
    ]
    return list(dict.fromkeys(chosen)) + CONVERSION


def cold() -> bool:
    """Whether kernels start as new interpreters (COLD_KERNELS=1, or no fork)."""
    wanted = os.environ.get("COLD_KERNELS", "") not in ("", "0")
    return wanted or "forkserver" not in get_all_start_methods()


def server(libraries):
    """The multiprocessing context whose processes fork from the warm server,
    which imports `preload(libraries)` if it is not running yet."""
    context = multiprocessing.get_context("forkserver")
    # NOTE: multiprocessing starts one server per process, at its first use,
    # with the modules asked for by then; under `mkdocs serve` this module is
    # imported afresh for every build, the server stays
    context.set_forkserver_preload(preload(libraries))
    _stop_at_exit()
    return context


def _stop_at_exit() -> None:
    """Stop the server when this process exits, even in the middle of its imports.

    Left alone, it would finish importing before it saw that its parent had
    gone, keeping the parent's output open meanwhile: a build that failed
    early, or a Ctrl-C of `mkdocs serve`, would end seconds late for whoever
    reads that output.
    """
    from multiprocessing import forkserver

    # one handler per process: this module is imported afresh for each build
    # under `mkdocs serve`, the server is not
    if getattr(forkserver._forkserver, "stopped_at_exit", False):
        return
    forkserver._forkserver.stopped_at_exit = True
    atexit.register(_stop)


def _stop() -> None:
    from multiprocessing import forkserver

    # (multiprocessing keeps the server's process id to itself; its own
    # _stop would wait for the imports to finish)
    pid = getattr(forkserver._forkserver, "_forkserver_pid", None)
    if pid is None:
        return
    try:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def start_server(libraries) -> None:
    """Start the warm server, if it is not running, without waiting for it
    (see `server`)."""
    from multiprocessing import forkserver

    server(libraries)
    forkserver.ensure_running()


def join_build(environ: dict) -> None:
    """Make this worker, forked from the warm server, one of the build's.

    It takes the build's environment, not the server's (importing PyTorch
    writes into it), and it ends with the server, which ends with MkDocs:
    were MkDocs killed, its notebooks would otherwise run on to their end.
    """
    os.environ.clear()
    os.environ.update(environ)
    # the server ends when no process holds this pipe's other end; this
    # worker forks its kernel itself, it needs no server
    _close_server_ends()
    end_with_parent()


def end_with_parent() -> None:
    """Have this process end when its parent does (on Linux; elsewhere it
    ends with its work). Its kernel then ends too: ipykernel watches its
    parent.

    Linux tells a process when the *thread* that forked it ends: the warm
    server has one, and MkDocs builds in its main thread, `serve` too.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    parent = os.getppid()
    pr_set_pdeathsig = 1
    ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGTERM)
    if os.getppid() != parent:  # the parent ended before it could be told
        os._exit(1)


def _close_server_ends() -> None:
    """Close this process's ends of the warm server's pipes (multiprocessing
    passes them to every process the server forks)."""
    from multiprocessing import forkserver, resource_tracker

    server_ = forkserver._forkserver
    ends = {
        server_: "_forkserver_alive_fd",
        resource_tracker._resource_tracker: "_fd",
    }
    for owner, name in ends.items():
        fd = getattr(owner, name, None)
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)
            setattr(owner, name, None)


@functools.cache
def interpreter_path() -> tuple[str, ...]:
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


def become(args: list[str], cwd: str, env: dict, path: tuple[str, ...]) -> None:
    """Set this (forked) process up as `python *args` started in `cwd` with `env`.

    `args` is `-m module ...` or `script ...`; `path` is `interpreter_path()`.
    """
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    if args[0] == "-m":
        first, argv = os.getcwd(), [args[1], *args[2:]]
    else:
        first, argv = str(Path(args[0]).resolve().parent), list(args)
    extra = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    sys.path[:] = [first, *extra, *path]
    sys.argv = argv


def run_and_exit(args: list[str]) -> None:
    """Run `args` (see `become`) as `__main__`, then exit as an interpreter does."""
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


# the next kernel, forked in advance and waiting for its command line
_waiting = None


def fork_kernel() -> None:
    """Fork the next kernel from this process now, to start when asked.

    Called before this process converts a notebook: then it is as the warm
    server left it, with no event loop, thread or exit handler of Jupyter's
    to pass on to the kernel.
    """
    global _waiting
    context = multiprocessing.get_context("fork")
    ours, theirs = context.Pipe()
    process = context.Process(
        target=_kernel, args=(theirs, ours, interpreter_path()), daemon=False
    )
    process.start()
    theirs.close()
    _waiting = (process, ours)


def _kernel(connection, other_end, path) -> None:
    other_end.close()  # so that the parent's exit reads as the end
    try:
        args, cwd, env = connection.recv()
    except EOFError:  # the parent needed no kernel after all
        os._exit(0)
    connection.close()
    # the worker imported the hooks' helpers (this module among them) to
    # convert the notebook; a new interpreter has none of them
    hooks = str(Path(__file__).resolve().parent)
    for name, module in list(sys.modules.items()):
        if (getattr(module, "__file__", None) or "").startswith(hooks):
            del sys.modules[name]
    # as Jupyter starts a kernel: in a session of its own (signals sent to
    # its process group reach it alone), not reading its parent's input
    os.setsid()
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        # each new interpreter draws a new seed; forked ones would all share
        # the server's (Python's own `random` reseeds itself in a fork)
        numpy.random.seed()
    become(args, cwd, env, path)
    run_and_exit(args)


class Child:
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
    """Jupyter's kernel manager, its kernel the one `fork_kernel` made."""

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        global _waiting
        if _waiting is None:
            return await super()._async_launch_kernel(kernel_cmd, **kw)
        (process, connection), _waiting = _waiting, None
        # as jupyter_client's launcher starts a kernel: told its parent, so
        # that it ends with it
        env = {**(kw.get("env") or os.environ), "JPY_PARENT_PID": str(os.getpid())}
        cwd = str(kw.get("cwd") or Path.cwd())
        # kernel_cmd is [python, -m, ipykernel_launcher, -f, connection file]
        connection.send((kernel_cmd[1:], cwd, env))
        connection.close()
        provisioner = self.provisioner
        provisioner.process = Child(process)
        provisioner.pid = process.pid
        # the kernel leads a process group of its own once it has started;
        # until then its group is its parent's: signal the kernel alone
        provisioner.pgid = None
        provisioner.cwd = cwd
        self._reconcile_connection_info(provisioner.connection_info)
