"""Every figure of the site: which package function draws it, under which name.

Each entry becomes `figures/<key>-light.svg` and `figures/<key>-dark.svg`.
The activation figures are listed from the registry, so a new registry
entry gets its figure without any change here.
"""

from __future__ import annotations

from collections.abc import Callable

from activation_tutorial import plots
from activation_tutorial.activations import names

FigureSpec = tuple[Callable[..., object], tuple, dict]


def catalogue() -> dict[str, FigureSpec]:
    """Map each figure key to `(draw function, args, kwargs)`."""
    specs: dict[str, FigureSpec] = {
        "gallery-functions": (plots.gallery_figure, ("function",), {}),
        "gallery-derivatives": (plots.gallery_figure, ("derivative",), {}),
    }
    for name in names(include_identity=False):
        specs[f"activation-{name}"] = (plots.activation_figure, (name,), {})
    return specs


def uri(key: str, theme: str) -> str:
    """Where figure `key` in `theme` lives in the built site."""
    return f"figures/{key}-{theme}.svg"


def render_all() -> dict[str, bytes]:
    """Draw every figure in both themes: `{site uri: svg bytes}`."""
    out = {}
    for key, (draw, args, kwargs) in catalogue().items():
        for theme, svg in plots.render(draw, *args, **kwargs).items():
            out[uri(key, theme)] = svg
    return out
