"""The seam between MkDocs and the package.

At build time this hook:

- imports the package afresh for every build, also under `mkdocs serve`,
  and drops a build whose sources changed while it ran, with what it
  cached (`sources.py`);
- keys the notebook cache on the package modules each notebook imports
  too, so a package edit re-executes the notebooks that import what changed
  (and no others) instead of serving stale output;
- refuses a non-notebook `.py` file in `docs/notebooks/`;
- publishes every figure of the site (`site_figures`: drawn by the package,
  light and dark, wide and narrow) as generated files (nothing is written
  into `docs/`);
- ships KaTeX from `node_modules` so that math renders offline;
- removes what mkdocs-jupyter would load from CDNs (MathJax, Mermaid);
- offers every notebook for download, as `.ipynb` and as a plain `.py`
  script, with a "run it yourself" box on its page;
- moves the stylesheet mkdocs-jupyter inlines into every notebook page, and
  the figures notebook cells inline as data URIs, into shared, cacheable
  files named by their content;
- keeps compiled templates on disk (`templates.py`), and under
  `mkdocs serve` what the first build leaves alive out of the garbage
  collector's way, so that a rebuild redoes as little as it can.
"""

from __future__ import annotations

import base64
import gc
import hashlib
import logging
import os
import posixpath
import re
import shutil
import sys
from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

import memo

ROOT = Path(__file__).resolve().parent.parent
HOOKS = ROOT / "hooks"
KATEX = ROOT / "node_modules" / "katex" / "dist"
NOTEBOOKS = "notebooks"

# no bytecode is written into the watched src/ folder, so that a build (or
# a notebook kernel, which inherits the environment) never triggers another
# build; installed packages keep using the bytecode they already have
os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
sys.dont_write_bytecode = True


def _forget_project_modules() -> None:
    """Drop the package and the hooks' helpers from `sys.modules`.

    MkDocs imports a hook once per process, and `mkdocs serve` keeps it for
    every rebuild; Python would keep serving the package imported first too,
    so the numbers, examples and figures of an edited package would be stale.
    Dropped before each build, they are imported afresh, by this hook and by
    `hooks/macros.py` (a few hundredths of a second; torch stays loaded).
    """
    roots = (str(ROOT / "src"), str(HOOKS))
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None) or ""
        if path.startswith(roots) and module is not sys.modules.get(__name__):
            del sys.modules[name]


# NOTE: the tutorial's networks are tiny; one thread trains them faster than
# two (no hand-off cost, no fight with the other cores' work) and gives the
# same bits on every machine. Set before torch is imported, here and in the
# notebook kernels, which inherit the environment.
os.environ.setdefault("OMP_NUM_THREADS", "1")

log = logging.getLogger("mkdocs.hooks.build")


# what this build is made from, as it was when it began (`sources.py`)
_snapshot = None
# the imports read from each package file and notebook, by its text, for
# the next build (`package_imports.remember_parses`)
_parsed = memo.Memo()
CACHES = (ROOT / ".cache" / "mkdocs-jupyter", ROOT / ".cache" / "figures")


@event_priority(100)  # first: before mkdocs-macros imports the package
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _snapshot
    _forget_project_modules()
    _keys.clear()  # the files may have changed since the last build
    # the helpers next to this file are imported by name, here where they are
    # used and by hooks/macros.py (MkDocs takes this folder off sys.path
    # once it has loaded the hook)
    if str(HOOKS) not in sys.path:
        sys.path.insert(0, str(HOOKS))
    import package_imports
    import sources

    package_imports.remember_parses(_parsed)
    # before anything imports the package or reads a notebook; with what
    # the memos of `mkdocs serve` are keyed on too (`rebuild_memo.py`): the
    # theme's overrides, the included examples and the configuration
    _snapshot = sources.Snapshot(
        [
            ROOT / "src",
            ROOT / "docs" / NOTEBOOKS,
            HOOKS,
            ROOT / "overrides",
            ROOT / "examples",
            Path(config.config_file_path),
        ]
    )
    jupyter = config.plugins.get("mkdocs-jupyter")
    if jupyter is not None and jupyter.config.get("cache"):
        base = ROOT / ".cache" / "mkdocs-jupyter"
        jupyter.config["cache_dir"] = str(base)
        _prune(base)  # folders of the cache's earlier layout
        _key_notebooks_on_their_imports()
        import prerun

        # the notebooks' warm server imports PyTorch while MkDocs goes on
        notebooks = Path(config.docs_dir) / NOTEBOOKS
        paths = [os.path.normpath(p) for p in sorted(notebooks.glob("*.py"))]
        prerun.warm_up(paths, jupyter.config, _serving)

    if not KATEX.is_dir():
        raise PluginError(f"KaTeX is missing from {KATEX}; run `make setup` (npm ci)")
    config.extra_css.insert(0, "assets/katex/katex.min.css")
    config.extra_javascript.extend(
        [
            "assets/katex/katex.min.js",
            "assets/katex/auto-render.min.js",
            "assets/math.js",
            "assets/playback.js",
        ]
    )
    return config


def _prune(base: Path) -> None:
    if not base.is_dir():
        return
    for child in base.iterdir():
        if child.is_dir():
            shutil.rmtree(child)


# each notebook's cache key, for the build under way
_keys: dict[str, str] = {}


def _key_notebooks_on_their_imports() -> None:
    """Make mkdocs-jupyter's cache key cover the package modules a notebook imports.

    The plugin's own key covers the notebook file and its options only: an
    edited package would be served from the cache, stale. With the files
    the notebook imports in the key (`package_imports`), a package edit
    re-executes exactly the notebooks that import what changed. The
    plugin, and `prerun.py`, call the key function by its module-level name.
    """
    from mkdocs_jupyter import plugin

    own = getattr(plugin._compute_cache_key, "own_key", plugin._compute_cache_key)

    def key(nb_path, config, exec_nb):
        import package_imports

        # once per build: prerun.py asks first, and the plugin then finds
        # what prerun.py cached even if a file changed in between (the
        # build is then dropped, see on_env)
        if nb_path not in _keys:
            imports = package_imports.fingerprint(nb_path)
            own_key = own(nb_path, config, exec_nb)
            _keys[nb_path] = hashlib.sha256(f"{own_key} {imports}".encode()).hexdigest()
        return _keys[nb_path]

    key.own_key = own
    plugin._compute_cache_key = key


_freeze_after_build = False
_serving = False


def on_startup(command: str, dirty: bool) -> None:
    global _freeze_after_build, _serving
    _freeze_after_build = _serving = command == "serve"


def on_post_build(config: MkDocsConfig) -> None:
    global _freeze_after_build
    _post_pages.end_build()
    _converted.end_build()
    _parsed.end_build()
    if _freeze_after_build:
        # what is alive after mkdocs serve's first build (torch, the plugins,
        # ...) lives as long as the server: out of the garbage collector's
        # sight, a full collection during a rebuild takes 0.02 s, not 0.2
        gc.collect()
        gc.freeze()
        _freeze_after_build = False


def on_pre_build(config: MkDocsConfig) -> None:
    import templates

    mkdocstrings = config.plugins.get("mkdocstrings")
    for name in mkdocstrings.config.handlers if mkdocstrings else []:
        templates.keep_compiled(mkdocstrings.handlers.get_handler(name).env)


@event_priority(100)  # first: before anything renders a theme template
def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    import templates

    # every page's content is made, none is written yet
    changed = _snapshot.changed() if _snapshot else []
    if changed:
        _drop_what_this_build_cached()
        listed = ", ".join(Path(p).relative_to(ROOT).as_posix() for p in changed)
        raise PluginError(
            f"{listed} changed while the site was building: this build is "
            "dropped, with what it cached; the next build takes the change"
        )
    templates.keep_compiled(env)
    return env


def on_build_error(error: Exception) -> None:
    # a build that failed while its sources changed may have cached outputs
    # of a version that is no longer there
    if _snapshot is not None and _snapshot.changed():
        _drop_what_this_build_cached()


def _drop_what_this_build_cached() -> None:
    for cache in CACHES:
        for path in _snapshot.written_during(cache):
            path.unlink()
    log.info("dropped the notebook outputs and figures this build cached")


def on_files(files: Files, config: MkDocsConfig) -> Files:
    import prerun
    import site_figures

    _check_notebook_folder(files)
    jupyter = config.plugins.get("mkdocs-jupyter")
    running = None
    if jupyter is not None:
        paths = [f.abs_src_path for f in _notebooks(files)]
        running = prerun.start(paths, jupyter.config)
    # while the notebooks run in other processes
    try:
        for file in _notebooks(files):
            for src_uri, content in _downloads(file).items():
                files.append(File.generated(config, src_uri, content=content))

        for src_uri, content in site_figures.rendered().items():
            files.append(File.generated(config, src_uri, content=content))
    except BaseException:
        if running is not None:
            running.cancel()
        raise
    if running is not None:
        running.finish()

    for path in [
        KATEX / "katex.min.css",
        KATEX / "katex.min.js",
        KATEX / "contrib" / "auto-render.min.js",
        *sorted((KATEX / "fonts").glob("*.woff2")),
    ]:
        uri = "assets/katex/" + path.relative_to(KATEX).as_posix().replace(
            "contrib/", ""
        )
        files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files


def _notebooks(files: Files) -> list[File]:
    return [
        f
        for f in files
        if f.src_uri.startswith(NOTEBOOKS + "/") and f.src_uri.endswith(".py")
    ]


# each notebook's downloads, by what they are made from: `mkdocs serve`
# keeps this module, so a rebuild converts only what changed
_converted = memo.Memo()


def _downloads(file: File) -> dict[str, bytes]:
    """The notebook as `.ipynb` (no outputs) and as a plain script."""
    import jupytext
    import nbformat

    import scripts

    stem = Path(file.src_uri).stem
    source = Path(file.abs_src_path).read_bytes()
    digest = hashlib.sha256(source + Path(scripts.__file__).read_bytes()).hexdigest()
    key = memo.key(file.abs_src_path, digest)
    converted = _converted.get(key)
    if converted is None:
        notebook = jupytext.reads(source.decode("utf-8"), fmt="py:percent")
        # nbformat draws random cell ids; fixed ones keep the build reproducible
        for i, cell in enumerate(notebook.cells):
            cell["id"] = f"cell-{i}"
        script = scripts.script_of(source.decode("utf-8"))
        converted = {
            f"downloads/{stem}.ipynb": nbformat.writes(notebook).encode("utf-8"),
            f"downloads/{stem}.py": script.encode("utf-8"),
        }
        _converted.put(key, converted)
    return converted


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if _is_notebook(page.file):
        html = _run_it_yourself(page) + _resolve_links(html, page, files)
    return html


def _is_notebook(file: File) -> bool:
    return file.src_uri.startswith(NOTEBOOKS + "/") and file.src_uri.endswith(".py")


_HREF = re.compile(r'href="([^":#?]+\.(?:md|py))(#[^"]*)?"')


def _resolve_links(html: str, page: Page, files: Files) -> str:
    """Turn links to source files in notebook cells into links to their pages.

    MkDocs resolves such links on Markdown pages; mkdocs-jupyter leaves them
    as they are written, which would point at files that are not published.
    """

    def resolve(match: re.Match) -> str:
        target = posixpath.normpath(
            posixpath.join(posixpath.dirname(page.file.src_uri), match.group(1))
        )
        file = files.get_file_from_path(target)
        if file is None or not file.is_documentation_page():
            raise PluginError(
                f"docs/{page.file.src_uri} links to {match.group(1)!r}, "
                "which is not a page of the site"
            )
        return f'href="{file.url_relative_to(page.file)}{match.group(2) or ""}"'

    return _HREF.sub(resolve, html)


def _run_it_yourself(page: Page) -> str:
    root = "../" * page.url.count("/")
    stem = Path(page.file.src_uri).stem
    return (
        '<div class="admonition tip run-it-yourself">'
        '<p class="admonition-title">Run it yourself</p>'
        "<p>Download this page as a notebook, "
        f'<a href="{root}downloads/{stem}.ipynb" download>{stem}.ipynb</a>, '
        f'or as a script, <a href="{root}downloads/{stem}.py" download>{stem}.py</a>. '
        "In a clone of the repository, set up once, then run the script:</p>"
        f"<pre><code>make setup\n.venv/bin/python {stem}.py</code></pre>"
        "</div>"
    )


def _check_notebook_folder(files: Files) -> None:
    for file in _notebooks(files):
        text = Path(file.abs_src_path).read_text(encoding="utf-8")
        if "format_name: percent" not in text or "# %%" not in text:
            raise PluginError(
                f"docs/{file.src_uri} is not a jupytext percent notebook; "
                "docs/notebooks/ holds notebooks only: put helper code in "
                "src/activation_tutorial/"
            )


# mkdocs-jupyter's template pulls MathJax 2 and Mermaid from cdnjs; the site
# renders math with its own KaTeX and has no diagrams in notebooks
_CDN_BLOCKS = [
    re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S),
    re.compile(
        r'<script type="module">\s*document\.addEventListener\("DOMContentLoaded",'
        r"[^<]*?mermaid.*?</script>",
        re.S,
    ),
]


_STYLE = re.compile(r'<style type="text/css">(.*?)</style>', re.S)
_DATA_IMAGE = re.compile(r"data:image/(svg\+xml|png);base64,([A-Za-z0-9+/=]+)")
_SUFFIX = {"svg+xml": ".svg", "png": ".png"}


# Material's search panel is a dialog without a name, which axe reports as a
# serious violation; the browser tests fail if this stops matching
_SEARCH_DIALOG = 'data-md-component="search" role="dialog"'


# under `mkdocs serve`, each page's final HTML and the files it links to,
# by the page's address and the HTML it came in as
_post_pages = memo.Memo()


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    site_dir = Path(config.site_dir)
    key = memo.key(page.url, hashlib.sha256(output.encode()).hexdigest())
    known = _post_pages.get(key)
    if known is not None:
        final, written = known
        for relative, data in written.items():
            _write(site_dir / relative, data)
        return final
    written: dict[str, bytes] = {}
    for pattern in _CDN_BLOCKS:
        output = pattern.sub("", output)
    output = output.replace(_SEARCH_DIALOG, _SEARCH_DIALOG + ' aria-label="Search"', 1)
    if 'class="jupyter-wrapper"' in output:
        output = _externalise(output, page, site_dir, written)
    _post_pages.put(key, (output, written))
    return output


def _write(path: Path, data: bytes) -> None:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _externalise(
    output: str, page: Page, site_dir: Path, written: dict[str, bytes]
) -> str:
    """Replace inline notebook styles and SVG figures with links to files.

    The files are written into `site_dir` and listed in `written`.
    """
    root = "../" * page.url.count("/")
    content_start = output.find('class="md-content"')

    def write(folder: str, data: bytes, suffix: str) -> str:
        name = hashlib.sha256(data).hexdigest()[:16] + suffix
        _write(site_dir / folder / name, data)
        written[f"{folder}/{name}"] = data
        return f"{root}{folder}/{name}"

    def style(match: re.Match) -> str:
        if match.start() < content_start:
            return match.group(0)
        href = write("assets/notebook", match.group(1).strip().encode(), ".css")
        return f'<link rel="stylesheet" href="{href}">'

    def image(match: re.Match) -> str:
        data = base64.b64decode(match.group(2))
        return write("figures/notebooks", data, _SUFFIX[match.group(1)])

    output = _STYLE.sub(style, output)
    return _DATA_IMAGE.sub(image, output)
