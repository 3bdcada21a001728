"""Every code block a reader sees runs, and shows what it prints.

The blocks are read from the built site (see `codeblocks.py` for how blocks
are found, marked as continuing or skipped, and compared with the output a
page shows). The Markdown sources are also run through pytest-codeblocks'
extractor, with snippets expanded as the site expands them.
"""

from __future__ import annotations

import ast
import base64
import doctest
import importlib
import importlib.util
import pkgutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import codeblocks as cb
import summaries

ROOT = cb.ROOT
PAGES = cb.source_pages()


def _page_param(source: str):
    marks = [pytest.mark.slow] if source.startswith("notebooks/") else []
    return pytest.param(source, id=source, marks=marks)


@pytest.fixture(scope="session")
def site_blocks(site_dir) -> dict[str, list[cb.Block]]:
    blocks = cb.site_blocks(site_dir)
    summaries.add(
        "code blocks of the built site", [cb.format_counts(cb.counts(blocks))]
    )
    return blocks


# the API reference shows the package's docstring examples, which pytest's
# --doctest-modules runs in one process too: one interpreter for all its
# pages (one per page would import torch once a page)
API_PAGES = [cb.page_uri(p) for p in PAGES if p.startswith("api/")]


@pytest.fixture(scope="module")
def api_problems(site_blocks, tmp_path_factory) -> dict[str, list[str]]:
    """The problems of the API reference's blocks, run together, by page."""
    blocks = [b for page in API_PAGES for b in cb.local_blocks(site_blocks[page])]
    problems = cb.run_in_subprocess(blocks, tmp_path_factory.mktemp("api"))
    by_page = {
        page: [p for p in problems if p.startswith(f"{page},")] for page in API_PAGES
    }
    unplaced = [
        p for p in problems if not any(p in found for found in by_page.values())
    ]
    # a runner that failed as a whole fails every page
    return {page: found + unplaced for page, found in by_page.items()}


@pytest.mark.parametrize("source", [_page_param(p) for p in PAGES])
def test_page_code_blocks_run_and_print_what_is_shown(
    source, site_blocks, tmp_path, request
):
    page = cb.page_uri(source)
    assert page in site_blocks, f"docs/{source} was not built as {page}"
    if page in API_PAGES:
        assert cb.local_blocks(site_blocks[page]), f"{page} shows no example"
        problems = request.getfixturevalue("api_problems")[page]
    else:
        problems = cb.run_page(site_blocks[page], tmp_path, cb.DOCS / source)
    assert not problems, "\n\n".join(problems)


def test_every_built_page_is_a_docs_page(site_dir):
    expected = {cb.page_uri(p) for p in PAGES}
    unexpected = sorted(set(cb.built_pages(site_dir)) - expected)
    assert not unexpected, f"pages with no source in docs/, so untested: {unexpected}"


def test_code_block_counts(site_blocks):
    # the counts themselves are printed at the end of the run
    counts = cb.counts(site_blocks)
    assert counts["python_blocks"] == counts["run"] + counts["skipped"]
    assert counts["run"] > 0
    no_reason = [s for s in counts["skips"] if s.endswith(": ")]
    assert not no_reason, f"skipped without a reason: {no_reason}"


def _looks_like_python(code: str) -> bool:
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return False
    kinds = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef, ast.Assign)
    return any(isinstance(node, kinds) for node in ast.walk(tree))


def test_no_python_hides_in_a_block_marked_as_something_else(site_blocks):
    hidden = [
        b.where()
        for blocks in site_blocks.values()
        for b in blocks
        if b.kind == "other"
        and b.category.endswith(("text block", "plain block"))
        and _looks_like_python(b.code)
    ]
    assert not hidden, f"Python code in blocks not marked as Python: {hidden}"


# --- the Markdown sources, through pytest-codeblocks ------------------------

SOURCES = ["README.md", *(f"docs/{p}" for p in PAGES if p.endswith(".md"))]


@pytest.mark.parametrize("source", SOURCES)
def test_markdown_source_blocks(source, tmp_path):
    path = ROOT / source
    if not path.exists():
        pytest.skip(f"{source} does not exist (yet)")
    blocks = cb.markdown_blocks(path)
    for block in blocks:
        block.page = source
    problems = cb.run_in_subprocess(blocks, tmp_path) if blocks else []
    assert not problems, "\n\n".join(problems)


# --- doctests of the package, under other print options and in reverse ------


def _package_doctests() -> list[doctest.DocTest]:
    import activation_tutorial

    finder = doctest.DocTestFinder()
    tests = []
    for info in pkgutil.iter_modules(activation_tutorial.__path__):
        if info.name == "__main__":
            continue
        module = importlib.import_module(f"activation_tutorial.{info.name}")
        tests += [t for t in finder.find(module) if t.examples]
    return tests


def test_doctests_do_not_depend_on_print_options_or_order():
    import numpy as np
    import torch

    tests = _package_doctests()
    assert tests
    failures = []
    torch_options = dict(vars(torch._tensor_str.PRINT_OPTS))
    try:
        torch.set_printoptions(precision=2, sci_mode=True)
        with np.printoptions(precision=3, legacy="1.25"):
            for test in reversed(tests):
                runner = doctest.DocTestRunner(
                    checker=cb._Checker(), optionflags=cb.DOCTEST_FLAGS
                )
                report: list[str] = []
                runner.run(test, out=report.append)
                if runner.failures:
                    failures.append("".join(report))
    finally:
        torch.set_printoptions(**torch_options)
    assert not failures, "\n".join(failures)


# --- the one command that regenerates shown output ---------------------------


def test_regenerate_outputs_rewrites_only_stale_output(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "regenerate_outputs", ROOT / "tools" / "regenerate_outputs.py"
    )
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)

    page = tmp_path / "page.md"
    page.write_text(
        "# Page\n\n```python\nx = 6 * 7\nprint(x)\n```\n\n"
        "prints\n\n```text\n41\n```\n\n"
        "<!-- pytest-codeblocks:cont -->\n```py\nprint(x / 4)\n```\n\n"
        "<!-- pytest-codeblocks:expected-output -->\n```text\n10.5\n```\n\n"
        '```python\nraise SystemExit("blocks without shown output are not run")\n```\n',
        encoding="utf-8",
    )
    assert tool.main(["--check", str(page)]) == 1
    assert "41" in page.read_text(encoding="utf-8")
    assert tool.main([str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    assert "```text\n42\n```" in text
    assert "```text\n10.5\n```" in text
    assert tool.main(["--check", str(page)]) == 0


# --- the markers, on a small built page --------------------------------------

MARKED = """\
# Markers

```python
x = 6 * 7
```

<!-- pytest-codeblocks:cont -->
```python
print(x)
```

prints

```text
42
```

<!-- pytest.mark.skip(reason="needs a GPU") -->
```python
import not_installed_anywhere
```

```python
print(round(2 / 3, 4))
```

<!-- pytest-codeblocks:expected-output -->
```text
0.6666
```

```python
print(x)
```
"""


def test_markers_cont_skip_and_shown_output(tmp_path):
    config = cb.small_site(tmp_path, {"index.md": MARKED})
    proc = cb.build(config)
    assert proc.returncode == 0, proc.stderr
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    blocks = cb.page_blocks(html, "index.html")
    python = [b for b in blocks if b.category == "Python block"]
    assert [b.continues for b in python] == [False, True, False, False, False]
    assert python[1].expected == "42\n"
    assert python[2].kind == "skip"
    assert python[2].skip == "needs a GPU"
    assert python[3].expected == "0.6666\n"  # 0.6667 shown one unit off: accepted
    counts = cb.counts({"index.html": blocks})
    assert (counts["run"], counts["skipped"]) == (4, 1)

    problems = cb.run_page(blocks, tmp_path)
    # only the last block fails: it does not continue the first, so x is unknown
    assert len(problems) == 1, problems
    assert "NameError" in problems[0]
    assert "block 7" in problems[0]


def test_shown_output_is_compared_to_the_precision_shown():
    assert cb.same_output("loss 0.1235\n", "loss 0.12346\n")
    assert cb.same_output("0.6666", "0.6667")
    assert not cb.same_output("0.6666", "0.6668")
    assert not cb.same_output("621 parameters", "622 parameters")
    assert not cb.same_output("loss 0.12", "error 0.12")
    assert cb.same_output("tensor([0., 1.])\n\n", "tensor([0., 1.])")


@pytest.mark.slow
def test_a_cell_that_draws_another_figure_than_the_page_shows_fails(tmp_path):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"/>'
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
    [name] = cb.image_names(f'<img src="{uri}">')
    code = f"from IPython.display import HTML\nHTML('<img src=\"{uri}\">')"

    def cell(number: int, images: list[str]) -> cb.Block:
        shown = {"stdout": "", "stderr": "", "result": None, "images": images}
        label = f"cell {number}"
        return cb.Block(
            "p.html", number, "notebook", "python", code, label, shown=shown
        )

    # one kernel: the first cell shows the figure it draws, the second another
    cells = [cell(1, [name]), cell(2, ["0123456789abcdef.svg"])]
    [problem] = cb.run_notebook_page(cells, tmp_path)
    assert "cell 2: draws other figures than the page shows" in problem


def test_figure_names_are_the_ones_the_build_gives(tmp_path):
    # the build moves a cell's data-URI figures into files named by their
    # bytes (hooks/build.py); the comparison above relies on the same names
    sys.path.insert(0, str(ROOT / "hooks"))
    try:
        import build
    finally:
        sys.path.remove(str(ROOT / "hooks"))
    png = b"\x89PNG\r\n\x1a\n not really"
    uri = "data:image/png;base64," + base64.b64encode(png).decode()
    html = f'<div class="md-content"><img src="{uri}"></div>'

    class Page:
        url = "notebooks/page/"

    written: dict[str, bytes] = {}
    out = build._externalise(html, Page(), tmp_path, written)
    [published] = cb._PUBLISHED_IMAGE.findall(out)
    assert cb.image_names(html) == [published]
    assert written == {f"figures/notebooks/{published}": png}
