"""The tensor engine's primitives: a table of derivatives on NumPy arrays.

Each function takes arrays and returns ``(output, vjps)``, one VJP per input, written
for the *broadcast* shape: the engine sums every gradient back to its operand's shape
in one place (:func:`sum_to_shape`, called from ``Tensor._conform``), so no rule here
has to. VJPs only run for inputs that require a gradient, so work that only a
gradient needs (the softmax inside cross-entropy, the log in ``pow``) sits inside them.
Metadata of the element-wise ops (derivative, domain) was registered with their
scalar twins in :mod:`minigrad.scalar`.
"""

from __future__ import annotations

import numpy as np

from .registry import primitive

__all__ = ["sum_to_shape", "broadcast_axes", "ShapeError"]


class ShapeError(ValueError):
    """Operands whose shapes do not fit the op; the message names the op and the shapes."""


def broadcast_axes(grad_shape: tuple, shape: tuple) -> tuple:
    """Axes of ``grad_shape`` that broadcasting added or stretched to reach it from ``shape``.

    Examples
    --------
    >>> broadcast_axes((256, 10), (10,))
    (0,)
    >>> broadcast_axes((3, 4), (3, 1))
    (1,)
    """
    lead = len(grad_shape) - len(shape)
    stretched = tuple(lead + i for i, n in enumerate(shape) if n == 1 and grad_shape[lead + i] != 1)
    return tuple(range(lead)) + stretched


def sum_to_shape(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """Undo broadcasting: sum ``grad`` over the axes that broadcasting stretched.

    If ``b`` of shape (10,) was added to every row of a (256, 10) array, each element of
    ``b`` influenced 256 outputs, so its gradient is the sum of those 256 gradients.

    Examples
    --------
    >>> sum_to_shape(np.ones((256, 10)), (10,))[:3]
    array([256., 256., 256.])
    """
    axes = broadcast_axes(grad.shape, shape)
    return grad.sum(axis=axes).reshape(shape) if axes else grad.reshape(shape)


def _one(g):
    return g


def _minus(g):
    return -g


def _expand(g, axis, ndim: int, keepdims: bool):
    """Give a reduced gradient back the axes that sum/max/logsumexp removed."""
    if keepdims or axis is None:
        return g
    axes = (axis,) if np.isscalar(axis) else tuple(axis)
    return np.expand_dims(g, tuple(a % ndim for a in axes))


# ------------------------------------------------------------------ element-wise

@primitive("add", engine="tensor")
def add(a, b):
    return a + b, (_one, _one)


@primitive("sub", engine="tensor")
def sub(a, b):
    return a - b, (_one, _minus)


@primitive("mul", engine="tensor")
def mul(a, b):
    return a * b, (lambda g: g * b, lambda g: g * a)


@primitive("div", engine="tensor")
def div(a, b):
    out = a / b
    return out, (lambda g: g / b, lambda g: -g * out / b)  # a/b^2 = out/b


@primitive("pow", engine="tensor")
def pow_(a, b):
    out = a ** b
    return out, (lambda g: g * b * a ** (b - 1), lambda g: g * out * np.log(a))


@primitive("neg", engine="tensor")
def neg(x):
    return -x, (_minus,)


@primitive("exp", engine="tensor")
def exp(x):
    y = np.exp(x)
    return y, (lambda g: g * y,)  # reuse the forward result


@primitive("log", engine="tensor")
def log(x):
    return np.log(x), (lambda g: g / x,)


@primitive("tanh", engine="tensor")
def tanh(x):
    y = np.tanh(x)
    return y, (lambda g: g * (1 - y * y),)


@primitive("sigmoid", engine="tensor")
def sigmoid(x):
    # sigma(x) = exp(-log(1 + e^-x)); logaddexp never overflows, so +-1000 are fine.
    y = np.exp(-np.logaddexp(0, -x))
    return y, (lambda g: g * y * (1 - y),)


@primitive("relu", engine="tensor")
def relu(x):
    return np.maximum(x, 0), (lambda g: g * (x > 0),)  # relu'(0) = 0


# ------------------------------------------------------------------ reductions

@primitive("sum", engine="tensor", kind="reduction", domain=("real",),
           latex=r"\frac{\partial}{\partial x_i} \sum_j x_j = 1",
           reference=lambda x, axis=None, keepdims=False: np.add.reduce(x, axis=axis, keepdims=keepdims))
def sum_(x, axis=None, keepdims=False):
    # every input element feeds its sum with weight 1: copy g back over the summed axes
    def vjp(g):
        if axis is None:  # the common case, a total: one fill, no broadcasting machinery
            return np.full(x.shape, g, dtype=np.result_type(x, g))
        return np.broadcast_to(_expand(g, axis, x.ndim, keepdims), x.shape)

    return x.sum(axis=axis, keepdims=keepdims), (vjp,)


@primitive("max", engine="tensor", kind="reduction", domain=("distinct",),
           latex=r"\frac{\partial}{\partial x_i} \max_j x_j = [x_i = \max_j x_j] \,/\, \#\text{ties}",
           reference=lambda x, axis=None, keepdims=False: np.amax(x, axis=axis, keepdims=keepdims),
           notes="ties share the gradient equally")
def max_(x, axis=None, keepdims=False):
    y = x.max(axis=axis, keepdims=True)

    def vjp(g):
        winners = x == y
        return _expand(g, axis, x.ndim, keepdims) * winners / winners.sum(axis=axis, keepdims=True)

    return (y if keepdims else y.squeeze(axis=axis)), (vjp,)


@primitive("logsumexp", engine="tensor", kind="reduction", domain=("real",),
           latex=r"\frac{\partial}{\partial x_i} \log\sum_j e^{x_j} = \frac{e^{x_i}}{\sum_j e^{x_j}} = \mathrm{softmax}(x)_i",
           reference=lambda x, axis=None, keepdims=False: np.log(np.sum(np.exp(x), axis=axis, keepdims=keepdims)))
def logsumexp(x, axis=None, keepdims=False):
    m = x.max(axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)  # rows of -inf stay -inf instead of becoming nan
    s = np.log(np.exp(x - m).sum(axis=axis, keepdims=True)) + m  # shift by the max: no overflow
    vjp = lambda g: _expand(g, axis, x.ndim, keepdims) * np.exp(x - s)  # noqa: E731  (= softmax)
    return (s if keepdims else s.squeeze(axis=axis) if axis is not None else s.reshape(())), (vjp,)


# ------------------------------------------------------------------ linear algebra

def _reference_matmul(a, b):
    """Matrix product as an explicit sum of products (independent of np.matmul)."""
    a2 = a[None, :] if a.ndim == 1 else a
    b2 = b[:, None] if b.ndim == 1 else b
    out = (a2[..., :, :, None] * b2[..., None, :, :]).sum(axis=-2)
    if a.ndim == 1:
        out = out[..., 0, :]
    return out[..., 0] if b.ndim == 1 else out


@primitive("matmul", engine="tensor", kind="matmul", domain=("real", "real"),
           latex=r"\frac{\partial (AB)}{\partial A} = G B^\top,\quad \frac{\partial (AB)}{\partial B} = A^\top G",
           reference=lambda a, b: _reference_matmul(a, b))
def matmul(a, b):
    if a.ndim == 0 or b.ndim == 0:
        raise ShapeError(f"matmul: both operands need at least 1 dimension, got shapes {a.shape} and {b.shape}")
    k_a, k_b = a.shape[-1], b.shape[-2 if b.ndim > 1 else 0]
    if k_a != k_b:
        raise ShapeError(
            f"matmul: shapes {a.shape} and {b.shape} are not aligned: "
            f"last dim of the left ({k_a}) != {'second-to-last' if b.ndim > 1 else 'only'} dim of the right ({k_b})"
        )
    # A 1-D operand is a row (left) or column (right) vector; its extra axis is dropped again.
    a2 = a[None, :] if a.ndim == 1 else a
    b2 = b[:, None] if b.ndim == 1 else b

    def as_2d(g):
        if a.ndim == 1:  # (..., m) -> (..., 1, m); a 0-d g (vector . vector) -> (1,)
            g = np.expand_dims(g, -1 if g.ndim == 0 else -2)
        return np.expand_dims(g, -1) if b.ndim == 1 else g

    def vjp_a(g):
        ga = as_2d(g) @ np.swapaxes(b2, -1, -2)
        return ga[..., 0, :] if a.ndim == 1 else ga

    def vjp_b(g):
        gb = np.swapaxes(a2, -1, -2) @ as_2d(g)
        return gb[..., 0] if b.ndim == 1 else gb

    return a @ b, (vjp_a, vjp_b)


@primitive("linear", engine="tensor", kind="linear", domain=("real", "real", "real"),
           latex=r"y = xW^\top + b:\quad \bar x = G W,\quad \bar W = G^\top x,\quad \bar b = \textstyle\sum_n G_n",
           reference=lambda x, w, b: _reference_matmul(x, w.T) + b,
           notes="PyTorch's F.linear: one node for nn.Linear instead of transpose, matmul and add")
def linear(x, w, b):
    if x.ndim == 0 or x.shape[-1] != w.shape[1] or b.shape != (w.shape[0],):
        raise ShapeError(f"linear: input {x.shape}, weight {w.shape} and bias {b.shape} do not fit: "
                         f"need input (..., {w.shape[1]}) and bias ({w.shape[0]},)")
    x2 = x.reshape(-1, x.shape[-1])  # fold any batch dimensions into one

    def vjp_w(g):
        return g.reshape(-1, w.shape[0]).T @ x2  # sum over the batch of g_n x_n^T

    return x @ w.T + b, (lambda g: g @ w, vjp_w, _one)  # bias: sum_to_shape sums the batch


# ------------------------------------------------------------------ shape and indexing

@primitive("reshape", engine="tensor", kind="reshape", domain=("real",),
           latex=r"\frac{\partial\,\mathrm{reshape}(x)}{\partial x}: G \mapsto \mathrm{reshape}(G, \mathrm{shape}(x))",
           reference=lambda x, shape: np.reshape(x, shape))
def reshape(x, shape):
    return x.reshape(shape), (lambda g: g.reshape(x.shape),)


@primitive("transpose", engine="tensor", kind="transpose", domain=("real",),
           latex=r"\frac{\partial\, x^\top}{\partial x}: G \mapsto G^\top \text{ (inverse permutation)}",
           reference=lambda x, axes=None: np.transpose(x, axes))
def transpose(x, axes=None):
    inverse = None if axes is None else tuple(np.argsort(axes))
    return x.transpose(axes), (lambda g: g.transpose(inverse),)


def _is_basic(index) -> bool:
    parts = index if isinstance(index, tuple) else (index,)
    return all(isinstance(p, (int, np.integer, slice)) or p is None or p is Ellipsis for p in parts)


@primitive("getitem", engine="tensor", kind="getitem", domain=("real",),
           latex=r"\frac{\partial x[I]}{\partial x}: G \mapsto \text{zeros with } G \text{ added at } I",
           reference=lambda x, index: np.asarray(x)[index],
           notes="repeated integer indices add up (np.add.at)")
def getitem(x, index):
    def vjp(g):
        z = np.zeros_like(x, dtype=np.result_type(x, g))
        if _is_basic(index):
            z[index] = g  # slices never repeat an element: plain assignment is enough
        else:
            np.add.at(z, index, g)  # p[[0, 0]] uses p[0] twice: its gradients must add up
        return z

    return x[index], (vjp,)


# ------------------------------------------------------------------ fused loss

def _reference_cross_entropy(logits, target, reduction="mean"):
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    losses = -np.log(p[np.arange(len(target)), target])
    return {"mean": np.mean, "sum": np.sum, "none": lambda v: v}[reduction](losses)


@primitive("cross_entropy", engine="tensor", kind="loss", domain=("real",),
           latex=r"\frac{\partial \ell}{\partial z_{ij}} = \frac{\mathrm{softmax}(z_i)_j - [j = y_i]}{N}"
                 r"\quad(\text{reduction mean})",
           reference=_reference_cross_entropy,
           notes="the fused form; functional.cross_entropy(..., fused=False) lets the engine derive it")
def cross_entropy(logits, target, reduction="mean"):
    rows = np.arange(logits.shape[0])
    m = logits.max(axis=1, keepdims=True)
    e = np.exp(logits - m)  # shifted by the row max: no overflow
    s = e.sum(axis=1, keepdims=True)
    losses = (np.log(s) + m)[:, 0] - logits[rows, target]  # -log softmax(z)_y = logsumexp(z) - z_y
    n = logits.shape[0]

    def vjp(g):
        d = e / s  # softmax, from the forward's exponentials
        d[rows, target] -= 1  # softmax - onehot
        if reduction == "none":
            return d * g[:, None]
        return d * (g / n if reduction == "mean" else g)

    out = losses.mean() if reduction == "mean" else losses.sum() if reduction == "sum" else losses
    return np.asarray(out, dtype=logits.dtype), (vjp,)
