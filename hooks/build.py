"""The seam between MkDocs and the package.

At build time this hook:

- keys the notebook cache on the package's source too, so an edited package
  re-executes the notebooks instead of serving stale output;
- refuses a non-notebook `.py` file in `docs/notebooks/`;
- draws every figure of the site from the package, light and dark, as
  generated files (nothing is written into `docs/`);
- ships KaTeX from `node_modules` so that math renders offline;
- removes what mkdocs-jupyter would load from CDNs (MathJax, Mermaid).
"""

from __future__ import annotations

import hashlib
import logging
import re
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "activation_tutorial"
KATEX = ROOT / "node_modules" / "katex" / "dist"
NOTEBOOKS = "notebooks"

sys.path.insert(0, str(Path(__file__).resolve().parent))
import site_figures  # noqa: E402

log = logging.getLogger("mkdocs.hooks.build")


def package_fingerprint() -> str:
    """Hash of every source file of the package: changes when the package does."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    fingerprint = package_fingerprint()
    jupyter = config.plugins.get("mkdocs-jupyter")
    if jupyter is not None and jupyter.config.get("cache"):
        # the plugin's own key covers the notebook file only; one folder per
        # package version makes any package edit a cache miss
        base = ROOT / ".cache" / "mkdocs-jupyter"
        jupyter.config["cache_dir"] = str(base / fingerprint)
        _prune(base, keep=fingerprint)

    if not KATEX.is_dir():
        raise PluginError(f"KaTeX is missing from {KATEX}; run `make setup` (npm ci)")
    config.extra_css.insert(0, "assets/katex/katex.min.css")
    config.extra_javascript.extend(
        ["assets/katex/katex.min.js", "assets/katex/auto-render.min.js", "assets/math.js"]
    )
    return config


def _prune(base: Path, keep: str) -> None:
    if not base.is_dir():
        return
    for child in base.iterdir():
        if child.is_dir() and child.name != keep:
            for f in child.glob("*"):
                f.unlink()
            child.rmdir()


def on_files(files: Files, config: MkDocsConfig) -> Files:
    _check_notebook_folder(files)

    for src_uri, content in site_figures.render_all().items():
        files.append(File.generated(config, src_uri, content=content))

    for path in [KATEX / "katex.min.css", KATEX / "katex.min.js",
                 KATEX / "contrib" / "auto-render.min.js",
                 *sorted((KATEX / "fonts").glob("*.woff2"))]:
        uri = "assets/katex/" + path.relative_to(KATEX).as_posix().replace("contrib/", "")
        files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files


def _check_notebook_folder(files: Files) -> None:
    for file in files:
        if not file.src_uri.startswith(NOTEBOOKS + "/") or not file.src_uri.endswith(".py"):
            continue
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
    re.compile(r'<script type="module">\s*document\.addEventListener\("DOMContentLoaded",'
               r"[^<]*?mermaid.*?</script>", re.S),
]


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    for pattern in _CDN_BLOCKS:
        output = pattern.sub("", output)
    return output
