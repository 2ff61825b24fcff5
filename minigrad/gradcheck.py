"""Check gradients against central finite differences, and blame the op that is wrong.

``gradcheck`` compares the engine's vector-Jacobian product with finite differences
of the function's *forward* values, an independent route to the same numbers. When
they disagree it goes one step further than PyTorch or JAX: it re-checks every op
recorded in the graph, each at its own recorded inputs, and names the ops whose VJP
disagrees with finite differences of that op alone.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from .autograd import no_grad, toposort
from .tensor import Tensor
from .tensor_ops import sum_to_shape

__all__ = ["gradcheck", "GradcheckError", "check_ops"]


class GradcheckError(AssertionError):
    """Analytic and numeric gradients disagree; the message says where and which op."""


def _numeric_vjp(f: Callable, x: np.ndarray, eps: float) -> np.ndarray:
    """d f / d x by central differences, one element at a time; ``f`` returns a float."""
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        orig = x[idx]
        x[idx] = orig + eps
        up = f()
        x[idx] = orig - eps
        down = f()
        x[idx] = orig
        grad[idx] = (up - down) / (2 * eps)
    return grad


def _close(a, b, atol, rtol) -> np.ndarray:
    return np.abs(a - b) <= atol + rtol * np.abs(b)


def check_ops(root: Tensor, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3, seed: int = 0) -> list:
    """Check each recorded op of ``root``'s graph on its own, at its recorded inputs.

    The graph must still hold its VJPs (built but not yet backpropagated, or
    backpropagated with ``retain_graph=True``).

    Returns
    -------
    list of (op name, input index, max abs error)
        One entry per op input whose VJP disagrees with finite differences of that op.

    Examples
    --------
    >>> import minigrad
    >>> x = minigrad.tensor([0.5, 1.5], requires_grad=True, dtype="float64")
    >>> check_ops((x.tanh() * x).sum())
    []
    """
    rng = np.random.default_rng(seed)
    failures = []
    for node in toposort(root):
        if node._op is None:
            continue
        spec, kwargs = node._op, node._kwargs or {}
        inputs = [np.array(p.data, dtype=np.float64) for p in node._parents]
        out, vjps = spec.tensor(*inputs, **kwargs)
        u = rng.standard_normal(np.shape(out))
        for i, parent in enumerate(node._parents):
            if not parent.requires_grad:
                continue
            analytic = sum_to_shape(np.asarray(vjps[i](u), dtype=np.float64), inputs[i].shape)
            numeric = _numeric_vjp(lambda: float(np.sum(spec.tensor(*inputs, **kwargs)[0] * u)), inputs[i], eps)
            if not _close(analytic, numeric, atol, rtol).all():
                failures.append((spec.name, i, float(np.max(np.abs(analytic - numeric)))))
    return failures


def gradcheck(fn: Callable, inputs: Sequence, eps: float = 1e-6, atol: float = 1e-5,
              rtol: float = 1e-3, seed: int = 0) -> bool:
    """Check ``fn``'s gradients with respect to ``inputs`` by central differences in float64.

    A random output cotangent ``v`` is drawn, and the engine's gradient of
    ``sum(fn(*inputs) * v)`` is compared, element by element, with finite differences.

    Parameters
    ----------
    fn : callable
        Takes tensors, returns a tensor.
    inputs : sequence of Tensor or array_like
        Points at which to check; copied to float64 leaves that require grad.
    eps, atol, rtol : float
        Step and tolerances: ``|analytic - numeric| <= atol + rtol * |numeric|``.
    seed : int
        Seed of the random cotangent.

    Returns
    -------
    bool
        True when every element agrees.

    Raises
    ------
    GradcheckError
        Naming the input, the index, both values, and the ops whose own VJP is wrong.

    Examples
    --------
    >>> import minigrad
    >>> x = minigrad.tensor([[0.1, -0.2], [0.3, 0.4]])
    >>> minigrad.gradcheck(lambda t: t.softmax(axis=1), [x])
    True
    """
    xs = [Tensor(np.array(x.data if isinstance(x, Tensor) else x, dtype=np.float64), requires_grad=True)
          for x in inputs]
    out = fn(*xs)
    if not isinstance(out, Tensor) or not out.requires_grad:
        raise TypeError("gradcheck: fn must return a Tensor computed from its inputs")
    v = np.random.default_rng(seed).standard_normal(out.shape)

    def f() -> float:
        with no_grad():
            return float(np.sum(fn(*xs).data * v))

    out.backward(gradient=v, retain_graph=True)
    for i, x in enumerate(xs):
        analytic = x.grad if x.grad is not None else np.zeros_like(x.data)
        numeric = _numeric_vjp(f, x.data, eps)
        ok = _close(analytic, numeric, atol, rtol)
        if not ok.all():
            idx = tuple(int(k) for k in np.argwhere(~ok)[0])
            blamed = check_ops(out, eps, atol, rtol, seed)
            blame = (
                "; ".join(f"op '{name}' (input {j}): its VJP is off by up to {err:.3g}" for name, j, err in blamed)
                if blamed else "every recorded op passes on its own: look at code outside the graph"
            )
            raise GradcheckError(
                f"gradcheck: input {i} at index {idx}: analytic {analytic[idx]:.8g} vs numeric "
                f"{numeric[idx]:.8g}; blame: {blame}"
            )
    return True
