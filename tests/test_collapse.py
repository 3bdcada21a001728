"""Folding a stack of Linear layers into one: it matches, and it refuses
networks that do not fold."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from activation_tutorial.collapse import fold_linear, linear_layers, max_abs_difference
from activation_tutorial.model import build_model


@pytest.fixture
def identity_network() -> nn.Sequential:
    torch.manual_seed(0)
    return build_model("identity")


def test_folded_layer_matches_the_identity_network(identity_network):
    folded = fold_linear(linear_layers(identity_network))
    assert (folded.in_features, folded.out_features) == (10, 1)
    x = torch.randn(1000, 10, generator=torch.Generator().manual_seed(1)) * 3
    with torch.no_grad():
        torch.testing.assert_close(folded(x), identity_network(x))
    assert max_abs_difference(folded(x), identity_network(x)) < 1e-5


def test_folded_layer_is_the_networks_jacobian_and_its_value_at_zero(identity_network):
    # independent of the folding formula: an affine map is its Jacobian and offset
    folded = fold_linear(linear_layers(identity_network))
    net64 = identity_network.double()
    jacobian = torch.autograd.functional.jacobian(
        net64, torch.zeros(1, 10, dtype=torch.float64)
    )
    torch.testing.assert_close(folded.weight.double(), jacobian.reshape(1, 10))
    with torch.no_grad():
        offset = net64(torch.zeros(1, 10, dtype=torch.float64)).reshape(1)
    torch.testing.assert_close(folded.bias.double(), offset)


def test_folding_two_layers_by_hand():
    first, second = nn.Linear(3, 4), nn.Linear(4, 2)
    folded = fold_linear([first, second])
    with torch.no_grad():
        torch.testing.assert_close(folded.weight, second.weight @ first.weight)
        torch.testing.assert_close(
            folded.bias, second.weight @ first.bias + second.bias
        )


def test_one_layer_folds_to_itself_and_missing_biases_count_as_zero():
    layer = nn.Linear(5, 3, bias=False)
    folded = fold_linear([layer])
    with torch.no_grad():
        torch.testing.assert_close(folded.weight, layer.weight)
        assert torch.equal(folded.bias, torch.zeros(3))


@pytest.mark.parametrize("name", ["relu", "sigmoid", "tanh", "leaky_relu", "gelu"])
def test_a_network_with_an_activation_is_refused(name):
    model = build_model(name)
    with pytest.raises(ValueError, match="cannot fold") as info:
        linear_layers(model)
    assert type(model[1]).__name__ in str(info.value)


def test_nothing_to_fold_is_refused():
    with pytest.raises(ValueError, match="no Linear"):
        linear_layers(nn.Sequential(nn.Identity()))


def test_max_abs_difference():
    a = torch.tensor([1.0, -2.0, 3.0])
    b = torch.tensor([1.5, -2.0, 0.0])
    assert max_abs_difference(a, b) == 3.0
    assert isinstance(max_abs_difference(a, a), float)
