"""The comparison of activations on the noise and structured tasks."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from activation_tutorial import activations
from activation_tutorial.comparison import (
    TABLE_HEADER,
    compare_noise,
    compare_structured,
    loss_figure,
    noise_data,
    panel_groups,
    reference_losses,
    reference_rows,
    single_thread,
    structured_data,
    table_rows,
)
from activation_tutorial.config import ExampleConfig, StructuredConfig
from activation_tutorial.example import run_example
from activation_tutorial.plots import render

TINY_NOISE = ExampleConfig(epochs=2)
TINY_STRUCTURED = StructuredConfig(train_samples=200, test_samples=100, epochs=2)


# the full comparisons the page runs: every claim its prose makes is
# checked here on the same numbers (about 10 s of training on one thread)
@pytest.fixture(scope="module")
def structured():
    return compare_structured()


@pytest.fixture(scope="module")
def noise():
    return compare_noise()


@pytest.fixture(scope="module")
def data():
    return structured_data()


def test_identity_plateaus_clearly_worse_than_relu(structured):
    identity, relu = structured["identity"], structured["relu"]
    assert identity.test_loss > 5 * relu.test_loss
    assert identity.train_loss > 5 * relu.train_loss


def test_identity_network_ends_at_the_best_affine_fit(structured, data):
    # a network without activations is an affine map: least squares is its
    # optimum, and training reaches it
    train, test = reference_losses(*data)["affine"]
    assert structured["identity"].train_loss == pytest.approx(train, rel=0.01)
    assert structured["identity"].test_loss == pytest.approx(test, rel=0.02)
    assert structured["identity"].train_loss >= train - 1e-6


def test_every_activation_beats_the_affine_fit(structured, data):
    _, affine_test = reference_losses(*data)["affine"]
    for name, run in structured.items():
        if name != "identity":
            assert run.test_loss < affine_test / 2, name


def test_on_noise_training_loss_falls_but_new_noise_is_not_predicted(noise):
    mean_train, mean_new = reference_losses(*noise_data())["mean"]
    assert noise["relu"].train_loss < mean_train / 2
    # memorised: on fresh noise every network is worse than answering the mean
    for name, run in noise.items():
        assert run.test_loss > mean_new, name


def test_on_noise_identity_and_sigmoid_fall_least(noise):
    final = sorted(noise, key=lambda n: noise[n].epoch_losses[-1])
    assert set(final[-2:]) == {"identity", "sigmoid"}


def test_on_structured_identity_is_flat_after_a_few_epochs(structured):
    losses = structured["identity"].epoch_losses
    assert losses[4] == pytest.approx(losses[-1], rel=0.05)


def test_on_structured_sigmoid_is_the_slowest_activation(structured):
    activations_only = {n: r for n, r in structured.items() if n != "identity"}
    slowest = max(activations_only, key=lambda n: activations_only[n].train_loss)
    assert slowest == "sigmoid"


def test_on_structured_what_is_learned_carries_over(structured):
    for name, run in structured.items():
        assert run.test_loss < 2.5 * run.train_loss, name


def test_noise_comparison_reproduces_the_example(noise):
    result = run_example("relu", seed=0)
    assert noise["relu"].epoch_losses == result.history.epoch_losses


def test_every_registered_activation_is_compared_by_default():
    runs = compare_structured(config=TINY_STRUCTURED)
    assert tuple(runs) == activations.names()


def test_same_seed_same_losses():
    a = compare_structured(["tanh"], config=TINY_STRUCTURED)["tanh"]
    b = compare_structured(["tanh"], config=TINY_STRUCTURED)["tanh"]
    c = compare_structured(["tanh"], seed=1, config=TINY_STRUCTURED)["tanh"]
    assert a == b
    assert a.epoch_losses != c.epoch_losses


def test_a_newly_registered_activation_shows_up_everywhere():
    activations.register(
        activations.Activation(
            name="mish_test",
            display_name="Mish (test)",
            module=nn.Mish,
            functional="torch.nn.functional.mish(x)",
            formula=r"f(x) = x \tanh(\ln(1 + e^x))",
            derivative=r"\text{(autograd)}",
            output_range=r"[\min f, \infty)",
            description="Registered by a test.",
            extra=True,
        )
    )
    try:
        noise = compare_noise(config=TINY_NOISE)
        structured = compare_structured(config=TINY_STRUCTURED)
        assert "mish_test" in noise and "mish_test" in structured
        rows = table_rows(noise, structured)
        assert [r[0] for r in rows] == [
            activations.get(n).display_name for n in activations.names()
        ]
        mish = next(r for r in rows if r[0] == "Mish (test)")
        assert mish[1:] == [
            f"{noise['mish_test'].train_loss:.3f}",
            f"{noise['mish_test'].test_loss:.3f}",
            f"{structured['mish_test'].train_loss:.3f}",
            f"{structured['mish_test'].test_loss:.3f}",
        ]
        assert "mish_test" in dict(panel_groups(structured))["extra activations"]
        assert "Mish (test)" in render(loss_figure, structured)["dark"].decode()
    finally:
        activations.unregister("mish_test")
    assert "mish_test" not in activations.names()


def test_table_rows_have_the_header_width(structured):
    for row in table_rows(structured, structured) + reference_rows():
        assert len(row) == len(TABLE_HEADER)


def test_reference_losses_against_closed_forms():
    X = torch.tensor([[0.0], [1.0], [2.0], [3.0]])
    y = torch.tensor([[1.0], [0.0], [0.0], [1.0]])
    losses = reference_losses(X, y, X, y)
    # mean 0.5, every point off by 0.5
    assert losses["mean"] == pytest.approx((0.25, 0.25))
    # the best line through a symmetric U is flat: no better than the mean
    assert losses["affine"] == pytest.approx((0.25, 0.25))


def test_single_thread_restores_the_setting():
    before = torch.get_num_threads()
    with single_thread():
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before


def test_loss_figure_draws_both_panels(structured):
    svg = render(loss_figure, structured, title="Structured task")["light"].decode()
    assert "the original article's activations" in svg
    assert "Structured task" in svg
