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
# # Vanishing gradients
#
# The original article says that activation functions "help prevent"
# vanishing gradients.
# As a general claim, that is backwards.
# A *saturating* activation, one that flattens out for large inputs,
# such as the sigmoid or tanh,
# is what **causes** gradients to vanish in a deep stack of layers.
# ReLU and its relatives **mitigate** the problem
# because their derivative does not shrink for active neurons.
# No activation prevents it by merely being there:
# compared with no activation at all, the sigmoid makes it worse.
#
# This page shows why, then measures it.
# Every output below was produced when this page was built.

# %% [markdown]
# ## Where the gradient goes
#
# Training needs the gradient of the loss with respect to every weight.
# Back-propagation computes it from the output back to the input,
# one layer at a time.
# Write layer $l$ as $z_l = h_{l-1} A_l^\top + b_l$ and $h_l = f(z_l)$,
# with $h_0 = x$, the input batch.
# The chain rule gives, for each layer in turn,
#
# $$\frac{\partial L}{\partial z_l}
#   = \Big(\frac{\partial L}{\partial z_{l+1}}\, A_{l+1}\Big) \odot f'(z_l),
#   \qquad
#   \frac{\partial L}{\partial A_l}
#   = \Big(\frac{\partial L}{\partial z_l}\Big)^{\!\top} h_{l-1},$$
#
# where $\odot$ multiplies element by element.
# On its way from the output to layer $l$,
# the gradient is multiplied once per layer by a weight matrix
# and by the derivative $f'$ of the activation at each neuron's $z$.
# If $f'$ is small at every layer, the product shrinks geometrically,
# and the layers nearest the input barely learn:
# their gradient has *vanished*.
#
# So the question is how large $f'$ can be.
# Autograd answers it for the three activations that matter here:

# %%
from activation_tutorial.facts import derivative_peak

for name in ("sigmoid", "tanh", "relu"):
    peak, _ = derivative_peak(name)
    print(f"{name:8}  largest derivative on [-10, 10]: {peak:.4f}")

# %% [markdown]
# - The **sigmoid**'s derivative is at most a quarter, and only at $z = 0$.
#   Every sigmoid layer multiplies the gradient by a quarter or less,
#   unless the weights make up for it,
#   and weights large enough to do so push $z$ far from zero,
#   where the sigmoid saturates and its derivative is smaller still.
# - **Tanh** reaches a derivative of 1 at $z = 0$ and less everywhere else.
#   It can only shrink the gradient, never grow it;
#   how much depends on how far its neurons are pushed into saturation.
# - **ReLU**'s derivative is exactly 1 for every positive $z$
#   and 0 for every negative one.
#   An active neuron passes its gradient back unchanged;
#   an inactive one passes nothing.

# %% tags=["hide-input"]
from activation_tutorial.config import DepthConfig
from activation_tutorial.display import prose

config = DepthConfig()
sigmoid_peak, _ = derivative_peak("sigmoid")
hidden = config.depth - 1
prose(
    f"In the stack below, the gradient of the first layer passes through "
    f"{hidden} activations on its way back. With sigmoids, the activations "
    f"alone scale it by at most {sigmoid_peak:.2f} to the power "
    f"{hidden}, that is {sigmoid_peak**hidden:.1e}."
)

# %% [markdown]
# ## The experiment
#
# Build a deep stack of `Linear` layers of equal width,
# with the same activation after each one except the last;
# run one forward and one backward pass on a fixed random batch
# with a mean squared error loss;
# and read the norm of the gradient of each layer's weight matrix.
# Layer 1 is the one nearest the input.
# The settings:

# %%
config

# %% [markdown]
# Every stack starts from the same seed, so only the activation differs.
# The weights use *He initialisation* (Kaiming normal),
# designed for ReLU networks:
# each weight is drawn with variance $2 / n_\text{in}$ and every bias is zero.
# The same initialisation is used for every activation;
# the next section shows what changes with PyTorch's default one.
# The measurement:

# %%
from activation_tutorial.display import show_source
from activation_tutorial.gradients import gradient_norms

show_source(gradient_norms)

# %% [markdown]
# Run it for every activation of the registry.
# The identity, no activation at all, is the reference:
# its derivative is 1 everywhere,
# so any change in its gradient from layer to layer comes from the weights.

# %%
from activation_tutorial.gradients import depth_experiment

he = depth_experiment(config=config)

# %% [markdown]
# The figure divides each line by its own last layer's norm,
# so it shows how much of the gradient is left at each layer,
# compared with the layer next to the output.

# %%
from activation_tutorial.display import show_figure
from activation_tutorial.gradients import gradient_figure

show_figure(
    gradient_figure,
    he,
    title="He initialisation",
    alt="Two line charts, log scale, of each layer's gradient norm divided "
    "by the last layer's, from layer 1 (input) to the last layer. "
    "The sigmoid's line falls steadily toward the input by many orders of "
    "magnitude; ReLU, leaky ReLU, tanh and the identity stay near 1. "
    "On the right, GELU and ELU stay near 1, SiLU rises a little toward "
    "the input and softplus falls part of the way.",
)

# %% [markdown]
# The same numbers as a table.
# The last column is $\log_{10}$ of the first layer's norm over the last
# layer's: $-1$ means the first layer receives a tenth of the last layer's
# gradient, $-2$ a hundredth, and so on.

# %%
from activation_tutorial.display import show_table
from activation_tutorial.gradients import shrink_rows

header = ["activation", "last layer", "first layer", "log10(first / last)"]
show_table(header, shrink_rows(he))

# %% tags=["hide-input"]
import math


def orders(norms):
    return math.log10(norms[0] / norms[-1])


prose(
    f"The sigmoid stack loses {-orders(he['sigmoid']):.1f} orders of "
    f"magnitude: its first layer receives a gradient "
    f"{he['sigmoid'][-1] / he['sigmoid'][0]:,.0f} times smaller than its "
    f"last, so a learning rate that suits the last layer leaves the first one "
    f"where it started. ReLU's first layer keeps "
    f"{he['relu'][0] / he['relu'][-1]:.0%} of the last layer's gradient."
)

# %% [markdown]
# What the figure shows:
#
# - **Sigmoid** shrinks the gradient at every single layer,
#   as its derivative predicts.
# - **ReLU** and **leaky ReLU** keep it in the same order of magnitude
#   from the last layer to the first.
#   He initialisation doubles the weights' variance
#   to make up for the half of the neurons that ReLU switches off,
#   and the active ones pass the gradient back unchanged.
# - **Tanh** holds up in this stack:
#   near $z = 0$ its derivative is close to 1,
#   and the He initialisation's extra variance makes up for the rest.
#   It is still a saturating function;
#   the next section shows it losing gradient when the weights are smaller.
# - Of the extras, **GELU**, **SiLU** and **ELU** do not lose gradient
#   either (SiLU's even grows a little toward the input),
#   and **softplus**, whose derivative is the sigmoid, loses part of its
#   gradient, much less than the sigmoid itself.

# %% [markdown]
# ## The initialisation matters too
#
# `nn.Linear` initialises itself with weights and biases drawn uniformly
# from $\pm 1/\sqrt{n_\text{in}}$, a variance of $1 / (3\, n_\text{in})$,
# much smaller than He's.
# The same experiment with that default:

# %%
default_init = depth_experiment(config=DepthConfig(init="pytorch"))
show_figure(
    gradient_figure,
    default_init,
    title="PyTorch's default initialisation",
    alt="Two line charts, log scale, of each layer's gradient norm divided "
    "by the last layer's, with PyTorch's default initialisation. Every line "
    "falls toward the input, the identity included; the sigmoid falls "
    "furthest.",
)

# %%
show_table(header, shrink_rows(default_init))

# %% tags=["hide-input"]
prose(
    f"Now even the identity loses {-orders(default_init['identity']):.1f} "
    "orders of magnitude, although its derivative is 1 everywhere: "
    "weights this small shrink the gradient by themselves, "
    "whatever the activation. "
    f"Tanh loses {-orders(default_init['tanh']):.1f}, about as much as the "
    f"identity, and ReLU loses {-orders(default_init['relu']):.1f}, more than "
    "the identity, because it also switches off about half of its neurons "
    "and nothing makes up for them. "
    f"The sigmoid still loses by far the most: "
    f"{-orders(default_init['sigmoid']):.1f} orders of magnitude."
)

# %% [markdown]
# So vanishing gradients have two causes that multiply:
# weights that are too small for the depth,
# which a suitable initialisation fixes,
# and an activation whose derivative is small,
# which no initialisation fixes for the sigmoid.
# That is why deep networks use ReLU-like activations in their hidden
# layers and keep the sigmoid for the output of a binary classifier.
# Later remedies, such as normalisation layers and residual connections,
# attack the same product of factors from other sides.
#
# ## Summary
#
# - Back-propagation multiplies the gradient by $f'(z)$ once per layer.
#   A small derivative at every layer makes the gradient vanish
#   near the input.
# - Saturating activations cause vanishing gradients:
#   the sigmoid's derivative is at most a quarter,
#   so a deep sigmoid stack loses many orders of magnitude.
#   Tanh's derivative is at most 1; it loses gradient when it saturates
#   or when the weights are small.
# - ReLU-like activations mitigate the problem:
#   an active ReLU passes the gradient back unchanged.
#   With He initialisation, a deep ReLU stack keeps its gradient.
# - The original article's claim that activations "help prevent"
#   vanishing gradients is backwards as a general statement.
#
# ## Exercises
#
# 1. Double the depth with `DepthConfig(depth=32)`.
#    How many orders of magnitude does the sigmoid lose now,
#    and how does that compare with the table above?
# 2. Under PyTorch's default initialisation, ReLU loses more gradient
#    than the identity. Count the fraction of ReLU neurons with $z > 0$
#    in one hidden layer of `deep_stack("relu", DepthConfig(init="pytorch"))`
#    and explain the difference.
# 3. Tanh holds up under He initialisation at this depth.
#    Try a much deeper stack, or scale every weight by a factor,
#    and find a setting where its gradient vanishes.
