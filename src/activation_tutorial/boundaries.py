"""Decision boundaries: what a network can draw with and without activations.

The problem is two concentric rings of points in the plane: class 1 on the
inner ring, class 0 on the outer one. No straight line separates them, so a
network without activations (an affine map, however deep) cannot classify
them, while the same network with any activation can.

Examples:
    >>> experiment = run_experiment(("identity", "relu"))
    >>> results = experiment.results
    >>> results["identity"].accuracy < 0.7 < results["relu"].accuracy
    True
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from torch import nn

from .activations import get
from .model import build_model
from .plots import NARROW_WIDTH, style_for, themed

__all__ = [
    "ACTIVATIONS",
    "BoundaryExperiment",
    "BoundaryResult",
    "RingsConfig",
    "accuracy",
    "boundary_figure",
    "describe",
    "linear_accuracy_bound",
    "predict",
    "rings",
    "run_experiment",
    "train_classifier",
]

# identity first, then the four activations of the original article
ACTIVATIONS = ("identity", "relu", "sigmoid", "tanh", "leaky_relu")


@dataclass(frozen=True)
class RingsConfig:
    """Everything the experiment depends on, in one place."""

    samples: int = 200  # per split: training and test each
    inner_radius: float = 0.5  # class 1
    outer_radius: float = 1.0  # class 0
    noise: float = 0.08  # std of the Gaussian jitter; keeps a clear gap
    sizes: tuple[int, ...] = (2, 16, 16, 1)
    epochs: int = 300  # full-batch steps: one step per epoch
    lr: float = 0.02  # larger than the example's 0.001: 300 steps, not 1500
    data_seed: int = 0
    model_seed: int = 0


def rings(
    samples: int, config: RingsConfig = RingsConfig(), *, generator: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    """Draw `samples` points, half on each ring, in random order.

    Returns `x` of shape (samples, 2) and the targets `y` of shape
    (samples, 1), 1.0 for the inner ring and 0.0 for the outer one.

    Examples:
        >>> x, y = rings(6, generator=torch.Generator().manual_seed(0))
        >>> tuple(x.shape), tuple(y.shape), y.sum().item()
        ((6, 2), (6, 1), 3.0)
    """
    y = (torch.arange(samples) < samples // 2).float()
    radius = torch.where(y == 1, config.inner_radius, config.outer_radius)
    angle = 2 * math.pi * torch.rand(samples, generator=generator)
    x = torch.stack([radius * torch.cos(angle), radius * torch.sin(angle)], dim=1)
    x = x + config.noise * torch.randn(samples, 2, generator=generator)
    order = torch.randperm(samples, generator=generator)
    return x[order], y[order].unsqueeze(1)


def linear_accuracy_bound(
    inner_radius: float = 0.5, outer_radius: float = 1.0
) -> float:
    """The best accuracy any straight line reaches on noise-free rings.

    A half-plane that holds the whole inner ring must have its edge at least
    `inner_radius` from the centre, so it leaves out at most the arc of the
    outer ring beyond that edge: a fraction `arccos(r / R) / pi` of it. Moving
    the edge closer only loses more of the inner ring than it gains of the
    outer one. With equal classes the best is therefore
    `1/2 + arccos(r / R) / (2 pi)`.

    Examples:
        >>> round(linear_accuracy_bound(0.5, 1.0), 4)
        0.6667
    """
    return 0.5 + math.acos(inner_radius / outer_radius) / (2 * math.pi)


@torch.no_grad()
def predict(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """The predicted class, 0.0 or 1.0, for every row of `x`.

    The model outputs a logit `y_hat`; a positive logit means class 1
    (probability above one half).
    """
    return (model(x) > 0).float()


def accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    """The fraction of rows of `x` whose predicted class equals `y`.

    Examples:
        >>> model = nn.Linear(1, 1)
        >>> with torch.no_grad():
        ...     _ = model.weight.fill_(1.0), model.bias.fill_(0.0)
        >>> accuracy(model, torch.tensor([[-1.0], [2.0]]), torch.tensor([[0.0], [0.0]]))
        0.5
    """
    return (predict(model, x) == y).float().mean().item()


@contextmanager
def _one_thread() -> Iterator[None]:
    """Run PyTorch on one thread inside the block, then restore the setting.

    NOTE: on tensors this small, extra threads only add overhead, and on a
    busy machine their spin-waiting made this training 15 times slower.
    """
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def train_classifier(
    activation: str,
    x: torch.Tensor,
    y: torch.Tensor,
    config: RingsConfig = RingsConfig(),
) -> tuple[nn.Module, list[float]]:
    """Train `build_model(activation, config.sizes)` with full-batch Adam.

    The initial weights come from `config.model_seed` inside a forked RNG,
    so the global random state is left as it was. Returns the model and the
    loss (binary cross-entropy on logits) of every step.
    """
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(config.model_seed)
        model = build_model(activation, config.sizes)
    loss_fn = nn.BCEWithLogitsLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=config.lr, foreach=True)
    losses = []

    with _one_thread():
        for _ in range(config.epochs):
            optimizer.zero_grad()

            # forward: one logit per point
            y_hat = model(x)
            loss = loss_fn(y_hat, y)

            # backward, then update
            loss.backward()
            optimizer.step()
            losses.append(loss.item())

    return model, losses


@dataclass
class BoundaryResult:
    """One trained classifier and how well it does on the test points."""

    activation: str
    model: nn.Module
    accuracy: float
    train_accuracy: float
    losses: list[float]


@dataclass
class BoundaryExperiment:
    """The data of the experiment and one result per activation name."""

    config: RingsConfig
    x_train: torch.Tensor
    y_train: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor
    results: dict[str, BoundaryResult] = field(default_factory=dict)


def run_experiment(
    activations: Sequence[str] = ACTIVATIONS, config: RingsConfig = RingsConfig()
) -> BoundaryExperiment:
    """Draw the rings, then train and score one classifier per activation.

    Every classifier sees the same points and starts from the same seed, so
    the activation is the only difference between them.
    """
    generator = torch.Generator().manual_seed(config.data_seed)
    x_train, y_train = rings(config.samples, config, generator=generator)
    x_test, y_test = rings(config.samples, config, generator=generator)
    experiment = BoundaryExperiment(config, x_train, y_train, x_test, y_test)
    for name in activations:
        model, losses = train_classifier(name, x_train, y_train, config)
        experiment.results[name] = BoundaryResult(
            activation=name,
            model=model,
            accuracy=accuracy(model, x_test, y_test),
            train_accuracy=accuracy(model, x_train, y_train),
            losses=losses,
        )
    return experiment


# class colours: distinct from each other in both themes and for the common
# colour-vision deficiencies; the classes also differ by marker
_CLASS = ("#56B4E9", "#E69F00")
_SHADE = {"light": 0.22, "dark": 0.2}
_MARKER = ("o", "^")


def boundary_figure(
    experiment: BoundaryExperiment, theme: str = "light", *, narrow: bool = False
) -> Figure:
    """Small multiples: each classifier's decision regions and the test points.

    Shaded regions are where the classifier predicts each class; the line is
    its decision boundary (logit 0), drawn in the activation's line style. Each
    panel title gives the accuracy on the points shown. The panels are in
    three columns, or with `narrow` (for phones) in two.
    """
    extent = experiment.config.outer_radius + 0.45
    steps = 241
    axis = torch.linspace(-extent, extent, steps)
    gx, gy = torch.meshgrid(axis, axis, indexing="xy")
    grid = torch.stack([gx.flatten(), gy.flatten()], dim=1)
    text = "#1f1f1f" if theme == "light" else "#e2e2e2"
    colours = _CLASS

    names_ = list(experiment.results)
    columns = 2 if narrow else 3
    rows = math.ceil((len(names_) + 1) / columns)
    with themed(theme):
        fig, axes = plt.subplots(
            rows,
            columns,
            figsize=(NARROW_WIDTH, 2.0 * rows) if narrow else (7.2, 2.55 * rows),
            # the resolution of the rasterised panels (text stays vector):
            # sharp at 1.5 device pixels per CSS pixel, under 60 kB in all
            dpi=150,
            layout="constrained",
            sharex=True,
            sharey=True,
        )
        flat = list(axes.flat)
        for ax, name in zip(flat, names_, strict=False):
            result = experiment.results[name]
            with torch.no_grad():
                logits = result.model(grid).reshape(steps, steps)
            ax.contourf(
                gx,
                gy,
                (logits > 0).float(),
                levels=[-0.5, 0.5, 1.5],
                colors=colours,
                alpha=_SHADE[theme],
            )
            # the line takes the theme's text colour for contrast against both
            # regions, and the activation's line style
            style = style_for(name, theme)
            ax.contour(
                gx,
                gy,
                logits,
                levels=[0.0],
                colors=[text],
                linestyles=[style["linestyle"]],
                linewidths=2.0,
            )
            _scatter_points(ax, experiment.x_test, experiment.y_test, colours, text)
            # regions, boundary and points as one embedded bitmap per panel: as
            # SVG paths they weigh several hundred kB; titles stay text
            ax.set_rasterization_zorder(2.95)
            label = "No activation" if name == "identity" else get(name).display_name
            # a narrow panel is too narrow for the title on one line
            between = "\n" if narrow else ": "
            ax.set_title(f"{label}{between}{result.accuracy:.1%} correct", fontsize=10)

        # the spare panel explains the markers instead of staying empty
        legend_ax = flat[len(names_)]
        legend_ax.set_axis_off()
        handles = [
            legend_ax.scatter(
                [],
                [],
                marker=_MARKER[c],
                s=22,
                color=colours[c],
                edgecolors=text,
                linewidths=0.4,
                label=label,
            )
            for c, label in ((1, "test point, class 1"), (0, "test point, class 0"))
        ]
        handles += [
            Patch(color=colours[1], alpha=_SHADE[theme], label="predicted class 1"),
            Patch(color=colours[0], alpha=_SHADE[theme], label="predicted class 0"),
            Line2D([], [], color=text, linewidth=2.0, label="decision boundary"),
        ]
        legend_ax.legend(handles=handles, loc="center", fontsize=8 if narrow else 9)
        for ax in flat[len(names_) + 1 :]:
            ax.set_axis_off()

        for ax in flat[: len(names_)]:
            ax.set_aspect("equal")
            ax.set_xlim(-extent, extent)
            ax.set_ylim(-extent, extent)
            ax.grid(False)
            ax.set_xticks([-1, 0, 1])
            ax.set_yticks([-1, 0, 1])
    return fig


def describe(experiment: BoundaryExperiment) -> str:
    """Alt text for `boundary_figure(experiment)`, with its accuracies."""
    parts = []
    for name, result in experiment.results.items():
        if name == "identity":
            shape = "a straight boundary"
            label = "without activation"
        else:
            shape = "a curved boundary"
            label = f"with {get(name).display_name}"
        parts.append(f"{label}, {shape} and {result.accuracy:.1%} correct")
    return (
        f"{len(parts)} panels of test points on two rings, inner ring class 1 "
        "and outer ring class 0, each shading the regions one network assigns "
        "to each class and drawing the boundary between them: " + "; ".join(parts) + "."
    )


def _scatter_points(ax, x, y, colours, edge) -> None:
    for c in (0, 1):
        points = x[y[:, 0] == c]
        ax.scatter(
            points[:, 0],
            points[:, 1],
            s=12,
            marker=_MARKER[c],
            color=colours[c],
            edgecolors=edge,
            linewidths=0.3,
            # below text (3), so that titles and labels stay text
            zorder=2.9,
        )
