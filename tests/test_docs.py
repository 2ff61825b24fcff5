"""The documentation site: `mkdocs build --strict` passes (every code block on it runs),
and in headless Chromium every page of the built site, at a desktop width (1280 px) and
a phone width (390 px), is readable:

- every label of every drawing (graphviz graphs, matplotlib figures) renders at >= 10 CSS px;
- no part of a formula has zero height (KaTeX's square roots, wide accents), every formula renders;
- the page itself never scrolls sideways, and nothing sticks out of the window unless it sits
  in a box that scrolls (drawings, tables, long formulas scroll inside their own box);
- every drawing sits in a figure box that links to its full-size SVG (``minigrad.viz.figure``);
- no JavaScript error, no failed load, no request to any other host.

Pages are discovered from the built site (every ``.html`` page), so new pages and other
languages (``/zh/...``) are checked without editing this file. One browser, one tab per width,
reused for every page.

Set ``MINIGRAD_DOCS_SITE=/path/to/built/site`` to check a site you already built (a faster
edit-and-look loop); without it the site is built here, strictly.
"""

from pathlib import Path

import pytest
from conftest import serving

ROOT = Path(__file__).resolve().parents[1]
WIDTHS = (1280, 390)
MIN_LABEL_PX = 10.0


# `site` (the built site, once per session) and `browser` are fixtures in tests/conftest.py


def discover_pages(site: Path) -> list:
    """URL paths ("" for the home page, "concepts/graphs.html", "zh/...") of every page in a built
    site (``use_directory_urls: false``: a page is a file, so the site also works from disk)."""
    pages = []
    for page in site.rglob("*.html"):
        rel = page.relative_to(site)
        if rel.parts[0] in ("assets", "search") or rel.name == "404.html":
            continue
        pages.append("" if rel.as_posix() == "index.html" else rel.as_posix())
    return sorted(pages)


def test_mkdocs_build_strict(site):
    assert (site / "index.html").exists() and (site / "derivations/table.html").exists()
    table = (site / "derivations/table.html").read_text()
    assert "logsumexp" in table and "cross_entropy" in table  # rendered from the registry


@pytest.mark.parametrize("lang", ["", "zh/"])
def test_the_trace_page_adds_the_shared_weight_s_two_shares_at_build_time(site, lang):
    # the neuron's exercise: the two mul steps each send w a share, and by hand, the engine and
    # the sum of the shares agree; the data x1, x2 are drawn as inputs in the frames
    import html
    import re

    text = html.unescape(re.sub(r"<[^>]+>", "", (site / f"{lang}concepts/trace.html").read_text()))
    shares = [float(v) for v in re.findall(r"step \d+: mul at \w+ sends w (-?[\d.]+)", text)]
    found = re.search(r"by hand \(1 - o\^2\)\(x1 \+ x2\) = (-?[\d.]+); engine (-?[\d.]+)", text)
    assert len(shares) == 2 and all(shares) and found, text[:2000]
    by_hand, engine = float(found[1]), float(found[2])
    assert by_hand == pytest.approx(engine, abs=2e-6) and sum(shares) == pytest.approx(by_hand, abs=2e-6)
    kinds = re.findall(r"(x1|x2)\s+\[(\w+)\]", text)  # graphviz writes the two spaces as &#160;
    assert kinds and set(kinds) == {("x1", "input"), ("x2", "input")}, kinds


@pytest.fixture(scope="session")
def server(site):
    with serving(site) as url:
        yield url




# What a reader would see, measured in the page after layout. Returns a list of problems
# (strings) and how many labels were measured. `width` is the window's width as set, not
# window.innerWidth: a phone browser widens its layout viewport to fit an overflowing page.
MEASURE_JS = r"""
([width, minPx, requireLinks]) => {
  const problems = [];
  const main = document.querySelector('article') || document.body;
  let labels = 0;
  const scale = (m) => Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
  const where = (el) => {
    const fig = el.closest('figure, .mg-figure');
    const cap = fig && fig.querySelector('figcaption');
    const h = [...main.querySelectorAll('h1, h2, h3')].filter(x =>
      x.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING).pop();
    return (cap ? `figure "${cap.textContent.trim().slice(0, 40)}"` : '') +
      (h ? ` under "${h.textContent.trim().replace(/¶$/, '')}"` : '');
  };
  const shown = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 || r.height > 0; };
  const small = [];
  // 1. SVG <text> labels (graphviz; matplotlib with svg.fonttype "none"): the font size times
  //    the scale the page applies, and the box the browser draws them in.
  for (const t of main.querySelectorAll('svg text')) {
    const s = t.textContent.trim();
    if (!s || !shown(t)) continue;  // not displayed: an inactive tab or trace frame
    const m = t.getScreenCTM();
    if (!m) continue;
    const px = parseFloat(getComputedStyle(t).fontSize) * scale(m);
    const box = t.getBoundingClientRect();
    const tall = Math.abs(m.b) > Math.abs(m.a) ? box.width : box.height;  // rotated axis labels
    labels++;
    if (px < minPx - 0.01 || tall < minPx - 0.01)
      small.push(`"${s.slice(0, 24)}" at ${px.toFixed(1)} px (box ${tall.toFixed(1)} px) ${where(t)}`);
  }
  // 2. matplotlib glyphs drawn as paths (svg.fonttype "path"): a group scaled from
  //    100-unit glyphs per font size, i.e. font px = 100 * the group's on-screen scale.
  for (const g of main.querySelectorAll('svg g[id^="text_"] > g[transform*="scale"]')) {
    if (!shown(g)) continue;
    const px = 100 * scale(g.getScreenCTM());
    labels++;
    if (px < minPx - 0.01) {
      const c = [...g.parentNode.childNodes].find(n => n.nodeType === Node.COMMENT_NODE);
      small.push(`"${c ? c.textContent.trim().slice(0, 24) : 'plot text'}" at ${px.toFixed(1)} px ${where(g)}`);
    }
  }
  if (small.length) problems.push(`${small.length} label(s) below ${minPx} px: ` + small.slice(0, 6).join('; '));
  // 3. math: every formula rendered, no part of one collapsed to zero height.
  const math = main.querySelectorAll('.arithmatex').length;
  const rendered = main.querySelectorAll('.arithmatex .katex').length;
  if (rendered !== math) problems.push(`${rendered} of ${math} formulas rendered`);
  if (main.querySelector('.katex-error')) problems.push('KaTeX error: ' + main.querySelector('.katex-error').title);
  for (const part of main.querySelectorAll('.katex svg, math')) {
    const host = part.closest('.katex') || part;
    if (!shown(host)) continue;
    if (part.getBoundingClientRect().height < 0.5)
      problems.push(`a formula part has zero height in "${host.textContent.trim().slice(0, 40)}" ${where(part)}`);
  }
  // 4. the page never scrolls sideways, and nothing is cut off at the window's edge
  //    unless it sits in a box that scrolls.
  const sw = document.scrollingElement.scrollWidth;
  if (sw > width + 1) problems.push(`the page scrolls sideways: ${sw} px wide in a ${width} px window`);
  const out = [];
  for (const el of main.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= width + 1 || el.closest('.katex-mathml')) continue;  // KaTeX's hidden MathML
    let box = el.parentElement, ok = false;
    while (box && box !== document.body) {
      const o = getComputedStyle(box).overflowX;
      // a box that scrolls, or one that clips (KaTeX's long stretchy SVGs sit in overflow:hidden spans)
      if (o !== 'visible' && box.getBoundingClientRect().right <= width + 1) { ok = true; break; }
      box = box.parentElement;
    }
    if (!ok && !out.some(p => p.contains(el))) out.push(el);
  }
  if (out.length) problems.push(`${out.length} element(s) stick out of the ${width} px window: ` +
    out.slice(0, 4).map(e => `<${e.tagName.toLowerCase()} class="${e.getAttribute('class') || ''}"> ${where(e)}`)
      .join('; '));
  // 5. every drawing is in a figure box with a link to its full-size SVG.
  const bare = [...main.querySelectorAll('svg')].filter(s =>
    s.querySelector(':scope > g > g.node, :scope > g[id^="figure_"]') && !(s.closest('.mg-figure') &&
    (!requireLinks || s.closest('.mg-figure').querySelector('a.mg-full'))));
  if (bare.length) problems.push(`${bare.length} drawing(s) without a figure box linking the full-size SVG ` +
    '(print minigrad.viz.figure(...)): ' + bare.slice(0, 3).map(where).join('; '));
  return [problems, labels];
}
"""

OPEN_ALL_JS = """() => new Promise(done => {
  document.querySelectorAll('details:not([open])').forEach(d => d.open = true);  // solutions, code
  requestAnimationFrame(() => requestAnimationFrame(done));
})"""


class Tab:
    """One browser tab at one width, reused for every page; records JS errors and outside requests."""

    def __init__(self, browser, base: str, width: int):
        phone = width < 600
        self.base, self.width = base, width
        self.context = browser.new_context(viewport={"width": width, "height": 844 if phone else 900},
                                           is_mobile=phone, has_touch=phone, device_scale_factor=1)
        self.page = self.context.new_page()
        self.errors, self.outside = [], []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.context.route("**/*", self._route)

    def _route(self, route):
        url = route.request.url
        if url.startswith(self.base) or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def check(self, path: str = "", html: str | None = None, links: bool = True) -> tuple:
        """Load a page (or ``html``) and return (problems, labels measured)."""
        self.errors.clear()
        self.outside.clear()
        if html is None:
            self.page.goto(self.base + path, wait_until="load")
        else:  # as a page of the site: laid out at the device's width
            self.page.set_content('<meta name="viewport" content="width=device-width, initial-scale=1">' + html,
                                  wait_until="load")
        self.page.evaluate(OPEN_ALL_JS)
        problems, labels = self.page.evaluate(MEASURE_JS, [self.width, MIN_LABEL_PX, links])
        problems += [f"JavaScript error: {e}" for e in self.errors]
        problems += [f"request to another host: {u}" for u in self.outside]
        return problems, labels

    def close(self):
        self.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_readable_in_chromium(browser, server, site, width):
    pages = discover_pages(site)
    assert "" in pages and len(pages) >= 10, pages
    tab = Tab(browser, server, width)
    failures, labels = {}, 0
    try:
        for path in pages:
            problems, n = tab.check(path)
            labels += n
            if problems:
                failures[path or "(home)"] = problems
    finally:
        tab.close()
    report = "\n".join(f"{p}:\n  " + "\n  ".join(ps) for p, ps in failures.items())
    assert not failures, f"at {width} px:\n{report}"
    assert labels > 200, f"only {labels} drawing labels measured on {len(pages)} pages: is the check looking?"


@pytest.mark.browser
def test_the_page_check_catches_each_fault(browser, server):
    """The checker is not vacuous: a page with each fault fails for that fault, and its fixed twin passes."""
    from minigrad import viz

    tab = Tab(browser, server, 390)
    shrunk = ('<svg viewBox="0 0 2000 100" style="width:100%"><g><g class="node">'
              '<text font-size="10" x="0" y="50">tiny</text></g></g></svg>')
    collapsed = '<span class="katex"><span>√</span><svg width="10" height="0" viewBox="0 0 10 10"></svg></span>'
    wide = '<p style="width:900px">a line too wide for a phone</p>'
    try:
        problems, _ = tab.check(html=f"<article>{shrunk}</article>")
        assert any("below 10" in p and "tiny" in p for p in problems), problems
        assert any("without a figure box" in p for p in problems), problems
        problems, _ = tab.check(html=f"<article>{collapsed}</article>")
        assert any("zero height" in p for p in problems), problems
        problems, _ = tab.check(html=f"<article>{wide}</article>")
        assert any("scrolls sideways" in p for p in problems) and any("stick out" in p for p in problems), problems
        problems, _ = tab.check(html="<article><script>undefined_name()</script><img src='http://example.com/x.png'>"
                                     "</article>")
        assert any("JavaScript error" in p for p in problems) and any("another host" in p for p in problems)
        css = (ROOT / "docs/assets/stylesheets/extra.css").read_text()
        fixed = viz.figure(shrunk.replace('style="width:100%"', 'width="2000" height="100"'), caption="wide")
        problems, labels = tab.check(html=f"<style>{css}</style><article>{fixed}</article>")
        assert problems == [] and labels == 1, problems
    finally:
        tab.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_standalone_trace_page_is_readable_and_steps(browser, server, tmp_path, width):
    """`minigrad graph softmax --trace --format html`: math typeset (MathML), labels >= 10 px on
    every frame, no sideways page scroll, stepping and zoom work, nothing fetched."""
    pytest.importorskip("latex2mathml")
    from minigrad import viz
    from minigrad.viz.demos import DEMOS

    page_html = viz.backward_trace(DEMOS["softmax"]()).to_html()
    tab = Tab(browser, server, width)
    try:
        problems, labels = tab.check(html=page_html, links=False)  # the page is the full-size view
        assert problems == [] and labels > 20, problems
        page = tab.page
        steps = page.locator("section.frame").count()
        assert page.locator("section.frame:not([hidden]) math").count() == 1
        for _ in range(steps - 1):
            page.click("#next")
            problems, _ = tab.page.evaluate(MEASURE_JS, [width, MIN_LABEL_PX, False]), None
            assert problems[0] == [], problems[0]
        assert page.text_content("#pos") == f"step {steps} of {steps}"
        svg = page.locator("section.frame:not([hidden]) svg")
        before = svg.bounding_box()["width"]
        page.click("#in")
        assert svg.bounding_box()["width"] == pytest.approx(before * 1.25, rel=0.02)
        page.click("#fit")
        box = page.locator("section.frame:not([hidden]) .mg-scroll").bounding_box()["width"]
        assert svg.bounding_box()["width"] <= box
    finally:
        tab.close()


@pytest.mark.browser
def test_full_size_link_opens_the_drawing(browser, server):
    from minigrad import Value, viz

    x = Value(2.0, label="x")
    html = viz.figure(viz.draw((x * x).tanh()), caption="one neuron")
    tab = Tab(browser, server, 390)
    try:
        tab.page.goto(server + "assets/stylesheets/extra.css")  # the site's origin, as the docs are
        tab.page.set_content(f"<article>{html}</article>")
        with tab.context.expect_page() as opened:
            tab.page.click("a.mg-full")
        full = opened.value
        full.wait_for_load_state()
        assert full.url.startswith("blob:") and full.locator("svg g.node").count() >= 3
        assert tab.errors == []
    finally:
        tab.close()
