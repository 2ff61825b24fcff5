"""The Play page (docs/play.md): minigrad's scalar engine, without NumPy, in the reader's browser.

Three layers: the scalar engine, its drawing and trace and the finite-difference routine
import and run in a CPython that refuses NumPy; the page's Python (``docs/hooks/minigrad_play.py``)
gives CPython minigrad's gradients and readable errors; and in headless Chromium the built page,
served from 127.0.0.1, runs three programs (one with an error) with no request leaving the server.

Set ``MINIGRAD_DOCS_SITE`` to a built site to skip the build (see tests/conftest.py).
"""

import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import serving

from minigrad import Value

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs/hooks"))
import minigrad_play  # noqa: E402


NO_NUMPY = r"""
import sys
class NoNumpy:
    def find_spec(self, name, path=None, target=None):
        if name == "numpy" or name.startswith("numpy."):
            raise ModuleNotFoundError("No module named 'numpy' (refused by the test)", name="numpy")
sys.meta_path.insert(0, NoNumpy())
"""

# The page's three programs: the starter, one with a shared value, a constant and a loop, and an error.
PROGRAMS = [
    minigrad_play.STARTER,
    "x = Value(0.5); w = Value(-1.5)\nh = x * w\nfor k in range(3):\n    h = (h + x).sigmoid() * 2.0 - w ** 2\nL = h.exp() / (x + 3)",
    "a = Value(1.0)\nb = a * c  # c is never defined\nL = b.tanh()",
]


def cpython_grads(code: str) -> dict:
    """Each named Value's gradient by CPython minigrad's own backward(), named as the page names them."""
    ns = {"Value": Value, "math": math}
    exec(code, ns)
    name, root = minigrad_play._output(ns)
    root.backward()
    return {k: v.grad for k, v in ns.items() if isinstance(v, Value) and not k.startswith("_")}


# --------------------------------------------------------------- no NumPy

def test_scalar_engine_drawing_trace_and_differences_run_without_numpy():
    code = NO_NUMPY + r"""
import minigrad.scalar
from minigrad import Value, viz
from minigrad.gradcheck import numeric_grad
a = Value(2.0, label="a"); b = Value(-3.0, label="b"); L = (a * b + a).tanh(); L.label = "L"
dot = viz.draw(L, show_grad="all").source
trace = viz.backward_trace(L)
print(json.dumps({"numpy": "numpy" in sys.modules, "dot": dot, "steps": [s.name for s in trace.steps],
                  "text": viz.to_text(L, grads=trace.grads), "table": trace.table(),
                  "grads": [float(trace.grads[a]), float(trace.grads[b])],
                  "numeric": numeric_grad(lambda v: math.tanh(v[0] * v[1] + v[0]), [2.0, -3.0])}))
import minigrad
try:
    minigrad.Tensor
except ImportError as err:
    print(err)
from minigrad.gradcheck import gradcheck
try:
    gradcheck(lambda x: x, [a])
except ImportError as err:
    print(err)
"""
    out = subprocess.run([sys.executable, "-c", "import json, math\n" + code], capture_output=True, text=True,
                         cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr
    first, message = out.stdout.splitlines()[0], "\n".join(out.stdout.splitlines()[1:])
    got = json.loads(first)
    assert got["numpy"] is False
    assert got["steps"] == ["L", "v3", "v2"]
    # the same drawing as with NumPy (this process has it)
    from minigrad import viz
    a = Value(2.0, label="a"); b = Value(-3.0, label="b"); L = (a * b + a).tanh(); L.label = "L"
    assert got["dot"] == viz.draw(L, show_grad="all").source
    assert got["text"] == viz.to_text(L, grads=viz.compute_grads(L))
    assert got["table"] == viz.backward_trace(L).table()
    L.backward()
    assert got["grads"] == [a.grad, b.grad]
    assert got["numeric"] == pytest.approx([a.grad, b.grad], abs=1e-8)
    assert "minigrad.Tensor needs NumPy" in message and "Value" in message
    assert "gradcheck checks tensors and needs NumPy" in message


def test_anomaly_check_of_a_value_without_numpy():
    code = NO_NUMPY + r"""
import minigrad
from minigrad import Value
with minigrad.detect_anomaly():
    try:
        Value(0.0).log()
    except FloatingPointError as err:
        print(err)
print("numpy" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:2] == ["detect_anomaly: forward of 'log' produced -inf (input shapes: ())", "False"]


def test_the_zip_holds_what_the_page_imports():
    import zipfile

    import play

    names = [n for n, _ in play.module_files()]
    assert "minigrad_play.py" in names and "minigrad/scalar.py" in names and "graphviz/__init__.py" in names
    assert "minigrad/tensor.py" not in names  # the tensor engine needs NumPy: not loaded, not shipped


# --------------------------------------------------------------- the page's Python, in CPython

def test_page_module_doctests():
    import doctest

    assert doctest.testmod(minigrad_play).failed == 0


@pytest.mark.parametrize("code", PROGRAMS[:2])
def test_page_gradients_equal_cpython_backward(code):
    got = json.loads(minigrad_play.run(code))
    assert got["ok"], got
    shown = {n["name"]: n["grad"] for n in got["nodes"]}
    expected = cpython_grads(code)
    for name, grad in expected.items():
        if name in shown:
            assert shown[name] == grad, name
    assert {"x", "w"} <= set(shown) or {"a", "b"} <= set(shown)
    assert got["gradcheck"]["ok"] and got["gradcheck"]["rows"]
    # every op node is a step; every node that needs a gradient is a step or receives in one
    visited = {s["name"] for s in got["steps"]} | {x["name"] for s in got["steps"] for x in s["sends"]}
    assert visited == {n["name"] for n in got["nodes"] if n["kind"] != "constant"}


def test_page_step_local_derivative_times_arriving_is_sent_and_sums_add_up():
    got = json.loads(minigrad_play.run("x = Value(3.0)\ny = x * x - x\nL = y.tanh()"))
    totals = {}
    for s in got["steps"]:
        for x in s["sends"]:
            assert x["sent"] == pytest.approx(s["upstream"] * x["local"])
            totals[x["name"]] = totals.get(x["name"], 0.0) + x["sent"]
            assert x["sum"] == pytest.approx(totals[x["name"]])
    assert totals["x"] == pytest.approx(cpython_grads("x = Value(3.0)\ny = x * x - x\nL = y.tanh()")["x"])


def test_page_gradcheck_catches_a_wrong_rule(monkeypatch):
    from minigrad.registry import REGISTRY

    spec = REGISTRY["tanh"]
    monkeypatch.setattr(spec, "scalar_vjp", lambda g, x, out: (g * (1.0 + out * out),))  # the sign flipped
    got = json.loads(minigrad_play.run(minigrad_play.STARTER))
    assert got["ok"] and not got["gradcheck"]["ok"]


@pytest.mark.parametrize("code, message", [
    (PROGRAMS[2], "line 2: NameError: name 'c' is not defined"),
    ("a = Value(1.0) +", "line 1: SyntaxError"),
    ("x = 3", "computed no Value"),
    ("a = Value(2.0)\nL = a * a\nL.backward()", "already ran"),
    ("L = Value('2')", "line 1: TypeError: Value(data) needs a real number"),
    ("raise SystemExit(3)", "line 1: SystemExit: 3"),
])
def test_page_errors_are_readable(code, message):
    got = json.loads(minigrad_play.run(code))
    assert not got["ok"] and message in got["error"], got


def test_page_printed_output_is_returned():
    got = json.loads(minigrad_play.run("a = Value(2.0)\nprint('hello', a.data)\nL = a * 3"))
    assert got["printed"] == "hello 2.0\n"
    many = json.loads(minigrad_play.run("for i in range(10**5):\n    print(i)\nL = Value(1.0) * 2"))
    assert len(many["printed"]) < minigrad_play.MAX_PRINTED + 100 and "more characters not shown" in many["printed"]


# --------------------------------------------------------------- in Chromium

@pytest.fixture(scope="module")
def play_server(site):
    if not (site / "assets/play-vendor/pyodide/pyodide.asm.wasm").exists():
        pytest.fail("Pyodide is missing from the built site: run 'sh scripts/fetch-play.sh' (make test does)")

    with serving(site) as url:
        yield url




def _open(browser, url, width=1280):
    """A tab whose requests may only go to the local server; returns (page, log of problems, requests)."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    problems, requests = [], []
    local = url.split("/")[2] if url.startswith("http") else None

    def route(r):
        u = r.request.url
        if u.startswith(("data:", "blob:")) or (u.startswith("file:") and not local) or (
                local and u.split("/")[2] == local):
            requests.append(u)
            return r.continue_()
        problems.append(f"request leaving the local server: {u}")
        return r.abort()

    context.route("**/*", route)
    page.on("pageerror", lambda e: problems.append(f"JavaScript error: {e}"))
    page.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text}"))
    page.on("worker", lambda w: w.on("console", lambda m: m.type == "error" and problems.append(
        f"worker console error: {m.text}")))
    page.goto(url)
    return page, problems, requests


def _run(page, code: str, runs_before: int, timeout_s: float = 240):
    page.fill("#mg-play-code", code)
    page.click("#mg-play-run")
    page.wait_for_function(f"(document.getElementById('mg-play').dataset.runs || '0') === '{runs_before + 1}'",
                           timeout=timeout_s * 1000)
    return page.get_attribute("#mg-play", "data-state")


def _shown_grads(page) -> dict:
    return page.eval_on_selector_all("#mg-play-nodes tbody tr", """rows => Object.fromEntries(rows.map(r =>
        [r.dataset.node, r.cells[3].dataset.value === undefined ? null : Number(r.cells[3].dataset.value)]))""")


def _walk_steps(page) -> list:
    """Press Next through every step; the node and inputs each step shows."""
    seen = []
    while True:
        step = page.eval_on_selector("#mg-play-step", "s => [s.dataset.node, JSON.parse(s.dataset.inputs)]")
        seen.append(step)
        assert page.locator("#mg-play-step-graph svg").count() == 1  # the step's own drawing
        if page.is_disabled("#mg-play-next"):
            return seen
        page.click("#mg-play-next")


@pytest.mark.browser
def test_play_page_runs_three_programs_offline(browser, play_server, site):
    page, problems, requests = _open(browser, play_server + "play.html")
    try:
        time.sleep(0.5)
        assert not any("play-vendor" in u or u.endswith(".zip") for u in requests), "loaded before the click"
        status = page.text_content("#mg-play-status")
        mb = page.get_attribute("#mg-play", "data-download-mb")
        assert float(mb) > 1 and mb in status
        # 1. the starter: time to the first result, printed (run pytest with -s to see it)
        t0 = time.perf_counter()
        assert _run(page, PROGRAMS[0], 0) == "ok", page.text_content("#mg-play-error")
        wall = time.perf_counter() - t0
        print(f"\nPlay page: first result {page.get_attribute('#mg-play', 'data-first-result-seconds')} s "
              f"after the click, as the page measured it ({wall:.1f} s wall clock in the test)")
        fetched = {u for u in requests if "/assets/play" in u or "play-worker" in u}
        on_disk = sum((site / u.split("/", 3)[3]).stat().st_size for u in fetched)
        assert abs(on_disk / 1e6 - float(mb)) < 0.06, (sorted(fetched), on_disk, mb)  # the stated size is what came
        for i, code in enumerate(PROGRAMS[:2]):
            if i:
                assert _run(page, code, i) == "ok", page.text_content("#mg-play-error")
            shown = _shown_grads(page)
            for name, grad in cpython_grads(code).items():
                assert shown[name] == grad, (name, shown[name], grad)
            assert page.locator("#mg-play-graph svg").count() == 1
            assert page.get_attribute("#mg-play-check", "data-ok") == "true"
            steps = _walk_steps(page)
            visited = {n for n, _ in steps} | {x for _, xs in steps for x in xs}
            kinds = page.eval_on_selector_all("#mg-play-nodes tbody tr", "rs => rs.map(r => [r.dataset.node, r.dataset.kind])")
            assert visited == {n for n, k in kinds if k != "constant"}, (visited, kinds)
            assert len(steps) == sum(k in ("result", "output") for _, k in kinds)
        # 3. a Python error: a readable message, and the page still runs code afterwards
        assert _run(page, PROGRAMS[2], 2) == "error"
        assert page.is_visible("#mg-play-error")
        assert "line 2: NameError: name 'c' is not defined" in page.text_content("#mg-play-error-text")
        assert not page.is_visible("#mg-play-result")
        assert _run(page, "a = Value(3.0)\nL = a * a", 3) == "ok"
        assert _shown_grads(page)["a"] == 6.0
        # code that never ends is stopped (here after 3 s, not 20), and the next Run starts Python again
        page.eval_on_selector("#mg-play", "e => e.dataset.runLimitS = '3'")
        assert _run(page, "while True:\n    pass", 4) == "error"
        assert "more than 3 s" in page.text_content("#mg-play-error-text")
        assert _run(page, "a = Value(-1.0)\nL = a.relu() + a * 2", 5) == "ok"
        assert _shown_grads(page)["a"] == 2.0
        assert not problems, problems
    finally:
        page.context.close()


def test_built_site_states_its_sizes(site):
    """Every size placeholder was replaced; the pages state the same numbers; the stated site size
    is the built site's (to the 0.1 MB shown: replacing the placeholders changes it by bytes)."""
    import re

    import play

    for f in list(site.rglob("*.html")) + list(site.rglob("*.json")):
        text = f.read_text(encoding="utf-8", errors="replace")
        assert not any(k in text for k in play.PLACEHOLDERS), f
    total = sum(f.stat().st_size for f in site.rglob("*") if f.is_file()) / 1e6
    for page in ("play.html", "install.html", "zh/play.html", "zh/install.html"):
        text = (site / page).read_text()
        stated = {float(x) for x in re.findall(r"([0-9]+\.[0-9]) MB", text)}
        assert len(stated) == 2 and abs(max(stated) - total) < 0.06, (page, stated, total)


@pytest.mark.browser
def test_play_page_from_a_file_says_it_needs_the_server(browser, site):
    page, problems, requests = _open(browser, (site / "play.html").as_uri())
    try:
        assert page.is_visible("#mg-play-file")
        assert "make serve" in page.text_content("#mg-play-file")
        assert page.is_disabled("#mg-play-run")
        assert not problems, problems
    finally:
        page.context.close()


@pytest.mark.browser
def test_play_page_in_chinese(browser, play_server):
    page, problems, requests = _open(browser, play_server + "zh/play.html", width=390)
    try:
        assert "MB" in page.text_content("#mg-play-status") and "运行" in page.text_content("#mg-play-run")
        assert _run(page, PROGRAMS[0], 0) == "ok", page.text_content("#mg-play-error")
        assert "第一个结果" in page.text_content("#mg-play-status")
        shown = _shown_grads(page)
        for name, grad in cpython_grads(PROGRAMS[0]).items():
            assert shown[name] == grad
        assert "第1步" in page.text_content("#mg-play-pos")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing widens the phone's page
        assert not problems, problems
    finally:
        page.context.close()
