"""The decision-boundary experiment: identity fails, every activation succeeds."""

from __future__ import annotations

import math

import pytest
import torch

from activation_tutorial import plots
from activation_tutorial.boundaries import (
    ACTIVATIONS,
    RingsConfig,
    boundary_figure,
    describe,
    linear_accuracy_bound,
    rings,
    run_experiment,
)
from activation_tutorial.collapse import fold_linear, linear_layers, max_abs_difference

# No straight line classifies more than 2/3 of noise-free rings correctly
# (linear_accuracy_bound, checked by brute force below). The identity network
# is affine, so on the noisy sample it must stay near that bound at best; the
# small margin covers the noise and the 200-point sample.
IDENTITY_MAX = 0.7
ACTIVATION_MIN = 0.95


@pytest.fixture(scope="module")
def experiment():
    return run_experiment()


def test_identity_is_below_every_activation_and_the_threshold(experiment):
    identity = experiment.results["identity"].accuracy
    assert identity < IDENTITY_MAX
    for name in ACTIVATIONS[1:]:
        assert experiment.results[name].accuracy > max(identity, ACTIVATION_MIN), name


def test_threshold_is_above_the_geometric_bound():
    assert linear_accuracy_bound(0.5, 1.0) == pytest.approx(2 / 3)
    assert linear_accuracy_bound(0.5, 1.0) < IDENTITY_MAX


def test_bound_matches_a_brute_force_search_over_lines():
    # noise-free rings, then every half-plane x . n <= t over a fine sweep
    angles = torch.linspace(0, 2 * math.pi, 2001)[:-1]
    circle = torch.stack([torch.cos(angles), torch.sin(angles)], dim=1)
    x = torch.cat([0.5 * circle, 1.0 * circle])
    y = torch.cat([torch.ones(2000), torch.zeros(2000)])
    best = 0.0
    for phi in torch.linspace(0, math.pi, 37):
        normal = torch.stack([torch.cos(phi), torch.sin(phi)])
        for t in torch.linspace(-1.1, 1.1, 221):
            inside = (x @ normal <= t).float()
            for predicted in (inside, 1 - inside):
                best = max(best, (predicted == y).float().mean().item())
    assert best == pytest.approx(linear_accuracy_bound(0.5, 1.0), abs=2e-3)


def test_identity_classifier_is_one_affine_map(experiment):
    # its boundary is straight because the whole network folds into one Linear
    model = experiment.results["identity"].model
    folded = fold_linear(linear_layers(model))
    grid = torch.rand(500, 2) * 4 - 2
    assert max_abs_difference(folded(grid), model(grid)) < 1e-5


def test_same_seed_same_results(experiment):
    again = run_experiment(("sigmoid", "identity"))
    assert torch.equal(again.x_train, experiment.x_train)
    assert torch.equal(again.y_test, experiment.y_test)
    for name in ("sigmoid", "identity"):
        first, second = experiment.results[name], again.results[name]
        assert second.losses == first.losses
        assert second.accuracy == first.accuracy
        for a, b in zip(
            first.model.parameters(), second.model.parameters(), strict=True
        ):
            assert torch.equal(a, b)


def test_experiment_leaves_global_state_alone():
    rng = torch.get_rng_state()
    threads = torch.get_num_threads()
    run_experiment(("relu",), RingsConfig(samples=20, epochs=5))
    assert torch.equal(torch.get_rng_state(), rng)
    assert torch.get_num_threads() == threads


def test_other_data_seed_other_points():
    a = run_experiment((), RingsConfig(data_seed=0))
    b = run_experiment((), RingsConfig(data_seed=1))
    assert not torch.equal(a.x_train, b.x_train)


def test_rings_are_balanced_and_on_their_radii():
    config = RingsConfig()
    x, y = rings(1000, config, generator=torch.Generator().manual_seed(3))
    assert y.mean().item() == 0.5
    radius = x.norm(dim=1)
    inner, outer = radius[y[:, 0] == 1], radius[y[:, 0] == 0]
    assert inner.mean().item() == pytest.approx(config.inner_radius, abs=0.02)
    assert outer.mean().item() == pytest.approx(config.outer_radius, abs=0.02)
    # the gap between the rings is several noise widths: separable in practice
    assert inner.max() < outer.min()


def test_figure_titles_carry_the_accuracies(experiment):
    fig = boundary_figure(experiment)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    plots.to_svg(fig)
    assert len(titles) == len(ACTIVATIONS)
    for title, name in zip(titles, ACTIVATIONS, strict=True):
        assert f"{experiment.results[name].accuracy:.1%}" in title


def test_both_themes_render(experiment):
    svgs = plots.render(boundary_figure, experiment)
    assert set(svgs) == {"light", "dark"}
    assert all(b"correct" in svg for svg in svgs.values())


def test_identity_stays_below_the_line_bound(experiment):
    # the page says the affine network does not reach the best line's score
    bound = linear_accuracy_bound(
        experiment.config.inner_radius, experiment.config.outer_radius
    )
    identity = experiment.results["identity"]
    assert identity.accuracy < bound
    assert identity.train_accuracy < bound


def test_alt_text_gives_every_accuracy(experiment):
    text = describe(experiment)
    assert "straight boundary" in text
    for result in experiment.results.values():
        assert f"{result.accuracy:.1%} correct" in text
