"""The notebook pages' downloads: a valid `.ipynb` and a script that runs."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "docs" / "notebooks").glob("*.py"))
sys.path.insert(0, str(ROOT / "hooks"))
from scripts import script_of  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import warm  # noqa: E402


def test_script_of_displays_each_cells_last_value():
    source = (
        "# %% [markdown]\n# text\n\n"
        "# %%\nx = 1\nx, x\n\n"
        "# %%\nprint(x)\n\n"
        "# %%\nf(\n    x,\n)\n"
    )
    script = script_of(source)
    assert "from activation_tutorial.display import display" in script
    assert "display((x, x))" in script
    assert "print(x)\n" in script and "display(print" not in script
    assert "display(f(\n    x,\n))" in script
    compile(script, "<script>", "exec")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_downloads_exist_and_are_valid(site_dir, notebook):
    ipynb = site_dir / "downloads" / f"{notebook.stem}.ipynb"
    script = site_dir / "downloads" / f"{notebook.stem}.py"
    nb = nbformat.read(ipynb, as_version=4)
    nbformat.validate(nb)
    source = notebook.read_text(encoding="utf-8")
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.source in source
    compile(script.read_text(encoding="utf-8"), str(script), "exec")
    page = site_dir / "notebooks" / notebook.stem / "index.html"
    html = page.read_text(encoding="utf-8")
    assert f"downloads/{notebook.stem}.ipynb" in html
    assert f"downloads/{notebook.stem}.py" in html


@pytest.mark.slow
def test_a_downloaded_script_runs_and_shows_its_results(site_dir, tmp_path):
    script = site_dir / "downloads" / "pytorch_example.py"
    # as a reader runs it: `python pytorch_example.py` (forked from the warm
    # interpreter, see warm.py), in a folder of its own
    proc = warm.run(
        [str(script)], cwd=tmp_path, env={**os.environ, "OMP_NUM_THREADS": "1"}
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "parameters: 621" in proc.stdout
    assert "[figure saved as" in proc.stdout
    assert list(tmp_path.glob("figure-*-light.svg"))
