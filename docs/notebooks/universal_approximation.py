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
# # Universal approximation
#
# [Without activations](linear_collapse.py), a network of any depth is
# one affine map.
# With them, how much can a network represent?
# The answer is the *universal approximation theorem*,
# and a single hidden layer is enough to see it at work.
# Every output below was produced when this page was built.
#
# ## The theorem, informally
#
# Take any continuous function $g$ on a closed, bounded region of the input
# space, and any tolerance $\varepsilon > 0$, however small.
# Then there is a network with
#
# - **one hidden layer**,
# - **enough neurons** in it (how many depends on $g$ and $\varepsilon$),
# - and a **non-polynomial activation** (ReLU, sigmoid, tanh and all the
#   others of the [registry](../activations.md) qualify),
#
# whose output stays within $\varepsilon$ of $g$
# **everywhere on that bounded region**.
# Early versions were proved by Cybenko (1989) for the sigmoid
# and by Hornik (1991);
# Leshno, Lin, Pinkus and Schocken (1993) showed that,
# for all the usual activations,
# "non-polynomial" is exactly the condition needed.
#
# Each condition matters:
#
# - With a polynomial activation of degree $d$, the whole network is a
#   polynomial of degree at most $d$, however many neurons it has.
#   The identity is the case $d = 1$: the network is an affine map.
# - The promise holds on the bounded region only.
#   Outside it, the network can do anything.
#
# And the theorem says what exists, not how to find it:
# it does not say how many neurons are needed,
# nor that training will find the right weights.
#
# ## The experiment
#
# Fit one function of one variable on an interval,
# with networks `Linear(1, width)`, activation, `Linear(width, 1)`
# of growing width.
# The function is a wave with a narrow bump on its side:

# %%
from activation_tutorial.approximation import target
from activation_tutorial.display import show_source

show_source(target)

# %% [markdown]
# The settings: the widths, the activation of the hidden layer,
# the interval, and full-batch Adam
# (every step sees every training point).

# %%
from activation_tutorial.config import ApproximationConfig

config = ApproximationConfig()
config

# %%
from activation_tutorial.approximation import approximate

fits = approximate(config)

# %%
from activation_tutorial.approximation import approximation_figure
from activation_tutorial.display import show_figure

*rest, last = [str(w) for w in config.widths]
show_figure(
    approximation_figure,
    fits,
    alt="Plots of the target curve, a wave with a bump, and a tanh "
    f"network's fit, for hidden layers of {', '.join(rest)} and {last} "
    "neurons. One neuron gives a single S-shaped step; a few follow the "
    "wave and most of the bump; the widest lie on the target across the "
    "interval. Outside the interval, shaded, the fits leave the target.",
)

# %% [markdown]
# How close each fit gets, as numbers:
# the mean squared error on the training points,
# and the largest distance between network and target on a finer grid
# over the interval, which is the distance the theorem speaks about.

# %%
from activation_tutorial.approximation import error_rows
from activation_tutorial.display import show_table

header = ["activation", "width", "parameters", "MSE", "largest error"]
show_table(header, error_rows(fits))

# %% tags=["hide-input"]
from activation_tutorial.display import prose

narrow, wide = fits[0], fits[-1]
prose(
    f"From {narrow.width} to {wide.width} neurons, the mean squared error "
    f"falls {narrow.mse / wide.mse:.0f}-fold and the largest error "
    f"{narrow.max_error / wide.max_error:.0f}-fold. "
    "Each neuron contributes one shifted, scaled tanh step; "
    "with more of them, the sum can follow more detail."
)

# %% [markdown]
# ## The conditions, seen
#
# Give the widest layer two other activations:
# ReLU, which is not a polynomial,
# and the identity, which is one (of degree 1).

# %%
from activation_tutorial.approximation import fit_width

widest = max(config.widths)
others = [fit_width(widest, name, config) for name in ("relu", "identity")]
show_figure(
    approximation_figure,
    others,
    alt="Two plots of the target curve with a fit by a hidden layer of "
    f"{widest} neurons: with ReLU the fit is a chain of straight segments "
    "lying on the target; with the identity it is a single straight line "
    "that crosses the wave.",
)

# %%
show_table(header, error_rows(others))

# %% [markdown]
# ReLU gets there with straight segments:
# each neuron adds one kink to a piecewise-linear curve.
# The identity layer, however wide, draws one straight line,
# the best line through the points and nothing more.
# And in every panel, each fit is further from the target in the shaded
# margins than anywhere inside the training interval:
# the theorem only speaks about the region the network was fitted on.
#
# ## Summary
#
# - One hidden layer with enough neurons and a non-polynomial activation
#   can approximate any continuous function on a bounded region
#   as closely as we like: the universal approximation theorem.
# - In practice the error falls as the layer grows:
#   more neurons, more pieces to build the curve from.
# - Without an activation (or with a polynomial one),
#   width does not help: the network stays an affine map (a polynomial).
# - The theorem promises existence on a bounded region only;
#   it does not promise that training finds the fit,
#   nor anything outside the region.
#
# ## Exercises
#
# 1. Fit with `ApproximationConfig(activation="relu")`.
#    How does the error compare with tanh's at each width?
# 2. Make the bump narrower in a copy of `target`.
#    How many neurons does it take before the fit follows it?
# 3. The theorem allows one hidden layer, but real networks are deep.
#    Build `1 -> 10 -> 10 -> 1` with `build_model("tanh", (1, 10, 10, 1))`
#    and train it like `fit_width` does.
#    Does it beat one layer of 50 with fewer parameters?
