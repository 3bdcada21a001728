"""The registry against PyTorch: values from `torch.nn.functional`, derivatives
from closed forms and from autograd, on a grid with 0 and large magnitudes.

The oracle below is written without the registry, so that the two can only
agree if the registry wires up what it claims to.
"""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from activation_tutorial import activations
from activation_tutorial.activations import (
    UnknownActivationError,
    derivative,
    get,
    names,
)

ORIGINAL = ("relu", "sigmoid", "tanh", "leaky_relu")
EXPECTED_NAMES = ("identity", *ORIGINAL, "gelu", "silu", "elu", "softplus")


def _normal_cdf(x):
    return 0.5 * (1 + torch.erf(x / math.sqrt(2)))


def _normal_pdf(x):
    return torch.exp(-0.5 * x**2) / math.sqrt(2 * math.pi)


# name -> (nn class, function, closed-form derivative), none of it from the registry
ORACLE = {
    "identity": (nn.Identity, lambda x: x, torch.ones_like),
    "relu": (nn.ReLU, F.relu, lambda x: (x > 0).to(x.dtype)),
    "sigmoid": (
        nn.Sigmoid,
        torch.sigmoid,
        lambda x: torch.sigmoid(x) * (1 - torch.sigmoid(x)),
    ),
    "tanh": (nn.Tanh, torch.tanh, lambda x: 1 - torch.tanh(x) ** 2),
    "leaky_relu": (
        nn.LeakyReLU,
        lambda x: F.leaky_relu(x, negative_slope=0.01),
        # PyTorch takes the negative slope at exactly 0
        lambda x: torch.where(x > 0, 1.0, 0.01).to(x.dtype),
    ),
    "gelu": (
        nn.GELU,
        F.gelu,
        lambda x: _normal_cdf(x) + x * _normal_pdf(x),
    ),
    "silu": (
        nn.SiLU,
        F.silu,
        lambda x: torch.sigmoid(x) * (1 + x * (1 - torch.sigmoid(x))),
    ),
    "elu": (
        nn.ELU,
        lambda x: F.elu(x, alpha=1.0),
        lambda x: torch.where(x > 0, torch.ones_like(x), torch.exp(x)),
    ),
    "softplus": (nn.Softplus, F.softplus, torch.sigmoid),
}

# fmt: off
GRID_VALUES = [
    -1e4, -1e3, -100.0, -30.0, -20.0, -10.0, -3.0, -1.0, -0.5, -1e-3, -1e-6,
    0.0, 1e-6, 1e-3, 0.5, 1.0, 3.0, 10.0, 20.0, 30.0, 100.0, 1e3, 1e4,
]
# fmt: on
DTYPES = [torch.float32, torch.float64]


def grid(dtype) -> torch.Tensor:
    return torch.tensor(GRID_VALUES, dtype=dtype)


def autograd_derivative(fn, x: torch.Tensor) -> torch.Tensor:
    """d fn / dx by autograd, for the oracle's own function."""
    x = x.clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(fn(x).sum(), x)
    return grad


def test_registry_has_the_expected_names_in_order():
    assert names() == EXPECTED_NAMES
    assert names(include_identity=False) == EXPECTED_NAMES[1:]
    assert set(ORACLE) == set(names())


@pytest.mark.parametrize("name", EXPECTED_NAMES)
def test_module_is_the_expected_torch_class(name):
    assert type(get(name).make()) is ORACLE[name][0]
    # a fresh module each time: no state shared between layers
    assert get(name).make() is not get(name).make()


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("name", EXPECTED_NAMES)
def test_values_match_torch_functional(name, dtype):
    x = grid(dtype)
    expected = ORACLE[name][1](x)
    got = get(name)(x)
    assert got.dtype == dtype
    torch.testing.assert_close(got, expected, rtol=0, atol=0)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("name", EXPECTED_NAMES)
def test_derivative_matches_closed_form(name, dtype):
    x = grid(dtype)
    got = derivative(name, x)
    expected = ORACLE[name][2](x)
    assert torch.isfinite(got).all(), got
    torch.testing.assert_close(got, expected)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("name", EXPECTED_NAMES)
def test_derivative_matches_autograd_of_the_functional(name, dtype):
    x = grid(dtype)
    got = derivative(name, x)
    expected = autograd_derivative(ORACLE[name][1], x)
    torch.testing.assert_close(got, expected, rtol=0, atol=0)


def test_derivative_at_zero_follows_pytorch_conventions():
    zero = torch.zeros(1)
    assert derivative("relu", zero).item() == 0.0
    assert derivative("leaky_relu", zero).item() == pytest.approx(0.01)
    assert derivative("sigmoid", zero).item() == 0.25
    assert derivative("tanh", zero).item() == 1.0
    assert derivative("identity", zero).item() == 1.0


def test_derivative_leaves_its_input_alone():
    x = torch.linspace(-2, 2, 5)
    before = x.clone()
    derivative("tanh", x)
    assert not x.requires_grad
    assert torch.equal(x, before)


@pytest.mark.parametrize(
    ("name", "low", "high"),
    [
        ("relu", 0.0, math.inf),
        ("sigmoid", 0.0, 1.0),
        ("tanh", -1.0, 1.0),
        ("softplus", 0.0, math.inf),
        ("elu", -1.0, math.inf),
    ],
)
def test_outputs_stay_in_the_stated_range(name, low, high):
    y = get(name)(torch.linspace(-50, 50, 2001, dtype=torch.float64))
    assert y.min().item() >= low
    assert y.max().item() <= high


@pytest.mark.parametrize("name", EXPECTED_NAMES)
def test_every_entry_documents_itself(name):
    act = get(name)
    assert act.name == name
    for text in (
        act.display_name,
        act.formula,
        act.derivative,
        act.output_range,
        act.description,
        act.functional,
    ):
        assert text.strip()
    assert act.extra is (name in ("gelu", "silu", "elu", "softplus"))


@pytest.mark.parametrize("bad", ["rleu", "ReLU", "", "relu ", None, 3])
def test_unknown_name_lists_the_valid_names(bad):
    with pytest.raises(UnknownActivationError) as info:
        get(bad)
    message = str(info.value)
    assert repr(str(bad)) in message
    for name in EXPECTED_NAMES:
        assert name in message
    assert isinstance(info.value, ValueError)
    assert "\n" not in message


def test_register_and_unregister_an_extra_activation():
    extra = activations.Activation(
        name="hardtanh_test",
        display_name="Hardtanh",
        module=nn.Hardtanh,
        functional="torch.nn.functional.hardtanh(x)",
        formula=r"f(x) = \max(-1, \min(1, x))",
        derivative=r"f'(x) = 1 \text{ on } (-1, 1)",
        output_range=r"[-1, 1]",
        description="A clipped identity.",
        extra=True,
    )
    activations.register(extra)
    try:
        assert names()[-1] == "hardtanh_test"
        torch.testing.assert_close(
            get("hardtanh_test")(torch.tensor([-3.0, 0.5, 3.0])),
            torch.tensor([-1.0, 0.5, 1.0]),
        )
        with pytest.raises(ValueError, match="already registered"):
            activations.register(extra)
    finally:
        activations.unregister("hardtanh_test")
    assert "hardtanh_test" not in names()
    with pytest.raises(UnknownActivationError):
        activations.unregister("hardtanh_test")
