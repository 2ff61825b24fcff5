"""Graph drawings, the text rendering, the step-by-step trace and the `minigrad graph` CLI."""

import math
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import minigrad
from minigrad import Value, nn, viz
from minigrad.autograd import toposort
from minigrad.testing import numeric_grad
from minigrad.viz import graph as graph_module
from minigrad.viz.demos import DEMOS


def value_ids(svg: str) -> list:
    root = ET.fromstring(svg)
    titles = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
    return [t for t in titles if re.fullmatch(r"n\d+(_op_c\d+)?", t or "")]


@pytest.mark.parametrize("name", list(DEMOS))
def test_dot_names_every_op_and_value_and_svg_has_one_node_per_value(name):
    # one box per value, except a constant: one box per use (issue 18: never merged)
    root = DEMOS[name]()
    order = toposort(root)
    dot = viz.draw(root, show_grad="all")
    names = viz.node_names(order)
    for node in order:
        assert names[node] in dot.source
        if node._op is not None:
            assert f'label={node.op}' in dot.source or f'label="{node.op}"' in dot.source
    assert sorted(value_ids(viz.to_svg(dot))) == _expected_ids(root)


def _is_constant(n) -> bool:
    """A number written in an expression: a leaf with no gradient, no label, one number."""
    return n._op is None and not n.requires_grad and not n.label and np.ndim(np.asarray(n.data)) == 0


def _expected_ids(root) -> list:
    """The SVG ids of the value boxes: one per value, and one per use of a constant."""
    order = toposort(root)
    ids = {node: f"n{i}" for i, node in enumerate(order)}
    expected = [ids[n] for n in order if n is root or not _is_constant(n)
                or not any(p is n for m in order for p in m._parents)]
    expected += [f"{ids[m]}_op_c{j}" for m in order for j, p in enumerate(m._parents)
                 if p is not root and _is_constant(p)]
    return sorted(expected)


@pytest.mark.parametrize("engine", ["Value", "Tensor"])
def test_every_use_of_a_constant_is_its_own_box_with_no_gradient_note(engine):
    # x ** 2 + y ** 2 and mean's divisor: the engine shares one interned 2 (Tensor), the drawing
    # shows three, and none says "grads add up" (a constant gets no gradient)
    make = (lambda v, n: Value(v, label=n)) if engine == "Value" else (
        lambda v, n: minigrad.tensor([v, v], requires_grad=True, label=n))
    x, y = make(1.0, "x"), make(3.0, "y")
    out = x ** 2 + y ** 2
    out = out / 2 if engine == "Value" else out.mean()
    out.backward()
    src, text = viz.draw(out).source, viz.to_text(out)
    assert src.count("[constant]") == 3 and "grads add up" not in src
    assert text.count("[constant]") == 3 and "pow(x, 2)" in text and "pow(y, 2)" in text


# plain-float forwards of the ops the neuron uses: replaying its graph with one leaf nudged gives
# finite differences that share no code with the engine's forwards or gradient rules
_FLOAT_OPS = {"add": lambda a, b: a + b, "mul": lambda a, b: a * b, "tanh": math.tanh}


def _replay(order, leaf, value) -> float:
    """The root's number with ``leaf`` set to ``value``, every op recomputed on floats."""
    vals = {}
    for node in order:
        vals[node] = (value if node is leaf else node.data) if not node._parents else \
            _FLOAT_OPS[node.op](*(vals[p] for p in node._parents))
    return vals[order[-1]]


def test_the_neuron_draws_its_data_as_inputs_and_its_shared_parameter_gets_both_shares():
    root = DEMOS["neuron"]()
    order = toposort(root)
    by_name = {n.label: n for n in order if n.label}
    x1, x2 = by_name["x1"], by_name["x2"]
    assert not x1.requires_grad and not x2.requires_grad
    assert viz.kind_of(x1, root) == viz.kind_of(x2, root) == "input"
    src, text = viz.draw(root).source, viz.to_text(root)
    assert "x1  [input]" in src and "x2  [input]" in src and src.count("shape=note") == 2 + 1  # + the legend's key
    assert "x1   [input]" in text and "x2   [input]" in text and "[parameter]" in text
    legend = src[src.index("cluster_legend"):]
    assert re.findall(r"legend_(\w+) \[label", legend) == ["parameter", "input", "output"]  # the kinds present, no other
    # the node used twice is a parameter now, and its two shares (one per use) add up
    users = {n: sum(p is n for m in order for p in m._parents) for n in order}
    (shared,) = [n for n in order if users[n] == 2]
    assert shared.requires_grad and viz.kind_of(shared, root) == "parameter" and "grads add up" in src
    trace = viz.backward_trace(root)
    shares = [float(c) for s in trace.steps for p, c in s.contributions if p is shared]
    assert len(shares) == 2 and all(shares)
    numeric = numeric_grad(lambda v: _replay(order, shared, float(v[0])), np.array([shared.data]))[0]
    assert sum(shares) == pytest.approx(numeric, rel=1e-7)
    assert all(p not in (x1, x2) for s in trace.steps for p, _ in s.contributions)  # inputs get nothing
    root.backward()
    assert shared.grad == pytest.approx(numeric, rel=1e-7) and x1.grad == x2.grad == 0.0


@pytest.mark.parametrize("engine", ["Value", "Tensor"])
def test_a_leaf_without_gradient_is_an_input_when_named_or_an_array_and_a_constant_when_a_bare_number(engine):
    # one rule for both engines: a constant is drawn as its number at each use; data is drawn once
    if engine == "Value":
        leaf = lambda v, label="": Value(v, label=label, requires_grad=False)  # noqa: E731
        w = Value(0.5, label="w")
        cases = [(leaf(3.0, "x"), "input"), (leaf(3.0), "constant")]
    else:
        leaf = lambda v, label="": minigrad.tensor(v, label=label)  # noqa: E731
        w = minigrad.tensor(0.5, requires_grad=True, label="w")
        cases = [(leaf(3.0, "x"), "input"), (leaf(3.0), "constant"), (leaf([1.0, 2.0]), "input")]
    for x, kind in cases:
        out = x * w + x
        assert viz.kind_of(x, out) == kind and viz.kind_of(w, out) == "parameter"
        ids = value_ids(viz.to_svg(viz.draw(out)))
        assert sorted(ids) == _expected_ids(out)
        drawn = sum(1 for i in ids if i.endswith(("_c0", "_c1")))
        assert drawn == (2 if kind == "constant" else 0)  # a number: a box per use; data: one box
        assert "grads add up" not in viz.draw(out).source  # no gradient reaches x, nothing adds up
        text = viz.to_text(out)
        assert text.count(f"[{kind}]") == (2 if kind == "constant" else 1)


def test_scalar_drawing_shows_data_and_grad():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b + a
    c.backward()  # a plain backward keeps what a drawing needs
    src = viz.draw(c).source
    assert "data -4" in src and "grad -2" in src and "grad 2" in src  # dc/da = b + 1, dc/db = a


def test_broadcast_annotated_exactly_where_shapes_were_reduced():
    src = viz.draw(DEMOS["linreg"](), show_grad="all").source
    annotations = re.findall(r"Σ axis [^\"]*", src)
    assert annotations == ["Σ axis 0: (4, 1) → (1,)"]  # b only; w's matmul and constants are not
    x = minigrad.tensor(np.ones((3, 2)), requires_grad=True)
    assert "Σ" not in viz.draw((x * x).sum()).source


def test_fan_out_nan_flags_and_the_cap():
    x = minigrad.tensor([0.0, 1.0], requires_grad=True)
    src = viz.draw((x * x + x).sum(), show_grad="all").source
    assert "used 3 times: grads add up" in src  # x feeds mul (twice) and add
    assert "NaN/inf" in viz.draw(x.log().sum()).source
    y = Value(1.0)
    for _ in range(50):
        y = y * 1.01
    capped = viz.draw(y, max_nodes=10).source
    assert "… 91 more values" in capped and capped.count("shape=box") <= 10 + 1 + 4  # +more +legend


def test_module_ops_are_grouped_in_a_cluster():
    net = nn.Sequential(nn.Linear(3, 2))
    src = viz.draw(net(minigrad.ones(4, 3)).sum()).source
    assert "cluster_" in src and "Linear(in_features=3, out_features=2, bias=True)" in src


def test_text_rendering_shows_shared_values_once():
    x = Value(0.5, label="x")
    y = (x * x).tanh()
    y.backward()
    text = viz.to_text(y)
    assert text.count("x   [parameter]") == 1 and "(shown above)" in text


@pytest.mark.parametrize("name", list(DEMOS))
def test_trace_is_reverse_topological_and_matches_backward(name):
    root = DEMOS[name]()
    trace = viz.backward_trace(root)
    order = toposort(root)
    position = {node: i for i, node in enumerate(order)}
    visited = [position[s.node] for s in trace.steps]
    assert visited == sorted(visited, reverse=True)
    assert all(s.rule for s in trace.steps)  # each step names its derivative rule
    leaves = [n for n in order if not n._parents and n.requires_grad]
    root.backward()
    for leaf in leaves:
        np.testing.assert_allclose(trace.grads[leaf], leaf.grad, rtol=1e-6)
    last = {}
    for s in trace.steps:
        last.update(s.accumulated)
    for leaf in leaves:
        np.testing.assert_allclose(last[leaf], leaf.grad, rtol=1e-6)


def test_trace_frames_and_html_page(tmp_path):
    trace = viz.backward_trace(DEMOS["neuron"]())
    frames = trace.frames()
    assert len(frames) == len(trace.steps) and all('color="#d32f2f"' in f.source for f in frames)
    page = trace.to_html(tmp_path / "t.html")
    assert page.count('<section class="frame"') == len(trace.steps) and "<script>" in page
    assert "http" not in page.replace("http://www.w3.org", "")  # self-contained
    md = trace.table(markdown=True)
    assert md.splitlines()[0].startswith("| step") and len(md.splitlines()) == len(trace.steps) + 2


def run_cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "minigrad", *args], capture_output=True, text=True, env=env)


def test_cli_renders_every_demo(tmp_path):
    result = run_cli("graph", "--all", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    for name in DEMOS:
        ET.parse(tmp_path / f"{name}.svg")
        assert (tmp_path / f"{name}_trace.html").stat().st_size > 1000
    for fmt in ("png", "pdf", "dot", "txt"):
        out = tmp_path / f"neuron.{fmt}"
        assert run_cli("graph", "neuron", "--format", fmt, "--out", str(out)).returncode == 0
        assert out.stat().st_size > 100
    frames = tmp_path / "frames"
    assert run_cli("graph", "expression", "--trace", "--format", "svg", "--out", str(frames)).returncode == 0
    assert len(list(frames.glob("step_*.svg"))) == 3


def test_cli_user_function_and_errors(tmp_path):
    f = tmp_path / "mine.py"
    f.write_text("from minigrad import Value\ndef build():\n    x = Value(2.0, label='x')\n    return (x * x).exp()\n"
                 "def not_a_graph():\n    return 3\n")
    out = tmp_path / "mine.svg"
    assert run_cli("graph", f"{f}:build", "--out", str(out)).returncode == 0 and out.exists()
    bad = run_cli("graph", f"{f}:not_a_graph", "--out", str(out))
    assert bad.returncode != 0 and "must return a Value or a Tensor" in bad.stderr
    assert "has no function" in run_cli("graph", f"{f}:nope").stderr
    assert run_cli("explain", "log_softmax_typo").returncode != 0
    assert "tanh" in run_cli("explain", "tanh").stdout and "logsumexp" in run_cli("ops").stdout


def test_missing_dot_still_draws_and_rendering_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no 'dot' anywhere on it
    monkeypatch.setattr(graph_module, "graphviz_pure", lambda: None)  # nor graphviz-pure beside Python
    dot = viz.draw(DEMOS["expression"]())
    assert "digraph" in dot.source
    with pytest.raises(RuntimeError, match=r"minigrad\[draw\]"):
        viz.to_svg(dot)
    with pytest.raises(RuntimeError, match="apt-get install graphviz"):
        viz.render(dot, tmp_path / "x.svg")
    with pytest.raises(RuntimeError, match="'dot' program"):
        viz.to_svg(dot)
    assert not (tmp_path / "x.svg").exists() and not (tmp_path / "x.svg.part").exists()


def test_show_grad_all_after_backward_explains_what_to_do():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    loss = (x * x).sum()
    loss.backward(retain_graph=True)
    assert "grad [2, 4]" in viz.draw(loss).source  # the leaf's stored gradient
    loss = (x * x).sum()
    loss.backward()  # frees the graph
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        viz.draw(loss, show_grad="all")  # gradients of every node need the saved values
    if not loss._parents:  # the core let go of the parents too: a drawing would be one lone box
        for show in (viz.draw, viz.to_text):
            with pytest.raises(RuntimeError, match="retain_graph=True"):
                show(loss)
    else:
        assert "mul" in viz.draw(loss).source


# ---------------------------------------------------------------- readable figures (issue 11 §1)

def _figure_parts(html):
    import base64

    style = re.search(r'<svg style="([^"]*)"', html).group(1)
    px = {k: float(v) for k, v in re.findall(r"(min-width|width):([\d.]+)px", style)}
    data = re.search(r'href="data:image/svg\+xml;base64,([^"]+)"', html)
    return px, (base64.b64decode(data.group(1)).decode() if data else None)


def test_figure_never_shrinks_labels_below_the_floor_and_links_the_full_svg():
    dot = viz.draw(DEMOS["softmax"](), show_grad="all")
    svg = viz.to_svg(dot)
    natural = float(re.search(r'width="([\d.]+)pt"', svg).group(1)) * 4 / 3  # CSS px
    smallest = min(float(s) for s in re.findall(r'font-size="([\d.]+)"', svg)) * 4 / 3
    html = viz.figure(dot, caption="softmax <regression>")
    px, full = _figure_parts(html)
    assert px["width"] == pytest.approx(natural, abs=1)  # shown at its own size when it fits...
    assert px["min-width"] / natural * smallest >= 10.5 - 0.01  # ...and never shrunk below 10.5 px labels
    assert full == svg  # the link holds the full-size drawing, byte for byte
    assert "softmax &lt;regression&gt;" in html and 'download="softmax-regression.svg"' in html
    assert html.startswith('<figure class="mg-figure"><div class="mg-scroll"') and html._repr_html_() == html


def test_figure_enlarges_tiny_labels_and_reads_every_svg_size_unit():
    tiny = '<svg width="200pt" height="20pt" viewBox="0 0 200 20"><text font-size="4">x</text></svg>'
    px, _ = _figure_parts(viz.figure(tiny, link=False))
    # 4 pt = 5.33 px labels: enlarged to 10.5 px, i.e. by 10.5 / 5.33
    assert px["width"] == pytest.approx(200 * 4 / 3 * 10.5 / (4 * 4 / 3), abs=1) == px["min-width"]
    no_box = viz.figure('<svg width="300" height="30"><text font-size="20">big</text></svg>', link=False)
    assert 'viewBox="0 0 300 30"' in no_box and _figure_parts(no_box)[0]["width"] == 300
    with pytest.raises(TypeError, match="graphviz graph, a matplotlib Figure or SVG text"):
        viz.figure(42)
    with pytest.raises(ValueError, match="no <svg>"):
        viz.figure("<p>not a drawing</p>")


def test_figure_of_a_matplotlib_figure_has_real_text_and_leaves_rcparams_alone():
    matplotlib = pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3, 2))
    ax = fig.subplots()
    ax.plot([0, 1], [1, 0])
    ax.set_xlabel("epoch")
    before = matplotlib.rcParams["svg.fonttype"]
    html = viz.figure(fig, caption="a curve")
    assert matplotlib.rcParams["svg.fonttype"] == before
    assert ">epoch</text>" in html  # measurable, selectable text rather than glyph outlines
    px, full = _figure_parts(html)
    assert px["min-width"] <= px["width"] and full.startswith("<svg")


# ---------------------------------------------------------------- layout and summaries

def test_rankdir_auto_lays_long_chains_top_to_bottom():
    x = Value(1.0, label="x")
    short = x * 2.0
    long = x
    for _ in range(6):
        long = long.tanh()
    assert "rankdir=LR" in viz.draw(short).source and "rankdir=TB" in viz.draw(long).source
    assert "rankdir=LR" in viz.draw(long, rankdir="LR").source
    with pytest.raises(ValueError, match="rankdir must be"):
        viz.draw(short, rankdir="sideways")


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # log of 0 and of -1, on purpose
def test_summaries_and_text_drawings_show_nan_and_inf():
    a = np.array([1.0, np.nan, 3.0, np.inf, -np.inf, np.nan, 5.0])
    assert viz.summary(a) == "mean 3, min 1, max 5; 2 NaN, 1 inf, 1 -inf"
    assert viz.summary(np.full(8, np.nan)) == "no finite entry: 8 NaN"
    assert viz.summary(np.array([np.nan, 1.0])) == "[nan, 1]"  # small arrays: every value
    assert viz.summary(minigrad.tensor([0.5, 2.0], requires_grad=True)) == "[0.5, 2]"  # a Tensor reads detached
    x = minigrad.tensor(np.array([1.0, 0.0, -1.0, 2.0, 3.0, 4.0, 5.0]), requires_grad=True, label="x")
    y = x.log().sum()
    text = viz.to_text(y, grads=viz.compute_grads(y))
    assert "1 NaN" in text and "1 -inf" in text and "⚠ NaN/inf" in text


# ---------------------------------------------------------------- the standalone trace (issue 11 §2)

def test_trace_page_typesets_its_rules_as_mathml():
    pytest.importorskip("latex2mathml")
    trace = viz.backward_trace(DEMOS["neuron"]())
    page = trace.to_html()
    assert page.count('<div class="rule"><math') == len(trace.steps)
    assert "\\frac" not in page and "latex2mathml" not in page  # no raw LaTeX, no install hint
    assert page.count('<figure class="mg-figure">') == len(trace.steps)  # readable size, scroll, zoom
    assert 'id="fit"' in page and "rankdir" not in page


def test_trace_page_without_latex2mathml_shows_the_source_and_says_how(monkeypatch):
    monkeypatch.setitem(sys.modules, "latex2mathml", None)  # as if not installed
    monkeypatch.setitem(sys.modules, "latex2mathml.converter", None)
    page = viz.backward_trace(DEMOS["expression"]()).to_html()
    assert "<math" not in page and "<code>\\frac" in page and "pip install latex2mathml" in page


# ---------------------------------------------------------------- CLI and files (issue 9 item 15)

def test_cli_picks_the_format_from_the_suffix(tmp_path):
    magic = {"png": b"\x89PNG", "pdf": b"%PDF", "svg": b"<?xml", "dot": b"digraph"}
    for fmt, head in magic.items():
        out = tmp_path / f"loss.{fmt}"
        result = run_cli("graph", "neuron", "--out", str(out))
        assert result.returncode == 0, result.stderr
        assert out.read_bytes().startswith(head), fmt
    assert "x1" in (run_cli("graph", "neuron", "--out", str(tmp_path / "n.txt")) and (tmp_path / "n.txt").read_text())
    assert run_cli("graph", "neuron", "--trace", "--out", str(tmp_path / "t.html")).returncode == 0
    assert (tmp_path / "t.html").read_text().startswith("<!doctype html>")


@pytest.mark.parametrize("args, status, message", [
    (["neuron", "--format", "svg", "--out", "{tmp}/x.png"], 2, "does not match the suffix"),
    (["neuron", "--out", "{tmp}/x.jpg"], 2, "cannot tell a format from the suffix"),
    (["{tmp}/mine.py:needs_args"], 2, "needs the argument(s) x, y"),
    (["{tmp}/mine.py:CONSTANT"], 2, "is not a function"),
    (["{tmp}/mine.py:nope"], 2, "has no function 'nope'"),
    (["nueron"], 2, "unknown demo 'nueron'"),
    (["neuron", "--out", "{tmp}/mine.py/x.svg"], 1, "is a file, not a folder"),
    (["neuron", "--trace", "--out", "{tmp}/t.svg"], 2, "give a folder"),
    (["neuron", "--out", "{tmp}/adir"], 1, "cannot write"),
])
def test_cli_mistakes_give_one_clear_line_and_leave_nothing(tmp_path, args, status, message):
    (tmp_path / "mine.py").write_text("CONSTANT = 3\ndef needs_args(x, y, z=1):\n    return x\n")
    (tmp_path / "adir").mkdir()
    before = sorted(tmp_path.rglob("*"))
    result = run_cli("graph", *[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert result.returncode == status, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert sorted(p for p in tmp_path.rglob("*") if "__pycache__" not in p.parts) == before  # no file, no .part


def test_a_failed_render_leaves_no_part_file(tmp_path, monkeypatch):
    import os

    dot = viz.draw(DEMOS["expression"]())
    (tmp_path / "adir.svg").mkdir()
    with pytest.raises(IsADirectoryError):
        viz.render(dot, tmp_path / "adir.svg")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space left"):
        viz.render(dot, tmp_path / "x.png")
    with pytest.raises(OSError, match="No space left"):
        viz.backward_trace(DEMOS["expression"]()).to_html(tmp_path / "t.html")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adir.svg"]


def test_render_refuses_a_suffix_that_contradicts_the_format(tmp_path):
    dot = viz.draw(DEMOS["expression"]())
    with pytest.raises(ValueError, match="does not match the suffix"):
        viz.render(dot, tmp_path / "x.png", format="svg")
    with pytest.raises(ValueError, match="cannot tell a format"):
        viz.render(dot, tmp_path / "x.jpeg")
    assert viz.render(dot, tmp_path / "noext") and (tmp_path / "noext").read_bytes().startswith(b"<?xml")
    assert not list(tmp_path.glob("*.part"))


def test_no_broadcast_note_on_ops_that_do_not_broadcast():
    col = minigrad.tensor(np.ones((4, 1)), requires_grad=True)
    row = minigrad.tensor(np.ones((1, 4)), requires_grad=True)
    # an outer product's output has the broadcast shape of its inputs, but nothing was broadcast
    assert "Σ" not in viz.draw((col @ row).sum()).source
    v = minigrad.tensor(np.ones(4), requires_grad=True)
    assert "Σ" not in viz.draw(v.reshape(1, 4).sum()).source
    assert "Σ axis 0: (3, 4) → (4,)" in viz.draw((minigrad.ones(3, 4) * v).sum()).source


# ---- graphviz-pure: drawing where Graphviz's `dot` is not installed (the `draw` extra) ----------

@pytest.fixture(scope="module")
def graphviz_pure_program(tmp_path_factory, request):
    """The graphviz-pure program: already installed, or pip-installed once into pytest's cache
    (not into the environment). Skips when it cannot be had (offline, no wheel for this platform)."""
    found = viz.graphviz_pure()
    if found:
        return found
    import shutil

    cache = getattr(request.config, "cache", None)  # None under -p no:cacheprovider
    target = cache.mkdir("graphviz-pure") if cache is not None else tmp_path_factory.mktemp("graphviz-pure")
    for folder in ("bin", "Scripts"):
        found = shutil.which("graphviz-pure", path=str(target / folder))
        if found:
            return found
    result = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                             "graphviz-pure>=0.2.2"], capture_output=True, text=True, timeout=300)
    for folder in ("bin", "Scripts"):
        found = shutil.which("graphviz-pure", path=str(target / folder))
        if found:
            return found
    pytest.skip("graphviz-pure could not be installed here (pip install graphviz-pure): "
                + (result.stderr.strip().splitlines() or ["no program after install"])[-1])


def test_without_dot_graphviz_pure_draws_renders_and_displays(graphviz_pure_program, tmp_path, monkeypatch):
    import os
    import shutil

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    os.symlink(graphviz_pure_program, bin_dir / "graphviz-pure")
    monkeypatch.setenv("PATH", str(bin_dir))  # graphviz-pure, and no `dot`
    assert shutil.which("dot") is None and viz.graphviz_pure() == str(bin_dir / "graphviz-pure")
    root = DEMOS["softmax"]()
    dot = viz.draw(root, show_grad="all")
    svg = viz.to_svg(dot)
    assert sorted(value_ids(svg)) == _expected_ids(root)  # every value drawn
    assert "(graphviz-pure)" in viz.pipe(dot, "svg", "utf-8")  # its "Generated by" comment: it drew this
    assert viz.render(dot, tmp_path / "g.png") and (tmp_path / "g.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in dot._repr_mimebundle_()["image/svg+xml"]  # Jupyter's display of draw(...)
    assert "mg-figure" in viz.figure(dot, caption="softmax")
    assert viz.pipe(dot, "svg", "utf-8", engine="neato").lstrip().startswith("<?xml")  # -K goes through too
    with pytest.raises(RuntimeError, match="cannot write 'pdf'"):  # graphviz-pure writes no PDF yet
        viz.render(dot, tmp_path / "g.pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin", "g.png"]  # no .part left


def test_graphviz_pure_is_found_beside_an_unactivated_venv_python(tmp_path, monkeypatch):
    import os
    import sysconfig

    scripts = tmp_path / "venv-bin"
    scripts.mkdir()
    program = scripts / "graphviz-pure"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(sysconfig, "get_path", lambda name: str(scripts))
    assert viz.graphviz_pure() == str(program)
    monkeypatch.setattr(sysconfig, "get_path", lambda name: str(tmp_path / "elsewhere"))
    monkeypatch.setattr(sys, "executable", str(tmp_path / "elsewhere" / "python"))
    assert viz.graphviz_pure() is None
    assert os.path.exists(program)


def test_real_dot_is_preferred_to_graphviz_pure(monkeypatch):
    import shutil

    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed here")
    monkeypatch.setattr(graph_module, "graphviz_pure", lambda: pytest.fail("graphviz-pure used while dot exists"))
    assert "graphviz-pure" not in viz.to_svg(viz.draw(DEMOS["expression"]()))
