"""A rebuild under `mkdocs serve` gives the site a clean build gives.

`mkdocs serve` rebuilds in one process with warm caches: notebook outputs,
figures, page checks, compiled templates, page dates, and in memory the
API reference's rendered objects, search entries and post-processed pages.
After editing prose (a plain page and a page with macros) and a docstring,
the rebuilt site must equal, file for file, the site a new process builds
from the same sources in another folder without them: the same sources give
the same files.
"""

from __future__ import annotations

import gzip
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import codeblocks as cb
import serving

EDITS = [
    ("docs/analogy.md", "", "\nA sentence added while the site is served.\n"),
    ("docs/activations.md", "", "\nAnother one, on a page with macros.\n"),
    # a docstring of the API reference, in a module no notebook imports
    (
        "src/activation_tutorial/devices.py",
        '"""Choosing where to train',
        '"""Choosing, on a served site, where to train',
    ),
]


def _files(site: Path) -> dict[str, bytes]:
    out = {}
    for path in sorted(site.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".gz":  # the archive's header holds its time
                data = gzip.decompress(data)
            out[path.relative_to(site).as_posix()] = data
    return out


def _project(folder: Path) -> tuple[Path, dict[str, str]]:
    """A copy of the project with the edits made, and the environment to build it.

    It starts from the notebook outputs and figures the session's build left
    (`site_dir`): executing and drawing them again is the work of
    `test_codeblocks.py` and of `test_site.py`.
    """
    folder.mkdir()
    config = cb.project_copy(folder)
    for cache in ("mkdocs-jupyter", "figures"):
        if (cb.ROOT / ".cache" / cache).is_dir():
            shutil.copytree(cb.ROOT / ".cache" / cache, folder / ".cache" / cache)
    return config, {"PYTHONPATH": str(folder / "src")}


@pytest.mark.slow
def test_a_rebuild_after_prose_and_docstring_edits_is_a_clean_build(site_dir, tmp_path):
    # served: built, edited, built again in one process, as mkdocs serve does
    config, env = _project(tmp_path / "project")
    served = tmp_path / "served"
    proc = serving.build_edit_rebuild(config, served, EDITS, env=env)
    assert proc.returncode == 0, proc.stderr[-4000:]
    for name, _, text in EDITS:
        assert text in (tmp_path / "project" / name).read_text(encoding="utf-8")
    page = (served / "analogy" / "index.html").read_text(encoding="utf-8")
    assert "A sentence added" in page
    api = (served / "api" / "figures" / "index.html").read_text(encoding="utf-8")
    assert "Choosing, on a served site, where to train" in api

    # clean: the same sources in another folder, by `mkdocs build`, so that
    # this is also the test that two builds of the same sources are the same
    # files, wherever the project lies
    other, other_env = _project(tmp_path / "elsewhere")
    serving.apply(other.parent, EDITS)
    clean = tmp_path / "clean"
    proc = cb.build(other, clean, env=other_env)
    assert proc.returncode == 0, proc.stderr[-4000:]

    rebuilt, fresh = _files(served), _files(clean)
    assert sorted(rebuilt) == sorted(fresh)
    different = [name for name in fresh if rebuilt[name] != fresh[name]]
    assert not different, f"the rebuild differs from a clean build: {different}"


def test_the_server_polls_every_watched_folder_more_often(tmp_path):
    import importlib.util

    from mkdocs.livereload import LiveReloadServer

    spec = importlib.util.spec_from_file_location(
        "rebuild_memo_under_test", cb.ROOT / "hooks" / "rebuild_memo.py"
    )
    hook = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(cb.ROOT / "hooks"))  # it imports its neighbours
    try:
        spec.loader.exec_module(hook)
    finally:
        sys.path.remove(str(cb.ROOT / "hooks"))
    server = LiveReloadServer(
        builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path)
    )
    for folder in ("docs", "src"):
        (tmp_path / folder).mkdir()
        server.watch(str(tmp_path / folder))
    before = dict(server._watched_paths)
    server = hook.on_serve(server, config=None, builder=None)
    assert server._watched_paths == before
    emitters = list(server.observer.emitters)
    assert len(emitters) == 2
    assert {e.timeout for e in emitters} == {hook.POLL_INTERVAL}
    assert hook.POLL_INTERVAL < 0.5  # MkDocs's own interval
    server.server_close()
