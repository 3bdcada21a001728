"""Every activation of the registry, trained on the noise and structured tasks.

The noise task is the original article's: random targets, so a network can
only memorise them, and its loss on fresh noise says so. The structured task
has a target that really is a non-linear function of the inputs, and a
held-out test set, so there the choice of activation shows.

Both comparisons read the registry when they run: an activation registered
with `activations.register` is trained and tabulated like the others.

Examples:
    >>> from activation_tutorial.config import ExampleConfig, StructuredConfig
    >>> runs = compare_noise(["identity", "relu"], config=ExampleConfig(epochs=3))
    >>> list(runs), len(runs["relu"].epoch_losses)
    (['identity', 'relu'], 3)
    >>> print(f"{runs['relu'].train_loss:.4f} {runs['relu'].test_loss:.4f}")
    0.8079 1.1317
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure

from .activations import get, names
from .config import ExampleConfig, StructuredConfig
from .data import noise_task, structured_task
from .example import run_example
from .model import build_model
from .plots import NARROW_WIDTH, legend_below, panel_groups, plot_line, themed
from .train import evaluate, single_thread, train

__all__ = [
    "REFERENCE_LABELS",
    "TABLE_HEADER",
    "Run",
    "compare_noise",
    "compare_structured",
    "epoch_curves",
    "loss_figure",
    "noise_data",
    "noise_test_set",
    "panel_groups",
    "reference_losses",
    "reference_rows",
    "single_thread",
    "structured_data",
    "table_rows",
]

TABLE_HEADER = (
    "activation",
    "noise: train",
    "noise: new noise",
    "structured: train",
    "structured: test",
)

# fresh noise to test the noise task on: as many samples, and the same seed,
# as the PyTorch example page uses, so both pages print the same numbers
NOISE_TEST_SAMPLES = 1000
NOISE_TEST_SEED = 1


@dataclass
class Run:
    """One activation trained on one task.

    Attributes:
        activation: the registry name.
        epoch_losses: mean training loss of each epoch.
        train_loss: MSE of the trained network on the whole training set.
        test_loss: MSE of the trained network on data it never saw.
    """

    activation: str
    epoch_losses: list[float]
    train_loss: float
    test_loss: float


def noise_test_set(
    samples: int = NOISE_TEST_SAMPLES,
    features: int = 10,
    seed: int = NOISE_TEST_SEED,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Fresh noise drawn like the noise task's, from a generator of its own.

    Examples:
        >>> X_new, y_new = noise_test_set(samples=4)
        >>> tuple(X_new.shape), tuple(y_new.shape)
        ((4, 10), (4, 1))
    """
    generator = torch.Generator().manual_seed(seed)
    X = torch.randn(samples, features, generator=generator)
    y = torch.randn(samples, 1, generator=generator)
    return X, y


def noise_data(
    seed: int = 0, config: ExampleConfig | None = None
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """`X, y, X_new, y_new`: the example's data for `seed`, then fresh noise.

    `X, y` are the draw `run_example` makes: seed, then `X`, then `y`.
    """
    config = config or ExampleConfig()
    torch.manual_seed(seed)
    X, y = noise_task(config.samples, config.features)
    return (X, y, *noise_test_set(features=config.features))


def structured_data(
    config: StructuredConfig | None = None,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """`X, y, X_test, y_test` of the structured task, as `config` sets it."""
    c = config or StructuredConfig()
    return structured_task(c.train_samples, c.test_samples, c.features, c.data_seed)


def compare_noise(
    activations: Iterable[str] | None = None,
    *,
    seed: int = 0,
    config: ExampleConfig | None = None,
) -> dict[str, Run]:
    """Train the original example once per activation (every one by default).

    The training loss is measured on the example's own data, the "test" loss
    on fresh noise (`noise_test_set`): there is nothing to generalise, so
    no network should beat predicting the mean there.
    """
    config = config or ExampleConfig()
    X, y, X_new, y_new = noise_data(seed, config)
    runs = {}
    with single_thread():
        for name in names() if activations is None else activations:
            result = run_example(name, seed, config)
            runs[name] = Run(
                name,
                result.history.epoch_losses,
                evaluate(result.model, X, y),
                evaluate(result.model, X_new, y_new),
            )
    return runs


def compare_structured(
    activations: Iterable[str] | None = None,
    *,
    seed: int = 0,
    config: StructuredConfig | None = None,
) -> dict[str, Run]:
    """Train the example's network on the structured task, once per activation.

    Every network starts from `torch.manual_seed(seed)` and sees the same
    data; only the activation differs.

    Examples:
        >>> runs = compare_structured(["relu"], config=StructuredConfig(epochs=2))
        >>> print(f"{runs['relu'].test_loss:.4f}")
        1.4909
    """
    config = config or StructuredConfig()
    X, y, X_test, y_test = structured_data(config)
    runs = {}
    with single_thread():
        for name in names() if activations is None else activations:
            torch.manual_seed(seed)
            model = build_model(name, config.sizes)
            history = train(
                model,
                X,
                y,
                epochs=config.epochs,
                batch_size=config.batch_size,
                lr=config.lr,
            )
            runs[name] = Run(
                name,
                history.epoch_losses,
                evaluate(model, X, y),
                evaluate(model, X_test, y_test),
            )
    return runs


def epoch_curves(runs: Mapping[str, Run]) -> dict[str, list[float]]:
    """The loss curves of `runs`, in the shape `plots.curves_figure` takes."""
    return {name: run.epoch_losses for name, run in runs.items()}


def reference_losses(
    X: torch.Tensor, y: torch.Tensor, X_test: torch.Tensor, y_test: torch.Tensor
) -> dict[str, tuple[float, float]]:
    """Train and test MSE of two models that need no gradient descent.

    - "mean": answer the mean of the training targets, whatever the input;
      a model that does no better on new data has learned nothing.
    - "affine": the least-squares affine fit `x -> x A^T + b`, the best any
      network without activations can do on the training data.

    Examples:
        >>> X = torch.tensor([[0.0], [1.0], [2.0]])
        >>> losses = reference_losses(X, 2 * X + 1, X, 2 * X + 1)
        >>> {k: tuple(round(v, 4) for v in t) for k, t in losses.items()}
        {'mean': (2.6667, 2.6667), 'affine': (0.0, 0.0)}
    """

    def ones_column(X: torch.Tensor) -> torch.Tensor:
        return torch.cat([X, torch.ones(len(X), 1, dtype=X.dtype)], dim=1)

    # least squares in float64: the reference should carry no rounding error
    solution = torch.linalg.lstsq(ones_column(X).double(), y.double()).solution
    mean = y.mean()
    losses = {}
    for key, predict in (
        ("mean", lambda X: mean.expand(len(X), 1)),
        ("affine", lambda X: (ones_column(X).double() @ solution).float()),
    ):
        losses[key] = (
            (predict(X) - y).pow(2).mean().item(),
            (predict(X_test) - y_test).pow(2).mean().item(),
        )
    return losses


REFERENCE_LABELS = {
    "mean": "no network: the training mean",
    "affine": "best affine fit (least squares)",
}


def reference_rows(
    noise_config: ExampleConfig | None = None,
    structured_config: StructuredConfig | None = None,
    *,
    seed: int = 0,
    digits: int = 3,
) -> list[list[str]]:
    """Rows for the table under `table_rows`: the two `reference_losses`.

    Examples:
        >>> for row in reference_rows():
        ...     print(row)
        ['no network: the training mean', '0.751', '1.024', '1.970', '1.731']
        ['best affine fit (least squares)', '0.648', '1.198', '1.626', '1.524']
    """
    noise = reference_losses(*noise_data(seed, noise_config or ExampleConfig()))
    structured = reference_losses(*structured_data(structured_config))
    return [
        [
            label,
            *(f"{v:.{digits}f}" for v in noise[key]),
            *(f"{v:.{digits}f}" for v in structured[key]),
        ]
        for key, label in REFERENCE_LABELS.items()
    ]


def loss_figure(
    runs: Mapping[str, Run],
    theme: str = "light",
    *,
    title: str = "",
    narrow: bool = False,
) -> Figure:
    """Training loss per epoch, one line per activation, on a log y-axis.

    Two panels (see `panel_groups`), sharing their axes, so that each holds
    few enough lines to follow; side by side, or with `narrow` (for phones)
    one above the other.
    """
    panels = panel_groups(runs)
    with themed(theme):
        fig, axes = plt.subplots(
            *((len(panels), 1) if narrow else (1, len(panels))),
            figsize=(NARROW_WIDTH, 3.0 * len(panels) + 1.0) if narrow else (7.6, 3.8),
            sharex=narrow,
            sharey=True,
            layout="constrained",
            squeeze=False,
        )
        for ax, (label, group) in zip(axes.flat, panels, strict=True):
            for i, name in enumerate(group):
                losses = runs[name].epoch_losses
                xs = range(1, len(losses) + 1)
                markevery = (i * 2, max(1, len(losses) // 8))
                plot_line(ax, name, xs, losses, theme, markevery=markevery)
            ax.set_yscale("log")
            ax.set_title(label, fontsize=10)
            if not narrow:
                ax.legend(fontsize=8, loc="lower left")
        for ax in axes[-1]:
            ax.set_xlabel("epoch")
        ylabel = "training loss (mean MSE over the epoch)"
        if narrow:  # one label along both panels: it is longer than one
            fig.supylabel(ylabel, fontsize=10)
            legend_below(fig)
        else:
            axes[0][0].set_ylabel(ylabel)
        if title:
            fig.suptitle(title)
    return fig


def table_rows(
    noise: Mapping[str, Run], structured: Mapping[str, Run], digits: int = 3
) -> list[list[str]]:
    """One row per activation: its name, then the four losses, formatted.

    The columns are those of `TABLE_HEADER`; an activation missing from one
    task gets a dash there.

    Examples:
        >>> a = {"relu": Run("relu", [], 0.12345, 1.5)}
        >>> table_rows(a, {})
        [['ReLU', '0.123', '1.500', '–', '–']]
    """
    rows = []
    for name in dict.fromkeys([*noise, *structured]):
        row = [get(name).display_name]
        for runs in (noise, structured):
            run = runs.get(name)
            if run is None:
                row += ["–", "–"]
            else:
                row += [f"{run.train_loss:.{digits}f}", f"{run.test_loss:.{digits}f}"]
        rows.append(row)
    return rows
