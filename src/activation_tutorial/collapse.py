"""Folding a stack of `Linear` layers (no activations between) into one."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

import torch
from torch import nn

__all__ = ["fold_linear", "linear_layers", "max_abs_difference"]


def linear_layers(model: nn.Module) -> list[nn.Linear]:
    """Return the `Linear` layers of `model`, checking nothing else acts.

    Raises:
        ValueError: if the model contains a layer other than `Linear` and
            `Identity`; such a network does not fold into one layer.
    """
    layers = []
    for module in model.children():
        if isinstance(module, nn.Linear):
            layers.append(module)
        elif not isinstance(module, nn.Identity):
            raise ValueError(
                f"cannot fold a network containing {type(module).__name__}: "
                "only Linear and Identity layers fold into one"
            )
    if not layers:
        raise ValueError("the model has no Linear layers to fold")
    return layers


# --8<-- [start:fold]
@torch.no_grad()
def fold_linear(layers: Iterable[nn.Linear] | nn.Module) -> nn.Linear:
    """Fold `Linear` layers applied one after another into a single `Linear`.

    `layers` is a sequence of `Linear` layers, or a model of `Linear` and
    `Identity` layers only (see `linear_layers`).

    PyTorch computes `x @ A.T + b`, so after `(A1, b1)` then `(A2, b2)` the
    folded weight is `A2 @ A1` and the folded bias is `A2 @ b1 + b2`.

    Examples:
        >>> first, second = nn.Linear(3, 4), nn.Linear(4, 2)
        >>> folded = fold_linear([first, second])
        >>> folded
        Linear(in_features=3, out_features=2, bias=True)
        >>> x = torch.randn(5, 3)
        >>> max_abs_difference(folded(x), second(first(x))) < 1e-6
        True
    """
    if isinstance(layers, nn.Module):
        layers = linear_layers(layers)
    layers = list(layers)
    if not layers:
        raise ValueError("nothing to fold: give at least one Linear layer")
    for layer in layers:
        if not isinstance(layer, nn.Linear):
            raise ValueError(
                f"cannot fold {type(layer).__name__}: only Linear layers fold"
            )
    for before, after in pairwise(layers):
        if before.out_features != after.in_features:
            raise ValueError(
                f"layers do not chain: {before.out_features} outputs "
                f"feed {after.in_features} inputs"
            )
    # fold in float64 so that the folding itself adds no rounding worth seeing
    weight = layers[0].weight.double()
    bias = _bias(layers[0])
    for layer in layers[1:]:
        weight = layer.weight.double() @ weight
        bias = layer.weight.double() @ bias + _bias(layer)

    folded = nn.Linear(weight.shape[1], weight.shape[0])
    folded.weight.copy_(weight)
    folded.bias.copy_(bias)
    return folded


# --8<-- [end:fold]


def _bias(layer: nn.Linear) -> torch.Tensor:
    """The layer's bias in float64, zeros for a layer built with `bias=False`."""
    if layer.bias is None:
        return torch.zeros(layer.out_features, dtype=torch.float64)
    return layer.bias.double()


def max_abs_difference(a: torch.Tensor, b: torch.Tensor) -> float:
    """Return the largest absolute element-wise difference as a float."""
    return (a.detach().double() - b.detach().double()).abs().max().item()
