"""Shared fixtures: the repository's paths and one strict build of the site."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# the same one-thread setting as `make test` and the build (see Makefile),
# also when pytest is run directly: set before torch is first imported
os.environ.setdefault("OMP_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def build_site(
    dest: Path, config: Path = ROOT / "mkdocs.yml"
) -> subprocess.CompletedProcess:
    """Run `mkdocs build --strict` into `dest`; return the finished process."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-f",
            str(config),
            "-d",
            str(dest),
        ],
        cwd=config.parent,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    """The site, built once per test session with `--strict`.

    Set SITE_DIR to reuse a site that is already built (e.g. while working
    on the browser tests).
    """
    if os.environ.get("SITE_DIR"):
        return Path(os.environ["SITE_DIR"])
    dest = tmp_path_factory.mktemp("site")
    result = build_site(dest)
    assert result.returncode == 0, f"strict build failed:\n{result.stderr[-4000:]}"
    return dest
