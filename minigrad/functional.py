"""Functions built from primitives: softmax, log-softmax and the losses of chapter 3.

Everything here is *composed*: the engine derives the gradients from the primitives'
rules, with no backward code in this file. The one deliberate exception is the fused
cross-entropy (``fused=True``, the default), a primitive whose backward is the closed
form ``(softmax - onehot) / N``; ``fused=False`` composes the same loss from
``log_softmax`` and indexing so that the two can be compared.
"""

from __future__ import annotations

import numpy as np

from .creation import stack
from .tensor import Tensor, apply_op, to_numpy, where

__all__ = ["linear", "softmax", "log_softmax", "cross_entropy", "mse_loss", "relu", "relu_", "sigmoid", "tanh",
           "leaky_relu", "softplus", "elu", "silu"]

_REDUCTIONS = ("mean", "sum", "none")


def _tensor(x) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


def _reduce(losses: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return losses.mean()
    if reduction == "sum":
        return losses.sum()
    return losses


def _check_reduction(reduction: str) -> None:
    if reduction not in _REDUCTIONS:
        raise ValueError(f"reduction must be one of {_REDUCTIONS}, got {reduction!r}")


def linear(x, weight, bias=None) -> Tensor:
    r"""Affine map \(x W^\top + b\), as PyTorch's ``F.linear`` (what ``nn.Linear`` calls).

    With a bias it is one primitive, so a layer is one node of the graph; without, a
    matrix product with the transposed weight.

    Examples
    --------
    >>> import minigrad
    >>> from minigrad.functional import linear
    >>> linear(minigrad.ones(2, 3), minigrad.ones(4, 3), minigrad.zeros(4)).shape
    minigrad.Size([2, 4])
    """
    x = _tensor(x)
    return x @ weight.T if bias is None else apply_op("linear", x, weight, bias)


def relu(x, inplace: bool = False) -> Tensor:
    r"""\(\max(x, 0)\), as ``F.relu``; ``inplace=True`` overwrites ``x`` (``x.relu_()``).

    Examples
    --------
    >>> import minigrad
    >>> from minigrad.functional import relu
    >>> relu(minigrad.tensor([-1.0, 2.0])).tolist()
    [0.0, 2.0]
    """
    x = _tensor(x)
    return x.relu_() if inplace else x.relu()


def relu_(x) -> Tensor:
    """``relu(x, inplace=True)``.

    Examples
    --------
    >>> import minigrad
    >>> from minigrad.functional import relu_
    >>> relu_(minigrad.tensor([-1.0, 2.0])).tolist()
    [0.0, 2.0]
    """
    return _tensor(x).relu_()


def sigmoid(x) -> Tensor:
    r"""\(1 / (1 + e^{-x})\), as ``F.sigmoid`` (the stable primitive).

    Examples
    --------
    >>> import minigrad
    >>> from minigrad.functional import sigmoid
    >>> sigmoid(minigrad.tensor([0.0])).tolist()
    [0.5]
    """
    return _tensor(x).sigmoid()


def tanh(x) -> Tensor:
    r"""\(\tanh x\), as ``F.tanh``.

    Examples
    --------
    >>> import minigrad
    >>> from minigrad.functional import tanh
    >>> tanh(minigrad.tensor([0.0])).tolist()
    [0.0]
    """
    return _tensor(x).tanh()


def leaky_relu(x, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    r"""\(x\) for \(x > 0\), else \(\text{negative\_slope}\cdot x\), as ``F.leaky_relu``.

    Composed with ``where``: the gradient is 1 or ``negative_slope`` (the latter at 0, as PyTorch).

    Examples
    --------
    >>> import minigrad
    >>> from minigrad.functional import leaky_relu
    >>> leaky_relu(minigrad.tensor([-2.0, 3.0]), 0.5).tolist()
    [-1.0, 3.0]
    """
    x = _tensor(x)
    pos = to_numpy(x) > 0
    if inplace:
        return x._inplace("leaky_relu", lambda s: where(pos, s, s * negative_slope))
    return where(pos, x, x * negative_slope)


def softplus(x, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    r"""\(\frac1\beta \log(1 + e^{\beta x})\), linear above ``threshold`` (as ``F.softplus``).

    Composed as \(\frac1\beta\,\mathrm{logsumexp}(0, \beta x)\): no overflow for large x.

    Examples
    --------
    >>> import minigrad
    >>> from minigrad.functional import softplus
    >>> round(float(softplus(minigrad.tensor(0.0))), 4)
    0.6931
    """
    x = _tensor(x)
    bx = x * beta
    zero = bx * 0.0
    soft = stack([zero, bx]).logsumexp(0) / beta  # log(e^0 + e^(beta x)) / beta
    return where(to_numpy(bx) > threshold, x, soft)


def elu(x, alpha: float = 1.0) -> Tensor:
    r"""\(x\) for \(x > 0\), else \(\alpha (e^x - 1)\), as ``F.elu``.

    Examples
    --------
    >>> import minigrad
    >>> from minigrad.functional import elu
    >>> elu(minigrad.tensor([0.0, 2.0])).tolist()
    [0.0, 2.0]
    """
    x = _tensor(x)
    pos = to_numpy(x) > 0
    return where(pos, x, (where(pos, 0.0, x).exp() - 1) * alpha)  # exp only where used: no overflow


def silu(x) -> Tensor:
    r"""\(x\,\sigma(x)\) (swish), as ``F.silu``.

    Examples
    --------
    >>> import minigrad
    >>> from minigrad.functional import silu
    >>> silu(minigrad.tensor([0.0])).tolist()
    [0.0]
    """
    x = _tensor(x)
    return x * x.sigmoid()


def log_softmax(x, dim: int = -1, *, axis=None) -> Tensor:
    r"""Log of the softmax along ``dim``: \(x_i - \log\sum_j e^{x_j}\) (``Tensor.log_softmax``).

    Composed from ``sub`` and the stable ``logsumexp`` primitive, so it stays finite
    for logits of any size.

    Examples
    --------
    >>> import minigrad
    >>> from minigrad.functional import log_softmax
    >>> log_softmax(minigrad.tensor([0.0, 0.0])).exp().tolist()
    [0.5, 0.5]
    """
    return _tensor(x).log_softmax(dim if axis is None else axis)


def softmax(x, dim: int = -1, *, axis=None) -> Tensor:
    r"""Softmax along ``dim``: \(e^{x_i} / \sum_j e^{x_j}\), as ``exp(log_softmax(x))``.

    Examples
    --------
    >>> import minigrad
    >>> from minigrad.functional import softmax
    >>> p = softmax(minigrad.tensor([[1.0, 2.0, 3.0]]))
    >>> round(float(p.sum()), 6)
    1.0
    """
    return _tensor(x).softmax(dim if axis is None else axis)


def _check_targets(logits: Tensor, target) -> np.ndarray:
    """Validate class targets against (N, C) logits; return them as an int64 array."""
    if logits.ndim != 2:
        raise ValueError(f"cross_entropy: logits must have shape (N, C), got {tuple(logits.shape)}")
    t = to_numpy(target)
    if t.dtype.kind not in "iu":
        raise TypeError(
            f"cross_entropy: target must hold integer class indices, got dtype {t.dtype}"
            + (" (one-hot or probability targets are not supported)" if t.ndim == 2 else "")
        )
    n, c = logits.shape
    if t.shape != (n,):
        raise ValueError(f"cross_entropy: target has shape {t.shape} but logits have batch size {n}: expected ({n},)")
    if t.size and (np.minimum.reduce(t) < 0 or np.maximum.reduce(t) >= c):  # (t.min() without its Python layer)
        bad = t[(t < 0) | (t >= c)][0]
        raise ValueError(f"cross_entropy: target holds class {bad}, outside the {c} classes of the logits (0..{c - 1})")
    return t.astype(np.int64, copy=False)


def cross_entropy(logits, target, reduction: str = "mean", fused: bool = True) -> Tensor:
    r"""Cross-entropy of softmax(logits) against integer class targets.

    \(\ell_i = -\log \mathrm{softmax}(z_i)_{y_i} = \log\sum_j e^{z_{ij}} - z_{i y_i}\).

    Parameters
    ----------
    logits : Tensor, shape (N, C)
        Unnormalised scores.
    target : array_like of int, shape (N,)
        Class indices in ``0..C-1``.
    reduction : {"mean", "sum", "none"}
    fused : bool
        True: one primitive whose backward is the closed form (softmax - onehot)/N.
        False: composed from ``log_softmax`` and indexing; the engine derives the same
        gradient. Both are stable for logits of magnitude 1e4.

    Examples
    --------
    >>> import minigrad
    >>> from minigrad.functional import cross_entropy
    >>> z = minigrad.tensor([[2.0, 0.0, 0.0]], requires_grad=True)
    >>> loss = cross_entropy(z, [0])
    >>> loss.backward()
    >>> z.grad.numpy().round(3)   # softmax - onehot
    array([[-0.213,  0.107,  0.107]], dtype=float32)
    """
    _check_reduction(reduction)
    logits = _tensor(logits)
    if logits.dtype.kind != "f":
        raise TypeError(f"cross_entropy: logits must be floating point, got {logits.dtype} "
                        "(integer scores would be truncated; convert with .float())")
    t = _check_targets(logits, target)
    if fused:
        return apply_op("cross_entropy", logits, target=t, reduction=reduction)
    picked = logits.log_softmax(1)[np.arange(len(t)), t]
    return _reduce(-picked, reduction)


def mse_loss(pred, target, reduction: str = "mean") -> Tensor:
    r"""Mean squared error \(\frac1N\sum_i (\hat y_i - y_i)^2\) (no ½, as PyTorch).

    ``pred`` and ``target`` must have the same shape: silently broadcasting a (N, 1)
    prediction against a (N,) target would compare every pair, a classic bug.

    Examples
    --------
    >>> import minigrad
    >>> from minigrad.functional import mse_loss
    >>> mse_loss(minigrad.tensor([1.0, 3.0]), [0.0, 1.0]).item()
    2.5
    """
    _check_reduction(reduction)
    pred = _tensor(pred)
    target = _tensor(target)  # None or strings raise here, naming what was given
    if pred._data.shape != target._data.shape:  # (the arrays' tuples: no Size to build)
        raise ValueError(
            f"mse_loss: pred has shape {tuple(pred.shape)} but target has shape {tuple(target.shape)}; "
            "reshape one of them (e.g. target.reshape(pred.shape)) so they match"
        )
    diff = pred - target
    return _reduce(diff * diff, reduction)
