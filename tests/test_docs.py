"""The documentation site: `mkdocs build --strict` passes (every code block on it runs),
and in headless Chromium every page renders its math, shows its figures, raises no
JavaScript error and asks nothing of any other host."""

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)

PAGES_WITH_FIGURES = [
    "concepts/graphs/", "concepts/tensors/", "concepts/trace/", "derivations/softmax/", "derivations/mse/",
    "walkthroughs/linear-regression/", "walkthroughs/softmax-regression/", "experiments/", "gallery/", "",
]
PAGES_WITH_MATH = ["concepts/graphs/", "derivations/softmax/", "derivations/mse/", "derivations/information/",
                   "derivations/table/", "stability/"]
OTHER_PAGES = ["testing/", "pytorch/", "benchmarks/", "api/"]


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    if not (ROOT / "docs/assets/katex/katex.min.js").exists():
        pytest.fail("KaTeX is missing from docs/assets/katex: run 'sh scripts/fetch-katex.sh' (make test does)")
    out = tmp_path_factory.mktemp("site")
    # never -q: it drops the warnings that --strict counts
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
                            cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    return out


def test_mkdocs_build_strict(site):
    assert (site / "index.html").exists() and (site / "derivations/table/index.html").exists()
    table = (site / "derivations/table/index.html").read_text()
    assert "logsumexp" in table and "cross_entropy" in table  # rendered from the registry


@pytest.fixture(scope="session")
def server(site):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *a: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed (make test installs Debian's chromium)")
        pytest.skip("Chromium is not installed; 'make test' installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"])
        yield b
        b.close()


def visit(browser, url):
    """Open a page; return (page, JS errors, requests that went to another host)."""
    page = browser.new_page()
    errors, outside = [], []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    def route(r):
        if r.request.url.startswith(url.split("/", 3)[0] + "//" + url.split("/", 3)[2]) or \
                r.request.url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(url, wait_until="load")
    page.wait_for_timeout(200)
    return page, errors, outside


@pytest.mark.browser
@pytest.mark.parametrize("path", sorted(set(PAGES_WITH_FIGURES + PAGES_WITH_MATH + OTHER_PAGES)))
def test_page_in_chromium(browser, server, path):
    page, errors, outside = visit(browser, server + path)
    assert errors == [], errors
    assert outside == [], outside
    math = page.locator(".arithmatex").count()
    rendered = page.locator(".arithmatex .katex").count()
    assert page.locator(".katex-error").count() == 0
    assert rendered == math, f"{rendered} of {math} formulas rendered"
    if path in PAGES_WITH_MATH:
        assert math > 0
    if path in PAGES_WITH_FIGURES:
        graphs = page.locator("article svg g.node").count()  # graphviz drawings
        plots = page.locator("article svg g[id^='figure']").count()  # matplotlib figures
        assert graphs + plots > 0, "no graph or plot on the page"
    page.close()
