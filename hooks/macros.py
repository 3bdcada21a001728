"""Macros for Markdown pages: figures and numbers computed at build time.

Pages opt in with `render_macros: true` in their front matter. Everything a
macro returns is computed by the package while the site builds.
"""

from __future__ import annotations

import posixpath

import jinja2
from mkdocs_macros.errors import format_error

import site_figures
from activation_tutorial import facts, gallery
from activation_tutorial.activations import UnknownActivationError, get, names
from activation_tutorial.display import ImageFile, figure_html
from activation_tutorial.plots import THEMES


class MacroInputError(ValueError):
    """A macro was given a value it cannot take; the message says which would do."""


# A macro that fails on an author's typo fails the build (strict: the
# plugin's warning) with what went wrong, and no traceback of the plugin's
# internals; under `mkdocs serve` the server stays up
# (`on_error_fail: false`: true would exit the process).
def _plain(error: Exception, page) -> str:
    return f"# _Macro Rendering Error_\n\n_File_: `{page.file.src_path}`\n\n{error}"


@format_error.register(MacroInputError)
@format_error.register(UnknownActivationError)
def _input_error(error: Exception, markdown: str, page) -> str:
    return _plain(error, page)


@format_error.register
def _undefined(error: jinja2.UndefinedError, markdown: str, page) -> str:
    known = ", ".join(sorted(_MACROS))
    return _plain(f"{error.message}; the macros are: {known}", page)


# the names define_env gives pages, for the message on a misspelled one
_MACROS: set[str] = set()


def define_env(env):
    """Register the macros with mkdocs-macros."""

    def macro(function):
        _MACROS.add(function.__name__)
        return env.macro(function)

    def variable(name: str, value: object) -> None:
        _MACROS.add(name)
        env.variables[name] = value

    def _file(uri: str) -> ImageFile:
        # raw HTML: its links are not rewritten, so they are relative to the
        # page's address, not to its Markdown file
        url = env.page.url
        page_dir = url.rstrip("/") if url.endswith("/") else posixpath.dirname(url)
        src = posixpath.relpath(uri, page_dir or ".")
        return ImageFile(src, site_figures.rendered()[uri])

    @macro
    def figure(key: str, alt: str) -> str:
        """Figure `key` in both themes and both layouts, with the same alt text."""
        if key not in site_figures.catalogue():
            raise MacroInputError(
                f"no figure {key!r}; known: {', '.join(site_figures.catalogue())}"
            )
        if not alt.strip():
            raise MacroInputError(f"figure {key!r} needs alt text")
        return figure_html(
            alt,
            {t: _file(site_figures.uri(key, t)) for t in THEMES},
            {t: _file(site_figures.uri(key, t, narrow=True)) for t in THEMES},
        )

    @macro
    def fmt(value: float, digits: int = 2) -> str:
        """A number with a fixed count of decimals."""
        return f"{value:.{digits}f}"

    @macro
    def activation_card(name: str) -> str:
        """Formula, derivative, range, PyTorch calls, example and figure."""
        act = get(name)
        code = gallery.example_code(name)
        printed = gallery.run_code(code)
        module = type(act.make()).__name__
        alt = (
            f"Two plots for inputs x from -6 to 6: on the left {act.display_name} "
            "itself, on the right its derivative as computed by autograd."
        )
        lines = [
            f"| property | {act.display_name} |",
            "|---|---|",
            f"| function | \\({act.formula}\\) |",
            f"| derivative | \\({act.derivative}\\) |",
            f"| range | \\({act.output_range}\\) |",
            f"| module | `torch.nn.{module}()` |",
            f"| functional | `{act.functional}` |",
            "",
            figure(f"activation-{name}", alt),
            "",
            "```python",
            code.rstrip("\n"),
            "```",
            "",
            "prints",
            "",
            "```text",
            printed.rstrip("\n"),
            "```",
        ]
        return "\n".join(lines)

    variable("facts", facts)
    variable("zip", zip)
    variable("activation_names", names(include_identity=False))
