"""The network diagram, drawn from a model object rather than by hand.

Layer widths come from `model.layer_sizes` and activation names from the
model's own modules, so the picture cannot disagree with the code.

Examples:
    >>> from activation_tutorial.model import build_model
    >>> for layer in diagram_layers(build_model("relu")):
    ...     print(layer.label, layer.activation)
    10 inputs None
    18 relu
    18 relu
    4 relu
    1 output None
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from torch import nn

from .activations import get, names
from .model import layer_sizes
from .plots import style_for, themed

__all__ = [
    "MAX_SHOWN",
    "LayerSpec",
    "activation_names",
    "describe",
    "diagram_layers",
    "layer_label",
    "network_figure",
    "shown_neurons",
]

# a layer up to this wide is drawn in full; a wider one is abbreviated
MAX_SHOWN = 18

# how many neurons an abbreviated layer keeps at each end of its ellipsis
_KEEP = 4


@dataclass(frozen=True)
class LayerSpec:
    """One column of the diagram.

    Attributes:
        width: the number of neurons in the layer, read from the model.
        label: the text under the column, e.g. "10 inputs" or "18".
        activation: registry name of the activation applied to this layer's
            neurons, None for the input and output layers.
        shown: the neuron indices drawn as circles, top to bottom; for a layer
            wider than `MAX_SHOWN` an ellipsis stands for the others.
    """

    width: int
    label: str
    activation: str | None
    shown: tuple[int, ...]

    @property
    def abbreviated(self) -> bool:
        """True when some neurons are replaced by an ellipsis."""
        return len(self.shown) < self.width


def layer_label(index: int, width: int, count: int) -> str:
    """The text under column `index` of `count` columns.

    Examples:
        >>> [layer_label(i, w, 3) for i, w in enumerate((2, 16, 1))]
        ['2 inputs', '16', '1 output']
        >>> layer_label(0, 1, 3), layer_label(2, 3, 3)
        ('1 input', '3 outputs')
    """
    if index == 0:
        return f"{width} input" + ("" if width == 1 else "s")
    if index == count - 1:
        return f"{width} output" + ("" if width == 1 else "s")
    return str(width)


def shown_neurons(width: int, max_shown: int = MAX_SHOWN) -> tuple[int, ...]:
    """The neuron indices to draw for a layer of `width` neurons.

    Examples:
        >>> shown_neurons(4)
        (0, 1, 2, 3)
        >>> shown_neurons(100)
        (0, 1, 2, 3, 96, 97, 98, 99)
    """
    if width <= max_shown:
        return tuple(range(width))
    return (*range(_KEEP), *range(width - _KEEP, width))


def _registry_name(module: nn.Module) -> str:
    """The registry name whose module has the same type as `module`."""
    for name in names():
        if type(get(name).make()) is type(module):
            return name
    raise ValueError(f"{type(module).__name__} is not in the activation registry")


def activation_names(model: nn.Module) -> list[str]:
    """The registry name of the activation after each hidden `Linear` layer.

    A `Linear` directly followed by another `Linear` has no activation, and
    is reported as "identity", the same as an explicit `nn.Identity`.

    Examples:
        >>> from activation_tutorial.model import build_model
        >>> activation_names(build_model("tanh", (2, 3, 3, 1)))
        ['tanh', 'tanh']
        >>> activation_names(nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1)))
        ['identity']
    """
    found: list[str] = []
    after_linear = False
    for module in model.modules():
        if isinstance(module, nn.Linear):
            if after_linear:
                found.append("identity")
            after_linear = True
        elif after_linear and not list(module.children()):
            found.append(_registry_name(module))
            after_linear = False
    # the last Linear is the output layer: nothing follows it
    return found


def diagram_layers(model: nn.Module) -> list[LayerSpec]:
    """Describe every column of the diagram of `model`, input to output."""
    sizes = layer_sizes(model)
    acts = activation_names(model)
    layers = []
    for i, width in enumerate(sizes):
        hidden = 0 < i < len(sizes) - 1
        layers.append(
            LayerSpec(
                width=width,
                label=layer_label(i, width, len(sizes)),
                activation=acts[i - 1] if hidden else None,
                shown=shown_neurons(width),
            )
        )
    return layers


def describe(model: nn.Module) -> str:
    """Alt text for `network_figure(model)`, read from the same layers.

    Examples:
        >>> from activation_tutorial.model import build_model
        >>> print(describe(build_model("relu", (2, 16, 16, 1))))
        Diagram of a network: a column of 2 input neurons, hidden layers of 16
        and 16 neurons (ReLU, ReLU), and 1 output neuron. Lines join every
        neuron to every neuron of the next layer.
        >>> print(describe(build_model("tanh", (4, 1))))
        Diagram of a network: a column of 4 input neurons and 1 output neuron.
        Lines join every neuron to every neuron of the next layer.
    """
    layers = diagram_layers(model)
    first, hidden, last = layers[0], layers[1:-1], layers[-1]
    inputs = f"a column of {_neurons(first.width, 'input')}"
    outputs = _neurons(last.width, "output")
    if hidden:
        widths = [str(layer.width) for layer in hidden]
        joined = " and ".join(
            [", ".join(widths[:-1]), widths[-1]] if widths[1:] else widths
        )
        acts = ", ".join(_short_name(layer.activation) for layer in hidden)
        middle = f"hidden layers of {joined} neurons ({acts})"
        body = f"{inputs}, {middle}, and {outputs}"
    else:
        body = f"{inputs} and {outputs}"
    return (
        f"Diagram of a network: {body}. "
        "Lines join every neuron to every neuron of the next layer."
    )


def _neurons(width: int, kind: str) -> str:
    """`width` neurons of `kind`, with the right plural.

    Examples:
        >>> _neurons(1, "output"), _neurons(3, "input")
        ('1 output neuron', '3 input neurons')
    """
    return f"{width} {kind} neuron" + ("" if width == 1 else "s")


def _positions(layer: LayerSpec) -> list[float]:
    """Vertical positions of the drawn neurons (and the ellipsis), centred."""
    slots = len(layer.shown) + (1 if layer.abbreviated else 0)
    return [(slots - 1) / 2 - k for k in range(slots)]


def _short_name(name: str) -> str:
    """The activation's name as it fits under a column.

    Examples:
        >>> _short_name("identity"), _short_name("leaky_relu")
        ('no activation', 'Leaky ReLU')
    """
    return "no activation" if name == "identity" else get(name).display_name


def network_figure(
    model: nn.Module, theme: str = "light", *, narrow: bool = False
) -> Figure:
    """Circles for neurons, lines for weights, one column per layer.

    Each column is labelled with its width, read from the model; each hidden
    column also names its activation and takes that activation's colour.
    The circles of column `i` are one scatter collection with gid `layer-i`.
    With `narrow` (for phones), the columns are closer together.
    """
    layers = diagram_layers(model)
    # text colour, weight lines, fill of the input and output neurons
    palette = {
        "light": ("#1f1f1f", "#8a8a8a", "#ffffff"),
        "dark": ("#e2e2e2", "#8c8c8c", "#2b2d3a"),
    }
    text, edge, plain = palette[theme]

    with themed(theme):
        tallest = max(len(_positions(layer)) for layer in layers)
        # inches per column; a narrow one still fits "Leaky ReLU" at 8 points
        column = 0.62 if narrow else 1.45
        fig, ax = plt.subplots(
            figsize=(column * len(layers) + 0.6, 0.23 * tallest + 1.5),
            layout="constrained",
        )
        ax.set_axis_off()

        # the neurons actually drawn in each column, without the ellipsis slot
        columns = []
        for layer in layers:
            ys = _positions(layer)
            if layer.abbreviated:
                ax.text(
                    len(columns),
                    ys[_KEEP],
                    "⋮",
                    ha="center",
                    va="center",
                    fontsize=13,
                    color=text,
                )
                ys = ys[:_KEEP] + ys[_KEEP + 1 :]
            columns.append(ys)

        # every weight is a line between two neurons of neighbouring layers;
        # drawn as one line broken by NaNs, so the SVG holds one path, not
        # hundreds (~30 kB instead of ~100 kB)
        xs, ys_ = [], []
        for i in range(len(columns) - 1):
            for y0 in columns[i]:
                for y1 in columns[i + 1]:
                    xs += [i, i + 1, math.nan]
                    ys_ += [y0, y1, math.nan]
        ax.plot(xs, ys_, color=edge, linewidth=0.4, alpha=0.5, zorder=1)

        for i, (layer, ys) in enumerate(zip(layers, columns, strict=True)):
            if layer.activation is None:
                face = plain
            else:
                face = style_for(layer.activation, theme)["color"]
            ax.scatter(
                [i] * len(ys),
                ys,
                s=110,
                facecolors=face,
                edgecolors=text,
                linewidths=1.0,
                zorder=3,
                gid=f"layer-{i}",
            )
            bottom = -(tallest - 1) / 2 - 1.0
            ax.text(i, bottom, layer.label, ha="center", va="top", fontsize=10)
            if layer.activation is not None:
                ax.text(
                    i,
                    bottom - 0.9,
                    _short_name(layer.activation),
                    ha="center",
                    va="top",
                    fontsize=8 if narrow else 9,
                    style="italic",
                )

        ax.set_xlim(-0.5, len(layers) - 0.5)
        ax.set_ylim(-(tallest - 1) / 2 - 2.4, (tallest - 1) / 2 + 0.6)
    return fig
