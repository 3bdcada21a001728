"""The training loop of the example, kept as plain as the original."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import torch
from torch import nn

__all__ = ["History", "evaluate", "format_epoch", "single_thread", "train"]


@dataclass
class History:
    """What a training run produced, as data.

    Attributes:
        epoch_losses: mean of each epoch's mini-batch losses.
        batch_losses: every mini-batch loss, in the order they were computed.
    """

    epoch_losses: list[float] = field(default_factory=list)
    batch_losses: list[float] = field(default_factory=list)


def format_epoch(epoch: int, epochs: int, loss: float) -> str:
    """The one log line per epoch: fixed width, fixed decimals.

    Examples:
        >>> format_epoch(10, 150, 0.98765432)
        'epoch  10/150  loss 0.987654'
    """
    width = len(str(epochs))
    return f"epoch {epoch:>{width}}/{epochs}  loss {loss:.6f}"


# --8<-- [start:train]
def train(
    model: nn.Module,
    X: torch.Tensor,
    y: torch.Tensor,
    *,
    epochs: int = 150,
    batch_size: int = 10,
    lr: float = 0.001,
    log: Callable[[str], object] | None = None,
    log_every: int = 1,
    on_epoch: Callable[[int, nn.Module], object] | None = None,
) -> History:
    """Train `model` on `(X, y)` with Adam and MSE; return the losses.

    The data is walked in order, in slices of `batch_size`, as in the
    original article. When `log` is given, it receives one line every
    `log_every` epochs (and after the last one). When `on_epoch` is given,
    it is called as `on_epoch(epoch, model)` after every epoch.
    """
    loss_fn = nn.MSELoss()
    # foreach: one call per step updates every parameter (not one call per
    # parameter); the same numbers, bit for bit, in a fraction of the time
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, foreach=True)
    history = History()

    for epoch in range(1, epochs + 1):
        epoch_batch_losses = []
        for start in range(0, len(X), batch_size):
            x_batch = X[start : start + batch_size]
            y_batch = y[start : start + batch_size]

            # gradients add up across backward() calls; clear last batch's
            optimizer.zero_grad()

            # forward
            y_hat = model(x_batch)
            loss = loss_fn(y_hat, y_batch)

            # backward: fills .grad of every parameter with d loss / d param
            loss.backward()

            # update: move each parameter a small step against its gradient
            optimizer.step()

            epoch_batch_losses.append(loss.item())

        history.batch_losses.extend(epoch_batch_losses)
        history.epoch_losses.append(sum(epoch_batch_losses) / len(epoch_batch_losses))
        if log is not None and (epoch % log_every == 0 or epoch == epochs):
            log(format_epoch(epoch, epochs, history.epoch_losses[-1]))
        if on_epoch is not None:
            on_epoch(epoch, model)

    return history


# --8<-- [end:train]


@torch.no_grad()
def evaluate(model: nn.Module, X: torch.Tensor, y: torch.Tensor) -> float:
    """Return the mean squared error of `model` on `(X, y)`."""
    return nn.functional.mse_loss(model(X), y).item()


@contextmanager
def single_thread() -> Iterator[None]:
    """Run PyTorch on one thread inside the block, then restore the setting.

    The networks here are so small that a second thread brings nothing, and
    on a busy machine the threads wait for each other and slow every step
    down many times over.
    """
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)
