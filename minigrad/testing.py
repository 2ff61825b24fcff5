"""What the tests know about each op, and the hypothesis strategies that enforce it.

The op registry (:mod:`minigrad.registry`) says how each op is differentiated; this
module says how it is *tested*: :data:`CASES` gives every registered op its kind of
inputs, the domain of each input, an independent NumPy reference and whether its
operands broadcast. The strategies below draw inputs from exactly those facts, and
:func:`check_op` asserts forward, gradient and (``order=2``) second derivatives. A new
op is tested by registering it and adding one line to :data:`CASES` — and a test fails
until that line exists.

The facts need only NumPy: :func:`domain_text` (what ``minigrad.explain`` prints) works
without hypothesis, which the strategies import on first use.

Examples
--------
>>> from hypothesis import given
>>> from minigrad.testing import op_cases, check_op
>>> @given(op_cases("tanh"))
... def test_tanh(case):
...     check_op("tanh", *case)
>>> test_tanh()
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .gradcheck import gradcheck, numeric_grad
from .scalar import Value
from .tensor import Tensor, apply_op, to_numpy

__all__ = ["Domain", "DOMAINS", "OpCase", "CASES", "KINDS", "domain_text", "elements", "arrays",
           "broadcast_shapes", "logits", "class_targets", "axes", "op_cases", "expressions",
           "evaluate", "check_op", "check_editions_agree", "numeric_grad"]


# ================================================================ the facts (NumPy only)

@dataclass(frozen=True)
class Domain:
    """Where the tests draw one input from: a range, minus a gap around 0, maybe a grid.

    Attributes
    ----------
    meaning : str
        Why the op needs it, in words ("x > 0").
    low, high : float
        The range drawn from.
    min_abs : float
        Values with ``|x| < min_abs`` are never drawn (a pole or a kink at 0).
    grid : float
        If set, values are distinct multiples of ``grid`` (a unique maximum).

    Examples
    --------
    >>> DOMAINS["nonzero"].text()
    'away from a pole at 0 (tests draw from [-3, -0.5] and [0.5, 3])'
    """

    meaning: str
    low: float
    high: float
    min_abs: float = 0.0
    grid: float = 0.0

    def text(self) -> str:
        """The domain in words, with the bounds the strategies use (one source for both)."""
        if self.grid:
            where = f"distinct multiples of {self.grid:g} in [{self.low:g}, {self.high:g}]"
        elif self.min_abs:
            where = f"[{self.low:g}, {-self.min_abs:g}] and [{self.min_abs:g}, {self.high:g}]"
        else:
            where = f"[{self.low:g}, {self.high:g}]"
        return f"{self.meaning} (tests draw from {where})"


#: name -> :class:`Domain`: where an op is smooth and defined, so finite differences are valid.
DOMAINS = {
    "real": Domain("any real number", -3, 3),
    "positive": Domain("x > 0", 0.2, 4),
    "nonzero": Domain("away from a pole at 0", -3, 3, min_abs=0.5),
    "away_from_zero": Domain("away from a kink at 0", -3, 3, min_abs=0.1),
    "distinct": Domain("values far enough apart that a maximum is unique", -3, 3, grid=0.05),
}

#: How :func:`op_cases` builds inputs for an op.
KINDS = ("elementwise", "where", "cast", "reduction", "matmul", "linear", "reshape", "transpose", "expand",
         "getitem", "scatter", "loss", "scan", "setitem", "write_view")


@dataclass(frozen=True)
class OpCase:
    """The test facts of one op.

    Attributes
    ----------
    kind : str
        One of :data:`KINDS`: how inputs (and keyword arguments) are drawn.
    domain : tuple of str
        One key of :data:`DOMAINS` per differentiable input.
    reference : callable
        An independent plain-NumPy forward; gradients are checked against finite
        differences of it, so a wrong VJP cannot agree by sharing code.
    broadcasts : bool
        Element-wise binary ops whose operands broadcast.

    Examples
    --------
    >>> CASES["div"].arity, CASES["div"].domain
    (2, ('real', 'nonzero'))
    """

    kind: str
    domain: tuple
    reference: Callable
    broadcasts: bool = False

    @property
    def arity(self) -> int:
        """Number of differentiable inputs."""
        return len(self.domain)


def _reference_matmul(a, b):
    """Matrix product as an explicit sum of products (independent of np.matmul)."""
    a2 = a[None, :] if a.ndim == 1 else a
    b2 = b[:, None] if b.ndim == 1 else b
    out = (a2[..., :, :, None] * b2[..., None, :, :]).sum(axis=-2)
    if a.ndim == 1:
        out = out[..., 0, :]
    return out[..., 0] if b.ndim == 1 else out


def _reference_cross_entropy(logits, target, reduction="mean"):
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    losses = -np.log(p[np.arange(len(target)), target])
    return {"mean": np.mean, "sum": np.sum, "none": lambda v: v}[reduction](losses)


def _reference_scatter_add(u, shape, index):
    """Zeros of ``shape`` with ``u`` added at ``index``, via a histogram of flat positions
    (independent of ``np.add.at``)."""
    size = int(np.prod(shape))
    positions = np.arange(size).reshape(shape)[index]
    return np.bincount(np.ravel(positions), weights=np.ravel(np.broadcast_to(u, np.shape(positions))),
                       minlength=size).reshape(shape)


def _reference_setitem(x, v, index):
    """A copy of ``x`` with ``v`` written at ``index`` (plain NumPy)."""
    out = np.array(x, dtype=np.float64)
    out[index] = v
    return out


def _reference_write_view(base, src, chain):
    """A copy of ``base`` with the view ``chain`` of it overwritten by ``src``, via flat positions."""
    positions = np.arange(np.size(base)).reshape(np.shape(base))
    for name, kw in chain:  # the same view ops on the positions, in NumPy's own words
        positions = {"getitem": lambda p: p[kw.get("index")], "transpose": lambda p: np.transpose(p, kw.get("axes")),
                     "reshape": lambda p: np.reshape(p, kw.get("shape"))}[name](positions)
    out = np.array(base, dtype=np.float64).ravel()
    out[np.ravel(positions)] = np.ravel(np.broadcast_to(src, np.shape(positions)))
    return out.reshape(np.shape(base))


def _elementwise(*domain, reference, broadcasts=False) -> OpCase:
    return OpCase("elementwise", tuple(domain), reference, broadcasts)


#: op name -> :class:`OpCase`, one for every op of the registry (a test checks that).
CASES = {
    "add": _elementwise("real", "real", reference=np.add, broadcasts=True),
    "sub": _elementwise("real", "real", reference=np.subtract, broadcasts=True),
    "mul": _elementwise("real", "real", reference=np.multiply, broadcasts=True),
    "div": _elementwise("real", "nonzero", reference=np.divide, broadcasts=True),
    "pow": _elementwise("positive", "real", reference=lambda a, b: np.exp(b * np.log(a)), broadcasts=True),
    "neg": _elementwise("real", reference=np.negative),
    "exp": _elementwise("real", reference=lambda x: np.e ** x),
    "log": _elementwise("positive", reference=lambda x: np.log2(x) / np.log2(np.e)),
    "tanh": _elementwise("real", reference=lambda x: (np.exp(2 * x) - 1) / (np.exp(2 * x) + 1)),
    "sigmoid": _elementwise("real", reference=lambda x: 1 / (1 + np.exp(-x))),
    "relu": _elementwise("away_from_zero", reference=lambda x: np.where(x > 0, x, 0.0)),
    "abs": _elementwise("away_from_zero", reference=lambda x: np.where(x < 0, -x, x)),
    "where": OpCase("where", ("real", "real"), lambda a, b, condition: a * condition + b * ~condition),
    # a change of precision is the identity on numbers: its gradient is the identity too
    "cast": OpCase("cast", ("real",), lambda x, dtype: np.array(x, dtype=np.float64)),
    "sum": OpCase("reduction", ("real",), lambda x, axis=None, keepdims=False:
                  np.add.reduce(x, axis=axis, keepdims=keepdims)),
    "max": OpCase("reduction", ("distinct",), lambda x, axis=None, keepdims=False:
                  np.amax(x, axis=axis, keepdims=keepdims)),
    "logsumexp": OpCase("reduction", ("real",), lambda x, axis=None, keepdims=False:
                        np.log(np.sum(np.exp(x), axis=axis, keepdims=keepdims))),
    "matmul": OpCase("matmul", ("real", "real"), _reference_matmul),
    "linear": OpCase("linear", ("real", "real", "real"), lambda x, w, b: _reference_matmul(x, w.T) + b),
    "reshape": OpCase("reshape", ("real",), lambda x, shape: np.reshape(x, shape)),
    "transpose": OpCase("transpose", ("real",), lambda x, axes=None: np.transpose(x, axes)),
    "expand": OpCase("expand", ("real",), lambda x, shape: x * np.ones(shape)),
    "getitem": OpCase("getitem", ("real",), lambda x, index: np.asarray(x)[index]),
    "scatter_add": OpCase("scatter", ("real",), _reference_scatter_add),
    "cross_entropy": OpCase("loss", ("real",), _reference_cross_entropy),
    "cumsum": OpCase("scan", ("real",), lambda x, axis: np.moveaxis(np.tril(np.ones((x.shape[axis],) * 2))
                                                                  @ np.moveaxis(x, axis, -2), -2, axis)
                     if x.ndim > 1 else np.tril(np.ones((x.size,) * 2)) @ x),
    # away from 0, where the norm has a kink (its gradient x / |x| jumps)
    "norm": OpCase("reduction", ("away_from_zero",), lambda x, axis=None, keepdims=False:
                   np.exp(0.5 * np.log(np.add.reduce(np.square(x), axis=axis, keepdims=keepdims)))),
    "setitem": OpCase("setitem", ("real", "real"), _reference_setitem),
    "write_view": OpCase("write_view", ("real", "real"), _reference_write_view),
}


def _case(op) -> tuple:
    """(name, OpCase) from an op name or anything with a ``.name`` (an OpSpec)."""
    name = getattr(op, "name", op)
    if name not in CASES:
        raise KeyError(f"op {name!r} has no test case: add an OpCase for it to minigrad.testing.CASES")
    return name, CASES[name]


def domain_text(op_name: str) -> str:
    """Where the tests check ``op_name``, in words; ``''`` for an op without a case.

    Needs only NumPy, so ``minigrad.explain`` can show it without hypothesis installed.

    Examples
    --------
    >>> domain_text("log")
    'x: x > 0 (tests draw from [0.2, 4])'
    >>> domain_text("pow")
    'a: x > 0 (tests draw from [0.2, 4]); b: any real number (tests draw from [-3, 3])'
    """
    case = CASES.get(op_name)
    if case is None:
        return ""
    names = ("x",) if case.arity == 1 else ("a", "b") if case.arity == 2 else tuple(f"x{i}" for i in range(case.arity))
    return "; ".join(f"{n}: {DOMAINS[d].text()}" for n, d in zip(names, case.domain))


# ================================================================ strategies (hypothesis)

def _hypothesis():
    """hypothesis's strategies, imported on first use with a clear message if missing."""
    try:
        from hypothesis import strategies as st
        from hypothesis.extra import numpy as hnp
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("minigrad.testing's strategies need hypothesis: pip install hypothesis") from None
    return st, hnp


def elements(domain: str = "real"):
    """Floats from one of :data:`DOMAINS`.

    Examples
    --------
    >>> from hypothesis import find
    >>> find(elements("positive"), lambda x: True) >= 0.2
    True
    """
    st, _ = _hypothesis()
    d = DOMAINS[domain]
    if d.grid:  # integers times the grid: values at least one grid step apart
        return st.integers(int(np.ceil(d.low / d.grid)), int(np.floor(d.high / d.grid))).map(lambda k: k * d.grid)
    if d.min_abs:
        return st.one_of(st.floats(d.low, -d.min_abs), st.floats(d.min_abs, d.high))
    return st.floats(d.low, d.high)


def arrays(domain: str = "real", shape=None, dtype=np.float64, min_dims: int = 0, max_dims: int = 3,
           max_side: int = 4):
    """Arrays whose values lie in ``domain``; a random small shape unless one is given.

    Examples
    --------
    >>> from hypothesis import find
    >>> find(arrays(shape=(2, 3)), lambda a: True).shape
    (2, 3)
    """
    st, hnp = _hypothesis()
    if shape is None:
        shape = hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=1, max_side=max_side)
    return hnp.arrays(dtype, shape, elements=elements(domain), unique=bool(DOMAINS[domain].grid))


def broadcast_shapes(num_shapes: int = 2, max_dims: int = 3, max_side: int = 4):
    """Tuples of shapes that broadcast together, e.g. ``((3, 1), (4,))``.

    Examples
    --------
    >>> from hypothesis import find
    >>> find(broadcast_shapes(), lambda s: len(s[0]) == 2 and len(s[1]) == 1)
    ((1, 1), (1,))
    """
    _, hnp = _hypothesis()
    return hnp.mutually_broadcastable_shapes(num_shapes=num_shapes, max_dims=max_dims, max_side=max_side).map(
        lambda bs: bs.input_shapes)


def logits(max_batch: int = 6, max_classes: int = 5, scale: float = 3.0):
    """(N, C) float64 score matrices.

    Examples
    --------
    >>> from hypothesis import find
    >>> find(logits(), lambda z: True).shape
    (1, 2)
    """
    st, hnp = _hypothesis()
    shape = st.tuples(st.integers(1, max_batch), st.integers(2, max_classes))
    return shape.flatmap(lambda s: hnp.arrays(np.float64, s, elements=st.floats(-scale, scale)))


def class_targets(n: int, num_classes: int):
    """Integer class indices in ``0..num_classes-1``, shape ``(n,)``.

    Examples
    --------
    >>> from hypothesis import find
    >>> find(class_targets(4, 3), lambda y: True)
    array([0, 0, 0, 0])
    """
    st, hnp = _hypothesis()
    return hnp.arrays(np.int64, (n,), elements=st.integers(0, num_classes - 1))


def axes(ndim: int, permutation: bool = False):
    """Axes of an ``ndim``-dimensional array, each spelled positive or negative at random.

    ``permutation=True`` draws an ordering of all axes (for ``permute``); otherwise one
    axis or a tuple of distinct axes (for reductions), ``-1`` and ``ndim - 1`` alike.

    Examples
    --------
    >>> from hypothesis import find
    >>> find(axes(3, permutation=True), lambda p: p[0] < 0)
    (-3, 1, 2)
    """
    st, _ = _hypothesis()
    if permutation:
        return st.permutations(range(ndim)).flatmap(lambda p: st.tuples(
            *[st.sampled_from([a, a - ndim]) for a in p]))
    one = st.integers(-ndim, ndim - 1)
    return st.one_of(one, st.lists(one, min_size=1, max_size=ndim, unique_by=lambda a: a % ndim).map(tuple))


def op_cases(op, dtype=np.float64):
    """Inputs for one op: ``(list of arrays, dict of keyword arguments)``, per its :class:`OpCase`.

    The keyword arguments are what the primitive itself takes (axes already
    normalised to ``>= 0``, as ``Tensor``'s methods pass them); the methods' own
    handling of negative axes is tested through the methods, with :func:`axes`.

    Parameters
    ----------
    op : str or OpSpec
        The op's name (or its registry entry).
    dtype : numpy dtype
        Of the floating-point inputs.

    Examples
    --------
    >>> from hypothesis import find
    >>> args, kwargs = find(op_cases("transpose"), lambda case: case[0][0].ndim == 2)
    >>> args[0].shape, kwargs
    ((1, 1), {'axes': (0, 1)})
    >>> args, kwargs = find(op_cases("sum"), lambda case: case[1]["axis"] is not None)
    >>> kwargs
    {'axis': (0,), 'keepdims': False}
    """
    st, hnp = _hypothesis()
    _, case = _case(op)
    d = case.domain

    @st.composite
    def draw_case(draw):
        if case.kind == "elementwise":
            shapes = (draw(broadcast_shapes(case.arity)) if case.broadcasts
                      else [draw(hnp.array_shapes(min_dims=0))] * case.arity)
            return [draw(arrays(dom, shape, dtype)) for dom, shape in zip(d, shapes)], {}
        if case.kind == "where":
            sa, sb, sc = draw(broadcast_shapes(3))
            condition = draw(hnp.arrays(np.bool_, sc))
            return [draw(arrays(d[0], sa, dtype)), draw(arrays(d[1], sb, dtype))], {"condition": condition}
        if case.kind == "cast":
            x = draw(arrays(d[0], dtype=dtype))
            return [x], {"dtype": draw(st.sampled_from([np.dtype(np.float32), np.dtype(np.float64)]))}
        if case.kind == "reduction":
            x = draw(arrays(d[0], dtype=dtype, min_dims=1))
            axis = draw(st.one_of(st.none(), st.lists(st.integers(0, x.ndim - 1), min_size=1, max_size=x.ndim,
                                                      unique=True).map(tuple)))
            return [x], {"axis": axis, "keepdims": draw(st.booleans())}
        if case.kind == "expand":
            shape, other = draw(broadcast_shapes(2))  # shape stretched to what it broadcasts to with other
            return [draw(arrays(d[0], shape, dtype))], {"shape": np.broadcast_shapes(shape, other)}
        if case.kind == "matmul":
            n, k, m, b = (draw(st.integers(1, 4)) for _ in range(4))
            left, right = draw(st.sampled_from([
                ((n, k), (k, m)), ((k,), (k, m)), ((n, k), (k,)), ((k,), (k,)),
                ((b, n, k), (k, m)), ((b, n, k), (b, k, m)), ((2, 1, n, k), (b, k, m)), ((k,), (b, k, m)),
            ]))
            return [draw(arrays(d[0], left, dtype)), draw(arrays(d[1], right, dtype))], {}
        if case.kind == "linear":
            n_in, n_out = draw(st.integers(1, 4)), draw(st.integers(1, 4))
            batch = draw(st.sampled_from([(), (draw(st.integers(1, 4)),), (2, draw(st.integers(1, 3)))]))
            return [draw(arrays(d[0], (*batch, n_in), dtype)), draw(arrays(d[1], (n_out, n_in), dtype)),
                    draw(arrays(d[2], (n_out,), dtype))], {}
        if case.kind == "reshape":
            x = draw(arrays(d[0], dtype=dtype, min_dims=1))
            shape = draw(st.one_of(st.permutations(x.shape).map(tuple), st.just((-1,)), st.just((1, x.size))))
            return [x], {"shape": shape}
        if case.kind == "transpose":
            x = draw(arrays(d[0], dtype=dtype, min_dims=1))
            return [x], {"axes": tuple(draw(st.permutations(range(x.ndim))))}
        if case.kind == "getitem":
            x = draw(arrays(d[0], dtype=dtype, min_dims=1))
            return [x], {"index": draw(_index(x))}
        if case.kind == "scatter":  # getitem's VJP: u lands at x[index] in zeros shaped like x
            shape = draw(hnp.array_shapes(min_dims=1, max_side=4))
            index = draw(_index(np.zeros(shape)))
            picked_shape = np.zeros(shape)[index].shape
            return [draw(arrays(d[0], picked_shape, dtype))], {"shape": shape, "index": index}
        if case.kind == "loss":
            z = draw(logits()).astype(dtype)
            target = draw(class_targets(z.shape[0], z.shape[1]))
            return [z], {"target": target, "reduction": draw(st.sampled_from(["mean", "sum", "none"]))}
        if case.kind == "scan":  # a cumulative op along one axis (>= 0)
            x = draw(arrays(d[0], dtype=dtype, min_dims=1))
            return [x], {"axis": draw(st.integers(0, x.ndim - 1))}
        if case.kind == "setitem":  # x[index] = v: an index that writes each element once
            x = draw(arrays(d[0], dtype=dtype, min_dims=1))
            index = draw(_index(x, repeats=False))
            target = x[index].shape
            shape = draw(st.sampled_from([target, target[1:] if target else target, (1,) * len(target)]))
            return [x, draw(arrays(d[1], shape, dtype))], {"index": index}
        if case.kind == "write_view":  # base with a view of it (slice, transpose, reshape) overwritten
            x = draw(arrays(d[0], dtype=dtype, min_dims=2))
            chain = [("getitem", {"index": (slice(draw(st.integers(0, x.shape[0] - 1)), None),)})]
            if draw(st.booleans()):
                chain.append(("transpose", {"axes": tuple(reversed(range(x.ndim)))}))
            view = x[chain[0][1]["index"]].transpose(*chain[-1][1]["axes"]) if len(chain) > 1 else x[chain[0][1]["index"]]
            if draw(st.booleans()) and view.flags.c_contiguous:
                chain.append(("reshape", {"shape": (-1,)}))
                view = view.reshape(-1)
            return [x, draw(arrays(d[1], view.shape, dtype))], {"chain": tuple(chain)}
        raise ValueError(f"no strategy for op kind {case.kind!r}")

    return draw_case()


def _index(x: np.ndarray, repeats: bool = True):
    """Indices into ``x``: slices, integers (negative too) and integer arrays with repeats
    (``repeats=False``: each element at most once, and boolean masks: what a write may use)."""
    st, hnp = _hypothesis()
    rows = st.integers(-x.shape[0], x.shape[0] - 1)
    choices = [
        st.builds(slice, st.integers(0, x.shape[0]), st.none()),
        st.lists(rows, min_size=1, max_size=6).map(np.array),  # repeats allowed: must add up
        rows,
    ]
    if not repeats:
        choices[1] = st.lists(st.integers(0, x.shape[0] - 1), min_size=1, max_size=6, unique=True).map(np.array)
        return st.one_of(*choices, hnp.arrays(np.bool_, x.shape))
    if x.ndim >= 2:
        cols = st.integers(-x.shape[1], x.shape[1] - 1)
        choices.append(st.integers(1, 6).flatmap(lambda n: st.tuples(
            st.lists(rows, min_size=n, max_size=n).map(np.array),
            st.lists(cols, min_size=n, max_size=n).map(np.array))))
    return st.one_of(*choices)


# ---------------------------------------------------------------- random expression graphs

_UNARY = ("neg", "tanh", "sigmoid")
_BINARY = {"add": operator.add, "sub": operator.sub, "mul": operator.mul}


def expressions(num_inputs: int = 2, max_steps: int = 8):
    """A random program over ``num_inputs`` inputs, as steps ``(op, i)`` or ``(op, i, j)``.

    Step ``s`` may use the inputs and the results of earlier steps, so inputs get reused
    and the graph has diamonds. Only smooth, total ops are used, so any real input works.

    Examples
    --------
    >>> from hypothesis import find
    >>> find(expressions(), lambda steps: len(steps) == 2)
    [('neg', 0), ('neg', 0)]
    """
    st, _ = _hypothesis()

    def step(s):
        available = st.integers(0, num_inputs + s - 1)
        return st.one_of(st.tuples(st.sampled_from(_UNARY), available),
                         st.tuples(st.sampled_from(sorted(_BINARY)), available, available))

    return st.integers(1, max_steps).flatmap(lambda n: st.tuples(*[step(s) for s in range(n)]).map(list))


def evaluate(steps: list, inputs: list):
    """Run a program from :func:`expressions` on Values, Tensors or floats alike.

    Examples
    --------
    >>> evaluate([("mul", 0, 1), ("neg", 2)], [2.0, 3.0])
    -6.0
    """
    vals = list(inputs)
    for op, *args in steps:
        if op in _BINARY:
            vals.append(_BINARY[op](vals[args[0]], vals[args[1]]))
        elif op == "neg":
            vals.append(-vals[args[0]])
        else:
            vals.append(getattr(vals[args[0]], op)())
    return vals[-1]


# ================================================================ the assertion helper

# Ops that Value reaches through an operator; the others are methods of the same name.
_SCALAR_OPERATORS = {"add": operator.add, "sub": operator.sub, "mul": operator.mul,
                     "div": operator.truediv, "pow": operator.pow, "neg": operator.neg}


def _run_scalar(name: str, *xs):
    """Apply op ``name`` to Values through Value's public operators and methods."""
    if name in _SCALAR_OPERATORS:
        return _SCALAR_OPERATORS[name](*xs)
    return getattr(xs[0], name)(*xs[1:])


def check_op(op, args: list, kwargs: dict, engine: str = "tensor", order: int = 1,
             atol: float = 1e-5, rtol: float = 1e-4, seed: int = 0) -> None:
    """Assert an op's forward against its NumPy reference and its derivatives against
    finite differences.

    ``order=1``: the forward matches ``CASES[op].reference``; each VJP matches central
    differences **of that reference** (a wrong VJP cannot agree by sharing code); each
    gradient has its input's shape. ``order=2``: :func:`minigrad.gradcheck` with
    ``order=2``, second derivatives against finite differences of first derivatives.

    Parameters
    ----------
    op : str or OpSpec
    args, kwargs
        As drawn by :func:`op_cases` (for ``engine="scalar"``: floats, no kwargs).
    engine : {"tensor", "scalar"}
    order : {1, 2}

    Examples
    --------
    >>> import numpy as np
    >>> check_op("mul", [np.array([1.0, 2.0]), np.array(3.0)], {})
    >>> check_op("mul", [np.array([1.0, 2.0]), np.array(3.0)], {}, order=2)
    """
    name, case = _case(op)
    args = [np.asarray(a, dtype=np.float64) for a in args]
    if order == 2:
        if engine == "tensor":
            gradcheck(lambda *xs: apply_op(name, *xs, **kwargs), args, atol=atol, rtol=rtol, seed=seed, order=2)
        else:
            _check_scalar_second_order(name, args, atol, rtol)
        return
    if engine == "tensor":
        xs = [Tensor(a.copy(), requires_grad=True) for a in args]
        out = apply_op(name, *xs, **kwargs)
        data = to_numpy(out)
    elif engine == "scalar":
        xs = [Value(float(a)) for a in args]
        out = _run_scalar(name, *xs)
        data = np.asarray(out.data)
    else:
        raise ValueError(f"engine must be 'tensor' or 'scalar', got {engine!r}")
    expected = np.asarray(case.reference(*args, **kwargs), dtype=np.float64)
    np.testing.assert_allclose(data, expected, rtol=1e-7, atol=1e-9, err_msg=f"{name}: forward vs NumPy")
    v = np.random.default_rng(seed).standard_normal(data.shape)
    if engine == "tensor":
        out.backward(gradient=Tensor(v))
        grads = [None if x.grad is None else to_numpy(x.grad) for x in xs]
    else:
        out.backward()  # seed 1: scale by v afterwards (the VJP is linear in its seed)
        grads = [np.asarray(x.grad * float(v)) for x in xs]
    for i, (a, g) in enumerate(zip(args, grads)):
        assert g is not None, f"{name}: no gradient reached input {i}"
        assert np.shape(g) == a.shape, f"{name}: gradient of input {i} has shape {np.shape(g)}, input {a.shape}"

        def f(ai, i=i):
            others = [ai if k == i else args[k] for k in range(len(args))]
            return float(np.sum(np.asarray(case.reference(*others, **kwargs)) * v))

        np.testing.assert_allclose(g, numeric_grad(f, a), rtol=rtol, atol=atol,
                                   err_msg=f"{name} ({engine}): gradient of input {i} vs finite differences")


def _check_scalar_second_order(name: str, args: list, atol: float, rtol: float) -> None:
    """Value engine: d/dx_j of (d op / d x_i), by backward(create_graph=True) then backward
    of each gradient, against finite differences of the first derivatives (computed by
    the plain first-order backward, which test order 1 checked)."""

    def first(point, create_graph: bool = False) -> list:
        xs = [Value(float(a)) for a in point]
        _run_scalar(name, *xs).backward(create_graph=create_graph)
        return xs

    for i in range(len(args)):
        xs = first(args, create_graph=True)  # a fresh graph per derivative: backward() frees it
        gi = xs[i].grad
        for y in xs:
            y.grad = 0.0
        if isinstance(gi, Value) and gi.requires_grad:
            gi.backward()
        # (otherwise the first derivative is a constant: its own derivatives are zero)
        analytic = [float(_value_grad(y)) for y in xs]
        for j in range(len(xs)):
            def f(aj, j=j):
                point = [aj if k == j else args[k] for k in range(len(args))]
                return float(_value_grad(first(point)[i]))

            numeric = float(numeric_grad(f, args[j]))
            assert abs(analytic[j] - numeric) <= atol + rtol * abs(numeric), (
                f"{name} (scalar): d2/dx{j} dx{i} is {analytic[j]:.8g}, finite differences of the "
                f"first derivative give {numeric:.8g}")


def _value_grad(v) -> float:
    g = v.grad  # a float, or a Value after backward(create_graph=True)
    return g.data if hasattr(g, "data") else g


# ================================================================ the reading edition as a third engine

def _edition_grads(make, run, args: list, kwargs: dict, v, ws: list, order: int):
    """Forward and gradients of one op on one edition, through the public API both share.

    Order 1: d sum(out * v) / d input. Order 2: the gradient of sum_i sum(grad_i * w_i)
    after ``backward(create_graph=True)``: every second derivative, contracted.
    """
    def total(t):  # a Tensor summed, a Value as it is
        return t.sum() if hasattr(t, "sum") else t

    xs = [make(a) for a in args]
    out = run(*xs, **kwargs)
    total(out * v).backward(create_graph=order == 2)
    grads = [x.grad for x in xs]
    if order == 2:
        second = None
        for g, w in zip(grads, ws):
            if getattr(g, "requires_grad", False):  # a constant first derivative: its derivatives are 0
                second = total(g * w) if second is None else second + total(g * w)
        for x in xs:
            x.grad = 0.0 if isinstance(x.data, float) else None  # a Value's grad starts at 0, a Tensor's at None
        if second is not None:
            second.backward()
        grads = [x.grad for x in xs]
    as_array = lambda t: np.zeros(()) if t is None else np.asarray(t.data if hasattr(t, "_parents") else t, dtype=np.float64)  # noqa: E731
    return as_array(out), [as_array(g) for g in grads]


def check_editions_agree(op, args: list, kwargs: dict, engine: str = "tensor", order: int = 1,
                         rtol: float = 1e-9, atol: float = 1e-12, seed: int = 0) -> None:
    """Assert that :mod:`minigrad.simple` and the real engine give one op the same forward
    and the same first (``order=1``) or second (``order=2``) derivatives.

    The real engine is checked against finite differences by :func:`check_op`; this keeps
    the reading edition from drifting away from it (and it from the reading edition).

    Examples
    --------
    >>> import numpy as np
    >>> check_editions_agree("mul", [np.array([1.0, 2.0]), np.array(3.0)], {}, order=2)
    >>> check_editions_agree("pow", [np.float64(-1.5), np.float64(2.0)], {}, engine="scalar", order=2)
    """
    from . import simple

    name, _ = _case(op)
    args = [np.asarray(a, dtype=np.float64) for a in args]
    rng = np.random.default_rng(seed)
    if engine == "tensor":
        v = rng.standard_normal(np.shape(apply_op(name, *[Tensor(a) for a in args], **kwargs)._data))
        ws = [rng.standard_normal(a.shape) for a in args]
        editions = {"minigrad": (lambda a: Tensor(a.copy(), requires_grad=True), lambda *x, **k: apply_op(name, *x, **k)),
                    "minigrad.simple": (lambda a: simple.Tensor(a.copy(), requires_grad=True),
                                        lambda *x, **k: simple.apply(name, *x, **k))}
    elif engine == "scalar":
        v, ws = float(rng.standard_normal()), [float(w) for w in rng.standard_normal(len(args))]
        editions = {"minigrad": (lambda a: Value(float(a)), lambda *x: _run_scalar(name, *x)),
                    "minigrad.simple": (lambda a: simple.Value(float(a)), lambda *x: _run_scalar(name, *x))}
    else:
        raise ValueError(f"engine must be 'tensor' or 'scalar', got {engine!r}")
    (out, grads), (s_out, s_grads) = (_edition_grads(make, run, args, kwargs, v, ws, order)
                                      for make, run in editions.values())
    np.testing.assert_allclose(s_out, out, rtol=rtol, atol=atol, err_msg=f"{name} ({engine}): forward of the editions")
    for i, (g, sg) in enumerate(zip(grads, s_grads)):
        np.testing.assert_allclose(sg, g, rtol=rtol, atol=atol, err_msg=(
            f"{name} ({engine}): order-{order} gradient of input {i}, minigrad.simple vs minigrad"))
