"""Universal approximation, shown: one hidden layer of growing width fits a curve.

The universal approximation theorem says that one hidden layer with enough
neurons and a non-polynomial activation can approximate any continuous
function on a bounded region as closely as we like. This module fits one
such function on an interval with networks `1 -> width -> 1` of growing
width, by full-batch Adam, and measures how close each fit gets.

Examples:
    >>> fits = approximate(ApproximationConfig(widths=(1, 10), steps=200))
    >>> [(f.width, f"{f.mse:.3f}") for f in fits]
    [(1, '0.259'), (10, '0.027')]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from torch import nn

from .activations import get
from .config import ApproximationConfig
from .model import build_model
from .plots import NARROW_WIDTH, style_for, themed
from .train import evaluate, single_thread, train

__all__ = [
    "ApproximationConfig",
    "Fit",
    "approximate",
    "approximation_figure",
    "error_rows",
    "fit_width",
    "target",
]


def target(x: torch.Tensor) -> torch.Tensor:
    """The function to approximate: a wave with a narrow bump on its side.

    Examples:
        >>> print(f"{target(torch.tensor([0.4])).item():.4f}")
        1.9511
    """
    return torch.sin(math.pi * x) + torch.exp(-40 * (x - 0.4) ** 2)


@dataclass
class Fit:
    """One trained network and how close it gets to `target`.

    Attributes:
        activation: the registry name of the hidden layer's activation.
        width: the number of neurons in the hidden layer.
        mse: mean squared error on the training points.
        max_error: the largest |network - target| on a grid ten times finer
            than the training points, over the same interval: the theorem's
            measure of closeness.
        model: the trained network, `Linear(1, width), activation,
            Linear(width, 1)`.
        interval: the interval it was trained on.
    """

    activation: str
    width: int
    mse: float
    max_error: float
    model: nn.Module
    interval: tuple[float, float]

    @torch.no_grad()
    def predict(self, x: torch.Tensor) -> torch.Tensor:
        """The network's output at the points `x` (a 1-D tensor)."""
        return self.model(x.unsqueeze(1)).squeeze(1)


def _grid(interval: tuple[float, float], points: int) -> torch.Tensor:
    return torch.linspace(*interval, points).unsqueeze(1)


def fit_width(
    width: int, activation: str | None = None, config: ApproximationConfig | None = None
) -> Fit:
    """Train one network with `width` hidden neurons on `target`.

    `activation` defaults to the config's. The global RNG is seeded with
    `config.seed` before the network is built, so a fit is repeatable.
    """
    config = config or ApproximationConfig()
    activation = activation or config.activation
    x = _grid(config.interval, config.points)
    y = target(x)

    torch.manual_seed(config.seed)
    model = build_model(activation, (1, width, 1))
    with single_thread():
        train(model, x, y, epochs=config.steps, batch_size=len(x), lr=config.lr)

    fine = _grid(config.interval, 10 * config.points)
    with torch.no_grad():
        max_error = (model(fine) - target(fine)).abs().max().item()
    return Fit(
        activation, width, evaluate(model, x, y), max_error, model, config.interval
    )


def approximate(config: ApproximationConfig | None = None) -> list[Fit]:
    """`fit_width` for every width of the config, narrowest first."""
    config = config or ApproximationConfig()
    return [fit_width(width, config=config) for width in config.widths]


def error_rows(fits: Sequence[Fit]) -> list[list[str]]:
    """Table rows: activation, width, parameters, MSE and largest error.

    Examples:
        >>> fits = approximate(ApproximationConfig(widths=(2,), steps=5))
        >>> error_rows(fits)
        [['Tanh', '2', '7', '0.7288', '1.7291']]
    """
    rows = []
    for f in fits:
        parameters = sum(p.numel() for p in f.model.parameters())
        rows.append(
            [
                get(f.activation).display_name,
                str(f.width),
                str(parameters),
                f"{f.mse:.4f}",
                f"{f.max_error:.4f}",
            ]
        )
    return rows


def approximation_figure(
    fits: Sequence[Fit],
    theme: str = "light",
    *,
    margin: float = 0.5,
    narrow: bool = False,
) -> Figure:
    """One panel per fit: the target and the network's curve.

    Each panel extends `margin` beyond the training interval on both sides
    and shades the outside: the theorem promises nothing there. The panels
    are in two columns, or with `narrow` (for phones) in one.
    """
    ncols = 1 if narrow else min(2, len(fits))
    nrows = math.ceil(len(fits) / ncols)
    with themed(theme):
        fig, axes = plt.subplots(
            nrows,
            ncols,
            figsize=(NARROW_WIDTH, 2.3 * nrows + 0.5) if narrow else (7.2, 2.7 * nrows),
            sharex=True,
            sharey=True,
            layout="constrained",
            squeeze=False,
        )
        for ax, f in zip(axes.flat, fits, strict=False):
            low, high = f.interval
            x = torch.linspace(low - margin, high + margin, 601)
            ink = plt.rcParams["text.color"]
            style = style_for(f.activation, theme)

            # the target as a wide translucent band, the network as a line on
            # top: where the line leaves the band, the fit is off
            for side in ((low - margin, low), (high, high + margin)):
                ax.axvspan(*side, color=ink, alpha=0.08, linewidth=0)
            ax.plot(
                x,
                target(x),
                color=ink,
                alpha=0.3,
                linewidth=6,
                label="target",
                solid_capstyle="butt",
            )
            ax.plot(
                x,
                f.predict(x),
                color=style["color"],
                linestyle=style["linestyle"],
                linewidth=1.8,
                label="network",
            )
            neurons = "neuron" if f.width == 1 else "neurons"
            ax.set_title(
                f"{get(f.activation).display_name}, {f.width} {neurons}: "
                f"MSE {f.mse:.4f}",
                fontsize=9,
            )
            ax.set_xlim(low - margin, high + margin)
            ax.set_xticks(torch.linspace(low, high, 5).tolist())
            ax.set_ylim(-1.8, 2.6)
        for ax in axes.flat[len(fits) :]:
            ax.set_visible(False)
        for ax in axes[-1]:
            ax.set_xlabel("x")
        handles, labels = axes.flat[0].get_legend_handles_labels()
        handles.append(Patch(color=plt.rcParams["text.color"], alpha=0.08))
        labels.append("outside the training interval")
        fig.legend(
            handles,
            labels,
            loc="outside lower center",
            ncols=2 if narrow else 3,
            fontsize=8,
        )
    return fig
