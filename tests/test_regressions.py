"""One regression test per failure kind of issue 4, each from a small failing input.

Most build a throwaway one-page site with the real site's Markdown settings
(`codeblocks.small_site`), loading only the hooks and plugins the kind needs,
so each build takes a second or two.

Kinds and what closes them:

1. a raising notebook cell published as a traceback: `allow_errors: false`,
   and `hooks/checks.py` for cells that are allowed to raise;
2. stale output after a package edit: `hooks/build.py` keys the notebook
   cache on the package modules each notebook imports, and under
   `mkdocs serve` imports the package afresh for each build (macros'
   numbers, figures);
3. a helper `.py` next to the notebooks published as a page:
   `hooks/build.py` refuses it;
4. a misspelled snippet section: `check_paths` fails on a missing section,
   `hooks/checks.py` on an empty code block;
5. ```` ```py ````, `pycon` or titled fences not tested: `codeblocks.py` runs
   every Python-like block of the built pages;
6. a snippet line run literally: `codeblocks.py` runs the built page, and
   `hooks/checks.py` fails a Python block that still shows a snippet line;
7. `if __name__ == "__main__":` never running: blocks run as `__main__`;
8. `$$` without blank lines: `hooks/checks.py` fails the build;
9. figures that differ between builds: no dates, a fixed hash salt; a
   figure is drawn twice here, and every site figure is redrawn and
   compared with the built site's, byte for byte, in `test_site.py`.
"""

from __future__ import annotations

import re
import shutil
import sys
import textwrap
from pathlib import Path

import pytest

import activation_tutorial

sys.path.insert(0, str(Path(__file__).resolve().parent))
import codeblocks as cb
import serving

ROOT = cb.ROOT
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def output(proc) -> str:
    return ANSI.sub("", proc.stdout + proc.stderr)


def built_blocks(config: Path, page: str = "index.html") -> list[cb.Block]:
    html = (config.parent / "site" / page).read_text(encoding="utf-8")
    return cb.page_blocks(html, page)


def md(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def hooks_copy(tmp: Path) -> Path:
    """The real hooks in `tmp/hooks`, with the figure catalogue stubbed out.

    `hooks/build.py` finds the package, KaTeX and its caches next to itself,
    so a copy works on the copy's own `src/`, `node_modules` and `.cache`.
    """
    shutil.copytree(
        ROOT / "hooks", tmp / "hooks", ignore=shutil.ignore_patterns("__pycache__")
    )
    (tmp / "hooks" / "site_figures.py").write_text(
        "def catalogue():\n    return {}\n\n\n"
        "def rendered():\n    return {'figures/stub.svg': b'<svg/>'}\n",
        encoding="utf-8",
    )
    (tmp / "node_modules").symlink_to(ROOT / "node_modules")
    return tmp / "hooks"


def _without_execution(config: Path) -> None:
    import yaml

    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    for plugin in data["plugins"]:
        if isinstance(plugin, dict) and "mkdocs-jupyter" in plugin:
            plugin["mkdocs-jupyter"]["execute"] = False
    config.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def package_copy(tmp: Path) -> Path:
    """The package's source in `tmp/src`, for a build to import (PYTHONPATH)."""
    shutil.copytree(
        ROOT / "src" / "activation_tutorial",
        tmp / "src" / "activation_tutorial",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    return tmp / "src" / "activation_tutorial"


def use_hooks(config: Path, *paths: Path) -> None:
    import yaml

    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["hooks"] = [str(p) for p in paths]
    config.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


# --- kind 1 -------------------------------------------------------------------


@pytest.mark.slow
def test_kind1_a_raising_cell_fails_the_build_naming_page_and_cell(tmp_path):
    config = cb.small_site(
        tmp_path,
        {
            "notebooks/broken.py": cb.notebook(
                'print("the first cell is fine")',
                'raise RuntimeError("the second cell is broken")',
            )
        },
        jupyter=True,
    )
    proc = cb.build(config)
    text = output(proc)
    assert proc.returncode != 0
    assert "Error reading page 'notebooks/broken.py'" in text
    assert 'raise RuntimeError("the second cell is broken")' in text
    assert "In[2]" in text
    assert not (tmp_path / "site" / "notebooks" / "broken" / "index.html").exists()


@pytest.mark.slow
def test_kind1_cells_that_are_not_python_or_end_the_kernel_are_named(tmp_path):
    # the hooks read each notebook's imports before it runs: a cell they
    # cannot parse is the kernel's to report, not a traceback of theirs.
    # nbclient says only that a kernel died: the build says in which cell.
    # Every failing notebook is reported, not only the first
    text = failed_build_with_hooks(
        tmp_path,
        {
            "typo": ['print("the first cell is fine")', "def broken(:\n    pass"],
            "crash": ["x = 1", "import os\nos._exit(3)  # the kernel ends here"],
        },
    )
    assert text.count("2 notebooks failed.") == 1
    typo, crash = text.index("notebooks/typo.py"), text.index("notebooks/crash.py")
    assert "def broken(:" in text[typo:] and "SyntaxError" in text[typo:]
    assert "notebooks/crash.py: its kernel stopped while it ran cell 2" in text
    assert "os._exit(3)  # the kernel ends here" in text[crash:]


def failed_build_with_hooks(tmp_path: Path, notebooks: dict[str, list[str]]) -> str:
    """The output of a build, with the site's hooks, of `notebooks` (cells by
    name), which fails with a message and no traceback."""
    hooks = hooks_copy(tmp_path)
    pages = {f"notebooks/{n}.py": cb.notebook(*cells) for n, cells in notebooks.items()}
    config = cb.small_site(tmp_path, pages, jupyter=True)
    use_hooks(config, hooks / "build.py", hooks / "checks.py")
    proc = cb.build(config)
    text = output(proc)
    assert proc.returncode != 0
    assert "Traceback (most recent call last)" not in text, text
    return text


@pytest.mark.slow
def test_kind1_a_cell_allowed_to_raise_still_fails_the_build(tmp_path):
    # nbclient lets a cell tagged raises-exception through allow_errors: false
    config = cb.small_site(
        tmp_path,
        {
            "notebooks/tagged.py": cb.notebook(
                "x = 1",
                '# %% tags=["raises-exception"]\n'
                'raise RuntimeError("published traceback")',
            )
        },
        jupyter=True,
    )
    proc = cb.build(config)
    text = output(proc)
    assert proc.returncode != 0
    assert "page 'notebooks/tagged.py' fails its checks" in text
    assert "notebook cell In [2] shows error or stderr output" in text
    assert "RuntimeError: published traceback" in text


# --- kind 2 -------------------------------------------------------------------


@pytest.mark.slow
def test_kind2_an_edited_package_is_never_served_from_the_notebook_cache(tmp_path):
    # a package edit re-executes the notebooks that import what changed, and
    # only those: the others' cached output is still what they would show
    hooks = hooks_copy(tmp_path)
    package_copy(tmp_path)
    config = cb.small_site(
        tmp_path,
        {
            "notebooks/uses_facts.py": cb.notebook(
                "from activation_tutorial.facts import leaky_slope\n"
                'print("slope", leaky_slope())'
            ),
            "notebooks/probe.py": cb.notebook(
                "import activation_tutorial\n"
                'print("probe:", activation_tutorial.__version__)'
            ),
        },
        jupyter=True,
    )
    use_hooks(config, hooks / "build.py", hooks / "checks.py")
    env = {"PYTHONPATH": str(tmp_path / "src")}  # the kernel imports the copy
    site = tmp_path / "site" / "notebooks"

    def executed_by(build) -> set[str]:
        # logged whenever a notebook is executed, by hooks/prerun.py or by
        # the plugin itself
        assert build.returncode == 0, output(build)
        found = re.findall(
            r"(?:Converting notebook \(execute=True\):|executing) \S*?(\w+)\.py",
            output(build),
        )
        return set(found)

    assert executed_by(cb.build(config, env=env)) == {"uses_facts", "probe"}
    version = activation_tutorial.__version__
    assert f"probe: {version}" in (site / "probe" / "index.html").read_text()
    assert executed_by(cb.build(config, env=env)) == set()  # the cache is in use

    facts = tmp_path / "src" / "activation_tutorial" / "facts.py"
    text = facts.read_text(encoding="utf-8")
    slope = "return nn.LeakyReLU().negative_slope"
    assert slope in text
    facts.write_text(text.replace(slope, "return 0.25"), encoding="utf-8")
    assert executed_by(cb.build(config, env=env)) == {"uses_facts"}
    assert "slope 0.25" in (site / "uses_facts" / "index.html").read_text()
    # (that the package's __init__ comes with every import of the package:
    # tests/test_package_imports.py)


@pytest.mark.slow
def test_kind2_a_package_edited_during_the_build_drops_the_build(tmp_path):
    # the kernel imports the package well after the cache key was taken: an
    # edit in between would file one version's output under the other's key.
    # Likewise a file added to the theme's overrides: under `mkdocs serve`
    # the theme's files are listed once, under a key hashed when the build
    # began (hooks/rebuild_memo.py), and would be served, or looked for,
    # after they are gone
    hooks = hooks_copy(tmp_path)
    package_copy(tmp_path)
    facts = tmp_path / "src" / "activation_tutorial" / "facts.py"
    added = tmp_path / "overrides" / "assets" / "added.css"
    once = tmp_path / "edited-once"
    # the cell is the author saving facts.py and a stylesheet while the
    # build runs (once)
    cell = (
        "from pathlib import Path\n"
        "from activation_tutorial.facts import leaky_slope\n"
        f"if not Path({str(once)!r}).exists():\n"
        f"    Path({str(once)!r}).touch()\n"
        f"    path = Path({str(facts)!r})\n"
        "    path.write_text(path.read_text() + '\\n# saved again\\n')\n"
        f"    css = Path({str(added)!r})\n"
        "    css.parent.mkdir(parents=True)\n"
        "    css.write_text('body {}')\n"
        'print("slope", leaky_slope())'
    )
    config = cb.small_site(
        tmp_path, {"notebooks/lesson.py": cb.notebook(cell)}, jupyter=True
    )
    use_hooks(config, hooks / "build.py", hooks / "checks.py")
    env = {"PYTHONPATH": str(tmp_path / "src")}

    dropped = cb.build(config, env=env)
    assert dropped.returncode != 0
    said = "overrides/assets/added.css, src/activation_tutorial/facts.py changed "
    assert said + "while the site was building" in output(dropped)
    cache = tmp_path / ".cache" / "mkdocs-jupyter"
    assert not list(cache.glob("*.json")), "the dropped build left a cached output"
    assert not (tmp_path / "site" / "notebooks" / "lesson").exists()


@pytest.mark.slow
def test_kind2_under_serve_an_edited_package_changes_numbers_and_figures(tmp_path):
    # mkdocs serve keeps its process, hence the package it imported, across
    # rebuilds: the page must still show the edited package's numbers
    import yaml

    hooks = hooks_copy(tmp_path)
    # the real figure cache (keyed on the package's source) around one
    # figure drawn from the package
    (hooks / "site_figures.py").write_text(
        (ROOT / "hooks" / "site_figures.py").read_text(encoding="utf-8")
        + "\n\nfrom activation_tutorial import facts\n\n\n"
        "def catalogue():\n    return {}\n\n\n"
        "def render_all():\n"
        "    return {'figures/slope.txt': str(facts.leaky_slope()).encode()}\n",
        encoding="utf-8",
    )
    package_copy(tmp_path)
    page = "---\nrender_macros: true\n---\n# Page\n\nslope {{ facts.leaky_slope() }}\n"
    config = cb.small_site(tmp_path, {"index.md": page})
    use_hooks(config, hooks / "build.py", hooks / "checks.py")
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    real = next(p for p in cb.mkdocs_config()["plugins"] if "macros" in p)
    data["plugins"] = [{"macros": {**real["macros"], "module_name": "hooks/macros"}}]
    config.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

    facts = "src/activation_tutorial/facts.py"
    slope = "return nn.LeakyReLU().negative_slope"
    proc = serving.build_edit_rebuild(
        config,
        tmp_path / "site",
        [(facts, slope, "return 0.25")],
        env={"PYTHONPATH": str(tmp_path / "src")},
    )
    assert proc.returncode == 0, output(proc)
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "slope 0.25" in html
    assert (tmp_path / "site" / "figures" / "slope.txt").read_text() == "0.25"


@pytest.mark.slow
def test_kind2_under_serve_an_edited_notebook_gets_new_downloads(tmp_path):
    # the hook keeps each notebook's converted downloads between rebuilds
    hooks = hooks_copy(tmp_path)
    notebook = "notebooks/lesson.py"
    config = cb.small_site(
        tmp_path, {notebook: cb.notebook('print("first")')}, jupyter=True
    )
    use_hooks(config, hooks / "build.py", hooks / "checks.py")
    _without_execution(config)  # the downloads are made from the source
    edit = ("docs/" + notebook, 'print("first")', 'print("second")')
    proc = serving.build_edit_rebuild(config, tmp_path / "site", [edit])
    assert proc.returncode == 0, output(proc)
    downloads = tmp_path / "site" / "downloads"
    for name in ("lesson.py", "lesson.ipynb"):
        text = (downloads / name).read_text(encoding="utf-8")
        assert "second" in text and "first" not in text, name


# --- kind 3 -------------------------------------------------------------------


@pytest.mark.slow
def test_kind3_a_helper_next_to_the_notebooks_fails_the_build(tmp_path):
    pages = {"notebooks/lesson.py": cb.notebook('print("lesson")')}
    helper = {
        "notebooks/helpers.py": 'print("helper ran")\n\n\ndef helper():\n    return 1\n'
    }

    # without the hook, the helper is executed and published as a page
    plain = cb.small_site(tmp_path / "plain", pages, jupyter=True, extra_files=helper)
    proc = cb.build(plain)
    assert proc.returncode == 0, output(proc)
    published = tmp_path / "plain" / "site" / "notebooks" / "helpers" / "index.html"
    assert "helper ran" in published.read_text(encoding="utf-8")

    hooks = hooks_copy(tmp_path / "hooked")
    config = cb.small_site(tmp_path / "hooked", pages, jupyter=True, extra_files=helper)
    use_hooks(config, hooks / "build.py", hooks / "checks.py")
    proc = cb.build(config)
    assert proc.returncode != 0
    assert "docs/notebooks/helpers.py is not a jupytext percent notebook" in output(
        proc
    )


# --- kind 4 -------------------------------------------------------------------

SNIPPET_SOURCE = """\
# --8<-- [start:train]
def train():
    return "trained"
# --8<-- [end:train]

# --8<-- [start:empty]
# --8<-- [end:empty]

# --8<-- [start:demo]
raise RuntimeError("the included code ran")
# --8<-- [end:demo]
"""


def snippet_site(tmp_path: Path, page: str) -> Path:
    src = tmp_path / "src"
    src.mkdir(parents=True, exist_ok=True)
    (src / "mod.py").write_text(SNIPPET_SOURCE, encoding="utf-8")
    return cb.small_site(tmp_path, {"index.md": md(page)}, snippet_base=[src])


@pytest.mark.parametrize(
    ("include", "message"),
    [
        ("mod.py:traim", "Snippet section 'traim' could not be located"),
        ("mod.py:empty", "page 'index.md' fails its checks"),
        ("mdo.py:train", "Snippet at path 'mdo.py' could not be found"),
    ],
    ids=["misspelled section", "empty section", "misspelled file"],
)
def test_kind4_a_snippet_that_includes_nothing_fails_the_build(
    tmp_path, include, message
):
    config = snippet_site(tmp_path, f'# Page\n\n```python\n--8<-- "{include}"\n```\n')
    proc = cb.build(config)
    text = output(proc)
    assert proc.returncode != 0
    assert message in text
    assert "index.md" in text


def test_kind4_the_correct_section_builds(tmp_path):
    config = snippet_site(tmp_path, '# Page\n\n```python\n--8<-- "mod.py:train"\n```\n')
    proc = cb.build(config)
    assert proc.returncode == 0, output(proc)
    (block,) = built_blocks(config)
    assert block.code == 'def train():\n    return "trained"\n'


# --- kind 5 -------------------------------------------------------------------

FENCES = md(
    """
    # Fences

    ```py
    raise RuntimeError("py fence ran")
    ```

    ```pycon
    >>> print("pycon fence ran")
    something else
    ```

    ```python title="example.py" hl_lines="1"
    raise RuntimeError("titled fence ran")
    ```

    ```python3
    raise RuntimeError("python3 fence ran")
    ```

    ``` { .python .no-copy }
    raise RuntimeError("attribute fence ran")
    ```
    """
)
RAN = [
    "py fence ran",
    "pycon fence ran",
    "titled fence ran",
    "python3 fence ran",
    "attribute fence ran",
]


def test_kind5_every_python_fence_spelling_is_run(tmp_path):
    config = cb.small_site(tmp_path, {"index.md": FENCES})
    proc = cb.build(config)
    assert proc.returncode == 0, output(proc)
    blocks = built_blocks(config)
    assert [b.kind for b in blocks] == ["run", "doctest", "run", "run", "run"]
    problems = cb.run_page(blocks, tmp_path)
    assert len(problems) == len(RAN)
    for ran in RAN:
        assert sum(ran in problem for problem in problems) == 1, ran


def test_kind5_the_markdown_source_runner_sees_them_too(tmp_path):
    from pytest_codeblocks import extract_from_file

    page = tmp_path / "fences.md"
    page.write_text(FENCES, encoding="utf-8")
    # pytest-codeblocks' own plugin runs only fences whose info string is "python"
    assert [b.syntax for b in extract_from_file(page)].count("python") == 0
    blocks = cb.markdown_blocks(page)
    assert len(blocks) == len(RAN)
    problems = cb.run_in_subprocess(blocks, tmp_path)
    assert len(problems) == len(RAN)


# --- kind 6 -------------------------------------------------------------------


def test_kind6_the_included_code_runs_not_the_snippet_line(tmp_path):
    page = '# Page\n\n```python\n--8<-- "mod.py:demo"\n```\n'
    config = snippet_site(tmp_path, page)
    proc = cb.build(config)
    assert proc.returncode == 0, output(proc)
    (block,) = built_blocks(config)
    assert "8<" not in block.code
    (problem,) = cb.run_page([block], tmp_path)
    assert "the included code ran" in problem

    # and from the Markdown source, snippets are expanded the same way
    source = tmp_path / "docs" / "index.md"
    assert "the included code ran" in cb.expand_snippets(
        source.read_text(encoding="utf-8"),
        config=cb.mkdocs_config(config),
        base=tmp_path,
    )


@pytest.mark.parametrize(
    "line",
    [';--8<-- "mod.py:demo"', '--8 < --"mod.py:demo"'],
    ids=["escaped", "reformatted by ruff"],
)
def test_kind6_a_snippet_line_left_in_a_python_block_fails_the_build(tmp_path, line):
    # shown literally instead of included: in a Python block it is a bug
    config = snippet_site(tmp_path, f"# Page\n\n```python\n{line}\n```\n")
    proc = cb.build(config)
    assert proc.returncode != 0
    assert "shows a snippet line instead of the included code" in output(proc)


def test_kind6_a_snippet_line_in_a_text_block_is_fine(tmp_path):
    config = snippet_site(tmp_path, '# Page\n\n```text\n;--8<-- "mod.py:demo"\n```\n')
    proc = cb.build(config)
    assert proc.returncode == 0, output(proc)


# --- kind 7 -------------------------------------------------------------------

MAIN_GUARD = 'if __name__ == "__main__":\n    raise SystemExit("the main block ran")\n'


def test_kind7_code_under_the_main_guard_runs(tmp_path):
    config = cb.small_site(
        tmp_path, {"index.md": f"# Page\n\n```python\n{MAIN_GUARD}```\n"}
    )
    proc = cb.build(config)
    assert proc.returncode == 0, output(proc)
    (problem,) = cb.run_page(built_blocks(config), tmp_path)
    assert "the main block ran" in problem


def test_kind7_pytest_codeblocks_own_runner_would_pass_vacuously():
    # what pytest-codeblocks 0.18 does: the guard is false, nothing runs
    exec(MAIN_GUARD, {"__MODULE__": "__main__"})


# --- kind 8 -------------------------------------------------------------------


@pytest.mark.parametrize(
    "math",
    [
        "Some text\n$$\nx^2 + 1\n$$\nmore text.\n",
        "Inline $$x^2$$ in a sentence.\n",
        "- an item\n  $$\n  y = 2\n  $$\n",
    ],
    ids=["display in a paragraph", "double dollars inline", "display in a list"],
)
def test_kind8_dollars_left_on_the_page_fail_the_build(tmp_path, math):
    config = cb.small_site(tmp_path, {"index.md": f"# Page\n\n{math}"})
    proc = cb.build(config)
    assert proc.returncode != 0
    text = output(proc)
    assert "page 'index.md' fails its checks" in text
    assert "stray '$$'" in text


def test_kind8_display_math_with_blank_lines_renders(tmp_path):
    page = "# Page\n\nSome text\n\n$$\nx^2 + 1\n$$\n\nmore text, and \\(y\\) inline.\n"
    config = cb.small_site(tmp_path, {"index.md": page})
    proc = cb.build(config)
    assert proc.returncode == 0, output(proc)
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert '<div class="arithmatex">\\[\nx^2 + 1\n\\]</div>' in html


# --- kind 9 -------------------------------------------------------------------


def test_kind9_one_figure_drawn_twice_is_the_same_bytes():
    from activation_tutorial import plots

    first = plots.render(plots.activation_figure, "sigmoid")
    second = plots.render(plots.activation_figure, "sigmoid")
    assert first == second
    for svg in first.values():
        assert b"<dc:date>" not in svg


# --- the page checks themselves, without a build ------------------------------


def _checks():
    sys.path.insert(0, str(ROOT / "hooks"))
    try:
        import checks
    finally:
        sys.path.remove(str(ROOT / "hooks"))
    return checks


def _block(language: str, code: str) -> str:
    pre = f"<pre><code>{code}</code></pre>"
    return f'<div class="language-{language} highlight">{pre}</div>'


def test_checks_pass_a_clean_page_and_name_each_problem():
    checks = _checks()
    clean = (
        '<p>Text with <span class="arithmatex">\\(x\\)</span>.</p>'
        + _block("python", "print(1)\n")
        + _block("text", '--8&lt;-- "a.py"\n')
    )
    assert checks.page_problems(clean, notebook=False) == []
    bad = (
        "<h2>Costs</h2><p>It costs $$ nothing $$.</p>"
        + _block("python", "\n")
        + _block("py", '--8&lt;-- "a.py:s"\n')
    )
    problems = checks.page_problems(bad, notebook=False)
    assert len(problems) == 4, problems
    assert any(p.startswith("empty python code block under 'Costs'") for p in problems)
    assert any("snippet line" in p for p in problems)
    assert sum("stray '$$'" in p for p in problems) == 2


def test_checks_a_page_is_checked_again_when_the_checks_change(tmp_path):
    # a page that passed is remembered; the verdict must not outlive the checks
    hooks = hooks_copy(tmp_path)
    checks = hooks / "checks.py"
    real = checks.read_text(encoding="utf-8")
    missing = real.replace("problems += _stray_dollars(soup)", "pass")
    assert missing != real
    checks.write_text(missing, encoding="utf-8")
    config = cb.small_site(tmp_path, {"index.md": "# Page\n\nInline $$x^2$$ here.\n"})
    use_hooks(config, checks)
    proc = cb.build(config)
    assert proc.returncode == 0, output(proc)
    assert list((tmp_path / ".cache" / "checks").iterdir())  # remembered

    checks.write_text(real, encoding="utf-8")
    proc = cb.build(config)
    assert proc.returncode != 0
    assert "stray '$$'" in output(proc)


def test_checks_stable_cell_ids():
    checks = _checks()
    html = '<div id="cell-id=ab12"></div><p id="x"></p><div id="cell-id=ff00"></div>'
    assert checks.stable_cell_ids(html) == (
        '<div id="cell-id=1"></div><p id="x"></p><div id="cell-id=2"></div>'
    )


def test_checks_join_printed_text_sent_in_chunks():
    checks = _checks()
    chunk = (
        '<div class="jp-OutputArea-child">\n'
        '<div class="jp-OutputPrompt jp-OutputArea-prompt"></div>\n'
        '<div class="jp-RenderedText jp-OutputArea-output" data-mime-type="text/plain"'
        ' tabindex="0">\n<pre>{}</pre>\n</div>\n</div>\n'
    )
    html = '<div class="jp-OutputArea">' + chunk.format("a\n") + chunk.format("b\n")
    joined = '<div class="jp-OutputArea">' + chunk.format("a\nb\n")
    assert checks.join_streams(html) == joined


# --- macros: an author's typo -------------------------------------------------


def _macro_site(tmp_path: Path, bodies: dict[str, str]) -> Path:
    import yaml

    hooks = hooks_copy(tmp_path)
    pages = {
        name: f"---\nrender_macros: true\n---\n# Page\n\n{body}\n"
        for name, body in bodies.items()
    }
    config = cb.small_site(tmp_path, pages)
    use_hooks(config, hooks / "build.py", hooks / "checks.py")
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    real = next(p for p in cb.mkdocs_config()["plugins"] if "macros" in p)
    data["plugins"] = [{"macros": {**real["macros"], "module_name": "hooks/macros"}}]
    config.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return config


@pytest.mark.slow
def test_a_macro_typo_fails_the_build_with_one_clear_message(tmp_path):
    # one page per typo, in one build: the plugin goes on after each
    typos = {
        "card.md": (
            '{{ activation_card("nope") }}',
            "unknown activation 'nope'; valid names: identity, relu,",
        ),
        "name.md": (
            '{{ activation_crad("relu") }}',
            "'activation_crad' is undefined; the macros are: activation_card,",
        ),
        "figure.md": ('{{ figure("nope", "alt") }}', "no figure 'nope'; known:"),
    }
    config = _macro_site(tmp_path, {name: body for name, (body, _) in typos.items()})
    proc = cb.build(config)
    text = output(proc)
    assert proc.returncode == 1, text  # mkdocs' own abort; the plugin's exit is 100
    for name, (_, message) in typos.items():
        assert f"_File_: `{name}`\n\n{message}" in text, name
    assert "Traceback" not in text
    assert "Aborted with 3 warnings in strict mode" in text
