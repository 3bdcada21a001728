"""The original article's recipe end to end: seed, data, model, training."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch

from .config import ExampleConfig
from .data import noise_task
from .model import build_model, count_parameters
from .train import History, train

__all__ = ["ExampleResult", "run_example"]


@dataclass
class ExampleResult:
    """The outcome of one run of the example."""

    activation: str
    seed: int
    parameters: int
    history: History
    model: torch.nn.Module


def run_example(
    activation: str = "relu",
    seed: int = 0,
    config: ExampleConfig | None = None,
    log: Callable[[str], object] | None = None,
    log_every: int = 1,
    device: str | torch.device = "cpu",
) -> ExampleResult:
    """Run the example exactly as the original orders it.

    The seed is set first, then `X` and `y` are drawn, then the model is
    built, then it is trained; the same order gives the same numbers.

    Examples:
        >>> result = run_example("relu", seed=0, config=ExampleConfig(epochs=2))
        >>> result.parameters, len(result.history.epoch_losses)
        (621, 2)
    """
    config = config or ExampleConfig()

    torch.manual_seed(seed)
    X, y = noise_task(config.samples, config.features)
    model = build_model(activation, config.sizes)

    # data and weights are drawn on the CPU so that a seed means the same
    # numbers everywhere; only the training runs on `device`
    model = model.to(device)
    history = train(
        model,
        X.to(device),
        y.to(device),
        epochs=config.epochs,
        batch_size=config.batch_size,
        lr=config.lr,
        log=log,
        log_every=log_every,
    )
    return ExampleResult(activation, seed, count_parameters(model), history, model)
