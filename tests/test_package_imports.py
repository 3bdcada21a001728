"""The package files a notebook depends on, as `hooks/package_imports.py` reads them.

A file missing from a notebook's list would leave its cached output stale
after an edit; a file wrongly on it only costs a re-execution.
"""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
import package_imports as ni  # noqa: E402


@pytest.fixture
def src(tmp_path: Path) -> Path:
    """A small package `activation_tutorial` in `tmp_path/src`."""
    files = {
        "__init__.py": "from .core import run\n",
        "core.py": "from . import helpers\n\ndef run():\n    return helpers.x\n",
        "helpers.py": "x = 1\n",
        "figures.py": (
            "def draw():\n"
            "    from .styles import colour  # imported only when called\n"
            "    return colour\n"
        ),
        "styles.py": "colour = 'red'\n",
        "lonely.py": "import os\n",
        "sub/__init__.py": "from ..helpers import x\n",
        "sub/deep.py": "from .. import styles\n",
    }
    package = tmp_path / "src" / "activation_tutorial"
    for name, text in files.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text, encoding="utf-8")
    return tmp_path / "src"


def names(src: Path, source: str) -> list[str]:
    files = ni.modules_imported(textwrap.dedent(source), src)
    return [p.relative_to(src / "activation_tutorial").as_posix() for p in files]


def test_the_package_init_and_what_it_imports_come_with_any_import(src):
    assert names(src, "from activation_tutorial.helpers import x") == [
        "__init__.py",
        "core.py",
        "helpers.py",
    ]


def test_imports_inside_functions_count(src):
    assert "styles.py" in names(src, "from activation_tutorial import figures")


def test_relative_imports_of_subpackages_resolve(src):
    found = names(src, "import activation_tutorial.sub.deep")
    assert {"sub/__init__.py", "sub/deep.py", "styles.py", "helpers.py"} <= set(found)
    assert "lonely.py" not in found and "figures.py" not in found


def test_imports_outside_the_package_and_missing_modules_are_ignored(src):
    source = """
        import torch
        from activation_tutorial import not_there
        print("no package module needed")
    """
    assert names(src, source) == ["__init__.py", "core.py", "helpers.py"]
    assert names(src, "import math\n") == []


@pytest.mark.parametrize(
    "line",
    [
        "import importlib",
        "import importlib.util",
        "from importlib import import_module",
        "import runpy",
        "x = __import__('os')",
    ],
)
def test_a_module_importing_by_name_makes_the_whole_package_a_dependency(src, line):
    helpers = src / "activation_tutorial" / "helpers.py"
    helpers.write_text(f"{line}\nx = 1\n")
    assert "lonely.py" in names(src, "import activation_tutorial")


def test_a_notebook_importing_by_name_depends_on_the_whole_package(src):
    source = """
        import importlib
        importlib.import_module("activation_tutorial.lonely")
    """
    assert "lonely.py" in names(src, source)


def test_code_that_is_not_python_depends_on_every_module(src):
    # an IPython magic in a cell, or a mistake the kernel will report: the
    # build must go on to run it, and its output follows any edit
    everything = sorted(
        p.relative_to(src / "activation_tutorial").as_posix()
        for p in (src / "activation_tutorial").rglob("*.py")
    )
    assert names(src, "%time x = 1\nimport os") == everything
    assert names(src, "def broken(:\n    pass") == everything
    (src / "activation_tutorial" / "helpers.py").write_text("x = (\n")
    assert names(src, "from activation_tutorial import core") == everything


def test_the_fingerprint_follows_imported_files_only(src, tmp_path):
    notebook = tmp_path / "lesson.py"
    notebook.write_text("# %%\nfrom activation_tutorial import figures\n")
    before = ni.fingerprint(notebook, src)
    (src / "activation_tutorial" / "lonely.py").write_text("import sys\n")
    assert ni.fingerprint(notebook, src) == before
    (src / "activation_tutorial" / "styles.py").write_text("colour = 'blue'\n")
    assert ni.fingerprint(notebook, src) != before


def test_each_site_notebook_depends_on_every_module_it_names():
    # the site's notebooks, where a missed dependency would show
    package = ROOT / "src" / "activation_tutorial"
    for notebook in sorted((ROOT / "docs" / "notebooks").glob("*.py")):
        source = notebook.read_text(encoding="utf-8")
        named = set(re.findall(r"from activation_tutorial\.(\w+) import", source))
        assert named, notebook
        files = ni.modules_imported(source)
        assert {package / f"{name}.py" for name in named} <= set(files), notebook
        assert package / "__init__.py" in files


def test_a_remembered_parse_is_keyed_on_the_text(src):
    # hooks/build.py keeps the parses from one `mkdocs serve` rebuild to the
    # next: an edited file must be read again, an unchanged one need not be
    class Store(dict):
        def put(self, key, value):
            self[key] = value

    store = Store()
    ni.remember_parses(store)
    try:
        assert names(src, "from activation_tutorial import helpers") == [
            "__init__.py",
            "core.py",
            "helpers.py",
        ]
        parsed = len(store)
        assert parsed == 4  # the notebook, __init__, core and helpers
        assert names(src, "from activation_tutorial import helpers")
        assert len(store) == parsed  # nothing parsed again

        (src / "activation_tutorial" / "helpers.py").write_text(
            "from . import styles\n", encoding="utf-8"
        )
        assert "styles.py" in names(src, "from activation_tutorial import helpers")
        assert len(store) == parsed + 2  # helpers again, and styles

        # an edited reader (this module, imported afresh for each build)
        # reads every file again
        reader = ni._READER
        ni._READER = "an edited reader"
        try:
            names(src, "from activation_tutorial import helpers")
        finally:
            ni._READER = reader
        assert len(store) == parsed + 2 + 5  # all five files, read anew
    finally:
        ni.remember_parses(ni._Parsed())
