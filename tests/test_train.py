"""The training loop: its history, its log lines, and that a seed fixes it."""

from __future__ import annotations

import re

import pytest
import torch

from activation_tutorial.config import ExampleConfig
from activation_tutorial.data import noise_task
from activation_tutorial.example import run_example
from activation_tutorial.model import build_model
from activation_tutorial.train import History, evaluate, format_epoch, train

SHORT = ExampleConfig(epochs=4)
LOG_LINE = re.compile(r"^epoch +\d+/\d+  loss \d+\.\d{6}$")


def _setup(seed=0, samples=100):
    torch.manual_seed(seed)
    X, y = noise_task(samples)
    return build_model("tanh"), X, y


def test_history_shapes_and_epoch_means():
    model, X, y = _setup()
    history = train(model, X, y, epochs=3, batch_size=10)
    assert isinstance(history, History)
    assert len(history.epoch_losses) == 3
    assert len(history.batch_losses) == 30
    for epoch, mean in enumerate(history.epoch_losses):
        batch = history.batch_losses[epoch * 10 : (epoch + 1) * 10]
        assert mean == pytest.approx(sum(batch) / 10, rel=1e-12)
    assert all(isinstance(v, float) for v in history.batch_losses)


def test_last_partial_batch_is_used():
    model, X, y = _setup(samples=25)
    history = train(model, X, y, epochs=2, batch_size=10)
    assert len(history.batch_losses) == 2 * 3


def test_log_lines_have_one_fixed_format_at_the_interval():
    model, X, y = _setup()
    lines: list[str] = []
    history = train(model, X, y, epochs=7, log=lines.append, log_every=3)
    assert [line.split("/")[0] for line in lines] == ["epoch 3", "epoch 6", "epoch 7"]
    assert all(LOG_LINE.match(line) for line in lines), lines
    assert lines[-1].endswith(f"{history.epoch_losses[-1]:.6f}")


def test_format_epoch_pads_to_the_width_of_the_total():
    assert format_epoch(7, 150, 0.5) == "epoch   7/150  loss 0.500000"
    assert format_epoch(150, 150, 1 / 3) == "epoch 150/150  loss 0.333333"
    assert format_epoch(2, 9, 12.0) == "epoch 2/9  loss 12.000000"


def test_same_seed_same_losses_and_weights():
    a = run_example("relu", seed=3, config=SHORT)
    b = run_example("relu", seed=3, config=SHORT)
    assert a.history.batch_losses == b.history.batch_losses
    assert a.history.epoch_losses == b.history.epoch_losses
    for pa, pb in zip(a.model.parameters(), b.model.parameters(), strict=True):
        assert torch.equal(pa, pb)


def test_a_run_does_not_depend_on_earlier_random_draws():
    a = run_example("sigmoid", seed=5, config=SHORT)
    torch.randn(1000)  # disturb the global generator
    b = run_example("sigmoid", seed=5, config=SHORT)
    assert a.history.batch_losses == b.history.batch_losses


def test_other_seed_other_losses():
    a = run_example("relu", seed=0, config=SHORT)
    b = run_example("relu", seed=1, config=SHORT)
    assert a.history.batch_losses != b.history.batch_losses


def test_loss_falls_on_the_noise_task():
    result = run_example("relu", seed=0, config=ExampleConfig(epochs=30))
    losses = result.history.epoch_losses
    assert losses[-1] < losses[0]


def test_evaluate_is_the_mean_squared_error():
    model, X, y = _setup()
    with torch.no_grad():
        by_hand = ((model(X) - y) ** 2).mean().item()
    assert evaluate(model, X, y) == pytest.approx(by_hand, rel=1e-6)
    assert torch.is_grad_enabled()  # no_grad ends with the call
