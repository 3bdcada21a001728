# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Neural networks, briefly
#
# Before asking what an activation function is for,
# we need the thing it sits in: a neural network.
# This page gives just enough of it to follow the rest of the site:
# what a neuron computes, how neurons form layers and networks,
# and what "training" means.
# The names used here for inputs, weights and outputs are the ones
# the whole site uses; the [glossary](../glossary.md) lists them.
#
# Every output on this page was produced when the page was built.

# %% [markdown]
# ## Deep learning
#
# Machine learning builds programs from examples instead of from
# hand-written rules:
# we choose a family of functions with adjustable numbers in them,
# and let the data decide the numbers.
# Deep learning is the part of machine learning whose family of functions
# is the *neural network*,
# usually with many layers stacked one after another (hence "deep").
# Image recognition, speech recognition and language models are all
# built this way.

# %% [markdown]
# ## One neuron
#
# A neuron takes the outputs of the previous layer, a vector $x$,
# and computes two things.
# First a weighted sum of them plus a bias, the *pre-activation*:
#
# $$z = w \cdot x + b = w_1 x_1 + w_2 x_2 + \dots + w_n x_n + b$$
#
# Then it passes $z$ through an *activation function* $f$,
# and that is its output:
#
# $$h = f(z)$$
#
# The weights $w$ and the bias $b$ are learned from data.
# The activation $f$ is chosen when the network is designed, and stays fixed.
#
# In PyTorch a neuron with three inputs is `nn.Linear(3, 1)`,
# followed by an activation module:

# %%
import torch
from torch import nn

torch.manual_seed(0)
neuron = nn.Linear(3, 1)
w, b = neuron.weight[0], neuron.bias[0]
print("w =", [round(v, 4) for v in w.tolist()])
print(f"b = {b.item():.4f}")

# %% [markdown]
# For one input `x`, the weighted sum written out by hand
# and the `Linear` layer give the same `z`:

# %%
x = torch.tensor([0.5, -1.0, 2.0])
z_by_hand = (w * x).sum() + b
z = neuron(x)[0]
print(f"w . x + b    = {z_by_hand.item():.4f}")
print(f"neuron(x)    = {z.item():.4f}")

# %% [markdown]
# The same `z` gives a different output `h` under each activation
# of the original article, looked up by name in the site's
# [activation registry](../activations.md):

# %%
from activation_tutorial.activations import get
from activation_tutorial.display import show_table

acts = ["identity", "relu", "sigmoid", "tanh", "leaky_relu"]
rows = [[f"`{n}`", f"{get(n)(z).item():.4f}"] for n in acts]
show_table(["activation", "h = f(z)"], rows)

# %% [markdown]
# ## Layers and networks
#
# A *layer* is many neurons side by side, all reading the same input.
# Their weight vectors are the rows of one weight matrix,
# so a whole layer is one matrix product plus a bias vector,
# followed by the activation applied to each neuron separately.
# A *network* feeds each layer's outputs to the next layer.
# The first layer reads the data, the last one produces the prediction
# `y_hat`, and the layers in between are called *hidden*.
#
# This is the network that the
# [PyTorch example](pytorch_example.py) trains.
# It is built here by the same function,
# and the diagram below is drawn from the model object itself:
# the widths come from its `Linear` layers
# and the activation names from its activation modules,
# so the picture cannot disagree with the code.

# %%
from activation_tutorial.model import build_model, layer_sizes

model = build_model("relu")
sizes = layer_sizes(model)
print("layer widths:", " -> ".join(str(s) for s in sizes))

# %%
from activation_tutorial.diagram import describe, network_figure
from activation_tutorial.display import show_figure

show_figure(network_figure, model, alt=describe(model))

# %% [markdown]
# Each line in the diagram is one weight,
# and each neuron after the input column has one bias.
# Together they are the network's *parameters*, the numbers training adjusts:

# %%
from activation_tutorial.model import count_parameters

linears = [m for m in model if isinstance(m, nn.Linear)]
weights = sum(m.weight.numel() for m in linears)
biases = sum(m.bias.numel() for m in linears)
print(f"weights:    {weights}")
print(f"biases:     {biases}")
print(f"parameters: {count_parameters(model)}")

# %% [markdown]
# ## Training, in three words
#
# A new network has random weights, so its predictions are useless.
# *Training* uses examples with known answers to find better weights,
# by repeating three steps:
#
# 1. **Loss**: run a batch of examples through the network
#    and measure how far the predictions `y_hat` are from the targets `y`
#    with one number, the loss.
# 2. **Gradient**: back-propagation computes how the loss changes
#    when each weight and bias changes a little.
# 3. **Optimizer step**: move every parameter a small step in the direction
#    that lowers the loss; the *learning rate* sets how small.
#
# The [PyTorch example](pytorch_example.py) runs exactly this loop
# and explains each line of it.
# Before that, the next two pages ask what the activation $f$
# contributes:
# first [with an analogy](../analogy.md),
# then [with algebra and an experiment](linear_collapse.py).

# %% [markdown]
# ## Summary
#
# - Deep learning trains neural networks: functions with many adjustable
#   numbers, arranged in layers.
# - A neuron computes $z = w \cdot x + b$, then outputs $h = f(z)$,
#   where $f$ is its activation function.
# - The weights and biases are learned; the activation is fixed by design.
# - The example network has the widths printed above,
#   and its diagram is drawn from the model, not by hand.
# - Training repeats: compute the loss, compute its gradient,
#   take an optimizer step.
#
# ## Exercises
#
# 1. Change `x` in the neuron example so that `z` becomes negative.
#    Which activations then output exactly zero, and which a negative number?
# 2. Draw the diagram of `build_model("tanh", (2, 16, 16, 1))`
#    with `network_figure`. How many parameters does that network have?
#    Count them by hand first, then check with `count_parameters`.
# 3. Why does the input column of the diagram have no activation,
#    and no bias?
