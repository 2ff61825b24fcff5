"""A bare scalar engine: a floor for W1, not a library.

How fast can a reverse-mode engine with one Python object per graph node be, in pure
Python, on this machine? This one keeps only what W1's MLP step needs: ``+``, ``*``,
``relu``, negation and ``backward()``. It has minigrad's node layout (slots, two parent
slots, one shared VJP per op, nodes numbered in creation order so backward needs no
sort) and none of its duties: no grad mode, no anomaly detection, no labels or
drawings, no freeing of the graph, no ``retain_graph``, no gradients of gradients, one
reverse loop written for this class alone. Whatever minigrad's ``Value`` costs above
this row is the price of those duties; what this row costs is the price of building
and walking one Python object per operation, which no engine of that design avoids.

Examples
--------
>>> x = BareValue(3.0); y = x * x + x
>>> y.backward(); x.grad
7.0
"""

from __future__ import annotations

import itertools

_next = itertools.count(1).__next__
_new = object.__new__

# VJPs, shared by every node of an op: (g, a, b) -> (da, db), or (g, a) -> da
_ADD = lambda g, a, b: (g, g)  # noqa: E731
_MUL = lambda g, a, b: (g * b, g * a)  # noqa: E731
_RELU = lambda g, a: g if a > 0 else 0.0  # noqa: E731
_NEG = lambda g, a: -g  # noqa: E731


class BareValue:
    """A float that records the op that made it (see the module docstring)."""

    __slots__ = ("data", "grad", "_a", "_b", "_vjp", "_seq")

    def __init__(self, data, _a=None, _b=None, _vjp=None):
        self.data, self.grad, self._a, self._b, self._vjp, self._seq = float(data), 0.0, _a, _b, _vjp, _next()

    def __add__(self, other):
        if type(other) is not BareValue:
            other = BareValue(other)
        out = _new(BareValue)
        out.data, out.grad, out._a, out._b, out._vjp, out._seq = self.data + other.data, 0.0, self, other, _ADD, _next()
        return out

    def __mul__(self, other):
        if type(other) is not BareValue:
            other = BareValue(other)
        out = _new(BareValue)
        out.data, out.grad, out._a, out._b, out._vjp, out._seq = self.data * other.data, 0.0, self, other, _MUL, _next()
        return out

    __radd__, __rmul__ = __add__, __mul__  # both commute

    def __neg__(self):
        out = _new(BareValue)
        out.data, out.grad, out._a, out._b, out._vjp, out._seq = -self.data, 0.0, self, None, _NEG, _next()
        return out

    def relu(self):
        out = _new(BareValue)
        d = self.data
        out.data, out.grad, out._a, out._b, out._vjp, out._seq = d if d > 0 else 0.0, 0.0, self, None, _RELU, _next()
        return out

    def backward(self):
        """Add d(self)/d(node) into every node's ``grad``, newest node first."""
        grads = {self: 1.0}
        waiting = {self._seq: self}
        leaves = []
        number = self._seq
        while waiting:
            node = waiting.pop(number, None)
            number -= 1
            if node is None:
                continue
            g = grads.pop(node)
            node.grad += g
            a, b = node._a, node._b
            if b is None:
                pairs = ((a, node._vjp(g, a.data)),)
            else:
                ga, gb = node._vjp(g, a.data, b.data)
                pairs = ((a, ga), (b, gb))
            for parent, pg in pairs:
                prev = grads.get(parent)
                if prev is None:
                    grads[parent] = pg
                    if parent._vjp is None:
                        leaves.append(parent)
                    else:
                        waiting[parent._seq] = parent
                else:
                    grads[parent] = prev + pg
        for leaf in leaves:
            leaf.grad += grads[leaf]
