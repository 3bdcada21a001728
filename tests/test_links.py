"""Every link between pages of the built site leads to a page and an anchor."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest

_HREF = re.compile(r'<a [^>]*href="([^"]+)"')
_ID = re.compile(r'\sid="([^"]+)"')


@pytest.mark.slow
def test_internal_links_and_anchors_resolve(site_dir: Path):
    pages = {
        p.relative_to(site_dir).as_posix(): p.read_text(encoding="utf-8")
        for p in site_dir.rglob("*.html")
    }
    ids = {page: set(_ID.findall(html)) for page, html in pages.items()}
    broken = []
    for page, html in pages.items():
        if page == "404.html":  # its links are absolute, for any depth
            continue
        for href in _HREF.findall(html):
            if re.match(r"[a-z]+:", href) or href.startswith("//"):
                continue  # another host (repository links) or mailto:
            path, _, anchor = href.partition("#")
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
            if path == "":
                target = page
            elif not path.endswith(".html") and (site_dir / target).is_dir():
                target = posixpath.join(target, "index.html")
            if target not in pages and not (site_dir / target).is_file():
                broken.append(f"{page}: {href} (no such file)")
            elif anchor and target in ids and anchor not in ids[target]:
                broken.append(f"{page}: {href} (no such anchor)")
    assert not broken, "\n".join(sorted(set(broken)))
