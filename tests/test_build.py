"""The strict build succeeds, and a notebook cell that raises makes it fail."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import codeblocks as cb

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _nav_pages(nav) -> list[str]:
    pages = []
    for entry in nav:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        if isinstance(value, list):
            pages += _nav_pages(value)
        elif isinstance(value, str) and "://" not in value:
            pages.append(value)
    return pages


def test_strict_build_builds_every_nav_page(site_dir):
    config = cb.mkdocs_config()
    assert config.get("strict") is True
    pages = _nav_pages(config["nav"])
    assert pages
    for page in pages:
        assert (site_dir / cb.page_uri(page)).is_file(), page
    assert (site_dir / "404.html").is_file()
    assert (site_dir / "sitemap.xml").is_file()


def test_the_build_writes_nothing_into_the_folders_mkdocs_serve_watches(site_build):
    # docs/, src/, hooks/, ... : a file written there would start another
    # build under `mkdocs serve`, which would write it again
    assert site_build["written_into_watched_folders"] == []


def test_notebook_pages_are_executed_by_the_build(site_dir):
    notebooks = [p for p in cb.source_pages() if p.startswith("notebooks/")]
    assert notebooks
    for source in notebooks:
        html = (site_dir / cb.page_uri(source)).read_text(encoding="utf-8")
        code_cells = html.count("jp-InputArea jp-Cell-inputArea")
        outputs = html.count("jp-OutputArea-output")
        assert code_cells, f"{source} shows no code cells"
        assert outputs, f"{source} shows no output: was it executed?"


@pytest.mark.slow
def test_a_raising_notebook_cell_fails_the_build_of_a_project_copy(tmp_path):
    config = cb.project_copy(tmp_path)
    # the other notebooks become one quick cell each: the copy keeps every page,
    # hook and setting, without spending a minute training
    for other in (tmp_path / "docs" / "notebooks").glob("*.py"):
        other.write_text(cb.notebook("# %% [markdown]\n# # Placeholder", "1 + 1"))
    broken = tmp_path / "docs" / "notebooks" / "aaa_broken.py"
    broken.write_text(
        cb.notebook(
            "# %% [markdown]\n# # Broken",
            'print("the first cell runs")',
            'raise ValueError("this cell is broken on purpose")',
        ),
        encoding="utf-8",
    )
    text = config.read_text(encoding="utf-8")
    assert "\nnav:\n" in text
    config.write_text(
        text.replace("\nnav:\n", "\nnav:\n  - Broken: notebooks/aaa_broken.py\n", 1),
        encoding="utf-8",
    )

    proc = cb.build(config)
    out = ANSI.sub("", proc.stdout + proc.stderr)
    assert proc.returncode != 0
    # hooks/prerun.py runs the notebooks first and names the page's source
    assert "docs/notebooks/aaa_broken.py: a cell failed while it ran" in out
    assert 'raise ValueError("this cell is broken on purpose")' in out
    assert "In[2]" in out
    assert not (tmp_path / "site" / "notebooks" / "aaa_broken" / "index.html").exists()
