"""Helpers for notebook pages: figures in both themes, source code, tables.

They return IPython display objects, so a notebook cell stays one line.
"""

from __future__ import annotations

import base64
import hashlib
import html
import inspect
from collections.abc import Callable, Sequence
from pathlib import Path

from .plots import render

__all__ = [
    "Figure",
    "Prose",
    "Source",
    "Table",
    "display",
    "prose",
    "show_figure",
    "show_source",
    "show_table",
]


class Figure:
    """A figure in light and dark variants, with alt text, for notebook output.

    Rendered as two `<img>` elements; the site's stylesheet shows the one
    that matches the reader's colour scheme.
    """

    def __init__(self, svgs: dict[str, bytes], alt: str):
        if not alt.strip():
            raise ValueError("a figure needs alt text that says what it shows")
        self.svgs = svgs
        self.alt = alt

    def _repr_html_(self) -> str:
        alt = html.escape(self.alt, quote=True)
        images = []
        for theme, svg in self.svgs.items():
            data = base64.b64encode(svg).decode("ascii")
            images.append(
                f'<img class="figure-{theme}" alt="{alt}" '
                f'src="data:image/svg+xml;base64,{data}">'
            )
        return '<figure class="tutorial-figure">' + "".join(images) + "</figure>"

    def __repr__(self) -> str:
        return f"<figure: {self.alt}>"


def show_figure(draw: Callable, *args, alt: str, **kwargs) -> Figure:
    """Draw `draw(*args, **kwargs)` in both themes, to display in a notebook."""
    return Figure(render(draw, *args, **kwargs), alt)


class Source:
    """The source of a package object, shown as a highlighted code block."""

    def __init__(self, obj: object):
        self.code = inspect.getsource(obj)

    def _repr_markdown_(self) -> str:
        return f"```python\n{self.code.rstrip()}\n```"

    def __repr__(self) -> str:
        return self.code


def show_source(obj: object) -> Source:
    """Display the source of `obj` (a function or class of the package)."""
    return Source(obj)


class Table:
    """A small table, rendered as Markdown in notebooks and as text elsewhere.

    Examples:
        >>> print(repr(Table(["a", "b"], [[1, "x"]])))
        a  b
        1  x
    """

    def __init__(self, header: Sequence[str], rows: Sequence[Sequence[object]]):
        self.header = [str(h) for h in header]
        self.rows = [[str(c) for c in row] for row in rows]

    def _repr_markdown_(self) -> str:
        lines = ["| " + " | ".join(self.header) + " |"]
        lines.append(
            "|"
            + "|".join("---:" if i else "---" for i in range(len(self.header)))
            + "|"
        )
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        return "\n".join(lines)

    def __repr__(self) -> str:
        widths = [
            max(len(r[i]) for r in [self.header, *self.rows])
            for i in range(len(self.header))
        ]
        lines = [
            "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
            for row in [self.header, *self.rows]
        ]
        return "\n".join(lines)


def show_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> Table:
    """Display a table of already-formatted values."""
    return Table(header, rows)


class Prose:
    """A sentence of Markdown built from computed values.

    Notebook pages hide the input of such cells, so the reader sees prose
    whose numbers were computed by the cell above it.
    """

    def __init__(self, text: str):
        self.text = text

    def _repr_markdown_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text


def prose(text: str) -> Prose:
    """Display `text` as Markdown prose (use in a cell tagged `hide-input`)."""
    return Prose(text)


def display(obj: object) -> None:
    """Show `obj` as a notebook would show a cell's last value.

    Inside Jupyter this is IPython's `display`. In a plain Python script,
    such as a page downloaded as `.py`, tables, prose and source are printed
    as text, and figures are saved as SVG files in the current folder.
    """
    if obj is None:
        return
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with the notebooks
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        from IPython.display import display as ipython_display

        ipython_display(obj)
    elif isinstance(obj, Figure):
        for theme, svg in obj.svgs.items():
            name = f"figure-{hashlib.sha256(svg).hexdigest()[:8]}-{theme}.svg"
            Path(name).write_bytes(svg)
        print(f"[figure saved as {name}: {obj.alt}]")
    else:
        print(repr(obj))
