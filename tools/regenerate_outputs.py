"""Rewrite the printed output that Markdown pages show under their code blocks.

Most output on the site is produced while it builds (notebook cells, and the
macros of pages such as the activation gallery), so it never goes stale.
Output written into a Markdown source by hand is the exception: a Python
block followed by a paragraph that says just `prints` (or by
`<!-- pytest-codeblocks:expected-output -->`) and then a fence. The tests
compare that fence with what the block prints; when the code changes on
purpose, this command runs each such block and writes what it prints into
the fence:

    .venv/bin/python tools/regenerate_outputs.py            # rewrite
    .venv/bin/python tools/regenerate_outputs.py --check    # only report

Blocks run as the tests run them: alone unless marked
`<!-- pytest-codeblocks:cont -->`, with snippets expanded as the site
expands them, as `__main__`.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
import codeblocks as cb  # noqa: E402

FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


def fences(lines: list[str]) -> list[dict]:
    """Every fenced block: where it starts and ends, its info string, its code."""
    out, i = [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        close = re.compile(rf"^\s*{re.escape(m['fence'][0])}{{{len(m['fence'])},}}\s*$")
        j = i + 1
        while j < len(lines) and not close.match(lines[j]):
            j += 1
        indent = len(m["indent"])
        code = "".join(
            line[indent:] if line[:indent].isspace() else line.lstrip()
            for line in lines[i + 1 : j]
        )
        out.append(
            {"start": i, "end": j, "info": m["info"], "code": code, "indent": indent}
        )
        i = j + 1
    return out


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _between(lines: list[str], a: int, b: int) -> list[str]:
    return [line.strip() for line in lines[a:b] if line.strip()]


def regenerate(path: Path, check: bool) -> list[str]:
    """Rewrite (or with `check`, only compare) the shown output of `path`."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    blocks = fences(lines)

    # chains of Python blocks that share a namespace, each with its output fence
    groups: list[list[tuple[dict, dict | None]]] = []
    for k, block in enumerate(blocks):
        if cb.fence_language(block["info"]) not in cb.PYTHON:
            continue
        before = _between(lines, blocks[k - 1]["end"] + 1 if k else 0, block["start"])
        output = None
        if k + 1 < len(blocks):
            marker = _between(lines, block["end"] + 1, blocks[k + 1]["start"])
            if marker in (["prints"], ["prints:"], [f"<!-- {cb.EXPECTED} -->"]):
                output = blocks[k + 1]
        if groups and before[-1:] == [f"<!-- {cb.CONT} -->"]:
            groups[-1].append((block, output))
        else:
            groups.append([(block, output)])

    changed, replacements = [], []
    for group in groups:
        if all(output is None for _, output in group):
            continue
        cb._poison_random_state()
        namespace = {"__name__": "__main__"}
        for block, output in group:
            where = f"{_name(path)}:{block['start'] + 1}"
            with cb._reader_environment(Path.cwd()):
                printed = cb._exec(cb.expand_snippets(block["code"]), namespace, where)
            if output is None or cb.same_output(output["code"], printed):
                continue
            changed.append(f"{_name(path)}:{output['start'] + 1}")
            pad = " " * output["indent"]
            new = [pad + ln if ln.strip() else ln for ln in printed.splitlines(True)]
            replacements.append((output["start"] + 1, output["end"], new))
    if replacements and not check:
        for start, end, new in reversed(replacements):
            lines[start:end] = new
        path.write_text("".join(lines), encoding="utf-8")
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "files",
        nargs="*",
        type=Path,
        help="Markdown files; default: README.md and docs/**/*.md",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="change nothing; exit 1 if some output is stale",
    )
    args = parser.parse_args(argv)
    files = args.files or [p for p in [ROOT / "README.md"] if p.exists()]
    files += [] if args.files else sorted((ROOT / "docs").rglob("*.md"))
    changed = []
    for path in files:
        changed += regenerate(path.resolve(), args.check)
    verb = "stale" if args.check else "rewrote"
    for where in changed:
        print(f"{verb}: {where}")
    print(f"{len(files)} files, {len(changed)} outputs {verb}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
