"""The scalar engine: :class:`Value`, one Python float per graph node.

This is the micrograd picture: every number is a node, every node keeps a gradient,
and a drawing of the graph shows each step of the chain rule. Each primitive below is
a forward on floats with its VJP in the decorator right above it:
``vjp(g, *inputs, out)`` returns ``g`` times each input's local derivative.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from .autograd import Node, _State, check_finite, reverse_pass
from .registry import REGISTRY, primitive

__all__ = ["Value"]


# ---------------------------------------------------------------- primitives on floats
# Each rule is registered as its forward (a function of the inputs) and, in the decorator
# right above it, its VJP: vjp(g, *inputs, out) -> one gradient per input. The VJP is a
# plain function shared by all nodes of that op, not a closure made per node: a scalar
# graph has hundreds of thousands of nodes, and every extra object per node is one more
# for Python's garbage collector to scan (it dominated the step time with closures).

@primitive("add", engine="scalar", kind="elementwise", domain=("real", "real"), broadcasts=True,
           latex=r"\frac{\partial (a+b)}{\partial a} = 1,\quad \frac{\partial (a+b)}{\partial b} = 1",
           reference=lambda a, b: np.add(a, b),
           vjp=lambda g, a, b, out: (g, g))
def add(a, b):
    return a + b


@primitive("sub", engine="scalar", kind="elementwise", domain=("real", "real"), broadcasts=True,
           latex=r"\frac{\partial (a-b)}{\partial a} = 1,\quad \frac{\partial (a-b)}{\partial b} = -1",
           reference=lambda a, b: np.subtract(a, b),
           vjp=lambda g, a, b, out: (g, -g))
def sub(a, b):
    return a - b


@primitive("mul", engine="scalar", kind="elementwise", domain=("real", "real"), broadcasts=True,
           latex=r"\frac{\partial (ab)}{\partial a} = b,\quad \frac{\partial (ab)}{\partial b} = a",
           reference=lambda a, b: np.multiply(a, b),
           vjp=lambda g, a, b, out: (g * b, g * a))
def mul(a, b):
    return a * b


@primitive("div", engine="scalar", kind="elementwise", domain=("real", "nonzero"), broadcasts=True,
           latex=r"\frac{\partial (a/b)}{\partial a} = \frac{1}{b},\quad "
                 r"\frac{\partial (a/b)}{\partial b} = -\frac{a}{b^2}",
           reference=lambda a, b: np.divide(a, b),
           vjp=lambda g, a, b, out: (g / b, -g * out / b))  # a/b^2 = out/b
def div(a, b):
    if b == 0:
        raise ZeroDivisionError(f"Value division by zero ({a!r} / 0)")
    return a / b


def _pow_vjp(g, a, b, out):
    # d/db a^b = a^b ln a is only defined for a > 0; elsewhere the exponent has no gradient
    # (the engine only asks for it when the exponent is a Value that requires grad).
    return g * b * math.pow(a, b - 1), (g * out * math.log(a) if a > 0 else math.nan)


@primitive("pow", engine="scalar", kind="elementwise", domain=("positive", "real"), broadcasts=True,
           latex=r"\frac{\partial a^b}{\partial a} = b\,a^{b-1},\quad \frac{\partial a^b}{\partial b} = a^b \ln a",
           reference=lambda a, b: np.exp(b * np.log(a)),
           vjp=_pow_vjp)
def pow_(a, b):
    try:
        return math.pow(a, b)
    except ValueError:
        raise ValueError(f"Value power: {a!r} ** {b!r} is not a real number") from None
    except OverflowError:
        return math.inf


@primitive("neg", engine="scalar", kind="elementwise", domain=("real",),
           latex=r"\frac{d(-x)}{dx} = -1", reference=lambda x: np.negative(x),
           vjp=lambda g, x, out: (-g,))
def neg(x):
    return -x


@primitive("exp", engine="scalar", kind="elementwise", domain=("real",),
           latex=r"\frac{d}{dx} e^x = e^x", reference=lambda x: np.e ** x,
           vjp=lambda g, x, out: (g * out,))  # reuse the forward result
def exp(x):
    try:
        return math.exp(x)
    except OverflowError:  # IEEE result, as NumPy gives; detect_anomaly reports it
        return math.inf


@primitive("log", engine="scalar", kind="elementwise", domain=("positive",),
           latex=r"\frac{d}{dx} \ln x = \frac{1}{x}", reference=lambda x: np.log2(x) / np.log2(np.e),
           vjp=lambda g, x, out: (g / x,))
def log(x):
    if x <= 0:
        raise ValueError(f"Value.log() needs a positive number, got {x!r}")
    return math.log(x)


@primitive("tanh", engine="scalar", kind="elementwise", domain=("real",),
           latex=r"\frac{d}{dx}\tanh x = 1 - \tanh^2 x",
           reference=lambda x: (np.exp(2 * x) - 1) / (np.exp(2 * x) + 1),
           vjp=lambda g, x, out: (g * (1.0 - out * out),))
def tanh(x):
    return math.tanh(x)  # finite for any x: math.tanh saturates at +-1


@primitive("sigmoid", engine="scalar", kind="elementwise", domain=("real",),
           latex=r"\frac{d}{dx}\sigma(x) = \sigma(x)\,(1 - \sigma(x))",
           reference=lambda x: 1 / (1 + np.exp(-x)),
           vjp=lambda g, x, out: (g * out * (1.0 - out),))
def sigmoid(x):
    # Two branches so exp() only sees non-positive arguments: no overflow at x = -1000.
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


@primitive("relu", engine="scalar", kind="elementwise", domain=("away_from_zero",),
           latex=r"\frac{d}{dx}\max(x, 0) = [x > 0]", reference=lambda x: np.where(x > 0, x, 0.0),
           notes="relu'(0) is taken as 0, as PyTorch does",
           vjp=lambda g, x, out: (g if x > 0 else 0.0,))
def relu(x):
    return x if x > 0 else 0.0


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

    # A node's (at most two) parents sit in two slots rather than a tuple: one object per
    # node instead of two for the garbage collector to scan, in graphs of 10^5-10^6 nodes.
    __slots__ = ("data", "grad", "label", "requires_grad", "_a", "_b")
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
        self._a = self._b = None
        self._vjps = None
        self._op = None

    # -- graph bookkeeping (used by autograd.reverse_pass)
    @property
    def _parents(self) -> tuple:
        a, b = self._a, self._b
        return () if a is None else (a,) if b is None else (a, b)

    def _backward(self, g):
        """(parent, gradient) pairs from the op's shared VJP.

        Inputs are read from the parents when backward runs, as the tensor engine's
        closures do: do not change ``.data`` between a forward and its backward.
        """
        a, b = self._a, self._b
        if b is None:
            return ((a, self._vjps(g, a.data, self.data)[0]),)
        ga, gb = self._vjps(g, a.data, b.data, self.data)
        return ((a, ga), (b, gb))

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
            node.grad += g  # every Value keeps its gradient, added to what it had

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{label})"

    def __float__(self) -> float:
        return self.data

    def item(self) -> float:
        """Return ``data`` as a Python float (as ``Tensor.item()`` does)."""
        return self.data

    # -- operators: each is one registered primitive
    def __add__(self, other): return _apply(_ADD, self, other)
    def __radd__(self, other): return _apply(_ADD, other, self)
    def __sub__(self, other): return _apply(_SUB, self, other)
    def __rsub__(self, other): return _apply(_SUB, other, self)
    def __mul__(self, other): return _apply(_MUL, self, other)
    def __rmul__(self, other): return _apply(_MUL, other, self)
    def __truediv__(self, other): return _apply(_DIV, self, other)
    def __rtruediv__(self, other): return _apply(_DIV, other, self)
    def __pow__(self, other): return _apply(_POW, self, other)
    def __rpow__(self, other): return _apply(_POW, other, self)
    def __neg__(self): return _apply(_NEG, self)

    def exp(self):
        """\\(e^x\\); its derivative is \\(e^x\\) itself."""
        return _apply(_EXP, self)

    def log(self):
        """Natural logarithm; derivative \\(1/x\\)."""
        return _apply(_LOG, self)

    def tanh(self):
        """\\(\\tanh x\\); derivative \\(1 - \\tanh^2 x\\). Finite at any input."""
        return _apply(_TANH, self)

    def sigmoid(self):
        """\\(\\sigma(x) = 1/(1+e^{-x})\\), computed without overflow; derivative \\(\\sigma(1-\\sigma)\\)."""
        return _apply(_SIGMOID, self)

    def relu(self):
        """\\(\\max(x, 0)\\); derivative 1 where \\(x > 0\\), else 0 (also at 0)."""
        return _apply(_RELU, self)



_ADD, _SUB, _MUL, _DIV, _POW, _NEG, _EXP, _LOG, _TANH, _SIGMOID, _RELU = (
    REGISTRY[n] for n in ("add", "sub", "mul", "div", "pow", "neg", "exp", "log", "tanh", "sigmoid", "relu"))


def _lift(x) -> Value:
    """Turn a Python number operand into a constant Value (no gradient is computed for it)."""
    if isinstance(x, bool) or not _is_number(x):
        # NotImplemented would give Python's vaguer message; name both types instead.
        raise TypeError(f"unsupported operand for Value: {type(x).__name__} {x!r}")
    v = Value(x)
    v.requires_grad = False
    return v


_new = object.__new__


def _apply(spec, x, y=None) -> Value:
    """Run one scalar primitive (one or two inputs) and, when recording, link the result in.

    Written flat on purpose: it runs once per node of graphs with millions of nodes.
    """
    if not isinstance(x, Value):
        x = _lift(x)
    if y is None:
        data = spec.scalar(x.data)
        requires_grad = x.requires_grad
    else:
        if not isinstance(y, Value):
            y = _lift(y)
        data = spec.scalar(x.data, y.data)
        requires_grad = x.requires_grad or y.requires_grad
    if _State.anomaly:
        check_finite(data, "forward", spec.name, [()] * (1 if y is None else 2))
    out = _new(Value)
    out.data, out.grad, out.label = data, 0.0, ""
    if requires_grad and _State.grad_enabled:
        out.requires_grad, out._a, out._b, out._vjps, out._op = True, x, y, spec.scalar_vjp, spec
    else:
        out.requires_grad, out._a, out._b, out._vjps, out._op = False, None, None, None, None
    return out
