"""Builds made the way `mkdocs serve` makes them, to test what it keeps.

`mkdocs serve` builds again in the same process after every change: with a
new config each time, but with the hook modules, the plugins that have an
`on_startup` event, every imported module and the caches on disk kept from
the builds before. A cache that goes stale shows only there.

Run as a script, `python tests/serving.py CONFIG SITE_DIR EDITS_JSON` builds
the site, applies the edits, and builds it again into the same folder.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import warm

# an edit: (file relative to the config's folder, text to replace, new text);
# an empty text to replace appends the new text
Edit = tuple[str, str, str]


def build_edit_rebuild(
    config: Path, site: Path, edits: list[Edit], env: dict | None = None
):
    """Build, edit, build again, in one process; return the finished process.

    The process is forked from a warm interpreter (`warm.run`).
    """
    return warm.run(
        [__file__, str(config), str(site), json.dumps(edits)],
        cwd=config.parent,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
    )


def apply(root: Path, edits: list[Edit]) -> None:
    """Make `edits` to the files under `root`."""
    for name, old, new in edits:
        path = root / name
        text = path.read_text(encoding="utf-8")
        if old and old not in text:
            raise SystemExit(f"{name}: {old!r} not found")
        text = text.replace(old, new, 1) if old else text + new
        path.write_text(text, encoding="utf-8")


def main(argv: list[str]) -> int:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config_file, site_dir, edits = Path(argv[0]), argv[1], json.loads(argv[2])
    for first in (True, False):
        if not first:
            apply(config_file.parent, edits)
        # serve also sets site_url to its own address; kept here, so that
        # the pages can be compared with those of `mkdocs build`
        config = load_config(config_file=str(config_file), site_dir=site_dir)
        if first:
            config.plugins.on_startup(command="serve", dirty=False)
        build(config, serve_url="http://127.0.0.1:8000/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
