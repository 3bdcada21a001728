"""The examples in the build hooks' docstrings run, as pytest runs those of
the package: pytest cannot collect hooks/ itself, whose modules import each
other by their bare names, as MkDocs loads them."""

import doctest
import importlib
import sys
from pathlib import Path

import pytest

HOOKS = Path(__file__).resolve().parent.parent / "hooks"
WITH_EXAMPLES = sorted(
    path.stem for path in HOOKS.glob("*.py") if ">>> " in path.read_text("utf-8")
)


def test_the_hooks_have_examples_to_run():
    assert len(WITH_EXAMPLES) >= 5, WITH_EXAMPLES


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_the_examples_in_a_hook_module_hold(name, monkeypatch):
    monkeypatch.syspath_prepend(str(HOOKS))
    loaded = name in sys.modules  # by another test file: leave it be
    module = importlib.import_module(name)
    try:
        result = doctest.testmod(
            module,
            optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
            report=False,
        )
    finally:
        if not loaded:
            sys.modules.pop(name, None)
    assert result.attempted > 0
    # (doctest prints each failing example, which pytest shows)
    assert result.failed == 0, f"{result.failed} examples in hooks/{name}.py failed"
