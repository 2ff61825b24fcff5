"""Shared test set-up: hypothesis profiles, and the built docs site.

``ci`` (the default) is derandomized, so every run draws the same examples and a
failure reproduces; ``thorough`` draws many more for local runs:
``HYPOTHESIS_PROFILE=thorough make test``.
"""

import os
import subprocess
import sys
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
