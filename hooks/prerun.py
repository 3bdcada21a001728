"""Execute notebooks in parallel before MkDocs renders them one by one.

mkdocs-jupyter executes each notebook when it renders its page, one after
another. This fills the plugin's own cache first, with one process per
core, calling the plugin's own conversion with the plugin's own settings;
the plugin then finds every result in its cache. A notebook that fails here
fails the build at once, naming the page and the cell, instead of being
run a second time by the plugin. Each notebook is converted by a worker of
its own, forked from a warm server, and runs in a kernel forked from that
worker (`kernels.py`); the build goes on meanwhile (`start`, then
`Running.finish`).
"""

from __future__ import annotations

import json
import logging
import os
import re
from concurrent.futures import ProcessPoolExecutor, wait
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path

from mkdocs.exceptions import PluginError

import kernels

log = logging.getLogger("mkdocs.hooks.prerun")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")

# the options the plugin passes to nb2html, in its own names
_OPTIONS = (
    "kernel_name",
    "theme",
    "allow_errors",
    "show_input",
    "no_input",
    "no_prompt",
    "remove_tag_config",
    "highlight_extra_classes",
    "include_requirejs",
    "custom_mathjax_url",
)


def _todo(paths: list[str], config: dict) -> list[tuple[str, str]]:
    """The notebooks of `paths` not in the plugin's cache, with their cache file."""
    from mkdocs_jupyter import plugin

    if not (config.get("execute") and config.get("cache")):
        return []
    todo = []
    for path in paths:
        key = plugin._compute_cache_key(path, config, config["execute"])
        cache_path = plugin._get_cache_path(config["cache_dir"], key)
        if not cache_path.exists():
            todo.append((path, str(cache_path)))
    return todo


def warm_up(paths: list[str], config: dict, serving: bool) -> None:
    """Start the warm server now if notebooks will run, so that its imports
    overlap with the rest of the build; under `mkdocs serve` always (it
    serves every later build)."""
    if kernels.cold() or not config.get("execute"):
        return
    if serving:  # any notebook may be edited later
        kernels.start_server(_libraries(paths))
    elif todo := _todo(paths, config):
        kernels.start_server(_libraries([path for path, _ in todo]))


def _libraries(paths: list[str]) -> frozenset[str]:
    """The libraries the notebooks of `paths` import (see `kernels.preload`)."""
    import package_imports

    found: set[str] = set()
    for path in paths:
        try:
            source = Path(path).read_text(encoding="utf-8")
            found |= package_imports.libraries_imported(source)
        except (OSError, SyntaxError, ValueError):
            # the notebook will fail by itself, with a clearer message
            continue
    return frozenset(found)


class Running:
    """Notebooks executing in other processes (`start`), until `finish`."""

    def __init__(self, pool, todo, futures):
        self.pool, self.todo, self.futures = pool, todo, futures

    def cancel(self) -> None:
        """Stop: the build failed before it needed the notebooks."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def stop(self) -> None:
        """Stop now, the notebooks running too (their kernels end with them)."""
        if self.pool is None:
            return
        workers = list(getattr(self.pool, "_processes", {}).values())
        self.pool.shutdown(wait=False, cancel_futures=True)
        for worker in workers:
            worker.terminate()

    def finish(self) -> None:
        """Wait for every notebook; fail the build naming each that failed."""
        if self.pool is None:
            return
        try:
            wait(self.futures)
        except BaseException:  # interrupted: MkDocs is stopping
            self.stop()
            raise
        with self.pool:
            failures = [
                (path, future.exception())
                for (path, _), future in zip(self.todo, self.futures, strict=True)
                if future.exception() is not None
            ]
        reports = [
            f"{_relative(path)}: "
            + ("a cell failed while it ran:\n" if _cell_failed(error) else "")
            + _plain(error)
            for path, error in failures
        ]
        if len(reports) > 1:  # all at once: the author need not build again
            reports.insert(0, f"{len(reports)} notebooks failed.")
        if reports:
            raise PluginError("\n\n".join(reports))


def start(paths: list[str], config: dict) -> Running:
    """Start executing the notebooks of `paths` that are not cached yet.

    This process is free until `Running.finish`: the workers are forked
    from the warm server, not from it.
    """
    todo = _todo(paths, config)
    if not todo:
        return Running(None, [], [])
    workers = min(len(todo), os.cpu_count() or 1)
    options = {k: config[k] for k in _OPTIONS}
    warm = not kernels.cold()
    if warm:
        # one notebook per worker, each forked afresh from the warm server
        pool = ProcessPoolExecutor(
            workers,
            mp_context=kernels.server(_libraries([path for path, _ in todo])),
            max_tasks_per_child=1,
        )
    elif "fork" in get_all_start_methods():
        # the workers inherit this process's imports, hooks included; the
        # kernels start as new interpreters
        pool = ProcessPoolExecutor(workers, mp_context=get_context("fork"))
    else:
        return Running(None, [], [])  # no cheap way to start workers
    log.info("executing %d notebooks in %d processes", len(todo), workers)
    for notebook, _ in todo:
        # (the workers' own log goes nowhere: they are not MkDocs's children)
        log.info("executing %s", _relative(notebook))
    futures = [
        pool.submit(
            _execute,
            notebook,
            cache_path,
            options,
            config["toc_depth"],
            warm,
            dict(os.environ),
        )
        for notebook, cache_path in todo
    ]
    return Running(pool, todo, futures)


def prerun(paths: list[str], config: dict) -> None:
    """Fill the notebook cache for `paths` that are not cached yet."""
    start(paths, config).finish()


def _relative(path: str) -> str:
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path


def _plain(error: BaseException) -> str:
    # nbclient's message carries the kernel's coloured traceback
    return _ANSI.sub("", str(error)).strip()


def _execute(
    path: str,
    cache_path: str,
    options: dict,
    toc_depth: int,
    warm: bool,
    environ: dict,
) -> None:
    """Convert the notebook at `path` into the plugin's cache.

    If `warm`, this worker is forked from the warm server, and the kernel
    from this worker (`kernels.KernelManager`). `environ` is the build's.
    """
    from mkdocs_jupyter import nbconvert2, plugin

    if warm:
        kernels.join_build(environ)
    else:  # forked from MkDocs
        kernels.end_with_parent()
    running: list = []  # the cell the kernel runs, once it runs one
    _configure(nbconvert2, warm, running)
    for attempt in (1, 2):
        try:
            body = nbconvert2.nb2html(path, execute=True, **options)
            break
        except Exception as error:
            if not _kernel_failed(error, running):
                raise
            if running or attempt == 2:
                raise RuntimeError(_kernel_failure(error, running)) from None
            # the kernel never started: most likely Jupyter's race for free
            # ports between kernels starting at once; a second one starts
            # as Jupyter starts it
    toc_tokens, title = plugin._get_nb_toc_tokens(path, toc_depth)
    target = Path(cache_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    partial.write_text(
        json.dumps({"content": body, "toc_tokens": toc_tokens, "title": title}),
        encoding="utf-8",
    )
    partial.replace(target)


def _configure(nbconvert2, warm: bool, running: list) -> None:
    """Make the plugin's conversion note in `running` each cell it runs, and,
    if `warm`, start a kernel forked from this worker.

    In this worker only: it converts one notebook and exits.
    """
    if warm:
        kernels.fork_kernel()
    make_app = nbconvert2.get_nbconvert_app

    def note(cell, cell_index, **_) -> None:
        running[:] = [cell_index, cell.source]

    def get_nbconvert_app(*args, **kwargs):
        app = make_app(*args, **kwargs)
        # (the plugin makes this section a plain dict)
        section = app.config.ExecutePreprocessor
        section["on_cell_execute"] = note
        if warm:
            section["kernel_manager_class"] = kernels.KernelManager
        return app

    nbconvert2.get_nbconvert_app = get_nbconvert_app


def _cell_failed(error: BaseException) -> bool:
    """Whether `error` is a cell's own, which nbclient reports with the cell."""
    from nbclient.exceptions import CellExecutionError

    return isinstance(error, CellExecutionError)


def _kernel_failed(error: BaseException, running: list) -> bool:
    """Whether `error` is the kernel's failing to start (before it `running`
    any cell) or its dying while it ran one."""
    import zmq
    from nbclient.exceptions import DeadKernelError

    if running:
        return isinstance(error, DeadKernelError)
    return isinstance(error, (RuntimeError, OSError, zmq.ZMQError))


def _kernel_failure(error: BaseException, running: list) -> str:
    if not running:
        return f"its kernel did not start: {_plain(error)}"
    index, source = running
    return (
        f"its kernel stopped while it ran cell {index + 1} (counting Markdown "
        f"cells):\n------------------\n{source}\n------------------\n"
        f"{_plain(error)}"
    )
