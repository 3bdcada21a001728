"""Which files of the package some code imports: what its output depends on.

A notebook is re-executed, and the site's figures are redrawn, when their
own source changes, or when one of the package modules they import
changes, directly or through other modules, or when the installed packages
do; an edit anywhere else in the package reuses them. Imports are read with
`ast`, everywhere in a file (inside functions too), with the parent
packages of every module imported (Python runs their `__init__.py` first).
Code that imports modules by name at run time (`importlib` and its
submodules, `runpy`, `__import__`), in the notebook or in a package module
it imports, could reach any module, so it makes the whole package a
dependency.

    >>> files = modules_imported("from activation_tutorial import facts")
    >>> sorted(path.name for path in files)
    ['__init__.py', 'activations.py', 'facts.py', 'model.py']
"""

from __future__ import annotations

import ast
import functools
import hashlib
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = "activation_tutorial"


def _dynamic(names) -> bool:
    """Whether code that imports `names` may import modules by name at run time."""
    return any(
        name == "__import__" or name.split(".")[0] in ("importlib", "runpy")
        for name in names
    )


def _module_file(name: str, src: Path) -> Path | None:
    base = src.joinpath(*name.split("."))
    for path in (base / "__init__.py", base.with_suffix(".py")):
        if path.is_file():
            return path
    return None


class _Parsed:
    """The names each parsed text imports, by the text (see `remember_parses`)."""

    def __init__(self) -> None:
        self._values: dict[str, frozenset[str]] = {}

    def get(self, key: str) -> frozenset[str] | None:
        return self._values.get(key)

    def put(self, key: str, value: frozenset[str]) -> None:
        self._values[key] = value


_parsed = _Parsed()
# what reads the imports is part of each key: an edited reader reads anew
_READER = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def remember_parses(store) -> None:
    """Keep what `_imports` reads in `store` (any object with `get` and `put`).

    This module is imported afresh for every build; `hooks/build.py` hands
    in a memo that `mkdocs serve` keeps from one rebuild to the next, so an
    unchanged file is not parsed again (0.1 s of a rebuild otherwise).
    """
    global _parsed
    _parsed = store


def _imports(source: str, module: str, is_package: bool) -> frozenset[str]:
    """Every module name `source` may import, absolute, with what `from` names.

    Remembered by the text and where it lies: each file is parsed once,
    however many notebooks import it.
    """
    key = hashlib.sha256(
        f"{_READER} {module} {is_package}\n{source}".encode()
    ).hexdigest()
    known = _parsed.get(key)
    if known is None:
        known = _read_imports(source, module, is_package)
        _parsed.put(key, known)
    return known


def _read_imports(source: str, module: str, is_package: bool) -> frozenset[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the module's own package
                parts = module.split(".")
                keep = len(parts) - node.level + (1 if is_package else 0)
                base = ".".join(parts[:keep])
                source = f"{base}.{node.module}" if node.module else base
            else:
                source = node.module or ""
            names.add(source)
            # `from package import name` may import the submodule `name`
            names.update(f"{source}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Name) and node.id == "__import__":
            names.add("__import__")
    return frozenset(names)


def _walk(source: str, src: Path) -> tuple[dict[str, Path], set[str], bool]:
    """The package modules `source` imports, by name, with their files; every
    name imported on the way, inside the package or not; and whether any of
    that code may import modules by name at run time."""
    todo = list(_imports(source, "__main__", is_package=False))
    names = set(todo)
    files: dict[str, Path] = {}
    dynamic = _dynamic(todo)
    while todo:
        name = todo.pop()
        if name.split(".")[0] != PACKAGE:
            continue
        parts = name.split(".")
        for end in range(1, len(parts) + 1):
            module = ".".join(parts[:end])
            path = _module_file(module, src)
            if path is None or module in files:
                continue
            files[module] = path
            found = _imports(
                path.read_text(encoding="utf-8"),
                module,
                is_package=path.name == "__init__.py",
            )
            dynamic = dynamic or _dynamic(found)
            names.update(found)
            todo.extend(found)
    return files, names, dynamic


def modules_imported(source: str, src: Path = SRC) -> list[Path]:
    """The package's files that running `source` imports, sorted.

    `source` is a notebook's text (a jupytext percent script is plain
    Python). Names outside the package are ignored.
    """
    try:
        files, _, dynamic = _walk(source, src)
    except (SyntaxError, ValueError):
        # not Python as it stands: a cell with an IPython magic, which the
        # kernel runs, or a mistake, which the kernel reports naming the
        # cell. Either way any module may be imported
        dynamic = True
    if dynamic:
        return sorted((src / PACKAGE).rglob("*.py"))
    return sorted(files.values())


def libraries_imported(source: str, src: Path = SRC) -> frozenset[str]:
    """The top-level names of the modules outside the package that running
    `source` imports, itself or through the package's modules.

        >>> "torch" in libraries_imported("from activation_tutorial import facts")
        True
    """
    _, names, _ = _walk(source, src)
    return frozenset(
        name.split(".")[0]
        for name in names
        if name and name.split(".")[0] != PACKAGE and name != "__import__"
    )


@functools.cache
def _environment() -> str:
    """The installed distributions, with their versions, as their folders say.

    The names of the `*.dist-info` folders on `sys.path` (`torch-2.13.0...`):
    a listing, where reading every distribution's metadata takes 0.1 s.
    """
    found = []
    for entry in sys.path:
        folder = Path(entry or ".")
        if folder.is_dir():
            found += [p.name for p in folder.iterdir() if p.suffix == ".dist-info"]
    return "\n".join(sorted(found))


def fingerprint(code: str | Path, src: Path = SRC) -> str:
    """A hash of what the output of the file `code` depends on besides its text.

    The package files it imports (names and contents) and the installed
    distributions.
    """
    digest = hashlib.sha256(_environment().encode())
    for path in modules_imported(Path(code).read_text(encoding="utf-8"), src):
        digest.update(path.relative_to(src).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
