"""The tensor engine's primitives: a table of derivatives on NumPy arrays.

Each primitive is its forward on arrays with, in the decorator right above it, one VJP
per input: ``vjp(g, *inputs, out, **kwargs)``, one line each, with its derivation in a
comment. A VJP is written for the *broadcast* shape: the engine sums every gradient
back to its operand's shape in one place (:func:`sum_to_shape`), so no rule here has to.

The same VJP line serves first and higher derivatives. Normally ``g``, the inputs and
``out`` are arrays and the line is plain NumPy. Under ``create_graph=True`` they are
Tensors, the line records new nodes, and the gradient can be differentiated again.
So the rules only use what arrays and Tensors share (operators, ``.sum``,
``.reshape``, ``@``) or :func:`call` (an op by name, on either).
"""

from __future__ import annotations

import math

import numpy as np

from .autograd import Node
from .registry import REGISTRY, primitive

__all__ = ["sum_to_shape", "broadcast_axes", "ShapeError", "call"]


class ShapeError(ValueError):
    """Operands whose shapes do not fit the op; the message names the op and the shapes."""


def call(name: str, x, **kwargs):
    """Op ``name`` on ``x``: its forward on an array, a recorded op on a Tensor.

    Examples
    --------
    >>> call("exp", np.zeros(2))
    array([1., 1.])
    """
    if isinstance(x, Node):
        return x._record(name, x, **kwargs)
    spec = REGISTRY[name]
    return spec.tensor(x, **kwargs)[0] if spec.saves else spec.tensor(x, **kwargs)


def _raw(x) -> np.ndarray:
    """The array behind an input (masks and indices are constants, never differentiated)."""
    return x._data if isinstance(x, Node) else x


# ndarray.sum without its Python layer (NumPy's _methods._sum calls this): every backward
# pass sums a bias's gradient over the batch, and most losses are sums.
_add_reduce = np.add.reduce


def broadcast_axes(grad_shape: tuple, shape: tuple) -> tuple:
    """Axes of ``grad_shape`` that broadcasting added or stretched to reach it from ``shape``.

    Raises
    ------
    ShapeError
        If ``shape`` does not broadcast to ``grad_shape``: a gradient that does not fit its
        operand is a bug in a rule, never something to reshape away.

    Examples
    --------
    >>> broadcast_axes((256, 10), (10,))
    (0,)
    >>> broadcast_axes((3, 4), (3, 1))
    (1,)
    """
    lead = len(grad_shape) - len(shape)
    if lead >= 0 and grad_shape[lead:] == shape:  # only leading axes added (a bias over a batch)
        return tuple(range(lead))
    axes = list(range(lead))
    for i, n in enumerate(shape):
        if lead < 0 or n != grad_shape[lead + i]:
            if lead < 0 or n != 1:
                raise ShapeError(f"internal error: a gradient of shape {tuple(grad_shape)} does not fit its "
                                 f"operand of shape {tuple(shape)} (which does not broadcast to it)")
            axes.append(lead + i)  # a size-1 axis that broadcasting stretched
    return tuple(axes)


def sum_to_shape(grad, shape: tuple):
    """Undo broadcasting: sum ``grad`` over the axes that broadcasting stretched.

    If ``b`` of shape (10,) was added to every row of a (256, 10) array, each element of
    ``b`` influenced 256 outputs, so its gradient is the sum of those 256 gradients.
    Works on arrays and (under ``create_graph``) on Tensors.

    Examples
    --------
    >>> sum_to_shape(np.ones((256, 10)), (10,))[:3]
    array([256., 256., 256.])
    """
    axes = broadcast_axes(grad.shape, shape)
    if not axes:
        return grad
    total = _add_reduce(grad, axes) if type(grad) is np.ndarray else grad.sum(axis=axes)
    if type(total) is np.ndarray and total.shape == shape:  # leading axes summed away: done
        return total
    return total.reshape(shape)  # stretched axes of size 1 put back (and a NumPy scalar made an array)


def _kept(shape: tuple, axis) -> tuple:
    """``shape`` with the reduced axes kept as 1 (``axis`` is None or a tuple of axes >= 0)."""
    return tuple(1 if axis is None or i in axis else n for i, n in enumerate(shape))


def _unreduce(g, x, axis):
    """Give a reduced gradient back the axes that sum/max/logsumexp removed (as size 1)."""
    return g.reshape(_kept(x.shape, axis))


def _mT(x):
    """Swap the last two axes (a matrix transpose over any batch axes)."""
    if isinstance(x, Node):
        return call("transpose", x, axes=tuple(range(x.ndim - 2)) + (x.ndim - 1, x.ndim - 2))
    return x.swapaxes(-1, -2)


# ------------------------------------------------------------------ element-wise

@primitive("add", "tensor", lambda g, a, b, out: g,          # d(a+b)/da = 1
                            lambda g, a, b, out: g,          # d(a+b)/db = 1
           reads=((), ()))
def add(a, b):
    return a + b


@primitive("sub", "tensor", lambda g, a, b, out: g,          # d(a-b)/da = 1
                            lambda g, a, b, out: -g,         # d(a-b)/db = -1
           reads=((), ()))
def sub(a, b):
    return a - b


@primitive("mul", "tensor", lambda g, a, b, out: g * b,      # d(ab)/da = b
                            lambda g, a, b, out: g * a,      # d(ab)/db = a
           reads=((1,), (0,)))
def mul(a, b):
    return a * b


@primitive("div", "tensor", lambda g, a, b, out: g / b,              # d(a/b)/da = 1/b
                            lambda g, a, b, out: -g * a / (b * b),   # d(a/b)/db = -a/b^2
           floats=True, reads=((1,), (0, 1)))  # (a, not out: a later edit of a/b may, as in PyTorch)
def div(a, b):
    return a / b


# d a^b/da = b a^(b-1), taken as 0 at a = b = 0 (as PyTorch: no 0 * inf = NaN);
#   adding [a == 0 and b == 0] to the exponent makes that term b * a^0 = 0 without a branch.
# d a^b/db = a^b ln a, taken as 0 where a == 0 and b >= 0 (ln is fed 1 there).
def _dpow_da(g, a, b, out):
    # The usual x ** 2 needs no mask (tested as a Python float: a 0-d array's != is slow).
    if _raw(b).ndim == 0 and float(_raw(b)) != 0:
        return g * b * a ** (b - 1)
    return g * b * a ** (b - 1 + ((_raw(a) == 0) & (_raw(b) == 0)))


@primitive("pow", "tensor", _dpow_da,
                            lambda g, a, b, out: g * out * call("log", a + (_raw(a) == 0) * (_raw(b) >= 0)),
           reads=((0, 1), (0, "out")))
def pow_(a, b):
    return a ** b  # IEEE results (0 ** -0.5 = inf), as PyTorch; NumPy may warn


@primitive("neg", "tensor", lambda g, x, out: -g, reads=((),))            # d(-x)/dx = -1
def neg(x):
    return -x


@primitive("abs", "tensor", lambda g, x, out: g * np.sign(_raw(x)), reads=((0,),))  # sign(x), 0 at 0
def abs_(x):
    return np.abs(x)


@primitive("exp", "tensor", lambda g, x, out: g * out, floats=True, reads=(("out",),))  # e^x: reuse out
def exp(x):
    return np.exp(x)  # overflow is inf, as in PyTorch; detect_anomaly reports it


@primitive("log", "tensor", lambda g, x, out: g / x, floats=True, reads=((0,),))    # d ln x/dx = 1/x
def log(x):
    return np.log(x)  # log 0 = -inf, log(-1) = nan, as PyTorch (NumPy warns)


@primitive("tanh", "tensor", lambda g, x, out: g * (1 - out * out), floats=True,  # 1 - tanh^2
           reads=(("out",),))
def tanh(x):
    return np.tanh(x)


@primitive("sigmoid", "tensor", lambda g, x, out: g * out * (1 - out), floats=True,  # s(1 - s)
           reads=(("out",),))
def sigmoid(x):
    # sigma(x) = exp(-log(1 + e^-x)); logaddexp never overflows, so +-1000 are fine.
    return np.exp(-np.logaddexp(0, -x))


# [x > 0], read from the output as PyTorch does (so x.relu_() can overwrite x): relu'(0) = 0,
# and at NaN the gradient passes (NaN <= 0 is false), as in PyTorch.
@primitive("relu", "tensor", lambda g, x, out: g * ~(_raw(out) <= 0), reads=(("out",),))
def relu(x):
    return np.maximum(x, 0)


@primitive("where", "tensor", lambda g, a, b, out, condition: g * condition,     # [c]
                              lambda g, a, b, out, condition: g * ~condition,    # [not c]
           reads=((), ()))
def where(a, b, condition):
    return np.where(condition, a, b)


@primitive("cast", "tensor", lambda g, x, out, dtype: call("cast", g, dtype=x.dtype),  # cast back
           reads=((),))
def cast(x, dtype):
    return x.astype(dtype)


# ------------------------------------------------------------------ reductions
# ``axis`` arrives normalised: None (all axes) or a tuple of axes >= 0.

def _sum_vjp(g, x, out, axis, keepdims):
    # every element feeds its sum with weight 1: copy g over the summed axes
    if not isinstance(g, Node):  # arrays (or a NumPy scalar): one fill, no broadcasting machinery
        full = np.empty(x.shape, g.dtype)
        full[...] = g if axis is None else _unreduce(g, x, axis)  # g is 0-d, or has the kept axes
        return full
    return call("expand", _unreduce(g, x, axis), shape=x.shape)


@primitive("sum", "tensor", _sum_vjp, reads=((),))
def sum_(x, axis=None, keepdims=False):
    if x.dtype.kind in "biu":  # integers and bools sum to int64, as PyTorch (NumPy: uint64 for uint8)
        return x.sum(axis=axis, keepdims=keepdims, dtype=np.int64)
    return _add_reduce(x, axis, None, None, keepdims)


def _winners(x, out, axis):
    """Where the maximum is, as weights that share the gradient among ties.

    A NaN is the maximum of its row (NumPy and PyTorch propagate it): only the NaNs of
    that row get its gradient, the rest of the tensor is untouched.
    """
    xr, yr = _raw(x), _raw(out).reshape(_kept(x.shape, axis))
    hit = (xr == yr) | (np.isnan(xr) & np.isnan(yr))
    return hit / hit.sum(axis=axis, keepdims=True)


@primitive("max", "tensor", lambda g, x, out, axis, keepdims: _unreduce(g, x, axis) * _winners(x, out, axis),
           reads=((0, "out"),))
def max_(x, axis=None, keepdims=False):
    return np.max(x, axis=axis, keepdims=keepdims)


@primitive("logsumexp", "tensor",  # d/dx_i log sum_j e^x_j = e^(x_i - out) = softmax(x)_i
           lambda g, x, out, axis, keepdims: _unreduce(g, x, axis) * call("exp", x - _unreduce(out, x, axis)),
           floats=True, reads=((0, "out"),))
def logsumexp(x, axis=None, keepdims=False):
    m = np.max(x, axis=axis, keepdims=True, initial=-np.inf)  # -inf over an empty axis
    m = np.where(np.isfinite(m), m, 0)  # rows of -inf stay -inf instead of becoming nan
    total = np.exp(x - m).sum(axis=axis, keepdims=True)  # shifted by the max: no overflow
    if total.all():
        s = np.log(total) + m
    else:  # log 0 = -inf: an empty sum, or a row of -inf
        with np.errstate(divide="ignore"):
            s = np.log(total) + m
    return s if keepdims else s.reshape([n for i, n in enumerate(s.shape) if axis is not None and i not in axis])


# ------------------------------------------------------------------ linear algebra

def _as_matrices(g, a, b):
    """``g`` with the axes that a 1-D operand of matmul dropped put back: (..., m, n)."""
    if a.ndim > 1 and b.ndim > 1:  # none dropped: g itself (no reshape to record under create_graph)
        return g
    s = g.shape
    s = (1, 1) if a.ndim == 1 and b.ndim == 1 else s[:-1] + (1,) + s[-1:] if a.ndim == 1 else s + (1,) if b.ndim == 1 else s
    return g.reshape(s)


def _matmul_vjp_a(g, a, b, out):  # d(AB)/dA = G B^T
    ga = _as_matrices(g, a, b) @ _mT(b.reshape((-1, 1)) if b.ndim == 1 else b)
    return ga.reshape(ga.shape[:-2] + ga.shape[-1:]) if a.ndim == 1 else ga


def _matmul_vjp_b(g, a, b, out):  # d(AB)/dB = A^T G
    gb = _mT(a.reshape((1, -1)) if a.ndim == 1 else a) @ _as_matrices(g, a, b)
    return gb.reshape(gb.shape[:-1]) if b.ndim == 1 else gb


@primitive("matmul", "tensor", _matmul_vjp_a, _matmul_vjp_b, reads=((1,), (0,)))
def matmul(a, b):
    try:
        return a @ b
    except ValueError:  # the shapes are described only now, so a product that works pays nothing
        pass
    if a.ndim == 0 or b.ndim == 0:
        raise ShapeError(f"matmul: both operands need at least 1 dimension, got shapes {a.shape} and {b.shape}")
    k_a, k_b = a.shape[-1], b.shape[-2 if b.ndim > 1 else 0]
    if k_a != k_b:
        raise ShapeError(
            f"matmul: shapes {a.shape} and {b.shape} are not aligned: "
            f"last dim of the left ({k_a}) != {'second-to-last' if b.ndim > 1 else 'only'} dim of the right ({k_b})"
        )
    return a @ b  # batch axes that do not broadcast: NumPy's error, which apply_op names


def _rows(x):
    """Fold every batch axis into one: (..., n) -> (batch, n), also when n or batch is 0."""
    if x.ndim == 2:  # already (batch, n): x itself (no reshape to record under create_graph)
        return x
    return x.reshape((math.prod(x.shape[:-1]), x.shape[-1]))


@primitive("linear", "tensor",
           lambda g, x, w, b, out: g @ w,                                                 # x: G W
           lambda g, x, w, b, out: _mT(_rows(g)) @ _rows(x),                              # W: G^T x
           lambda g, x, w, b, out: g,                           # b: 1, summed over the batch by sum_to_shape
           reads=((1,), (0,), ()))
def linear(x, w, b):
    if x.ndim == 0 or w.ndim != 2 or x.shape[-1] != w.shape[1] or b.shape != (w.shape[0],):
        raise ShapeError(f"linear: input {x.shape}, weight {w.shape} and bias {b.shape} do not fit: "
                         f"need weight (out, in), input (..., in) and bias (out,)")
    return x @ w.T + b


# ------------------------------------------------------------------ shape and indexing

@primitive("reshape", "tensor", lambda g, x, out, shape: g.reshape(x.shape), reads=((),))  # old shape
def reshape(x, shape):
    return x.reshape(shape)


@primitive("transpose", "tensor",  # a permutation's inverse permutes the gradient back
           lambda g, x, out, axes: call("transpose", g, axes=tuple(np.argsort(axes))), reads=((),))
def transpose(x, axes):
    return x.transpose(axes)


@primitive("expand", "tensor", lambda g, x, out, shape: sum_to_shape(g, x.shape),  # the broadcast undone
           reads=((),))
def expand(x, shape):
    return np.broadcast_to(x, shape)  # a read-only view, as PyTorch's expand (writing into it raises)


def _is_basic(index) -> bool:
    parts = index if isinstance(index, tuple) else (index,)
    return all(isinstance(p, (int, np.integer, slice)) or p is None or p is Ellipsis for p in parts)


@primitive("getitem", "tensor",  # each picked element's gradient goes back to where it was picked
           lambda g, x, out, index: call("scatter_add", g, shape=x.shape, index=index), reads=((),))
def getitem(x, index):
    return x[index]


@primitive("scatter_add", "tensor", lambda g, u, out, shape, index: g[index], reads=((),))  # getitem's VJP
def scatter_add(u, shape, index):
    z = np.zeros(shape, dtype=u.dtype)
    if _is_basic(index):
        z[index] = u  # slices never repeat an element: plain assignment is enough
    else:
        np.add.at(z, index, u)  # x[[0, 0]] uses x[0] twice: its gradients must add up
    return z


# ------------------------------------------------------------------ in-place writes
# An in-place op on a tensor in the graph is recorded as its out-of-place twin: these two
# are the writes that have no other twin (``x[i] = v`` and a write through a view).

def _unwritten(shape: tuple, index) -> np.ndarray:
    """True where ``x[index] = v`` leaves x alone."""
    keep = np.ones(shape, dtype=bool)
    keep[index] = False
    return keep


@primitive("setitem", "tensor",
           lambda g, x, v, out, index: g * _unwritten(x.shape, index),   # overwritten: no gradient to x
           lambda g, x, v, out, index: g[index],                         # v went to x[index]
           reads=((), ()),
           rule=(r"\mathrm{out} = x \text{ with } v \text{ at } I:\quad \bar x = G \text{ zeroed at } I,\quad "
                 r"\bar v = G[I]", "x[I] = v on a tensor in the graph, recorded as this op (PyTorch's index_put_)"))
def setitem(x, v, index):
    out = x.copy()
    out[index] = v
    return out


def view_of(x, chain: tuple):
    """Replay a chain of view ops ``((name, kwargs), ...)`` on ``x`` (an array or a Tensor)."""
    for name, kwargs in chain:
        x = call(name, x, **kwargs)
    return x


def _outside(shape: tuple, chain: tuple) -> np.ndarray:
    """True where a tensor of ``shape`` is not covered by the view ``chain``."""
    keep = np.ones(shape, dtype=bool)
    view_of(keep, chain)[...] = False
    return keep


@primitive("write_view", "tensor",
           lambda g, base, src, out, chain: g * _outside(base.shape, chain),  # overwritten: no gradient
           lambda g, base, src, out, chain: view_of(g, chain),                # src went to the view
           reads=((), ()),
           rule=(r"\mathrm{out} = \mathrm{base} \text{ with } \mathrm{view}(\mathrm{out}) = s:\quad "
                 r"\bar{\mathrm{base}} = G \text{ zeroed on the view},\quad \bar s = \mathrm{view}(G)",
                 "an in-place op through a view rebases the view's base (PyTorch's CopySlices)"))
def write_view(base, src, chain):
    out = base.copy(order="K")  # the base's layout, so that the view ops give views again
    view = view_of(out, chain)
    if not np.shares_memory(view, out):
        raise ValueError(f"internal error: the view chain {chain} no longer gives a view of its base")
    view[...] = src
    return out


# ------------------------------------------------------------------ fused loss

def _cross_entropy_vjp(g, z, out, target, reduction, saved):
    # d loss_i / d z_ij = softmax(z_i)_j - [j = y_i]
    rows = np.arange(len(target))
    if saved is None:  # under create_graph: the softmax as ops, so it differentiates again
        onehot = np.zeros(z.shape, dtype=z.dtype)
        onehot[rows, target] = 1
        d = z.softmax(1) - onehot
    else:  # plain NumPy, from the forward's exponentials; the one-hot subtracted in place
        e, s = saved
        d = e / s
        d[rows, target] -= 1
    if reduction == "none":
        return d * g.reshape((-1, 1))
    return d * (g / z.shape[0] if reduction == "mean" else g)


# reads nothing at first order (the forward's exponentials are its own copies); under
# create_graph the VJP recomputes from z, and the engine then checks z too.
@primitive("cross_entropy", "tensor", _cross_entropy_vjp, floats=True, saves=True, reads=((),))
def cross_entropy(logits, target, reduction="mean"):
    # -log softmax(z)_y = logsumexp(z) - z_y, with the exponentials shifted by the row max
    m = logits.max(axis=1, keepdims=True)
    e = np.exp(logits - m)
    s = e.sum(axis=1, keepdims=True)
    losses = (np.log(s) + m)[:, 0] - logits[np.arange(logits.shape[0]), target]
    out = losses.mean() if reduction == "mean" else losses.sum() if reduction == "sum" else losses
    return np.asarray(out, dtype=logits.dtype), (e, s)  # (e, s) for the VJP: no second exp


# ------------------------------------------------------------------ the book's chapter 2 (issue 21)

@primitive("cumsum", "tensor",  # x_i feeds every out_j with j >= i: g summed from i to the end
           lambda g, x, out, axis: g.sum(axis=axis, keepdims=True) - call("cumsum", g, axis=axis) + g,
           reads=((),))
def cumsum(x, axis):
    return np.cumsum(x, axis=axis)


def _norm_vjp(g, x, out, axis, keepdims):
    # d ||x|| / dx = x / ||x||; at x = 0 (out = 0, so x = 0 too) the subgradient 0, as PyTorch:
    # dividing by out + [out = 0] gives 0 / 1 there instead of 0 / 0.
    return _unreduce(g, x, axis) * x / _unreduce(out + (_raw(out) == 0), x, axis)


@primitive("norm", "tensor", _norm_vjp, floats=True, reads=((0, "out"),))
def norm(x, axis=None, keepdims=False):
    # sqrt(sum x^2), not composed from pow(0.5): that composition's gradient is 0 * inf = nan at 0
    return np.sqrt((x * x).sum(axis=axis, keepdims=keepdims))
