"""Numbers the prose quotes, computed with PyTorch rather than typed.

Each function returns plain floats; the pages format them, and the tests
check them against independent closed forms.
"""

from __future__ import annotations

from functools import lru_cache

import torch
from torch import nn

from .activations import derivative, get

__all__ = [
    "ORIGINAL_SIGMOID_OUTPUTS",
    "derivative_peak",
    "function_minimum",
    "leaky_slope",
    "sigmoid_gap",
    "sigmoid_inputs_for",
]

# the sigmoid outputs the original article lists, as it prints them
ORIGINAL_SIGMOID_OUTPUTS = (0.00000003, 0.99999992, 0.00000247, 0.99993320)


def _grid(limit: int = 10, steps_per_unit: int = 10_000) -> torch.Tensor:
    # float64 with a step of 1e-4 that hits 0 exactly, so maxima and minima
    # are right to about four places
    n = limit * steps_per_unit
    return torch.arange(-n, n + 1, dtype=torch.float64) / steps_per_unit


@lru_cache
def derivative_peak(name: str) -> tuple[float, float]:
    """Return `(largest derivative, where it occurs)` on [-10, 10].

    Examples:
        >>> peak, at = derivative_peak("sigmoid")
        >>> round(peak, 4), round(at, 4)
        (0.25, 0.0)
    """
    x = _grid()
    dy = derivative(name, x)
    i = int(torch.argmax(dy))
    return dy[i].item(), x[i].item()


@lru_cache
def function_minimum(name: str) -> tuple[float, float]:
    """Return `(smallest value, where it occurs)` on [-10, 10].

    Examples:
        >>> low, at = function_minimum("silu")
        >>> round(low, 3), round(at, 2)
        (-0.278, -1.28)
    """
    x = _grid()
    y = get(name)(x).detach()
    i = int(torch.argmin(y))
    return y[i].item(), x[i].item()


def sigmoid_inputs_for(
    outputs: tuple[float, ...] = ORIGINAL_SIGMOID_OUTPUTS,
) -> list[float]:
    """The inputs that make the sigmoid print `outputs`: the logit of each.

    Examples:
        >>> [round(x, 1) for x in sigmoid_inputs_for()]
        [-17.3, 16.3, -12.9, 9.6]
    """
    p = torch.tensor(outputs, dtype=torch.float64)
    return torch.logit(p).tolist()


def sigmoid_gap(a: float, b: float) -> float:
    """How far apart the sigmoid puts inputs `a` and `b`: |σ(b) − σ(a)|.

    Examples:
        >>> sigmoid_gap(7, 13) < 0.001
        True
    """
    x = torch.tensor([a, b], dtype=torch.float64)
    y = torch.sigmoid(x)
    return abs((y[1] - y[0]).item())


def leaky_slope() -> float:
    """PyTorch's default negative slope for `nn.LeakyReLU`.

    Examples:
        >>> leaky_slope()
        0.01
    """
    return nn.LeakyReLU().negative_slope
