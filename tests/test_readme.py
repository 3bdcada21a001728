"""The README's statements about the site are checked against the site."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import codeblocks as cb

README = Path(__file__).resolve().parent.parent / "README.md"

STATED = re.compile(
    r"At this commit the site shows (\d+) code blocks, (\d+) of them Python;\s+"
    r"(\d+) run in CI and (\d+) (?:is|are) skipped"
)


@pytest.mark.slow
def test_readme_states_the_code_block_counts_of_the_built_site(site_dir):
    match = STATED.search(" ".join(README.read_text(encoding="utf-8").split()))
    assert match, "README.md no longer states the code-block counts"
    stated = tuple(int(g) for g in match.groups())
    c = cb.counts(cb.site_blocks(site_dir))
    actual = (c["code_blocks"], c["python_blocks"], c["run"], c["skipped"])
    assert stated == actual, (
        f"README.md states {stated} (blocks, Python, run, skipped); "
        f"the built site has {actual}: update the README"
    )
