"""Draw a computational graph: values, shapes, gradients, ops, broadcasts and fan-out.

Value nodes are boxes, op nodes are ellipses between them. Colour and shape tell the
kinds of leaves apart (see the legend): parameters (leaves that require grad: green,
bold rounded box), inputs (data, leaves that need no gradient: named, or arrays: blue,
a note), constants (unnamed numbers written in an expression: grey, dashed); the output
has a thick border. A red node
holds NaN or inf. An edge into a broadcasting op whose operand was stretched says how
backward sums the gradient back ("Σ axis 0: (256, 10) → (10,)"); a value that gets a
gradient and is used by several ops says that its gradients add up. A constant gets a box
for each use (the engine may share one ``2`` between ``x ** 2`` and ``y ** 2``; the
computation written has two), and no gradient note.
"""

from __future__ import annotations

import math

try:
    import numpy as np
except ModuleNotFoundError as err:  # Pyodide in the docs' Play page: Value graphs only (no Tensor there)
    if err.name != "numpy":
        raise
    np = None

from ..autograd import Freed, reverse_pass, toposort

__all__ = ["draw", "render", "to_svg", "pipe", "graphviz_pure", "to_text", "node_names", "compute_grads", "summary",
           "kind_of", "format_for", "RENDER_FORMATS"]

# Long chains are drawn top to bottom by rankdir="auto": a column of boxes scrolls with the page,
# where a row of them needs its own sideways scroll on a phone.
AUTO_TB_DEPTH = 4

COLOURS = {"parameter": "#c8e6c9", "input": "#bbdefb", "constant": "#eeeeee", "result": "#ffffff",
           "output": "#fff3c4", "nonfinite": "#ffcdd2"}
# Shape and line style tell the kinds apart too, for readers who do not see the colours.
STYLES = {"parameter": ("box", "rounded,filled,bold"), "input": ("note", "filled"),
          "constant": ("box", "filled,dashed"), "result": ("box", "rounded,filled"),
          "output": ("box", "rounded,filled")}


def _array(x):
    """A node's data or gradient as a NumPy array: a float (Value), an ndarray, or a Tensor.

    ``Tensor.data`` and ``.grad`` may be Tensors (detached, or carrying a graph after
    ``create_graph=True``): read them through ``detach()`` so nothing is recorded.
    """
    if np is None:
        raise ImportError(f"minigrad.viz: drawing {type(x).__name__} data needs NumPy, which is not installed "
                          "(Value graphs are drawn without it)")
    if x is None or isinstance(x, np.ndarray):
        return x
    if hasattr(x, "detach") and hasattr(x, "numpy"):
        return np.asarray(x.detach().numpy())
    return np.asarray(x)


def _seed(root):
    """d(root)/d(root): what ``backward()`` starts from (the engine's own seed when it has one)."""
    if root.requires_grad and hasattr(root, "_seed"):
        return root._seed(None, "backward")
    if type(root).__name__ == "Value":
        return 1.0
    data = _array(root.data)
    return np.ones(data.shape, dtype=data.dtype)


def _stretched(spec, out_shape: tuple, in_shape: tuple, shapes: list) -> tuple:
    """Axes along which an operand was broadcast to the op's output, () if it was not."""
    if spec is None or in_shape == out_shape:
        return ()
    flag = getattr(spec, "broadcasts", None)
    if flag is None:  # the registry does not say: an op broadcasts when its output has the
        # broadcast shape of its inputs (elementwise ops), or when it is `expand` itself
        name = getattr(spec, "name", "")
        try:
            flag = name == "expand" or (name != "matmul" and tuple(np.broadcast_shapes(*shapes)) == out_shape)
        except ValueError:
            flag = False
    if not flag:
        return ()
    from ..tensor_ops import broadcast_axes  # here: the tensor engine needs NumPy, Value graphs do not

    try:
        return tuple(broadcast_axes(out_shape, in_shape))
    except ValueError:
        return ()


def _is_constant_use(node) -> bool:
    """A constant: a number written in an expression (a leaf that needs no gradient, holds one
    number and has no label), drawn as that number at each use. A labelled or array leaf that
    needs no gradient is data, an input: drawn once, as a parameter is."""
    return node._op is None and not node.requires_grad and not node.label and _shape(node.data) == ()


def _is_result(node) -> bool:
    """Made by an op (also once backward() freed what it saved: ``_op`` is a ``Freed``)."""
    return node._op is not None


def node_names(order: list) -> dict:
    """A readable name per node: its label, else ``v3`` / ``t3`` by position in ``order``;
    a number in an expression is named by its value (each use of it is drawn apart).

    Examples
    --------
    >>> from minigrad import Value
    >>> from minigrad.autograd import toposort
    >>> x = Value(3.0, label="x"); y = x * 2.0
    >>> sorted(node_names(toposort(y)).values())
    ['2', 'v2', 'x']
    """
    names = {}
    for i, node in enumerate(order):
        prefix = "v" if type(node).__name__ == "Value" else "t"
        if _is_constant_use(node):
            names[node] = summary(node.data)
        else:
            names[node] = node.label or f"{prefix}{i}"
    return names


def kind_of(node, root) -> str:
    """What a node is in the graph of ``root``: its colour and shape in a drawing.

    Returns 'output' (``root``), 'result' (made by an op), 'parameter' (a leaf that
    requires grad), 'constant' (a leaf that needs no gradient, holds one number and has no
    label: a number written in an expression) or 'input' (any other leaf that needs no
    gradient: data, named or an array). The same rule for Value and Tensor graphs.

    Examples
    --------
    >>> from minigrad import Value
    >>> w = Value(0.5, label="w"); x = Value(3.0, label="x", requires_grad=False)
    >>> y = w * x + 2.0
    >>> kind_of(w, y), kind_of(x, y), kind_of(y._parents[1], y), kind_of(y, y)
    ('parameter', 'input', 'constant', 'output')
    """
    if node is root:
        return "output"
    if _is_result(node):
        return "result"
    if node.requires_grad:
        return "parameter"
    return "constant" if _is_constant_use(node) else "input"


def summary(x, precision: int = 4) -> str:
    """Compact text for a number or an array: the values when small, else mean/min/max.

    A big array is summarised over its finite entries, and says how many entries are
    NaN or infinite: a summary never hides them.

    Examples
    --------
    >>> import numpy as np
    >>> summary(np.array([0.5, -2.0]))
    '[0.5, -2]'
    >>> summary(np.arange(8.0))
    'mean 3.5, min 0, max 7'
    >>> summary(np.array([1.0, 2.0, np.nan, np.inf, -np.inf, 3.0, 4.0]))
    'mean 2.5, min 1, max 4; 1 NaN, 1 inf, 1 -inf'
    """
    if x is None:
        return "—"
    if type(x) is float:  # a Value's number (also without NumPy)
        return f"{x:.{precision}g}"
    a = _array(x)
    if a.size <= 6:  # small: the values themselves, on one line (the shape is shown apart)
        if a.ndim == 0:
            return f"{a.item():.{precision}g}"
        return "[" + ", ".join(f"{v:.{precision}g}" for v in a.ravel().tolist()) + "]"
    if a.dtype.kind == "b":
        return f"{int(a.sum())} of {a.size} true"
    if a.dtype.kind not in "fc":
        return f"mean {a.mean():.3g}, min {a.min():.3g}, max {a.max():.3g}"
    finite = a[np.isfinite(a)]
    counts = [(int(np.isnan(a).sum()), "NaN"), (int(np.isposinf(a).sum()), "inf"), (int(np.isneginf(a).sum()), "-inf")]
    bad = ", ".join(f"{n} {what}" for n, what in counts if n)
    if finite.size == 0:
        return f"no finite entry: {bad}"
    text = f"mean {finite.mean():.3g}, min {finite.min():.3g}, max {finite.max():.3g}"
    return f"{text}; {bad}" if bad else text


def _nonfinite(x) -> bool:
    if x is None or type(x) is float:
        return x is not None and not math.isfinite(x)
    a = _array(x)
    return a.dtype.kind in "fc" and not np.isfinite(a).all()


def _shape(x) -> tuple:
    return () if type(x) is float else tuple(_array(x).shape)


def _depth(order: list) -> int:
    """The longest chain of ops from a leaf to the output."""
    level: dict = {}
    for node in order:
        level[node] = 1 + max((level[p] for p in node._parents), default=-1) if node._parents else 0
    return max(level.values(), default=0)


def compute_grads(root, seed=None) -> dict:
    """d(root)/d(node) for every node, from an intact graph, changing no ``.grad``.

    Uses the same reverse pass as ``backward()``. Raises if ``backward()`` already freed
    the graph (draw before backward, or pass ``retain_graph=True``).

    Examples
    --------
    >>> from minigrad import Value
    >>> a = Value(3.0, label="a"); y = a * a
    >>> float(compute_grads(y)[a]), a.grad
    (6.0, 0.0)
    """
    if seed is None:
        seed = _seed(root)
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
    data = node.data if type(node.data) is float else _array(node.data)  # a Value's float: no NumPy needed
    if type(data) is not float and (data.ndim or type(node).__name__ == "Tensor"):
        lines.append(f"shape {tuple(data.shape)} {data.dtype}")
    if show_data:
        lines.append(f"data {summary(node.data)}")
    if show_grad and kind not in ("constant", "input"):
        lines.append(f"grad {summary(grad)}")
    return "\n".join(lines)


def draw(root, *, show_data: bool = True, show_grad="auto", rankdir: str = "auto", max_nodes: int = 150,
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
    rankdir : {"auto", "LR", "TB"}
        Left to right, top to bottom, or ``"auto"``: top to bottom when a chain of more
        than ``AUTO_TB_DEPTH`` ops leads to the output (a long row would be wider than a
        page; a column scrolls with it), else left to right.
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
    >>> c.backward()  # then draw it, with its gradients
    >>> dot = draw(c)
    >>> "mul" in dot.source and "grad -2" in dot.source
    True
    """
    import graphviz

    if rankdir not in ("auto", "LR", "TB"):
        raise ValueError(f"draw: rankdir must be 'auto', 'LR' or 'TB', got {rankdir!r}")
    order = toposort(root)
    if rankdir == "auto":
        rankdir = "TB" if _depth(order) > AUTO_TB_DEPTH else "LR"
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

    dot = _drawing_class()(graph_attr={"rankdir": rankdir, "label": title, "labelloc": "t", "labeljust": "l",
                                       "fontsize": "12", "fontname": "Helvetica"},
                           node_attr={"fontname": "Helvetica", "fontsize": "10", "margin": "0.14,0.06"},
                           edge_attr={"fontname": "Helvetica", "fontsize": "9"})
    clusters: dict = {}
    boxes: dict = {}  # constant -> its box attributes, drawn beside each op that uses it
    for node in shown:
        kind = kind_of(node, root)
        grad = grads.get(node)
        bad = _nonfinite(node.data) or _nonfinite(grad)
        label = _value_label(node, names[node], kind, grad, show_data, show_grad)
        if bad:
            label += "\n⚠ NaN/inf"
        if users.get(node, 0) > 1 and node.requires_grad:  # (no gradient: nothing adds up)
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
        if node is not root and _is_constant_use(node) and node in users:
            boxes[node] = attrs
            continue
        target.node(ids[node], **attrs)
        if node._parents:
            op_id = ids[node] + "_op"
            target.node(op_id, label=node.op or "freed", shape="ellipse", style="filled", fillcolor="#f5f5f5")
            dot.edge(op_id, ids[node])
            spec = node._op.spec if isinstance(node._op, Freed) else node._op
            out_shape = _shape(node.data)
            shapes = [_shape(p.data) for p in node._parents]
            for j, (p, in_shape) in enumerate(zip(node._parents, shapes)):
                edge = {}
                axes = _stretched(spec, out_shape, in_shape, shapes) if p.requires_grad else ()
                if axes:
                    edge["label"] = f"Σ axis {', '.join(map(str, axes))}: {out_shape} → {in_shape}"
                    edge["color"] = "#ef6c00"
                source = "more" if p in hidden else ids[p]
                if p in boxes:  # a constant: its own box at each use
                    source = f"{op_id}_c{j}"
                    target.node(source, **boxes[p])
                dot.edge(source, op_id, **edge)
    for sub in clusters.values():
        dot.subgraph(sub)
    if hidden:
        dot.node("more", label=f"… {len(hidden)} more values", shape="note", style="filled", fillcolor="#fafafa")
    if legend:
        with dot.subgraph(name="cluster_legend", graph_attr={"label": "legend", "fontsize": "10",
                                                             "style": "dotted"}) as lg:
            # only the kinds this graph has: a key for a kind not drawn would only puzzle
            present = {kind_of(node, root) for node in shown}
            keys = [k for k in ("parameter", "input", "constant", "output") if k in present]
            for kind in keys:
                shape, style = STYLES[kind]
                lg.node(f"legend_{kind}", label=kind, shape=shape, style=style, fontsize="9",
                        fillcolor=COLOURS[kind], **({"penwidth": "2.5"} if kind == "output" else {}))
            if rankdir == "LR":  # one row, not a tall column: invisible edges put each key one rank on
                for a, b in zip(keys, keys[1:]):
                    lg.edge(f"legend_{a}", f"legend_{b}", style="invis")
    return dot


def _dot_missing(err) -> RuntimeError:
    return RuntimeError(
        "Graphviz's 'dot' program is needed to render graphs and was not found "
        f"({err}), nor was the 'graphviz-pure' program that can stand in for it. Install one: "
        "'pip install \"minigrad[draw]\"' (or 'pip install graphviz-pure': a self-contained port of dot, "
        "no system package needed, works on Windows and macOS too), or Graphviz itself: "
        "'apt-get install graphviz' (Debian/Ubuntu), 'brew install graphviz' (macOS), 'conda install "
        "graphviz', or see graphviz.org/download. The graph itself still works without them: "
        "draw(...).source is its DOT text."
    )


# graphviz-pure (PyPI) installs a port of `dot` under its own name, so the `graphviz` package,
# which runs `dot`, does not find it. It writes these formats (no PDF yet).
PURE_PROGRAM = "graphviz-pure"
PURE_FORMATS = ("svg", "png", "jpeg", "jpg", "dot", "gv", "xdot", "json", "plain", "canon")


def graphviz_pure() -> str | None:
    """Path of the ``graphviz-pure`` program, or None: on ``PATH``, else beside this Python.

    The second place covers a virtual environment that is used without being activated
    (a Jupyter kernel, ``.venv/bin/python script.py``): pip puts the program in the
    environment's scripts folder, which is then not on ``PATH``.

    Examples
    --------
    >>> path = graphviz_pure()
    >>> path is None or "graphviz-pure" in path
    True
    """
    import os
    import shutil
    import sys
    import sysconfig

    found = shutil.which(PURE_PROGRAM)
    if found:
        return found
    folders = []
    for folder in (sysconfig.get_path("scripts"), os.path.dirname(sys.executable)):
        if folder and folder not in folders:
            folders.append(folder)
    for folder in folders:
        found = shutil.which(PURE_PROGRAM, path=folder)
        if found:
            return found
    return None


def _pipe_pure(program: str, dot, fmt: str, engine: str | None = None) -> bytes:
    """Lay out and write ``dot`` with graphviz-pure (same flags as ``dot``: -K engine, -T format)."""
    import subprocess

    import graphviz

    if fmt not in PURE_FORMATS:  # an environment's limit, like a missing dot: RuntimeError
        raise RuntimeError(f"graphviz-pure, which draws here in place of Graphviz's 'dot' (not installed), cannot "
                           f"write {fmt!r}: write one of {', '.join(PURE_FORMATS[:3])}, or install Graphviz")
    cmd = [program, f"-K{engine or getattr(dot, 'engine', None) or 'dot'}", f"-T{fmt}"]
    encoding = getattr(dot, "encoding", None) or "utf-8"
    result = subprocess.run(cmd, input=dot.source.encode(encoding), capture_output=True)
    if result.returncode != 0:
        raise graphviz.CalledProcessError(result.returncode, cmd, output=result.stdout, stderr=result.stderr)
    return result.stdout


def pipe(dot, format: str = "svg", encoding: str | None = None, *, engine: str | None = None, _dot_pipe=None):
    """The drawing rendered by Graphviz's ``dot``, or by graphviz-pure when ``dot`` is missing.

    Works for any ``graphviz`` graph (``Digraph``, ``Graph``, ``Source``). Returns bytes,
    or text when ``encoding`` is given. Raises a ``RuntimeError`` that says how to install
    one of the two when neither is found.

    Examples
    --------
    >>> from minigrad import Value
    >>> pipe(draw(Value(1.0, label="x") * 2.0), "svg", "utf-8").lstrip().startswith("<?xml")
    True
    """
    import graphviz

    try:
        return (_dot_pipe or dot.pipe)(format=format, encoding=encoding, **({"engine": engine} if engine else {}))
    except graphviz.ExecutableNotFound as err:
        program = graphviz_pure()
        if program is None:
            raise _dot_missing(err) from None
    data = _pipe_pure(program, dot, format, engine)
    return data.decode(encoding) if encoding else data


_DRAWING = None


def _drawing_class():
    """``graphviz.Digraph`` whose rendering (``pipe``, so also Jupyter's display) falls back to
    graphviz-pure when ``dot`` is missing. Made on first use: ``graphviz`` loads lazily."""
    global _DRAWING
    if _DRAWING is None:
        import graphviz

        class Drawing(graphviz.Digraph):
            """A ``graphviz.Digraph`` that renders with graphviz-pure where ``dot`` is missing."""

            def pipe(self, format=None, renderer=None, formatter=None, neato_no_op=None, quiet=False, *,
                     engine=None, encoding=None):
                def by_dot(format, encoding, engine=None):
                    return graphviz.Digraph.pipe(self, format=format, renderer=renderer, formatter=formatter,
                                                 neato_no_op=neato_no_op, quiet=quiet, engine=engine,
                                                 encoding=encoding)

                if renderer or formatter or neato_no_op:
                    return by_dot(format, encoding, engine)  # options only Graphviz's own dot takes
                return pipe(self, format or self.format, encoding, engine=engine, _dot_pipe=by_dot)

        _DRAWING = Drawing
    return _DRAWING


RENDER_FORMATS = ("svg", "png", "pdf", "dot")


def format_for(path, format: str | None = None) -> str:
    """The file format to write ``path`` in: ``format`` if given, else the file's suffix.

    A suffix that names no format we write, or one that contradicts ``format``, is an
    error rather than a file whose name lies about its bytes. No suffix means SVG.

    Examples
    --------
    >>> format_for("loss.png"), format_for("graphs/loss"), format_for("x.svg", "svg")
    ('png', 'svg', 'svg')
    >>> format_for("loss.png", "svg")
    Traceback (most recent call last):
    ...
    ValueError: the format 'svg' does not match the suffix of 'loss.png'; give one of them
    """
    import os

    suffix = os.path.splitext(os.fspath(path))[1].lstrip(".").lower()
    if format is not None:
        format = format.lower()
        if suffix in RENDER_FORMATS + ("txt", "html") and suffix != format:
            raise ValueError(f"the format {format!r} does not match the suffix of {os.fspath(path)!r}; "
                             "give one of them")
        return format
    if not suffix:
        return "svg"
    if suffix not in RENDER_FORMATS:
        raise ValueError(f"cannot tell a format from the suffix of {os.fspath(path)!r}: use one of "
                         f"{', '.join('.' + f for f in RENDER_FORMATS)}, or give the format")
    return suffix


def _write_atomic(path, data) -> str:
    """Write the whole file or nothing: bytes go to ``<path>.<pid>.part`` beside it, which is
    renamed over ``path`` only once complete, and removed if anything fails."""
    import os

    path = os.fspath(path)
    if os.path.isdir(path):
        raise IsADirectoryError(21, "is a folder, not a file", path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    tmp = f"{path}.{os.getpid()}.part"
    try:
        # mode 0o666 minus the umask, as open() gives (mkstemp would give 0o600)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path


def render(dot, path, format: str | None = None) -> str:
    """Write a drawing to ``path``; the format follows the suffix (svg, png, pdf, dot) or ``format``.

    The file is written whole or not at all (no half-written file, no ``.part`` left
    behind). Returns the path written. Raises a clear error when Graphviz's ``dot`` is
    missing, when the suffix names no format we write, or when ``format`` contradicts it.

    Examples
    --------
    >>> import tempfile, os
    >>> from minigrad import Value
    >>> x = Value(2.0, label="x")
    >>> folder = tempfile.mkdtemp()
    >>> path = render(draw(x * x), os.path.join(folder, "square.dot"))
    >>> open(path).read().startswith("digraph")
    True
    """
    import os

    import graphviz

    path = os.fspath(path)
    fmt = format_for(path, format)
    if fmt not in RENDER_FORMATS:
        raise ValueError(f"render: cannot write a drawing as {fmt!r}; use one of {', '.join(RENDER_FORMATS)}")
    if fmt == "dot":
        return _write_atomic(path, dot.source)
    try:
        data = pipe(dot, fmt)
    except graphviz.CalledProcessError as err:
        detail = (err.stderr or b"").decode("utf-8", "replace").strip()
        raise RuntimeError(f"Graphviz could not render {path} as {fmt}: {detail or err}") from None
    return _write_atomic(path, data)


def to_svg(dot) -> str:
    """The drawing as an SVG string, without the XML prolog (so it can sit inside HTML).

    For a web page prefer :func:`minigrad.viz.figure`, which keeps the labels readable.

    Examples
    --------
    >>> from minigrad import Value
    >>> to_svg(draw(Value(1.0, label="x") * 2.0)).startswith("<svg")
    True
    """
    svg = pipe(dot, "svg", "utf-8")
    return svg[svg.index("<svg"):]


def to_text(root, show_grad=True, grads: dict | None = None) -> str:
    """The graph as an indented tree for terminals (shared values are shown once).

    Gradients shown are the stored ``.grad`` values, or those in ``grads`` (by node).
    Entries that are NaN or infinite are counted in the summaries and flagged "⚠ NaN/inf".
    Works before and after ``backward()`` (which keeps structure, values and gradients).

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
        if node in seen and not _is_constant_use(node):  # a constant is written at each use
            lines.append(f"{indent}{branch}{names[node]}   (shown above)")
            continue
        seen.add(node)
        head = names[node]
        if node._parents:
            head += f" = {node.op or 'freed'}({', '.join(names[p] for p in node._parents)})"
        else:
            head += f"   [{kind_of(node, root)}]"
        data = node.data if type(node.data) is float else _array(node.data)  # a Value's float: no NumPy needed
        if type(data) is not float and data.ndim:
            head += f"   shape {tuple(data.shape)}"
        head += f"   data {summary(data)}"
        grad = grads.get(node) if grads is not None else _stored_grad(node)
        if show_grad and grad is not None:
            head += f"   grad {summary(grad)}"
        if _nonfinite(data) or (show_grad and _nonfinite(grad)):
            head += "   ⚠ NaN/inf"
        lines.append(f"{indent}{branch}{head}")
        child_indent = indent + ("" if not branch else ("    " if branch.startswith("└") else "│   "))
        parents = list(node._parents)
        for i, p in reversed(list(enumerate(parents))):
            stack.append((p, child_indent, "└── " if i == len(parents) - 1 else "├── ", False))
    return "\n".join(lines)
