"""Sections for the summary at the end of a test run.

Fixtures add what they measured (the browser survey's timings, the code
block counts) with `add`. Under pytest-xdist they run in worker processes
while the controller prints the summary: the root conftest hands each
worker's sections over to it.
"""

from __future__ import annotations

SECTIONS: dict[str, list[str]] = {}


def add(title: str, lines: list[str]) -> None:
    """Print `lines` under `title` at the end of the run (replacing any earlier)."""
    SECTIONS[title] = list(lines)
