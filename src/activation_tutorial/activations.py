"""The activation registry: one entry per activation function.

Every page, figure, table and test that shows "all the activations" reads
this registry, so adding an entry here is the only step needed for a new
activation to appear everywhere.

Examples:
    >>> get("relu").display_name
    'ReLU'
    >>> names()[:5]
    ('identity', 'relu', 'sigmoid', 'tanh', 'leaky_relu')
    >>> get("relu").make()
    ReLU()
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import nn

__all__ = [
    "Activation",
    "UnknownActivationError",
    "derivative",
    "get",
    "names",
    "register",
    "unregister",
]


class UnknownActivationError(ValueError):
    """Raised for a name that is not in the registry; lists the valid ones.

    Examples:
        >>> try:
        ...     get("rleu")
        ... except UnknownActivationError as error:
        ...     print(error)
        unknown activation 'rleu'; valid names: identity, relu, sigmoid, tanh,
        leaky_relu, gelu, silu, elu, softplus
    """

    def __init__(self, name: str, valid: tuple[str, ...]):
        self.name = name
        self.valid = valid
        super().__init__(
            f"unknown activation {name!r}; valid names: {', '.join(valid)}"
        )


@dataclass(frozen=True)
class Activation:
    """One activation function and everything the site says about it.

    Attributes:
        name: the registry key, used in code, on the command line and in URLs.
        display_name: how prose and plot legends spell it.
        module: a zero-argument factory for the `torch.nn` module.
        functional: the `torch.nn.functional` call, as shown on the pages.
        formula: the function in LaTeX.
        derivative: its derivative in LaTeX.
        output_range: the set of values it can return, in LaTeX.
        description: one line on what it does and when to use it.
        extra: True for the modern activations beyond the original article.
    """

    name: str
    display_name: str
    module: Callable[[], nn.Module]
    functional: str
    formula: str
    derivative: str
    output_range: str
    description: str
    extra: bool = False

    def make(self) -> nn.Module:
        """Return a fresh `torch.nn` module for this activation."""
        return self.module()

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        """Apply the activation element-wise to `x`."""
        return self.make()(x)


_REGISTRY: dict[str, Activation] = {}


def register(activation: Activation) -> Activation:
    """Add `activation` to the registry and return it.

    Raises:
        ValueError: if the name is already taken.
    """
    if activation.name in _REGISTRY:
        raise ValueError(f"activation {activation.name!r} is already registered")
    _REGISTRY[activation.name] = activation
    return activation


def unregister(name: str) -> None:
    """Remove `name` from the registry (used by tests that register extras)."""
    get(name)
    del _REGISTRY[name]


def names(*, include_identity: bool = True) -> tuple[str, ...]:
    """Return the registered names in display order.

    Examples:
        >>> "identity" in names(include_identity=False)
        False
    """
    return tuple(n for n in _REGISTRY if include_identity or n != "identity")


def get(name: str) -> Activation:
    """Look up an activation by registry name.

    Raises:
        UnknownActivationError: if `name` is not registered; the message
            lists every valid name.
    """
    try:
        return _REGISTRY[name]
    except (KeyError, TypeError):
        raise UnknownActivationError(str(name), names()) from None


def derivative(name: str, x: torch.Tensor) -> torch.Tensor:
    """Return d activation / dx at every point of `x`, computed by autograd.

    `x` may be a tensor, a number or a list of numbers.

    Examples:
        >>> derivative("sigmoid", torch.tensor([0.0])).tolist()
        [0.25]
    """
    x = torch.as_tensor(x)
    if not x.is_floating_point():
        x = x.float()
    x = x.detach().clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(get(name)(x).sum(), x)
    return grad


# the registry; the order here is the order of every table and legend
register(
    Activation(
        name="identity",
        display_name="Identity (no activation)",
        module=nn.Identity,
        functional="x  # no function is applied",
        formula=r"f(x) = x",
        derivative=r"f'(x) = 1",
        output_range=r"(-\infty, \infty)",
        description="Passes its input through unchanged: a network built "
        "with it is a stack of affine maps.",
    )
)
# --8<-- [start:relu]
register(
    Activation(
        name="relu",
        display_name="ReLU",
        module=nn.ReLU,
        functional="torch.nn.functional.relu(x)",
        formula=r"f(x) = \max(0, x)",
        derivative=r"f'(x) = \begin{cases} 1 & x > 0 \\ 0 & x < 0 \end{cases}",
        output_range=r"[0, \infty)",
        description="Zero for negative inputs, the input itself for positive "
        "ones; the default choice for hidden layers.",
    )
)
# --8<-- [end:relu]
register(
    Activation(
        name="sigmoid",
        display_name="Sigmoid",
        module=nn.Sigmoid,
        functional="torch.sigmoid(x)",
        formula=r"f(x) = \frac{1}{1 + e^{-x}}",
        derivative=r"f'(x) = f(x)\,\bigl(1 - f(x)\bigr)",
        output_range=r"(0, 1)",
        description="Squashes any input into (0, 1); the last neuron of a "
        "binary classifier.",
    )
)
register(
    Activation(
        name="tanh",
        display_name="Tanh",
        module=nn.Tanh,
        functional="torch.tanh(x)",
        formula=r"f(x) = \tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}",
        derivative=r"f'(x) = 1 - \tanh^2(x)",
        output_range=r"(-1, 1)",
        description="A zero-centred sigmoid; common inside RNNs and LSTMs.",
    )
)
register(
    Activation(
        name="leaky_relu",
        display_name="Leaky ReLU",
        module=nn.LeakyReLU,
        functional="torch.nn.functional.leaky_relu(x, negative_slope=0.01)",
        formula=r"f(x) = \begin{cases} x & x > 0 \\ a x & x \le 0 \end{cases}"
        r",\quad a = 0.01",
        derivative=r"f'(x) = \begin{cases} 1 & x > 0 \\ a & x < 0 \end{cases}",
        output_range=r"(-\infty, \infty)",
        description="ReLU with a small slope for negative inputs, so a "
        "neuron never stops receiving gradient.",
    )
)
register(
    Activation(
        name="gelu",
        display_name="GELU",
        module=nn.GELU,
        functional="torch.nn.functional.gelu(x)",
        formula=r"f(x) = x\,\Phi(x)",
        derivative=r"f'(x) = \Phi(x) + x\,\varphi(x)",
        output_range=r"[\min f, \infty)",
        description="A smooth ReLU weighted by the normal CDF; the default "
        "in BERT- and GPT-style transformers.",
        extra=True,
    )
)
register(
    Activation(
        name="silu",
        display_name="SiLU (Swish)",
        module=nn.SiLU,
        functional="torch.nn.functional.silu(x)",
        formula=r"f(x) = x\,\sigma(x)",
        derivative=r"f'(x) = \sigma(x)\,\bigl(1 + x\,(1 - \sigma(x))\bigr)",
        output_range=r"[\min f, \infty)",
        description="The input times its sigmoid; used in EfficientNet and "
        "in the gated layers of many language models.",
        extra=True,
    )
)
register(
    Activation(
        name="elu",
        display_name="ELU",
        module=nn.ELU,
        functional="torch.nn.functional.elu(x, alpha=1.0)",
        formula=r"f(x) = \begin{cases} x & x > 0 \\ \alpha (e^{x} - 1) & x \le 0"
        r" \end{cases},\quad \alpha = 1",
        derivative=r"f'(x) = \begin{cases} 1 & x > 0 \\ \alpha e^{x} & x \le 0"
        r" \end{cases}",
        output_range=r"(-\alpha, \infty)",
        description="Smooth for negative inputs and saturating at -α, which "
        "pushes mean outputs toward zero.",
        extra=True,
    )
)
register(
    Activation(
        name="softplus",
        display_name="Softplus",
        module=nn.Softplus,
        functional="torch.nn.functional.softplus(x)",
        formula=r"f(x) = \ln(1 + e^{x})",
        derivative=r"f'(x) = \sigma(x)",
        output_range=r"(0, \infty)",
        description="A smooth, always-positive ReLU; used where an output "
        "must stay positive, such as a variance.",
        extra=True,
    )
)
