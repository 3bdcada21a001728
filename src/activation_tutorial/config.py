"""Hyperparameters of the tutorial's experiments, in one place."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ApproximationConfig",
    "DepthConfig",
    "ExampleConfig",
    "StructuredConfig",
]


@dataclass(frozen=True)
class ExampleConfig:
    """The original article's example, value for value.

    Examples:
        >>> config = ExampleConfig()
        >>> (config.samples, config.batch_size, config.epochs, config.lr)
        (100, 10, 150, 0.001)
        >>> config.sizes
        (10, 18, 18, 4, 1)
    """

    samples: int = 100
    features: int = 10
    # NOTE: the original's prose says three hidden layers of 18; its code,
    # which this reproduces, has 18, 18 and 4
    hidden: tuple[int, ...] = (18, 18, 4)
    outputs: int = 1
    batch_size: int = 10
    epochs: int = 150
    lr: float = 0.001

    def __post_init__(self) -> None:
        for name in ("samples", "features", "outputs", "batch_size", "epochs"):
            value = getattr(self, name)
            if not (isinstance(value, int) and value > 0):
                raise ValueError(
                    f"{name} must be a whole number above 0, got {value!r}"
                )
        if not self.lr > 0:
            raise ValueError(f"lr must be above 0, got {self.lr!r}")

    @property
    def sizes(self) -> tuple[int, ...]:
        """Layer widths from input to output."""
        return (self.features, *self.hidden, self.outputs)


@dataclass(frozen=True)
class StructuredConfig:
    """The structured task: a non-linear target with a held-out test set.

    Same network as the example. More data than the example, so that a
    trained network generalises instead of memorising, and larger
    mini-batches with a larger learning rate, so that few optimizer steps
    are enough to tell the activations apart: every activation of the
    registry is trained on this task while the site builds.

    Examples:
        >>> config = StructuredConfig()
        >>> config.sizes
        (10, 18, 18, 4, 1)
        >>> config.train_samples // config.batch_size * config.epochs  # steps
        500
    """

    train_samples: int = 1000
    test_samples: int = 1000
    features: int = 10
    hidden: tuple[int, ...] = (18, 18, 4)
    outputs: int = 1
    # 10 mini-batches per epoch: the cost is in the number of optimizer
    # steps, not in the batch size
    batch_size: int = 100
    epochs: int = 50
    lr: float = 0.01
    # the data has its own seed so that it is the same whatever the model seed
    data_seed: int = 1234

    @property
    def sizes(self) -> tuple[int, ...]:
        """Layer widths from input to output."""
        return (self.features, *self.hidden, self.outputs)


@dataclass(frozen=True)
class DepthConfig:
    """The deep stack of the experiment and the batch it sees.

    Examples:
        >>> DepthConfig().sizes[:3], len(DepthConfig().sizes)
        ((32, 32, 32), 17)
    """

    # 16 Linear layers: 15 of width 32 with the activation after each, then
    # one Linear(32, 1) for the output
    depth: int = 16
    width: int = 32
    batch: int = 64
    init: str = "he"
    seed: int = 0

    @property
    def sizes(self) -> tuple[int, ...]:
        """Layer widths from input to output."""
        return (self.width,) * self.depth + (1,)


@dataclass(frozen=True)
class ApproximationConfig:
    """The function to fit, the widths to try and how to train them.

    Examples:
        >>> ApproximationConfig().widths
        (1, 3, 10, 50)
    """

    widths: tuple[int, ...] = (1, 3, 10, 50)
    activation: str = "tanh"
    # the bounded region of the theorem: the interval the fit is trained on
    interval: tuple[float, float] = (-1.0, 1.0)
    points: int = 256
    # full batch: every step sees every point; at 600 steps and lr 0.05 the
    # widest layer was no closer than 10 neurons (under-trained, not the law)
    steps: int = 1000
    lr: float = 0.02
    seed: int = 0
