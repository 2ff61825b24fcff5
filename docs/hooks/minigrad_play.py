"""What the Play page runs in the reader's browser (Pyodide, no NumPy): the learner's code,
then minigrad's own drawing, backprop trace and a finite-difference check of the result.

Not a mkdocs hook: ``docs/hooks/play.py`` packs this file with minigrad's sources into the
zip the page downloads. :func:`run` takes the code and returns JSON text for the page's
script; every failure (a syntax error, an exception, no Value computed) becomes a
readable message in that JSON rather than an exception. It runs in CPython too (the
tests compare its numbers with CPython minigrad's).

Examples
--------
>>> import json
>>> out = json.loads(run("a = Value(2.0); b = Value(-3.0); L = a * b"))
>>> out["ok"], out["output_name"], [(n["name"], n["grad"]) for n in out["nodes"]]
(True, 'L', [('a', -3.0), ('b', 2.0), ('L', 1.0)])
>>> json.loads(run("x = Value(1.0)\\ny = x * z"))["error"]
"line 2: NameError: name 'z' is not defined"
"""

from __future__ import annotations

import contextlib
import inspect
import io
import json
import math
import traceback

import minigrad
from minigrad import Value
from minigrad.autograd import Freed, toposort
from minigrad.gradcheck import gradcheck, numeric_grad
from minigrad.viz import backward_trace, draw, kind_of

__all__ = ["run", "STARTER"]

STARTER = "a = Value(2.0); b = Value(-3.0); L = (a*b + a).tanh()"
FILENAME = "<your code>"
MAX_NODES = 60  # a bigger graph is still computed, but not drawn step by step
MAX_PRINTED = 20_000  # characters of printed output sent to the page
# gradcheck's own step and tolerances, so the page checks as minigrad.gradcheck does
_DEFAULTS = {k: p.default for k, p in inspect.signature(gradcheck).parameters.items() if k in ("eps", "atol", "rtol")}


def _message(err: BaseException) -> str:
    """The error as the learner's line number, the exception's type and its message."""
    if isinstance(err, SyntaxError) and err.filename == FILENAME:
        return f"line {err.lineno}: SyntaxError: {err.msg}"
    line = None
    for frame in traceback.extract_tb(err.__traceback__):
        if frame.filename == FILENAME:
            line = frame.lineno  # the innermost line of the learner's code
    where = f"line {line}: " if line else ""
    return f"{where}{type(err).__name__}: {err}"


def _output(namespace: dict):
    """The Value the code computed: ``L`` if it is one, else the newest Value it names."""
    if isinstance(namespace.get("L"), Value):
        return "L", namespace["L"]
    named = [(v._seq, k, v) for k, v in namespace.items() if isinstance(v, Value) and not k.startswith("_")]
    if not named:
        return None, None
    _, name, value = max(named, key=lambda t: t[0])
    return name, value


def _forward_at(root, leaves: list, values) -> float:
    """``root`` recomputed with ``leaves`` set to ``values``, by the recorded ops' forwards
    (the registry's scalar forward of each op), changing nothing in the graph."""
    at = dict(zip(leaves, values))
    for node in toposort(root):
        if node not in at:
            at[node] = node._op.scalar(*(at[p] for p in node._parents)) if node._parents else node.data
    return at[root]


def _check(root, leaves: list, grads: dict) -> dict:
    """gradcheck's comparison for a scalar expression: each leaf's gradient from the reverse
    pass against central differences (:func:`minigrad.gradcheck.numeric_grad`, the project's
    one finite-difference routine) of the graph's forward values."""
    eps, atol, rtol = _DEFAULTS["eps"], _DEFAULTS["atol"], _DEFAULTS["rtol"]
    numeric = numeric_grad(lambda xs: _forward_at(root, leaves, xs), [leaf.data for leaf in leaves], eps)
    rows = []
    for leaf, num in zip(leaves, numeric):
        ana = float(grads.get(leaf, 0.0))
        num = float(num)
        ok = abs(ana - num) <= atol + rtol * abs(num)  # gradcheck's test, element by element
        rows.append({"name": leaf.label, "analytic": _num(ana), "numeric": _num(num), "ok": bool(ok)})
    return {"ok": all(r["ok"] for r in rows), "rows": rows, "eps": eps, "atol": atol, "rtol": rtol}


def _printed(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    if len(text) <= MAX_PRINTED:
        return text
    return text[:MAX_PRINTED] + f"\n… ({len(text) - MAX_PRINTED} more characters not shown)\n"


def _num(x) -> float | str:
    """A float for JSON (which has no NaN or inf: those travel as text)."""
    x = float(x)
    return x if math.isfinite(x) else str(x)


def run(code: str) -> str:
    """Run ``code`` with ``Value`` in scope; return the page's JSON (see the module's docstring).

    Keys: ``ok``; ``error`` (when not ok); ``printed`` (what the code printed);
    ``output_name``; ``nodes`` (name, kind, data, grad); ``dot`` (the drawing, DOT text);
    ``steps`` (one per op node: node, op, LaTeX rule, upstream gradient, and per input
    the local derivative, what is sent, and the input's sum so far, with the step's DOT);
    ``gradcheck``.
    """
    printed = io.StringIO()
    namespace = {"__name__": "__play__", "Value": Value, "math": math, "minigrad": minigrad}
    stage = ""
    try:
        compiled = compile(code, FILENAME, "exec")
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            exec(compiled, namespace)  # noqa: S102 -- the learner's own code, in their own browser
        stage = "backward pass: "  # past the learner's code: an error now is the engine's, at these values
        name, root = _output(namespace)
        if root is None:
            raise ValueError("the code computed no Value: end with an expression such as L = (a*b + a).tanh()")
        if isinstance(root._op, Freed):
            raise RuntimeError(f"{name}.backward() already ran and freed what the graph saved: leave it out, "
                               "Run calls backward for you (on a copy of the walk, drawing every step)")
        for key, value in namespace.items():  # name the boxes after the learner's variables
            if isinstance(value, Value) and not value.label and not key.startswith("_"):
                value.label = key
        order = toposort(root)
        trace = backward_trace(root)
        grads = trace.grads
        nodes = [{"name": trace.names[n], "kind": kind_of(n, root), "data": _num(n.data),
                  "grad": _num(grads[n]) if n in grads else None} for n in order]
        steps = []
        known = {root: grads[root]}
        big = len(order) > MAX_NODES
        for s in trace.steps:
            parents = s.node._parents
            # d node / d input: the op's own VJP with 1 arriving; constants get no gradient (as in the trace)
            locals_ = s.node._op.scalar_vjp(1.0, *(p.data for p in parents), s.node.data)
            local = [d for p, d in zip(parents, locals_) if p.requires_grad]
            known.update(s.accumulated)
            sends = [{"name": trace.names[p], "local": _num(d), "sent": _num(c), "sum": _num(acc)}
                     for d, (p, c), (_, acc) in zip(local, s.contributions, s.accumulated)]
            steps.append({"index": s.index, "name": s.name, "op": s.op, "rule": s.rule,
                          "inputs": [trace.names[p] for p in parents], "upstream": _num(s.upstream),
                          "sends": sends,
                          "dot": None if big else draw(root, grads=dict(known), highlight=s.node, show_grad=True,
                                                       legend=False).source})
        leaves = [n for n in order if not n._parents and n.requires_grad]
        result = {"ok": True, "printed": _printed(printed), "output_name": name, "nodes": nodes,
                  "dot": draw(root, grads=grads, show_grad=True).source, "steps": steps,
                  "gradcheck": _check(root, leaves, grads)}
    except BaseException as err:  # noqa: BLE001 -- anything the learner's code raises (even SystemExit) is shown
        result = {"ok": False, "error": stage + _message(err), "printed": _printed(printed)}
    return json.dumps(result)
