"""The example network: its layers, shapes, parameter count and initial weights."""

from __future__ import annotations

import itertools

import pytest
import torch
from torch import nn

from activation_tutorial.activations import UnknownActivationError, names
from activation_tutorial.model import build_model, count_parameters, layer_sizes

# independent of the registry: what each name must put between the layers
ACTIVATION_CLASS = {
    "identity": nn.Identity,
    "relu": nn.ReLU,
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
    "leaky_relu": nn.LeakyReLU,
    "gelu": nn.GELU,
    "silu": nn.SiLU,
    "elu": nn.ELU,
    "softplus": nn.Softplus,
}
SIZES = (10, 18, 18, 4, 1)


def test_parameter_count_is_621_by_hand():
    by_hand = sum(nin * nout + nout for nin, nout in itertools.pairwise(SIZES))
    assert by_hand == 621


@pytest.mark.parametrize("name", names())
def test_layers_alternate_linear_and_activation(name):
    model = build_model(name)
    kinds = [type(m) for m in model]
    act = ACTIVATION_CLASS[name]
    assert kinds == [nn.Linear, act, nn.Linear, act, nn.Linear, act, nn.Linear]
    linears = [m for m in model if isinstance(m, nn.Linear)]
    assert [(m.in_features, m.out_features) for m in linears] == [
        (10, 18),
        (18, 18),
        (18, 4),
        (4, 1),
    ]
    assert all(m.bias is not None for m in linears)
    assert count_parameters(model) == 621
    assert layer_sizes(model) == SIZES


@pytest.mark.parametrize("name", names())
def test_forward_shapes(name):
    model = build_model(name)
    assert model(torch.randn(7, 10)).shape == (7, 1)
    assert model(torch.randn(1, 10)).shape == (1, 1)


@pytest.mark.parametrize("name", ["identity", "relu", "sigmoid", "tanh", "leaky_relu"])
@pytest.mark.parametrize("seed", [0, 7])
def test_same_initial_weights_as_the_original_layer_order(name, seed):
    torch.manual_seed(seed)
    original = nn.Sequential(
        nn.Linear(10, 18),
        ACTIVATION_CLASS[name](),
        nn.Linear(18, 18),
        ACTIVATION_CLASS[name](),
        nn.Linear(18, 4),
        ACTIVATION_CLASS[name](),
        nn.Linear(4, 1),
    )
    torch.manual_seed(seed)
    model = build_model(name)
    theirs, ours = original.state_dict(), model.state_dict()
    assert list(theirs) == list(ours)
    for key in theirs:
        assert torch.equal(theirs[key], ours[key]), key


def test_other_sizes():
    model = build_model("tanh", (3, 5, 2))
    assert layer_sizes(model) == (3, 5, 2)
    assert count_parameters(model) == 3 * 5 + 5 + 5 * 2 + 2
    assert [type(m) for m in model] == [nn.Linear, nn.Tanh, nn.Linear]
    assert layer_sizes(build_model("relu", (4, 1))) == (4, 1)


def test_too_few_sizes_and_unknown_names_are_refused():
    with pytest.raises(ValueError, match="at least"):
        build_model("relu", (10,))
    with pytest.raises(UnknownActivationError, match="valid names"):
        build_model("rleu")
    with pytest.raises(ValueError, match="no Linear"):
        layer_sizes(nn.Sequential(nn.ReLU()))


def test_frozen_parameters_are_not_counted():
    model = build_model("relu")
    model[0].weight.requires_grad_(False)
    assert count_parameters(model) == 621 - 10 * 18
