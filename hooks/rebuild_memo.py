"""What `mkdocs serve` keeps in memory from one rebuild to the next.

`mkdocs serve` rebuilds the whole site after every change, in one process.
Two parts of a rebuild redo the same work whatever was edited: rendering
the objects of the API reference (mkdocstrings; half of the rebuild after
a prose edit) and indexing every page for search. This hook remembers
both, each under a key made of everything it is made from, so an edit
redoes only what it touched:

- an API object's HTML (and the headings it adds to the table of
  contents), by the object, its options, the page, and a hash of the
  package, `examples/`, `mkdocs.yml`, the theme overrides and the installed
  distributions;
- a page's search entries, by the page's HTML, address, title, metadata
  and table of contents, and the search settings, and the page's HTML
  with the search plugin's attributes taken out;
- the theme's static files: MkDocs walks the theme's folders for them at
  every build, Material's 14,000 icons included, by the theme's folders
  and settings and the hash above (which covers the overrides folder and
  the installed packages).

Each memo keeps what the last build used, and nothing older. A key is
hashed when the build begins and the work filed under it is done later: a
build whose sources change in between is dropped (`hooks/build.py`), and a
failed build forgets every memo, so no work is filed under another
version's key. The hook also
makes the server look for changes every 0.1 s instead of every 0.5 s.

`mkdocs build` builds once, so it keeps nothing: this acts under
`mkdocs serve` only. MkDocs loads a hook once per process: restart
`make serve` after editing this file.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

import memo

ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger("mkdocs.hooks.rebuild_memo")
# what the API reference is rendered from, besides mkdocs.yml and packages
_SOURCES = ("src", "examples", "overrides")
# how often the server looks for changes, in seconds (MkDocs: 0.5)
POLL_INTERVAL = 0.1


_serving = False
_renders = memo.Memo()
_entries = memo.Memo()
_stripped = memo.Memo()
_theme_files = memo.Memo()
_sources = ""  # hash of what the API reference is rendered from, per build


def on_startup(command: str, dirty: bool) -> None:
    global _serving
    _serving = command == "serve"


def on_serve(server, config: MkDocsConfig, builder):
    """Poll the watched folders more often: the poll is most of an edit's wait."""
    from watchdog.observers.polling import PollingObserver

    # NOTE: MkDocs makes its observer with a fixed interval and has scheduled
    # the docs folder and mkdocs.yml on it already; move them to a new one
    watched = dict(getattr(server, "_watched_paths", None) or {})
    if not watched or server.observer.is_alive():
        log.info("rebuild_memo: keeping MkDocs's own file watcher")
        return server
    for path, count in watched.items():
        for _ in range(count):
            server.unwatch(path)
    server.observer = PollingObserver(timeout=POLL_INTERVAL)
    for path, count in watched.items():
        for _ in range(count):
            server.watch(path)
    return server


def on_pre_build(config: MkDocsConfig) -> None:
    global _sources
    if not _serving:
        return
    _sources = _sources_hash(config)
    _remember_search_entries()
    _remember_stripped_pages()
    _remember_theme_files()
    mkdocstrings = config.plugins.get("mkdocstrings")
    if mkdocstrings is not None:
        autorefs = config.plugins.get("autorefs")
        for name in mkdocstrings.config.handlers:
            _remember_renders(mkdocstrings.handlers.get_handler(name), autorefs)


def on_post_build(config: MkDocsConfig) -> None:
    for kept in (_renders, _entries, _stripped, _theme_files):
        kept.end_build()


def on_build_error(error: Exception) -> None:
    """Forget everything: a failed build may have read files mid-edit."""
    global _renders, _entries, _stripped, _theme_files
    _renders, _entries, _stripped, _theme_files = (memo.Memo() for _ in range(4))


def _sources_hash(config: MkDocsConfig) -> str:
    import package_imports

    digest = hashlib.sha256(package_imports._environment().encode())
    digest.update(Path(config.config_file_path).read_bytes())
    for folder in _SOURCES:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(ROOT).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _wrap_once(owner, name: str, wrap) -> None:
    """Replace `owner.<name>` with `wrap(original)`, unless that was done.

    The wrapper keeps the original's name, docstring and signature (MkDocs
    and mkdocstrings inspect them).
    """
    original = getattr(owner, name)
    if getattr(original, "remembered", False):
        return
    wrapper = functools.wraps(original)(wrap(original))
    wrapper.remembered = True
    setattr(owner, name, wrapper)


def _remember_renders(handler, autorefs) -> None:
    """Wrap `handler.render` (a new handler each build) with the memo."""

    def wrap(render):
        def remembered(data, options, *args, **kwargs):
            page = getattr(autorefs, "current_page", None)
            cache_key = memo.key(
                _sources, getattr(page, "url", None), data.path, options, args, kwargs
            )
            # the headings render() adds are read by mkdocstrings afterwards,
            # for the table of contents, the cross-references and the inventory
            headings = handler._headings
            known = _renders.get(cache_key)
            if known is not None:
                html, added = known
                headings.extend(copy.deepcopy(added))
                return html
            start = len(headings)
            html = render(data, options, *args, **kwargs)
            _renders.put(cache_key, (html, copy.deepcopy(headings[start:])))
            return html

        return remembered

    _wrap_once(handler, "render", wrap)


def _toc(items) -> list:
    return [(i.id, i.url, i.title, i.level, _toc(i.children)) for i in items]


def _remember_search_entries() -> None:
    """Wrap Material's search indexing of a page with the memo (once)."""
    from material.plugins.search.plugin import SearchIndex

    def wrap(index_page):
        def remembered(self, page):
            if not _serving:
                return index_page(self, page)
            cache_key = memo.key(
                hashlib.sha256(page.content.encode()).hexdigest(),
                page.url,
                page.title,
                sorted(page.meta.items(), key=lambda kv: kv[0]),
                _toc(page.toc),
                sorted(self.config.items(), key=lambda kv: kv[0]),
            )
            known = _entries.get(cache_key)
            if known is not None:
                self.entries.extend(copy.deepcopy(known))
                return None
            start = len(self.entries)
            index_page(self, page)
            _entries.put(cache_key, copy.deepcopy(self.entries[start:]))
            return None

        return remembered

    _wrap_once(SearchIndex, "add_entry_from_context", wrap)


def _remember_stripped_pages() -> None:
    """Wrap Material's search step of each page with the memo (once)."""
    from material.plugins.search.plugin import SearchPlugin

    def wrap(on_page_context):
        def remembered(self, context, *, page, config, nav):
            if not (_serving and self.config.enabled):
                return on_page_context(self, context, page=page, config=config, nav=nav)
            cache_key = memo.key(hashlib.sha256(page.content.encode()).hexdigest())
            known = _stripped.get(cache_key)
            if known is None:
                on_page_context(self, context, page=page, config=config, nav=nav)
                _stripped.put(cache_key, page.content)
                return None
            # NOTE: what Material 9.8's on_page_context does, with the result
            # of its regular expression (0.05 s a build over every page)
            # remembered
            self.search_index.add_entry_from_context(page)
            page.content = known
            return None

        return remembered

    _wrap_once(SearchPlugin, "on_page_context", wrap)


def _remember_theme_files() -> None:
    """Wrap MkDocs's listing of the theme's static files with the memo (once)."""
    from mkdocs.structure.files import File, Files

    def wrap(add_files_from_theme):
        def remembered(self, env, config):
            if not _serving:
                return add_files_from_theme(self, env, config)
            theme = config.theme
            cache_key = memo.key(
                _sources,
                tuple(theme.dirs),
                tuple(theme.static_templates),
                config.site_dir,
                config.use_directory_urls,
            )
            found = _theme_files.get(cache_key)
            if found is None:
                # MkDocs's own listing, into an empty collection: every
                # static file of the theme, none hidden by a file of the site's
                listed = Files([])
                add_files_from_theme(listed, env, config)
                found = [(file.src_uri, file.src_dir) for file in listed]
                _theme_files.put(cache_key, found)
            for src_uri, src_dir in found:
                # as MkDocs does: the site's own files win over the theme's
                if self.get_file_from_path(src_uri) is None:
                    self.append(
                        File(
                            src_uri, src_dir, config.site_dir, config.use_directory_urls
                        )
                    )
            return None

        return remembered

    _wrap_once(Files, "add_files_from_theme", wrap)
