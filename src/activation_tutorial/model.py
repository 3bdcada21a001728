"""The example network, with its activation injected by registry name."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from torch import nn

from .activations import get

__all__ = ["build_model", "count_parameters", "layer_sizes"]


def build_model(
    activation: str = "relu", sizes: Sequence[int] = (10, 18, 18, 4, 1)
) -> nn.Sequential:
    """Build `Linear, activation, ..., Linear` for the given layer widths.

    The layers are created from input to output, as in the original
    article, so that under the same seed they receive the same initial
    weights. `"identity"` gives a network with no activation, through the
    same code path as every other name.

    Examples:
        >>> model = build_model("relu")
        >>> model
        Sequential(
          (0): Linear(in_features=10, out_features=18, bias=True)
          (1): ReLU()
          (2): Linear(in_features=18, out_features=18, bias=True)
          (3): ReLU()
          (4): Linear(in_features=18, out_features=4, bias=True)
          (5): ReLU()
          (6): Linear(in_features=4, out_features=1, bias=True)
        )
        >>> count_parameters(model)
        621
    """
    act = get(activation)
    if len(sizes) < 2:
        raise ValueError(f"need at least an input and an output width, got {sizes!r}")
    if not all(isinstance(n, int) and n > 0 for n in sizes):
        raise ValueError(f"layer widths must be whole numbers above 0, got {sizes!r}")
    layers: list[nn.Module] = []
    for i, (nin, nout) in enumerate(pairwise(sizes)):
        layers.append(nn.Linear(nin, nout))
        if i < len(sizes) - 2:
            layers.append(act.make())
    return nn.Sequential(*layers)


def count_parameters(model: nn.Module) -> int:
    """Return the number of trainable parameters of `model`."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def layer_sizes(model: nn.Module) -> tuple[int, ...]:
    """Read the layer widths, input to output, off the model's `Linear` layers.

    Examples:
        >>> layer_sizes(build_model("tanh"))
        (10, 18, 18, 4, 1)
    """
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    if not linears:
        raise ValueError("the model has no Linear layers")
    return (linears[0].in_features, *(m.out_features for m in linears))
