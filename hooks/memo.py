"""A memo for `mkdocs serve`'s rebuilds, which forgets what a build did not use.

The hooks keep work from one rebuild to the next in memory, each under a
key made of everything the work depends on. Keys that a build did not ask
for are dropped when it ends, so a memo holds one build's worth at most.
"""

from __future__ import annotations

import hashlib


def key(*parts: object) -> str:
    """A key for `parts` (anything with a faithful `repr`)."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()


class Memo:
    """Values by key, kept from one build to the next if the build used them.

    Examples:
        >>> memo = Memo()
        >>> memo.put("a", 1)
        >>> memo.end_build()
        >>> memo.get("a"), memo.get("b")
        (1, None)
        >>> memo.end_build()  # "a" was used by the build that ended
        >>> memo.end_build()  # not by this one
        >>> memo.get("a") is None
        True
    """

    def __init__(self) -> None:
        self._values: dict[str, object] = {}
        self._used: set[str] = set()

    def get(self, key: str):
        """The value under `key`, or None."""
        self._used.add(key)
        return self._values.get(key)

    def put(self, key: str, value: object) -> None:
        """Keep `value` under `key`."""
        self._used.add(key)
        self._values[key] = value

    def end_build(self) -> None:
        """Forget what the build that ends did not get or put."""
        self._values = {k: v for k, v in self._values.items() if k in self._used}
        self._used = set()
