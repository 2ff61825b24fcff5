"""Shared test set-up: hypothesis profiles, and the built docs site.

``ci`` (the default) is derandomized, so every run draws the same examples and a
failure reproduces; ``thorough`` draws many more for local runs:
``HYPOTHESIS_PROFILE=thorough make test``.
"""

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", derandomize=True, max_examples=150, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The docs site, built once per session (``mkdocs build --strict``, both languages), or
    the directory named by ``MINIGRAD_DOCS_SITE``. test_docs.py and test_i18n.py share it."""
    given = os.environ.get("MINIGRAD_DOCS_SITE")
    if given:
        return Path(given)
    root = Path(__file__).resolve().parents[1]
    if not (root / "docs/assets/katex/katex.min.js").exists():
        pytest.fail("KaTeX is missing from docs/assets/katex: run 'sh scripts/fetch-katex.sh' (make test does)")
    out = tmp_path_factory.mktemp("site")
    # never -q: it drops the warnings that --strict counts
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
                            cwd=root, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    return out


@pytest.fixture
def offline_data(monkeypatch, tmp_path):
    """Only the data files a test writes itself can be found: no ``$MINIGRAD_DATA``, an empty
    per-user cache, and any download attempt fails the test (CI has no network)."""
    monkeypatch.delenv("MINIGRAD_DATA", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))

    def fail(*args, **kwargs):
        raise AssertionError("the tests must not download")
    monkeypatch.setattr("minigrad.datasets._download", fail)


# ---------------------------------------------------------------- the browser tests' set-up
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
# As root headless Chromium needs --no-sandbox; the rest keep it from calling outside hosts.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file server that does not log every request into the test output."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".mjs": "text/javascript", ".wasm": "application/wasm"}

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serving(directory, handler=QuietHandler):
    """Serve ``directory`` on 127.0.0.1 (a free port) in a thread; yields the base URL."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()


def require_chromium():
    """Skip without Chromium, except in CI, where its absence is a set-up failure."""
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed (make test installs Debian's chromium)")
        pytest.skip("Chromium is not installed; 'make test' installs it")


@pytest.fixture(scope="module")  # closed before the next module starts its own Playwright
def browser():
    """Headless Chromium (Debian's, never a downloaded build), one per test module."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
