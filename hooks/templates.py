"""Jinja templates compiled once and kept on disk, for the theme and the API pages.

MkDocs and mkdocstrings make new Jinja environments for every build, so
`mkdocs serve` would compile every template again on every rebuild (about
a third of a second here). Jinja's own bytecode cache keeps the compiled
code in `.cache/jinja`, outside the folders `mkdocs serve` watches.
"""

from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path

import jinja2

CACHE = Path(__file__).resolve().parent.parent / ".cache" / "jinja"
# the packages whose versions decide how their environments are set up
_PACKAGES = (
    "jinja2",
    "mkdocs",
    "mkdocs-material",
    "mkdocstrings",
    "mkdocstrings-python",
)


def keep_compiled(env: jinja2.Environment) -> None:
    """Give `env` a bytecode cache on disk, before it loads any template.

    Jinja recompiles a template whose source changed (it stores a checksum
    of the source); the folder is named after what else decides the
    compiled code: the packages' versions and the environment's options.
    """
    parts = [metadata.version(name) for name in _PACKAGES]
    parts += [repr(env.autoescape), *sorted(env.extensions)]
    folder = CACHE / hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]
    folder.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
