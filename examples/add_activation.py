"""Adding an activation to the registry, as the contributing page shows."""

# --8<-- [start:register]
from torch import nn

from activation_tutorial import activations
from activation_tutorial.activations import Activation

activations.register(
    Activation(
        name="hardtanh",
        display_name="Hardtanh",
        module=nn.Hardtanh,
        functional="torch.nn.functional.hardtanh(x)",
        formula=r"f(x) = \max(-1, \min(1, x))",
        derivative=r"f'(x) = \begin{cases} 1 & |x| < 1 \\ 0 & |x| > 1"
        r" \end{cases}",
        output_range=r"[-1, 1]",
        description="Tanh made of straight lines: cheap, and flat "
        "outside [-1, 1].",
        extra=True,
    )
)
print(activations.names())
# --8<-- [end:register]
