"""The scalar engine: :class:`Value`, one Python float per graph node.

This is the micrograd picture: every number is a node, every node keeps a gradient,
and a drawing of the graph shows each step of the chain rule. The whole engine's
calculus is one table, ``_TABLE``, after the few float helpers it uses: each op's
forward next to its VJP, ``vjp(g, *inputs, out) -> one gradient per input``, with the
derivation in a comment. (``minigrad/simple.py`` runs the same table.)

The VJPs are plain functions shared by every node of an op, not closures made per
node: a scalar graph has hundreds of thousands of nodes, and each extra object is one
more for Python's garbage collector to scan (closures made a training step 1.6-2.8x
slower). They only use arithmetic, so under ``create_graph=True`` the same line runs
on Values and records the gradient's own graph.
"""

from __future__ import annotations

import math
import numbers
import operator

from .autograd import Node, freed, _anomaly, _grad_enabled, backward as _backward_roots, check_finite, next_seq, no_grad, reverse_pass
from .registry import REGISTRY, primitive

__all__ = ["Value"]


def _pow(a, b):
    """``a ** b`` with IEEE results on floats (inf on overflow and at 0 ** -0.5, as PyTorch)."""
    if isinstance(a, Node) or isinstance(b, Node):  # a graph node (any edition's Value): record
        return a ** b
    try:
        return math.pow(a, b)
    except OverflowError:
        return -math.inf if a < 0 and float(b).is_integer() and b % 2 else math.inf
    except ValueError:
        if a == 0:  # 0 to a negative power
            return math.inf
        raise ValueError(f"Value power: {a!r} ** {b!r} is not a real number") from None


def _log(x):
    """ln x: the op on a Value; on a float, -inf at 0 (as PyTorch) and an error below."""
    if isinstance(x, Node):
        return x.log()
    if x <= 0:
        if x == 0:
            return -math.inf
        raise ValueError(f"Value.log() needs a positive number, got {x!r}")
    return math.log(x)


def _exp(x):
    try:
        return math.exp(x)
    except OverflowError:  # IEEE result, as NumPy gives; detect_anomaly reports it
        return math.inf


def _over(g, x):
    """``g / x`` in a VJP: at x = 0 the IEEE result (log'(0) = inf, as PyTorch), not ZeroDivisionError."""
    if type(x) is float and x == 0.0:
        return math.nan if g == 0 else math.copysign(math.inf, g) * math.copysign(1.0, x)
    return g / x


def _div(a, b):
    if b == 0:
        raise ZeroDivisionError(f"Value division by zero ({a!r} / 0)")
    return a / b


def _sigmoid(x):
    # Two branches so exp() only sees non-positive arguments: no overflow at x = -1000.
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


def _dpow_db(g, a, b, out):
    # a^b ln a, taken as 0 at a = 0 when b >= 0 and NaN for a < 0, where ln is undefined (as PyTorch)
    if getattr(b, "requires_grad", True) is False:
        return None  # a constant exponent (under create_graph): its gradient goes nowhere, so no log
    if float(a) == 0 and float(b) >= 0:
        return 0.0 * g
    return g * out * _log(a) if float(a) > 0 else math.nan * g


# ---------------------------------------------------------------- the table of rules
# name       forward                                   VJP: (g, inputs..., out) -> gradients
_TABLE = {
    "add":     (operator.add,                   lambda g, a, b, out: (g, g)),                  # d(a+b) = da + db
    "sub":     (operator.sub,                   lambda g, a, b, out: (g, -g)),                 # d(a-b) = da - db
    "mul":     (operator.mul,                   lambda g, a, b, out: (g * b, g * a)),          # d(ab) = b da + a db
    "div":     (_div,                           lambda g, a, b, out: (g / b, -g * out / b)),   # d(a/b) = da/b - a db/b^2
    "pow":     (_pow,                           lambda g, a, b, out: (                         # d a^b = b a^(b-1) da
                    0.0 * g if float(b) == 0 == float(a) else g * b * _pow(a, b - 1), _dpow_db(g, a, b, out))),  # + a^b ln a db
    "neg":     (operator.neg,                   lambda g, x, out: (-g,)),                      # d(-x) = -dx
    "exp":     (_exp,                           lambda g, x, out: (g * out,)),                 # d e^x = e^x dx
    "log":     (_log,                           lambda g, x, out: (_over(g, x),)),             # d ln x = dx / x
    "tanh":    (math.tanh,                      lambda g, x, out: (g * (1.0 - out * out),)),   # d tanh = (1 - tanh^2) dx
    "sigmoid": (_sigmoid,                       lambda g, x, out: (g * out * (1.0 - out),)),   # d s = s (1 - s) dx
    "relu":    (lambda x: 0.0 if x <= 0 else x, lambda g, x, out: (g if float(x) > 0 else 0.0 * g,)),  # [x > 0]; NaN stays NaN
}

for _name, (_forward, _vjp) in _TABLE.items():
    primitive(_name, "scalar", _vjp)(_forward)


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
    requires_grad : bool, default True
        Whether ``backward()`` computes a gradient for this Value: True for a parameter
        (micrograd's picture: every Value does), False for data, an *input* (PyTorch's
        flag, with PyTorch's rules: an op's result requires grad when one of its operands
        does; ``backward()`` never writes into an input's ``grad``, which stays 0.0).

    Attributes
    ----------
    data : float
    grad : float
        d(output)/d(self) after ``output.backward()``; starts at 0.0 and accumulates
        (a Value after ``backward(create_graph=True)``).
    requires_grad : bool

    Examples
    --------
    >>> from minigrad import Value
    >>> x = Value(3.0, label="x")
    >>> y = x * x + 2 * x
    >>> y.backward()
    >>> x.grad   # dy/dx = 2x + 2
    8.0
    >>> u = Value(2.0, label="u", requires_grad=False)   # data: it gets no gradient
    >>> w = Value(0.5, label="w")
    >>> z = w * u; z.backward()
    >>> w.grad, u.grad, (u * u).requires_grad
    (2.0, 0.0, False)
    """

    # A node's (at most two) parents sit in two slots rather than a tuple: one object per
    # node instead of two for the garbage collector to scan, in graphs of 10^5-10^6 nodes.
    __slots__ = ("data", "grad", "label", "requires_grad", "_a", "_b")
    shape = ()  # a Value is a 0-d quantity; lets shared code ask any node for its shape
    _retains_grad = True  # every Value keeps its gradient (the micrograd picture)

    def __init__(self, data, label: str = "", requires_grad: bool = True):
        if isinstance(data, bool) or not _is_number(data):
            raise TypeError(
                f"Value(data) needs a real number (int or float), got {type(data).__name__} {data!r}"
            )
        if not isinstance(label, str):  # Value(2.0, False) meant requires_grad=False: say so, not a label False
            raise TypeError(f"Value(label) needs a str, got {type(label).__name__} {label!r}"
                            + ("; for a Value that needs no gradient write requires_grad=False"
                               if isinstance(label, bool) else ""))
        self.data = float(data)
        self.grad = 0.0
        self.label = label
        self.requires_grad = bool(requires_grad)
        self._a = self._b = None
        self._op = None
        self._seq = next_seq()

    # -- graph bookkeeping (used by autograd.reverse_pass)
    @property
    def _parents(self) -> tuple:
        a, b = self._a, self._b
        return () if a is None else (a,) if b is None else (a, b)

    def _backward(self, g, create_graph: bool = False):
        """(parent, gradient) pairs from the op's shared VJP, for the parents that
        require grad (a lifted constant's gradient goes nowhere).

        The VJP reads the inputs when backward runs: do not change ``.data`` between a
        forward and its backward (a float cannot count its changes as a Tensor does).
        Under create_graph it runs on the Values themselves, so the gradient is recorded.
        """
        a, b = self._a, self._b
        if b is None:
            (ga,) = self._op.scalar_vjp(g, a, self) if create_graph else self._op.scalar_vjp(g, a.data, self.data)
            return ((a, ga),) if a.requires_grad else ()
        if create_graph:
            ga, gb = self._op.scalar_vjp(g, a, b, self)
        else:
            ga, gb = self._op.scalar_vjp(g, a.data, b.data, self.data)
        if a.requires_grad:  # a constant's gradient goes nowhere
            return ((a, ga), (b, gb)) if b.requires_grad else ((a, ga),)
        return ((b, gb),) if b.requires_grad else ()

    def _free(self) -> None:
        # A Value's VJP reads its parents, which a drawing shows anyway: only the op is marked,
        # so a second backward raises (as PyTorch's) while draw(y) still shows the graph.
        self._op = freed(self._op)

    def _accumulate(self, g, create_graph: bool = False) -> None:
        self.grad = self.grad + g  # a new object, never += into a shared Value

    def _seed(self, gradient, what: str):
        if not self.requires_grad:
            raise RuntimeError(
                f"{what}() on a Value that does not require grad (it was computed under "
                "no_grad() or only from constants)")
        return 1.0 if gradient is None else gradient

    def _wrap_grad(self, g, create_graph: bool):
        return g

    def backward(self, retain_graph=None, create_graph: bool = False) -> None:
        """Compute d(self)/d(node) for every node of the graph and add it to ``node.grad``.

        Parameters
        ----------
        retain_graph : bool, optional
            Keep the graph so that ``backward()`` can run through it again.
        create_graph : bool
            Record the backward pass: ``.grad`` becomes a Value that can be
            differentiated again.

        Examples
        --------
        >>> from minigrad import Value
        >>> a = Value(2.0); b = a.tanh(); b.backward(); round(a.grad, 4)
        0.0707
        """
        if create_graph:
            return _backward_roots([self], [None], retain_graph, create_graph)
        seed = self._seed(None, "backward")
        walked = []
        with no_grad():  # the plain case in one loop: every Value keeps its gradient
            for node, g, _ in reverse_pass(self, seed):
                node.grad = node.grad + g
                walked.append(node)
        if not retain_graph:  # mark the graph freed once the whole walk succeeded
            for node in walked:
                op = node._op
                if op is not None:
                    node._op = op.freed or freed(op)  # (the marker inline: one call less per node)

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.6g}, grad={float(self.grad):.6g}{label})"

    def __float__(self) -> float:
        return self.data

    def __format__(self, spec: str) -> str:
        # f"{v:.3f}" formats the number (a gradient under create_graph is a Value too)
        return format(self.data, spec) if spec else repr(self)

    def item(self) -> float:
        """Return ``data`` as a Python float (as ``Tensor.item()`` does)."""
        return self.data

    # -- operators: each is one rule of the table, made into a method below the class
    # (+ - * / ** and unary -, by _binary and _unary; the named ones are here for their docs)
    def exp(self):
        """\\(e^x\\); its derivative is \\(e^x\\) itself."""
        return _EXP_(self)

    def log(self):
        """Natural logarithm; derivative \\(1/x\\)."""
        return _LOG_(self)

    def tanh(self):
        """\\(\\tanh x\\); derivative \\(1 - \\tanh^2 x\\). Finite at any input."""
        return _TANH_(self)

    def sigmoid(self):
        """\\(\\sigma(x) = 1/(1+e^{-x})\\), computed without overflow; derivative \\(\\sigma(1-\\sigma)\\)."""
        return _SIGMOID_(self)

    def relu(self):
        """\\(\\max(x, 0)\\); derivative 1 where \\(x > 0\\), else 0 (also at 0)."""
        return _RELU_(self)


def _lift(x) -> Value:
    """Turn a Python number operand into a constant Value (no gradient is computed for it)."""
    if type(x) is not float and (isinstance(x, bool) or not _is_number(x)):
        # NotImplemented would give Python's vaguer message; name both types instead.
        raise TypeError(f"unsupported operand for Value: {type(x).__name__} {x!r}")
    v = _new(Value)  # Value(x, requires_grad=False) without checking x twice: W1 lifts every input
    v.data = float(x)
    v.grad = 0.0
    v.label = ""
    v.requires_grad = False
    v._a = v._b = v._op = None
    v._seq = next_seq()
    return v


_new = object.__new__


def _unary(spec):
    """The method that runs a one-input rule and, when recording, links the result in.

    Written flat on purpose: it runs once per node of graphs with millions of nodes.
    """
    forward = spec.scalar

    def method(x):
        out = _new(Value)
        out.data = forward(x.data)
        out.grad = 0.0
        out.label = ""
        out._seq = next_seq()
        if x.requires_grad and _grad_enabled():
            out.requires_grad = True
            out._a = x
            out._b = None
            out._op = spec
        else:
            out.requires_grad = False
            out._a = out._b = out._op = None
        if _anomaly():
            check_finite(out.data, "forward", spec.name, [()])
        return out

    method.__name__ = spec.name
    return method


def _binary(spec, reflected: bool = False):
    """As :func:`_unary`, for a two-input rule: ``x * y``, or ``y * x`` when ``reflected``
    (``__rmul__``, called for ``2 * x``). A number operand becomes a constant Value.

    The node-making lines repeat :func:`_unary`'s on purpose: a shared helper would be
    one more Python call per node (about 5% of a scalar training step).
    """
    forward = spec.scalar

    def method(x, y):
        if not isinstance(y, Value):
            y = _lift(y)
        if reflected:
            x, y = y, x
        out = _new(Value)
        out.data = forward(x.data, y.data)
        out.grad = 0.0
        out.label = ""
        out._seq = next_seq()
        if (x.requires_grad or y.requires_grad) and _grad_enabled():
            out.requires_grad = True
            out._a = x
            out._b = y
            out._op = spec
        else:
            out.requires_grad = False
            out._a = out._b = out._op = None
        if _anomaly():
            check_finite(out.data, "forward", spec.name, [(), ()])
        return out

    method.__name__ = spec.name
    return method


# x * y calls Value.__mul__, made here from the "mul" rule of the table: following one `*`
# is method -> table row (forward), and backward: Value._backward -> the same row (VJP).
for _name, _dunder in [("add", "add"), ("sub", "sub"), ("mul", "mul"), ("div", "truediv"), ("pow", "pow")]:
    setattr(Value, f"__{_dunder}__", _binary(REGISTRY[_name]))
    setattr(Value, f"__r{_dunder}__", _binary(REGISTRY[_name], reflected=True))
Value.__neg__ = _unary(REGISTRY["neg"])
_EXP_, _LOG_, _TANH_, _SIGMOID_, _RELU_ = (_unary(REGISTRY[n]) for n in ("exp", "log", "tanh", "sigmoid", "relu"))
