"""Why neural networks need activation functions, as code you can run.

The package holds every piece of logic the tutorial site shows: the
activation registry, the example network, its data and training loop, the
proof that stacked linear layers collapse, the experiments and the figures.
"""

from .activations import Activation, UnknownActivationError, derivative, get, names
from .model import build_model, count_parameters

__all__ = [
    "Activation",
    "UnknownActivationError",
    "build_model",
    "count_parameters",
    "derivative",
    "get",
    "names",
]

__version__ = "0.1.0"
