"""The strict build succeeds, and a notebook cell that raises makes it fail."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import codeblocks as cb

ROOT = cb.ROOT
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
def test_a_raising_notebook_cell_fails_the_build_with_the_site_hooks(tmp_path):
    # the site's hooks run the notebooks first (hooks/prerun.py), and must
    # name the page's source and the cell
    shutil.copytree(
        ROOT / "hooks", tmp_path / "hooks", ignore=shutil.ignore_patterns("__pycache__")
    )
    (tmp_path / "node_modules").symlink_to(ROOT / "node_modules")
    config = cb.small_site(
        tmp_path,
        {
            "notebooks/broken.py": cb.notebook(
                "# %% [markdown]\n# # Broken",
                'print("the first cell runs")',
                'raise ValueError("this cell is broken on purpose")',
            )
        },
        jupyter=True,
        hooks=(),
    )
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["hooks"] = [str(tmp_path / h) for h in cb.mkdocs_config()["hooks"]]
    config.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

    proc = cb.build(config)
    out = ANSI.sub("", proc.stdout + proc.stderr)
    assert proc.returncode != 0
    assert "docs/notebooks/broken.py: a cell failed while it ran" in out
    assert 'raise ValueError("this cell is broken on purpose")' in out
    assert "In[2]" in out
    assert not (tmp_path / "site" / "notebooks" / "broken" / "index.html").exists()
