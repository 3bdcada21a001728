"""Shared fixtures: the repository's paths and one strict build of the site."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import codeblocks as cb

# the same one-thread setting as `make test` and the build (see Makefile),
# also when pytest is run directly: set before torch is first imported
os.environ.setdefault("OMP_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _build_env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory, request) -> Path:
    """The site, built once per test session with `--strict`.

    As soon as it is built, a second, independent build of a copy of the
    project starts in the background, for the reproducibility test
    (`second_build`): it runs on the other core while the tests go on.
    Set SITE_DIR to reuse a site that is already built (e.g. while working
    on the browser tests); there is no second build then.
    """
    if os.environ.get("SITE_DIR"):
        return Path(os.environ["SITE_DIR"])
    dest = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        cb.build_command(ROOT / "mkdocs.yml", dest),
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=_build_env(),
    )
    assert result.returncode == 0, f"strict build failed:\n{result.stderr[-4000:]}"

    copy = tmp_path_factory.mktemp("copy")
    config = cb.project_copy(copy)
    # the child keeps its own handle on the log; ours closes at once
    with (copy / "build.log").open("w") as log:
        second = subprocess.Popen(
            cb.build_command(config, copy / "second"),
            cwd=copy,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
            env=_build_env(),
            # its own process group, so that stopping it stops its notebook
            # workers and kernels too
            start_new_session=True,
        )
    _SECOND_BUILD.update(process=second, dest=copy / "second", log=copy / "build.log")

    def stop() -> None:
        if second.poll() is None:
            os.killpg(second.pid, signal.SIGKILL)
        second.wait()

    request.addfinalizer(stop)
    return dest


_SECOND_BUILD: dict = {}


@pytest.fixture(scope="session")
def second_build(site_dir) -> Path:
    """The second build started by `site_dir`: waits for it, returns its site."""
    if not _SECOND_BUILD:
        pytest.skip("SITE_DIR is set: there is no second build to compare with")
    returncode = _SECOND_BUILD["process"].wait()
    log = _SECOND_BUILD["log"].read_text(encoding="utf-8")
    assert returncode == 0, f"the second build failed:\n{log[-4000:]}"
    return _SECOND_BUILD["dest"]
