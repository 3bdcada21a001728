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
# # The PyTorch example, line by line
#
# This page runs the original article's example:
# a small network trained on random data,
# with the activation function chosen by name.
# It follows the original recipe exactly,
# so with the same seed it produces exactly the same losses,
# and it explains what each step does.
# Then it points out what the original got wrong.
#
# Every output below was produced when this page was built.
# The same run is available from the command line:
# `activation-tutorial train --activation relu --seed 0`.

# %% [markdown]
# ## The settings
#
# All the numbers the example uses live in one small configuration object.

# %%
from activation_tutorial.config import ExampleConfig

config = ExampleConfig()
config

# %% [markdown]
# ## Step 1: fix the seed, then draw the data
#
# `torch.manual_seed` makes every random draw after it repeatable.
# The order of the draws matters:
# the inputs `X` come first, then the targets `y`,
# then the network's initial weights.
# Drawing them in another order would give other numbers.

# %%
import torch

from activation_tutorial.data import noise_task

torch.manual_seed(0)
X, y = noise_task(config.samples, config.features)
X.shape, y.shape

# %% [markdown]
# Both `X` and `y` are drawn from a standard normal distribution,
# independently of each other
# (see [`noise_task`](../api/core.md#activation_tutorial.data.noise_task)).
# Keep that in mind: there is no relation between inputs and targets to learn.
# We come back to it below.
#
# ## Step 2: build the network
#
# The network is a stack of `Linear` layers with the activation between them
# (see [`build_model`](../api/core.md#activation_tutorial.model.build_model)).
# The activation is passed by name and looked up in the
# [activation registry](../activations.md);
# `"identity"` builds the same network with no activation at all.

# %%
from activation_tutorial.model import build_model, count_parameters, layer_sizes

model = build_model("relu", config.sizes)
model

# %%
sizes = layer_sizes(model)
print("layer sizes:", " -> ".join(str(s) for s in sizes))
print("parameters:", count_parameters(model))

# %% [markdown]
# Each `Linear(n_in, n_out)` layer holds an `n_out × n_in` weight matrix and
# `n_out` biases; adding them up over the four layers gives the count above.

# %%
per_layer = [
    (m.in_features, m.out_features)
    for m in model
    if isinstance(m, torch.nn.Linear)
]
print(
    " + ".join(f"({i}*{o} + {o})" for i, o in per_layer),
    "=",
    sum(i * o + o for i, o in per_layer),
)

# %% [markdown]
# ## Step 3: the training loop
#
# This is the loop the package runs,
# [`train`](../api/core.md#activation_tutorial.train.train),
# shown from its source:

# %%
from activation_tutorial.display import show_source
from activation_tutorial.train import train

show_source(train)

# %% [markdown]
# For every mini-batch, in order:
#
# - **`optimizer.zero_grad()`** clears the gradients of the previous batch.
#   PyTorch *adds* each new gradient to the `.grad` already stored
#   on a parameter,
#   so without this call every step would use the sum of all earlier gradients.
# - **forward**: `model(x_batch)` computes the predictions `y_hat`,
#   and `loss_fn` measures how far they are from the targets
#   (mean squared error).
# - **`loss.backward()`** runs back-propagation: it fills the `.grad` of every
#   weight and bias with the derivative of the loss with respect to it.
# - **`optimizer.step()`** changes the parameters, moving each a small step
#   against its gradient; Adam scales each step using running averages of
#   past gradients.
#
# ## Step 4: train
#
# [`run_example`](../api/core.md#activation_tutorial.example.run_example)
# performs steps 1 to 3 in the original order
# and returns the losses as data.
# It prints one line every few epochs here.

# %%
from activation_tutorial.example import run_example

result = run_example("relu", seed=0, config=config, log=print, log_every=10)

# %% [markdown]
# The same numbers, as a curve:

# %%
from activation_tutorial.display import show_figure
from activation_tutorial.plots import curves_figure

show_figure(
    curves_figure,
    {"relu": result.history.epoch_losses},
    title="Training loss of the example (ReLU, seed 0)",
    ylabel="mean MSE loss over the epoch",
    alt="Line chart of the mean training loss per epoch for the ReLU network "
    f"over {config.epochs} epochs: it falls from the first epoch to the last.",
)

# %% [markdown]
# ## What the original got wrong, and what this page does instead
#
# ### The third hidden layer has 4 neurons
#
# The original article's prose describes hidden layers
# that are all 18 neurons wide.
# Its code, which this page reproduces, does something else:

# %% tags=["hide-input"]
from activation_tutorial.display import prose

*widths, last = sizes[1:-1]
prose(
    f"The hidden layers have {', '.join(map(str, widths))} and **{last}** "
    "neurons: the third hidden layer is much narrower than the prose says."
)

# %% [markdown]
# ### It prints the last mini-batch's loss, as a tensor
#
# The original prints `loss` at the end of each epoch:
# that is the loss of the *last* mini-batch only,
# printed as a tensor with its autograd function attached.
# A single mini-batch is a noisy measure.
# The loop above reports the mean over all the epoch's mini-batches,
# as a number.

# %%
batches_per_epoch = len(result.history.batch_losses) // config.epochs
last_epoch = result.history.batch_losses[-batches_per_epoch:]
print(f"last epoch, last mini-batch loss: {last_epoch[-1]:.4f}")
mean_loss = result.history.epoch_losses[-1]
print(f"last epoch, mean of its {batches_per_epoch} losses: {mean_loss:.4f}")

# %% [markdown]
# ### ReLU acts on the neuron's input, not on the weights
#
# The trained network has plenty of negative weights; ReLU leaves them alone.
# What ReLU sets to zero is the *pre-activation* `z`,
# the weighted sum a neuron computes before its activation.

# %%
first = result.model[0]
negative = (first.weight < 0).float().mean().item()
print(f"negative weights in the first layer after training: {negative:.0%}")

z = first(X[:1])[0]  # pre-activations of the first layer, first example
h = result.model[1](z)  # the ReLU right after it

print("neuron        z        h")
for i in range(len(z)):
    print(f"{i:6d} {z[i].item():8.3f} {h[i].item():8.3f}")

# %%
zeroed = bool(torch.all((h == 0) == (z <= 0)))
print(f"{int((z < 0).sum())} of {len(z)} neurons have z < 0")
print("h is zero exactly where z is not positive:", zeroed)

# %% [markdown]
# ### The targets are noise: the network memorises, it does not learn
#
# Because `y` is drawn independently of `X`,
# there is no rule connecting them for the network to find.

# %% tags=["hide-input"]
prose(
    f"The falling loss shows the network memorising {config.samples} "
    "random numbers. On new data drawn the same way it does no better than "
    "predicting zero, the mean of the distribution the targets come from:"
)

# %%
from activation_tutorial.train import evaluate

generator = torch.Generator().manual_seed(1)
X_new = torch.randn(1000, config.features, generator=generator)
y_new = torch.randn(1000, 1, generator=generator)
print(
    f"training loss, last epoch:        {result.history.epoch_losses[-1]:.3f}"
)
trained = evaluate(result.model, X_new, y_new)
zero = evaluate(lambda x: torch.zeros(len(x), 1), X_new, y_new)
print(f"loss on new data, trained network: {trained:.3f}")
print(f"loss on new data, always zero:     {zero:.3f}")

# %% [markdown]
# So this task can show that training runs and that the loss falls,
# but not that an activation function helps a network *learn* anything.
# The comparison of activations therefore also needs a task with structure,
# a target that really is a non-linear function of `X`, and a held-out test set.
#
# ## Summary

# %% tags=["hide-input"]
prose(
    f"- The example trains a {' → '.join(map(str, sizes))} network with Adam "
    f"and a mean squared error loss, on mini-batches of {config.batch_size}, "
    f"for {config.epochs} epochs."
)

# %% [markdown]
# - With the same seed and the same order of random draws,
#   the site, the command line and the original recipe give identical losses.
# - ReLU zeroes the neuron's negative pre-activations;
#   the weights stay as they are.
# - The targets are random, so the falling loss is memorisation, not learning.
#
# ## Exercises
#
# 1. Run `activation-tutorial train --activation sigmoid --seed 0`
#    and compare the
#    final loss with ReLU's. Does the difference mean anything on this task?
# 2. Remove the `zero_grad` call from a copy of the loop.
#    What happens to the loss, and why?
# 3. Change the third hidden layer to 18 neurons,
#    as the original's prose describes.
#    How many parameters does the network have then?
