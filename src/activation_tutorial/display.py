"""Helpers for notebook pages: figures in both themes, source code, tables.

They return IPython display objects, so a notebook cell stays one line.
"""

from __future__ import annotations

import base64
import hashlib
import html
import inspect
import re
import struct
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from .plots import render

__all__ = [
    "NARROW_SCREEN",
    "Figure",
    "ImageFile",
    "Prose",
    "Source",
    "Table",
    "data_uri",
    "display",
    "figure_html",
    "picture_html",
    "prose",
    "show_figure",
    "show_source",
    "show_table",
]

# where a figure's narrow layout replaces its wide one: phones, where a wide
# figure would shrink to half its size and its text with it
NARROW_SCREEN = "(max-width: 36em)"


class ImageFile(NamedTuple):
    """One image of a figure: its address, its bytes, and any other frames."""

    src: str
    data: bytes
    frames: Sequence[str] = ()


def picture_html(
    theme: str, alt: str, wide: ImageFile, narrow: ImageFile | None = None
) -> str:
    """One theme's variant of a figure, as a `<picture>`.

    The image is `loading="lazy"`: the browser fetches it only once it is
    displayed, and the stylesheet hides the other theme's, so a reader
    downloads one variant of each figure. On a narrow screen the browser
    takes the `narrow` image instead. Sizes are given, so that the page does
    not move when an image arrives.
    """
    source = ""
    if narrow is not None:
        source = (
            f'<source media="{NARROW_SCREEN}" srcset="{narrow.src}"'
            f"{_size_and_frames(narrow)}>"
        )
    return (
        f"<picture>{source}"
        f'<img class="figure-{theme}" alt="{html.escape(alt, quote=True)}" '
        f'src="{wide.src}"{_size_and_frames(wide)} loading="lazy" decoding="async">'
        "</picture>"
    )


def figure_html(
    alt: str,
    wide: Mapping[str, ImageFile],
    narrow: Mapping[str, ImageFile] | None = None,
) -> str:
    """A `<figure>` with one `picture_html` per theme of `wide` (and `narrow`)."""
    pictures = [
        picture_html(theme, alt, image, narrow[theme] if narrow else None)
        for theme, image in wide.items()
    ]
    return '<figure class="tutorial-figure">' + "".join(pictures) + "</figure>"


def _size_and_frames(image: ImageFile) -> str:
    width, height = _natural_size(image.data)
    frames = f' data-frames="{" ".join(image.frames)}"' if image.frames else ""
    return f' width="{width}" height="{height}"{frames}'


def _natural_size(data: bytes) -> tuple[int, int]:
    """The CSS pixels an SVG (sized in points) or a PNG is shown at, unscaled.

    Examples:
        >>> _natural_size(b'<svg width="72pt" height="36pt">')
        (96, 48)
    """
    if data.startswith(b"\x89PNG"):
        return struct.unpack(">II", data[16:24])
    match = re.search(rb'<svg[^>]*?\swidth="([\d.]+)pt"\s+height="([\d.]+)pt"', data)
    if match is None:
        raise ValueError("not an SVG sized in points, nor a PNG")
    return tuple(round(float(v) * 4 / 3) for v in match.groups())


def data_uri(data: bytes) -> str:
    """`data` (a PNG or an SVG) as a `data:` URI, to inline in HTML."""
    kind = "png" if data.startswith(b"\x89PNG") else "svg+xml"
    return f"data:image/{kind};base64,{base64.b64encode(data).decode('ascii')}"


class Figure:
    """A figure in light and dark variants, with alt text, for notebook output.

    Rendered by `figure_html`: the site's stylesheet shows the variant that
    matches the reader's colour scheme, and phones get the `narrow` layout
    when there is one.
    """

    def __init__(
        self,
        svgs: dict[str, bytes],
        alt: str,
        narrow: dict[str, bytes] | None = None,
    ):
        if not alt.strip():
            raise ValueError("a figure needs alt text that says what it shows")
        self.svgs = svgs
        self.alt = alt
        self.narrow = narrow

    def _repr_html_(self) -> str:
        def files(svgs: dict[str, bytes]) -> dict[str, ImageFile]:
            return {t: ImageFile(data_uri(svg), svg) for t, svg in svgs.items()}

        return figure_html(
            self.alt, files(self.svgs), files(self.narrow) if self.narrow else None
        )

    def __repr__(self) -> str:
        return f"<figure: {self.alt}>"


def show_figure(draw: Callable, *args, alt: str, **kwargs) -> Figure:
    """Draw `draw(*args, **kwargs)` in both themes, to display in a notebook.

    When `draw` takes `narrow`, its narrow layout is drawn too, for phones.
    """
    narrow = None
    if "narrow" in inspect.signature(draw).parameters:
        narrow = render(draw, *args, narrow=True, **kwargs)
    return Figure(render(draw, *args, **kwargs), alt, narrow)


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
