"""Check a gradient you derived by hand, entry by entry — "backprop ninja" with a referee.

The exercises on the site ask you to derive a gradient on paper and write it in NumPy.
:func:`check_gradient` tells you whether it is right and, when it is not, *which entry*
is off, by how much, and what the mistake looks like (a factor of 2, a sign, a missing
division by the batch size, a transpose, a forgotten sum over the axes an input was
broadcast along).

The reference is the engine's own gradient of your loss, and before it is used the
engine is itself checked against central finite differences by
:func:`minigrad.gradcheck` — so the verdict never rests on code you cannot see checked.

Examples
--------
>>> import numpy as np, minigrad
>>> from minigrad.exercises import check_gradient
>>> X = np.array([[1.0, 2.0], [3.0, -1.0]]); y = np.array([1.0, 0.0])
>>> w = np.array([0.5, -0.5])
>>> loss = lambda w: ((minigrad.tensor(X) @ w - minigrad.tensor(y)) ** 2).mean()
>>> mine = 2 / 2 * X.T @ (X @ w - y)            # d/dw of the mean squared error
>>> print(check_gradient(loss, {"w": w}, {"w": mine}))
dL/dw: correct (largest difference 0)
>>> report = check_gradient(loss, {"w": w}, {"w": X.T @ (X @ w - y) / 2})
>>> report.ok
False
>>> print(report)
dL/dw: WRONG in 2 of 2 entries; worst at index (1,): yours -2.5, correct -5
  every entry is 0.5 times the correct one
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

import numpy as np

__all__ = ["check_gradient", "GradientReport", "EntryReport"]


@dataclass
class EntryReport:
    """The verdict on one input's gradient."""

    name: str
    ok: bool
    max_error: float
    wrong: int = 0
    size: int = 0
    worst_index: tuple | None = None
    yours: float | None = None
    correct: float | None = None
    hints: list = field(default_factory=list)

    def __str__(self) -> str:
        if self.ok:
            return f"dL/d{self.name}: correct (largest difference {self.max_error:.3g})"
        if self.worst_index is None:  # a shape problem: no entry to compare
            head = f"dL/d{self.name}: WRONG"
        else:
            head = (f"dL/d{self.name}: WRONG in {self.wrong} of {self.size} entries; worst at index "
                    f"{self.worst_index}: yours {self.yours:.6g}, correct {self.correct:.6g}")
        return "\n  ".join([head, *self.hints])


@dataclass
class GradientReport:
    """The verdicts on all inputs; ``ok`` is True when every gradient is right."""

    entries: list

    @property
    def ok(self) -> bool:
        return all(e.ok for e in self.entries)

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.entries)

    def __bool__(self) -> bool:
        return self.ok

    def _repr_markdown_(self) -> str:  # shown as a list in Jupyter
        return "\n".join(("- ✅ " if e.ok else "- ❌ ") + str(e).replace("\n  ", "  \n  ")
                         for e in self.entries)


def _hints(yours: np.ndarray, correct: np.ndarray, atol: float, rtol: float, batch=None) -> list:
    """Name the usual mistakes: a constant factor, a sign, a transpose."""
    hints = []
    if yours.shape == correct.shape and np.abs(correct).max() > atol:
        mask = np.abs(correct) > 10 * atol
        ratios = yours[mask] / correct[mask]
        if ratios.size and np.allclose(ratios, ratios.flat[0], rtol=1e-6):
            c = float(ratios.flat[0])
            if np.allclose(yours, c * correct, atol=atol, rtol=rtol):
                hints.append(f"every entry is {c:.6g} times the correct one"
                             + (" (a sign error)" if np.isclose(c, -1) else "")
                             + (" (a forgotten or extra division by the batch size?)"
                                if batch and (np.isclose(c, batch) or np.isclose(c, 1 / batch)) else ""))
    if yours.ndim == 2 and yours.shape == correct.shape[::-1] and np.allclose(yours.T, correct, atol=atol, rtol=rtol):
        hints.append("it is the transpose of the correct gradient")
    return hints


def _broadcast_hints(yours: np.ndarray, correct: np.ndarray, atol: float, rtol: float, batch=None) -> list:
    """A forgotten broadcast sum: ``yours`` has the shape of the broadcast result, and summed over
    the stretched axes (``sum_to_shape``, what backward does) it would be right, or off by a factor."""
    from .tensor_ops import ShapeError, broadcast_axes, sum_to_shape

    try:
        axes = broadcast_axes(yours.shape, correct.shape)
    except ShapeError:
        return []  # not a broadcast of the input's shape: some other mistake
    if not axes:
        return []
    summed = np.asarray(sum_to_shape(yours, correct.shape), dtype=np.float64)
    where = f"sum it over ax{'is' if len(axes) == 1 else 'es'} {', '.join(map(str, axes))}"
    if np.allclose(summed, correct, atol=atol, rtol=rtol):
        return [f"it has the shape of the broadcast result: the input was broadcast {correct.shape} -> "
                f"{yours.shape}, so its gradient is the sum over the stretched axes ({where}, "
                f"minigrad.tensor_ops.sum_to_shape)"]
    more = _hints(summed, correct, atol, rtol, batch)
    return [f"a forgotten broadcast sum? The input was broadcast {correct.shape} -> {yours.shape}; {where}"
            + (f": then {more[0]}" if more else " (even summed it is not right)")]


def check_gradient(loss_fn: Callable, inputs, your_grads, atol: float = 1e-6, rtol: float = 1e-4,
                   batch_size: int | None = None, verify_engine: bool = True) -> GradientReport:
    """Compare hand-derived gradients with the (finite-difference-checked) engine's.

    Parameters
    ----------
    loss_fn : callable
        Takes one Tensor per input (float64, requiring grad) and returns a scalar Tensor
        built from minigrad ops — the loss whose gradient you derived.
    inputs : mapping name -> array, or sequence of arrays
        Where to evaluate. Names are used in the messages (``x0, x1, ...`` for a sequence).
    your_grads : mapping or sequence, same structure as ``inputs``
        Your gradients, as arrays.
    atol, rtol : float
        An entry is right when ``|yours - correct| <= atol + rtol * |correct|``.
    batch_size : int, optional
        When given, a gradient off by exactly this factor is pointed out as such.
    verify_engine : bool
        Check the engine's gradient of ``loss_fn`` against finite differences first
        (:func:`minigrad.gradcheck`); switch off only for large inputs.

    Returns
    -------
    GradientReport
        ``print`` it for the verdict; ``report.ok`` is True when every gradient is right.

    Raises
    ------
    TypeError
        When ``loss_fn`` does not return a scalar Tensor, or the structures differ.

    Examples
    --------
    >>> import numpy as np
    >>> from minigrad.exercises import check_gradient
    >>> z = np.array([0.5, -1.0])
    >>> print(check_gradient(lambda t: t.tanh().sum(), [z], [1 - np.tanh(z) ** 2]))
    dL/dx0: correct (largest difference 0)
    """
    import minigrad
    from minigrad.gradcheck import gradcheck

    if isinstance(inputs, Mapping):
        names = list(inputs)
        arrays = [np.array(inputs[n], dtype=np.float64) for n in names]
        if not isinstance(your_grads, Mapping) or set(your_grads) != set(names):
            raise TypeError(f"check_gradient: your_grads must have the keys {names}")
        yours = [your_grads[n] for n in names]
    elif isinstance(inputs, Sequence):
        names = [f"x{i}" for i in range(len(inputs))]
        arrays = [np.array(a, dtype=np.float64) for a in inputs]
        yours = list(your_grads)
        if len(yours) != len(arrays):
            raise TypeError(f"check_gradient: {len(arrays)} inputs but {len(yours)} gradients")
    else:
        raise TypeError("check_gradient: inputs must be a dict of arrays or a list of arrays")

    leaves = [minigrad.tensor(a, requires_grad=True, dtype=np.float64) for a in arrays]
    loss = loss_fn(*leaves)
    if not isinstance(loss, minigrad.Tensor) or int(np.prod(loss.shape)) != 1:
        raise TypeError("check_gradient: loss_fn must return a scalar Tensor built from its inputs")
    if verify_engine:
        gradcheck(loss_fn, arrays)  # raises, naming the op, if the engine itself were wrong
    loss.backward()
    entries = []
    for name, leaf, mine in zip(names, leaves, yours):
        correct = np.zeros(leaf.shape) if leaf.grad is None else np.array(leaf.grad.detach().numpy()
                                                                           if isinstance(leaf.grad, minigrad.Tensor)
                                                                           else leaf.grad, dtype=np.float64)
        mine = np.asarray(mine.detach().numpy() if isinstance(mine, minigrad.Tensor) else mine, dtype=np.float64)
        if mine.shape != correct.shape:
            hints = [f"shape {mine.shape}, but the gradient has the input's shape {correct.shape}"]
            hints += _broadcast_hints(mine, correct, atol, rtol, batch_size)
            hints += _hints(mine, correct, atol, rtol)
            entries.append(EntryReport(name, False, float("nan"), hints=hints))
            continue
        err = np.abs(mine - correct)
        bad = ~(err <= atol + rtol * np.abs(correct))
        if not bad.any():
            entries.append(EntryReport(name, True, float(err.max()) if err.size else 0.0))
            continue
        worst = tuple(int(i) for i in np.unravel_index(np.argmax(np.where(bad, err, -1)), err.shape))
        entries.append(EntryReport(name, False, float(err.max()), int(bad.sum()), int(bad.size), worst,
                                   float(mine[worst]), float(correct[worst]),
                                   _hints(mine, correct, atol, rtol, batch_size)))
    return GradientReport(entries)
