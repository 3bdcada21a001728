"""Page checks run while the site builds: a page that would mislead fails it.

Each check closes a way a page can look fine to the build and wrong to a
reader (the failure kinds of issue 4):

- an empty code block, e.g. from a snippet section that exists but holds
  nothing (kind 4; a *missing* section already fails in pymdownx.snippets);
- a Python code block that still contains a snippet line (`--8<--`), i.e.
  code the reader would copy that is not the included code (kind 6);
- `$$` left in the text of a Markdown page, which is display math that was
  not separated from its paragraph by blank lines (kind 8);
- error or stderr output in a notebook cell, e.g. from a cell tagged
  `raises-exception`, which nbclient lets through even with
  `allow_errors: false` (kind 1).

It also makes notebook pages the same from build to build, which they were
not: jupytext gives every cell a new random id each time it reads a
notebook (the pages' `id="cell-id=..."`), and the kernel sends a cell's
printed text in chunks cut by timing (a training log came out as two, three
or four boxes). Cells are numbered in page order, and the chunks joined.

Every problem names the page (and the notebook cell) it is on.

A page that passed is remembered by a hash of its HTML and of this file, so
that a rebuild does not check it again (under `mkdocs serve`, only the
edited page is checked); any change to the page or to the checks checks it
again.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from pathlib import Path

import bs4
from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

PYTHON_LANGUAGES = {"python", "py", "python3", "py3", "pycon", "ipython", "ipython3"}
# also as a code formatter rewrites it (`--8 < --"file.py:section"`)
SNIPPET_LINE = re.compile(r"^\s*;*-+\s*8\s*<\s*-+")
# fmt: off
_BLOCK_TAGS = {
    "p", "li", "div", "td", "th", "tr", "table", "blockquote", "dd", "dt", "h1",
    "h2", "h3", "h4", "h5", "h6", "figure", "figcaption", "details", "summary",
    "br", "hr", "ul", "ol",
}
# fmt: on
_SKIPPED_TAGS = {"code", "pre", "script", "style", "kbd", "samp"}


# verdicts, outside the folders `mkdocs serve` watches
PASSED = Path(__file__).resolve().parent.parent / ".cache" / "checks"
# what decides a verdict besides the page: these checks and the HTML parser
_CHECKER = Path(__file__).read_bytes() + bs4.__version__.encode()


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    notebook = is_notebook(page)
    digest = hashlib.sha256(_CHECKER + bytes([notebook]) + html.encode()).hexdigest()
    # one verdict per page, named after its source file
    source = page.file.abs_src_path or page.file.src_uri
    verdict = PASSED / hashlib.sha256(source.encode()).hexdigest()
    if not (verdict.exists() and verdict.read_text(encoding="utf-8") == digest):
        problems = page_problems(html, notebook=notebook)
        if problems:
            listed = "\n  - ".join(problems)
            raise PluginError(
                f"page '{page.file.src_uri}' fails its checks:\n  - {listed}"
            )
        verdict.parent.mkdir(parents=True, exist_ok=True)
        verdict.write_text(digest, encoding="utf-8")
    return join_streams(stable_cell_ids(html)) if notebook else html


_CELL_ID = re.compile(r'id="cell-id=[^"]*"')
# the end of one plain-text output and the start of the next, in nbconvert's
# lab template: printed text sent in several chunks
_NEXT_TEXT_OUTPUT = re.compile(
    r"</pre>\s*</div>\s*</div>\s*"
    r'<div class="jp-OutputArea-child">\s*'
    r'<div class="jp-OutputPrompt jp-OutputArea-prompt"></div>\s*'
    r'<div class="jp-RenderedText jp-OutputArea-output" data-mime-type="text/plain"'
    r"[^>]*>\s*<pre>"
)


def stable_cell_ids(html: str) -> str:
    """Number the notebook cells' ids in page order instead of randomly.

    >>> stable_cell_ids('<div id="cell-id=9f3a"></div><div id="cell-id=01bc"></div>')
    '<div id="cell-id=1"></div><div id="cell-id=2"></div>'
    """
    number = itertools.count(1)
    return _CELL_ID.sub(lambda m: f'id="cell-id={next(number)}"', html)


def join_streams(html: str) -> str:
    """Join a cell's consecutive plain-text outputs into one `<pre>`."""
    return _NEXT_TEXT_OUTPUT.sub("", html)


def is_notebook(page: Page) -> bool:
    """True for a page that mkdocs-jupyter rendered from a notebook."""
    return page.file.src_uri.endswith((".py", ".ipynb"))


def page_problems(html: str, *, notebook: bool) -> list[str]:
    """Everything wrong with one rendered page, as one line per problem."""
    soup = BeautifulSoup(html, "html.parser")
    problems = _empty_code(soup) + _snippet_lines(soup)
    if notebook:
        problems += _error_outputs(soup)
    else:
        problems += _stray_dollars(soup)
    return problems


def code_language(block: Tag) -> str | None:
    """The language of a highlighted block (`language-x`, or `hl-x` in notebooks)."""
    for cls in block.get("class", []):
        for prefix in ("language-", "hl-"):
            if cls.startswith(prefix):
                return cls[len(prefix) :]
    return None


def _code_blocks(soup: BeautifulSoup) -> list[tuple[Tag, str]]:
    """Every `<pre>` that shows code, with the text a reader would copy."""
    out = []
    for pre in soup.find_all("pre"):
        if pre.find_parent(class_="jp-OutputArea"):
            continue  # notebook output, not code
        code = pre.find("code")
        out.append((pre, (code or pre).get_text()))
    return out


def _describe(pre: Tag) -> str:
    cell = pre.find_parent(class_="jp-Cell")
    if cell is not None:
        return f"notebook cell {cell_label(cell)}"
    block = pre.find_parent(class_="highlight")
    language = code_language(block) if block is not None else None
    text = pre.find_previous(["h1", "h2", "h3", "h4"])
    where = f" under '{text.get_text(strip=True).rstrip('¶')}'" if text else ""
    return f"{language or 'plain'} code block{where}"


def cell_label(cell: Tag) -> str:
    """How a notebook cell is named in messages: its `In [n]` prompt."""
    prompt = cell.find(class_="jp-InputPrompt")
    text = prompt.get_text(" ", strip=True).replace("\xa0", " ") if prompt else ""
    return text.rstrip(":") or "(unnumbered)"


def _empty_code(soup: BeautifulSoup) -> list[str]:
    return [
        f"empty {_describe(pre)}: check the snippet section it includes"
        for pre, text in _code_blocks(soup)
        if not text.strip()
    ]


def _snippet_lines(soup: BeautifulSoup) -> list[str]:
    problems = []
    for pre, text in _code_blocks(soup):
        block = pre.find_parent(class_=["highlight", "highlight-ipynb"])
        if block is None or code_language(block) not in PYTHON_LANGUAGES:
            continue
        for line in text.splitlines():
            if SNIPPET_LINE.match(line):
                problems.append(
                    f"{_describe(pre)} shows a snippet line instead of the "
                    f"included code: {line.strip()!r}"
                )
    return problems


def _error_outputs(soup: BeautifulSoup) -> list[str]:
    problems = []
    for out in soup.find_all(
        attrs={"data-mime-type": "application/vnd.jupyter.stderr"}
    ):
        cell = out.find_parent(class_="jp-Cell")
        label = cell_label(cell) if cell is not None else "(unknown cell)"
        # the last line of a traceback says what was raised
        last = next(
            (ln for ln in reversed(out.get_text().splitlines()) if ln.strip()), ""
        )
        problems.append(
            f"notebook cell {label} shows error or stderr output: {last.strip()!r}"
        )
    return problems


def prose_text(soup: BeautifulSoup) -> str:
    """The page's text without code and math, blocks separated by newlines."""
    parts: list[str] = []

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                parts.append(str(child))
            elif isinstance(child, Tag):
                if child.name in _SKIPPED_TAGS or "arithmatex" in child.get(
                    "class", []
                ):
                    continue
                block = child.name in _BLOCK_TAGS
                if block:
                    parts.append("\n")
                walk(child)
                if block:
                    parts.append("\n")

    walk(soup)
    return "".join(parts)


def _stray_dollars(soup: BeautifulSoup) -> list[str]:
    text = prose_text(soup)
    problems = []
    for m in re.finditer(r"\$\s*\$", text):
        context = " ".join(text[max(0, m.start() - 30) : m.end() + 30].split())
        problems.append(
            f"stray '$$' in the text near {context!r}: display math needs a "
            "blank line before and after its $$ lines"
        )
    return problems
