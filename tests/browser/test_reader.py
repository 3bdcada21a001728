"""The site in a real browser, offline, for every reader (issue 5).

Every test reads the one survey of the site (see conftest.py) and lists every
page that fails it, so one run shows all the problems at once. Pages are
found in the built site, so a new page is covered without touching this file.
"""

from __future__ import annotations

import itertools
import re
from urllib.parse import unquote, urljoin, urlsplit

import pytest

# every browser test reads one survey of the site, made once per worker: keep
# them in this one file, which pytest-xdist (--dist=loadfile) runs on one worker
pytestmark = pytest.mark.browser

PYTHON = {"python", "py", "python3", "ipython3", "pycon"}
# a prompt at the start of a line: Python's, a shell's, Jupyter's
PROMPT = re.compile(r"^(>>>|\.\.\.(?=\s)|\$ |In \[\d*\]:|Out\[\d*\]:)", re.M)


def _report(problems) -> str:
    return "\n" + "\n".join(f"  - {p}" for p in problems)


def test_every_page_is_surveyed(survey):
    assert survey.pages, "no index.html in the built site"
    assert "" in survey.pages, "the home page is missing"
    assert len(survey.visits) == 2 * len(survey.pages)
    problems = [f"{v.name}: {e}" for v in survey.each() for e in v.errors]
    problems += [
        f"{v.name}: not a Material page (no colour scheme)"
        for v in survey.each()
        if v.probe and not v.probe.get("scheme")
    ]
    assert not problems, _report(problems)


def test_no_request_leaves_the_site(survey):
    """Fonts, scripts, math, analytics: everything comes from the site itself."""
    assert survey.requests, "the survey recorded no requests at all"
    problems = sorted({f"{where}: {url}" for where, url in survey.external})
    assert not problems, _report(problems)


def test_no_console_errors(survey):
    problems = sorted({f"{where}: {text}" for where, text in survey.console})
    assert not problems, _report(problems)


def test_no_failed_requests_or_404s(survey):
    problems = sorted({f"{where}: {what}" for where, what in survey.failed})
    problems += sorted(
        {f"the server answered 404 to {path}" for path in survey.server_404}
    )
    assert not problems, _report(problems)


def test_links_lead_somewhere(survey, site_dir):
    """Every link into the site names a file it has, and an anchor its page has."""
    ids = {
        urljoin(survey.base, v.path): set(v.probe.get("ids", []))
        for v in survey.each("light")
    }
    problems = set()
    for visit in survey.each("light"):
        for href in visit.probe.get("links", []):
            url, _, fragment = href.partition("#")
            path = unquote(urlsplit(url).path).lstrip("/")
            target = site_dir / path
            if not path or path.endswith("/") or target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                problems.add(f"{visit.name}: link to a missing page: {href}")
            elif fragment and url in ids and unquote(fragment) not in ids[url]:
                problems.add(f"{visit.name}: link to a missing anchor: {href}")
    assert not problems, _report(sorted(problems))


def _math_problems(where: str, math: dict) -> list[str]:
    problems = [f"{where}: math left unrendered: {m!r}" for m in math["unrendered"]]
    problems += [f"{where}: KaTeX could not render: {m!r}" for m in math["errors"]]
    problems += [f"{where}: raw TeX in the text: {m!r}" for m in math["rawTex"]]
    if math["katex"] < math["arithmatex"]:
        problems.append(
            f"{where}: {math['arithmatex']} formulas, {math['katex']} rendered"
        )
    return problems


def test_math_renders_on_first_load(survey):
    """Every page loaded by its address (the dark pass), and the home page."""
    problems = []
    for visit in survey.each():
        if visit.first_load:
            where = f"{visit.name}, first load"
            problems += _math_problems(where, visit.first_load["math"])
        if "math" in visit.probe:
            problems += _math_problems(visit.name, visit.probe["math"])
    assert not problems, _report(problems)


def test_math_renders_after_navigation(survey):
    """Click from page to page, as a reader does; each new page renders its math."""
    assert {r["path"] for r in survey.navigation} == set(survey.pages)
    problems = []
    for record in survey.navigation:
        where = f"{record['path'] or 'index'} (reached from {record['from']})"
        if record.get("error"):
            problems.append(f"{where}: {record['error']}")
        elif not record["clicked"]:
            problems.append(f"{where}: no link leads to this page")
        else:
            problems += _math_problems(where, record["math"])
    assert not problems, _report(problems)


def test_figures_load(survey):
    problems = []
    loaded: dict[str, bool] = {}
    for visit in survey.each():
        for img in visit.probe.get("images", []):
            ok = (
                img["complete"] and img["naturalWidth"] > 0 and img["naturalHeight"] > 0
            )
            loaded[img["src"]] = loaded.get(img["src"], False) or ok
            if img["visible"] and not ok:
                problems.append(f"{visit.name}: {img['src']} did not load")
    # each variant is visible, and so loaded, in one of the two schemes
    problems += [
        f"{src}: never loaded in either scheme" for src, ok in loaded.items() if not ok
    ]
    assert not problems, _report(problems)


def test_figures_follow_the_colour_scheme(survey):
    """Dark figures in dark mode, light in light, never both, never a white box."""
    problems = []
    for visit in survey.each():
        if not visit.probe:
            continue
        own, other = "figure-light", "figure-dark"
        if visit.scheme == "dark":
            own, other = other, own
        expected = {"light": "default", "dark": "slate"}[visit.scheme]
        if visit.probe["scheme"] != expected:
            problems.append(
                f"{visit.name}: the colour scheme is {visit.probe['scheme']!r}"
            )
        content = [i for i in visit.probe["images"] if i["inContent"]]
        for img in content:
            themed = {"figure-light", "figure-dark"} & set(img["classes"])
            alt = (img["alt"] or "")[:60]
            if not themed:
                problems.append(
                    f"{visit.name}: no light/dark variant: {img['src']} {alt!r}"
                )
            elif other in themed and img["visible"]:
                problems.append(f"{visit.name}: {other} figure shown: {alt!r}")
            elif own in themed and not img["visible"]:
                problems.append(f"{visit.name}: {own} figure hidden: {alt!r}")
        counts = {
            c: sum(c in i["classes"] for i in content)
            for c in ("figure-light", "figure-dark")
        }
        if counts["figure-light"] != counts["figure-dark"]:
            problems.append(f"{visit.name}: unpaired figure variants {counts}")
        # what the reader sees: a dark figure on a dark page, a light one on light
        for label, lum in visit.figure_luminance:
            if (visit.scheme == "dark") != (lum < 0.5):
                problems.append(f"{visit.name}: mean luminance {lum:.2f} of {label!r}")
    for visit in survey.each("dark"):
        # a reader whose system is dark gets the dark scheme and figures at once
        n = sum("figure-dark" in i["classes"] for i in visit.probe.get("images", []))
        want = {"scheme": "slate", "light": 0, "dark": n}
        got = visit.first_load.get("figures")
        if got != want:
            problems.append(f"{visit.name}: on first load {got}, not {want}")
    for visit in survey.each("light"):
        n = sum("figure-dark" in i["classes"] for i in visit.probe.get("images", []))
        want = [
            {"scheme": "slate", "light": 0, "dark": n},
            {"scheme": "default", "light": n, "dark": 0},
        ]
        if visit.toggle != want:
            problems.append(
                f"{visit.name}: the palette toggle gave {visit.toggle}, not {want}"
            )
    assert not problems, _report(problems)


def _themed(img: dict) -> bool:
    return bool({"figure-light", "figure-dark"} & set(img["classes"]))


def _variants(images: list[dict], theme: str | None = None) -> set[str]:
    """Every address the page's figures (of one theme, if given) can show."""
    return {
        url
        for i in images
        if i["inContent"] and _themed(i)
        if theme is None or f"figure-{theme}" in i["classes"]
        for url in i["candidates"]
    }


def _shown(images: list[dict]) -> set[str]:
    return {
        i["currentSrc"]
        for i in images
        if i["inContent"] and _themed(i) and i["visible"]
    }


def _downloaded(where: str, images: list[dict], requested: list[str]) -> list[str]:
    """Each figure shown was downloaded, in the variant shown."""
    return [
        f"{where}: shows {url}, never downloaded"
        for url in _shown(images) - set(requested)
    ]


def test_a_first_load_downloads_one_variant_of_each_figure(survey):
    """The variant of the reader's scheme, at the screen's width; not the others.

    Dark on a phone (the first-load pass): only the variant shown. Light on a
    desktop (the reader pass, until the palette toggle): no dark variant.
    The reader pass changes the window's width on every page (the 375 px
    check), and now and then the next page fetches its narrow light images as
    well, as if laid out at the old width for a moment; the first-load pass,
    whose window keeps its width, checks the width.
    """
    problems = []
    checked = 0
    for visit in survey.each("light"):
        images = visit.probe.get("images", [])
        checked += len(_shown(images))
        problems += _downloaded(visit.name, images, visit.first_requests)
        problems += [
            f"{visit.name}: downloaded {url} before the palette toggle"
            for url in _variants(images, "dark") & set(visit.first_requests)
        ]
    for visit in survey.each("dark"):
        images = visit.first_load.get("images", [])
        where = f"{visit.name}, first load on a phone"
        checked += len(_shown(images))
        problems += _downloaded(where, images, visit.first_requests)
        hidden = _variants(images) - _shown(images)
        problems += [
            f"{where}: downloaded {url}, not shown"
            for url in hidden & set(visit.first_requests)
        ]
    assert checked, "no figure on any page: nothing was checked"
    assert not problems, _report(sorted(problems))


def test_the_palette_toggle_downloads_the_other_variant(survey):
    """After the toggle the dark figures are downloaded, shown and loaded."""
    problems = []
    for visit in survey.each("light"):
        images = survey.visits[(visit.path, "dark")].probe.get("images", [])
        where = f"{visit.name}, after the toggle"
        problems += _downloaded(where, images, visit.toggle_requests)
        problems += [
            f"{where}: {i['currentSrc']} did not load"
            for i in images
            if i["inContent"] and _themed(i) and i["visible"] and not i["naturalWidth"]
        ]
    assert not problems, _report(sorted(problems))


def test_every_image_has_alt_text(survey):
    problems = []
    for visit in survey.each("light"):
        for img in visit.probe.get("images", []):
            alt = (img["alt"] or "").strip()
            if not alt:
                problems.append(f"{visit.name}: no alt text: {img['src']}")
            elif img["inContent"] and len(alt.split()) < 3:
                problems.append(f"{visit.name}: alt {alt!r} does not say what it shows")
    assert not problems, _report(problems)


def _compile(text: str, signature: bool, where: str) -> None:
    """Compile copied Python; an API reference's signature, as a `def` line."""
    if signature:
        try:
            compile(text, where, "exec")  # e.g. `NAME: int = 3`
        except SyntaxError:
            compile(f"def {text}: ...", where, "exec")
    else:
        compile(text, where, "exec")


def test_copy_buttons_copy_code_that_runs(survey):
    """What each copy button copies has no prompts or output; Python compiles."""
    problems = []
    for visit in survey.each("light"):
        for copy in visit.probe.get("copies", []):
            head = copy["head"][:40]
            where = f"{visit.name}: {copy['kind']} block #{copy['id']} ({head!r})"
            if not copy["hasButton"]:
                problems.append(f"{where}: no copy button")
                continue
            text = copy["text"]
            prompt = PROMPT.search(text)
            if prompt:
                problems.append(f"{where}: copies a prompt {prompt.group(0)!r}")
            elif copy["lang"] in PYTHON:
                try:
                    _compile(text, copy["signature"], where)
                except SyntaxError as exc:
                    problems.append(
                        f"{where}: copied Python does not compile: {exc.msg}"
                    )
    assert not problems, _report(problems)


def test_copy_buttons_put_that_text_on_the_clipboard(survey):
    """A real click on a copy button of each kind matches what the survey computed."""
    problems = []
    clicked = 0
    for visit in survey.each("light"):
        computed = {
            (c["kind"], c["id"]): c["text"]
            for c in visit.probe.get("copies", [])
            if c["hasButton"]
        }
        for click in visit.clicks:
            target = click["target"]
            ident = target.removeprefix("#").removesuffix(" > code")
            if click["text"] is None:
                problems.append(
                    f"{visit.name}: clicking {target} copied nothing: {click}"
                )
                continue
            clicked += 1
            if computed.get((click["kind"], ident)) != click["text"]:
                problems.append(
                    f"{visit.name}: {target} copied {click['text'][:60]!r}, "
                    f"not {(computed.get((click['kind'], ident)) or '')[:60]!r}"
                )
    assert clicked or not any(v.probe.get("copies") for v in survey.each("light"))
    assert not problems, _report(problems)


def test_axe_finds_no_serious_violations(survey):
    """axe-core on every page: all rules in light, the colour rules in dark."""
    problems = [
        f"{v.name}: {a['id']} ({a['impact']}): {a['help']} at {a['targets']} "
        f"{a['detail']}"
        for v in survey.each()
        for a in v.axe
        if a["impact"] in ("serious", "critical")
    ]
    assert not problems, _report(problems)


# a code block of many tokens of one kind, then the same kind of token,
# too faint to read, in a block that is shown only after the page opens
# a <details>, then once more in a block on the page
_FAINT = """<!doctype html><html lang="en"><head><title>probe</title><style>
body { background: #fff; color: #000; } .highlight .n { color: #000; }
.faint .n, details .n { color: #ddd; }
</style></head><body><main><h1>Probe</h1>
<div class="highlight"><pre>{tokens}</pre></div>
<details><summary>more</summary><div class="highlight faint"><pre>{one}</pre></div>
</details>
<div class="highlight faint"><pre>{one}</pre></div>
<p>Some math: <span class="katex"><span class="mord" style="color: #eee">a + b</span>
</span></p></main></body></html>"""


def test_axe_samples_repeats_but_checks_each_look(axe_on):
    tokens = '<span class="n">token</span> ' * 40
    one = '<span class="n">faint</span>'
    html = _FAINT.replace("{tokens}", tokens).replace("{one}", one)
    for scheme in ("light", "dark"):
        visit = axe_on(html, scheme)
        contrast = [a for a in visit.axe if a["id"] == "color-contrast"]
        assert contrast, f"{scheme}: the faint token and math were not found"
        targets = " ".join(t for a in contrast for t in a["targets"])
        # the visible faint token, though a hidden one of its kind came first
        assert ".faint" in targets and "details" not in targets, targets
        assert ".mord" in targets, targets
        # 39 of the 40 tokens of one look are skipped, and the hidden faint one
        assert visit.probe["skipped"] == 39, visit.probe["skipped"]


def test_headings_are_in_order(survey):
    problems = []
    for visit in survey.each("light"):
        headings = visit.probe.get("headings", [])
        levels = [h["level"] for h in headings]
        if levels.count(1) != 1 or levels[:1] != [1]:
            problems.append(f"{visit.name}: want one h1, first; got levels {levels}")
        for before, after in itertools.pairwise(headings):
            if after["level"] > before["level"] + 1:
                problems.append(
                    f"{visit.name}: h{before['level']} {before['text']!r} "
                    f"then h{after['level']} {after['text']!r}"
                )
    assert not problems, _report(problems)


def _invisible_focus(stop: dict) -> bool:
    if stop["ring"] and stop["size"] > 0:
        return False
    # Material's search keeps its (empty, zero-height) result list in the Tab
    # order; nothing in this site's files can change that
    return not (stop["inSearch"] and "md-search__scrollwrap" in stop["cls"])


def test_keyboard_reaches_the_toggle_and_the_content(survey):
    # one page of each kind: the Tab order differs by kind only in the content
    walked = [v.path for v in survey.each("light") if v.keyboard]
    assert walked == survey.walked
    assert {survey.kind(p) for p in walked} == {survey.kind(p) for p in survey.pages}
    problems = []
    for visit in survey.each("light"):
        if visit.path not in walked:
            continue
        stops = visit.keyboard.get("stops", [])
        if not any(s["palette"] for s in stops):
            problems.append(f"{visit.name}: Tab never reaches the palette toggle")
        if not any(s["inContent"] and s["tag"] == "a" for s in stops):
            problems.append(f"{visit.name}: Tab never reaches a link in the content")
        problems += [
            f"{visit.name}: focus not visible on {s['tag']}.{s['cls']} {s['text']!r}"
            for s in stops
            if _invisible_focus(s)
        ]
        toggle = visit.keyboard.get("toggle")
        if toggle != {"before": "default", "after": "slate", "back": "default"}:
            problems.append(f"{visit.name}: Enter on the palette toggle gave {toggle}")
        after_skip = visit.keyboard.get("after_skip")
        if after_skip is not None and not after_skip["inContent"]:
            problems.append(
                f"{visit.name}: after 'Skip to content', Tab goes to {after_skip}"
            )
    assert not problems, _report(problems)


# a figure shown smaller than this share of its natural size has text too
# small to read on a phone (10-point text at 80% is 10.7 CSS pixels)
LEGIBLE_SCALE = 0.8


def test_figures_are_legible_on_a_phone(survey):
    """At 375 px every figure is shown at 80% of its size or more: the narrow
    layout of a multi-panel figure is the one shown, not the wide one shrunk."""
    problems = []
    checked = 0
    for visit in survey.each("light"):
        for img in visit.phone.get("images", []):
            if not img["figure"]:
                continue
            checked += 1
            if not img["naturalWidth"]:
                problems.append(f"{visit.name}: {img['src']} not loaded at 375 px")
            elif img["width"] < LEGIBLE_SCALE * img["naturalWidth"]:
                problems.append(
                    f"{visit.name}: {img['src']} shown at {img['width']} px of its "
                    f"{img['naturalWidth']} px: {img['alt']!r}"
                )
    assert checked, "no figure seen at 375 px"
    assert not problems, _report(problems)


def test_small_screens_do_not_scroll_sideways(survey):
    """At 375 px only code blocks and tables scroll; figures fit the column."""
    problems = []
    for visit in survey.each("light"):
        phone = visit.phone
        if not phone:
            continue
        if phone["scrollWidth"] > phone["width"]:
            problems.append(
                f"{visit.name}: the page is {phone['scrollWidth']} px wide at "
                f"{phone['width']} px; sticking out: {phone['wide']}"
            )
        problems += [
            f"{visit.name}: figure too wide: {i}"
            for i in phone["images"]
            if not i["fits"]
        ]
    assert not problems, _report(problems)
