"""The network diagram shows the model it is given, read from the model."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
from torch import nn

from activation_tutorial import plots
from activation_tutorial.diagram import (
    MAX_SHOWN,
    activation_names,
    describe,
    diagram_layers,
    network_figure,
)
from activation_tutorial.model import build_model, layer_sizes

CUSTOM = nn.Sequential(
    nn.Linear(3, 5),
    nn.Tanh(),
    nn.Linear(5, 40),
    nn.GELU(),
    nn.Linear(40, 2),
)

MODELS = {
    "example relu": build_model("relu"),
    "example identity": build_model("identity"),
    "small sigmoid": build_model("sigmoid", (2, 16, 16, 1)),
    "no hidden layer": build_model("tanh", (4, 1)),
    "custom": CUSTOM,
}


def _texts(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def _drawn(fig, column: int) -> int:
    (collection,) = [
        c for c in fig.axes[0].collections if c.get_gid() == f"layer-{column}"
    ]
    return len(collection.get_offsets())


@pytest.mark.parametrize("key", MODELS)
def test_diagram_widths_are_the_model_widths(key):
    model = MODELS[key]
    layers = diagram_layers(model)
    assert tuple(layer.width for layer in layers) == layer_sizes(model)


@pytest.mark.parametrize("key", MODELS)
def test_figure_draws_one_circle_per_neuron_up_to_the_limit(key):
    model = MODELS[key]
    fig = network_figure(model)
    try:
        for i, width in enumerate(layer_sizes(model)):
            expected = (
                width if width <= MAX_SHOWN else len(diagram_layers(model)[i].shown)
            )
            assert _drawn(fig, i) == expected
        assert ("⋮" in _texts(fig)) == any(w > MAX_SHOWN for w in layer_sizes(model))
    finally:
        plt.close(fig)


def test_example_network_labels():
    fig = network_figure(build_model("relu"))
    try:
        texts = _texts(fig)
    finally:
        plt.close(fig)
    for label in ("10 inputs", "18", "4", "1 output"):
        assert label in texts
    assert texts.count("ReLU") == 3


def test_custom_model_labels_and_activations():
    assert activation_names(CUSTOM) == ["tanh", "gelu"]
    fig = network_figure(CUSTOM)
    try:
        texts = _texts(fig)
    finally:
        plt.close(fig)
    assert {"3 inputs", "5", "40", "2 outputs", "Tanh", "GELU"} <= set(texts)


def test_identity_network_says_no_activation():
    assert activation_names(build_model("identity")) == ["identity"] * 3
    assert activation_names(nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1))) == [
        "identity"
    ]


def test_unknown_layer_is_refused():
    model = nn.Sequential(nn.Linear(2, 3), nn.Dropout(0.1), nn.Linear(3, 1))
    with pytest.raises(ValueError, match="Dropout"):
        diagram_layers(model)


def test_both_themes_render_with_the_labels():
    svgs = plots.render(network_figure, build_model("relu"))
    assert set(svgs) == {"light", "dark"}
    for svg in svgs.values():
        assert b"10 inputs" in svg and b"1 output" in svg
    assert svgs["light"] != svgs["dark"]


@pytest.mark.parametrize("key", MODELS)
def test_alt_text_names_every_width(key):
    model = MODELS[key]
    sizes = layer_sizes(model)
    text = describe(model)
    assert f"{sizes[0]} input neuron" in text
    assert f"{sizes[-1]} output neuron" in text
    for width in sizes[1:-1]:
        assert str(width) in text
