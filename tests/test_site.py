"""The built site as a reader walks it: links, the learning path, formulas, offline reading.

Checked on the built HTML (the ``site`` fixture of tests/conftest.py, or the directory
``MINIGRAD_DOCS_SITE`` names), not on the markdown sources, so links written at build time
(markdown-exec output, hooks, the theme) are checked too:

- every internal link and resource (``href``/``src``) resolves: from disk (a file, not a
  directory, and the ``#anchor`` exists in it) and over HTTP with the site served under a
  sub-path;
- the learning path has one order: the home page's "Start here" list, the navigation's
  "The path" section and the footer's *Next* link from page to page agree;
- no raw TeX reaches a reader: every ``\\(``, ``\\[`` or TeX command in the text sits in a
  formula KaTeX renders (a ``|`` inside a generated table cell would split it);
- opened from ``file://`` in Chromium, the navigation and the language selector lead to pages;
- at a phone's width every drawing wider than its box says so (a visible scroll cue).
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import Request, urlopen

import pytest

from test_docs import Tab, discover_pages


class _Page(HTMLParser):
    """Links (tag, attribute value) and element ids of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        for key in ("href", "src"):
            if a.get(key) and tag in ("a", "link", "script", "img", "source", "iframe"):
                self.links.append((tag, a[key]))


@functools.lru_cache(maxsize=None)
def _parse(path: Path) -> _Page:
    p = _Page()
    p.feed(path.read_text(encoding="utf-8", errors="replace"))
    return p


def _internal(href: str) -> bool:
    u = urlsplit(href)
    return not (u.scheme or u.netloc or href.startswith(("//", "#", "data:", "blob:", "mailto:", "javascript:")))


def _pages(site: Path) -> list[Path]:
    # 404.html is served by a web server for any missing path, at any depth: its links are
    # absolute by design and it is never reached from disk
    return [site / (p or "index.html") for p in discover_pages(site)]


def broken_links_on_disk(site: Path) -> list[str]:
    """Every internal link of every page, resolved the way a browser resolves it from file://."""
    problems = []
    for page in _pages(site):
        for tag, href in _parse(page).links:
            if not _internal(href):
                if href.startswith("#") and len(href) > 1 and unquote(href[1:]) not in _parse(page).ids:
                    problems.append(f"{page.relative_to(site)}: {href} (no such anchor)")
                continue
            u = urlsplit(href)
            if u.path.startswith("/"):
                problems.append(f"{page.relative_to(site)}: {href} (absolute: breaks from disk and under a sub-path)")
                continue
            target = (page.parent / unquote(u.path)).resolve()
            if target.is_dir():
                problems.append(f"{page.relative_to(site)}: {href} (a directory: a listing from disk)")
            elif not target.is_file():
                problems.append(f"{page.relative_to(site)}: {href} (missing)")
            elif u.fragment and target.suffix == ".html" and unquote(u.fragment) not in _parse(target).ids:
                problems.append(f"{page.relative_to(site)}: {href} (no such anchor)")
    return problems


def test_every_internal_link_resolves_from_disk(site):
    problems = broken_links_on_disk(site)
    assert not problems, f"{len(problems)} broken links:\n" + "\n".join(problems[:40])


def test_the_link_check_catches_each_fault(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "index.html").write_text('<a href="sub/">dir</a><a href="/x.html">abs</a><a href="nope.html">'
                                         'gone</a><a href="ok.html#here">ok</a><a href="ok.html#there">anchor</a>'
                                         '<a href="#self">self</a><a href="https://example.com/">out</a>')
    (tmp_path / "ok.html").write_text('<h2 id="here">x</h2>')
    problems = broken_links_on_disk(tmp_path)
    assert len(problems) == 5 and all(k in " ".join(problems) for k in ("directory", "absolute", "missing",
                                                                          "ok.html#there", "#self")), problems


@pytest.fixture(scope="module")
def sub_path_server(site):
    """The site served under /some/sub/path/, as on a project page of a web host."""
    prefix = "/some/sub/path/"

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def translate_path(self, path):
            if not path.startswith(prefix):
                return str(site / "does-not-exist")
            return super().translate_path("/" + path[len(prefix):])

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}{prefix}"
    httpd.shutdown()


def test_every_internal_link_resolves_over_http_under_a_sub_path(site, sub_path_server):
    targets: dict[str, str] = {}
    for page in _pages(site):
        base = sub_path_server + page.relative_to(site).as_posix()
        for _, href in _parse(page).links:
            if _internal(href):
                url = urljoin(base, href).split("#")[0]
                targets.setdefault(url, f"{page.relative_to(site)}: {href}")
    assert len(targets) > 100, len(targets)
    problems = []
    for url, where in sorted(targets.items()):
        try:
            with urlopen(Request(url, method="HEAD"), timeout=10) as r:
                ok = r.status == 200
        except Exception:
            ok = False
        if not ok:
            problems.append(where)
    assert not problems, f"{len(problems)} links fail over HTTP under a sub-path:\n" + "\n".join(problems[:40])


# ---- one path ------------------------------------------------------------------------------

def _nav_section(html: str, title: str) -> list[str]:
    """The pages of a top-level navigation section, in order, as hrefs of the page."""
    m = re.search(r'<label class="md-nav__title"[^>]*>\s*<span class="md-nav__icon md-icon"></span>\s*'
                  + re.escape(title) + r'\s*</label>\s*<ul class="md-nav__list"[^>]*>(?P<list>.*?)</ul>', html, re.S)
    assert m, f"no navigation section {title!r}"
    return re.findall(r'<a href="([^"]+)" class="md-nav__link', m["list"])


def _start_here(html: str, heading_id: str = "start-here") -> list[str]:
    """The first link of each item of the first ordered list after the "Start here" heading."""
    after = html[html.index(f'id="{heading_id}"'):]
    ol = re.search(r"<ol>(.*?)</ol>", after, re.S)[1]
    return [re.search(r'<a href="([^"]+)"', li)[1] for li in re.findall(r"<li>(.*?)</li>", ol, re.S)]


def _next(page: Path) -> str | None:
    m = re.search(r'<a href="([^"]+)" class="md-footer__link md-footer__link--next"', page.read_text(encoding="utf-8"))
    return m[1] if m else None


@pytest.mark.parametrize("lang,section", [("", "The path"), ("zh/", "学习路线")])
def test_one_path_in_start_here_navigation_and_next(site, lang, section):
    home = site / lang / "index.html"
    html = home.read_text(encoding="utf-8")
    start = [h.split("#")[0] for h in _start_here(html)]
    nav = _nav_section(html, section)
    assert len(start) >= 10, start
    assert start == nav, f"Start here: {start}\nnavigation: {nav}"
    # the footer's Next walks the same pages, in the same order
    walked, page = [], (home.parent / nav[0]).resolve()
    for _ in range(len(nav) - 1):
        nxt = _next(page)
        assert nxt, f"{page.relative_to(site)} has no Next link"
        page = (page.parent / nxt.split("#")[0]).resolve()
        walked.append(page)
    assert walked == [(home.parent / h).resolve() for h in nav[1:]], \
        f"Next goes {[str(p.relative_to(site)) for p in walked]}"


# ---- formulas ------------------------------------------------------------------------------

_HIDDEN = re.compile(r"<(script|style|pre|code|textarea)\b.*?</\1>|<(div|span) class=\"arithmatex\">.*?</\2>|<[^>]+>",
                     re.S)
_RAW_TEX = re.compile(r"\\\(|\\\)|\\\[|\\\]|\$\$|\\(?:frac|mathbf|mathrm|hat|sum|partial|lVert|top|cdot)\b")


def raw_tex(html: str) -> list[str]:
    """Pieces of TeX in the text a reader sees (outside formulas, code and tags)."""
    article = re.search(r"<article\b.*?</article>", html, re.S)
    text = _HIDDEN.sub(" ", article[0] if article else html)
    return [text[max(0, m.start() - 30):m.end() + 30].replace("\n", " ") for m in _RAW_TEX.finditer(text)]


def test_no_raw_tex_reaches_the_reader(site):
    problems = {}
    for page in _pages(site):
        found = raw_tex(page.read_text(encoding="utf-8"))
        if found:
            problems[str(page.relative_to(site))] = found[:3]
    assert not problems, "\n".join(f"{p}: {f}" for p, f in problems.items())


def test_the_raw_tex_check_sees_a_split_table_cell():
    split = '<article><td>\\(</td><td>x</td><td>\\)</td> <span class="arithmatex">\\(y\\)</span></article>'
    assert raw_tex(split) and not raw_tex('<article><span class="arithmatex">\\(|x|\\)</span></article>')


# ---- from disk, in a browser ---------------------------------------------------------------

@pytest.mark.browser
def test_navigation_and_language_selector_work_from_disk(browser, site):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto((site / "index.html").resolve().as_uri())
        # a navigation link opens a page, not a directory listing
        page.click('nav.md-nav--primary a.md-nav__link[href$="concepts/classification.html"]')
        page.wait_for_load_state()
        assert page.url.endswith("concepts/classification.html") and page.locator("article h1").count() == 1
        # the language selector goes to the twin page, from disk
        href = page.get_attribute('a.md-select__link[hreflang="zh"]', "href")
        page.goto(urljoin(page.url, href))
        assert page.url.endswith("zh/concepts/classification.html"), page.url
        assert page.locator("article h1").count() == 1 and "分类" in page.text_content("article h1")
        href = page.get_attribute('a.md-select__link[hreflang="en"]', "href")
        page.goto(urljoin(page.url, href))
        assert page.url.endswith("/concepts/classification.html") and "/zh/" not in page.url
        # search needs a server: the page says so where the search box is
        page.goto((site / "index.html").resolve().as_uri())
        assert "server" in (page.get_attribute("input.md-search__input", "placeholder") or "")
    finally:
        context.close()


# ---- drawings on a phone -------------------------------------------------------------------

CUE_JS = r"""
() => [...document.querySelectorAll('article .mg-figure .mg-scroll')].filter(box =>
  box.scrollWidth > box.clientWidth + 1).map(box => {
    const fig = box.closest('.mg-figure');
    const cue = fig.querySelector('.mg-cue');
    const shown = cue && getComputedStyle(cue).display !== 'none' && cue.getBoundingClientRect().height > 0;
    return shown ? null : (fig.querySelector('figcaption') || box).textContent.trim().slice(0, 50);
  }).filter(x => x)
"""


@pytest.mark.browser
def test_every_drawing_wider_than_its_box_shows_a_cue_on_a_phone(browser, server, site):  # noqa: F811
    tab = Tab(browser, server, 390)
    missing, wide = {}, 0
    try:
        for path in discover_pages(site):
            tab.page.goto(server + path, wait_until="load")
            wide += tab.page.evaluate("() => [...document.querySelectorAll('article .mg-scroll')]"
                                      ".filter(b => b.scrollWidth > b.clientWidth + 1).length")
            found = tab.page.evaluate(CUE_JS)
            if found:
                missing[path or "(home)"] = found
    finally:
        tab.close()
    assert wide > 5, f"only {wide} drawings wider than a phone's column: is the check looking?"
    assert not missing, "drawings that scroll without a cue:\n" + "\n".join(f"{p}: {f}" for p, f in missing.items())


from test_docs import server  # noqa: E402,F401  (the site served over HTTP: a fixture)


# what the text points to, in view at a desktop width without scrolling the drawing
POINTED_AT = [
    # page, which element: (kind, text it starts with), what the text calls it
    ("concepts/tensors.html", ("edge", "Σ"), "the broadcast edge"),
    ("concepts/graphs.html", ("node", "L"), "the output node L"),
]

IN_VIEW_JS = r"""
([kind, start]) => {
  const hit = [...document.querySelectorAll(`article .mg-figure svg g.${kind}`)].find(g =>
    [...g.querySelectorAll('text')].some(t => t.textContent.trim().startsWith(start)));
  if (!hit) return 'not found';
  const box = hit.closest('.mg-scroll').getBoundingClientRect();
  const r = hit.getBoundingClientRect();
  return r.left >= box.left - 1 && r.right <= box.right + 1 ? 'ok' : `at ${r.left.toFixed(0)}-${r.right.toFixed(0)} px, ` +
    `the box shows ${box.left.toFixed(0)}-${box.right.toFixed(0)} px`;
}
"""


@pytest.mark.browser
@pytest.mark.parametrize("path,target,name", POINTED_AT)
def test_what_the_text_points_to_is_in_view_at_1280(browser, server, path, target, name):  # noqa: F811
    tab = Tab(browser, server, 1280)
    try:
        for lang in ("", "zh/"):
            tab.page.goto(server + lang + path, wait_until="load")
            where = tab.page.evaluate(IN_VIEW_JS, list(target))
            assert where == "ok", f"{lang}{path}: {name} is {where}"
    finally:
        tab.close()
