"""Check gradients against central finite differences, and blame the op that is wrong.

``gradcheck`` compares the engine's vector-Jacobian product with finite differences
of the function's *forward* values, an independent route to the same numbers. When
they disagree it goes one step further than PyTorch or JAX: it re-checks every op
recorded in the graph, each at its own recorded inputs, and names the ops whose VJP
disagrees with finite differences of that op alone.

With ``order=2`` it checks second derivatives the same way: the engine differentiates
its own gradient (``autograd.grad(..., create_graph=True)``), and that is compared with
finite differences of the first derivatives.

:func:`numeric_grad` is the one finite-difference routine of the project; the property
tests (:mod:`minigrad.testing`) use it too.
"""

from __future__ import annotations

from typing import Callable, Sequence

try:
    import numpy as np
except ModuleNotFoundError as err:  # Pyodide in the docs' Play page: numeric_grad on floats only
    if err.name != "numpy":
        raise
    np = None

from .autograd import enable_grad, grad, is_grad_enabled, no_grad, toposort

if np is not None:
    from .tensor import Tensor, apply_op, to_numpy

__all__ = ["gradcheck", "GradcheckError", "check_ops", "numeric_grad"]


class GradcheckError(AssertionError):
    """Analytic and numeric gradients disagree; the message says where and which op."""


def numeric_grad(f: Callable, x, eps: float = 1e-6) -> np.ndarray:
    r"""Gradient of the scalar function ``f`` at ``x`` by central differences, in float64.

    Each element is nudged by \(\pm\epsilon\) in turn:
    \(\partial f / \partial x_i \approx (f(x + \epsilon e_i) - f(x - \epsilon e_i)) / 2\epsilon\).
    Only *values* of ``f`` are used, so the result shares no code with any gradient rule.

    Parameters
    ----------
    f : callable
        Takes a float64 ndarray shaped like ``x`` and returns a float. It must not keep
        the array: the same buffer is nudged in place and reused.
    x : array_like
        Where to differentiate (copied to float64; not modified).
    eps : float
        The step.

    Returns
    -------
    ndarray
        Float64, shaped like ``x``.

    Without NumPy (the scalar engine in the docs' Play page, under Pyodide) ``x`` is a
    list of floats, ``f`` receives a list, and the result is a list.

    Examples
    --------
    >>> import numpy as np
    >>> numeric_grad(lambda a: float((a ** 2).sum()), np.array([1.0, -2.0])).round(6)
    array([ 2., -4.])
    """
    if np is None:
        x = [float(v) for v in x]
        grad, indices = [0.0] * len(x), range(len(x))
    else:
        x = np.array(x, dtype=np.float64)
        grad, indices = np.zeros_like(x), np.ndindex(x.shape)
    for idx in indices:
        orig = x[idx]
        x[idx] = orig + eps
        up = f(x)
        x[idx] = orig - eps
        down = f(x)
        x[idx] = orig
        grad[idx] = (up - down) / (2 * eps)
    return grad


def _needs_numpy(what: str) -> None:
    if np is None:
        raise ImportError(f"{what} checks tensors and needs NumPy, which is not installed; numeric_grad works "
                          "without it, on a list of floats")


def _array(x) -> np.ndarray:
    """Plain float64 data of a Tensor, array or list (a copy: gradcheck never writes into yours)."""
    return np.array(to_numpy(x), dtype=np.float64)


def _grad_array(x: Tensor) -> np.ndarray:
    g = x.grad
    if g is None:
        return np.zeros(x.shape)
    return np.asarray(to_numpy(g), dtype=np.float64)


def _close(a, b, atol, rtol) -> np.ndarray:
    return np.abs(a - b) <= atol + rtol * np.abs(b)


def _second_order(fn: Callable, arrays: list, rng) -> Callable:
    """The scalar function whose gradient is a Hessian-vector product of ``fn``.

    For a random output cotangent ``v`` and random input directions ``w_i`` it returns
    ``s(x) = sum_i <w_i, d<v, fn(x)>/dx_i>``: first derivatives computed by the engine
    (``create_graph=True``, so ``s`` is itself differentiable), whose gradient is
    ``H w`` when ``fn`` is scalar. Evaluated under ``no_grad`` (by the finite
    differences) it takes the plain first-order path instead, the one order 1 checks.
    """
    with no_grad():
        shape = fn(*[Tensor(a) for a in arrays]).shape
    v = Tensor(rng.standard_normal(shape))
    ws = [rng.standard_normal(a.shape) for a in arrays]

    def first_derivatives(*xs):
        create_graph = is_grad_enabled()
        with enable_grad():  # fn's graph is needed either way, to take its gradient
            leaves = [x if x.requires_grad else x.detach().requires_grad_() for x in xs]
            out = fn(*leaves)
            if not out.requires_grad:
                return Tensor(np.float64(0.0))
            grads = grad(out, leaves, grad_outputs=v, create_graph=create_graph, allow_unused=True)
            total = Tensor(np.float64(0.0))
            for g, w in zip(grads, ws):
                if g is not None:
                    total = total + (g * Tensor(w)).sum()
            return total

    return first_derivatives


def check_ops(root: Tensor, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3, seed: int = 0,
              order: int = 1) -> list:
    """Check each recorded op of ``root``'s graph on its own, at its recorded inputs.

    Each op is run again on fresh float64 copies of the inputs it saw (with the same
    keyword arguments) and checked by :func:`gradcheck` alone; ``root``'s own graph is
    only read, so it may already have been backpropagated with ``retain_graph=True``.

    Parameters
    ----------
    root : Tensor
        An output whose graph is still recorded.
    order : int
        1 checks each op's VJP, 2 its second derivatives.

    Returns
    -------
    list of (op name, input index, max abs error)
        One entry per op input whose derivative disagrees with finite differences.

    Examples
    --------
    >>> import minigrad
    >>> x = minigrad.tensor([0.5, 1.5], requires_grad=True, dtype=minigrad.float64)
    >>> check_ops((x.tanh() * x).sum())
    []
    """
    _needs_numpy("check_ops")
    failures = []
    for node in toposort(root):
        if node.is_leaf or not node.op:
            continue
        name, kwargs = node.op, getattr(node, "_kwargs", None) or {}
        inputs = [_array(p) for p in node._parents]
        wrt = [i for i, p in enumerate(node._parents) if p.requires_grad]

        def one_op(*free, inputs=inputs, wrt=wrt, name=name, kwargs=kwargs):
            operands = [Tensor(a) for a in inputs]  # constants stay constants
            for i, x in zip(wrt, free):
                operands[i] = x
            return apply_op(name, *operands, **kwargs)

        try:
            _check(one_op, [inputs[i] for i in wrt], eps, atol, rtol, seed, order)
        except GradcheckError as err:
            failures.append((name, wrt[err.input], err.max_error))
    return failures


def _check(fn: Callable, arrays: list, eps, atol, rtol, seed, order) -> None:
    """The comparison itself; raises GradcheckError with ``input``, ``index`` and ``max_error``."""
    rng = np.random.default_rng(seed)
    if order == 2:
        fn = _second_order(fn, arrays, rng)
    xs = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    out = fn(*xs)
    if not isinstance(out, Tensor):
        raise TypeError(f"gradcheck: fn must return a Tensor, got {type(out).__name__}")
    # order 2: ``out`` is the scalar s already, and if it does not depend on the inputs
    # (the first derivative is constant) the second derivative is zero, not an error
    v = rng.standard_normal(out.shape) if order == 1 else np.ones(out.shape)
    if out.requires_grad:
        out.backward(gradient=Tensor(v))
    elif order == 1:
        raise TypeError("gradcheck: fn must return a Tensor computed from its inputs")

    for i, x in enumerate(xs):
        def f(a, i=i):
            leaves = [Tensor(a if k == i else arrays[k], requires_grad=True) for k in range(len(arrays))]
            with no_grad():
                return float(np.sum(_array(fn(*leaves)) * v))

        analytic, numeric = _grad_array(x), numeric_grad(f, arrays[i], eps)
        ok = _close(analytic, numeric, atol, rtol)
        if not ok.all():
            idx = tuple(int(k) for k in np.argwhere(~ok)[0])
            err = GradcheckError(f"input {i} at index {idx}: analytic {analytic[idx]:.8g} vs numeric {numeric[idx]:.8g}")
            err.input, err.index, err.max_error = i, idx, float(np.max(np.abs(analytic - numeric)))
            raise err


def gradcheck(fn: Callable, inputs: Sequence, eps: float = 1e-6, atol: float = 1e-5,
              rtol: float = 1e-3, seed: int = 0, order: int = 1) -> bool:
    """Check ``fn``'s derivatives with respect to ``inputs`` by central differences in float64.

    ``order=1``: a random output cotangent ``v`` is drawn, and the engine's gradient of
    ``sum(fn(*inputs) * v)`` is compared, element by element, with finite differences of
    that sum's values.

    ``order=2``: random directions ``w_i`` are drawn too, and the engine's gradient of
    ``s = sum_i <w_i, d sum(fn * v) / d x_i>`` (first derivatives taken with
    ``create_graph=True``, then differentiated again) is compared with finite differences
    of ``s``, i.e. of the first derivatives.

    Parameters
    ----------
    fn : callable
        Takes tensors, returns a tensor.
    inputs : sequence of Tensor or array_like
        Points at which to check; copied to float64 leaves that require grad.
    eps, atol, rtol : float
        Step and tolerances: ``|analytic - numeric| <= atol + rtol * |numeric|``.
    seed : int
        Seed of the random cotangent and directions.
    order : {1, 2}
        Check first or second derivatives.

    Returns
    -------
    bool
        True when every element agrees.

    Raises
    ------
    GradcheckError
        Naming the input, the index, both values, and the ops whose own derivative is
        wrong (each recorded op is checked alone at the same order).

    Examples
    --------
    >>> import minigrad
    >>> x = minigrad.tensor([[0.1, -0.2], [0.3, 0.4]])
    >>> minigrad.gradcheck(lambda t: t.softmax(-1), [x])
    True
    >>> minigrad.gradcheck(lambda t: (t.tanh() * t).sum(), [x], order=2)
    True
    """
    _needs_numpy("gradcheck")
    if order not in (1, 2):
        raise ValueError(f"gradcheck: order must be 1 or 2, got {order!r}")
    arrays = [_array(x) for x in inputs]
    try:
        _check(fn, arrays, eps, atol, rtol, seed, order)
    except GradcheckError as err:
        with enable_grad():  # a fresh graph to blame from: the checked one was consumed
            root = fn(*[Tensor(a, requires_grad=True) for a in arrays])
        blamed = check_ops(root, eps, atol, rtol, seed, order) if isinstance(root, Tensor) else []
        blame = (
            "; ".join(f"op '{name}' (input {j}): its {'VJP' if order == 1 else 'second derivative'} "
                      f"is off by up to {e:.3g}" for name, j, e in blamed)
            if blamed else "every recorded op passes on its own: look at code outside the graph"
        )
        what = "gradcheck" if order == 1 else "gradcheck (order=2)"
        raise GradcheckError(f"{what}: {err}; blame: {blame}") from None
    return True
