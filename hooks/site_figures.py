"""Every figure of the site: which package function draws it, under which name.

Each entry becomes `figures/<key>-<theme>.svg` for light and dark, and
`figures/<key>-narrow-<theme>.svg`, its layout for phones. The activation
figures are listed from the registry, so a new registry entry gets its
figure without any change here.
"""

from __future__ import annotations

import functools
import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import package_imports
from activation_tutorial import plots
from activation_tutorial.activations import names

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "activation_tutorial"
CACHE = ROOT / ".cache" / "figures"

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


def uri(key: str, theme: str, narrow: bool = False) -> str:
    """Where figure `key` in `theme` (and in its narrow layout) lives in the site."""
    return f"figures/{key}{'-narrow' if narrow else ''}-{theme}.svg"


def render_all() -> dict[str, bytes]:
    """Draw every figure in both themes and both layouts: `{site uri: svg bytes}`."""
    out = {}
    for key, (draw, args, kwargs) in catalogue().items():
        for narrow in (False, True):
            for theme, svg in plots.render(
                draw, *args, **kwargs, **({"narrow": True} if narrow else {})
            ).items():
                out[uri(key, theme, narrow)] = svg
    return out


@functools.cache
def rendered() -> dict[str, bytes]:
    """`render_all()`, drawn once per version of this file and what it imports.

    Kept in `.cache/figures/`; the build publishes these files, and the
    `figure` macro reads their sizes.
    """
    # what the figures are drawn from: this file and the package modules it
    # imports (`package_imports`), so that an edit elsewhere keeps them
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(package_imports.fingerprint(__file__, PACKAGE.parent).encode())
    key = digest.hexdigest()[:16]
    cache = CACHE / key
    index = cache / "index.txt"
    if index.exists():
        uris = index.read_text(encoding="utf-8").split()
        return {uri: (cache / uri).read_bytes() for uri in uris}

    figures = render_all()
    if CACHE.is_dir():
        for old in CACHE.iterdir():
            if old.is_dir() and old.name != key:
                shutil.rmtree(old)
    for uri_, content in figures.items():
        (cache / uri_).parent.mkdir(parents=True, exist_ok=True)
        (cache / uri_).write_bytes(content)
    # written last: a build interrupted while writing leaves no index
    index.write_text("\n".join(figures), encoding="utf-8")
    return figures
