"""The short executed example shown for each activation on the gallery page."""

from __future__ import annotations

import contextlib
import io

from .activations import get

__all__ = ["EXAMPLE_INPUTS", "example_code", "run_code"]

EXAMPLE_INPUTS = (-3.0, -1.0, 0.0, 1.0, 3.0)


def example_code(name: str) -> str:
    """Source of a self-contained snippet applying activation `name`.

    Examples:
        >>> print(example_code("relu"))
        import torch
        from torch import nn
        <BLANKLINE>
        x = torch.tensor([-3.0, -1.0, 0.0, 1.0, 3.0])
        h = nn.ReLU()(x)
        print(h)
    """
    module = get(name).make()
    values = ", ".join(repr(v) for v in EXAMPLE_INPUTS)
    return (
        "import torch\n"
        "from torch import nn\n"
        "\n"
        f"x = torch.tensor([{values}])\n"
        f"h = nn.{type(module).__name__}()(x)\n"
        "print(h)\n"
    )


def run_code(code: str) -> str:
    """Execute `code` in a fresh namespace and return what it printed.

    Examples:
        >>> run_code("print(1 + 1)")
        '2\\n'
    """
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<example>", "exec"), {"__name__": "__main__"})
    return out.getvalue()
