"""Hypothesis strategies and an assertion helper for testing ops against finite differences.

A learner who registers a new op gets its property tests from here for free: the
project's tests draw ``op_cases(spec)`` for every entry of the registry and call
:func:`check_op` on it. Needs the optional ``hypothesis`` package.

Examples
--------
>>> from hypothesis import given
>>> from minigrad.registry import REGISTRY
>>> from minigrad.testing import op_cases, check_op
>>> @given(op_cases(REGISTRY["tanh"]))
... def test_tanh(case):
...     check_op(REGISTRY["tanh"], *case)
>>> test_tanh()
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from .registry import OpSpec
from .scalar import Value
from .scalar import _apply as _apply_scalar
from .tensor import Tensor
from .tensor import _apply as _apply_tensor

__all__ = ["elements", "arrays", "broadcast_shapes", "logits", "class_targets", "op_cases",
           "expressions", "evaluate", "check_op", "numeric_grad"]


def elements(domain: str = "real") -> st.SearchStrategy:
    """Floats from one of the registry's domains (see ``minigrad.registry.DOMAINS``)."""
    if domain == "real":
        return st.floats(-3, 3)
    if domain == "positive":
        return st.floats(0.2, 4)
    if domain == "nonzero":
        return st.one_of(st.floats(-3, -0.5), st.floats(0.5, 3))
    if domain == "away_from_zero":
        return st.one_of(st.floats(-3, -0.1), st.floats(0.1, 3))
    if domain == "distinct":  # on a 0.05 grid: distinct values are at least 0.05 apart
        return st.integers(-60, 60).map(lambda k: k * 0.05)
    raise ValueError(f"unknown domain {domain!r}")


def arrays(domain: str = "real", shape=None, dtype=np.float64, min_dims: int = 0, max_dims: int = 3,
           max_side: int = 4) -> st.SearchStrategy:
    """Arrays whose values lie in ``domain``; a random small shape unless one is given."""
    if shape is None:
        shape = hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=1, max_side=max_side)
    return hnp.arrays(dtype, shape, elements=elements(domain), unique=(domain == "distinct"))


def broadcast_shapes(num_shapes: int = 2, max_dims: int = 3, max_side: int = 4) -> st.SearchStrategy:
    """Tuples of shapes that broadcast together, e.g. ((3, 1), (4,))."""
    return hnp.mutually_broadcastable_shapes(num_shapes=num_shapes, max_dims=max_dims, max_side=max_side).map(
        lambda bs: bs.input_shapes)


def logits(max_batch: int = 6, max_classes: int = 5, scale: float = 3.0) -> st.SearchStrategy:
    """(N, C) float64 score matrices."""
    shape = st.tuples(st.integers(1, max_batch), st.integers(2, max_classes))
    return shape.flatmap(lambda s: hnp.arrays(np.float64, s, elements=st.floats(-scale, scale)))


def class_targets(n: int, num_classes: int) -> st.SearchStrategy:
    """Integer class indices in ``0..num_classes-1``, shape (n,)."""
    return hnp.arrays(np.int64, (n,), elements=st.integers(0, num_classes - 1))


@st.composite
def _axis_args(draw, x: np.ndarray) -> dict:
    axis = draw(st.one_of(
        st.none(),
        st.integers(-x.ndim, x.ndim - 1),
        st.lists(st.integers(0, x.ndim - 1), min_size=1, max_size=x.ndim, unique=True).map(tuple),
    ))
    return {"axis": axis, "keepdims": draw(st.booleans())}


@st.composite
def _matmul_pair(draw, domain) -> tuple:
    n, k, m, b = (draw(st.integers(1, 4)) for _ in range(4))
    left, right = draw(st.sampled_from([
        ((n, k), (k, m)), ((k,), (k, m)), ((n, k), (k,)), ((k,), (k,)),
        ((b, n, k), (k, m)), ((b, n, k), (b, k, m)), ((2, 1, n, k), (b, k, m)), ((k,), (b, k, m)),
    ]))
    return [draw(arrays(domain[0], left)), draw(arrays(domain[1], right))]


@st.composite
def _index(draw, x: np.ndarray):
    rows = st.integers(0, x.shape[0] - 1)
    choices = [
        st.builds(slice, st.integers(0, x.shape[0]), st.none()),
        st.lists(rows, min_size=1, max_size=6).map(np.array),  # repeats allowed: must add up
        rows,
    ]
    if x.ndim >= 2:
        cols = st.integers(0, x.shape[1] - 1)
        choices.append(st.integers(1, 6).flatmap(lambda n: st.tuples(
            st.lists(rows, min_size=n, max_size=n).map(np.array),
            st.lists(cols, min_size=n, max_size=n).map(np.array))))
    return draw(st.one_of(*choices))


@st.composite
def op_cases(draw, spec: OpSpec, dtype=np.float64) -> tuple:
    """Inputs for one op: ``(list of arrays, dict of keyword arguments)``, per the op's kind."""
    d = spec.domain
    if spec.kind == "elementwise":
        shapes = draw(broadcast_shapes(spec.arity)) if spec.broadcasts else [draw(hnp.array_shapes(min_dims=0))]
        return [draw(arrays(dom, shape, dtype)) for dom, shape in zip(d, shapes)], {}
    if spec.kind == "reduction":
        x = draw(arrays(d[0], dtype=dtype, min_dims=1))
        return [x], draw(_axis_args(x))
    if spec.kind == "matmul":
        return [a.astype(dtype) for a in draw(_matmul_pair(d))], {}
    if spec.kind == "linear":
        n_in, n_out = draw(st.integers(1, 4)), draw(st.integers(1, 4))
        batch = draw(st.sampled_from([(), (draw(st.integers(1, 4)),), (2, draw(st.integers(1, 3)))]))
        return [draw(arrays(d[0], (*batch, n_in), dtype)), draw(arrays(d[1], (n_out, n_in), dtype)),
                draw(arrays(d[2], (n_out,), dtype))], {}
    if spec.kind == "reshape":
        x = draw(arrays(d[0], dtype=dtype, min_dims=1))
        shape = draw(st.one_of(st.permutations(x.shape).map(tuple), st.just((-1,)), st.just((1, x.size))))
        return [x], {"shape": shape}
    if spec.kind == "transpose":
        x = draw(arrays(d[0], dtype=dtype, min_dims=1))
        return [x], {"axes": tuple(draw(st.permutations(range(x.ndim))))}
    if spec.kind == "getitem":
        x = draw(arrays(d[0], dtype=dtype, min_dims=1))
        return [x], {"index": draw(_index(x))}
    if spec.kind == "loss":
        z = draw(logits()).astype(dtype)
        target = draw(class_targets(z.shape[0], z.shape[1]))
        return [z], {"target": target, "reduction": draw(st.sampled_from(["mean", "sum", "none"]))}
    raise ValueError(f"no strategy for op kind {spec.kind!r}")


# ---------------------------------------------------------------- random expression graphs

_UNARY = ("neg", "tanh", "sigmoid")
_BINARY = ("add", "sub", "mul")


@st.composite
def expressions(draw, num_inputs: int = 2, max_steps: int = 8) -> list:
    """A random program over ``num_inputs`` inputs, as steps ``(op, i)`` or ``(op, i, j)``.

    Step ``s`` may use the inputs and the results of earlier steps, so inputs get reused
    and the graph has diamonds. Only smooth, total ops are used, so any real input works.
    """
    steps = []
    for s in range(draw(st.integers(1, max_steps))):
        available = num_inputs + s
        if draw(st.booleans()):
            steps.append((draw(st.sampled_from(_UNARY)), draw(st.integers(0, available - 1))))
        else:
            i, j = draw(st.integers(0, available - 1)), draw(st.integers(0, available - 1))
            steps.append((draw(st.sampled_from(_BINARY)), i, j))
    return steps


def evaluate(steps: list, inputs: list):
    """Run a program from :func:`expressions` on Values, Tensors or floats alike."""
    import operator

    binary = {"add": operator.add, "sub": operator.sub, "mul": operator.mul}
    vals = list(inputs)
    for op, *args in steps:
        if op in binary:
            vals.append(binary[op](vals[args[0]], vals[args[1]]))
        elif op == "neg":
            vals.append(-vals[args[0]])
        else:
            vals.append(getattr(vals[args[0]], op)())
    return vals[-1]


# ---------------------------------------------------------------- the assertion helper

def numeric_grad(f, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central differences of the scalar function ``f`` at ``x`` (float64, element by element)."""
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        orig = x[idx]
        x[idx] = orig + eps
        up = f(x)
        x[idx] = orig - eps
        down = f(x)
        x[idx] = orig
        grad[idx] = (up - down) / (2 * eps)
    return grad


def check_op(spec: OpSpec, args: list, kwargs: dict, engine: str = "tensor",
             atol: float = 1e-5, rtol: float = 1e-4, seed: int = 0) -> None:
    """Assert that an op's forward matches its NumPy reference and its VJPs match finite
    differences of that reference, and that each gradient has its input's shape.

    The finite differences run on ``spec.reference``, an independent NumPy formula, so a
    wrong VJP cannot agree with them by sharing code.
    """
    args = [np.asarray(a, dtype=np.float64) for a in args]
    if engine == "tensor":
        xs = [Tensor(a.copy(), requires_grad=True) for a in args]
        out = _apply_tensor(spec.name, *xs, **kwargs)
        data = out.data
    elif engine == "scalar":
        xs = [Value(float(a)) for a in args]
        out = _apply_scalar(spec, *xs)
        data = np.asarray(out.data)
    else:
        raise ValueError(f"engine must be 'tensor' or 'scalar', got {engine!r}")
    expected = np.asarray(spec.reference(*args, **kwargs), dtype=np.float64)
    np.testing.assert_allclose(data, expected, rtol=1e-7, atol=1e-9, err_msg=f"{spec.name}: forward vs NumPy")
    v = np.random.default_rng(seed).standard_normal(data.shape)
    if engine == "tensor":
        out.backward(gradient=v)
        grads = [x.grad for x in xs]
    else:
        out.backward()  # seed 1: scale by v afterwards (the VJP is linear in its seed)
        grads = [np.asarray(x.grad * float(v)) for x in xs]
    for i, (a, g) in enumerate(zip(args, grads)):
        assert g is not None, f"{spec.name}: no gradient reached input {i}"
        assert np.shape(g) == a.shape, f"{spec.name}: gradient of input {i} has shape {np.shape(g)}, input {a.shape}"

        def f(ai, i=i):
            others = [ai if k == i else args[k] for k in range(len(args))]
            return float(np.sum(np.asarray(spec.reference(*others, **kwargs)) * v))

        np.testing.assert_allclose(g, numeric_grad(f, a), rtol=rtol, atol=atol,
                                   err_msg=f"{spec.name} ({engine}): gradient of input {i} vs finite differences")
