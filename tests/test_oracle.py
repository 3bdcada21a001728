"""The command line gives exactly the losses of the original article's recipe.

`original_recipe` is the example of the tutorial outline (section 6), written
from its description and nothing else: seed, `X` then `y` from a standard
normal, the network built layer by layer, MSE and Adam, 150 epochs over
slices of 10 in order. It shares no code with the package.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
import torch
from torch import nn

from activation_tutorial import cli

# the original maps names to modules itself; identity is the "no activation" case
ORIGINAL_ACTIVATIONS = {
    "relu": nn.ReLU,
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
    "leaky_relu": nn.LeakyReLU,
    "identity": nn.Identity,
}
EPOCHS, BATCH_SIZE, LR = 150, 10, 0.001
# the site's run is ReLU, seed 0, at the defaults: all 150 epochs of it are
# compared. The other activations, and another seed, are compared on their
# first epochs: Adam's steps do not depend on how many epochs follow, so
# these are a prefix of the full run, and they go through every line of it
SHORT_EPOCHS = 12
SITE_ACTIVATION = "relu"


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """Train on one thread, as `make test` does (OMP_NUM_THREADS=1): the
    networks are tiny, and two threads only fight over two shared cores."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@cache
def original_recipe(
    activation: str, seed: int, epochs: int = EPOCHS
) -> tuple[float, ...]:
    """Every mini-batch loss of the original example, in order."""
    torch.manual_seed(seed)
    X = torch.randn(100, 10)
    y = torch.randn(100, 1)

    act = ORIGINAL_ACTIVATIONS[activation]
    model = nn.Sequential(
        nn.Linear(10, 18),
        act(),
        nn.Linear(18, 18),
        act(),
        nn.Linear(18, 4),
        act(),
        nn.Linear(4, 1),
    )
    criterion = nn.MSELoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)

    losses = []
    for _ in range(epochs):
        for i in range(0, 100, BATCH_SIZE):
            optimizer.zero_grad()
            outputs = model(X[i : i + BATCH_SIZE])
            loss = criterion(outputs, y[i : i + BATCH_SIZE])
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    return tuple(losses)


def _device_args() -> list[str]:
    # the recipe runs on the CPU; on a machine with a GPU, so must the CLI
    return ["--device", "cpu"] if torch.cuda.is_available() else []


def cli_json(capsys, *args: str) -> dict:
    capsys.readouterr()
    assert cli.main(["train", *args, "--json", *_device_args()]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return json.loads(out)


@pytest.mark.parametrize("activation", list(ORIGINAL_ACTIVATIONS))
def test_cli_matches_the_original_recipe_exactly(activation, capsys):
    args = ["--activation", activation, "--seed", "0"]
    epochs = EPOCHS  # the default
    if activation != SITE_ACTIVATION:
        epochs = SHORT_EPOCHS
        args += ["--epochs", str(epochs)]
    result = cli_json(capsys, *args)
    expected = original_recipe(activation, 0, epochs)

    assert result["activation"] == activation
    assert result["seed"] == 0
    assert result["parameters"] == 621
    assert len(result["batch_losses"]) == epochs * 100 // BATCH_SIZE
    assert result["batch_losses"] == list(expected)
    per_epoch = [expected[i : i + 10] for i in range(0, len(expected), 10)]
    assert result["epoch_losses"] == pytest.approx(
        [sum(e) / len(e) for e in per_epoch], rel=1e-12
    )


@pytest.mark.parametrize("activation", list(ORIGINAL_ACTIVATIONS))
def test_cli_matches_the_original_recipe_for_another_seed(activation, capsys):
    args = ["--activation", activation, "--seed", "1", "--epochs", str(SHORT_EPOCHS)]
    result = cli_json(capsys, *args)
    assert result["batch_losses"] == list(original_recipe(activation, 1, SHORT_EPOCHS))
    assert result["batch_losses"] != list(original_recipe(activation, 0, SHORT_EPOCHS))


def test_default_activation_is_relu(capsys):
    result = cli_json(capsys, "--epochs", "2")
    assert result["activation"] == "relu"
    assert result["batch_losses"] == list(original_recipe("relu", 0, 2))


@pytest.mark.slow
def test_console_script_matches_the_original_recipe():
    # the venv's own script, whether or not the venv is on PATH
    script = shutil.which("activation-tutorial", path=str(Path(sys.executable).parent))
    assert script, "the activation-tutorial console script is not installed"
    proc = subprocess.run(
        [
            script,
            "train",
            "--activation",
            "relu",
            "--seed",
            "0",
            "--json",
            *_device_args(),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    result = json.loads(proc.stdout)
    assert result["batch_losses"] == list(original_recipe("relu", 0))
