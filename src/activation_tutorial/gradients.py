"""The depth experiment: how the gradient fades on its way back through a deep stack.

Back-propagation multiplies the gradient, layer after layer from the output
back to the input, by each layer's weights and by the derivative of its
activation at the neuron's pre-activation `z`. A derivative that is small
almost everywhere, like the sigmoid's (at most 0.25), shrinks the gradient
at every layer, so the layers nearest the input receive almost nothing: the
gradient *vanishes*. ReLU's derivative is exactly 1 wherever a neuron is
active, so it does not shrink the gradient.

`gradient_norms` measures this on a deep stack of equal-width layers: one
forward and one backward pass on a fixed random batch, and the norm of the
gradient of each `Linear` layer's weight matrix, layer 1 nearest the input.

Examples:
    >>> norms = gradient_norms("sigmoid")
    >>> len(norms)
    16
    >>> print(f"{norms[0]:.1e} {norms[-1]:.1e}")
    1.9e-08 1.2e+00
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure
from torch import nn

from .activations import get, names
from .config import DepthConfig
from .model import build_model
from .plots import NARROW_WIDTH, legend_below, panel_groups, plot_line, themed
from .train import single_thread

__all__ = [
    "INITS",
    "DepthConfig",
    "deep_stack",
    "depth_experiment",
    "gradient_figure",
    "gradient_norms",
    "shrink_rows",
]

# "he": Kaiming-normal weights for ReLU (std sqrt(2 / fan_in)), zero biases;
# "pytorch": what nn.Linear draws by itself, U(-1/sqrt(fan_in), 1/sqrt(fan_in))
INITS = ("he", "pytorch")


def deep_stack(activation: str, config: DepthConfig | None = None) -> nn.Sequential:
    """Build the deep stack for `activation` and initialise it as `config.init` says.

    The global RNG is seeded with `config.seed` first, so the same name and
    config always give the same weights.

    Examples:
        >>> model = deep_stack("relu")
        >>> sum(isinstance(m, nn.Linear) for m in model)
        16
    """
    config = config or DepthConfig()
    if config.init not in INITS:
        valid = ", ".join(INITS)
        raise ValueError(f"unknown init {config.init!r}; valid inits: {valid}")

    torch.manual_seed(config.seed)
    model = build_model(activation, config.sizes)
    if config.init == "he":
        for layer in model:
            if isinstance(layer, nn.Linear):
                nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
                nn.init.zeros_(layer.bias)
    return model


def gradient_norms(
    activation: str,
    config: DepthConfig | None = None,
) -> list[float]:
    """One forward and backward pass; the weight-gradient norm of each layer.

    The batch `x` and the targets `y` are standard normal, drawn from a
    generator of their own, and the loss is the mean squared error.

    Returns:
        The Frobenius norm of d loss / d weight for each `Linear` layer,
        layer 1 (nearest the input) first.
    """
    config = config or DepthConfig()
    model = deep_stack(activation, config)
    generator = torch.Generator().manual_seed(config.seed)
    x = torch.randn(config.batch, config.width, generator=generator)
    y = torch.randn(config.batch, 1, generator=generator)

    # forward, then backward: fills .grad of every weight
    loss = nn.functional.mse_loss(model(x), y)
    loss.backward()

    linears = [m for m in model if isinstance(m, nn.Linear)]
    return [m.weight.grad.norm().item() for m in linears]


def depth_experiment(
    activations: Iterable[str] | None = None, config: DepthConfig | None = None
) -> dict[str, list[float]]:
    """`gradient_norms` for each activation (every registered one by default).

    Examples:
        >>> results = depth_experiment(["sigmoid", "relu"])
        >>> {name: f"{n[0] / n[-1]:.0e}" for name, n in results.items()}
        {'sigmoid': '2e-08', 'relu': '5e-01'}
    """
    chosen = names() if activations is None else activations
    with single_thread():
        return {name: gradient_norms(name, config) for name in chosen}


def shrink_rows(norms_by_activation: Mapping[str, Sequence[float]]) -> list[list[str]]:
    """Table rows: activation, last and first layer's norm, log10 of their ratio.

    The last column is log10(first / last): minus the number of orders of
    magnitude the gradient loses between the output layer and the input.

    Examples:
        >>> for row in shrink_rows({"relu": [0.1, 1.0], "sigmoid": [1e-8, 1.0]}):
        ...     print(row)
        ['ReLU', '1.0e+00', '1.0e-01', '-1.0']
        ['Sigmoid', '1.0e+00', '1.0e-08', '-8.0']
    """
    rows = []
    for name, norms in norms_by_activation.items():
        first, last = norms[0], norms[-1]
        rows.append(
            [
                get(name).display_name,
                f"{last:.1e}",
                f"{first:.1e}",
                f"{math.log10(first / last):.1f}",
            ]
        )
    return rows


def gradient_figure(
    norms_by_activation: Mapping[str, Sequence[float]],
    theme: str = "light",
    *,
    relative: bool = True,
    title: str = "",
    narrow: bool = False,
) -> Figure:
    """Gradient norm against layer, one line per activation, on a log y-axis.

    The activations of the original article are drawn on the left, the
    registry's extras on the right; the identity, when present, is drawn on
    both as the reference. With `relative`, each line is divided by its own
    last layer's norm, so it shows the share of the gradient that is left at
    each layer on the way back to the input. With `narrow` (for phones), the
    panels are one above the other.
    """
    panels = panel_groups(norms_by_activation)

    with themed(theme):
        fig, axes = plt.subplots(
            *((len(panels), 1) if narrow else (1, len(panels))),
            figsize=(NARROW_WIDTH, 3.0 * len(panels) + 1.0) if narrow else (7.6, 4.0),
            sharey=True,
            layout="constrained",
            squeeze=False,
        )
        for ax, (label, group) in zip(axes.flat, panels, strict=True):
            for name in group:
                norms = list(norms_by_activation[name])
                if relative:
                    norms = [v / norms[-1] for v in norms]
                plot_line(ax, name, range(1, len(norms) + 1), norms, theme)
            depth = max(len(norms_by_activation[n]) for n in group)
            ax.set_yscale("log")
            step = max(1, depth // 4)
            ax.set_xticks(sorted({1, *range(step, depth + 1, step)}))
            ax.set_title(label, fontsize=10)
            if not narrow:
                ax.legend(fontsize=8, loc="lower right")
        for ax in axes[-1]:
            ax.set_xlabel("layer (1 = nearest the input)")
        ylabel = (
            "gradient norm ÷ last layer's" if relative else "norm of d loss / d weight"
        )
        if narrow:  # one label along both panels: it is longer than one
            fig.supylabel(ylabel, fontsize=10)
            legend_below(fig)
        else:
            axes[0][0].set_ylabel(ylabel)
        if title:
            fig.suptitle(title)
    return fig
