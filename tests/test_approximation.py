"""One hidden layer of growing width approximates a curve ever more closely."""

from __future__ import annotations

import itertools

import pytest
import torch

from activation_tutorial.approximation import (
    ApproximationConfig,
    approximate,
    approximation_figure,
    error_rows,
    fit_width,
    target,
)
from activation_tutorial.plots import render


@pytest.fixture(scope="module")
def fits():
    return approximate()


def test_one_fit_per_width_narrowest_first(fits):
    assert [f.width for f in fits] == list(ApproximationConfig().widths)
    assert [f.width for f in fits] == sorted(f.width for f in fits)


def test_error_falls_as_width_grows(fits):
    for narrow, wide in itertools.pairwise(fits):
        # by a margin: a near tie would flip with another CPU's rounding
        assert wide.mse < 0.5 * narrow.mse, (narrow.width, wide.width)
        assert wide.max_error < 0.75 * narrow.max_error, (narrow.width, wide.width)
    # and by a lot from one neuron to the widest layer
    assert fits[-1].mse < fits[0].mse / 50


def test_without_activation_width_does_not_help(fits):
    # one hidden layer without activation is an affine map however wide it
    # is: it ends at the least-squares line, far from the curve
    config = ApproximationConfig()
    line = fit_width(max(config.widths), "identity", config)
    x = torch.linspace(*config.interval, config.points).unsqueeze(1)
    A = torch.cat([x, torch.ones_like(x)], dim=1).double()
    y = target(x).double()
    best = (A @ torch.linalg.lstsq(A, y).solution - y).pow(2).mean().item()
    assert line.mse == pytest.approx(best, rel=0.01)
    assert line.mse > 10 * fits[1].mse


def test_relu_also_approximates(fits):
    relu = fit_width(max(ApproximationConfig().widths), "relu")
    assert relu.mse < fits[1].mse


def test_same_seed_same_fit_other_seed_other_fit():
    config = ApproximationConfig(steps=50)
    a, b = fit_width(10, config=config), fit_width(10, config=config)
    c = fit_width(10, config=ApproximationConfig(steps=50, seed=1))
    assert (a.mse, a.max_error) == (b.mse, b.max_error)
    assert a.mse != c.mse


def test_every_fit_is_further_off_outside_the_interval(fits):
    # the page: in every panel (margin 0.5 on each side) the fit is further
    # from the target in the margins than anywhere inside
    others = [fit_width(50, name) for name in ("relu", "identity")]
    for f in fits + others:
        low, high = f.interval
        outside = torch.cat(
            [torch.linspace(low - 0.5, low, 201), torch.linspace(high, high + 0.5, 201)]
        )
        off = (f.predict(outside) - target(outside)).abs().max().item()
        assert off > f.max_error, (f.activation, f.width)


def test_max_error_bounds_mse(fits):
    for f in fits:
        assert f.mse <= f.max_error**2


def test_target_is_the_documented_function():
    x = torch.tensor([0.0, 0.4, 1.0])
    expected = torch.sin(torch.pi * x) + torch.exp(-40 * (x - 0.4) ** 2)
    assert torch.allclose(target(x), expected)


def test_rows_and_figure(fits):
    rows = error_rows(fits)
    assert [r[1] for r in rows] == [str(f.width) for f in fits]
    # parameters of 1 -> w -> 1: w weights and w biases in, w weights and 1 bias out
    assert [int(r[2]) for r in rows] == [3 * f.width + 1 for f in fits]
    svgs = render(approximation_figure, fits)
    for svg in svgs.values():
        assert "50 neurons" in svg.decode()
        assert "1 neuron:" in svg.decode()
