"""Graph drawings, the text rendering, the step-by-step trace and the `minigrad graph` CLI."""

import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import minigrad
from minigrad import Value, nn, viz
from minigrad.autograd import toposort
from minigrad.viz.demos import DEMOS


def value_ids(svg: str) -> list:
    root = ET.fromstring(svg)
    titles = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
    return [t for t in titles if re.fullmatch(r"n\d+", t or "")]


@pytest.mark.parametrize("name", list(DEMOS))
def test_dot_names_every_op_and_value_and_svg_has_one_node_per_value(name):
    root = DEMOS[name]()
    order = toposort(root)
    dot = viz.draw(root, show_grad="all")
    names = viz.node_names(order)
    for node in order:
        assert names[node] in dot.source
        if node._op is not None:
            assert f'label={node.op}' in dot.source or f'label="{node.op}"' in dot.source
    assert sorted(value_ids(viz.to_svg(dot))) == sorted(f"n{i}" for i in range(len(order)))


def test_scalar_drawing_shows_data_and_grad():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b + a
    c.backward()
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
    dot = viz.draw(DEMOS["expression"]())
    assert "digraph" in dot.source
    with pytest.raises(RuntimeError, match="apt-get install graphviz"):
        viz.render(dot, tmp_path / "x.svg")
    with pytest.raises(RuntimeError, match="'dot' program"):
        viz.to_svg(dot)
    assert not (tmp_path / "x.svg").exists() and not (tmp_path / "x.svg.part").exists()


def test_show_grad_all_after_backward_explains_what_to_do():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    loss = (x * x).sum()
    loss.backward()
    assert "grad [2, 4]" in viz.draw(loss).source  # the leaf's stored gradient
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        viz.draw(loss, show_grad="all")
