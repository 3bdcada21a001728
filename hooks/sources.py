"""What a build is made from, as it was when the build began.

A build reads the package, the notebooks and the hooks' helpers (and, under
`mkdocs serve`, the theme overrides, examples and configuration its memos
are keyed on) at different moments: MkDocs and the macros import the
package when the build starts, the notebooks' kernels import it seconds or
a minute later, and the caches are keyed on hashes taken in between. An
edit in that window (an author saving twice, an editor formatting after a
save, an edit undone) would give a page, or worse a cached output, made
from one version and filed under another. So the build notes every file's
size and modification time when it begins (`Snapshot`), and checks before
it writes any page that none changed; if one did, the build is dropped with
what it cached, and `mkdocs serve`, which saw the edit too, builds again.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> (folder / "a.py").write_text("x = 1\\n")
    6
    >>> snapshot = Snapshot([folder])
    >>> snapshot.changed()
    []
    >>> (folder / "b.py").write_text("y = 2\\n")
    6
    >>> snapshot.changed() == [str(folder / "b.py")]
    True
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path


class Snapshot:
    """The size and modification time of every file under `roots`, now."""

    def __init__(self, roots: Iterable[Path]):
        self.roots = [Path(r) for r in roots]
        # files written from this moment on were written during the build
        self.started_ns = time.time_ns()
        self.stats = self._stats()

    def _stats(self) -> dict[str, tuple[int, int]]:
        stats = {}
        for root in self.roots:
            for path in root.rglob("*") if root.is_dir() else [root]:
                if "__pycache__" in path.parts or not path.is_file():
                    continue
                stat = path.stat()
                stats[str(path)] = (stat.st_mtime_ns, stat.st_size)
        return stats

    def changed(self) -> list[str]:
        """The files added, removed or written since the snapshot, sorted.

        A file written back with the same text counts: its time moved, and
        what was read in between may have been another text.
        """
        now = self._stats()
        return sorted(
            path
            for path in now.keys() | self.stats.keys()
            if now.get(path) != self.stats.get(path)
        )

    def written_during(self, folder: Path) -> list[Path]:
        """The files under `folder` written since the snapshot."""
        if not folder.is_dir():
            return []
        return [
            path
            for path in folder.rglob("*")
            if path.is_file() and path.stat().st_mtime_ns >= self.started_ns
        ]
