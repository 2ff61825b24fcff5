"""The scalar engine: :class:`Value`, one Python float per graph node.

This is the micrograd picture: every number is a node, every node keeps a gradient,
and a drawing of the graph shows each step of the chain rule. Each primitive below
computes its forward on floats and returns, right beside it, one VJP per input:
``vjp(g)`` is ``g`` times the local derivative (a one-line derivation in the comment).
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from .autograd import Node, _State, check_finite, reverse_pass
from .registry import REGISTRY, primitive

__all__ = ["Value"]


def _one(g):
    return g


def _minus(g):
    return -g


# ---------------------------------------------------------------- primitives on floats

@primitive("add", engine="scalar", kind="elementwise", domain=("real", "real"), broadcasts=True,
           latex=r"\frac{\partial (a+b)}{\partial a} = 1,\quad \frac{\partial (a+b)}{\partial b} = 1",
           reference=lambda a, b: np.add(a, b))
def add(a, b):
    return a + b, (_one, _one)


@primitive("sub", engine="scalar", kind="elementwise", domain=("real", "real"), broadcasts=True,
           latex=r"\frac{\partial (a-b)}{\partial a} = 1,\quad \frac{\partial (a-b)}{\partial b} = -1",
           reference=lambda a, b: np.subtract(a, b))
def sub(a, b):
    return a - b, (_one, _minus)


@primitive("mul", engine="scalar", kind="elementwise", domain=("real", "real"), broadcasts=True,
           latex=r"\frac{\partial (ab)}{\partial a} = b,\quad \frac{\partial (ab)}{\partial b} = a",
           reference=lambda a, b: np.multiply(a, b))
def mul(a, b):
    return a * b, (lambda g: g * b, lambda g: g * a)


@primitive("div", engine="scalar", kind="elementwise", domain=("real", "nonzero"), broadcasts=True,
           latex=r"\frac{\partial (a/b)}{\partial a} = \frac{1}{b},\quad "
                 r"\frac{\partial (a/b)}{\partial b} = -\frac{a}{b^2}",
           reference=lambda a, b: np.divide(a, b))
def div(a, b):
    if b == 0:
        raise ZeroDivisionError(f"Value division by zero ({a!r} / 0)")
    out = a / b
    return out, (lambda g: g / b, lambda g: -g * out / b)  # a/b^2 = out/b


@primitive("pow", engine="scalar", kind="elementwise", domain=("positive", "real"), broadcasts=True,
           latex=r"\frac{\partial a^b}{\partial a} = b\,a^{b-1},\quad \frac{\partial a^b}{\partial b} = a^b \ln a",
           reference=lambda a, b: np.exp(b * np.log(a)))
def pow_(a, b):
    try:
        out = math.pow(a, b)
    except ValueError:
        raise ValueError(f"Value power: {a!r} ** {b!r} is not a real number") from None
    except OverflowError:
        out = math.inf
    # d/db a^b = a^b ln a is only defined for a > 0; elsewhere the exponent has no gradient.
    return out, (lambda g: g * b * math.pow(a, b - 1),
                 lambda g: g * out * math.log(a) if a > 0 else math.nan)


@primitive("neg", engine="scalar", kind="elementwise", domain=("real",),
           latex=r"\frac{d(-x)}{dx} = -1", reference=lambda x: np.negative(x))
def neg(x):
    return -x, (_minus,)


@primitive("exp", engine="scalar", kind="elementwise", domain=("real",),
           latex=r"\frac{d}{dx} e^x = e^x", reference=lambda x: np.e ** x)
def exp(x):
    try:
        y = math.exp(x)
    except OverflowError:  # IEEE result, as NumPy gives; detect_anomaly reports it
        y = math.inf
    return y, (lambda g: g * y,)  # reuse the forward result


@primitive("log", engine="scalar", kind="elementwise", domain=("positive",),
           latex=r"\frac{d}{dx} \ln x = \frac{1}{x}", reference=lambda x: np.log2(x) / np.log2(np.e))
def log(x):
    if x <= 0:
        raise ValueError(f"Value.log() needs a positive number, got {x!r}")
    return math.log(x), (lambda g: g / x,)


@primitive("tanh", engine="scalar", kind="elementwise", domain=("real",),
           latex=r"\frac{d}{dx}\tanh x = 1 - \tanh^2 x",
           reference=lambda x: (np.exp(2 * x) - 1) / (np.exp(2 * x) + 1))
def tanh(x):
    y = math.tanh(x)  # finite for any x: math.tanh saturates at +-1
    return y, (lambda g: g * (1.0 - y * y),)


@primitive("sigmoid", engine="scalar", kind="elementwise", domain=("real",),
           latex=r"\frac{d}{dx}\sigma(x) = \sigma(x)\,(1 - \sigma(x))",
           reference=lambda x: 1 / (1 + np.exp(-x)))
def sigmoid(x):
    # Two branches so exp() only sees non-positive arguments: no overflow at x = -1000.
    if x >= 0:
        y = 1.0 / (1.0 + math.exp(-x))
    else:
        e = math.exp(x)
        y = e / (1.0 + e)
    return y, (lambda g: g * y * (1.0 - y),)


@primitive("relu", engine="scalar", kind="elementwise", domain=("away_from_zero",),
           latex=r"\frac{d}{dx}\max(x, 0) = [x > 0]", reference=lambda x: np.where(x > 0, x, 0.0),
           notes="relu'(0) is taken as 0, as PyTorch does")
def relu(x):
    return (x if x > 0 else 0.0), (lambda g: g if x > 0 else 0.0,)


# ---------------------------------------------------------------- the Value node

def _is_number(x) -> bool:
    return type(x) is float or type(x) is int or isinstance(x, numbers.Real)


class Value(Node):
    """A scalar that remembers how it was computed, so it can be differentiated.

    Parameters
    ----------
    data : int or float
        The number. Stored as a Python float.
    label : str, optional
        A name shown in graph drawings.

    Attributes
    ----------
    data : float
    grad : float
        d(output)/d(self) after ``output.backward()``; starts at 0.0 and accumulates.

    Examples
    --------
    >>> from minigrad import Value
    >>> x = Value(3.0, label="x")
    >>> y = x * x + 2 * x
    >>> y.backward()
    >>> x.grad   # dy/dx = 2x + 2
    8.0
    """

    __slots__ = ("data", "grad", "label", "requires_grad")
    shape = ()  # a Value is a 0-d quantity; lets shared code ask any node for its shape

    def __init__(self, data, label: str = ""):
        if isinstance(data, bool) or not _is_number(data):
            raise TypeError(
                f"Value(data) needs a real number (int or float), got {type(data).__name__} {data!r}"
            )
        self.data = float(data)
        self.grad = 0.0
        self.label = label
        self.requires_grad = True
        self._parents = ()
        self._vjps = None
        self._op = None
        self._kwargs = None

    # -- graph bookkeeping (used by autograd.reverse_pass)
    def _accumulate(self, g):
        self.grad += g

    def backward(self, retain_graph: bool = False) -> None:
        """Compute d(self)/d(node) for every node of the graph and add it to ``node.grad``.

        Parameters
        ----------
        retain_graph : bool
            Keep the graph so that ``backward()`` can run through it again.

        Examples
        --------
        >>> from minigrad import Value
        >>> a = Value(2.0); b = a.tanh(); b.backward(); round(a.grad, 4)
        0.0707
        """
        if not self.requires_grad:
            raise RuntimeError(
                "backward() on a Value that does not require grad (it was computed under "
                "no_grad() or only from constants)"
            )
        for node, g, _ in reverse_pass(self, 1.0, free_graph=not retain_graph):
            node._accumulate(g)

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{label})"

    def __float__(self) -> float:
        return self.data

    def item(self) -> float:
        """Return ``data`` as a Python float (as ``Tensor.item()`` does)."""
        return self.data

    # -- operators: each is one registered primitive
    def __add__(self, other): return _apply(REGISTRY["add"], self, other)
    def __radd__(self, other): return _apply(REGISTRY["add"], other, self)
    def __sub__(self, other): return _apply(REGISTRY["sub"], self, other)
    def __rsub__(self, other): return _apply(REGISTRY["sub"], other, self)
    def __mul__(self, other): return _apply(REGISTRY["mul"], self, other)
    def __rmul__(self, other): return _apply(REGISTRY["mul"], other, self)
    def __truediv__(self, other): return _apply(REGISTRY["div"], self, other)
    def __rtruediv__(self, other): return _apply(REGISTRY["div"], other, self)
    def __pow__(self, other): return _apply(REGISTRY["pow"], self, other)
    def __rpow__(self, other): return _apply(REGISTRY["pow"], other, self)
    def __neg__(self): return _apply(REGISTRY["neg"], self)

    def exp(self): return _apply(REGISTRY["exp"], self)
    def log(self): return _apply(REGISTRY["log"], self)
    def tanh(self): return _apply(REGISTRY["tanh"], self)
    def sigmoid(self): return _apply(REGISTRY["sigmoid"], self)
    def relu(self): return _apply(REGISTRY["relu"], self)


def _lift(x) -> Value:
    """Turn a Python number operand into a constant Value (no gradient is computed for it)."""
    if isinstance(x, Value):
        return x
    if isinstance(x, bool) or not _is_number(x):
        # NotImplemented would give Python's vaguer message; name both types instead.
        raise TypeError(f"unsupported operand for Value: {type(x).__name__} {x!r}")
    v = Value(x)
    v.requires_grad = False
    return v


def _apply(spec, *operands) -> Value:
    """Run one scalar primitive and, when recording, link the result into the graph."""
    parents = tuple(_lift(x) for x in operands)
    data, vjps = spec.scalar(*[p.data for p in parents])
    if _State.anomaly:
        check_finite(data, "forward", spec.name, [() for _ in parents])
    out = Value.__new__(Value)
    out.data, out.grad, out.label, out._kwargs = data, 0.0, "", None
    if _State.grad_enabled and any(p.requires_grad for p in parents):
        out.requires_grad, out._parents, out._vjps, out._op = True, parents, vjps, spec
    else:
        out.requires_grad, out._parents, out._vjps, out._op = False, (), None, None
    return out

