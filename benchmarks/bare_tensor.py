"""A bare tensor engine: a floor for W2 and W3's scratch code, not a library.

How fast can a reverse-mode engine over NumPy arrays, with one Python object per graph
node, run the book's scratch code (d2l 3.2 and 3.6: its own model, loss and ``sgd``)?
This one has exactly what that code uses — ``@ + - * / **``, ``exp``, ``log``,
``sum``, ``reshape``, indexing, ``backward()``, ``no_grad`` and the in-place update
``-=`` / ``grad.zero_()`` — with minigrad's layout (slots, nodes numbered in creation
order so backward needs no sort, one VJP function per op, one broadcasting reduction)
and none of its duties: no dtype rule or input checks, no version counters (an
in-place edit of a saved value goes unnoticed), no views, no in-place ops inside the
graph, no freeing of the graph, no gradients of gradients, no anomaly mode, no drawings,
no thread-local grad mode, no error messages naming the op. Whatever minigrad costs above
this row is the price of those duties; what this row costs above hand-written NumPy is
the price of building and walking one Python object per op, which no engine of that
design avoids.

Examples
--------
>>> import numpy as np
>>> w = BareTensor(np.array([1.0, 2.0]), requires_grad=True)
>>> ((w * w).sum()).backward(); w.grad.data.tolist()
[2.0, 4.0]
"""

from __future__ import annotations

import itertools

import numpy as np

_next = itertools.count(1).__next__
_new = object.__new__
_recording = [True]  # the grad mode (one process, one thread: no thread-local state)


def _fit(g, shape):
    """Sum a gradient back to its operand's shape (undo broadcasting)."""
    if g.shape == shape:
        return g
    if g.shape[-len(shape):] == shape:  # only leading axes added (a bias over a batch)
        return g.sum(axis=tuple(range(g.ndim - len(shape))))
    lead = g.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(lead + i for i, n in enumerate(shape) if n == 1 and g.shape[lead + i] != 1)
    return g.sum(axis=axes, keepdims=True).reshape(shape) if axes else g


class no_grad:
    """Nothing is recorded inside ``with no_grad():``."""

    def __enter__(self):
        self.before, _recording[0] = _recording[0], False

    def __exit__(self, *exc):
        _recording[0] = self.before


def _op(data, parents, vjp, extra=None):
    out = _new(BareTensor)
    out.data, out.grad, out._seq = data, None, _next()
    if _recording[0] and (parents[0].requires_grad or (len(parents) == 2 and parents[1].requires_grad)):
        out.requires_grad, out._parents, out._vjp, out._extra = True, parents, vjp, extra
    else:
        out.requires_grad, out._parents, out._vjp, out._extra = False, (), None, None
    return out


def _t(x):
    return x if type(x) is BareTensor else BareTensor(np.asarray(x, np.float32))


# VJPs, one function per op shared by all its nodes: (g, *inputs, out, extra) -> one gradient per input
def _add(g, a, b, out, e): return g, g
def _sub(g, a, b, out, e): return g, -g
def _mul(g, a, b, out, e): return g * b, g * a
def _div(g, a, b, out, e): return g / b, -g * a / (b * b)
def _matmul(g, a, b, out, e): return g @ b.T, a.T @ g
def _pow(g, a, out, e): return (g * e * a ** (e - 1),)  # a constant exponent e
def _neg(g, a, out, e): return (-g,)
def _exp(g, a, out, e): return (g * out,)
def _log(g, a, out, e): return (g / a,)
def _reshape(g, a, out, e): return (g.reshape(a.shape),)
def _sum(g, a, out, e):
    axis, keepdim = e
    full = np.empty(a.shape, g.dtype)  # (faster than np.broadcast_to for small arrays)
    full[...] = g if keepdim or axis is None else np.expand_dims(g, axis)
    return (full,)
def _getitem(g, a, out, e):
    full = np.zeros_like(a)
    np.add.at(full, e, g)  # repeated indices add up
    return (full,)


class BareTensor:
    """A NumPy array that records the op that made it (see the module docstring)."""

    __slots__ = ("data", "grad", "requires_grad", "_parents", "_vjp", "_extra", "_seq")

    def __init__(self, data, requires_grad=False):
        self.data, self.grad, self.requires_grad = data, None, requires_grad
        self._parents, self._vjp, self._extra, self._seq = (), None, None, _next()

    shape = property(lambda self: self.data.shape)

    def __len__(self):
        return len(self.data)

    def __add__(self, o): o = _t(o); return _op(self.data + o.data, (self, o), _add)
    def __sub__(self, o): o = _t(o); return _op(self.data - o.data, (self, o), _sub)
    def __mul__(self, o): o = _t(o); return _op(self.data * o.data, (self, o), _mul)
    def __truediv__(self, o): o = _t(o); return _op(self.data / o.data, (self, o), _div)
    def __matmul__(self, o): return _op(self.data @ o.data, (self, o), _matmul)
    def __pow__(self, k): return _op(self.data ** k, (self,), _pow, k)
    __rmul__ = __mul__
    def __neg__(self): return _op(-self.data, (self,), _neg)
    def exp(self): return _op(np.exp(self.data), (self,), _exp)
    def log(self): return _op(np.log(self.data), (self,), _log)
    def reshape(self, shape): return _op(self.data.reshape(shape), (self,), _reshape)
    def sum(self, axis=None, keepdim=False):
        return _op(self.data.sum(axis=axis, keepdims=keepdim), (self,), _sum, (axis, keepdim))
    def __getitem__(self, index):
        index = tuple(i.data if type(i) is BareTensor else np.asarray(i) for i in index)
        return _op(self.data[index], (self,), _getitem, index)

    # outside the graph: the optimizer's update
    def __isub__(self, o):
        self.data -= o.data if type(o) is BareTensor else o
        return self

    def zero_(self):
        self.data.fill(0)
        return self

    def backward(self):
        """Add d(self)/d(leaf) into every leaf's ``grad``, newest node first."""
        grads, waiting, leaves = {self: np.ones((), self.data.dtype)}, {self._seq: self}, []
        number = self._seq
        while waiting:
            node = waiting.pop(number, None)
            number -= 1
            if node is None:
                continue
            g, parents = grads.pop(node), node._parents
            pgs = node._vjp(g, *(p.data for p in parents), node.data, node._extra)
            for parent, pg in zip(parents, pgs):
                if not parent.requires_grad:
                    continue
                pg = _fit(pg, parent.data.shape)
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
            if leaf.grad is None:
                leaf.grad = BareTensor(np.array(grads[leaf]))
            else:
                leaf.grad.data += grads[leaf]
