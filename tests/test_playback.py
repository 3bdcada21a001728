"""The training playback: a recording of predictions, and its frames.

The frames are drawn by blitting (the panels once, the moving parts on top
for every frame), so each is checked against a whole redraw of its epoch,
byte for byte.
"""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

from activation_tutorial import playback
from activation_tutorial.config import StructuredConfig
from activation_tutorial.plots import THEMES, palette_png

# a pixel "differs" when a channel moves by more than this (palettes differ
# slightly from one frame to the next)
CHANNEL_TOLERANCE = 64


@pytest.fixture(scope="module")
def recording() -> playback.Recording:
    return playback.record(
        ["identity", "tanh"], every=4, config=StructuredConfig(epochs=8)
    )


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA")).astype(int)


def differing(a: np.ndarray, b: np.ndarray) -> float:
    """The share of pixels that differ between two images of one size."""
    return float((np.abs(a - b).max(axis=2) > CHANNEL_TOLERANCE).mean())


def test_one_frame_per_epoch_kept_in_every_theme_and_layout(recording):
    assert recording.epochs == [0, 4, 8]
    shown = playback.Playback(recording, alt="predictions against targets")
    assert set(shown.frames) == {(t, n) for t in THEMES for n in (False, True)}
    for frames in shown.frames.values():
        assert len(frames) == len(recording.epochs)
        assert all(f.startswith(b"\x89PNG") for f in frames)
        assert len({Image.open(io.BytesIO(f)).size for f in frames}) == 1


@pytest.mark.parametrize("narrow", [False, True])
def test_each_frame_is_its_epoch_drawn_whole(recording, narrow):
    # what moves is drawn above everything else, so drawing it over the
    # panels drawn once gives the very pixels of a whole redraw
    frames = playback._frames(recording, "light", narrow)
    fig = playback.frame_figure(recording, 0, "light", narrow=narrow)
    fig.set_dpi(playback.FRAME_DPI)
    fig.canvas.draw()
    fig.set_layout_engine("none")
    try:
        for index, frame in enumerate(frames):
            playback._show_epoch(fig, recording, index)
            fig.canvas.draw()
            whole = Image.fromarray(np.asarray(fig.canvas.buffer_rgba()))
            assert frame == palette_png(whole), f"frame {index}"
    finally:
        plt.close(fig)
    # and the frames are not all the same picture: the points move
    assert differing(pixels(frames[0]), pixels(frames[-1])) > 0.01


def test_frames_are_the_same_bytes_every_time(recording):
    assert playback._frames(recording, "dark", False) == playback._frames(
        recording, "dark", False
    )


def test_a_playback_needs_alt_text(recording):
    with pytest.raises(ValueError, match="alt text"):
        playback.Playback(recording, alt="  ")
