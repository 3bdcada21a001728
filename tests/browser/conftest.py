"""Fixtures for the browser suite: the built site on 127.0.0.1, one headless
Chromium, and one survey of every page that the tests then read.

The survey makes two passes over the pages found in the built site:

- the reader pass (light system setting) starts at the home page and reaches
  every other page by clicking a link to it, as a reader does. On each page it
  records the math, figures, headings, links and code blocks (with what each
  copy button copies), takes a full-page screenshot, runs axe-core, switches
  to dark with the palette toggle (screenshot and axe's colour rules there),
  switches back, checks the layout at 375 px, walks the page with Tab, and
  clicks a copy button of each kind;
- the first-load pass (dark system setting, on a 375 px screen) loads every
  page by its address: Material must choose the dark scheme and figures, the
  math must render, and only the narrow dark variant of each figure may be
  downloaded.

Every request, console error and failed response is recorded throughout. No
request may leave the local server: they are aborted, as offline.
Screenshots go to artifacts/screenshots/ (phone/ holds the 375 px ones).

CHROMIUM_EXECUTABLE names the browser (default: Debian's /usr/bin/chromium);
set it to an empty string to use the browser Playwright installed itself.
SURVEY_TIMINGS=1 prints the time of every step (with pytest -s).
"""

from __future__ import annotations

import base64
import contextlib
import functools
import io
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

import summaries  # tests/, on the path by the root conftest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
SURVEY_JS = (HERE / "survey.js").read_text(encoding="utf-8")

DEFAULT_CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
TIMEOUT_MS = 15_000
MAX_TABS = 300
TABS_PER_LOOK = 12


def chromium_executable() -> str | None:
    """The browser to drive: None means Playwright's own."""
    exe = os.environ.get("CHROMIUM_EXECUTABLE", DEFAULT_CHROMIUM)
    return exe or None


def site_pages(site: Path) -> list[str]:
    """URL paths of every page of the built site: each index.html but the 404."""
    paths = []
    for index in sorted(site.rglob("index.html")):
        rel = index.parent.relative_to(site).as_posix()
        if "404" in rel.split("/"):
            continue
        paths.append("" if rel == "." else rel + "/")
    return sorted(paths, key=lambda path: (path != "", path))


def page_kind(path: str) -> str:
    """What a page is made from: its layout and the plugins that fill it."""
    if path == "":
        return "home"
    if path.startswith(("notebooks/", "api/")):
        return path.split("/")[0]
    return "markdown"


def keyboard_pages(pages: list[str]) -> list[str]:
    """The pages walked with the keyboard: the first of each kind.

    The Tab order runs through the header and the navigation, the same on
    every page, before it reaches the content, which differs by kind; the
    page with macros counts as a kind of its own.
    """
    chosen: dict[str, str] = {}
    for path in pages:
        kind = "macros" if path == "activations/" else page_kind(path)
        chosen.setdefault(kind, path)
    return sorted(chosen.values(), key=pages.index)


def page_name(path: str) -> str:
    """Screenshot name of a page: 'index' for the home page, else its path."""
    return path.strip("/").replace("/", "-") or "index"


# --------------------------------------------------------------------------
# the server


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves the site; remembers every path it could not find."""

    missing: list[str]

    def log_message(self, format, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        if code == 404:
            self.missing.append(self.path)
        super().send_error(code, message, explain)


@dataclass
class Server:
    """The local server: its base URL and the paths it answered 404 to."""

    base: str
    missing: list[str]

    @property
    def origin(self) -> str:
        return self.base.rstrip("/")

    def is_local(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            return True
        return f"{parts.scheme}://{parts.netloc}" == self.origin


@pytest.fixture(scope="session")
def site_server(site_dir: Path):
    """The built site on http://127.0.0.1:<free port>/, served from a thread."""
    missing: list[str] = []
    handler = functools.partial(
        type("Handler", (_QuietHandler,), {"missing": missing}), directory=str(site_dir)
    )
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(
        target=httpd.serve_forever, name="site-server", daemon=True
    )
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{httpd.server_port}/", missing)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


# --------------------------------------------------------------------------
# the browser


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    exe = chromium_executable()
    if exe is not None and not Path(exe).exists():
        pytest.fail(
            f"no browser at CHROMIUM_EXECUTABLE={exe}: run `make browser`, or set "
            "CHROMIUM_EXECUTABLE= (empty) after `playwright install chromium`"
        )
    with sync_playwright() as playwright:
        chromium = _launch(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


def _launch(playwright):
    options = {"args": LAUNCH_ARGS, "headless": True}
    exe = chromium_executable()
    if exe is not None:
        options["executable_path"] = exe
    return playwright.chromium.launch(**options)


def _in_own_browser(run, *args) -> None:
    """`run(browser, *args)` with a Chromium of its own, for another thread.

    Playwright's objects belong to the thread that made them: each thread
    of the survey starts its own Playwright and its own browser.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = _launch(playwright)
        try:
            run(chromium, *args)
        finally:
            chromium.close()


# --------------------------------------------------------------------------
# the survey


@dataclass
class Visit:
    """What one page showed in one colour scheme."""

    path: str
    scheme: str
    probe: dict = field(default_factory=dict)
    figure_luminance: list[tuple[str, float]] = field(default_factory=list)
    axe: list[dict] = field(default_factory=list)
    clicks: list[dict] = field(default_factory=list)
    keyboard: dict = field(default_factory=dict)
    phone: dict = field(default_factory=dict)
    toggle: list[dict] = field(default_factory=list)
    first_load: dict = field(default_factory=dict)
    # figure and other requests: on loading the page, then on the palette toggle
    first_requests: list[str] = field(default_factory=list)
    toggle_requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{page_name(self.path)} ({self.scheme})"


@dataclass
class Survey:
    """Every visit, and what the network and the console said during them."""

    base: str
    pages: list[str]
    visits: dict[tuple[str, str], Visit] = field(default_factory=dict)
    navigation: list[dict] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)  # (where, url)
    external: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    console: list[tuple[str, str]] = field(default_factory=list)
    server_404: list[str] = field(default_factory=list)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # per step
    page_timings: dict[str, float] = field(default_factory=dict)  # per page
    walked: list[str] = field(default_factory=list)  # with the keyboard

    def kind(self, path: str) -> str:
        """`page_kind`, for the tests."""
        return page_kind(path)

    def each(self, scheme: str | None = None):
        """The visits, in page order; only one scheme's if `scheme` is given."""
        for (_, s), visit in self.visits.items():
            if scheme is None or s == scheme:
                yield visit

    def requested(self, where: str) -> list[str]:
        """The URLs requested so far while the recorder said `where`."""
        return [url for label, url in self.requests if label == where]


class _Recorder:
    """Listens to a context's network and console, labelled by the current page."""

    def __init__(self, survey: Survey, server: Server):
        self.survey = survey
        self.server = server
        self.current = "(none)"

    def attach(self, context) -> None:
        # an offline reader has no internet: nothing outside the site may load
        context.route(lambda url: not self.server.is_local(url), self._block)
        context.on("request", self._request)
        context.on("requestfailed", self._failed)
        context.on("response", self._response)
        context.on("console", self._console)
        context.on("weberror", lambda error: self._error(str(error.error)))

    def _block(self, route) -> None:
        route.abort("internetdisconnected")

    def _request(self, request) -> None:
        self.survey.requests.append((self.current, request.url))
        if not self.server.is_local(request.url):
            self.survey.external.append((self.current, request.url))

    def _failed(self, request) -> None:
        # ERR_ABORTED: the survey moved on to the next page while this loaded
        if self.server.is_local(request.url) and "ERR_ABORTED" not in str(
            request.failure
        ):
            self.survey.failed.append(
                (self.current, f"{request.url}: {request.failure}")
            )

    def _response(self, response) -> None:
        if response.status >= 400:
            self.survey.failed.append(
                (self.current, f"{response.url}: HTTP {response.status}")
            )

    def _console(self, message) -> None:
        if message.type != "error":
            return
        where = message.location.get("url", "")
        if where and not self.server.is_local(where):
            # a blocked request off the site: test_no_request_leaves_the_site says so
            return
        self._error(f"{message.text} ({where})")

    def _error(self, text: str) -> None:
        self.survey.console.append((self.current, text))


def _settle(page) -> None:
    """Wait for fonts, for math and for every figure a reader can see."""
    page.evaluate("document.fonts.ready.then(() => true)")
    with contextlib.suppress(PlaywrightError):  # the probe reports unrendered math
        page.wait_for_function("__survey.mathRendered()", timeout=3000)
    page.evaluate("__survey.loadImages()")


_TO_TOP = """() => new Promise((resolve) => {
  window.scrollTo(0, 0);
  requestAnimationFrame(() => requestAnimationFrame(resolve));
})"""


def _full_page(page, path: Path, fmt: str = "png") -> bytes:
    """A full-page screenshot, saved to `path`; returns its bytes.

    Through Chromium's DevTools protocol with `optimizeForSpeed`: half the
    time of Playwright's own full-page PNG on long pages (larger files).
    """
    # from the top: the sticky header is drawn where the page is scrolled to
    page.evaluate(_TO_TOP)
    width, height = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    params = {
        "format": fmt,
        "captureBeyondViewport": True,
        "optimizeForSpeed": True,
        "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
    }
    if fmt == "jpeg":
        params["quality"] = 80
    cdp = page.context.new_cdp_session(page)
    try:
        data = base64.b64decode(cdp.send("Page.captureScreenshot", params)["data"])
    finally:
        cdp.detach()
    path.write_bytes(data)
    return data


def _screenshot(page, visit: Visit, images: list[dict]) -> None:
    """Full-page screenshot; and how light each figure looks in it."""
    from PIL import Image, ImageStat

    png = _full_page(page, SCREENSHOTS / f"{page_name(visit.path)}-{visit.scheme}.png")
    figures = [
        i
        for i in images
        if i["inContent"]
        and i["visible"]
        and min(i["box"]["width"], i["box"]["height"]) >= 8
    ]
    if not figures:
        return
    shot = Image.open(io.BytesIO(png)).convert("L")
    for img in figures:
        box = img["box"]
        left, top = round(box["x"]), round(box["y"])
        crop = shot.crop(
            (left, top, left + round(box["width"]), top + round(box["height"]))
        )
        label = f"{' '.join(img['classes'])}: {(img['alt'] or '')[:50]}"
        visit.figure_luminance.append((label, ImageStat.Stat(crop).mean[0] / 255))


DARK_PROBE = "__survey.darkProbe()"
FIRST = "__survey.firstLoad()"

# axe rules whose outcome depends on colours: all the dark scheme can change
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
_AXE_SETUP = """() => {
  __survey.sampleRepeats();
  const selector = "*:not([data-axe-skip])";
  axe.configure({ rules: [{ id: "color-contrast", selector }] });
}"""


def _axe(page, visit: Visit, axe_script: str) -> None:
    """axe-core, from the registry package's own copy, on the current page."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(axe_script)
        page.evaluate(_AXE_SETUP)
    options = {"resultTypes": ["violations"]}
    if visit.scheme == "dark":
        options["runOnly"] = {"type": "rule", "values": COLOUR_RULES}
    violations = page.evaluate(
        "options => axe.run(document, options).then(r => r.violations)", options
    )
    for violation in violations:
        nodes = violation["nodes"]
        visit.axe.append(
            {
                "id": violation["id"],
                "impact": violation["impact"],
                "help": violation["help"],
                "targets": [" ".join(map(str, n["target"])) for n in nodes][:3],
                "detail": [
                    n.get("failureSummary", "").splitlines()[-1:] for n in nodes
                ][:2],
            }
        )


@pytest.fixture
def axe_on(browser):
    """axe as the survey runs it, sampling included, on a page of given HTML.

    Returns `run(html, scheme="light")`, which gives the violations found.
    """
    from axe_playwright_python.base import AXE_SCRIPT

    def run(html: str, scheme: str = "light") -> list[dict]:
        context = browser.new_context(viewport=DESKTOP)
        try:
            context.add_init_script(script=SURVEY_JS)
            page = context.new_page()
            page.set_content(html)
            visit = Visit("(axe probe)", scheme)
            _axe(page, visit, AXE_SCRIPT)
            visit.probe["skipped"] = page.evaluate(
                "document.querySelectorAll('[data-axe-skip]').length"
            )
            return visit
        finally:
            context.close()

    return run


def _click_copy_buttons(page, visit: Visit) -> None:
    """Click the first visible copy button of each kind; read the clipboard.

    The test compares this with what survey.js computed for the same block,
    which keeps that computation honest for the buttons it does not click.
    """
    kinds = {
        "material": "button.md-code__button[data-md-type='copy']",
        "notebook": ".jupyter-wrapper clipboard-copy[for]",
    }
    for kind, selector in kinds.items():
        button = page.locator(f"{selector}:visible").first
        if not button.count():
            continue
        target = button.get_attribute("data-clipboard-target") or button.get_attribute(
            "for"
        )
        record = {"kind": kind, "target": target, "text": None}
        try:
            page.evaluate("navigator.clipboard.writeText('')")
            button.click(timeout=5000)
            page.wait_for_function(
                "navigator.clipboard.readText().then(t => t.length > 0)", timeout=3000
            )
            record["text"] = page.evaluate("navigator.clipboard.readText()")
        except PlaywrightError as exc:
            record["error"] = str(exc).splitlines()[0]
        visit.clicks.append(record)


_CLOSE_SEARCH = """() => {
  const toggle = document.getElementById("__search");
  if (toggle && toggle.checked) toggle.click();
  if (document.activeElement) document.activeElement.blur();
}"""


def _close_search(page) -> None:
    """Close Material's search panel (focusing the search field opens it)."""
    page.keyboard.press("Escape")
    page.evaluate(_CLOSE_SEARCH)


def _focus_shows(page, stop: dict) -> bool:
    """Does the element look different focused and unfocused? (Pixels.)"""
    box = stop["box"]
    if box["width"] <= 0 or box["height"] <= 0:
        return False
    _close_search(page)
    page.wait_for_timeout(50)
    unfocused = page.screenshot(clip=box, animations="disabled")
    if not page.evaluate("i => __survey.refocus(i, true)", stop["index"]):
        return False
    page.wait_for_timeout(50)
    focused = page.screenshot(clip=box, animations="disabled")
    _close_search(page)
    return focused != unfocused


# Tab starts from the top of the page again (as on a fresh load): focus the
# body for a moment, which moves the browser's starting point there
_FROM_THE_TOP = """() => {
  window.scrollTo(0, 0);
  if (document.activeElement) document.activeElement.blur();
  document.body.setAttribute("tabindex", "-1");
  document.body.focus();
  document.body.removeAttribute("tabindex");
}"""


def _keyboard(page, visit: Visit, cache: dict) -> None:
    """Tab from the top of a fresh page; then the palette toggle and skip link."""
    page.evaluate(_FROM_THE_TOP)
    page.evaluate("__survey.takeStops()")
    stops: list[dict] = []
    while len(stops) < MAX_TABS:
        for _ in range(TABS_PER_LOOK):
            page.keyboard.press("Tab")
        page.wait_for_timeout(20)  # let the last focus be recorded
        new = page.evaluate("__survey.takeStops()")
        stops += new
        reached = [
            s
            for s in new
            if s["inContent"] and s["tag"] == "a" and "headerlink" not in s["cls"]
        ]
        if not new or reached:
            break
    # the walk opened Material's search panel on its way: close it
    _close_search(page)
    # focus styles that are neither an outline nor a shadow: compare pixels,
    # once per kind of element (the header is the same on every page)
    for stop in stops:
        if not stop["ring"] and stop["size"] > 0:
            key = (stop["tag"], stop["cls"], stop["inContent"])
            if key not in cache:
                cache[key] = _focus_shows(page, stop)
            stop["ring"] = cache[key]
    visit.keyboard["stops"] = stops

    # the palette toggle works from the keyboard: Enter, and Enter again
    scheme = "document.body.getAttribute('data-md-color-scheme')"
    toggled = {"before": page.evaluate(scheme)}
    for state in ("after", "back"):
        if not page.evaluate("__survey.focusPalette()"):
            toggled[state] = "no palette toggle"
            break
        page.keyboard.press("Enter")
        toggled[state] = page.evaluate(scheme)
    visit.keyboard["toggle"] = toggled

    # "Skip to content" leads into the content
    skip = page.locator("a.md-skip")
    if skip.count():
        skip.focus()
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        visit.keyboard["after_skip"] = page.evaluate("__survey.focus()")
    page.evaluate("document.activeElement && document.activeElement.blur()")


def _click_toggle(page) -> dict:
    label = page.locator("label.md-header__button[for^='__palette']:visible").first
    if not label.count():
        return {"error": "no visible palette toggle"}
    label.click()
    return page.evaluate("__survey.figureCounts()")


def _to_dark(page, survey: Survey, light: Visit, dark: Visit) -> None:
    """Click the palette toggle; load the dark figures; screenshot.

    The reader's other way into the dark scheme, their system's setting, is
    what the dark pass loads every page with. What the page requested before
    the toggle, and because of it, is kept for the test of figure downloads.
    """
    light.first_requests = survey.requested(light.name)
    light.toggle.append(_click_toggle(page))
    page.evaluate("__survey.loadImages()")
    light.toggle_requests = survey.requested(light.name)[len(light.first_requests) :]
    dark.probe.update(page.evaluate(DARK_PROBE))
    if dark.probe["scheme"] == "slate":
        _screenshot(page, dark, dark.probe["images"])


def _dark_axe(page, dark: Visit, axe_script: str) -> None:
    if page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate":
        _axe(page, dark, axe_script)


def _phone(page, visit: Visit) -> None:
    page.set_viewport_size(PHONE)
    try:
        page.evaluate("__survey.loadImages()")
        visit.phone = page.evaluate("__survey.phone()")
        name = f"{page_name(visit.path)}-{visit.scheme}.jpg"
        _full_page(page, SCREENSHOTS / "phone" / name, "jpeg")
    finally:
        page.set_viewport_size(DESKTOP)


def _arrive(page, survey: Survey, path: str) -> dict:
    """Reach `path` by clicking a link to it on the current page, as a reader does."""
    base = survey.base
    target = urljoin(base, path)
    record = {"path": path, "from": page.url, "clicked": None}
    link = page.evaluate("t => __survey.findLink(t)", target)
    if link is None:
        # not linked from here: the home page's navigation links every page
        page.goto(base, wait_until="load")
        record["from"] = page.url
        link = page.evaluate("t => __survey.findLink(t)", target)
    if link is None:
        page.goto(target, wait_until="load")
        return record
    anchor = page.locator("a[href]").nth(link["index"])
    if link["visible"]:
        anchor.click()
        record["clicked"] = "visible link"
    else:  # in a collapsed navigation section: activate the link itself
        anchor.evaluate("a => a.click()")
        record["clicked"] = "hidden link"
    page.wait_for_url(lambda url: url.split("#")[0] == target)
    page.wait_for_load_state("load")
    return record


def _new_context(
    browser, server: Server, recorder: _Recorder, scheme: str, viewport=DESKTOP
):
    context = browser.new_context(
        viewport=viewport,
        color_scheme=scheme,  # the reader's system setting; Material follows it
        reduced_motion="reduce",
        device_scale_factor=1,
        service_workers="block",
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(script=SURVEY_JS)
    recorder.attach(context)
    return context


_TIMINGS = threading.Lock()


def _run(survey: Survey, visit: Visit, steps) -> None:
    """Run the steps of one visit; a failing step is recorded, not raised."""
    for step, run in steps:
        start = time.perf_counter()
        try:
            run()
        except Exception as exc:  # one broken step must not hide the others
            visit.errors.append(f"{step}: {str(exc).splitlines()[0]}")
            if step in ("arrive", "load", "probe"):
                break
        finally:
            elapsed = time.perf_counter() - start
            with _TIMINGS:  # the passes run in threads of their own
                survey.timings[step] = survey.timings.get(step, 0.0) + elapsed
                survey.page_timings[visit.path] = (
                    survey.page_timings.get(visit.path, 0.0) + elapsed
                )
            if os.environ.get("SURVEY_TIMINGS"):
                print(f"{visit.name:40} {step:14} {elapsed:6.2f}")


def _reader_pass(
    browser,
    server: Server,
    survey: Survey,
    axe,
    paths: list[str],
    navigation: list[dict],
    home_at_end: bool,
) -> None:
    """Light scheme: click from page to page of `paths`, check everything on each.

    Each page is reached by a click on a link of the page before (the home
    page by its address; a chain that starts elsewhere, by a click from the
    home page), then checked in light, switched to dark with the palette
    toggle, checked there, switched back, checked at 375 px, and walked with
    the keyboard if it is the first page of its kind (`keyboard_pages`).
    With `home_at_end`, the chain ends back home by a click. Each click is
    recorded in `navigation`.
    """
    recorder = _Recorder(survey, server)
    context = _new_context(browser, server, recorder, "light")
    context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=server.origin
    )
    focus_cache: dict = {}
    try:
        page = context.new_page()
        for i, path in enumerate(paths):
            light = survey.visits[(path, "light")] = Visit(path, "light")
            dark = survey.visits.setdefault((path, "dark"), Visit(path, "dark"))

            def arrive(path=path, first=(i == 0), name=light.name):
                if first and path == "":
                    page.goto(server.base, wait_until="load")
                    return
                if first:
                    recorder.current = "(navigation) index"
                    page.goto(server.base, wait_until="load")
                    recorder.current = name
                navigation.append(_arrive(page, survey, path))

            def probe(v=light):
                v.probe.update(page.evaluate("__survey.probe()"))
                if navigation and navigation[-1]["path"] == v.path:
                    navigation[-1]["math"] = v.probe["math"]

            recorder.current = light.name

            _run(
                survey,
                light,
                [
                    ("arrive", arrive),
                    ("settle", lambda: _settle(page)),
                    ("probe", probe),
                    (
                        "screenshot",
                        lambda v=light: _screenshot(page, v, v.probe["images"]),
                    ),
                    ("axe", lambda v=light: _axe(page, v, axe)),
                    ("to dark", lambda v=light, d=dark: _to_dark(page, survey, v, d)),
                    ("axe dark", lambda d=dark: _dark_axe(page, d, axe)),
                    ("to light", lambda v=light: v.toggle.append(_click_toggle(page))),
                    ("375 px", lambda v=light: _phone(page, v)),
                    *(
                        [("keyboard", lambda v=light: _keyboard(page, v, focus_cache))]
                        if path in survey.walked
                        else []
                    ),
                    # last: the "Copied" message must not show in the screenshots
                    ("copy buttons", lambda v=light: _click_copy_buttons(page, v)),
                ],
            )
        if home_at_end:
            recorder.current = "(navigation) index"
            record = {"path": "", "from": page.url, "clicked": None}
            try:
                record = _arrive(page, survey, "")
                _settle(page)
                record["math"] = page.evaluate("__survey.math()")
            except Exception as exc:
                record["error"] = str(exc).splitlines()[0]
            navigation.append(record)
    finally:
        context.close()


def _first_load_dark_pass(browser, server: Server, survey: Survey) -> None:
    """A reader on a phone whose system is set to dark: load every page by its
    address.

    Material must pick the dark scheme by itself, show the dark figures, and
    render the math on this first load; the figures must come in their narrow
    layout, and in the dark variant only.
    """
    recorder = _Recorder(survey, server)
    context = _new_context(browser, server, recorder, "dark", PHONE)
    try:
        page = context.new_page()
        for path in survey.pages:
            dark = survey.visits.setdefault((path, "dark"), Visit(path, "dark"))
            recorder.current = f"{dark.name}, first load"

            def load(path=path):
                # the page's scripts have run by then (math, palette); figures
                # and fonts go on loading, and are checked in the light pass
                page.goto(server.base + path, wait_until="domcontentloaded")
                with contextlib.suppress(PlaywrightError):
                    page.wait_for_function("__survey.mathRendered()", timeout=3000)

            _run(
                survey,
                dark,
                [
                    ("load", load),
                    (
                        "first load",
                        lambda v=dark: v.first_load.update(page.evaluate(FIRST)),
                    ),
                    ("figures", lambda v=dark: _first_figures(page, survey, v)),
                ],
            )
    finally:
        context.close()


def _first_figures(page, survey: Survey, dark: Visit) -> None:
    """Load the figures a reader scrolling down would see; note the requests."""
    page.evaluate("__survey.loadImages()")
    dark.first_load["images"] = page.evaluate("__survey.images()")
    dark.first_requests = survey.requested(f"{dark.name}, first load")


@pytest.fixture(scope="session")
def survey(browser, site_server: Server, site_dir: Path) -> Survey:
    """Every page of the site, visited once in light and once in dark."""
    from axe_playwright_python.base import AXE_SCRIPT

    start = time.perf_counter()
    (SCREENSHOTS / "phone").mkdir(parents=True, exist_ok=True)
    for old in [*SCREENSHOTS.rglob("*.png"), *SCREENSHOTS.rglob("*.jpg")]:
        old.unlink()
    pages = site_pages(site_dir)
    result = Survey(base=site_server.base, pages=pages)
    result.walked = keyboard_pages(pages)
    axe = AXE_SCRIPT  # axe.min.js ships inside the package: injected, never fetched
    # three readers at once, each in a browser of its own: the browser waits
    # for pages more than it computes. The first half of the pages in light
    # here, the second half in light and the dark first loads in threads.
    half = (len(pages) + 1) // 2
    first, second = [], []
    with ThreadPoolExecutor(2, thread_name_prefix="survey") as pool:
        others = [
            pool.submit(
                _in_own_browser,
                _reader_pass,
                site_server,
                result,
                axe,
                pages[half:],
                second,
                False,
            ),
            pool.submit(_in_own_browser, _first_load_dark_pass, site_server, result),
        ]
        try:
            _reader_pass(browser, site_server, result, axe, pages[:half], first, True)
        finally:
            for other in others:
                other.result()
    result.navigation = first + second
    # in page order, light before dark, as one reader would have made them
    result.visits = dict(
        sorted(
            result.visits.items(),
            key=lambda item: (pages.index(item[0][0]), item[0][1] != "light"),
        )
    )
    result.server_404 = list(site_server.missing)
    result.seconds = time.perf_counter() - start
    steps = ", ".join(
        f"{k} {v:.1f}" for k, v in sorted(result.timings.items(), key=lambda kv: -kv[1])
    )
    slowest = sorted(result.page_timings.items(), key=lambda kv: -kv[1])[:3]
    slow = ", ".join(f"{page_name(k)} {v:.1f}" for k, v in slowest)
    summaries.add(
        "browser survey",
        [
            f"browser survey: {len(result.pages)} pages, light and dark, "
            f"in {result.seconds:.1f} s; screenshots in "
            f"{SCREENSHOTS.relative_to(ROOT)}/",
            f"  by step (s): {steps}",
            f"  slowest pages (s): {slow}",
        ],
    )
    return result
