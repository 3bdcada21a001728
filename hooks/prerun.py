"""Execute notebooks in parallel before MkDocs renders them one by one.

mkdocs-jupyter executes each notebook when it renders its page, one after
another. This fills the plugin's own cache first, with one process per
core, calling the plugin's own conversion with the plugin's own settings;
the plugin then finds every result in its cache. A notebook that fails here
fails the build at once, naming the page and the cell, instead of being
run a second time by the plugin.
"""

from __future__ import annotations

import json
import logging
import os
import re
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path

from mkdocs.exceptions import PluginError

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


def prerun(paths: list[str], config: dict) -> None:
    """Fill the notebook cache for `paths` that are not cached yet."""
    from mkdocs_jupyter import plugin

    if not (config.get("execute") and config.get("cache")):
        return
    todo = []
    for path in paths:
        key = plugin._compute_cache_key(path, config, config["execute"])
        cache_path = plugin._get_cache_path(config["cache_dir"], key)
        if not cache_path.exists():
            todo.append((path, str(cache_path)))
    if not todo or "fork" not in get_all_start_methods():
        return  # nothing to run, or no cheap way to start workers
    workers = min(len(todo), os.cpu_count() or 1)

    options = {k: config[k] for k in _OPTIONS}
    log.info("executing %d notebooks in %d processes", len(todo), workers)
    # fork: the workers inherit this process's imports, hooks included
    with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
        futures = [
            pool.submit(_execute, path, cache_path, options, config["toc_depth"])
            for path, cache_path in todo
        ]
        failures = [
            (path, future.exception())
            for (path, _), future in zip(todo, futures, strict=True)
            if future.exception() is not None
        ]
    if failures:
        path, error = failures[0]
        raise PluginError(
            f"{_relative(path)}: a cell failed while it ran:\n{_plain(error)}"
        )


def _relative(path: str) -> str:
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path


def _plain(error: BaseException) -> str:
    # nbclient's message carries the kernel's coloured traceback
    return _ANSI.sub("", str(error)).strip()


def _execute(path: str, cache_path: str, options: dict, toc_depth: int) -> None:
    from mkdocs_jupyter import plugin
    from mkdocs_jupyter.nbconvert2 import nb2html

    body = nb2html(path, execute=True, **options)
    toc_tokens, title = plugin._get_nb_toc_tokens(path, toc_depth)
    target = Path(cache_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    partial.write_text(
        json.dumps({"content": body, "toc_tokens": toc_tokens, "title": title}),
        encoding="utf-8",
    )
    partial.replace(target)
