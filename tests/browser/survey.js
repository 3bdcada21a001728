// In-page half of the browser survey (see conftest.py).
// Installed as an init script: it defines one global, __survey, whose
// functions measure what a reader meets and return plain data.
window.__survey = (() => {
  const content = () => document.querySelector(".md-content") || document.body;
  const visible = (el) => el.checkVisibility({ visibilityProperty: true });
  const short = (text, n = 80) => (text || "").replace(/\s+/g, " ").trim().slice(0, n);
  const scheme = () => document.body.getAttribute("data-md-color-scheme");

  // ---- math ----------------------------------------------------------------
  // Text a reader sees, outside code and outside rendered math.
  const SKIP = "script, style, noscript, template, pre, code, kbd, samp, textarea, .katex, "
    + ".highlight, .jp-OutputArea, .md-search, .clipboard-copy-txt, [hidden]";
  const TEX = /\\\(|\\\)|\\\[|\\\]|\$\$|\$[^$\s][^$]*\$/;

  function math() {
    const rawTex = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) => (node.parentElement && node.parentElement.closest(SKIP)
        ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const match = node.textContent.match(TEX);
      if (match) {
        const at = Math.max(0, match.index - 30);
        rawTex.push(short(node.textContent.slice(at, match.index + 50)));
      }
    }
    const arithmatex = Array.from(document.querySelectorAll(".arithmatex"));
    return {
      arithmatex: arithmatex.length,
      unrendered: arithmatex.filter((el) => !el.querySelector(".katex"))
        .map((el) => short(el.textContent)),
      katex: document.querySelectorAll(".katex").length,
      errors: Array.from(document.querySelectorAll(".katex-error"))
        .map((el) => short(el.getAttribute("title") || el.textContent)),
      rawTex,
    };
  }

  function mathRendered() {
    return Array.from(document.querySelectorAll(".arithmatex"))
      .every((el) => el.querySelector(".katex"));
  }

  // ---- figures ---------------------------------------------------------------
  const absolute = (url) => new URL(url, document.baseURI).href;
  const firstOf = (srcset) => absolute(srcset.trim().split(/\s+/)[0]);
  const sourcesOf = (img) => (img.parentElement && img.parentElement.tagName === "PICTURE"
    ? Array.from(img.parentElement.querySelectorAll("source")) : []);

  // The image the browser should show now: the first <source> of its
  // <picture> whose media query matches the screen, else its own src.
  function expected(img) {
    const source = sourcesOf(img).find((s) => !s.media || matchMedia(s.media).matches);
    return source ? firstOf(source.srcset) : img.src;
  }

  // Every image an <img> can show: its own, its <source>s', and their frames.
  function candidates(img) {
    const urls = [img.getAttribute("src") || "", ...(img.dataset.frames || "").split(" ")];
    for (const source of sourcesOf(img)) {
      urls.push(source.srcset.trim().split(/\s+/)[0], ...(source.dataset.frames || "").split(" "));
    }
    return Array.from(new Set(urls.filter((u) => u && !u.startsWith("data:")).map(absolute)));
  }

  const ready = (img) => img.complete && img.naturalWidth > 0 && img.currentSrc === expected(img);

  // Figures load lazily, when a reader scrolls to them: load every visible
  // one now, all at once, and wait (at most 5 s) until each shows the image
  // its <picture> picks for this screen (after a resize, it picks again).
  async function loadImages() {
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const pending = Array.from(document.images).filter((img) => img.checkVisibility() && !ready(img));
    pending.forEach((img) => { img.loading = "eager"; });
    const until = Date.now() + 5000;
    while (pending.some((img) => !ready(img)) && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return pending.length;
  }

  // What the page looks like once switched to dark: its scheme and figures.
  function darkProbe() {
    return { scheme: scheme(), images: images() };
  }

  // What the dark pass looks at on first load.
  function firstLoad() {
    return { math: math(), figures: figureCounts() };
  }

  function images() {
    const root = content();
    return Array.from(document.images).map((img) => {
      const r = img.getBoundingClientRect();
      return {
        src: img.src.startsWith("data:") ? img.src.slice(0, 40) + "..." : img.src,
        alt: img.getAttribute("alt"),
        classes: Array.from(img.classList),
        inContent: root.contains(img),
        visible: visible(img),
        complete: img.complete,
        currentSrc: img.currentSrc,
        candidates: candidates(img),
        naturalWidth: img.naturalWidth,
        naturalHeight: img.naturalHeight,
        // position in the document, to find the figure in a full-page screenshot
        box: { x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height },
      };
    });
  }

  function figureCounts() {
    const shown = (cls) => Array.from(document.querySelectorAll(`img.${cls}`))
      .filter((img) => img.checkVisibility()).length;
    return { scheme: scheme(), light: shown("figure-light"), dark: shown("figure-dark") };
  }

  // ---- code and copy buttons --------------------------------------------------
  const languageOf = (el) => {
    const holder = el.closest("[class*='language-']");
    const cls = holder && Array.from(holder.classList).find((c) => c.startsWith("language-"));
    return cls ? cls.slice(9) : "";
  };

  // Exactly what Material's copy button puts on the clipboard (its bundle:
  // mark the <code> data-md-copying, so its CSS hides annotations, take the
  // rendered innerText, or an enclosing data-copy, and trim the end).
  function materialCopy(code) {
    code.setAttribute("data-md-copying", "");
    const holder = code.closest("[data-copy]");
    const text = holder ? holder.getAttribute("data-copy") : code.innerText;
    code.removeAttribute("data-md-copying");
    return text.trimEnd();
  }

  // What every copy button of the page would copy. Code inside a closed
  // <details> is copied the way a reader does it: with the details open.
  function copies() {
    const closed = Array.from(document.querySelectorAll("details:not([open])"));
    closed.forEach((d) => { d.open = true; });
    const out = [];
    try {
      for (const code of content().querySelectorAll("pre > code")) {
        const pre = code.parentElement;
        const target = `#${CSS.escape(pre.id)} > code`;
        const button = pre.id && document.querySelector(
          `[data-clipboard-target="${CSS.escape(target)}"], [data-clipboard-target="${target}"]`);
        out.push({
          kind: "material",
          id: pre.id,
          lang: languageOf(pre),
          // mkdocstrings' signature of a documented function: not a program
          signature: !!pre.closest(".doc-signature"),
          head: short(code.textContent, 60),
          hasButton: !!button,
          text: button ? materialCopy(code) : null,
        });
      }
      // mkdocs-jupyter's <clipboard-copy for=ID>: copies the text of #ID
      for (const editor of content().querySelectorAll(".jp-CodeCell .jp-InputArea-editor")) {
        const button = editor.querySelector("clipboard-copy[for]");
        const source = button && document.getElementById(button.getAttribute("for"));
        const hl = Array.from(editor.querySelectorAll("[class*='hl-']"))
          .flatMap((el) => Array.from(el.classList)).find((c) => c.startsWith("hl-"));
        out.push({
          kind: "notebook",
          id: button ? button.getAttribute("for") : "",
          lang: hl ? hl.slice(3) : "",
          signature: false,
          head: short((editor.querySelector("pre") || editor).textContent, 60),
          hasButton: !!source,
          text: source ? source.textContent : null,
        });
      }
    } finally {
      closed.forEach((d) => { d.open = false; });
    }
    return out;
  }

  // ---- axe ---------------------------------------------------------------------
  // axe's contrast check costs most of its time, element by element, and
  // most elements repeat one look many times over: highlighted tokens in
  // code blocks, the spans of rendered math, the header, navigation and
  // footer of the theme. Within each of these, all elements of one tag and
  // class, under a parent of one class, in one kind of container, look the
  // same; the check looks at the first visible one of each (the others are
  // marked data-axe-skip). Prose is checked element by element.
  const REPEATS = [
    ["pre *", ".highlight-ipynb, .highlight, .jp-OutputArea-output"],
    [".katex *", ".admonition, details, table, figcaption, h1, h2, h3, h4, h5, h6, p, li"],
    [".md-header *, .md-nav *, .md-footer *",
      ".md-header, .md-tabs, .md-nav--primary, .md-nav--secondary, .md-footer"],
  ];

  function sampleRepeats() {
    const seen = new Set();
    for (const [selector, containers] of REPEATS) {
      for (const el of document.querySelectorAll(selector)) {
        const container = el.closest(containers);
        const key = [selector, el.tagName, el.className, el.parentElement.className,
          container ? container.tagName + "." + container.className : ""].join("|");
        if (seen.has(key)) el.setAttribute("data-axe-skip", "");
        else if (visible(el)) seen.add(key);
      }
    }
    return seen.size;
  }

  // ---- the whole page ------------------------------------------------------
  function probe(options = {}) {
    const root = content();
    const headings = Array.from(root.querySelectorAll("h1, h2, h3, h4, h5, h6"))
      .filter((h) => visible(h) || h.closest("details"))
      .map((h) => ({ level: Number(h.tagName[1]), text: short(h.textContent.replace(/¶$/, "")) }));
    const links = Array.from(document.querySelectorAll("a[href]"), (a) => a.href)
      .filter((href) => href.startsWith(location.origin + "/"));
    return {
      title: document.title,
      scheme: scheme(),
      math: math(),
      images: images(),
      headings,
      copies: options.copies === false ? [] : copies(),
      links: Array.from(new Set(links)),
      ids: Array.from(document.querySelectorAll("[id]"), (el) => el.id),
    };
  }

  // ---- keyboard ------------------------------------------------------------
  // Every element the keyboard focuses is recorded as it gets focus, so the
  // test can press Tab many times between two look-ups.
  const stops = [];

  function describeFocus(e) {
    // a visually hidden radio (Material's palette toggle) shows focus on its label
    const shown = (e.matches("input.md-option") && e.nextElementSibling) || e;
    const s = getComputedStyle(shown);
    const r = shown.getBoundingClientRect();
    const x = Math.max(0, r.left - 4);
    const y = Math.max(0, r.top - 4);
    const ring = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0)
      || s.boxShadow !== "none";
    return {
      tag: e.tagName.toLowerCase(),
      cls: typeof e.className === "string" ? e.className.replace("focus-visible", "").trim() : "",
      text: short(e.getAttribute("aria-label") || e.textContent, 40),
      palette: e.matches("input[name='__palette']"),
      inContent: !!e.closest(".md-content"),
      inSearch: !!e.closest(".md-search"),
      ring,
      size: r.width * r.height,
      box: { x, y, width: Math.min(innerWidth, r.right + 4) - x,
             height: Math.min(innerHeight, r.bottom + 4) - y },
    };
  }

  const stopElements = [];
  document.addEventListener("focusin", (event) => {
    // measured as focus arrives: Tab presses can come faster than timers run
    const stop = describeFocus(event.target);
    stop.index = stopElements.push(event.target) - 1;
    stops.push(stop);
  }, true);

  // focus (or unfocus) the element of an earlier stop again
  function refocus(index, on) {
    const e = stopElements[index];
    if (!e || !e.isConnected) return false;
    if (on) e.focus();
    else e.blur();
    return true;
  }

  function takeStops() {
    return stops.splice(0, stops.length);
  }

  function focus() {
    const e = document.activeElement;
    return !e || e === document.body ? null : describeFocus(e);
  }

  function focusPalette() {
    const input = document.querySelector(
      `input[name="__palette"][data-md-color-scheme="${scheme()}"]`);
    if (input) input.focus();
    return !!input;
  }

  // ---- navigation ----------------------------------------------------------
  // Index of a link to `target` among a[href]: primary navigation first,
  // then any visible link, then any link at all.
  function findLink(target) {
    const links = Array.from(document.querySelectorAll("a[href]"));
    const to = (a) => a.href.split("#")[0] === target;
    const seen = (a) => to(a) && a.checkVisibility();
    for (const ok of [(a) => seen(a) && a.closest(".md-nav--primary"), seen, to]) {
      const i = links.findIndex(ok);
      if (i >= 0) return { index: i, visible: links[i].checkVisibility() };
    }
    return null;
  }

  // ---- small screens ---------------------------------------------------------
  function phone() {
    const width = window.innerWidth;
    // who sticks out, outside code blocks, tables and other scroll boxes
    const scrolls = (el) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === "auto" || o === "scroll" || o === "hidden" || o === "clip") return true;
      }
      return false;
    };
    const wide = [];
    for (const el of document.querySelectorAll(".md-container *")) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= width + 1 || !el.checkVisibility() || scrolls(el)) continue;
      wide.push(`${el.tagName.toLowerCase()}.${Array.from(el.classList).join(".")}`
        + ` right=${Math.round(r.right)} (${short(el.textContent, 30)})`);
      if (wide.length >= 6) break;
    }
    const imgs = Array.from(document.images).filter((i) => i.checkVisibility()).map((i) => {
      const r = i.getBoundingClientRect();
      // a <picture> lays out as its image (display: contents): the column is its parent's
      const holder = i.parentElement.tagName === "PICTURE" ? i.parentElement.parentElement : i.parentElement;
      const box = holder.getBoundingClientRect();
      return {
        alt: short(i.alt, 50),
        src: i.currentSrc,
        figure: i.matches(".figure-light, .figure-dark"),
        naturalWidth: i.naturalWidth,
        width: Math.round(r.width),
        column: Math.round(box.width),
        fits: r.left >= -1 && r.right <= width + 1 && r.width <= box.width + 1,
      };
    });
    return { width, scrollWidth: document.scrollingElement.scrollWidth, wide, images: imgs };
  }

  return {
    probe, darkProbe, firstLoad, sampleRepeats, math, mathRendered, loadImages, images, figureCounts, copies, focus, takeStops, refocus,
    focusPalette, findLink, phone,
  };
})();
