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
# # Without activations, depth collapses
#
# The [analogy](../analogy.md) said that a network without activation
# functions still passes a signal but cannot react to the situation.
# This page makes that precise, three ways:
#
# 1. **The algebra**: layers without activations compose to a single layer.
# 2. **A numerical proof**: the example network, with its activations
#    removed, is folded into one `Linear` layer that gives the same outputs.
# 3. **An experiment**: on a problem no straight line can solve,
#    the network without activations fails and every activation succeeds.
#
# Every output below was produced when this page was built.

# %% [markdown]
# ## The algebra
#
# A `Linear` layer with weight matrix $A$ (one row per output neuron)
# and bias vector $b$ maps a batch $x$, one sample per row, to
#
# $$x A^\top + b.$$
#
# A map of this form, a matrix product plus a constant, is called *affine*.
# Stack two such layers with nothing in between:
#
# $$(x A_1^\top + b_1)\, A_2^\top + b_2
#   = x\, (A_2 A_1)^\top + (A_2 b_1 + b_2)^\top.$$
#
# (The last term is the vector $A_2 b_1 + b_2$, written as a row like $b_2$.)
# The right-hand side is again one layer:
# its weight is the product $A_2 A_1$,
# and its bias is $A_2 b_1 + b_2$.
# Two layers are one.
#
# Nothing stops the argument there.
# If the first $k$ layers fold into one affine layer,
# then adding layer $k + 1$ is the two-layer case again,
# so the first $k + 1$ layers fold into one too.
# By induction, **a stack of affine layers of any depth is one affine layer**.
# Depth adds parameters, but not a single new function the network can
# represent.
#
# > **About the name.**
# > The original article calls this result the "superposition theorem".
# > Superposition is the property of *linear* maps,
# > $f(a u + c v) = a f(u) + c f(v)$,
# > and a layer with a bias does not have it: it sends zero to $b$, not to zero.
# > The precise statement is simpler and needs no theorem's name:
# > **a composition of affine maps is an affine map.**

# %% [markdown]
# ## A numerical proof
#
# The package folds layers exactly as the algebra above says.
# PyTorch stores $A$ as `weight` and $b$ as `bias`:

# %%
from activation_tutorial.collapse import fold_linear
from activation_tutorial.display import show_source

show_source(fold_linear)

# %% [markdown]
# Now build the example network with `"identity"` in place of every
# activation, as in the [PyTorch example](pytorch_example.py),
# and fold its `Linear` layers into one:

# %%
import torch

from activation_tutorial.collapse import linear_layers
from activation_tutorial.model import build_model, count_parameters

torch.manual_seed(0)
deep = build_model("identity")
folded = fold_linear(linear_layers(deep))
print("deep network:  ", count_parameters(deep), "parameters")
print("folded network:", count_parameters(folded), "parameters")
print(folded)

# %% [markdown]
# If the algebra is right, both give the same output for any input.
# Compare them on random inputs:

# %%
from activation_tutorial.collapse import max_abs_difference

x = torch.randn(1000, 10, generator=torch.Generator().manual_seed(1))
gap = max_abs_difference(deep(x), folded(x))
eps = torch.finfo(torch.float32).eps
print(f"largest |deep(x)|:              {deep(x).abs().max().item():.3f}")
print(f"largest |deep(x) - folded(x)|:  {gap:.1e}")
print(f"float32 machine epsilon:        {eps:.1e}")

# %% [markdown]
# The two networks differ by about one unit of float32 rounding,
# the error of the last bit of the numbers PyTorch stores.
# They compute the same function.
#
# ## With ReLU, the fold fails
#
# The same proof cannot go through once an activation sits between the
# layers, because $f(x A_1^\top + b_1)$ is no longer affine in $x$.
# The package refuses to fold such a network:

# %%
torch.manual_seed(0)
relu_net = build_model("relu")
try:
    linear_layers(relu_net)
except ValueError as error:
    print("ValueError:", error)

# %% [markdown]
# Built from the same seed, `relu_net` has exactly the same weights and
# biases as `deep`; the only difference is the ReLU between the layers.
# Fold its `Linear` layers anyway, ignoring the ReLUs,
# and compare:

# %%
from torch import nn

same = all(
    torch.equal(p, q)
    for p, q in zip(deep.parameters(), relu_net.parameters(), strict=True)
)
print("same weights and biases as deep:", same)

ignored = fold_linear(m for m in relu_net if isinstance(m, nn.Linear))
wrong = max_abs_difference(relu_net(x), ignored(x))
top = relu_net(x).abs().max().item()
print(f"largest |relu_net(x)|:             {top:.3f}")
print(f"largest |relu_net(x) - folded(x)|: {wrong:.3f}")
print(f"times the identity network's gap:  {wrong / gap:.1e}")

# %% [markdown]
# This is no rounding error:
# the fold misses by an amount comparable to the outputs themselves.
# With ReLU in between,
# the four layers compute something no single `Linear` layer does.
#
# ## What an affine network cannot do
#
# One affine layer with a single output can only compare $w \cdot x + b$
# with a threshold.
# Used as a classifier, it splits the input space with a straight line
# (a plane, in more dimensions) and nothing else.
# Collapse means that this holds for the deep network too.
#
# To see it, take a problem that no straight line solves:
# points in the plane on two rings around the same centre,
# class 1 on the inner ring and class 0 on the outer one.
# The package trains one copy of the same small network per activation,
# identical except for the activation:
# none (`identity`), then the four activations of the original article.
# Same data, same initial weights, same optimizer;
# the settings are printed below.

# %%
from activation_tutorial.boundaries import run_experiment

experiment = run_experiment()
print(experiment.config)

# %%
from activation_tutorial.display import show_table

header = ["activation", "final loss", "train accuracy", "test accuracy"]
rows = [
    [
        f"`{r.activation}`",
        f"{r.losses[-1]:.4f}",
        f"{r.train_accuracy:.1%}",
        f"{r.accuracy:.1%}",
    ]
    for r in experiment.results.values()
]
show_table(header, rows)

# %% [markdown]
# The test accuracy is measured on fresh points from the same rings.
# The figure shows those test points, the region each network assigns to
# each class, and the boundary between the regions:

# %%
from activation_tutorial.boundaries import boundary_figure, describe
from activation_tutorial.display import show_figure

show_figure(boundary_figure, experiment, alt=describe(experiment))

# %% [markdown]
# The network without activations draws a straight line, however long it
# trains: it *is* one affine map, as its fold shows.
# Its boundary is the line where the folded layer's output is zero:

# %%
line = fold_linear(linear_layers(experiment.results["identity"].model))
(w1, w2), b = line.weight[0].tolist(), line.bias.item()
print(f"boundary: {w1:+.3f} * x1 {w2:+.3f} * x2 {b:+.3f} = 0")

# %% [markdown]
# No line can do much better.
# A half-plane that contains the whole inner ring leaves out at most
# an arc of the outer ring, so on noise-free rings the best any straight
# line can classify correctly is:

# %%
from activation_tutorial.boundaries import linear_accuracy_bound

cfg = experiment.config
best = linear_accuracy_bound(cfg.inner_radius, cfg.outer_radius)
identity = experiment.results["identity"]
print(f"best accuracy of any straight line: {best:.1%}")
print(f"identity network, training points:  {identity.train_accuracy:.1%}")
print(f"identity network, test points:      {identity.accuracy:.1%}")

# %% [markdown]
# The affine network does not even reach that bound.
# Its loss rewards confident, correct probabilities, not the count of
# correct points, and on rings around the centre no tilt of the line makes
# the probabilities much better, so it ends up near a coin toss.
# With any of the four activations, the same network bends its boundary
# into a closed curve around the inner ring.
#
# ## The formal version: universal approximation
#
# The experiment shows one problem.
# The **universal approximation theorem** says the same for all of them,
# informally:
#
# > A network with **one hidden layer** and a **non-polynomial activation**
# > can approximate **any continuous function** on a **bounded region**
# > as closely as we like, given **enough neurons** in that hidden layer.
#
# Each condition matters:
#
# - *One hidden layer* is already enough in principle;
#   deeper networks often need far fewer neurons for the same accuracy.
# - *Enough neurons*: the theorem does not say how many,
#   and the number can be very large.
# - *Non-polynomial activation*: the identity is a polynomial of degree one,
#   so it is excluded, which is exactly the collapse above.
#   ReLU, sigmoid, tanh and leaky ReLU all qualify.
# - *On a bounded region*: the guarantee holds on a closed, bounded set of
#   inputs, not on the whole of space.
#
# The theorem says good weights *exist*; it does not promise that training
# finds them.
# Cybenko proved a first version for sigmoid-like activations,
# and Leshno, Lin, Pinkus and Schocken showed that being non-polynomial
# is exactly what an activation needs.

# %% [markdown]
# ## Summary
#
# - A layer without an activation is an affine map, $x A^\top + b$.
# - A composition of affine maps is affine: any stack of such layers folds
#   into one, with weight $A_2 A_1$ and bias $A_2 b_1 + b_2$ at each step.
#   (The original article's "superposition theorem" is this fact.)
# - Folding the example network with its activations removed gives a single
#   `Linear` layer that matches it to float32 rounding;
#   with ReLU between the layers the fold is badly wrong.
# - An affine classifier can only draw a straight boundary, so it fails on
#   the two rings, while every activation lets the same network succeed.
# - The universal approximation theorem is the general statement: one
#   hidden layer, enough neurons, a non-polynomial activation, a bounded
#   region.
#
# ## Exercises
#
# 1. Fold `build_model("identity", (10, 64, 64, 64, 1))`.
#    How many parameters does the deep network have, and the folded one?
#    Does the largest difference grow with depth?
# 2. Train the identity network on the rings for many more epochs, e.g.
#    `run_experiment(["identity"], RingsConfig(epochs=3000))`.
#    Does its accuracy change? Why not?
# 3. Find the two-layer case of the algebra in `fold_linear`:
#    which line computes $A_2 A_1$, and which $A_2 b_1 + b_2$?
