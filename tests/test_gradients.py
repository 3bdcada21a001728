"""The depth experiment: sigmoid's gradient vanishes, ReLU's does not."""

from __future__ import annotations

import itertools
import math

import pytest
import torch
from torch import nn

from activation_tutorial.activations import derivative
from activation_tutorial.gradients import (
    DepthConfig,
    deep_stack,
    depth_experiment,
    gradient_figure,
    gradient_norms,
    shrink_rows,
)
from activation_tutorial.plots import render


def orders_lost(norms: list[float]) -> float:
    """log10(first layer's norm / last layer's norm); negative means it shrank."""
    return math.log10(norms[0] / norms[-1])


@pytest.fixture(scope="module")
def he() -> dict[str, list[float]]:
    return depth_experiment()


@pytest.fixture(scope="module")
def default_init() -> dict[str, list[float]]:
    return depth_experiment(config=DepthConfig(init="pytorch"))


def test_one_norm_per_linear_layer_input_first():
    config = DepthConfig()
    model = deep_stack("relu", config)
    linears = [m for m in model if isinstance(m, nn.Linear)]
    norms = gradient_norms("relu", config)
    assert len(norms) == len(linears) == config.depth
    # layer 1 is the one that reads the input, the last one writes the output
    assert linears[0].in_features == config.width
    assert linears[-1].out_features == 1


def test_sigmoid_gradient_vanishes_relu_does_not(he):
    # sigmoid: many orders of magnitude lost between output and input layer
    assert orders_lost(he["sigmoid"]) < -5
    # relu and leaky relu: the first layer keeps the same order of magnitude
    for name in ("relu", "leaky_relu"):
        assert abs(orders_lost(he[name])) < 1, name


def test_sigmoid_shrinks_the_gradient_at_every_layer(he):
    norms = he["sigmoid"]
    assert all(a < b for a, b in itertools.pairwise(norms))


def test_without_activation_nothing_vanishes_under_he_init(he):
    assert abs(orders_lost(he["identity"])) < 1


def test_tanh_holds_up_under_he_init(he):
    # the page says so: tanh's derivative is 1 at 0 and the He gain makes up
    # for its saturation at this depth
    assert abs(orders_lost(he["tanh"])) < 1


def test_extras_under_he_init(he):
    # the page: GELU, SiLU and ELU keep their gradient, softplus loses part
    # of it, far less than the sigmoid
    for name in ("gelu", "silu", "elu"):
        assert orders_lost(he[name]) > -1, name
    assert orders_lost(he["silu"]) > 0
    assert orders_lost(he["sigmoid"]) + 3 < orders_lost(he["softplus"]) < -1


def test_default_init_shrinks_every_stack_sigmoid_most(default_init):
    # PyTorch's default init: even the identity loses gradient, so that part
    # of the loss comes from the weights, not from any activation
    assert orders_lost(default_init["identity"]) < -1
    worst = min(default_init, key=lambda n: orders_lost(default_init[n]))
    assert worst == "sigmoid"
    assert (
        orders_lost(default_init["sigmoid"]) < orders_lost(default_init["identity"]) - 5
    )


def test_the_derivatives_behind_it():
    x = torch.linspace(-10, 10, 20001, dtype=torch.float64)
    assert derivative("sigmoid", x).max().item() == pytest.approx(0.25)
    assert derivative("tanh", x).max().item() == pytest.approx(1.0)
    assert derivative("relu", torch.tensor([0.5, 3.0])).tolist() == [1.0, 1.0]


def test_same_seed_same_norms_other_seed_other_norms():
    assert gradient_norms("tanh") == gradient_norms("tanh")
    assert gradient_norms("tanh") != gradient_norms("tanh", DepthConfig(seed=1))


def test_unknown_init_is_refused():
    with pytest.raises(ValueError, match="valid inits: he, pytorch"):
        deep_stack("relu", DepthConfig(init="xavier"))


def test_shrink_rows_match_the_norms(he):
    rows = shrink_rows({"sigmoid": he["sigmoid"]})
    assert rows[0][0] == "Sigmoid"
    assert float(rows[0][3]) == pytest.approx(orders_lost(he["sigmoid"]), abs=0.05)


def test_figure_draws_every_activation_in_both_themes(he):
    svgs = render(gradient_figure, he)
    assert set(svgs) == {"light", "dark"}
    for svg in svgs.values():
        text = svg.decode()
        for label in ("Sigmoid", "ReLU", "GELU", "Identity (no activation)"):
            assert label in text
