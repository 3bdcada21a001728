"""A build's snapshot of its sources (`hooks/sources.py`) sees every edit."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
import sources  # noqa: E402


def _later(path: Path) -> None:
    # a write a moment later, whatever the clock's resolution
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))


def test_an_edit_undone_still_counts(tmp_path):
    module = tmp_path / "src" / "plots.py"
    module.parent.mkdir()
    module.write_text("colour = 'red'\n")
    snapshot = sources.Snapshot([tmp_path / "src"])
    module.write_text("colour = 'blue'\n")  # read by a kernel, perhaps
    module.write_text("colour = 'red'\n")  # then undone
    _later(module)
    assert snapshot.changed() == [str(module)]


def test_files_added_and_removed_count_and_bytecode_does_not(tmp_path):
    (tmp_path / "a.py").write_text("a = 1\n")
    snapshot = sources.Snapshot([tmp_path])
    (tmp_path / "a.py").unlink()
    (tmp_path / "b.py").write_text("b = 1\n")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "b.pyc").write_bytes(b"")
    assert snapshot.changed() == [str(tmp_path / "a.py"), str(tmp_path / "b.py")]


def test_written_during_lists_only_what_came_after(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    old = cache / "old.json"
    old.write_text("{}")
    os.utime(old, ns=(0, 0))
    snapshot = sources.Snapshot([tmp_path / "src"])
    new = cache / "new.json"
    new.write_text("{}")
    assert snapshot.written_during(cache) == [new]
    assert snapshot.written_during(tmp_path / "missing") == []


def test_the_examples_in_the_helpers_docstrings_run():
    # hooks/ is not collected by pytest (its hook files act on import)
    import doctest

    import package_imports

    for module in (sources, package_imports):
        result = doctest.testmod(module)
        assert result.attempted and not result.failed, module.__name__
