"""Draw a computational graph: values, shapes, gradients, ops, broadcasts and fan-out.

Value nodes are boxes, op nodes are ellipses between them. Colour and shape tell the
kinds of leaves apart (see the legend): parameters (leaves that require grad: green,
bold rounded box), inputs (data: blue, a note), constants (numbers lifted into the
graph: grey, dashed); the output has a thick border. A red node
holds NaN or inf. An edge into a broadcasting op whose operand was stretched says how
backward sums the gradient back ("Σ axis 0: (256, 10) → (10,)"); a value used by several
ops says that its gradients add up.
"""

from __future__ import annotations

import numpy as np

from ..autograd import FREED, reverse_pass, toposort
from ..tensor_ops import broadcast_axes

__all__ = ["draw", "render", "to_svg", "to_text", "node_names", "compute_grads", "summary", "kind_of"]

COLOURS = {"parameter": "#c8e6c9", "input": "#bbdefb", "constant": "#eeeeee", "result": "#ffffff",
           "output": "#fff3c4", "nonfinite": "#ffcdd2"}
# Shape and line style tell the kinds apart too, for readers who do not see the colours.
STYLES = {"parameter": ("box", "rounded,filled,bold"), "input": ("note", "filled"),
          "constant": ("box", "filled,dashed"), "result": ("box", "rounded,filled"),
          "output": ("box", "rounded,filled")}


def node_names(order: list) -> dict:
    """A readable name per node: its label, else ``v3`` / ``t3`` by position in ``order``."""
    names = {}
    for i, node in enumerate(order):
        prefix = "v" if type(node).__name__ == "Value" else "t"
        names[node] = node.label or f"{prefix}{i}"
    return names


def kind_of(node, root) -> str:
    """'output', 'result', 'parameter', 'input' or 'constant'."""
    if node is root:
        return "output"
    if node._op is not None or node._vjps is FREED:
        return "result"
    if node.requires_grad:
        return "parameter"
    return "constant" if np.ndim(node.data) == 0 else "input"


def summary(x, precision: int = 4) -> str:
    """Compact text for a number or an array: the values when small, else mean/min/max."""
    if x is None:
        return "—"
    a = np.asarray(x)
    if a.size <= 6:  # small: the values themselves, on one line (the shape is shown apart)
        if a.ndim == 0:
            return f"{a.item():.{precision}g}"
        return "[" + ", ".join(f"{v:.{precision}g}" for v in a.ravel().tolist()) + "]"
    finite = a[np.isfinite(a)] if a.dtype.kind == "f" else a
    if finite.size == 0:
        return "all non-finite"
    return f"mean {finite.mean():.3g}, min {finite.min():.3g}, max {finite.max():.3g}"


def _nonfinite(x) -> bool:
    a = np.asarray(x) if x is not None else np.zeros(0)
    return a.dtype.kind == "f" and not np.isfinite(a).all()


def compute_grads(root, seed=None) -> dict:
    """d(root)/d(node) for every node, from an intact graph, changing no ``.grad``.

    Uses the same reverse pass as ``backward()``. Raises if ``backward()`` already freed
    the graph (draw before backward, or pass ``retain_graph=True``).
    """
    if seed is None:
        seed = 1.0 if type(root).__name__ == "Value" else np.ones_like(root.data)
    try:
        return {node: g for node, g, _ in reverse_pass(root, seed)}
    except RuntimeError as err:
        if "second time" not in str(err):
            raise
        raise RuntimeError("showing every gradient needs the graph, which backward() freed: draw before "
                           "backward(), or call backward(retain_graph=True)") from None


def _stored_grad(node):
    g = node.grad
    return None if g is None or (type(node).__name__ == "Value" and not node.requires_grad) else g


def _value_label(node, name, kind, grad, show_data, show_grad) -> str:
    lines = [f"{name}" + (f"  [{kind}]" if kind in ("parameter", "input", "constant") else "")]
    if np.ndim(node.data) or type(node).__name__ == "Tensor":
        lines.append(f"shape {tuple(np.shape(node.data))} {np.asarray(node.data).dtype}")
    if show_data:
        lines.append(f"data {summary(node.data)}")
    if show_grad and kind not in ("constant", "input"):
        lines.append(f"grad {summary(grad)}")
    return "\n".join(lines)


def draw(root, *, show_data: bool = True, show_grad="auto", rankdir: str = "LR", max_nodes: int = 150,
         grads: dict | None = None, highlight=None, title: str = "", legend: bool = True):
    """Return a ``graphviz.Digraph`` of the graph that computed ``root`` (Value or Tensor).

    Parameters
    ----------
    root : Value or Tensor
    show_data : bool
        Write each value's data (or its summary) in its box.
    show_grad : bool or "auto" or "all"
        ``"all"``: compute d(root)/d(node) for every node from the intact graph (as
        :func:`compute_grads`); ``True``: show the stored ``.grad`` (every Value; Tensor
        leaves and ``retain_grad()`` results); ``"auto"``: as True once some node has
        a gradient, else no gradient lines; ``False``: none.
    rankdir : {"LR", "TB"}
    max_nodes : int
        Draw at most this many values (those closest to the output); the rest become a
        single "… N more" node.
    grads : dict, optional
        Gradients to show instead, by node (used by the step-by-step trace).
    highlight : node, optional
        A value to outline in red (the current step of a trace).

    Examples
    --------
    >>> from minigrad import Value
    >>> a = Value(2.0, label="a"); b = Value(-3.0, label="b"); c = a * b + a
    >>> c.backward()
    >>> dot = draw(c)
    >>> "mul" in dot.source and "grad -2" in dot.source
    True
    """
    import graphviz

    order = toposort(root)
    names = node_names(order)
    if grads is None:
        if show_grad == "all":
            grads = compute_grads(root)
        elif show_grad in (True, "auto"):
            grads = {n: _stored_grad(n) for n in order}
            if show_grad == "auto" and all(g is None for g in grads.values()):
                grads = {}  # before any backward(): no gradient lines at all
        else:
            grads = {}
    show_grad = bool(show_grad) and bool(grads)
    shown = order[-max_nodes:]
    hidden = set(order[:-max_nodes]) if len(order) > max_nodes else set()
    ids = {node: f"n{i}" for i, node in enumerate(order)}
    users: dict = {}
    for node in order:
        for p in node._parents:
            users[p] = users.get(p, 0) + 1

    dot = graphviz.Digraph(graph_attr={"rankdir": rankdir, "label": title, "labelloc": "t", "fontsize": "12"},
                           node_attr={"fontname": "Helvetica", "fontsize": "10"},
                           edge_attr={"fontname": "Helvetica", "fontsize": "9"})
    clusters: dict = {}
    for node in shown:
        kind = kind_of(node, root)
        grad = grads.get(node)
        bad = _nonfinite(node.data) or _nonfinite(grad)
        label = _value_label(node, names[node], kind, grad, show_data, show_grad)
        if bad:
            label += "\n⚠ NaN/inf"
        if users.get(node, 0) > 1:
            label += f"\nused {users[node]} times: grads add up"
        shape, style = STYLES[kind]
        attrs = {"shape": shape, "style": style, "label": label, "fillcolor": COLOURS["nonfinite" if bad else kind]}
        if kind == "output":
            attrs["penwidth"] = "2.5"
        if node is highlight:
            attrs.update(color="#d32f2f", penwidth="3")
        module = getattr(node, "_scope", None)  # the nn.Module whose forward made it
        target = dot
        if module is not None:
            if id(module) not in clusters:
                extra = module.extra_repr()
                label = f"{type(module).__name__}({extra if len(extra) <= 60 else '…'})"
                clusters[id(module)] = graphviz.Digraph(name=f"cluster_{len(clusters)}", graph_attr={
                    "label": label, "style": "dashed", "color": "#9e9e9e"})
            target = clusters[id(module)]
        target.node(ids[node], **attrs)
        if node._parents:
            op_id = ids[node] + "_op"
            target.node(op_id, label=node.op or "freed", shape="ellipse", style="filled", fillcolor="#f5f5f5")
            dot.edge(op_id, ids[node])
            spec = node._op
            for p in node._parents:
                edge = {}
                if p.requires_grad and spec is not None and spec.broadcasts and np.shape(p.data) != np.shape(node.data):
                    axes = broadcast_axes(np.shape(node.data), np.shape(p.data))
                    if axes:
                        edge["label"] = (f"Σ axis {', '.join(map(str, axes))}: "
                                         f"{tuple(np.shape(node.data))} → {tuple(np.shape(p.data))}")
                        edge["color"] = "#ef6c00"
                source = "more" if p in hidden else ids[p]
                dot.edge(source, op_id, **edge)
    for sub in clusters.values():
        dot.subgraph(sub)
    if hidden:
        dot.node("more", label=f"… {len(hidden)} more values", shape="note", style="filled", fillcolor="#fafafa")
    if legend:
        with dot.subgraph(name="cluster_legend", graph_attr={"label": "legend", "fontsize": "9",
                                                             "style": "dotted"}) as lg:
            for kind in ("parameter", "input", "constant", "output"):
                shape, style = STYLES[kind]
                lg.node(f"legend_{kind}", label=kind, shape=shape, style=style, fontsize="8",
                        fillcolor=COLOURS[kind], **({"penwidth": "2.5"} if kind == "output" else {}))
    return dot


def _dot_missing(err) -> RuntimeError:
    return RuntimeError(
        "Graphviz's 'dot' program is needed to render graphs and was not found "
        f"({err}). Install it: 'apt-get install graphviz' (Debian/Ubuntu), 'brew install graphviz' "
        "(macOS), 'conda install graphviz', or see graphviz.org/download. The graph itself still "
        "works without it: draw(...).source is its DOT text."
    )


def render(dot, path, format: str | None = None) -> str:
    """Write a drawing to ``path``; the format follows the suffix (svg, png, pdf) or ``format``.

    Returns the path written. Raises a clear error when Graphviz's ``dot`` is missing.
    """
    import os

    import graphviz

    path = os.fspath(path)
    fmt = format or os.path.splitext(path)[1].lstrip(".") or "svg"
    if fmt == "dot":
        with open(path, "w") as f:
            f.write(dot.source)
        return path
    try:
        data = dot.pipe(format=fmt)
    except graphviz.ExecutableNotFound as err:
        raise _dot_missing(err) from None
    tmp = path + ".part"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
    return path


def to_svg(dot) -> str:
    """The drawing as an SVG string (for HTML pages, the docs and notebooks)."""
    import graphviz

    try:
        svg = dot.pipe(format="svg", encoding="utf-8")
    except graphviz.ExecutableNotFound as err:
        raise _dot_missing(err) from None
    return svg[svg.index("<svg"):]


def to_text(root, show_grad=True, grads: dict | None = None) -> str:
    """The graph as an indented tree for terminals (shared values are shown once).

    Gradients shown are the stored ``.grad`` values, or those in ``grads`` (by node).

    Examples
    --------
    >>> from minigrad import Value
    >>> x = Value(0.5, label="x"); y = (x * x).tanh(); y.backward()
    >>> print(to_text(y))
    v2 = tanh(v1)   data 0.2449   grad 1
    └── v1 = mul(x, x)   data 0.25   grad 0.94
        ├── x   [parameter]   data 0.5   grad 0.94
        └── x   (shown above)
    """
    order = toposort(root)
    names = node_names(order)
    lines, seen = [], set()
    stack = [(root, "", "", True)]
    while stack:
        node, indent, branch, _ = stack.pop()
        if node in seen:
            lines.append(f"{indent}{branch}{names[node]}   (shown above)")
            continue
        seen.add(node)
        head = names[node]
        if node._parents:
            head += f" = {node.op or 'freed'}({', '.join(names[p] for p in node._parents)})"
        else:
            head += f"   [{kind_of(node, root)}]"
        if np.ndim(node.data):
            head += f"   shape {tuple(np.shape(node.data))}"
        head += f"   data {summary(node.data)}"
        grad = grads.get(node) if grads is not None else _stored_grad(node)
        if show_grad and grad is not None:
            head += f"   grad {summary(grad)}"
        lines.append(f"{indent}{branch}{head}")
        child_indent = indent + ("" if not branch else ("    " if branch.startswith("└") else "│   "))
        parents = list(node._parents)
        for i, p in reversed(list(enumerate(parents))):
            stack.append((p, child_indent, "└── " if i == len(parents) - 1 else "├── ", False))
    return "\n".join(lines)
