"""A playback of training: the structured task's fit, epoch by epoch.

`record` trains one network per activation and keeps its test-set
predictions every few epochs; `frame_figure` draws one epoch; `Playback`
shows all the frames in a notebook with a slider and a play button.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image

from .activations import get
from .config import StructuredConfig
from .data import structured_task
from .display import ImageFile, data_uri, picture_html
from .model import build_model
from .plots import NARROW_WIDTH, THEMES, palette_png, style_for, themed
from .train import train

__all__ = ["Playback", "Recording", "frame_figure", "record", "show_playback"]

ORIGINAL = ("identity", "relu", "sigmoid", "tanh", "leaky_relu")


@dataclass
class Recording:
    """Test-set predictions of each activation's network, every few epochs.

    Attributes:
        epochs: the epochs at which predictions were kept (0 = before training).
        y_test: the true targets of the test set.
        predictions: registry name -> one tensor of predictions per epoch kept.
    """

    epochs: list[int] = field(default_factory=list)
    y_test: torch.Tensor | None = None
    predictions: dict[str, list[torch.Tensor]] = field(default_factory=dict)


def record(
    activations: Sequence[str] = ORIGINAL,
    every: int = 15,
    seed: int = 0,
    config: StructuredConfig | None = None,
) -> Recording:
    """Train on the structured task and keep test predictions every `every` epochs.

    Examples:
        >>> rec = record(["relu"], every=1, config=StructuredConfig(epochs=2))
        >>> rec.epochs, len(rec.predictions["relu"])
        ([0, 1, 2], 3)
    """
    config = config or StructuredConfig()
    X_train, y_train, X_test, y_test = structured_task(
        config.train_samples, config.test_samples, config.features, config.data_seed
    )
    recording = Recording(y_test=y_test)
    recording.epochs = [0, *range(every, config.epochs + 1, every)]
    if recording.epochs[-1] != config.epochs:
        recording.epochs.append(config.epochs)

    for name in activations:
        torch.manual_seed(seed)
        model = build_model(name, config.sizes)
        kept = [_predict(model, X_test)]

        def keep(epoch: int, model: torch.nn.Module, kept=kept) -> None:
            if epoch in recording.epochs:
                kept.append(_predict(model, X_test))

        train(
            model,
            X_train,
            y_train,
            epochs=config.epochs,
            batch_size=config.batch_size,
            lr=config.lr,
            on_epoch=keep,
        )
        recording.predictions[name] = kept
    return recording


@torch.no_grad()
def _predict(model: torch.nn.Module, X: torch.Tensor) -> torch.Tensor:
    return model(X).squeeze(1).clone()


def frame_figure(
    recording: Recording, index: int, theme: str = "light", *, narrow: bool = False
) -> Figure:
    """Predicted against true test targets, one panel per activation.

    A perfect fit puts every point on the diagonal. The panels are in one
    row, or with `narrow` (for phones) in two columns.
    """
    y = recording.y_test.squeeze(1)
    low, high = y.min().item(), y.max().item()
    names = list(recording.predictions)
    columns = min(2, len(names)) if narrow else len(names)
    rows = math.ceil(len(names) / columns)
    with themed(theme):
        fig, axes = plt.subplots(
            rows,
            columns,
            figsize=(NARROW_WIDTH, 2.0 * rows + 0.3)
            if narrow
            else (1.9 * columns, 2.3),
            sharey=True,
            layout="constrained",
            squeeze=False,
        )
        for ax in axes.flat[len(names) :]:
            ax.set_axis_off()
        for ax, name in zip(axes.flat, names, strict=False):
            style = style_for(name, theme)
            # above the grid, the spines and the ticks, the diagonal above the
            # points: what moves from frame to frame is drawn last (`_frames`)
            ax.plot(
                [low, high],
                [low, high],
                color=style_for("identity", theme)["color"],
                zorder=3.1,
            )
            ax.scatter(
                y,
                y,
                s=5,
                color=style["color"],
                marker=style["marker"],
                linewidths=0.8 if style["marker"] == "x" else 0,
                zorder=3,
            )
            ax.set_xlim(low - 0.5, high + 0.5)
            ax.set_ylim(low - 1, high + 1)
            ax.set_xlabel("target y", fontsize=8)
            ax.tick_params(labelsize=7)
        for row in axes:
            row[0].set_ylabel("prediction y_hat", fontsize=8)
        _show_epoch(fig, recording, index)
    return fig


def _show_epoch(fig: Figure, recording: Recording, index: int) -> Text:
    """Move the points of `frame_figure`'s panels to epoch `index`; retitle.

    Returns the figure's title, which says the epoch.
    """
    y = recording.y_test.squeeze(1)
    low, high = y.min().item(), y.max().item()
    for ax, name in zip(fig.axes, recording.predictions, strict=False):
        y_hat = recording.predictions[name][index]
        mse = torch.mean((y_hat - y) ** 2).item()
        ax.collections[0].set_offsets(
            torch.stack([y, y_hat.clamp(low - 1, high + 1)], dim=1)
        )
        ax.set_title(
            f"{get(name).display_name.split(' (')[0]}\nMSE {mse:.2f}", fontsize=9
        )
    return fig.suptitle(f"epoch {recording.epochs[index]}", fontsize=10)


# the playback's frames are raster images, at the resolution of the site's PNGs
FRAME_DPI = 96


def _frames(recording: Recording, theme: str, narrow: bool) -> list[bytes]:
    """Every frame of `recording` as a PNG, from one figure drawn once.

    NOTE: the panels, axes and ticks stay put from one epoch to the next;
    only the points, the diagonal drawn over them and the titles change.
    The rest is drawn once and copied under each frame's moving parts
    (blitting): a third of the time of drawing every frame whole.
    """
    fig = frame_figure(recording, 0, theme, narrow=narrow)
    fig.set_dpi(FRAME_DPI)
    fig.canvas.draw()
    fig.set_layout_engine("none")
    moving = []
    for ax in fig.axes[: len(recording.predictions)]:
        parts = [*ax.collections, *ax.lines, ax.title]
        moving += sorted(parts, key=lambda artist: artist.get_zorder())
    moving.append(_show_epoch(fig, recording, 0))  # the figure's title
    for artist in moving:
        artist.set_visible(False)
    fig.canvas.draw()
    background = fig.canvas.copy_from_bbox(fig.bbox)
    for artist in moving:
        artist.set_visible(True)
    frames = []
    for index in range(len(recording.epochs)):
        _show_epoch(fig, recording, index)
        fig.canvas.restore_region(background)
        for artist in moving:
            fig.draw_artist(artist)
        frames.append(
            palette_png(Image.fromarray(np.asarray(fig.canvas.buffer_rgba())))
        )
    plt.close(fig)
    return frames


class Playback:
    """All frames of a recording, with a slider and a play button.

    The frames are PNG images, drawn for both themes and both layouts (the
    narrow one for phones); the site's `playback.js` wires the controls.
    """

    def __init__(self, recording: Recording, alt: str):
        if not alt.strip():
            raise ValueError("a playback needs alt text that says what it shows")
        self.recording = recording
        self.alt = alt
        self.frames = {
            (theme, narrow): _frames(recording, theme, narrow)
            for theme in THEMES
            for narrow in (False, True)
        }

    def _repr_html_(self) -> str:
        def last_of(theme: str, narrow: bool) -> ImageFile:
            frames = self.frames[theme, narrow]
            uris = [data_uri(f) for f in frames]
            return ImageFile(uris[-1], frames[-1], uris)

        last = len(self.recording.epochs) - 1
        pictures = [
            picture_html(theme, self.alt, last_of(theme, False), last_of(theme, True))
            for theme in THEMES
        ]
        epochs = " ".join(str(e) for e in self.recording.epochs)
        return (
            f'<figure class="playback" data-epochs="{epochs}">'
            + "".join(pictures)
            + '<div class="playback-controls">'
            + '<button type="button" class="md-button playback-play">Play</button>'
            + f'<input type="range" min="0" max="{last}" value="{last}" step="1" '
            + 'aria-label="Epoch shown">'
            + '<output class="playback-epoch">'
            + f"epoch {self.recording.epochs[-1]}</output>"
            + "</div></figure>"
        )

    def __repr__(self) -> str:
        return f"<playback of {len(self.recording.epochs)} frames: {self.alt}>"


def show_playback(recording: Recording, alt: str) -> Playback:
    """Display `recording` as a playback in a notebook."""
    return Playback(recording, alt)
