"""Bad input found by trying the tool as a new user: clear errors, no tracebacks."""

from __future__ import annotations

import json

import pytest
import torch
from torch import nn

from activation_tutorial import cli
from activation_tutorial.activations import derivative
from activation_tutorial.collapse import fold_linear, max_abs_difference
from activation_tutorial.config import ExampleConfig
from activation_tutorial.model import build_model


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["train", "--lr", "1e308"], "--lr"),
        (["train", "--lr", "nan"], "--lr"),
        (["train", "--seed", str(2**64)], "--seed"),
        (["plot", "relu", "-o", "."], "folder"),
        (["plot", "relu", "-o", ""], "the file name is empty"),
        ([], "train, plot or list"),
    ],
)
def test_cli_rejects_with_one_line(capsys, argv, needle):
    code, _, err = _run(capsys, *argv)
    assert code == 2
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert needle in err


def test_cli_diverging_run_gives_strict_json_and_a_warning(capsys):
    code, out, err = _run(capsys, "train", "--lr", "1e10", "--epochs", "3", "--json")
    assert code == 0
    result = json.loads(out, parse_constant=pytest.fail)  # no NaN or Infinity
    assert result["epoch_losses"][-1] is None  # the loss overflowed
    assert "too large" in err


def test_cli_interrupt_is_one_line(capsys, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("activation_tutorial.example.run_example", interrupted)
    code, _, err = _run(capsys, "train", "--epochs", "1")
    assert code == 130
    assert "Traceback" not in err
    assert err.strip().endswith("interrupted")


def test_fold_linear_explains_what_it_cannot_fold():
    with pytest.raises(ValueError, match="at least one Linear"):
        fold_linear([])
    with pytest.raises(ValueError, match="do not chain"):
        fold_linear([nn.Linear(3, 4), nn.Linear(5, 2)])
    with pytest.raises(ValueError, match="ReLU"):
        fold_linear(build_model("relu"))


def test_fold_linear_takes_a_model_of_linear_layers():
    model = build_model("identity")
    x = torch.randn(8, 10)
    assert max_abs_difference(fold_linear(model)(x), model(x)) < 1e-5


def test_derivative_takes_numbers_and_lists():
    assert derivative("sigmoid", [0.0]).tolist() == [0.25]
    assert derivative("relu", torch.tensor([2])).tolist() == [1.0]


@pytest.mark.parametrize("sizes", [(10, -3, 1), (10, 2.5, 1), (10, 0, 1)])
def test_build_model_rejects_impossible_widths(sizes):
    with pytest.raises(ValueError, match="whole numbers above 0"):
        build_model("relu", sizes)


@pytest.mark.parametrize(
    "changes", [{"batch_size": 0}, {"samples": 0}, {"epochs": -1}, {"lr": 0.0}]
)
def test_example_config_rejects_impossible_values(changes):
    with pytest.raises(ValueError, match="above 0"):
        ExampleConfig(**changes)


def test_cli_a_learning_rate_too_large_to_apply_is_one_line(capsys):
    # within float32's range, but Adam's first step scales it beyond
    code, _, err = _run(capsys, "train", "--lr", "5e37", "--epochs", "1")
    assert code == 1
    assert "Traceback" not in err
    [error] = [line for line in err.splitlines() if "error" in line]
    assert error.endswith("the learning rate 5e+37 is too large to apply")
