"""Checks of the built site, page by page, as a reader would get it.

No error output, no empty code block, every image there and described,
nothing loaded from another host, and the site's figures drawn again the same.
That two builds give the same files: `test_serve.py`.
"""

from __future__ import annotations

import base64
import re
import sys
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

sys.path.insert(0, str(Path(__file__).resolve().parent))
import codeblocks as cb

ERROR_MARKERS = [
    "Traceback (most recent call last)",
    'data-mime-type="application/vnd.jupyter.stderr"',
    "Macro Rendering Error",
    "Macro Syntax Error",
    "jinja2.exceptions",
]


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def site_host() -> str:
    return urlsplit(cb.mkdocs_config().get("site_url", "")).netloc


def test_no_error_output_on_any_page(site_dir):
    problems = []
    for page in pages(site_dir):
        html = page.read_text(encoding="utf-8")
        problems += [
            f"{page.relative_to(site_dir)}: {m}" for m in ERROR_MARKERS if m in html
        ]
        if "jupyter-wrapper" in html:
            continue  # notebooks have no macros
        # an unrendered macro shows its braces in the prose
        soup = BeautifulSoup(html, "html.parser")
        for tag in soup.find_all(["code", "pre", "script", "style"]):
            tag.decompose()
        for tag in soup.find_all(class_="arithmatex"):
            tag.decompose()
        for m in re.finditer(r"\{\{|\}\}|\{%|%\}", soup.get_text()):
            problems.append(
                f"{page.relative_to(site_dir)}: unrendered template {m.group()!r}"
            )
    assert not problems, "\n".join(problems)


def test_no_empty_code_block(site_dir):
    empty = [
        b.where()
        for blocks in cb.site_blocks(site_dir).values()
        for b in blocks
        if not b.code.strip() and not b.category.endswith("input hidden")
    ]
    assert not empty, f"empty code blocks: {empty}"


def _local_target(site: Path, page: Path, url: str) -> Path | None:
    """The file a relative URL of `page` points to, or None if it is not local."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    base = "/" + page.relative_to(site).as_posix()
    path = unquote(urlsplit(urljoin(base, parts.path)).path).lstrip("/")
    target = site / path
    return target / "index.html" if target.is_dir() else target


def test_every_image_exists_and_has_alt_text(site_dir):
    problems = []
    count = 0
    for page in pages(site_dir):
        where = page.relative_to(site_dir)
        for img in soup_of(page).find_all("img"):
            count += 1
            src = img.get("src", "")
            if not (img.get("alt") or "").strip():
                problems.append(f"{where}: image {src[:60]!r} has no alt text")
            if src.startswith("data:"):
                header, _, data = src.partition(",")
                body = base64.b64decode(data) if header.endswith(";base64") else data
                if not body:
                    problems.append(f"{where}: empty data image")
                continue
            target = _local_target(site_dir, page, src)
            if target is None:
                problems.append(f"{where}: image from elsewhere {src!r}")
            elif not target.is_file() or target.stat().st_size == 0:
                problems.append(f"{where}: image {src!r} is missing or empty")
    assert count, "no images at all: are the figures built?"
    assert not problems, "\n".join(problems)


FIGURE_SUFFIXES = {".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif"}
FIGURE_LIMIT = 60_000  # bytes: a figure a reader on a slow connection still gets


def test_every_figure_file_is_under_60_kB(site_dir):
    # both themes and layouts of the site's figures, and the images notebook
    # cells drew, which the build moves out of the pages into files
    figures = [p for p in site_dir.rglob("*") if p.suffix.lower() in FIGURE_SUFFIXES]
    assert any("notebooks" in p.parts for p in figures), "no notebook figure files"
    heavy = [
        f"{p.relative_to(site_dir)}: {p.stat().st_size / 1000:.1f} kB"
        for p in sorted(figures)
        if p.stat().st_size >= FIGURE_LIMIT
    ]
    assert not heavy, f"figure files of {FIGURE_LIMIT // 1000} kB or more:\n" + (
        "\n".join(heavy)
    )


# a page's own HTML; what pages share (styles, scripts, fonts, figures) is in
# files of their own, which a browser caches once for the whole site
PAGE_LIMIT = 120_000


def test_every_page_is_under_120_kB(site_dir):
    sizes = {
        p.relative_to(site_dir).as_posix(): p.stat().st_size for p in pages(site_dir)
    }
    assert len(sizes) > 10
    heavy = [
        f"{name}: {size / 1000:.1f} kB"
        for name, size in sizes.items()
        if size > PAGE_LIMIT
    ]
    assert not heavy, "pages over 120 kB:\n" + "\n".join(heavy)


def test_notebook_pages_share_their_stylesheets(site_dir):
    # mkdocs-jupyter inlines the same stylesheets (575 kB) in every notebook
    # page; the build moves them into files that every notebook page links
    notebook_pages = sorted((site_dir / "notebooks").rglob("index.html"))
    assert len(notebook_pages) > 1
    linked = {}
    for page in notebook_pages:
        soup = soup_of(page)
        inline = sum(len(s.get_text()) for s in soup.select(".md-content style"))
        assert inline < 2000, f"{page}: {inline} characters of inline style"
        linked[page] = {
            link["href"].rsplit("/", 1)[1]
            for link in soup.select("link[rel=stylesheet]")
            if "assets/notebook/" in link["href"]
        }
    first = linked[notebook_pages[0]]
    assert first, "no shared notebook stylesheet"
    assert all(sheets == first for sheets in linked.values()), linked


# every attribute through which a page makes the browser fetch something
RESOURCE_ATTRIBUTES = {
    "script": ["src"],
    "link": ["href"],
    "img": ["src", "srcset"],
    "iframe": ["src"],
    "source": ["src", "srcset"],
    "video": ["src", "poster"],
    "audio": ["src"],
    "embed": ["src"],
    "object": ["data"],
    "image": ["href", "xlink:href"],
}
CSS_URL = re.compile(r"""(?:url\(\s*["']?|@import\s+["'])(?P<url>[^"')\s]+)""")


def _foreign(url: str, own_host: str) -> bool:
    parts = urlsplit(url.strip())
    if parts.scheme in ("data", "blob", "about"):
        return False
    host = parts.netloc
    if not host and url.strip().startswith("//"):
        host = url.strip()[2:].split("/")[0]
    return bool(host) and host != own_host


def test_no_page_loads_anything_from_another_host(site_dir):
    own = site_host()
    problems = []
    for page in pages(site_dir):
        where = page.relative_to(site_dir)
        soup = soup_of(page)
        for name, attributes in RESOURCE_ATTRIBUTES.items():
            for tag in soup.find_all(name):
                for attribute in attributes:
                    for url in (tag.get(attribute) or "").split(","):
                        url = url.strip().split(" ")[0]
                        if url and _foreign(url, own):
                            problems.append(f"{where}: <{name} {attribute}={url!r}>")
        styles = [s.get_text() for s in soup.find_all("style")]
        styles += [t["style"] for t in soup.find_all(style=True)]
        for css in styles:
            problems += [
                f"{where}: CSS loads {m['url']!r}"
                for m in CSS_URL.finditer(css)
                if _foreign(m["url"], own)
            ]
    for sheet in sorted(site_dir.rglob("*.css")):
        css = sheet.read_text(encoding="utf-8", errors="replace")
        problems += [
            f"{sheet.relative_to(site_dir)}: loads {m['url']!r}"
            for m in CSS_URL.finditer(css)
            if _foreign(m["url"], own)
        ]
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_every_site_figure_redrawn_equals_the_built_one(site_dir):
    # failure kind 9 (tests/test_regressions.py): figures that differ from
    # one drawing to the next. Builds in the tests reuse the figures.
    sys.path.insert(0, str(cb.ROOT / "hooks"))
    try:
        import site_figures
    finally:
        sys.path.remove(str(cb.ROOT / "hooks"))
    redrawn = site_figures.render_all()
    assert redrawn
    different = [
        uri for uri, svg in redrawn.items() if (site_dir / uri).read_bytes() != svg
    ]
    assert not different, f"figures that differ from the built site: {different}"
