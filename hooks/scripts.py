"""A notebook page as a plain Python script that shows what the page shows."""

from __future__ import annotations

import ast
import re

_DISPLAY_IMPORT = (
    "# outside Jupyter, display() prints tables and saves figures as SVG files\n"
    "from activation_tutorial.display import display"
)


def script_of(source: str) -> str:
    r"""A percent-format notebook as a script that shows what its page shows.

    A notebook displays the value of each cell's last expression; a script
    would drop it. Each such expression is wrapped in `display(...)`.

        >>> print(script_of("# %%\nx = 2\nx * 3\n# %%\ndef f(:\n"))
        # %%
        # outside Jupyter, display() prints tables and saves figures as SVG files
        from activation_tutorial.display import display
        x = 2
        display(x * 3)
        # %%
        def f(:
        <BLANKLINE>
    """
    parts = re.split(r"(?m)^(# %%.*)$", source)
    first_code = True
    for i in range(1, len(parts), 2):
        if "[markdown]" in parts[i]:
            continue
        body = parts[i + 1]
        code = body.strip("\n")
        lines = code.split("\n")
        try:
            last = ast.parse(code).body[-1:] if code.strip() else []
        except (SyntaxError, ValueError):
            # an IPython magic, or a mistake the build reports as it runs the
            # notebook: the script keeps the cell as it is
            last = []
        if last and isinstance(last[0], ast.Expr) and not _is_call_to(last[0], "print"):
            start, end = last[0].lineno - 1, last[0].end_lineno
            expression = "\n".join(lines[start:end])
            if isinstance(last[0].value, ast.Tuple):  # `a, b` would be two arguments
                expression = f"({expression})"
            lines[start:end] = [f"display({expression})"]
        if first_code:
            lines = [_DISPLAY_IMPORT, *lines]
            first_code = False
        trailing = body[len(body.rstrip("\n")) :]
        parts[i + 1] = "\n" + "\n".join(lines) + trailing
    return "".join(parts)


def _is_call_to(node, name: str) -> bool:
    call = node.value
    return (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Name)
        and call.func.id == name
    )
