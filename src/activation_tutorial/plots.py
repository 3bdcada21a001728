"""Figures, drawn headless and deterministically, in light and dark variants.

Every function here returns a matplotlib `Figure` for one theme; `to_svg`
turns it into bytes that are identical from build to build.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import contextmanager

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure
from PIL import Image

from .activations import derivative, get, names

__all__ = [
    "NARROW_WIDTH",
    "THEMES",
    "activation_figure",
    "curves_figure",
    "gallery_figure",
    "legend_below",
    "panel_groups",
    "plot_line",
    "render",
    "style_for",
    "themed",
    "to_svg",
]

THEMES = ("light", "dark")

# inches: the width of a figure's narrow layout, for phones. About the width
# of a phone's text column, so that it is shown at its natural size there.
NARROW_WIDTH = 3.5

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
# The last entry is black on light pages and white on dark ones; each
# activation also has its own line style and marker, so colour is never
# the only cue.
_PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442"]
_INK = {"light": "#000000", "dark": "#FFFFFF"}
_LINESTYLES = [
    "-",
    "--",
    "-.",
    ":",
    (0, (5, 1)),
    (0, (3, 1, 1, 1)),
    (0, (1, 1)),
    (0, (8, 2, 2, 2)),
]
_MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
# in dark mode, a lighter blue reads better than Okabe-Ito's dark blue
_DARK_SWAP = {"#0072B2": "#3C9BE0"}

_RC = {
    "light": {"text": "#1f1f1f", "grid": "#d0d0d0", "neutral": "#555555"},
    "dark": {"text": "#e2e2e2", "grid": "#4a4a4a", "neutral": "#b0b0b0"},
}


@contextmanager
def themed(theme: str):
    """Apply the colours and fonts of `theme` ("light" or "dark")."""
    if theme not in THEMES:
        raise ValueError(f"unknown theme {theme!r}; valid themes: {', '.join(THEMES)}")
    colours = _RC[theme]
    rc = {
        "figure.facecolor": "none",
        "axes.facecolor": "none",
        "savefig.facecolor": "none",
        "text.color": colours["text"],
        "axes.labelcolor": colours["text"],
        "axes.edgecolor": colours["neutral"],
        "xtick.color": colours["text"],
        "ytick.color": colours["text"],
        "grid.color": colours["grid"],
        "axes.grid": True,
        "grid.linewidth": 0.6,
        "legend.frameon": False,
        "font.size": 10,
        "font.family": "DejaVu Sans",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "lines.linewidth": 1.8,
        # text stays text (small files, crisp at any zoom), with fixed ids
        "svg.fonttype": "none",
        "svg.hashsalt": "activation-tutorial",
    }
    with plt.rc_context(rc):
        yield


def style_for(name: str, theme: str = "light") -> dict:
    """Colour, line style and marker for registry entry `name`.

    Each activation keeps its style across every figure of the site; the
    identity is always a neutral grey.
    """
    if theme not in THEMES:
        raise ValueError(f"unknown theme {theme!r}; valid themes: {', '.join(THEMES)}")
    if name == "identity":
        return {"color": _RC[theme]["neutral"], "linestyle": (0, (2, 2)), "marker": "x"}
    i = names(include_identity=False).index(name)
    colours = [*_PALETTE, _INK[theme]]
    colour = colours[i % len(colours)]
    if theme == "dark":
        colour = _DARK_SWAP.get(colour, colour)
    # past eight activations the colours and line styles repeat; the marker
    # shifts by one each round, so no two entries share all three
    return {
        "color": colour,
        "linestyle": _LINESTYLES[i % len(_LINESTYLES)],
        "marker": _MARKERS[(i + i // len(_LINESTYLES)) % len(_MARKERS)],
    }


def plot_line(ax, name: str, x, y, theme: str = "light", markevery=None) -> None:
    """Draw one registry entry's line on `ax`, in its own colour, style and marker.

    Every figure that shows one line per activation draws it through here,
    so an activation looks the same on every page.
    """
    style = style_for(name, theme)
    ax.plot(
        x,
        y,
        label=get(name).display_name,
        color=style["color"],
        linestyle=style["linestyle"],
        marker=style["marker"],
        markevery=markevery,
        markersize=4,
    )


def legend_below(fig: Figure, ncols: int = 2) -> None:
    """One legend under the whole of `fig`, listing each line's label once.

    The narrow layouts use it: a phone's panel has no room for a legend
    inside it.
    """
    entries: dict = {}
    for ax in fig.axes:
        for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
            entries.setdefault(label, handle)
    fig.legend(
        list(entries.values()),
        list(entries),
        loc="outside lower center",
        ncols=ncols,
        fontsize=8,
    )


def to_svg(fig: Figure) -> bytes:
    """Serialise `fig` to SVG with no timestamp and stable ids, then close it.

    Parts of the figure drawn rasterised are embedded as palette PNGs.
    """
    buffer = io.BytesIO()
    with plt.rc_context(
        {"svg.fonttype": "none", "svg.hashsalt": "activation-tutorial"}
    ):
        fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    plt.close(fig)
    svg = _EMBEDDED_PNG.sub(
        lambda m: m.group(1) + base64.b64encode(_palette(base64.b64decode(m.group(2)))),
        buffer.getvalue(),
    )
    return _COORDINATES.sub(lambda m: _NUMBER.sub(_hundredths, m.group()), svg)


# matplotlib writes coordinates to a millionth of a point; a hundredth is
# far below a pixel, and saves a tenth of a line chart's bytes
_COORDINATES = re.compile(rb' (?:d|x|y)="[^"]*"')
_NUMBER = re.compile(rb"-?\d+\.\d+")


def _hundredths(match: re.Match) -> bytes:
    text = f"{float(match.group()):.2f}".rstrip("0").rstrip(".")
    return b"0" if text == "-0" else text.encode()


_EMBEDDED_PNG = re.compile(rb"(data:image/png;base64,)\s*([A-Za-z0-9+/=\s]+)")


def _palette(png: bytes, colours: int = 32) -> bytes:
    """`png` with at most `colours` colours (alpha included)."""
    return palette_png(Image.open(io.BytesIO(png)), colours)


def palette_png(image: Image.Image, colours: int = 32) -> bytes:
    """`image` as a PNG of at most `colours` colours (alpha included).

    NOTE: plots are flat shades, lines, markers, text and their anti-aliased
    edges; with 32 colours they look the same and take a third to a quarter
    of the bytes of full RGBA.
    """
    buffer = io.BytesIO()
    image.quantize(colours, method=Image.Quantize.FASTOCTREE).save(
        buffer, format="png", optimize=True
    )
    return buffer.getvalue()


def render(draw: Callable[..., Figure], *args, **kwargs) -> dict[str, bytes]:
    """Draw a figure once per theme; return `{"light": svg, "dark": svg}`."""
    out = {}
    for theme in THEMES:
        with themed(theme):
            out[theme] = to_svg(draw(*args, theme=theme, **kwargs))
    return out


def _grid(low: float = -6.0, high: float = 6.0, points: int = 601) -> torch.Tensor:
    return torch.linspace(low, high, points)


def activation_figure(
    name: str, theme: str = "light", *, narrow: bool = False
) -> Figure:
    """The function (left) and its autograd derivative (right) of one entry.

    Args:
        narrow: the layout for phones: the derivative below the function.
    """
    act = get(name)
    x = _grid()
    y = act(x).detach()
    dy = derivative(name, x)
    style = style_for(name, theme)

    with themed(theme):
        fig, (left, right) = plt.subplots(
            *((2, 1) if narrow else (1, 2)),
            figsize=(NARROW_WIDTH, 5.2) if narrow else (7.2, 2.8),
            layout="constrained",
        )
        left.plot(x, y, color=style["color"], linestyle="-")
        left.set_title(f"{act.display_name}: f(x)")
        right.plot(x, dy, color=style["color"], linestyle="--")
        right.set_title(f"{act.display_name}: derivative f′(x)")
        for ax in (left, right):
            ax.axhline(0, color=_RC[theme]["neutral"], linewidth=0.8)
            ax.axvline(0, color=_RC[theme]["neutral"], linewidth=0.8)
            ax.set_xlabel("x (input to the neuron)")
    return fig


def gallery_figure(
    kind: str = "function", theme: str = "light", *, narrow: bool = False
) -> Figure:
    """Every activation of the registry (identity excluded) on one plot.

    Args:
        kind: "function" for f(x) or "derivative" for f'(x).
        narrow: the layout for phones: the legend below the plot.
    """
    if kind not in ("function", "derivative"):
        raise ValueError(f"unknown kind {kind!r}; valid kinds: function, derivative")
    x = _grid(-5.0, 5.0, 501)
    with themed(theme):
        fig, ax = plt.subplots(
            figsize=(NARROW_WIDTH, 4.6) if narrow else (7.2, 4.2),
            layout="constrained",
        )
        for n in names(include_identity=False):
            y = get(n)(x).detach() if kind == "function" else derivative(n, x)
            plot_line(
                ax,
                n,
                x,
                y,
                theme,
                markevery=(names(include_identity=False).index(n) * 7, 60),
            )
        ax.set_xlabel("x (input to the neuron)")
        ax.set_ylabel("f(x)" if kind == "function" else "f′(x)")
        ax.set_title("All activations" if kind == "function" else "All derivatives")
        if narrow:
            legend_below(fig)
        else:
            ax.legend(loc="upper left", ncols=2, fontsize=8)
    return fig


def curves_figure(
    curves: Mapping[str, Sequence[float]],
    theme: str = "light",
    *,
    title: str = "",
    xlabel: str = "epoch",
    ylabel: str = "loss",
    log_y: bool = False,
    narrow: bool = False,
) -> Figure:
    """One line per registry name, e.g. loss per epoch for each activation.

    Args:
        narrow: the layout for phones.
    """
    with themed(theme):
        fig, ax = plt.subplots(
            figsize=(NARROW_WIDTH, 3.0) if narrow else (7.2, 3.6),
            layout="constrained",
        )
        for i, (n, values) in enumerate(curves.items()):
            xs = range(1, len(values) + 1)
            markevery = (i * 3, max(1, len(values) // 8))
            plot_line(ax, n, xs, values, theme, markevery=markevery)
        if log_y:
            ax.set_yscale("log")
        ax.set_title(title)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.legend(fontsize=8)
    return fig


def panel_groups(activations: Iterable[str]) -> list[tuple[str, list[str]]]:
    """Split registry names into the panels of a two-panel figure.

    The original article's activations go left, the registry's extras
    right; the identity, the reference, goes into both. Empty panels are
    left out.

    Examples:
        >>> for label, group in panel_groups(["identity", "relu", "gelu"]):
        ...     print(f"{label}: {group}")
        the original article's activations: ['identity', 'relu']
        extra activations: ['identity', 'gelu']
    """
    chosen = list(activations)
    reference = ["identity"] if "identity" in chosen else []
    original = [n for n in chosen if n != "identity" and not get(n).extra]
    extra = [n for n in chosen if get(n).extra]
    panels = [
        ("the original article's activations", original),
        ("extra activations", extra),
    ]
    return [(label, reference + group) for label, group in panels if group]
