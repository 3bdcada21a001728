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
# # Comparing activations on two tasks
#
# The [PyTorch example](pytorch_example.py) trained one network,
# with ReLU, on the original article's data.
# This page trains every activation of the
# [registry](../activations.md), and the identity (no activation at all),
# on two tasks:
#
# 1. **The noise task** of the original article:
#    random inputs, random targets, nothing to learn.
# 2. **A structured task**: targets that are a fixed non-linear function
#    of the inputs, with a held-out test set.
#
# Only the second can say whether an activation helps a network *learn*.
# Every output below was produced when this page was built,
# and an activation added to the registry is added to every figure
# and table here without any other change.

# %% [markdown]
# ## The noise task
#
# Each network is trained exactly as in the example:
# same seed, same data, same settings;
# only the activation differs.
# After training, each network is also measured on fresh noise drawn the
# same way, which stands in for a test set.

# %%
from activation_tutorial.comparison import compare_noise

noise = compare_noise()

# %%
from activation_tutorial.comparison import loss_figure
from activation_tutorial.display import show_figure

show_figure(
    loss_figure,
    noise,
    title="Noise task: training loss",
    alt="Two line charts, log scale, of the training loss per epoch on the "
    "noise task, one line per activation; the original article's four "
    "activations on the left, the extras on the right, the identity on "
    "both. Most lines fall steadily; the identity's and the sigmoid's "
    "fall least.",
)

# %% [markdown]
# The training loss falls for most activations,
# and it is tempting to read the lowest curve as the best activation.
# But the targets were drawn independently of the inputs:
# the only way to lower the loss is to memorise the training targets
# one by one.
# Fresh noise shows what that is worth.
# Compare each network with a "model" that ignores its input
# and always answers the mean of the training targets:

# %%
from activation_tutorial.comparison import noise_data, reference_losses

references = reference_losses(*noise_data())
mean_train, mean_new = references["mean"]
print(f"{'':26}{'train':>8}{'new noise':>12}")
print(f"{'always the training mean':26}{mean_train:8.3f}{mean_new:12.3f}")
for name, run in noise.items():
    print(f"{name:26}{run.train_loss:8.3f}{run.test_loss:12.3f}")

# %% tags=["hide-input"]
from activation_tutorial.display import prose

worse = [name for name, run in noise.items() if run.test_loss > mean_new]
how_many = (
    f"all {len(noise)}"
    if len(worse) == len(noise)
    else f"{len(worse)} of the {len(noise)}"
)
prose(
    f"On fresh noise, {how_many} trained networks do "
    "worse than always answering the mean. "
    "Whatever a network memorised about the training targets "
    "tells it nothing about new ones."
)

# %% [markdown]
# So the noise task can show that training runs,
# and how quickly each network memorises a hundred random numbers.
# It cannot show that any activation helps a network learn,
# because there is nothing to learn:
# no network can predict noise,
# and its loss on new data says so.
#
# ## The structured task
#
# The second task keeps the same network and the same training loop,
# and gives the targets a structure:
# each target is this function of the first four features of its input,
# and the other features are distractors.

# %%
from activation_tutorial.data import structured_target
from activation_tutorial.display import show_source

show_source(structured_target)

# %% [markdown]
# A wave, a product of two features and a bump:
# none of them is a straight line in the inputs.
# The task draws separate training and test sets from the same
# distribution, and the settings are these:

# %%
from activation_tutorial.config import StructuredConfig

StructuredConfig()

# %%
from activation_tutorial.comparison import compare_structured

structured = compare_structured()

# %%
show_figure(
    loss_figure,
    structured,
    title="Structured task: training loss",
    alt="Two line charts, log scale, of the training loss per epoch on the "
    "structured task. The identity's line goes flat within the first few "
    "epochs and stays the highest; every activation's line falls well "
    "below it, the sigmoid's most slowly.",
)

# %% [markdown]
# Now the identity network's line goes flat almost at once.
# Without activations it is one affine map (see
# [Without activations](linear_collapse.py)),
# so the best it can ever do is the best affine fit to the data,
# which least squares computes directly:

# %%
from activation_tutorial.comparison import structured_data

references = reference_losses(*structured_data())
affine_train, affine_test = references["affine"]
identity = structured["identity"]
print(f"{'':34}{'train':>8}{'test':>8}")
for label, (train, test) in [
    ("best affine fit (least squares)", (affine_train, affine_test)),
    ("identity network, trained", (identity.train_loss, identity.test_loss)),
]:
    print(f"{label:34}{train:8.3f}{test:8.3f}")

# %% tags=["hide-input"]
from activation_tutorial.activations import get

best = min(structured.values(), key=lambda run: run.test_loss)
relu = structured["relu"]
prose(
    "The identity network has reached that limit: "
    "more epochs cannot help it. "
    f"With ReLU, the same network reaches a test loss of "
    f"{relu.test_loss:.3f}, {identity.test_loss / relu.test_loss:.0f} times "
    f"lower; the best here, {get(best.activation).display_name}, "
    f"reaches {best.test_loss:.3f}. "
    "The test loss is measured on inputs the networks never saw, "
    "so this is learning, not memorising."
)

# %% [markdown]
# ### Watch it learn
#
# The playback below replays the training of the original four activations
# and the identity on the structured task.
# Each panel plots the network's prediction against the true target
# for every test input;
# a perfect fit would put every point on the diagonal line.
# Press Play, or drag the slider, to step through the epochs.

# %%
from activation_tutorial.playback import record, show_playback

recording = record(every=5)
show_playback(
    recording,
    alt="Five scatter plots of predicted against true test targets, for the "
    "identity, ReLU, sigmoid, tanh and leaky ReLU, one frame every few "
    "epochs. As training goes on, the activations' points gather along the "
    "diagonal, while the identity's points stay a flat, tilted cloud.",
)

# %% [markdown]
# ## All the results
#
# Every activation on both tasks.
# The losses are mean squared errors of the trained network
# on its whole training set ("train") and on data it never saw
# ("new noise" for the noise task, "test" for the structured one).
# The last two rows need no training:
# the training mean, and the best affine fit.

# %%
from activation_tutorial.comparison import (
    TABLE_HEADER,
    reference_rows,
    table_rows,
)
from activation_tutorial.display import show_table

show_table(TABLE_HEADER, table_rows(noise, structured) + reference_rows())

# %% [markdown]
# How to read it:
#
# - On the noise task, compare the two columns:
#   a low training loss buys nothing on new noise.
# - On the structured task, every network's test loss is of the same size
#   as its training loss: what they learned carries over to new inputs.
#   Every activation beats the identity, and the identity lands on the
#   best affine fit.
# - The activations do differ among themselves on the structured task,
#   but those differences depend on this network, this task and these
#   settings.
#   The gap between *some* activation and *none* is the one the algebra of
#   [Without activations](linear_collapse.py) predicts
#   for any target that is not affine.
#
# ## Summary
#
# - On the original article's noise task, training loss falls because
#   the network memorises, and memorising does not help on fresh noise.
#   That task cannot tell a good activation from a bad one.
# - On a task with structure and a held-out test set,
#   every activation learns the function
#   and the network without activations stops at the best affine fit.
# - The comparison reads the registry,
#   so a new activation shows up in every figure and table of this page.
#
# ## Exercises
#
# 1. On the structured task, train the identity network for many more
#    epochs (`StructuredConfig(epochs=...)` passed to `compare_structured`).
#    Does its test loss move? Why not?
# 2. Register another activation, for example `nn.Mish`,
#    with `activations.register`, and run `compare_structured()` again.
#    Where does it land?
# 3. Change `structured_target` to an affine function of `X`.
#    What happens to the gap between the identity and ReLU, and why?
