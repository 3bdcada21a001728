"""Code blocks as a reader sees them: found on the built pages, run, compared.

The tests read the *built* site, after snippet inclusion and macros, so what
runs is exactly what a reader sees and what the copy button copies.

Which blocks run, and how
-------------------------

- **Python blocks** (```` ```python ````, ```` ```py ````, with or without a
  title or highlight options) run *alone*, in a fresh namespace with
  `__name__ == "__main__"`, the way a reader runs one copied block.
- A block marked as continuing the previous one runs in that block's
  namespace. The mark is an HTML comment on the line before the fence, so it
  is visible in the Markdown source (and invisible on the page)::

      <!-- pytest-codeblocks:cont -->
      ```python
      ...
      ```

  (the marker is `pytest-codeblocks`' own, so the same source works with it).
- A block that truly cannot run says why, the same way::

      <!-- pytest.mark.skip(reason="needs a CUDA GPU") -->

- **Printed output** shown on a page is compared with what the block prints:
  a fence right after the block, introduced by a paragraph that says just
  `prints` (or by `<!-- pytest-codeblocks:expected-output -->`). Numbers
  match to the precision they are shown with.
- **`pycon` blocks** (`>>>` prompts) run as doctests; in the API reference
  they run in the namespace of the module they document.
- **Source listings** of the API reference are defined again in their
  module's namespace.
- **Notebook pages** run their code cells in order, in a fresh Jupyter
  kernel, from the notebook's source (so that cells whose input the page
  hides run too), after checking that each cell the page shows is the
  source's. Each cell's printed output and plain-text result are compared
  with the page's.
- **Random numbers**: every block, and every notebook, starts from a seed
  other than the one a fresh interpreter starts from, so output that depends
  on a generator the code did not seed itself shows up as a difference.

Run `python tests/codeblocks.py SITE_DIR` to print the counts for a built
site (the README quotes them).
"""

from __future__ import annotations

import base64
import contextlib
import doctest
import hashlib
import importlib
import io
import json
import os
import re
import shutil
import sys
import textwrap
import traceback
import warnings
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

sys.path.insert(0, str(Path(__file__).resolve().parent))
import warm

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

PYTHON = {"python", "py", "python3", "py3"}
DOCTEST = {"pycon"}
PYTHON_LIKE = PYTHON | DOCTEST | {"ipython", "ipython3"}

CONT = "pytest-codeblocks:cont"
EXPECTED = "pytest-codeblocks:expected-output"
SKIP = re.compile(
    r"""pytest\.mark\.skip\(\s*reason\s*=\s*(["'])(?P<reason>.+?)\1\s*\)"""
)
PRINTS = {"prints", "prints:"}

# the seed every block starts from; a block that shows random numbers must
# seed its own generator, or what it prints will not match the page
POISON_SEED = 20_240_917


@dataclass
class Block:
    """One code block of a built page."""

    page: str
    number: int
    kind: str  # run | doctest | source | notebook | skip | other
    language: str | None
    code: str
    label: str
    expected: str | None = None
    continues: bool = False
    skip: str | None = None
    module: str | None = None
    group: str | None = None
    shown: dict = field(default_factory=dict)
    category: str = ""

    def where(self) -> str:
        return f"{self.page}, {self.label}"


# ---------------------------------------------------------------------------
# finding the blocks


def page_uri(source: str) -> str:
    """The built HTML file of a docs source page (directory URLs)."""
    stem = re.sub(r"\.(md|py|ipynb)$", "", source)
    if stem == "index" or stem.endswith("/index"):
        return stem + ".html"
    return stem + "/index.html"


def source_pages() -> list[str]:
    """Every page of `docs/`: Markdown files and notebooks."""
    pages = [p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")]
    pages += [p.relative_to(DOCS).as_posix() for p in (DOCS / "notebooks").glob("*.py")]
    pages += [p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.ipynb")]
    return sorted(pages)


def built_pages(site: Path) -> list[str]:
    """Every content page of a built site (404 excluded), as site paths."""
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if p.name != "404.html"
    )


def _classes(tag: Tag) -> list[str]:
    return tag.get("class") or []


def language_of(tag: Tag) -> str | None:
    """`language-x` (Markdown pages) or `hl-x` (notebook pages), else None."""
    for node in [tag, *tag.find_all("code", limit=1)]:
        for cls in _classes(node):
            for prefix in ("language-", "hl-"):
                if cls.startswith(prefix):
                    return cls[len(prefix) :]
    return None


def code_text(tag: Tag) -> str:
    """The text a reader copies: the code, without line numbers."""
    cell = tag.find("td", class_="code")
    scope = cell if cell is not None else tag
    pres = [p for p in scope.find_all("pre") if not p.find_parent(class_="linenos")]
    if tag.name == "pre":
        pres = [tag]
    if not pres:
        return ""
    code = pres[0].find("code")
    return (code or pres[0]).get_text()


def _is_code_container(tag: Tag) -> bool:
    cls = _classes(tag)
    return tag.name == "div" and ("highlight" in cls or "highlight-ipynb" in cls)


def _siblings(tag: Tag, direction: str):
    """Neighbours of `tag`, skipping whitespace-only text."""
    node = getattr(tag, direction)
    while node is not None:
        if isinstance(node, NavigableString) and not isinstance(node, Comment):
            if str(node).strip():
                yield node
        else:
            yield node
        node = getattr(node, direction)


def _markers(tag: Tag) -> list[str]:
    """The HTML comments right before a block, nearest last."""
    out = []
    for node in _siblings(tag, "previous_sibling"):
        if not isinstance(node, Comment):
            break
        out.append(str(node).strip())
    return list(reversed(out))


def _shown_output(tag: Tag) -> Tag | None:
    """The fence a page shows as this block's printed output, if any."""
    nodes = _siblings(tag, "next_sibling")
    first = next(nodes, None)
    if first is None:
        return None
    is_prints = isinstance(first, Tag) and first.name == "p"
    is_prints = is_prints and first.get_text(strip=True).lower() in PRINTS
    is_marker = isinstance(first, Comment) and str(first).strip() == EXPECTED
    if not (is_prints or is_marker):
        return None
    following = next(nodes, None)
    if isinstance(following, Tag) and _is_code_container(following):
        return following
    return None


def _heading(tag: Tag) -> str:
    h = tag.find_previous(["h1", "h2", "h3", "h4"])
    return h.get_text(" ", strip=True).rstrip("¶").strip() if h else ""


# a figure of a notebook cell, as the build publishes it (hooks/build.py)
_PUBLISHED_IMAGE = re.compile(r"figures/notebooks/([0-9a-f]{16}\.(?:svg|png))")
# a figure in a cell's HTML output, before the build moves it into a file
_DATA_IMAGE = re.compile(r"data:image/(svg\+xml|png);base64,([A-Za-z0-9+/=]+)")
_SUFFIX = {"svg+xml": ".svg", "png": ".png"}


def image_names(html: str) -> list[str]:
    """The file names the build gives the data-URI images of `html`, in order.

    A name is made from the image's bytes, so equal names mean equal images.
    """
    names = []
    for match in _DATA_IMAGE.finditer(html):
        data = base64.b64decode(match.group(2))
        names.append(hashlib.sha256(data).hexdigest()[:16] + _SUFFIX[match.group(1)])
    return names


def _notebook_outputs(cell: Tag) -> dict:
    stdout, stderr, result = [], [], None
    images = _PUBLISHED_IMAGE.findall(str(cell.select_one(".jp-OutputArea") or ""))
    for child in cell.select(".jp-OutputArea-child"):
        out = child.select_one(".jp-OutputArea-output")
        if out is None:
            continue
        mime = out.get("data-mime-type", "")
        is_result = "jp-OutputArea-executeResult" in _classes(child)
        pre = out.find("pre")
        text = pre.get_text() if pre is not None else out.get_text()
        if mime == "application/vnd.jupyter.stderr":
            stderr.append(text)
        elif is_result:
            result = text if mime == "text/plain" else None
        elif mime == "text/plain":
            stdout.append(text)
    return {
        "stdout": "".join(stdout),
        "stderr": "".join(stderr),
        "result": result,
        "images": images,
    }


def page_blocks(html: str, page: str) -> list[Block]:
    """Every code block of one built page, classified."""
    soup = BeautifulSoup(html, "html.parser")
    root = soup.find("article") or soup
    outputs: set[int] = set()
    blocks: list[Block] = []

    for tag in root.find_all(["div", "pre"]):
        if _is_hidden_cell(tag):
            number = len(blocks) + 1
            blocks.append(
                Block(
                    page,
                    number,
                    "notebook",
                    "python",
                    "",
                    f"cell {number} (input hidden)",
                    shown=_notebook_outputs(tag),
                    category="notebook cell, input hidden",
                )
            )
            continue
        if tag.name == "div" and not _is_code_container(tag):
            continue
        if tag.name == "pre" and tag.find_parent(_is_code_container):
            continue
        if tag.find_parent(class_="jp-OutputArea"):
            continue  # a notebook's output, not code

        number = len(blocks) + 1
        language = language_of(tag)
        code = code_text(tag)
        block = Block(page, number, "other", language, code, f"block {number}")
        heading = _heading(tag)
        if heading:
            block.label += f" (under '{heading}')"
        if id(tag) in outputs:
            block.category = "shown output"
            blocks.append(block)
            continue

        cell = tag.find_parent(class_="jp-Cell")
        block.module = _defining_module(tag)

        if tag.find_parent(class_="jp-InputArea") is not None:
            block.kind, block.category = "notebook", "notebook cell"
            block.label = f"cell {_cell_label(cell)}"
            block.shown = _notebook_outputs(cell)
        elif "doc-signature" in _classes(tag):
            block.category = "signature"
        elif tag.find_parent("details", class_="mkdocstrings-source") is not None:
            block.kind, block.category = "source", "source listing"
        elif language in DOCTEST:
            block.kind, block.category = "doctest", "pycon example"
            owner = tag.find_parent(class_="doc-object")
            heading_tag = owner.find(class_="doc-heading") if owner else None
            block.group = heading_tag.get("id") if heading_tag else None
        elif language in PYTHON:
            block.kind, block.category = "run", "Python block"
            output = _shown_output(tag)
            if output is not None:
                outputs.add(id(output))
                block.expected = code_text(output)
        else:
            block.category = f"{language or 'plain'} block"

        for marker in _markers(tag):
            if marker == CONT:
                block.continues = True
            elif m := SKIP.fullmatch(marker):
                block.skip = m.group("reason")
            elif marker.startswith("pytest-codeblocks:skip"):
                block.skip = ""  # a skip without a reason is reported as a problem
        if block.kind != "other" and block.skip is not None:
            block.kind = "skip"
        blocks.append(block)

    return blocks


def _module_of_source(details: Tag) -> str | None:
    """`pkg.mod` from a listing's "Source code in `src/pkg/mod.py`" summary."""
    summary = details.find("summary")
    path = summary.get_text(" ", strip=True).split()[-1] if summary else ""
    parts = Path(path).with_suffix("").parts
    if "activation_tutorial" not in parts:
        return None
    parts = parts[parts.index("activation_tutorial") :]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _defining_module(tag: Tag) -> str | None:
    """The module whose namespace an API-reference block runs in.

    That is the module that *defines* the documented object (an object can
    be documented under a module that only imports it), read off the
    object's source listing; for a module's own docstring, the module.
    """
    listing = tag.find_parent("details", class_="mkdocstrings-source")
    if listing is not None:
        return _module_of_source(listing)
    owner = tag.find_parent(class_="doc-object")
    if owner is None:
        return None
    for listing in owner.find_all("details", class_="mkdocstrings-source"):
        if listing.find_parent(class_="doc-object") is owner:
            return _module_of_source(listing)
    module = tag.find_parent(class_="doc-module")
    heading = module.find(class_="doc-heading") if module is not None else None
    return heading.get("id") if heading is not None else None


def _is_hidden_cell(tag: Tag) -> bool:
    """A notebook code cell whose input the page hides (tag `hide-input`)."""
    return (
        tag.name == "div"
        and "jp-CodeCell" in _classes(tag)
        and tag.find("div", class_="jp-CodeCell") is None
        and tag.find(class_="jp-InputArea") is None
    )


def _cell_label(cell: Tag | None) -> str:
    if cell is None:
        return "(unknown)"
    prompt = cell.find(class_="jp-InputPrompt")
    text = prompt.get_text(" ", strip=True).replace("\xa0", " ") if prompt else ""
    text = text.rstrip(":")
    return text or "(unnumbered)"


def site_blocks(site: Path) -> dict[str, list[Block]]:
    """Every code block of every built page: `{site path: blocks}`."""
    return {
        page: page_blocks((site / page).read_text(encoding="utf-8"), page)
        for page in built_pages(site)
    }


def counts(blocks: dict[str, list[Block]]) -> dict:
    """How many blocks there are, how many run, how many are skipped and why.

    Notebook cells whose input the page hides are not code blocks a reader
    sees; they run all the same, and are counted apart.
    """
    every = [b for page in blocks.values() for b in page]
    hidden = [b for b in every if b.category == "notebook cell, input hidden"]
    shown = [b for b in every if b not in hidden]
    python = [b for b in shown if b.kind != "other"]
    run = [b for b in python if b.kind != "skip"]
    skipped = [b for b in python if b.kind == "skip"]
    return {
        "code_blocks": len(shown),
        "python_blocks": len(python),
        "run": len(run),
        "skipped": len(skipped),
        "hidden_cells_run": len(hidden),
        "run_by_category": dict(Counter(b.category for b in run)),
        "other_by_category": dict(
            Counter(b.category for b in shown if b.kind == "other")
        ),
        "skips": [f"{b.where()}: {b.skip}" for b in skipped],
    }


def format_counts(c: dict) -> str:
    run = ", ".join(f"{n} {k}s" for k, n in sorted(c["run_by_category"].items()))
    other = ", ".join(f"{n} {k}s" for k, n in sorted(c["other_by_category"].items()))
    lines = [
        f"code blocks on the site: {c['code_blocks']}; Python: {c['python_blocks']}, "
        f"run: {c['run']}, skipped: {c['skipped']}",
        f"  run: {run}",
        f"  also run: {c['hidden_cells_run']} notebook cells whose input is hidden",
        f"  not Python: {other}",
    ]
    lines += [f"  skipped: {s}" for s in c["skips"]]
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# comparing printed output

_NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")


def _decimals(token: str) -> int | None:
    """Decimal places of a shown number; None for an integer."""
    mantissa, _, exponent = token.lower().partition("e")
    if "." not in mantissa and not exponent:
        return None
    places = len(mantissa.split(".")[1]) if "." in mantissa else 0
    return places - int(exponent or 0)


def same_output(expected: str, actual: str) -> bool:
    """True if `actual` prints what `expected` shows.

    Text must match exactly (trailing spaces and blank lines aside); numbers
    written with a decimal point or an exponent may differ by one unit in
    the last place shown, since they are measurements rounded for display.
    """

    def norm(s: str) -> str:
        return "\n".join(line.rstrip() for line in s.strip("\n").splitlines())

    expected, actual = norm(expected), norm(actual)
    if expected == actual:
        return True
    if _NUMBER.sub("#", expected) != _NUMBER.sub("#", actual):
        return False
    for want, got in zip(
        _NUMBER.findall(expected), _NUMBER.findall(actual), strict=True
    ):
        places = _decimals(want)
        if places is None:
            if want != got:
                return False
        elif abs(float(want) - float(got)) > 10.0**-places * (1 + 1e-9):
            return False
    return True


class _Checker(doctest.OutputChecker):
    """Doctest output checking, with numbers compared as `same_output` does."""

    def check_output(self, want: str, got: str, optionflags: int) -> bool:
        return super().check_output(want, got, optionflags) or same_output(want, got)


DOCTEST_FLAGS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS


# ---------------------------------------------------------------------------
# running Markdown blocks, doctests and source listings in this process


def _poison_random_state() -> None:
    import random

    random.seed(POISON_SEED)
    with contextlib.suppress(ImportError):
        import numpy

        numpy.random.seed(POISON_SEED)
    with contextlib.suppress(ImportError):
        import torch

        torch.manual_seed(POISON_SEED)


@contextlib.contextmanager
def _reader_environment(workdir: Path):
    """Run like a reader's fresh interpreter: own directory, no stray figures."""
    old = Path.cwd()
    os.chdir(workdir)
    try:
        with warnings.catch_warnings():
            # a warning a reader would see is a problem of the page...
            warnings.simplefilter("error")
            # ...except that headless matplotlib cannot open a window
            warnings.filterwarnings("ignore", "FigureCanvasAgg is non-interactive")
            yield
    finally:
        os.chdir(old)
        if "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close("all")


def _error(block: Block, what: str, detail: str) -> str:
    code = textwrap.indent(block.code.rstrip(), "    | ")
    return (
        f"{block.where()}: {what}\n{code}\n{textwrap.indent(detail.rstrip(), '    ')}"
    )


def _exec(code: str, namespace: dict, filename: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, filename, "exec"), namespace)
    return out.getvalue()


def run_python_blocks(blocks: list[Block], workdir: Path) -> list[str]:
    """Run the page's Python blocks (alone, or continuing); return the problems."""
    problems = []
    namespace: dict | None = None
    previous_ran = False
    for block in blocks:
        if block.kind not in ("run", "skip") or block.category != "Python block":
            continue
        if block.kind == "skip":
            if not block.skip:
                problems.append(_error(block, "is skipped without a reason", ""))
            previous_ran = False
            continue
        if block.continues and namespace is None:
            problems.append(
                _error(block, "continues a block, but none runs before it", "")
            )
            continue
        if block.continues and not previous_ran:
            problems.append(_error(block, "continues a block that did not run", ""))
            continue
        if not block.continues:
            _poison_random_state()
            namespace = {"__name__": "__main__"}
        try:
            with _reader_environment(workdir):
                printed = _exec(block.code, namespace, f"<{block.where()}>")
        except BaseException as error:  # a block may even raise SystemExit
            if isinstance(error, KeyboardInterrupt):
                raise
            detail = "".join(traceback.format_exception_only(type(error), error))
            problems.append(_error(block, "raised an exception", detail))
            previous_ran = False
            continue
        previous_ran = True
        if block.expected is not None and not same_output(block.expected, printed):
            problems.append(
                _error(
                    block,
                    "prints something other than the page shows",
                    f"page shows:\n{block.expected}\nblock prints:\n{printed}",
                )
            )
    return problems


def _module_namespace(name: str | None) -> dict:
    if not name:
        return {"__name__": "__main__"}
    return dict(vars(importlib.import_module(name)))


def restore_blanklines(text: str) -> str:
    """Put back the `<BLANKLINE>` markers that the page shows as empty lines.

    The API reference (griffe) displays a doctest's `<BLANKLINE>` as an empty
    line; to doctest, an empty line would end the expected output.
    """
    lines = text.rstrip("\n").split("\n")
    out = []
    for i, line in enumerate(lines):
        if not line.strip() and out and not out[-1].lstrip().startswith(">>>"):
            rest = lines[i + 1 :]
            more = next((ln for ln in rest if ln.strip()), None)
            if more is not None and not more.lstrip().startswith(">>>"):
                out.append("<BLANKLINE>")
                continue
        out.append(line)
    return "\n".join(out) + "\n"


def run_doctest_blocks(blocks: list[Block], workdir: Path) -> list[str]:
    """Run `pycon` blocks as doctests; blocks of one docstring share a namespace."""
    problems = []
    namespaces: dict[tuple, dict] = {}
    parser = doctest.DocTestParser()
    for block in blocks:
        if block.kind != "doctest":
            continue
        key = (
            (block.module, block.group) if block.group else (block.module, block.number)
        )
        if key not in namespaces:
            _poison_random_state()
            namespaces[key] = _module_namespace(block.module)
        code = restore_blanklines(block.code)
        test = parser.get_doctest(code, namespaces[key], block.where(), None, 0)
        if not test.examples:
            problems.append(_error(block, "is a pycon block without a >>> example", ""))
            continue
        runner = doctest.DocTestRunner(checker=_Checker(), optionflags=DOCTEST_FLAGS)
        report = io.StringIO()
        with _reader_environment(workdir):
            runner.run(test, out=report.write, clear_globs=False)
        if runner.failures:
            problems.append(_error(block, "fails as a doctest", report.getvalue()))
    return problems


def run_source_listings(blocks: list[Block]) -> list[str]:
    """Define each listed function or class again in its module's namespace."""
    problems = []
    for block in blocks:
        if block.kind != "source":
            continue
        try:
            namespace = _module_namespace(block.module)
            _exec(textwrap.dedent(block.code), namespace, f"<{block.where()}>")
        except Exception as error:
            detail = "".join(traceback.format_exception_only(type(error), error))
            problems.append(_error(block, "does not run in its module", detail))
    return problems


# ---------------------------------------------------------------------------
# notebook pages: the input cells, in order, in a fresh kernel


def run_notebook_cells(cells: list, workdir: Path, timeout: int = 600) -> list[dict]:
    """Execute code cells (sources, or nbformat cells with their tags) in a new
    kernel; return each cell's outputs."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(c) if isinstance(c, str) else nbformat.from_dict(c)
        for c in cells
    ]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    client = NotebookClient(
        nb,
        kernel_name="python3",
        kernel_manager_class=warm.KernelManager,
        timeout=timeout,
        resources={"metadata": {"path": str(workdir)}},
    )
    with contextlib.suppress(CellExecutionError):
        client.execute()
    results = []
    for cell in nb.cells:
        out = {"stdout": "", "stderr": "", "result": None, "error": None, "ran": False}
        out["ran"] = cell.get("execution_count") is not None
        out["images"] = []
        for o in cell.outputs:
            if o.output_type in ("display_data", "execute_result"):
                out["images"] += image_names(o.data.get("text/html", ""))
            if o.output_type == "stream":
                out[o.name] += o.text
            elif o.output_type == "display_data" and set(o.data) == {"text/plain"}:
                out["stdout"] += o.data["text/plain"]  # shown like printed text
            elif o.output_type == "execute_result":
                out["result"] = o.data.get("text/plain")
            elif o.output_type == "error":
                out["error"] = f"{o.ename}: {o.evalue}"
        results.append(out)
    return results


def run_notebook_page(
    blocks: list[Block], workdir: Path, source: Path | None = None
) -> list[str]:
    """Run a notebook page's code cells; compare their output with the page's.

    With the notebook's `source`, the cells run from it (so that cells whose
    input the page hides run too), after checking that every cell the page
    shows is the source's cell, character for character.
    """
    cells = [b for b in blocks if b.kind == "notebook"]
    if not cells:
        return []
    if source is None:
        hidden = [b.where() for b in cells if b.category.endswith("input hidden")]
        if hidden:
            return [f"cells with hidden input cannot run without the source: {hidden}"]
        runnable: list = [b.code for b in cells]
    else:
        import jupytext

        notebook = jupytext.read(source)
        runnable = [dict(c) for c in notebook.cells if c.cell_type == "code"]
        if len(runnable) != len(cells):
            return [
                f"{cells[0].page}: the page shows {len(cells)} code cells, "
                f"{source.name} has {len(runnable)}"
            ]
        mismatched = [
            b.where()
            for b, c in zip(cells, runnable, strict=True)
            if b.code and b.code.strip() != c["source"].strip()
        ]
        if mismatched:
            return [f"cells that show other code than {source.name} runs: {mismatched}"]
    # a fresh kernel starts from torch's fixed default seed, so a notebook that
    # forgot to seed would still repeat itself; start from another seed
    poison = (
        "import random, numpy, torch\n"
        f"random.seed({POISON_SEED}); numpy.random.seed({POISON_SEED}); "
        f"torch.manual_seed({POISON_SEED})"
    )
    results = run_notebook_cells([poison, *runnable], workdir)[1:]
    problems = []
    for block, got in zip(cells, results, strict=True):
        if got["error"]:
            problems.append(_error(block, "raises", got["error"]))
            break
        if not got["ran"]:
            problems.append(_error(block, "did not run", ""))
            break
        if got["stderr"]:
            problems.append(_error(block, "writes to stderr", got["stderr"]))
        shown = block.shown
        if not same_output(shown.get("stdout", ""), got["stdout"]):
            problems.append(
                _error(
                    block,
                    "prints something other than the page shows",
                    f"page shows:\n{shown.get('stdout')}\n"
                    f"cell prints:\n{got['stdout']}",
                )
            )
        if shown.get("result") is not None and not same_output(
            shown["result"], got["result"] or ""
        ):
            problems.append(
                _error(
                    block,
                    "returns something other than the page shows",
                    f"page shows:\n{shown['result']}\ncell returns:\n{got['result']}",
                )
            )
        # figures: the same bytes, since the names are made from them (in
        # any order: the page's HTML may list a figure's attributes in another)
        if sorted(shown.get("images", [])) != sorted(got["images"]):
            problems.append(
                _error(
                    block,
                    "draws other figures than the page shows",
                    f"page shows: {shown.get('images')}\ncell draws: {got['images']}",
                )
            )
    return problems


def run_page(
    blocks: list[Block], workdir: Path, source: Path | None = None
) -> list[str]:
    """Run every Python block of one page; return its problems (empty: all good).

    Markdown blocks, doctests and source listings run in a fresh interpreter
    per page, so that nothing a block does (registering an activation,
    seeding, importing) leaks into other pages or into the test process;
    notebook cells run in a fresh kernel.
    """
    local = local_blocks(blocks)
    problems = run_in_subprocess(local, workdir) if local else []
    return problems + run_notebook_page(blocks, workdir, source)


def local_blocks(blocks: list[Block]) -> list[Block]:
    """The blocks `run_here` runs: all but notebook cells and other languages."""
    return [b for b in blocks if b.kind in ("run", "doctest", "source", "skip")]


def run_here(blocks: list[Block], workdir: Path) -> list[str]:
    """Run Markdown blocks, doctests and source listings in this process."""
    return (
        run_python_blocks(blocks, workdir)
        + run_doctest_blocks(blocks, workdir)
        + run_source_listings(blocks)
    )


def run_in_subprocess(blocks: list[Block], workdir: Path) -> list[str]:
    """`run_here` in a new interpreter; return its problems."""
    data, result = workdir / "blocks.json", workdir / "problems.json"
    data.write_text(json.dumps([asdict(b) for b in blocks]), encoding="utf-8")
    result.unlink(missing_ok=True)
    proc = warm.run(
        [__file__, "--run", str(data), str(result), str(workdir)],
        cwd=Path.cwd(),
        env={**os.environ, "MPLBACKEND": "Agg"},
        timeout=900,
    )
    if proc.returncode != 0 or not result.exists():
        return [
            f"the block runner failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}"
        ]
    return json.loads(result.read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------
# Markdown sources, for pytest-codeblocks: snippets expanded, as MkDocs would


def mkdocs_config(path: Path = ROOT / "mkdocs.yml") -> dict:
    """The MkDocs configuration as plain data."""
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _extension_config(config: dict, name: str) -> dict | None:
    for entry in config.get("markdown_extensions", []):
        if entry == name:
            return {}
        if isinstance(entry, dict) and name in entry:
            return dict(entry[name] or {})
    return None


def expand_snippets(code: str, config: dict | None = None, base: Path = ROOT) -> str:
    """Replace `--8<--` lines with what they include, with the site's settings."""
    import markdown

    config = mkdocs_config() if config is None else config
    options = _extension_config(config, "pymdownx.snippets")
    if options is None or "8<" not in code:
        return code
    paths = options.get("base_path", ["."])
    paths = [paths] if isinstance(paths, str) else paths
    options["base_path"] = [str(base / p) for p in paths]
    md = markdown.Markdown(
        extensions=["pymdownx.snippets"],
        extension_configs={"pymdownx.snippets": options},
    )
    lines = md.preprocessors["snippet"].run(code.splitlines())
    return "\n".join(lines) + "\n"


def fence_language(syntax: str | None) -> str | None:
    """The language of a fence's info string: `py title="x"` and `{.python}` too."""
    text = (syntax or "").strip()
    if text.startswith("{"):
        m = re.search(r"\.([\w+-]+)", text)
        return m.group(1).lower() if m else None
    first = re.split(r"[\s{]", text, maxsplit=1)[0]
    return first.lower() or None


def markdown_blocks(path: Path) -> list[Block]:
    """Python blocks of a Markdown source, found by pytest-codeblocks."""
    from pytest_codeblocks import extract_from_file

    blocks = []
    for found in extract_from_file(path):
        language = fence_language(found.syntax)
        if language not in PYTHON_LIKE:
            continue
        label = f"line {found.lineno}"
        reasons = [
            m.group("reason") for mark in found.marks if (m := SKIP.search(mark))
        ]
        kind = "doctest" if language in DOCTEST else "run"
        code = expand_snippets(found.code)
        block = Block(
            path.name,
            len(blocks) + 1,
            kind,
            language,
            code,
            label,
            expected=found.expected_output,
            category="Python block",
        )
        if kind == "doctest":
            block.category = "pycon example"
        if found.marks:
            block.kind, block.skip = "skip", reasons[0] if reasons else ""
        blocks.append(block)
    return blocks


# ---------------------------------------------------------------------------
# throwaway sites for the build and regression tests


def build_command(config: Path, dest: Path) -> list[str]:
    """The `mkdocs build --strict` command line for `config` into `dest`."""
    return [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "-f",
        str(config),
        "-d",
        str(dest),
    ]


def build(config: Path, dest: Path | None = None, env: dict | None = None):
    """`mkdocs build --strict` of `config`; return the finished process.

    The process is forked from a warm interpreter (`warm.run`); the site the
    tests share is built by `build_command` in a new one.
    """
    return warm.run(
        build_command(config, dest or config.parent / "site")[1:],
        cwd=config.parent,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
    )


NOTEBOOK_HEADER = """\
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
"""


def notebook(*cells: str) -> str:
    """A jupytext percent notebook from cell sources (`# %% [markdown]` kept)."""
    parts = [NOTEBOOK_HEADER]
    for cell in cells:
        header = "" if cell.startswith("# %%") else "# %%\n"
        parts.append("\n" + header + textwrap.dedent(cell).strip("\n") + "\n")
    return "".join(parts)


def small_site(
    tmp: Path,
    pages: dict[str, str],
    *,
    jupyter: bool = False,
    hooks: tuple[str, ...] = ("checks.py",),
    snippet_base: list[Path] | None = None,
    extra_files: dict[str, str] | None = None,
) -> Path:
    """A one-or-two-page site using the real site's Markdown settings.

    Only the hooks named are loaded (from the real `hooks/` folder), and the
    notebook plugin only with `jupyter=True`, so each build takes about a
    second. Returns the path of its `mkdocs.yml`.
    """
    import yaml

    real = mkdocs_config()
    theme = dict(real.get("theme", {"name": "material"}))
    if "custom_dir" in theme:
        theme["custom_dir"] = str(ROOT / theme["custom_dir"])
    config: dict = {
        "site_name": "throwaway",
        "strict": True,
        "theme": theme,
        "nav": list(pages),
        "markdown_extensions": real.get("markdown_extensions", []),
        "hooks": [str(ROOT / "hooks" / h) for h in hooks],
    }
    snippets = _extension_config(real, "pymdownx.snippets")
    if snippets is not None:
        base = snippet_base or [
            ROOT / p for p in _as_list(snippets.get("base_path", "."))
        ]
        snippets["base_path"] = [str(p) for p in base]
        config["markdown_extensions"] = [
            {"pymdownx.snippets": snippets}
            if (
                e == "pymdownx.snippets"
                or (isinstance(e, dict) and "pymdownx.snippets" in e)
            )
            else e
            for e in config["markdown_extensions"]
        ]
    if jupyter:
        plugin = next(
            p for p in real["plugins"] if isinstance(p, dict) and "mkdocs-jupyter" in p
        )
        config["plugins"] = [plugin]
    else:
        config["plugins"] = []
    for uri, text in {**pages, **(extra_files or {})}.items():
        path = tmp / "docs" / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    target = tmp / "mkdocs.yml"
    target.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return target


def _as_list(value) -> list:
    return [value] if isinstance(value, str) else list(value)


# what a copy of the project leaves out; everything else is linked, not copied
_COPIED = ("mkdocs.yml", "docs", "hooks", "src")
_NOT_LINKED = {
    *_COPIED,
    *(
        ".cache",
        ".venv",
        "site",
        "tests",
        "__pycache__",
        ".pytest_cache",
        ".ruff_cache",
    ),
}


def project_copy(tmp: Path) -> Path:
    """A throwaway copy of the project; returns its `mkdocs.yml`.

    `mkdocs.yml`, `docs/`, `hooks/` and `src/` are copied (the API reference
    prints source paths relative to the project), the rest (`node_modules`,
    `.git` for the page dates, ...) is linked. The copy has its own `.cache`,
    so nothing is reused from earlier builds.
    """
    shutil.copy2(ROOT / "mkdocs.yml", tmp / "mkdocs.yml")
    for folder in _COPIED[1:]:
        shutil.copytree(
            ROOT / folder, tmp / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    for entry in ROOT.iterdir():
        if entry.name not in _NOT_LINKED:
            (tmp / entry.name).symlink_to(entry)
    return tmp / "mkdocs.yml"


def main(argv: list[str]) -> int:
    if argv[:1] == ["--run"]:
        data, result, workdir = (Path(a) for a in argv[1:4])
        blocks = [Block(**b) for b in json.loads(data.read_text(encoding="utf-8"))]
        problems = run_here(blocks, workdir)
        result.write_text(json.dumps(problems), encoding="utf-8")
        return 0
    if len(argv) != 1:
        print("usage: python tests/codeblocks.py SITE_DIR", file=sys.stderr)
        return 2
    c = counts(site_blocks(Path(argv[0])))
    print(json.dumps(c, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
