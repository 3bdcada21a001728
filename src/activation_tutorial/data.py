"""The tasks: the original article's noise task and a structured one."""

from __future__ import annotations

import math

import torch

__all__ = ["noise_task", "structured_target", "structured_task"]


def noise_task(
    samples: int = 100, features: int = 10
) -> tuple[torch.Tensor, torch.Tensor]:
    """Draw the original task from the global RNG: `X` first, then `y`.

    Both are standard normal, so `y` has nothing to do with `X`: a network
    can only memorise it. Call `torch.manual_seed` first for repeatable data.

    Examples:
        >>> _ = torch.manual_seed(0)
        >>> X, y = noise_task()
        >>> tuple(X.shape), tuple(y.shape)
        ((100, 10), (100, 1))
    """
    X = torch.randn(samples, features)
    y = torch.randn(samples, 1)
    return X, y


def structured_target(X: torch.Tensor) -> torch.Tensor:
    """A smooth non-linear function of the first four features of `X`.

    It mixes a wave, a product and a bump, none of which an affine map can
    follow; the other features are distractors.

    Examples:
        >>> structured_target(torch.zeros(1, 10)).tolist()
        [[1.0]]
    """
    x0, x1, x2, x3 = X[:, 0], X[:, 1], X[:, 2], X[:, 3]
    y = torch.sin(math.pi * x0 / 2) + x1 * x2 + torch.exp(-(x3**2))
    return y.unsqueeze(1)


def structured_task(
    train_samples: int = 1000,
    test_samples: int = 1000,
    features: int = 10,
    seed: int = 1234,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """Return `X_train, y_train, X_test, y_test` for the structured target.

    Uses its own generator, so the global RNG (and the model's initial
    weights) is left alone.

    Examples:
        >>> X_train, y_train, X_test, y_test = structured_task(8, 4)
        >>> tuple(X_train.shape), tuple(y_test.shape)
        ((8, 10), (4, 1))
    """
    generator = torch.Generator().manual_seed(seed)
    X = torch.randn(train_samples + test_samples, features, generator=generator)
    y = structured_target(X)
    return X[:train_samples], y[:train_samples], X[train_samples:], y[train_samples:]
